//! Typed control-interface commands and their exact text (PROTOCOL.md A.3-A.12).
//!
//! [`Command::to_text`] produces the datagram hostapd expects; [`Command::parse`] reads that
//! text back (for tests, fuzzing and the CLI). Emission refuses values hostapd would misparse
//! (its options are found by substring search) instead of sending something else.

use core::fmt::Write as _;

use crate::error::CommandError;
use crate::hex;
use crate::neighbor::{NeighborEntry, NeighborReport};
use crate::rrm::BeaconRequest;
use crate::Mac;

/// Largest request hostapd reads (4096-byte buffer minus the NUL it appends).
pub const MAX_REQUEST: usize = 4095;

/// `mbo=<reason>:<reassoc_delay>:<cell_pref>` of a BSS Transition Management request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mbo {
    /// Transition reason, 0..=9 (see [`crate::btm::MboReason`]).
    pub reason: u8,
    /// Re-association delay, s (non-zero needs `disassoc_imminent`).
    pub reassoc_delay: u16,
    /// Cellular data preference: 0, 1 or 255.
    pub cell_pref: u8,
}

/// `BSS_TM_REQ <sta> [options]`: every option hostapd 2.9-2.11 accepts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct BssTmReq {
    /// Station to steer.
    pub sta: Mac,
    /// `dialog_token=` (2.10+; 2.9 always uses 1; hostapd's default is 1).
    pub dialog_token: Option<u8>,
    /// `disassoc_timer=` in TBTTs. Non-zero makes hostapd itself disassociate the station
    /// when it runs out (and drops its PMKSA).
    pub disassoc_timer: Option<u16>,
    /// `valid_int=`, TBTTs (hostapd default 1).
    pub valid_int: Option<u8>,
    /// `bss_term=<tsf>,<minutes>` (hostapd sends the TSF as 0 regardless).
    pub bss_term: Option<(u64, u16)>,
    /// `url=`: session information URL (sets ESS Disassociation Imminent). No spaces.
    pub url: Option<String>,
    /// `pref=1`: Preferred Candidate List Included.
    pub pref: bool,
    /// `abridged=1`.
    pub abridged: bool,
    /// `disassoc_imminent=1`.
    pub disassoc_imminent: bool,
    /// `link_removal_imminent=1` (2.11+).
    pub link_removal_imminent: bool,
    /// `neighbor=...`, one per candidate, in order.
    pub candidates: Vec<NeighborReport>,
    /// `mbo=` (needs CONFIG_MBO).
    pub mbo: Option<Mbo>,
}

impl BssTmReq {
    /// A request for `sta` with no options.
    pub fn new(sta: Mac) -> BssTmReq {
        BssTmReq {
            sta,
            ..BssTmReq::default()
        }
    }
}

/// How hostapd should deauthenticate/disassociate (`DEAUTHENTICATE`/`DISASSOCIATE` options).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Kick {
    /// Station.
    pub sta: Mac,
    /// `reason=` (802.11 reason code); hostapd's default is 2 / 8 ("previous auth no longer
    /// valid" / "leaving").
    pub reason: Option<u16>,
    /// `tx=0`: remove the station without sending the frame.
    pub no_tx: bool,
}

/// A control-interface command.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Command {
    /// `PING` -> `PONG`.
    Ping,
    /// `ATTACH` (optionally `probe_rx_events=0|1`) -> `OK`.
    Attach {
        /// Enable/disable `RX-PROBE-REQUEST` events for this monitor.
        probe_rx_events: Option<bool>,
    },
    /// `DETACH` -> `OK`/`FAIL`.
    Detach,
    /// `LEVEL <n>` -> `OK`/`FAIL`.
    Level(u8),
    /// `STATUS` -> key=value block.
    Status,
    /// `GET_CONFIG` -> key=value block.
    GetConfig,
    /// `STA <mac>` -> station block or `FAIL`.
    Sta(Mac),
    /// `STA-FIRST` -> station block or empty datagram.
    StaFirst,
    /// `STA-NEXT <mac>` -> next block, empty datagram, or `FAIL`.
    StaNext(Mac),
    /// `REQ_BEACON <sta> [req_mode=XX] <hex>` -> dialog token or `FAIL`.
    ReqBeacon {
        /// Station.
        sta: Mac,
        /// Measurement Request Mode byte (see [`crate::rrm::RequestMode`]).
        req_mode: Option<u8>,
        /// Request body.
        request: BeaconRequest,
    },
    /// `BSS_TM_REQ ...` -> `OK`/`FAIL`.
    BssTmReq(BssTmReq),
    /// `SET_NEIGHBOR <bssid> ssid=<hex> nr=<hex> [lci=] [civic=] [stat] [bss_parameter=]`.
    SetNeighbor {
        /// Entry to store (key = BSSID + SSID).
        entry: NeighborEntry,
        /// `bss_parameter=` (2.10+, for the RNR).
        bss_parameter: Option<u8>,
    },
    /// `REMOVE_NEIGHBOR <bssid> [ssid=<hex>]` (2.9 requires the SSID).
    RemoveNeighbor {
        /// BSSID.
        bssid: Mac,
        /// SSID.
        ssid: Option<Vec<u8>>,
    },
    /// `SHOW_NEIGHBOR` (2.10+) -> lines or empty datagram.
    ShowNeighbor,
    /// `DEAUTHENTICATE <sta> [reason=<n>] [tx=0]` -> `OK`.
    Deauthenticate(Kick),
    /// `DISASSOCIATE <sta> [reason=<n>] [tx=0]` -> `OK`.
    Disassociate(Kick),
}

fn check_ssid(ssid: &[u8]) -> Result<(), CommandError> {
    if ssid.is_empty() || ssid.len() > 32 {
        return Err(CommandError::OutOfRange("ssid"));
    }
    Ok(())
}

/// Appends ` neighbor=<bssid>,<info:#x>,<op_class>,<channel>,<phy>[,<subelements hex>]`;
/// returns the length of the whole report body.
fn put_neighbor(out: &mut String, n: &NeighborReport) -> Result<usize, CommandError> {
    let all = n
        .to_bytes()
        .map_err(|_| CommandError::OutOfRange("neighbor"))?;
    // The fixed part of the body: BSSID, BSSID Information, operating class, channel, PHY.
    const FIXED: usize = 13;
    out.push_str(" neighbor=");
    put_mac(out, &n.bssid);
    let _ = write!(out, ",{:#x},", n.info.0);
    put_dec(out, n.op_class.into());
    out.push(',');
    put_dec(out, n.channel.into());
    out.push(',');
    put_dec(out, n.phy_type.0.into());
    let subs = all.get(FIXED..).unwrap_or(&[]);
    if !subs.is_empty() {
        out.push(',');
        hex::encode_into(subs, out);
    }
    Ok(all.len())
}

/// Appends `v` in decimal (one formatting path for every number of every command).
fn put_dec(out: &mut String, v: u64) {
    let _ = write!(out, "{}", v);
}

/// Appends `key` then `v` in decimal.
fn put_kv(out: &mut String, key: &str, v: u64) {
    out.push_str(key);
    put_dec(out, v);
}

/// Appends `key` then `bytes` in lower-case hex.
fn put_hex(out: &mut String, key: &str, bytes: &[u8]) {
    out.push_str(key);
    hex::encode_into(bytes, out);
}

/// Appends the MAC address as `Mac`'s `Display` writes it.
fn put_mac(out: &mut String, m: &Mac) {
    let _ = write!(out, "{}", m);
}

/// Appends `name`, a space and the MAC address.
fn put_head(out: &mut String, name: &str, m: &Mac) {
    out.push_str(name);
    out.push(' ');
    put_mac(out, m);
}

impl Command {
    /// Writes the command text (no newline, no NUL) to `out`.
    pub fn write_to(&self, out: &mut String) -> Result<(), CommandError> {
        let start = out.len();
        match self {
            Command::Ping => out.push_str("PING"),
            Command::Attach { probe_rx_events } => {
                out.push_str("ATTACH");
                if let Some(p) = probe_rx_events {
                    put_kv(out, " probe_rx_events=", u8::from(*p).into());
                }
            }
            Command::Detach => out.push_str("DETACH"),
            Command::Level(l) => put_kv(out, "LEVEL ", (*l).into()),
            Command::Status => out.push_str("STATUS"),
            Command::GetConfig => out.push_str("GET_CONFIG"),
            Command::Sta(m) => put_head(out, "STA", m),
            Command::StaFirst => out.push_str("STA-FIRST"),
            Command::StaNext(m) => put_head(out, "STA-NEXT", m),
            Command::ReqBeacon {
                sta,
                req_mode,
                request,
            } => {
                let body = request
                    .to_bytes()
                    .map_err(|_| CommandError::OutOfRange("beacon request"))?;
                put_head(out, "REQ_BEACON", sta);
                out.push(' ');
                if let Some(m) = req_mode {
                    put_hex(out, "req_mode=", &[*m]);
                    out.push(' ');
                }
                hex::encode_into(&body, out);
            }
            Command::BssTmReq(r) => {
                put_head(out, "BSS_TM_REQ", &r.sta);
                if let Some(t) = r.dialog_token {
                    put_kv(out, " dialog_token=", t.into());
                }
                if let Some(t) = r.disassoc_timer {
                    put_kv(out, " disassoc_timer=", t.into());
                }
                if let Some(v) = r.valid_int {
                    put_kv(out, " valid_int=", v.into());
                }
                if let Some((tsf, min)) = r.bss_term {
                    put_kv(out, " bss_term=", tsf);
                    put_kv(out, ",", min.into());
                }
                if let Some(u) = &r.url {
                    let ok = u.len() <= 255
                        && u.bytes().all(|c| c.is_ascii_graphic())
                        && !u.contains("mbo=");
                    if !ok {
                        return Err(CommandError::BadText("url"));
                    }
                    out.push_str(" url=");
                    out.push_str(u);
                }
                for (on, name) in [
                    (r.pref, " pref=1"),
                    (r.abridged, " abridged=1"),
                    (r.disassoc_imminent, " disassoc_imminent=1"),
                    (r.link_removal_imminent, " link_removal_imminent=1"),
                ] {
                    if on {
                        out.push_str(name);
                    }
                }
                let mut list_len = 0;
                for n in &r.candidates {
                    list_len += 2 + put_neighbor(out, n)?;
                }
                if list_len > 1000 {
                    return Err(CommandError::OutOfRange("neighbor"));
                }
                if let Some(m) = r.mbo {
                    if m.reason > 9 {
                        return Err(CommandError::OutOfRange("mbo reason"));
                    }
                    if !matches!(m.cell_pref, 0 | 1 | 255) {
                        return Err(CommandError::OutOfRange("mbo cell_pref"));
                    }
                    if m.reassoc_delay != 0 && !r.disassoc_imminent {
                        return Err(CommandError::OutOfRange("mbo reassoc_delay"));
                    }
                    put_kv(out, " mbo=", m.reason.into());
                    put_kv(out, ":", m.reassoc_delay.into());
                    put_kv(out, ":", m.cell_pref.into());
                }
            }
            Command::SetNeighbor {
                entry,
                bss_parameter,
            } => {
                check_ssid(&entry.ssid)?;
                if entry.nr.is_empty() {
                    return Err(CommandError::OutOfRange("nr"));
                }
                put_head(out, "SET_NEIGHBOR", &entry.bssid);
                put_hex(out, " ssid=", &entry.ssid);
                put_hex(out, " nr=", &entry.nr);
                if let Some(l) = &entry.lci {
                    if l.is_empty() {
                        return Err(CommandError::OutOfRange("lci"));
                    }
                    put_hex(out, " lci=", l);
                }
                if let Some(c) = &entry.civic {
                    if c.is_empty() {
                        return Err(CommandError::OutOfRange("civic"));
                    }
                    put_hex(out, " civic=", c);
                }
                if entry.stationary {
                    out.push_str(" stat");
                }
                if let Some(p) = bss_parameter {
                    put_kv(out, " bss_parameter=", (*p).into());
                }
            }
            Command::RemoveNeighbor { bssid, ssid } => {
                put_head(out, "REMOVE_NEIGHBOR", bssid);
                if let Some(s) = ssid {
                    check_ssid(s)?;
                    put_hex(out, " ssid=", s);
                }
            }
            Command::ShowNeighbor => out.push_str("SHOW_NEIGHBOR"),
            Command::Deauthenticate(k) | Command::Disassociate(k) => {
                let name = if matches!(self, Command::Deauthenticate(_)) {
                    "DEAUTHENTICATE"
                } else {
                    "DISASSOCIATE"
                };
                put_head(out, name, &k.sta);
                if let Some(r) = k.reason {
                    put_kv(out, " reason=", r.into());
                }
                if k.no_tx {
                    out.push_str(" tx=0");
                }
            }
        }
        let len = out.len() - start;
        if len > MAX_REQUEST {
            out.truncate(start);
            return Err(CommandError::TooLong(len));
        }
        Ok(())
    }

    /// The command text.
    pub fn to_text(&self) -> Result<String, CommandError> {
        let mut s = String::with_capacity(64);
        self.write_to(&mut s)?;
        Ok(s)
    }

    /// True for commands whose reply is an `OK`/`FAIL` only.
    pub fn expects_ok(&self) -> bool {
        matches!(
            self,
            Command::Attach { .. }
                | Command::Detach
                | Command::Level(_)
                | Command::BssTmReq(_)
                | Command::SetNeighbor { .. }
                | Command::RemoveNeighbor { .. }
                | Command::Deauthenticate(_)
                | Command::Disassociate(_)
        )
    }

    /// Parses the text this module emits (strict: the forms [`Command::write_to`] writes).
    pub fn parse(text: &str) -> Result<Command, CommandError> {
        let (name, args) = text.split_once(' ').unwrap_or((text, ""));
        let mac = |s: &str| Mac::parse(s).map_err(|_| CommandError::Bad("mac"));
        let no_args = |c: Command| {
            if args.is_empty() && !text.ends_with(' ') {
                Ok(c)
            } else {
                Err(CommandError::Bad("arguments"))
            }
        };
        match name {
            "PING" => no_args(Command::Ping),
            "DETACH" => no_args(Command::Detach),
            "STATUS" => no_args(Command::Status),
            "GET_CONFIG" => no_args(Command::GetConfig),
            "STA-FIRST" => no_args(Command::StaFirst),
            "SHOW_NEIGHBOR" => no_args(Command::ShowNeighbor),
            "ATTACH" => match args {
                _ if !text.contains(' ') => Ok(Command::Attach {
                    probe_rx_events: None,
                }),
                "probe_rx_events=0" => Ok(Command::Attach {
                    probe_rx_events: Some(false),
                }),
                "probe_rx_events=1" => Ok(Command::Attach {
                    probe_rx_events: Some(true),
                }),
                _ => Err(CommandError::Bad("probe_rx_events")),
            },
            "LEVEL" => Ok(Command::Level(dec(args).ok_or(CommandError::Bad("level"))?)),
            "STA" => Ok(Command::Sta(mac(args)?)),
            "STA-NEXT" => Ok(Command::StaNext(mac(args)?)),
            "REQ_BEACON" => {
                let mut w = args.split(' ');
                let sta = mac(w.next().unwrap_or(""))?;
                let mut body = w.next().unwrap_or("");
                let mut req_mode = None;
                if let Some(m) = body.strip_prefix("req_mode=") {
                    if m.len() != 2 {
                        return Err(CommandError::Bad("req_mode"));
                    }
                    req_mode =
                        Some(u8::from_str_radix(m, 16).map_err(|_| CommandError::Bad("req_mode"))?);
                    body = w.next().unwrap_or("");
                }
                if w.next().is_some() {
                    return Err(CommandError::Bad("arguments"));
                }
                let bytes = hex::decode(body).map_err(|_| CommandError::Bad("body"))?;
                let request =
                    BeaconRequest::parse(&bytes).map_err(|_| CommandError::Bad("body"))?;
                let c = Command::ReqBeacon {
                    sta,
                    req_mode,
                    request,
                };
                // A body over 252 bytes does not fit the Measurement Request element.
                c.to_text()?;
                Ok(c)
            }
            "BSS_TM_REQ" => parse_bss_tm_req(args).map(Command::BssTmReq),
            "SET_NEIGHBOR" => {
                let mut w = args.split(' ');
                let bssid = mac(w.next().unwrap_or(""))?;
                let ssid = hexarg(w.next(), "ssid=")?;
                let nr = hexarg(w.next(), "nr=")?;
                let mut entry = NeighborEntry {
                    bssid,
                    ssid,
                    nr,
                    lci: None,
                    civic: None,
                    stationary: false,
                };
                let mut bss_parameter = None;
                let mut stage = 0;
                for word in w {
                    if let Some(v) = word.strip_prefix("lci=") {
                        if stage > 0 {
                            return Err(CommandError::Bad("lci"));
                        }
                        entry.lci = Some(hex::decode(v).map_err(|_| CommandError::Bad("lci"))?);
                        stage = 1;
                    } else if let Some(v) = word.strip_prefix("civic=") {
                        if stage > 1 {
                            return Err(CommandError::Bad("civic"));
                        }
                        entry.civic = Some(hex::decode(v).map_err(|_| CommandError::Bad("civic"))?);
                        stage = 2;
                    } else if word == "stat" && stage < 3 {
                        entry.stationary = true;
                        stage = 3;
                    } else if let Some(v) = word.strip_prefix("bss_parameter=") {
                        if stage > 3 {
                            return Err(CommandError::Bad("bss_parameter"));
                        }
                        bss_parameter = Some(dec(v).ok_or(CommandError::Bad("bss_parameter"))?);
                        stage = 4;
                    } else {
                        return Err(CommandError::Bad("arguments"));
                    }
                }
                let c = Command::SetNeighbor {
                    entry,
                    bss_parameter,
                };
                c.to_text()?;
                Ok(c)
            }
            "REMOVE_NEIGHBOR" => {
                let mut w = args.split(' ');
                let bssid = mac(w.next().unwrap_or(""))?;
                let ssid = match w.next() {
                    None => None,
                    s => Some(hexarg(s, "ssid=")?),
                };
                if w.next().is_some() {
                    return Err(CommandError::Bad("arguments"));
                }
                let c = Command::RemoveNeighbor { bssid, ssid };
                c.to_text()?;
                Ok(c)
            }
            "DEAUTHENTICATE" | "DISASSOCIATE" => {
                let mut w = args.split(' ');
                let mut k = Kick {
                    sta: mac(w.next().unwrap_or(""))?,
                    ..Kick::default()
                };
                for word in w {
                    if let Some(v) = word.strip_prefix("reason=") {
                        if k.reason.is_some() || k.no_tx {
                            return Err(CommandError::Bad("reason"));
                        }
                        k.reason = Some(dec(v).ok_or(CommandError::Bad("reason"))?);
                    } else if word == "tx=0" && !k.no_tx {
                        k.no_tx = true;
                    } else {
                        return Err(CommandError::Bad("arguments"));
                    }
                }
                Ok(if name == "DEAUTHENTICATE" {
                    Command::Deauthenticate(k)
                } else {
                    Command::Disassociate(k)
                })
            }
            _ => Err(CommandError::Unknown),
        }
    }
}

/// A plain decimal number without sign or leading `+`.
fn dec<T: core::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn hexarg(w: Option<&str>, prefix: &'static str) -> Result<Vec<u8>, CommandError> {
    let name = prefix.trim_end_matches('=');
    let v = w
        .and_then(|w| w.strip_prefix(prefix))
        .ok_or(CommandError::Bad(name))?;
    hex::decode(v).map_err(|_| CommandError::Bad(name))
}

fn parse_bss_tm_req(args: &str) -> Result<BssTmReq, CommandError> {
    let mut w = args.split(' ');
    let sta = Mac::parse(w.next().unwrap_or("")).map_err(|_| CommandError::Bad("mac"))?;
    let mut r = BssTmReq::new(sta);
    let mut seen: u16 = 0;
    let mut once = |bit: u16, name: &'static str| {
        if seen & bit != 0 {
            return Err(CommandError::Bad(name));
        }
        seen |= bit;
        Ok(())
    };
    for word in w {
        let (k, v) = word.split_once('=').ok_or(CommandError::Bad("arguments"))?;
        match k {
            "dialog_token" => {
                once(1, "dialog_token")?;
                r.dialog_token = Some(dec(v).ok_or(CommandError::Bad("dialog_token"))?);
            }
            "disassoc_timer" => {
                once(2, "disassoc_timer")?;
                r.disassoc_timer = Some(dec(v).ok_or(CommandError::Bad("disassoc_timer"))?);
            }
            "valid_int" => {
                once(4, "valid_int")?;
                r.valid_int = Some(dec(v).ok_or(CommandError::Bad("valid_int"))?);
            }
            "bss_term" => {
                once(8, "bss_term")?;
                let (t, m) = v.split_once(',').ok_or(CommandError::Bad("bss_term"))?;
                r.bss_term = Some((
                    dec(t).ok_or(CommandError::Bad("bss_term"))?,
                    dec(m).ok_or(CommandError::Bad("bss_term"))?,
                ));
            }
            "url" => {
                once(16, "url")?;
                r.url = Some(v.to_string());
            }
            "pref" | "abridged" | "disassoc_imminent" | "link_removal_imminent" => {
                if v != "1" {
                    return Err(CommandError::Bad("flag"));
                }
                let (bit, slot) = match k {
                    "pref" => (32, &mut r.pref),
                    "abridged" => (64, &mut r.abridged),
                    "disassoc_imminent" => (128, &mut r.disassoc_imminent),
                    _ => (256, &mut r.link_removal_imminent),
                };
                once(bit, "flag")?;
                *slot = true;
            }
            "neighbor" => r.candidates.push(parse_candidate(v)?),
            "mbo" => {
                once(512, "mbo")?;
                let mut p = v.split(':');
                let mut next = || p.next().and_then(dec::<u32>);
                let (reason, delay, cell) = (next(), next(), next());
                let (Some(reason), Some(delay), Some(cell)) = (reason, delay, cell) else {
                    return Err(CommandError::Bad("mbo"));
                };
                if p.next().is_some() {
                    return Err(CommandError::Bad("mbo"));
                }
                r.mbo = Some(Mbo {
                    reason: u8::try_from(reason).map_err(|_| CommandError::Bad("mbo"))?,
                    reassoc_delay: u16::try_from(delay).map_err(|_| CommandError::Bad("mbo"))?,
                    cell_pref: u8::try_from(cell).map_err(|_| CommandError::Bad("mbo"))?,
                });
            }
            _ => return Err(CommandError::Bad("arguments")),
        }
    }
    // Refuse what emission would refuse, so parse -> emit always succeeds.
    Command::BssTmReq(r.clone()).to_text()?;
    Ok(r)
}

fn parse_candidate(v: &str) -> Result<NeighborReport, CommandError> {
    let bad = CommandError::Bad("neighbor");
    let mut p = v.split(',');
    let bssid = Mac::parse(p.next().unwrap_or("")).map_err(|_| bad)?;
    let info = p.next().ok_or(bad)?;
    let info = match info.strip_prefix("0x") {
        Some(h) if !h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit()) => {
            u32::from_str_radix(h, 16).map_err(|_| bad)?
        }
        Some(_) => return Err(bad),
        None => dec(info).ok_or(bad)?,
    };
    let op_class = p.next().and_then(dec).ok_or(bad)?;
    let channel = p.next().and_then(dec).ok_or(bad)?;
    let phy = p.next().and_then(dec).ok_or(bad)?;
    let mut body = Vec::with_capacity(16);
    body.extend_from_slice(&bssid.0);
    body.extend_from_slice(&info.to_le_bytes());
    body.extend_from_slice(&[op_class, channel, phy]);
    if let Some(h) = p.next() {
        if h.is_empty() {
            return Err(bad);
        }
        body.extend_from_slice(&hex::decode(h).map_err(|_| bad)?);
    }
    if p.next().is_some() {
        return Err(bad);
    }
    NeighborReport::parse(&body).map_err(|_| bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neighbor::{BssidInfo, NrChanWidth, NrSubelement, PhyType};
    use crate::rrm::{BeaconRequestSubelement, MeasurementMode};

    fn sta() -> Mac {
        "02:00:00:00:05:00".parse().unwrap()
    }

    fn rt(c: &Command, text: &str) {
        assert_eq!(c.to_text().unwrap(), text);
        assert_eq!(&Command::parse(text).unwrap(), c, "{}", text);
    }

    #[test]
    fn simple_commands() {
        rt(&Command::Ping, "PING");
        rt(
            &Command::Attach {
                probe_rx_events: None,
            },
            "ATTACH",
        );
        rt(
            &Command::Attach {
                probe_rx_events: Some(true),
            },
            "ATTACH probe_rx_events=1",
        );
        rt(&Command::Detach, "DETACH");
        rt(&Command::Level(2), "LEVEL 2");
        rt(&Command::Status, "STATUS");
        rt(&Command::GetConfig, "GET_CONFIG");
        rt(&Command::Sta(sta()), "STA 02:00:00:00:05:00");
        rt(&Command::StaFirst, "STA-FIRST");
        rt(&Command::StaNext(sta()), "STA-NEXT 02:00:00:00:05:00");
        rt(&Command::ShowNeighbor, "SHOW_NEIGHBOR");
        rt(
            &Command::Deauthenticate(Kick {
                sta: sta(),
                reason: None,
                no_tx: false,
            }),
            "DEAUTHENTICATE 02:00:00:00:05:00",
        );
        rt(
            &Command::Disassociate(Kick {
                sta: sta(),
                reason: Some(5),
                no_tx: true,
            }),
            "DISASSOCIATE 02:00:00:00:05:00 reason=5 tx=0",
        );
        assert_eq!(Command::parse("PING "), Err(CommandError::Bad("arguments")));
        assert_eq!(Command::parse("FOO"), Err(CommandError::Unknown));
        assert_eq!(Command::parse("LEVEL +1"), Err(CommandError::Bad("level")));
    }

    #[test]
    fn req_beacon() {
        // PROTOCOL.md A.8 example.
        let request = BeaconRequest::new(115, 0, 100, MeasurementMode::Active, Mac::BROADCAST);
        rt(
            &Command::ReqBeacon {
                sta: sta(),
                req_mode: None,
                request: request.clone(),
            },
            "REQ_BEACON 02:00:00:00:05:00 73000000640001ffffffffffff",
        );
        let mut r2 = BeaconRequest::new(81, 6, 50, MeasurementMode::Passive, sta());
        r2.subelements
            .push(BeaconRequestSubelement::ReportingDetail(0));
        rt(
            &Command::ReqBeacon {
                sta: sta(),
                req_mode: Some(0x01),
                request: r2,
            },
            "REQ_BEACON 02:00:00:00:05:00 req_mode=01 51060000320000020000000500020100",
        );
        assert!(Command::parse("REQ_BEACON 02:00:00:00:05:00 req_mode=1 00").is_err());
        assert!(Command::parse("REQ_BEACON 02:00:00:00:05:00 zz").is_err());
        assert!(Command::parse("REQ_BEACON 02:00:00:00:05:00 0000").is_err());
        // Found by the ctrl_command fuzz target: a 253-byte body parsed but could not be sent.
        let body = |n: usize| format!("{}dd{:02x}{}", "00".repeat(13), n - 15, "00".repeat(n - 15));
        let long = format!("REQ_BEACON 02:00:00:00:05:00 {}", body(253));
        assert_eq!(
            Command::parse(&long),
            Err(CommandError::OutOfRange("beacon request"))
        );
        let max = format!("REQ_BEACON 02:00:00:00:05:00 {}", body(252));
        assert!(Command::parse(&max).is_ok());
    }

    #[test]
    fn bss_tm_req_every_option() {
        let cand = NeighborReport {
            bssid: "02:00:00:00:00:00".parse().unwrap(),
            info: BssidInfo(0x19af),
            op_class: 128,
            channel: 36,
            phy_type: PhyType::VHT,
            subelements: vec![
                NrSubelement::CandidatePreference(255),
                NrSubelement::WideBandwidthChannel {
                    width: NrChanWidth::MHZ_80,
                    seg0: 42,
                    seg1: 0,
                },
            ],
        };
        let bare = NeighborReport {
            subelements: vec![],
            ..cand.clone()
        };
        let r = BssTmReq {
            sta: sta(),
            dialog_token: Some(7),
            disassoc_timer: Some(100),
            valid_int: Some(255),
            bss_term: Some((0, 5)),
            url: Some("http://x/y".into()),
            pref: true,
            abridged: true,
            disassoc_imminent: true,
            link_removal_imminent: true,
            candidates: vec![cand, bare],
            mbo: Some(Mbo {
                reason: 4,
                reassoc_delay: 30,
                cell_pref: 255,
            }),
        };
        rt(
            &Command::BssTmReq(r),
            "BSS_TM_REQ 02:00:00:00:05:00 dialog_token=7 disassoc_timer=100 valid_int=255 \
             bss_term=0,5 url=http://x/y pref=1 abridged=1 disassoc_imminent=1 \
             link_removal_imminent=1 neighbor=02:00:00:00:00:00,0x19af,128,36,9,0301ff0603022a00 \
             neighbor=02:00:00:00:00:00,0x19af,128,36,9 mbo=4:30:255",
        );
        rt(
            &Command::BssTmReq(BssTmReq::new(sta())),
            "BSS_TM_REQ 02:00:00:00:05:00",
        );
    }

    #[test]
    fn bss_tm_req_refusals() {
        let mut r = BssTmReq::new(sta());
        r.url = Some("a b".into());
        assert_eq!(
            Command::BssTmReq(r.clone()).to_text(),
            Err(CommandError::BadText("url"))
        );
        r.url = Some("http://mbo=x".into());
        assert_eq!(
            Command::BssTmReq(r.clone()).to_text(),
            Err(CommandError::BadText("url"))
        );
        r.url = None;
        r.mbo = Some(Mbo {
            reason: 1,
            reassoc_delay: 5,
            cell_pref: 0,
        });
        assert_eq!(
            Command::BssTmReq(r.clone()).to_text(),
            Err(CommandError::OutOfRange("mbo reassoc_delay"))
        );
        r.mbo = Some(Mbo {
            reason: 10,
            reassoc_delay: 0,
            cell_pref: 0,
        });
        assert!(Command::BssTmReq(r.clone()).to_text().is_err());
        r.mbo = Some(Mbo {
            reason: 1,
            reassoc_delay: 0,
            cell_pref: 2,
        });
        assert!(Command::BssTmReq(r.clone()).to_text().is_err());
        r.mbo = None;
        let big = NeighborReport::parse(&[0u8; 13]).unwrap();
        r.candidates = vec![big; 67];
        assert_eq!(
            Command::BssTmReq(r).to_text(),
            Err(CommandError::OutOfRange("neighbor"))
        );
        assert!(Command::parse("BSS_TM_REQ 02:00:00:00:05:00 pref=1 pref=1").is_err());
        assert!(
            Command::parse("BSS_TM_REQ 02:00:00:00:05:00 neighbor=02:00:00:00:00:00,1,2,3")
                .is_err()
        );
        assert!(
            Command::parse("BSS_TM_REQ 02:00:00:00:05:00 neighbor=02:00:00:00:00:00,x,2,3,4")
                .is_err()
        );
        let c =
            Command::parse("BSS_TM_REQ 02:00:00:00:05:00 neighbor=02:00:00:00:00:00,2479,81,6,7")
                .unwrap();
        let Command::BssTmReq(r) = c else { panic!() };
        assert_eq!(r.candidates[0].info, BssidInfo(2479));
    }

    #[test]
    fn neighbor_db_commands() {
        let e = NeighborEntry::parse_line(
            "02:00:00:00:02:00 ssid=6c61626e6574 nr=020000000200ab1100007e9507 stat",
        )
        .unwrap();
        rt(
            &Command::SetNeighbor {
                entry: e.clone(),
                bss_parameter: None,
            },
            "SET_NEIGHBOR 02:00:00:00:02:00 ssid=6c61626e6574 nr=020000000200ab1100007e9507 stat",
        );
        let mut e2 = e.clone();
        e2.lci = Some(vec![1]);
        e2.civic = Some(vec![2]);
        rt(
            &Command::SetNeighbor {
                entry: e2,
                bss_parameter: Some(9),
            },
            "SET_NEIGHBOR 02:00:00:00:02:00 ssid=6c61626e6574 nr=020000000200ab1100007e9507 \
             lci=01 civic=02 stat bss_parameter=9",
        );
        rt(
            &Command::RemoveNeighbor {
                bssid: e.bssid,
                ssid: None,
            },
            "REMOVE_NEIGHBOR 02:00:00:00:02:00",
        );
        rt(
            &Command::RemoveNeighbor {
                bssid: e.bssid,
                ssid: Some(b"labnet".to_vec()),
            },
            "REMOVE_NEIGHBOR 02:00:00:00:02:00 ssid=6c61626e6574",
        );
        let mut bad = e.clone();
        bad.ssid.clear();
        assert_eq!(
            Command::SetNeighbor {
                entry: bad,
                bss_parameter: None
            }
            .to_text(),
            Err(CommandError::OutOfRange("ssid"))
        );
        assert!(
            Command::parse("SET_NEIGHBOR 02:00:00:00:02:00 ssid=6c nr=00 civic=01 lci=02").is_err()
        );
        assert!(Command::parse("SET_NEIGHBOR 02:00:00:00:02:00 nr=00 ssid=6c").is_err());
    }
}
