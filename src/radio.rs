//! One local BSS: what roamer knows of it from hostapd's STATUS and nl80211 (band, primary
//! channel, width, centre segments, global operating class, standards) and its own neighbor
//! report entry, computed the way hostapd computes its own (`hostapd_neighbor_set_own_report()`,
//! PROTOCOL.md A.14) without `SHOW_NEIGHBOR`.
//!
//! This is pure glue over ctrl-proto's parsed [`Status`] and own-entry builder and nl80211's
//! [`Interface`] / [`WiphyFacts`]; no I/O except [`find_hostapd_conf`] (reads files).
//!
//! ```no_run
//! # fn demo(status: &ctrl_proto::status::Status, iface: &nl80211::Interface,
//! #         wiphy: &nl80211::WiphyFacts) -> Result<(), roamer::radio::RadioError> {
//! use roamer::radio::{LocalBss, find_hostapd_conf, parse_version};
//! let version = parse_version("2.10"); // hostapd's `GET version` reply
//! let conf = find_hostapd_conf("wlan0");
//! let bss = LocalBss::new("wlan0", status, version, Some(iface), Some(wiphy), conf.as_ref())?;
//! println!("{} ch {} op class {:?}", bss.band, bss.channel, bss.op_class);
//! let entry = bss.own_entry()?; // Display = one SHOW_NEIGHBOR line
//! println!("{entry}");
//! # Ok(()) }
//! ```
//!
//! hostapd's own entry depends on three settings STATUS does not print: `wmm_enabled`,
//! `uapsd_advertisement_enabled` and `spectrum_mgmt_required` (plus `ieee80211h` for DFS).
//! [`HostapdConf`] reads them from hostapd's configuration file and [`find_hostapd_conf`]
//! finds that file for an interface; [`own_facts`] combines them with nl80211 (AP U-APSD
//! support, DFS channels) into ctrl-proto's [`OwnFacts`].

use ctrl_proto::error::OwnEntryError;
use ctrl_proto::neighbor::{self, NeighborEntry, NeighborReport, OwnFacts, OwnInput};
use ctrl_proto::opclass::{self, ChanWidth};
use ctrl_proto::status::Status;
use ctrl_proto::{HostapdVersion, Mac};
use nl80211::{Interface, WiphyFacts};
use std::fmt;
use std::path::{Path, PathBuf};

/// The per-BSS settings of a hostapd configuration file that the own neighbor entry needs
/// and STATUS does not show. `None` means "not set in the file" (hostapd's default applies).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostapdConf {
    /// The file the settings were read from (empty when built by hand).
    pub path: PathBuf,
    /// `wmm_enabled=` (alias `wme_enabled=`) of this BSS; hostapd's default is
    /// "on if 802.11n or 802.11ax is configured".
    pub wmm_enabled: Option<bool>,
    /// `uapsd_advertisement_enabled=` of this BSS; hostapd's default is off.
    pub uapsd_advertisement: Option<bool>,
    /// `spectrum_mgmt_required=` of the radio; default off.
    pub spectrum_mgmt_required: Option<bool>,
    /// `ieee80211h=` of the radio (DFS handling); default off.
    pub ieee80211h: Option<bool>,
    /// `lci=` of the radio (hex; empty = none): hostapd adds it to its own entry.
    pub lci: Option<Vec<u8>>,
    /// `civic=` of the radio (hex; empty = none): hostapd adds it to its own entry.
    pub civic: Option<Vec<u8>>,
    /// `stationary_ap=` of the radio: hostapd marks its own entry `stat`.
    pub stationary_ap: Option<bool>,
    /// `rrm_neighbor_report=` of this BSS: without it hostapd keeps no own entry.
    pub rrm_neighbor_report: Option<bool>,
    /// `ieee80211n=` of the radio as configured. hostapd's WMM default follows the
    /// configured value even where STATUS shows 802.11n off for the BSS (TKIP-only or WEP
    /// BSSs get `disable_11n`).
    pub ieee80211n: Option<bool>,
    /// `ieee80211ax=` of the radio as configured (WMM default, as above).
    pub ieee80211ax: Option<bool>,
}

/// hostapd reads integers with `atoi()`: leading blanks, optional sign, digits; else 0.
fn atoi(s: &str) -> i64 {
    let s = s.trim_start();
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        v = v.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    if neg {
        -v
    } else {
        v
    }
}

impl HostapdConf {
    /// Parses the text of a hostapd configuration file and returns the settings of the BSS
    /// named `ifname` (`interface=` for the first BSS, or a `bss=` section), or `None` if no
    /// BSS of the file has that name. `iface_override` is the name hostapd's `-i` option gave
    /// the file's first BSS, if any. Radio-wide settings are those before the first `bss=`.
    pub fn parse(text: &str, ifname: &str, iface_override: Option<&str>) -> Option<HostapdConf> {
        // The on/off settings read with atoi() != 0: the first three are per BSS, the others
        // radio-wide (read before the first `bss=` only).
        const FLAGS: [(&str, usize); 9] = [
            ("wmm_enabled", 0),
            ("wme_enabled", 0),
            ("uapsd_advertisement_enabled", 1),
            ("rrm_neighbor_report", 2),
            ("stationary_ap", 3),
            ("ieee80211n", 4),
            ("ieee80211ax", 5),
            ("spectrum_mgmt_required", 6),
            ("ieee80211h", 7),
        ];
        let mut flags: [Option<bool>; 8] = [None; 8];
        let mut radio = HostapdConf::default();
        // The name of the BSS being read.
        let mut current: Option<String> = iface_override.map(str::to_string);
        let mut first_bss_named = iface_override.is_some();
        // The per-BSS flags of `ifname`'s BSS once it ended.
        let mut found: Option<[Option<bool>; 3]> = None;
        let mut in_first = true;
        for line in text.lines() {
            let line = line.trim_start();
            if line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            // hostapd keeps the value verbatim up to the end of the line.
            let value = value.trim_end_matches(['\r', '\n']);
            match key {
                "interface" if in_first && !first_bss_named => {
                    current = Some(value.trim().to_string());
                    first_bss_named = true;
                }
                "bss" => {
                    if found.is_none() && current.as_deref() == Some(ifname) {
                        found = Some([flags[0], flags[1], flags[2]]);
                    }
                    in_first = false;
                    current = Some(value.trim().to_string());
                    flags[..3].fill(None);
                }
                "lci" | "civic" if in_first => {
                    let v = ctrl_proto::hex::decode(value.trim())
                        .ok()
                        .filter(|v| !v.is_empty());
                    if key == "lci" {
                        radio.lci = v;
                    } else {
                        radio.civic = v;
                    }
                }
                _ => {
                    if let Some(&(_, i)) = FLAGS.iter().find(|f| f.0 == key) {
                        if i < 3 || in_first {
                            if let Some(slot) = flags.get_mut(i) {
                                *slot = Some(atoi(value) != 0);
                            }
                        }
                    }
                }
            }
        }
        if found.is_none() && current.as_deref() == Some(ifname) {
            found = Some([flags[0], flags[1], flags[2]]);
        }
        let [wmm_enabled, uapsd_advertisement, rrm_neighbor_report] = found?;
        let [_, _, _, stationary_ap, ieee80211n, ieee80211ax, spectrum_mgmt_required, ieee80211h] =
            flags;
        Some(HostapdConf {
            wmm_enabled,
            uapsd_advertisement,
            rrm_neighbor_report,
            stationary_ap,
            ieee80211n,
            ieee80211ax,
            spectrum_mgmt_required,
            ieee80211h,
            ..radio
        })
    }

    /// Reads `path` and returns the settings of `ifname` (see [`HostapdConf::parse`]).
    pub fn read(path: &Path, ifname: &str, iface_override: Option<&str>) -> Option<HostapdConf> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut conf = HostapdConf::parse(&text, ifname, iface_override)?;
        conf.path = path.to_path_buf();
        Some(conf)
    }
}

/// The configuration files a hostapd command line names, each with the interface name its
/// `-i` option gives it (`hostapd [-i if1,if2] [-b phy:file] file...`).
pub fn hostapd_cmdline_confs(argv: &[String]) -> Vec<(PathBuf, Option<String>)> {
    let mut out = Vec::new();
    for (file, iface) in cmdline_confs(argv) {
        out.push((PathBuf::from(file), iface.map(str::to_string)));
    }
    out
}

/// [`hostapd_cmdline_confs`] borrowing from `argv` (what [`find_hostapd_conf`] uses: no
/// copies of the names).
fn cmdline_confs(argv: &[String]) -> Vec<(&str, Option<&str>)> {
    const WITH_VALUE: &[u8] = b"befiPugG";
    // The plain files first (out[..files]), then the `-b` ones, in command-line order.
    let mut out: Vec<(&str, Option<&str>)> = Vec::new();
    let mut files = 0;
    let mut ifaces: Option<&str> = None;
    let mut it = argv.iter().skip(1);
    while let Some(arg) = it.next() {
        let Some(opts) = arg.strip_prefix('-').filter(|o| !o.is_empty()) else {
            out.insert(files, (arg, None));
            files += 1;
            continue;
        };
        for (i, c) in opts.bytes().enumerate() {
            if WITH_VALUE.contains(&c) {
                let value = match opts.get(i + 1..) {
                    Some(rest) if !rest.is_empty() => rest,
                    _ => it.next().map_or("", String::as_str),
                };
                if c == b'i' {
                    ifaces = Some(value);
                } else if let (b'b', Some((_, file))) = (c, value.split_once(':')) {
                    out.push((file, None));
                }
                break;
            }
        }
    }
    if let Some(v) = ifaces {
        for (e, name) in out.iter_mut().take(files).zip(v.split(',')) {
            e.1 = Some(name);
        }
    }
    out
}

/// Finds the hostapd configuration of interface `ifname`: the files named on the command
/// lines of running `hostapd` (or OpenWrt `wpad`) processes (from `/proc`), then OpenWrt's
/// generated `/var/run/hostapd-*.conf`. `None` if none of them configures `ifname`.
/// Reads files only (no sockets); cheap enough to call whenever a BSS is (re)described.
pub fn find_hostapd_conf(ifname: &str) -> Option<HostapdConf> {
    // Each candidate is read as soon as it is found, in the order above: the first that
    // configures `ifname` wins.
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir {
            let Ok(entry) = entry else { continue };
            let name = entry.file_name();
            let Some(pid) = name
                .to_str()
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
            else {
                continue;
            };
            let proc = Path::new("/proc").join(pid);
            let Ok(raw) = std::fs::read(proc.join("cmdline")) else {
                continue;
            };
            let mut argv: Vec<String> = Vec::new();
            for a in raw.split(|&b| b == 0) {
                if !a.is_empty() {
                    argv.push(String::from_utf8_lossy(a).into_owned());
                }
            }
            let is_hostapd = argv
                .first()
                .and_then(|a0| Path::new(a0).file_name())
                // OpenWrt's wpad is a multi-call binary (argv[0] may be "wpad").
                .is_some_and(|n| n == "hostapd" || n == "wpad");
            if !is_hostapd {
                continue;
            }
            let cwd = std::fs::read_link(proc.join("cwd")).ok();
            for (file, iface) in cmdline_confs(&argv) {
                let file = Path::new(file);
                let joined;
                let file = match &cwd {
                    Some(cwd) if file.is_relative() => {
                        joined = cwd.join(file);
                        &joined
                    }
                    _ => file,
                };
                if let Some(conf) = HostapdConf::read(file, ifname, iface) {
                    return Some(conf);
                }
            }
        }
    }
    for dir in ["/var/run", "/run"] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut names: Vec<String> = Vec::new();
        for e in entries {
            if let Some(n) = e.ok().and_then(|e| e.file_name().into_string().ok()) {
                if n.starts_with("hostapd") && n.ends_with(".conf") {
                    names.push(n);
                }
            }
        }
        // The paths share the directory: sorting the names sorts them (and reuses the
        // `String` sort the binary has anyway instead of a `PathBuf` one).
        names.sort();
        for n in names {
            if let Some(conf) = HostapdConf::read(&Path::new(dir).join(n), ifname, None) {
                return Some(conf);
            }
        }
    }
    None
}

/// A frequency band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Band {
    /// 2.4 GHz (2412-2484 MHz).
    G2,
    /// 4.9/5 GHz (4900-5925 MHz, 5935 excluded).
    G5,
    /// 6 GHz (5935, 5955-7115 MHz).
    G6,
    /// 60 GHz.
    G60,
    /// Anything else.
    Other,
}

impl Band {
    /// The band of a frequency in MHz.
    pub fn of_freq(freq: u32) -> Band {
        match freq {
            2400..=2500 => Band::G2,
            5935 => Band::G6,
            4900..=5930 => Band::G5,
            5931..=7125 => Band::G6,
            56000..=71000 => Band::G60,
            _ => Band::Other,
        }
    }

    /// Short stable name for JSON (`2.4 GHz`, `5 GHz`, `6 GHz`, `60 GHz`, `unknown`).
    pub fn name(self) -> &'static str {
        match self {
            Band::G2 => "2.4 GHz",
            Band::G5 => "5 GHz",
            Band::G6 => "6 GHz",
            Band::G60 => "60 GHz",
            Band::Other => "unknown",
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a local BSS could not be described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RadioError {
    /// STATUS lists no BSS with this interface name (e.g. asked the wrong socket).
    NoSuchBss(String),
    /// hostapd is not operating (state is not ENABLED): no channel to describe.
    NotEnabled(String),
    /// hostapd itself builds no own entry for these parameters.
    OwnEntry(OwnEntryError),
}

impl fmt::Display for RadioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RadioError::NoSuchBss(n) => write!(f, "hostapd's STATUS lists no BSS named {n}"),
            RadioError::NotEnabled(s) => write!(f, "hostapd is not operating (state={s})"),
            RadioError::OwnEntry(e) => write!(f, "no own neighbor entry: {e}"),
        }
    }
}

impl std::error::Error for RadioError {}

impl From<OwnEntryError> for RadioError {
    fn from(e: OwnEntryError) -> RadioError {
        RadioError::OwnEntry(e)
    }
}

/// Where the [`OwnFacts`] of a [`LocalBss`] came from (shown by `roamer status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactsSource {
    /// Read from this hostapd configuration file (plus nl80211).
    Conf(PathBuf),
    /// hostapd's defaults (no configuration file found) plus nl80211.
    Defaults,
}

/// hostapd's version from its `GET version` reply (`2.10`, `2.11-devel`, `2.12-hostap_...`):
/// the own-entry rules differ between releases (PROTOCOL.md D). Unknown text, or a version
/// after 2.11, is treated as current upstream ([`HostapdVersion::Master`]); 2.9 and older as
/// [`HostapdVersion::V2_9`].
pub fn parse_version(text: &str) -> HostapdVersion {
    let t = text.trim();
    let t = t.strip_prefix('v').unwrap_or(t);
    let mut parts = t.split(|c: char| !c.is_ascii_digit());
    let major: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    let minor: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    match (major, minor) {
        (0, _) => HostapdVersion::Master,
        (1, _) | (2, 0..=9) => HostapdVersion::V2_9,
        (2, 10) => HostapdVersion::V2_10,
        (2, 11) => HostapdVersion::V2_11,
        _ => HostapdVersion::Master,
    }
}

/// Guesses hostapd's version from which keys a STATUS reply has, for hostapds that do not
/// answer `GET version`: `hw_mode` is printed from 2.11 on; `he_oper_chwidth` (with 11ax)
/// from 2.10 on.
pub fn version_from_status(status_text: &str) -> HostapdVersion {
    let has = |k: &str| status_text.lines().any(|l| l.starts_with(k));
    if has("hw_mode=") {
        HostapdVersion::V2_11
    } else if has("he_oper_chwidth=") || has("edmg_enable=") {
        HostapdVersion::V2_10
    } else {
        HostapdVersion::V2_9
    }
}

/// The channel span a BSS occupies: (lowest, highest) 20 MHz primary frequencies, per segment.
fn spans(freq: u32, sec: i8, width_mhz: u32, seg0: u8, seg1: u8) -> Vec<(u32, u32)> {
    let centre = |idx: u8| -> u32 {
        match Band::of_freq(freq) {
            Band::G2 => 2407 + 5 * u32::from(idx),
            Band::G6 => 5950 + 5 * u32::from(idx),
            _ => 5000 + 5 * u32::from(idx),
        }
    };
    let around = |c: u32, w: u32| (c.saturating_sub(w / 2 - 10), c + (w / 2 - 10));
    match width_mhz {
        40 => {
            let c = if sec >= 0 { freq + 10 } else { freq - 10 };
            vec![around(c, 40)]
        }
        80 | 160 | 320 if seg0 != 0 => {
            let mut v = vec![around(centre(seg0), width_mhz)];
            if seg1 != 0 && width_mhz == 80 {
                v.push(around(centre(seg1), 80));
            }
            v
        }
        _ => vec![(freq, freq)],
    }
}

/// Combines the hostapd settings, STATUS and nl80211 into the facts hostapd's own entry
/// uses (`hostapd_neighbor_set_own_report()` / `hostapd_own_capab_info()`):
/// - QoS: `wmm_enabled`, default "802.11n or 802.11ax configured" (the configured values,
///   else STATUS's);
/// - APSD: QoS and `uapsd_advertisement_enabled` (default off) and the driver's AP U-APSD
///   support (nl80211; assumed absent without wiphy facts);
/// - Spectrum Management: a 5/6 GHz BSS and (`spectrum_mgmt_required` or, with `ieee80211h`
///   (assumed on when unknown, since a DFS channel cannot be used without it), any channel
///   of the operating width flagged for radar detection by nl80211).
pub fn own_facts(
    status: &Status,
    input: &OwnInput,
    wiphy: Option<&WiphyFacts>,
    conf: Option<&HostapdConf>,
) -> OwnFacts {
    let configured_n = conf.and_then(|c| c.ieee80211n).unwrap_or(status.ieee80211n);
    let configured_ax = conf
        .and_then(|c| c.ieee80211ax)
        .unwrap_or(status.ieee80211ax);
    let wmm = conf
        .and_then(|c| c.wmm_enabled)
        .unwrap_or(configured_n || configured_ax);
    let uapsd = wmm
        && conf.and_then(|c| c.uapsd_advertisement).unwrap_or(false)
        && wiphy.is_some_and(|w| w.ap_uapsd);
    let band = Band::of_freq(input.freq);
    let mode_a = matches!(band, Band::G5 | Band::G6);
    let required = conf.and_then(|c| c.spectrum_mgmt_required).unwrap_or(false);
    let dfs_on = conf.and_then(|c| c.ieee80211h).unwrap_or(true);
    let width = width_mhz(input.chwidth, input.secondary_channel, input.ht);
    let dfs = dfs_on
        && wiphy.is_some_and(|w| {
            spans(
                input.freq,
                input.secondary_channel,
                width,
                input.seg0,
                input.seg1,
            )
            .iter()
            .any(|&(lo, hi)| {
                w.bands.iter().any(|b| {
                    b.freqs
                        .iter()
                        .any(|f| f.radar && f.mhz >= lo && f.mhz <= hi)
                })
            })
        });
    OwnFacts {
        wmm,
        uapsd,
        spectrum_mgmt: mode_a && (required || dfs),
    }
}

/// The operating width in MHz from hostapd's width code and secondary channel offset.
pub fn width_mhz(chwidth: ChanWidth, sec: i8, ht: bool) -> u32 {
    match chwidth {
        ChanWidth::USE_HT if ht && sec != 0 => 40,
        ChanWidth::USE_HT => 20,
        ChanWidth::MHZ_80 | ChanWidth::MHZ_80P80 => 80,
        ChanWidth::MHZ_160 => 160,
        ChanWidth::MHZ_40_6GHZ => 40,
        ChanWidth::MHZ_320 => 320,
        ChanWidth::MHZ_2160 => 2160,
        ChanWidth::MHZ_4320 => 4320,
        ChanWidth::MHZ_6480 => 6480,
        ChanWidth::MHZ_8640 => 8640,
        _ => 20,
    }
}

/// Everything roamer knows about one local BSS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalBss {
    /// The BSS's interface name (`bss[i]` of STATUS).
    pub ifname: String,
    /// Its BSSID.
    pub bssid: Mac,
    /// Its SSID (raw bytes).
    pub ssid: Vec<u8>,
    /// hostapd's `state=` (ENABLED when operating).
    pub state: String,
    /// Band of the primary channel.
    pub band: Band,
    /// Primary channel frequency, MHz.
    pub freq: u32,
    /// Primary channel number.
    pub channel: u8,
    /// Operating width in MHz (20, 40, 80, 160, 320; 80 also for 80+80).
    pub width_mhz: u32,
    /// 80+80 MHz.
    pub is_80p80: bool,
    /// Secondary channel offset (-1, 0, +1) as used for the operating class.
    pub secondary_channel: i8,
    /// Centre segment 0 channel index (0 when unknown / 20 MHz).
    pub seg0: u8,
    /// Centre segment 1 channel index (80+80 only).
    pub seg1: u8,
    /// Global operating class of the operating width (what the own entry carries); `None`
    /// where hostapd has none.
    pub op_class: Option<u8>,
    /// Global 20 MHz operating class of the primary channel: what a beacon request names
    /// to measure this BSS.
    pub op_class_20: Option<u8>,
    /// 802.11n / ac / ax / be enabled for this BSS (STATUS).
    pub standards: [bool; 4],
    /// hostapd's version (own-entry rules differ).
    pub version: HostapdVersion,
    /// The input of the own-entry computation.
    pub own_input: OwnInput,
    /// The facts STATUS lacks, as determined.
    pub facts: OwnFacts,
    /// Where [`LocalBss::facts`] came from.
    pub facts_source: FactsSource,
    /// LCI, civic location and stationary flag hostapd adds to its own entry (from its
    /// configuration; none without one).
    pub location: (Option<Vec<u8>>, Option<Vec<u8>>, bool),
}

impl LocalBss {
    /// Describes BSS `ifname` from its radio's STATUS, hostapd's version and (optionally)
    /// nl80211's facts of the interface and its wiphy and hostapd's configuration.
    ///
    /// nl80211 corrects what STATUS gets wrong: the secondary channel offset of HE-only
    /// (6 GHz) BSSs, which STATUS prints as 0 (taken from CENTER_FREQ1 vs the primary).
    pub fn new(
        ifname: &str,
        status: &Status,
        version: HostapdVersion,
        iface: Option<&Interface>,
        wiphy: Option<&WiphyFacts>,
        conf: Option<&HostapdConf>,
    ) -> Result<LocalBss, RadioError> {
        let (idx, bss) = status
            .bss_by_ifname(ifname)
            .ok_or_else(|| RadioError::NoSuchBss(ifname.to_string()))?;
        let mut input = OwnInput::from_status(status, idx)?;
        if !status.ieee80211n && input.secondary_channel == 0 {
            if let Some(i) = iface {
                let wide = i.channel_width().and_then(|w| w.mhz()).unwrap_or(20) > 20;
                if let (true, Some(f), Some(c1)) = (wide, i.frequency_mhz, i.center_freq1) {
                    if f == input.freq && c1 != f {
                        input.secondary_channel = if c1 > f { 1 } else { -1 };
                    }
                }
            }
        }
        let facts = own_facts(status, &input, wiphy, conf);
        let width = width_mhz(input.chwidth, input.secondary_channel, input.ht);
        let seg0 = if input.seg0 != 0 {
            input.seg0
        } else if width == 40 {
            let c = i64::from(input.freq) + 10 * i64::from(input.secondary_channel);
            u32::try_from(c)
                .ok()
                .and_then(|c| opclass::freq_to_chan(c, version))
                .unwrap_or(0)
        } else {
            input.channel
        };
        let op =
            opclass::freq_to_channel(input.freq, input.secondary_channel, input.chwidth, version);
        let op20 = opclass::twenty_mhz_class(input.freq, version);
        let (facts_source, location) = match conf {
            Some(c) => (
                FactsSource::Conf(c.path.clone()),
                (
                    c.lci.clone(),
                    c.civic.clone(),
                    c.stationary_ap.unwrap_or(false),
                ),
            ),
            None => (FactsSource::Defaults, (None, None, false)),
        };
        Ok(LocalBss {
            ifname: ifname.to_string(),
            bssid: bss.bssid,
            ssid: bss.ssid.clone(),
            state: status.state.clone(),
            band: Band::of_freq(input.freq),
            freq: input.freq,
            channel: input.channel,
            width_mhz: width,
            is_80p80: input.chwidth == ChanWidth::MHZ_80P80,
            secondary_channel: input.secondary_channel,
            seg0,
            seg1: input.seg1,
            op_class: op.map(|o| o.op_class),
            op_class_20: op20.map(|o| o.op_class),
            standards: [
                status.ieee80211n,
                status.ieee80211ac,
                status.ieee80211ax,
                status.ieee80211be,
            ],
            version,
            own_input: input,
            facts,
            facts_source,
            location,
        })
    }

    /// This BSS's own Neighbor Report, as hostapd builds it.
    pub fn own_report(&self) -> Result<NeighborReport, RadioError> {
        Ok(neighbor::own_report(
            &self.own_input,
            &self.facts,
            self.version,
        )?)
    }

    /// This BSS's own neighbor database entry; its `Display` is exactly hostapd's
    /// `SHOW_NEIGHBOR` line (`<bssid> ssid=<hex> nr=<hex>`).
    pub fn own_entry(&self) -> Result<NeighborEntry, RadioError> {
        let mut e = neighbor::own_entry(&self.own_input, &self.facts, self.version)?;
        e.lci = self.location.0.clone();
        e.civic = self.location.1.clone();
        e.stationary = self.location.2;
        Ok(e)
    }

    /// The enabled standards as text: `802.11n/ac/ax` style (`legacy` when none).
    pub fn standards_text(&self) -> String {
        let mut text = String::new();
        for (name, on) in ["n", "ac", "ax", "be"].into_iter().zip(self.standards) {
            if on {
                text.push_str(if text.is_empty() { "802.11" } else { "/" });
                text.push_str(name);
            }
        }
        if text.is_empty() {
            text.push_str("legacy");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_per_bss_and_radio_settings() {
        let text = "\
interface=wlan0
# wmm_enabled=0
ieee80211h=1
spectrum_mgmt_required=1
uapsd_advertisement_enabled=1
bss=wlan0-1
wmm_enabled=0
bss=wlan0-2
wme_enabled= 1x
";
        let first = HostapdConf::parse(text, "wlan0", None).unwrap();
        assert_eq!(first.wmm_enabled, None);
        assert_eq!(first.uapsd_advertisement, Some(true));
        assert_eq!(first.spectrum_mgmt_required, Some(true));
        assert_eq!(first.ieee80211h, Some(true));
        let second = HostapdConf::parse(text, "wlan0-1", None).unwrap();
        assert_eq!(second.wmm_enabled, Some(false));
        assert_eq!(second.uapsd_advertisement, None);
        assert_eq!(second.spectrum_mgmt_required, Some(true));
        let third = HostapdConf::parse(text, "wlan0-2", None).unwrap();
        assert_eq!(third.wmm_enabled, Some(true));
        assert!(HostapdConf::parse(text, "wlan1", None).is_none());
        // `-i` renames the first BSS.
        assert!(HostapdConf::parse(text, "wlan0", Some("wlanX")).is_none());
        assert!(HostapdConf::parse(text, "wlanX", Some("wlanX")).is_some());
    }

    #[test]
    fn reads_lab_fixture_config() {
        let text = include_str!("../tests/fixtures/hostapd-2.10-hwsim/F.conf");
        let conf = HostapdConf::parse(text, "wlan4", None).unwrap();
        assert_eq!(conf.wmm_enabled, None);
        assert_eq!(conf.uapsd_advertisement, None);
        assert_eq!(conf.spectrum_mgmt_required, None);
    }

    #[test]
    fn finds_files_on_hostapd_command_lines() {
        let argv: Vec<String> = [
            "/usr/sbin/hostapd",
            "-B",
            "-P",
            "/run/h.pid",
            "-dd",
            "a.conf",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            hostapd_cmdline_confs(&argv),
            vec![(PathBuf::from("a.conf"), None)]
        );
        let argv: Vec<String> = [
            "hostapd",
            "-iwlan7,wlan8",
            "-b",
            "phy0:/x/b.conf",
            "/c.conf",
            "d",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            hostapd_cmdline_confs(&argv),
            vec![
                (PathBuf::from("/c.conf"), Some("wlan7".into())),
                (PathBuf::from("d"), Some("wlan8".into())),
                (PathBuf::from("/x/b.conf"), None),
            ]
        );
        assert_eq!(atoi(" -12ab"), -12);
        assert_eq!(atoi("x"), 0);
    }
}
