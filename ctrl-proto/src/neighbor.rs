//! Neighbor Report element (PROTOCOL.md A.13), `SHOW_NEIGHBOR` lines (A.12) and this AP's own
//! neighbor entry computed the way hostapd computes it (A.14).

use core::fmt;

use crate::error::{ElementError, FieldError, OwnEntryError};
use crate::hex;
use crate::ie::{self, Items};
use crate::opclass::{self, ChanWidth, HwMode};
use crate::status::Status;
use crate::{HostapdVersion, Mac};

/// Element ID of the Neighbor Report element.
pub const EID_NEIGHBOR_REPORT: u8 = 52;

/// BSSID Information field (4 bytes, little-endian; `NEI_REP_BSSID_INFO_*`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BssidInfo(pub u32);

impl BssidInfo {
    /// Bits 0-1 = 3: AP reachable.
    pub const REACHABLE: u32 = 3;
    /// Bits 0-1 = 2: reachability unknown.
    pub const REACHABILITY_UNKNOWN: u32 = 2;
    /// Bits 0-1 = 1: AP not reachable.
    pub const NOT_REACHABLE: u32 = 1;
    /// Bit 2: same security as the reporting AP.
    pub const SECURITY: u32 = 1 << 2;
    /// Bit 3: same authenticator (key scope).
    pub const KEY_SCOPE: u32 = 1 << 3;
    /// Bit 4: capability Spectrum Management.
    pub const SPECTRUM_MGMT: u32 = 1 << 4;
    /// Bit 5: capability QoS.
    pub const QOS: u32 = 1 << 5;
    /// Bit 6: capability APSD.
    pub const APSD: u32 = 1 << 6;
    /// Bit 7: capability Radio Measurement.
    pub const RM: u32 = 1 << 7;
    /// Bit 8: Delayed Block Ack (reserved since 802.11-2020).
    pub const DELAYED_BA: u32 = 1 << 8;
    /// Bit 9: Immediate Block Ack (reserved since 802.11-2020).
    pub const IMMEDIATE_BA: u32 = 1 << 9;
    /// Bit 10: Mobility Domain.
    pub const MOBILITY_DOMAIN: u32 = 1 << 10;
    /// Bit 11: High Throughput.
    pub const HT: u32 = 1 << 11;
    /// Bit 12: Very High Throughput.
    pub const VHT: u32 = 1 << 12;
    /// Bit 13: Fine Timing Measurement.
    pub const FTM: u32 = 1 << 13;
    /// Bit 14: High Efficiency.
    pub const HE: u32 = 1 << 14;
    /// Bit 15: ER BSS.
    pub const ER_BSS: u32 = 1 << 15;
    /// Bit 16: co-located AP.
    pub const COLOCATED_AP: u32 = 1 << 16;
    /// Bit 17: unsolicited probe responses active.
    pub const UNSOLICITED_PROBE_RESP: u32 = 1 << 17;
    /// Bit 18: member of ESS with 2.4/5 GHz co-located AP.
    pub const ESS_WITH_COLOCATED_AP: u32 = 1 << 18;
    /// Bit 19: OCT supported with reporting AP.
    pub const OCT: u32 = 1 << 19;
    /// Bit 20: co-located 6 GHz AP.
    pub const COLOCATED_6GHZ_AP: u32 = 1 << 20;
    /// Bit 21: Extremely High Throughput.
    pub const EHT: u32 = 1 << 21;
    /// Bit 22: DMG positioning.
    pub const DMG_POSITIONING: u32 = 1 << 22;

    /// AP Reachability (bits 0-1): 1 not reachable, 2 unknown, 3 reachable.
    pub const fn reachability(self) -> u8 {
        (self.0 & 3) as u8
    }
    /// True if every bit of `mask` is set.
    pub const fn has(self, mask: u32) -> bool {
        self.0 & mask == mask
    }
    /// Sets or clears the bits of `mask`.
    pub fn set(&mut self, mask: u32, on: bool) {
        if on {
            self.0 |= mask;
        } else {
            self.0 &= !mask;
        }
    }
}

impl fmt::Debug for BssidInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BssidInfo({:#x})", self.0)
    }
}

/// PHY type of a neighbor report (`enum phy_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PhyType(pub u8);

impl PhyType {
    /// 0
    pub const UNSPECIFIED: PhyType = PhyType(0);
    /// 2
    pub const DSSS: PhyType = PhyType(2);
    /// 4 (5 and 6 GHz without HT/VHT)
    pub const OFDM: PhyType = PhyType(4);
    /// 5 (channel 14)
    pub const HRDSSS: PhyType = PhyType(5);
    /// 6 (2.4 GHz without HT)
    pub const ERP: PhyType = PhyType(6);
    /// 7
    pub const HT: PhyType = PhyType(7);
    /// 8 (60 GHz)
    pub const DMG: PhyType = PhyType(8);
    /// 9
    pub const VHT: PhyType = PhyType(9);
    /// 10
    pub const TVHT: PhyType = PhyType(10);
    /// 11
    pub const S1G: PhyType = PhyType(11);
    /// 12
    pub const CDMG: PhyType = PhyType(12);
    /// 13
    pub const CMMG: PhyType = PhyType(13);
    /// 14 (hostapd after 2.11 only)
    pub const HE: PhyType = PhyType(14);
}

/// Width code of the Wide Bandwidth Channel subelement (`enum nr_chan_width`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NrChanWidth(pub u8);

impl NrChanWidth {
    /// 20 MHz.
    pub const MHZ_20: NrChanWidth = NrChanWidth(0);
    /// 40 MHz.
    pub const MHZ_40: NrChanWidth = NrChanWidth(1);
    /// 80 MHz.
    pub const MHZ_80: NrChanWidth = NrChanWidth(2);
    /// 160 MHz.
    pub const MHZ_160: NrChanWidth = NrChanWidth(3);
    /// 80+80 MHz.
    pub const MHZ_80P80: NrChanWidth = NrChanWidth(4);
}

/// Neighbor report subelement IDs (`WNM_NEIGHBOR_*`).
pub mod subelem {
    /// TSF Information.
    pub const TSF: u8 = 1;
    /// Condensed Country String.
    pub const CONDENSED_COUNTRY: u8 = 2;
    /// BSS Transition Candidate Preference.
    pub const CANDIDATE_PREFERENCE: u8 = 3;
    /// BSS Termination Duration.
    pub const BSS_TERMINATION_DURATION: u8 = 4;
    /// Bearing.
    pub const BEARING: u8 = 5;
    /// Wide Bandwidth Channel.
    pub const WIDE_BANDWIDTH_CHANNEL: u8 = 6;
    /// Measurement Report.
    pub const MEASUREMENT_REPORT: u8 = 39;
    /// HT Capabilities.
    pub const HT_CAPABILITIES: u8 = 45;
    /// HT Operation.
    pub const HT_OPERATION: u8 = 61;
    /// Secondary Channel Offset.
    pub const SECONDARY_CHANNEL_OFFSET: u8 = 62;
    /// Measurement Pilot Transmission.
    pub const MEASUREMENT_PILOT: u8 = 66;
    /// RM Enabled Capabilities.
    pub const RM_ENABLED_CAPABILITIES: u8 = 70;
    /// Multiple BSSID.
    pub const MULTIPLE_BSSID: u8 = 71;
    /// VHT Capabilities.
    pub const VHT_CAPABILITIES: u8 = 191;
    /// VHT Operation.
    pub const VHT_OPERATION: u8 = 192;
    /// Vendor specific.
    pub const VENDOR: u8 = 221;
}

/// One subelement of a neighbor report.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NrSubelement {
    /// 1: TSF offset and beacon interval (TU).
    Tsf {
        /// TSF offset.
        offset: u16,
        /// Beacon interval, TU.
        beacon_interval: u16,
    },
    /// 2: Condensed Country String (2 characters).
    CondensedCountry([u8; 2]),
    /// 3: BSS Transition Candidate Preference (255 = most preferred, 0 = excluded).
    CandidatePreference(u8),
    /// 4: BSS Termination Duration: TSF (8) + duration in minutes (2).
    BssTerminationDuration {
        /// BSS Termination TSF.
        tsf: u64,
        /// Duration, minutes.
        minutes: u16,
    },
    /// 6: Wide Bandwidth Channel.
    WideBandwidthChannel {
        /// Channel width.
        width: NrChanWidth,
        /// Centre frequency segment 0 channel index.
        seg0: u8,
        /// Centre frequency segment 1 channel index.
        seg1: u8,
    },
    /// Any other subelement, verbatim.
    Other {
        /// Subelement ID.
        id: u8,
        /// Data.
        data: Vec<u8>,
    },
}

impl NrSubelement {
    fn parse(id: u8, d: &[u8]) -> Result<NrSubelement, ElementError> {
        let bad = ElementError::SubelementLength { id, len: d.len() };
        Ok(match id {
            subelem::TSF => match d {
                [a, b, c, e] => NrSubelement::Tsf {
                    offset: u16::from_le_bytes([*a, *b]),
                    beacon_interval: u16::from_le_bytes([*c, *e]),
                },
                _ => return Err(bad),
            },
            subelem::CONDENSED_COUNTRY => match d {
                [a, b] => NrSubelement::CondensedCountry([*a, *b]),
                _ => return Err(bad),
            },
            subelem::CANDIDATE_PREFERENCE => match d {
                [p] => NrSubelement::CandidatePreference(*p),
                _ => return Err(bad),
            },
            subelem::BSS_TERMINATION_DURATION => match d {
                [t0, t1, t2, t3, t4, t5, t6, t7, m0, m1] => NrSubelement::BssTerminationDuration {
                    tsf: u64::from_le_bytes([*t0, *t1, *t2, *t3, *t4, *t5, *t6, *t7]),
                    minutes: u16::from_le_bytes([*m0, *m1]),
                },
                _ => return Err(bad),
            },
            subelem::WIDE_BANDWIDTH_CHANNEL => match d {
                [w, s0, s1] => NrSubelement::WideBandwidthChannel {
                    width: NrChanWidth(*w),
                    seg0: *s0,
                    seg1: *s1,
                },
                _ => return Err(bad),
            },
            _ => NrSubelement::Other {
                id,
                data: d.to_vec(),
            },
        })
    }

    fn emit(&self, out: &mut Vec<u8>) -> Result<(), ElementError> {
        match self {
            NrSubelement::Tsf {
                offset,
                beacon_interval,
            } => {
                let mut d = [0u8; 4];
                d[..2].copy_from_slice(&offset.to_le_bytes());
                d[2..].copy_from_slice(&beacon_interval.to_le_bytes());
                ie::put(out, subelem::TSF, &d)
            }
            NrSubelement::CondensedCountry(c) => ie::put(out, subelem::CONDENSED_COUNTRY, c),
            NrSubelement::CandidatePreference(p) => {
                ie::put(out, subelem::CANDIDATE_PREFERENCE, &[*p])
            }
            NrSubelement::BssTerminationDuration { tsf, minutes } => {
                let mut d = [0u8; 10];
                d[..8].copy_from_slice(&tsf.to_le_bytes());
                d[8..].copy_from_slice(&minutes.to_le_bytes());
                ie::put(out, subelem::BSS_TERMINATION_DURATION, &d)
            }
            NrSubelement::WideBandwidthChannel { width, seg0, seg1 } => ie::put(
                out,
                subelem::WIDE_BANDWIDTH_CHANNEL,
                &[width.0, *seg0, *seg1],
            ),
            NrSubelement::Other { id, data } => ie::put(out, *id, data),
        }
    }
}

/// A Neighbor Report element body: what goes into `SET_NEIGHBOR ... nr=` and
/// `BSS_TM_REQ ... neighbor=`, and what `SHOW_NEIGHBOR` prints.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NeighborReport {
    /// BSSID of the neighbor.
    pub bssid: Mac,
    /// BSSID Information.
    pub info: BssidInfo,
    /// Operating class.
    pub op_class: u8,
    /// Primary channel number.
    pub channel: u8,
    /// PHY type.
    pub phy_type: PhyType,
    /// Optional subelements, in order.
    pub subelements: Vec<NrSubelement>,
}

impl NeighborReport {
    /// Length of the fixed part.
    pub const FIXED_LEN: usize = 13;

    /// Parses an element body (no EID/length).
    pub fn parse(b: &[u8]) -> Result<NeighborReport, ElementError> {
        if b.len() < Self::FIXED_LEN {
            return Err(ElementError::Truncated {
                what: "neighbor report",
                need: Self::FIXED_LEN,
                have: b.len(),
            });
        }
        if b.len() > 255 {
            return Err(ElementError::TooLong(b.len()));
        }
        let mut subelements = Vec::new();
        for item in Items::new(&b[13..]) {
            let (id, d) = item.map_err(|e| match e {
                ElementError::SubelementOverrun { id, at } => {
                    ElementError::SubelementOverrun { id, at: at + 13 }
                }
                e => e,
            })?;
            subelements.push(NrSubelement::parse(id, d)?);
        }
        Ok(NeighborReport {
            bssid: Mac([b[0], b[1], b[2], b[3], b[4], b[5]]),
            info: BssidInfo(u32::from_le_bytes([b[6], b[7], b[8], b[9]])),
            op_class: b[10],
            channel: b[11],
            phy_type: PhyType(b[12]),
            subelements,
        })
    }

    /// Parses a whole element (EID 52, length, body).
    pub fn parse_element(b: &[u8]) -> Result<NeighborReport, ElementError> {
        match b {
            [EID_NEIGHBOR_REPORT, len, body @ ..] if usize::from(*len) == body.len() => {
                Self::parse(body)
            }
            [EID_NEIGHBOR_REPORT, len, body @ ..] => Err(ElementError::Truncated {
                what: "neighbor report element",
                need: usize::from(*len),
                have: body.len(),
            }),
            [id, ..] => Err(ElementError::ElementId {
                expected: EID_NEIGHBOR_REPORT,
                found: *id,
            }),
            [] => Err(ElementError::Truncated {
                what: "neighbor report element",
                need: 2,
                have: 0,
            }),
        }
    }

    /// Writes the body.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), ElementError> {
        let start = out.len();
        out.extend_from_slice(&self.bssid.0);
        out.extend_from_slice(&self.info.0.to_le_bytes());
        out.push(self.op_class);
        out.push(self.channel);
        out.push(self.phy_type.0);
        for s in &self.subelements {
            s.emit(out)?;
        }
        let len = out.len() - start;
        if len > 255 {
            return Err(ElementError::TooLong(len));
        }
        Ok(())
    }

    /// The body as bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ElementError> {
        let mut v = Vec::with_capacity(18);
        self.emit(&mut v)?;
        Ok(v)
    }

    /// The whole element (EID 52 + length + body).
    pub fn to_element(&self) -> Result<Vec<u8>, ElementError> {
        let body = self.to_bytes()?;
        let mut v = Vec::with_capacity(body.len() + 2);
        ie::put(&mut v, EID_NEIGHBOR_REPORT, &body)?;
        Ok(v)
    }

    /// The BSS Transition Candidate Preference, if present.
    pub fn preference(&self) -> Option<u8> {
        self.subelements.iter().find_map(|s| match s {
            NrSubelement::CandidatePreference(p) => Some(*p),
            _ => None,
        })
    }

    /// Sets (replacing any) the BSS Transition Candidate Preference.
    pub fn set_preference(&mut self, pref: u8) {
        self.subelements
            .retain(|s| !matches!(s, NrSubelement::CandidatePreference(_)));
        self.subelements
            .insert(0, NrSubelement::CandidatePreference(pref));
    }
}

/// One neighbor database entry as `SHOW_NEIGHBOR` prints it:
/// `<bssid> ssid=<hex> nr=<hex>[ lci=<hex>][ civic=<hex>][ stat]`.
///
/// `nr` is kept as raw bytes (hostapd does not validate it either); decode it with
/// [`NeighborEntry::report`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NeighborEntry {
    /// Entry BSSID (key, with the SSID).
    pub bssid: Mac,
    /// SSID bytes.
    pub ssid: Vec<u8>,
    /// Neighbor Report element body.
    pub nr: Vec<u8>,
    /// LCI measurement report, if any.
    pub lci: Option<Vec<u8>>,
    /// Civic location, if any.
    pub civic: Option<Vec<u8>>,
    /// Stationary AP flag.
    pub stationary: bool,
}

impl NeighborEntry {
    /// Parses one `SHOW_NEIGHBOR` line (without or with its trailing newline).
    pub fn parse_line(line: &str) -> Result<NeighborEntry, FieldError> {
        let line = line.strip_suffix('\n').unwrap_or(line);
        let mut words = line.split(' ');
        let bssid = words
            .next()
            .and_then(|w| Mac::parse(w).ok())
            .ok_or(FieldError::Bad("bssid"))?;
        let mut ssid = None;
        let mut nr = None;
        let mut lci = None;
        let mut civic = None;
        let mut stationary = false;
        fn set(slot: &mut Option<Vec<u8>>, v: &str, name: &'static str) -> Result<(), FieldError> {
            if slot.is_some() {
                return Err(FieldError::Duplicate(name));
            }
            *slot = Some(hex::decode(v).map_err(|_| FieldError::Bad(name))?);
            Ok(())
        }
        for w in words {
            match w.split_once('=') {
                Some(("ssid", v)) => set(&mut ssid, v, "ssid")?,
                Some(("nr", v)) => set(&mut nr, v, "nr")?,
                Some(("lci", v)) => set(&mut lci, v, "lci")?,
                Some(("civic", v)) => set(&mut civic, v, "civic")?,
                None if w == "stat" => stationary = true,
                _ => return Err(FieldError::Bad("word")),
            }
        }
        Ok(NeighborEntry {
            bssid,
            ssid: ssid.ok_or(FieldError::Missing("ssid"))?,
            nr: nr.ok_or(FieldError::Missing("nr"))?,
            lci,
            civic,
            stationary,
        })
    }

    /// Parses a whole `SHOW_NEIGHBOR` reply (an empty reply is an empty list).
    pub fn parse_show(text: &str) -> Result<Vec<NeighborEntry>, FieldError> {
        let mut v = Vec::new();
        for l in text.lines() {
            if !l.is_empty() {
                v.push(NeighborEntry::parse_line(l)?);
            }
        }
        Ok(v)
    }

    /// Decodes `nr`.
    pub fn report(&self) -> Result<NeighborReport, ElementError> {
        NeighborReport::parse(&self.nr)
    }

    /// An entry without LCI/civic/stationary, as hostapd stores its own report.
    pub fn new(bssid: Mac, ssid: Vec<u8>, report: &NeighborReport) -> Result<Self, ElementError> {
        Ok(NeighborEntry {
            bssid,
            ssid,
            nr: report.to_bytes()?,
            lci: None,
            civic: None,
            stationary: false,
        })
    }
}

/// Formats the line exactly as hostapd's `hostapd_neighbor_show()` (without the newline).
impl fmt::Display for NeighborEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ssid={} nr={}",
            self.bssid,
            hex::Hex(&self.ssid),
            hex::Hex(&self.nr)
        )?;
        if let Some(l) = &self.lci {
            write!(f, " lci={}", hex::Hex(l))?;
        }
        if let Some(c) = &self.civic {
            write!(f, " civic={}", hex::Hex(c))?;
        }
        if self.stationary {
            f.write_str(" stat")?;
        }
        Ok(())
    }
}

/// Facts about this AP that hostapd uses for its own entry but STATUS does not print.
///
/// hostapd's rules (`hostapd_neighbor_set_own_report()`, `hostapd_own_capab_info()`):
/// * `wmm`: `wmm_enabled`; when not configured, hostapd enables it if `ieee80211n` or
///   `ieee80211ax` is configured (`hostapd_setup_bss()`), so a plain 11a/g AP has none;
/// * `uapsd`: `uapsd_advertisement_enabled` (hostapd default **0**; OpenWrt writes 1 unless
///   uci `uapsd` is 0) **and** the driver advertises AP U-APSD
///   (`NL80211_ATTR_SUPPORT_AP_UAPSD`), only counted together with `wmm`;
/// * `spectrum_mgmt`: the BSS is on 5/6 GHz (hw mode a) and `spectrum_mgmt_required=1`, or
///   `ieee80211h=1` (or driver DFS offload) and some 20 MHz channel of the operating width has
///   the radar flag (`hostapd_is_dfs_required()`).
///
/// For the lab fixtures (A.conf..F.conf: 11n configured, nothing else set) that is
/// `wmm = true, uapsd = false, spectrum_mgmt = false`, which reproduces every captured entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OwnFacts {
    /// Sets the QoS bit.
    pub wmm: bool,
    /// Sets the APSD bit (with `wmm` only).
    pub uapsd: bool,
    /// Sets the Spectrum Management bit.
    pub spectrum_mgmt: bool,
}

impl Default for OwnFacts {
    /// hostapd's defaults for an 11n/11ax AP on a non-DFS channel: WMM on, U-APSD off.
    fn default() -> Self {
        OwnFacts {
            wmm: true,
            uapsd: false,
            spectrum_mgmt: false,
        }
    }
}

/// The operating parameters hostapd feeds into its own-entry computation. Usually built with
/// [`OwnInput::from_status`]; adjust fields where STATUS is known to mislead (e.g. HE-only
/// 6 GHz, where STATUS prints `secondary_channel=0`: take it from nl80211 instead).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OwnInput {
    /// Own BSSID.
    pub bssid: Mac,
    /// Own SSID.
    pub ssid: Vec<u8>,
    /// Operating (primary) frequency, MHz.
    pub freq: u32,
    /// Primary channel (`channel=`).
    pub channel: u8,
    /// Secondary channel offset (-1, 0, +1).
    pub secondary_channel: i8,
    /// Effective width code (EHT, else HE, else VHT precedence).
    pub chwidth: ChanWidth,
    /// Effective centre segment 0 index.
    pub seg0: u8,
    /// Effective centre segment 1 index.
    pub seg1: u8,
    /// 802.11n enabled for this BSS.
    pub ht: bool,
    /// 802.11ac enabled for this BSS.
    pub vht: bool,
    /// 802.11ax enabled for this BSS.
    pub he: bool,
    /// 802.11be enabled for this BSS.
    pub eht: bool,
}

impl OwnInput {
    /// Takes the radio's parameters and the `bss`-th BSS (0 = first) from STATUS.
    pub fn from_status(status: &Status, bss: usize) -> Result<OwnInput, OwnEntryError> {
        let b = status.bss.get(bss).ok_or(OwnEntryError::NoBss(bss))?;
        Ok(OwnInput {
            bssid: b.bssid,
            ssid: b.ssid.clone(),
            freq: status.freq,
            channel: status.channel,
            secondary_channel: status.secondary_channel,
            chwidth: status.oper_chwidth(),
            seg0: status.oper_seg0(),
            seg1: status.oper_seg1(),
            ht: status.ieee80211n,
            vht: status.ieee80211ac,
            he: status.ieee80211ax,
            eht: status.ieee80211be,
        })
    }
}

/// `hostapd_get_nr_chan_width()`.
fn nr_width(ht: bool, vht: bool, he: bool, w: ChanWidth, sec: i8) -> NrChanWidth {
    if (!ht && !vht && !he) || sec == 0 {
        return NrChanWidth::MHZ_20;
    }
    if (!vht && !he) || w == ChanWidth::USE_HT {
        return NrChanWidth::MHZ_40;
    }
    match w {
        ChanWidth::MHZ_80 => NrChanWidth::MHZ_80,
        ChanWidth::MHZ_160 => NrChanWidth::MHZ_160,
        ChanWidth::MHZ_80P80 => NrChanWidth::MHZ_80P80,
        _ => NrChanWidth::MHZ_20,
    }
}

/// `ieee80211_phy_type_by_freq()`.
fn phy_by_freq(freq: u32, v: HostapdVersion) -> PhyType {
    match opclass::freq_to_channel(freq, 0, ChanWidth::USE_HT, v).map(|c| c.mode) {
        Some(HwMode::A) => PhyType::OFDM,
        Some(HwMode::B) => PhyType::HRDSSS,
        Some(HwMode::G) => PhyType::ERP,
        Some(HwMode::Ad) => PhyType::DMG,
        None => PhyType::UNSPECIFIED,
    }
}

/// Computes this AP's own Neighbor Report exactly as `hostapd_neighbor_set_own_report()` of
/// `version` does (PROTOCOL.md A.14), without asking hostapd (`SHOW_NEIGHBOR` is missing before
/// 2.10 and on many OpenWrt builds).
///
/// Fails where hostapd itself creates no entry (no operating class for the channel).
pub fn own_report(
    input: &OwnInput,
    facts: &OwnFacts,
    version: HostapdVersion,
) -> Result<NeighborReport, OwnEntryError> {
    use HostapdVersion::*;
    let (ht, vht, he) = (input.ht, input.vht, input.he);
    let eht = he && input.eht && matches!(version, V2_11 | Master);

    let mut info = BssidInfo(BssidInfo::REACHABLE | BssidInfo::SECURITY | BssidInfo::KEY_SCOPE);
    info.set(BssidInfo::SPECTRUM_MGMT, facts.spectrum_mgmt);
    info.set(BssidInfo::RM, true);
    if facts.wmm {
        info.set(BssidInfo::QOS, true);
        info.set(BssidInfo::APSD, facts.uapsd);
    }
    if ht {
        info.set(BssidInfo::HT, true);
        info.set(BssidInfo::DELAYED_BA, version != Master);
        info.set(BssidInfo::VHT, vht);
    }
    match version {
        V2_9 => {}
        V2_10 => info.set(BssidInfo::HE, ht && he),
        V2_11 | Master => {
            info.set(BssidInfo::HE, he);
            info.set(BssidInfo::EHT, eht);
        }
    }

    let mut sec = input.secondary_channel;
    if version == Master && input.seg0 == input.channel && input.chwidth == ChanWidth::USE_HT {
        sec = 0;
    }
    let oc = opclass::freq_to_channel(input.freq, sec, input.chwidth, version).ok_or(
        OwnEntryError::NoChannel {
            freq: input.freq,
            sec,
            width: input.chwidth.0,
        },
    )?;
    let width = nr_width(ht, vht, he, input.chwidth, sec);
    let ht_centre = || {
        let f = i64::from(input.freq) + 10 * i64::from(sec);
        u32::try_from(f)
            .ok()
            .and_then(|f| opclass::freq_to_chan(f, version))
            .unwrap_or(0)
    };
    let (seg0, seg1) = if version == Master {
        let seg1 = if width == NrChanWidth::MHZ_80P80 {
            input.seg1
        } else {
            0
        };
        if !vht && ht {
            (ht_centre(), seg1)
        } else {
            (input.seg0, seg1)
        }
    } else if vht {
        let seg1 = if width == NrChanWidth::MHZ_80P80 {
            input.seg1
        } else {
            0
        };
        (input.seg0, seg1)
    } else if ht {
        (ht_centre(), 0)
    } else {
        (0, 0)
    };
    let phy_type = if version == Master && he {
        PhyType::HE
    } else if vht {
        PhyType::VHT
    } else if ht {
        PhyType::HT
    } else {
        phy_by_freq(input.freq, version)
    };
    Ok(NeighborReport {
        bssid: input.bssid,
        info,
        op_class: oc.op_class,
        channel: oc.channel,
        phy_type,
        subelements: vec![NrSubelement::WideBandwidthChannel { width, seg0, seg1 }],
    })
}

/// [`own_report`] as the database entry hostapd stores (BSSID, SSID, nr; no LCI/civic).
pub fn own_entry(
    input: &OwnInput,
    facts: &OwnFacts,
    version: HostapdVersion,
) -> Result<NeighborEntry, OwnEntryError> {
    let r = own_report(input, facts, version)?;
    // An own report is 18 bytes: it always fits.
    let nr = r.to_bytes().unwrap_or_default();
    Ok(NeighborEntry {
        bssid: input.bssid,
        ssid: input.ssid.clone(),
        nr,
        lci: None,
        civic: None,
        stationary: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    #[test]
    fn parse_and_emit_with_subelements() {
        let body = [
            0x02, 0x00, 0x00, 0x00, 0x00, 0x00,   // BSSID
            0xef, 0x19, 0x00, 0x00,               // BSSID info 0x19ef
            0x80, 0x24, 0x09,                     // class 128, ch 36, VHT
            0x03, 0x01, 0xff,                     // candidate preference 255
            0x06, 0x03, 0x02, 0x2a, 0x00,         // wide bw 80, seg0 42
            0x01, 0x04, 0x10, 0x00, 0x64, 0x00,   // TSF offset 16, BI 100
            0x02, 0x02, b'U', b'S',               // country
            0x04, 0x0a, 1, 0, 0, 0, 0, 0, 0, 0, 0x05, 0x00, // termination 5 min
            0xdd, 0x02, 0xaa, 0xbb,               // vendor
        ];
        let r = NeighborReport::parse(&body).unwrap();
        assert_eq!(r.bssid, Mac([2, 0, 0, 0, 0, 0]));
        assert_eq!(r.info, BssidInfo(0x19ef));
        assert!(r.info.has(BssidInfo::VHT | BssidInfo::HT | BssidInfo::APSD));
        assert_eq!(r.info.reachability(), 3);
        assert_eq!(r.preference(), Some(255));
        assert_eq!(r.subelements[1], NrSubelement::WideBandwidthChannel {
            width: NrChanWidth::MHZ_80, seg0: 42, seg1: 0 });
        assert_eq!(r.subelements[2], NrSubelement::Tsf { offset: 16, beacon_interval: 100 });
        assert_eq!(r.subelements[3], NrSubelement::CondensedCountry(*b"US"));
        assert_eq!(r.subelements[4], NrSubelement::BssTerminationDuration { tsf: 1, minutes: 5 });
        let mut out = vec![0xa5; 2];
        r.emit(&mut out).unwrap();
        assert_eq!(&out[2..], &body[..]);
        let el = r.to_element().unwrap();
        assert_eq!(el[..2], [52, body.len() as u8]);
        assert_eq!(NeighborReport::parse_element(&el).unwrap(), r);
    }

    #[test]
    fn errors() {
        assert_eq!(
            NeighborReport::parse(&[0; 12]),
            Err(ElementError::Truncated {
                what: "neighbor report",
                need: 13,
                have: 12
            })
        );
        let mut b = vec![0u8; 13];
        b.extend_from_slice(&[3, 2, 1, 1]);
        assert_eq!(
            NeighborReport::parse(&b),
            Err(ElementError::SubelementLength { id: 3, len: 2 })
        );
        let mut b = vec![0u8; 13];
        b.extend_from_slice(&[6, 3, 1]);
        assert_eq!(
            NeighborReport::parse(&b),
            Err(ElementError::SubelementOverrun { id: 6, at: 13 })
        );
        assert_eq!(
            NeighborReport::parse_element(&[51, 0]),
            Err(ElementError::ElementId {
                expected: 52,
                found: 51
            })
        );
        assert!(NeighborReport::parse_element(&[52, 14, 0]).is_err());
        assert!(NeighborReport::parse_element(&[]).is_err());
    }

    #[test]
    fn preference_replaces() {
        let mut r = NeighborReport::parse(&[0u8; 13]).unwrap();
        r.set_preference(10);
        r.set_preference(200);
        assert_eq!(r.subelements, [NrSubelement::CandidatePreference(200)]);
    }

    #[test]
    fn show_line_round_trip_and_errors() {
        let l = "02:00:00:00:02:00 ssid=6c61626e6574 nr=020000000200ab1100007e9507 stat";
        let e = NeighborEntry::parse_line(l).unwrap();
        assert!(e.stationary);
        assert_eq!(e.to_string(), l);
        let l2 = "02:00:00:00:02:00 ssid=00ff nr=00 lci=0102 civic=03";
        assert_eq!(NeighborEntry::parse_line(l2).unwrap().to_string(), l2);
        assert_eq!(
            NeighborEntry::parse_line("02:00:00:00:02:00 nr=00"),
            Err(FieldError::Missing("ssid"))
        );
        assert_eq!(
            NeighborEntry::parse_line("02:00:00:00:02:00 ssid=0 nr=00"),
            Err(FieldError::Bad("ssid"))
        );
        assert_eq!(
            NeighborEntry::parse_line("02:00:00:00:02:00 ssid=00 nr=00 nr=00"),
            Err(FieldError::Duplicate("nr"))
        );
        assert_eq!(
            NeighborEntry::parse_line("x"),
            Err(FieldError::Bad("bssid"))
        );
        assert_eq!(NeighborEntry::parse_show("").unwrap(), vec![]);
    }
}
