//! The configuration file: OpenWrt UCI syntax, by default `/etc/config/roamer`.
//!
//! ```text
//! config roamer 'main'
//!     option ctrl_dir '/var/run/hostapd'
//!     list iface 'wlan0'
//!     option roam_signal_5g '-65'
//! config neighbor
//!     option bssid '02:00:00:00:01:00'
//!     option ssid 'labnet'
//!     option nr '020000000100af0900005106070603000600'
//! config client
//!     option mac '02:00:00:00:09:00'
//!     option steer '0'
//! ```
//!
//! [`Config::parse`] turns the text into a typed, validated [`Config`] or into a list of
//! [`Error`]s, each naming the file, the line and the key. Nothing is applied until the whole
//! file is valid, so `roamer run` exits 2 on a bad file without touching anything, and a bad
//! reload (SIGHUP) keeps the old configuration. Every option is documented in
//! `packaging/examples/roamer.uci` and in the tables below ([`MAIN_KEYS`], [`THRESHOLD_KEYS`]).

pub mod uci;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The default configuration file.
pub const DEFAULT_PATH: &str = "/etc/config/roamer";

/// A 6-byte MAC address / BSSID as written in the file (`aa:bb:cc:dd:ee:ff`).
pub type MacAddr = [u8; 6];

/// One configuration error: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file, as given.
    pub file: String,
    /// 1-based line, or 0 when the error concerns the whole file (e.g. it cannot be read).
    pub line: usize,
    /// The option (or section) the error is about, if any.
    pub key: Option<String>,
    /// What is wrong.
    pub msg: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if let Some(key) = &self.key {
            write!(f, ": {key}")?;
        }
        write!(f, ": {}", self.msg)
    }
}

/// Every error found in one file (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors(pub Vec<Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// Declares the steering thresholds once: the struct, its per-client override twin, the
/// defaults, the allowed ranges and the documentation table.
macro_rules! thresholds {
    ($( $(#[doc = $doc:literal])* $field:ident : $default:expr, $min:expr, $max:expr; )*) => {
        /// The steering thresholds (dBm, dB, seconds, milliseconds or counts as documented).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Thresholds {
            $( $(#[doc = $doc])* pub $field: i32, )*
        }

        impl Default for Thresholds {
            fn default() -> Self {
                Thresholds { $( $field: $default, )* }
            }
        }

        /// Per-client replacements for some thresholds (`config client` sections).
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct ThresholdOverrides {
            $( #[doc = concat!("Replaces [`Thresholds::", stringify!($field), "`] when set.")]
               pub $field: Option<i32>, )*
        }

        impl ThresholdOverrides {
            /// The thresholds `base` with these overrides applied.
            pub fn apply(&self, base: &Thresholds) -> Thresholds {
                Thresholds { $( $field: self.$field.unwrap_or(base.$field), )* }
            }

            /// `true` when no threshold is overridden.
            pub fn is_empty(&self) -> bool {
                true $( && self.$field.is_none() )*
            }

            fn slot(&mut self, key: &str) -> Option<&mut Option<i32>> {
                match key {
                    $( stringify!($field) => Some(&mut self.$field), )*
                    _ => None,
                }
            }
        }

        /// Every threshold option: name, default, minimum, maximum, documentation.
        pub const THRESHOLD_KEYS: &[KeyDoc] = &[
            $( KeyDoc {
                name: stringify!($field),
                default: stringify!($default),
                range: Some(($min, $max)),
                doc: concat!($($doc, " "),*),
            }, )*
        ];
    };
}

/// Documentation of one option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyDoc {
    /// Option name.
    pub name: &'static str,
    /// Default value as written in the file.
    pub default: &'static str,
    /// Allowed integer range, for numeric options.
    pub range: Option<(i32, i32)>,
    /// What the option does.
    pub doc: &'static str,
}

thresholds! {
    /// dBm. A client on 2.4 GHz whose signal is at or above this is asked to measure the same
    /// AP's 5 GHz BSS (band steering).
    band_steer_signal: -60, -100, 0;
    /// dBm. ...and moved there if the client measures that 5 GHz BSS at or above this.
    band_steer_target: -65, -100, 0;
    /// dBm. A client on 5 GHz at or below this is asked to measure the other APs.
    roam_signal_5g: -65, -100, 0;
    /// dBm. The same on 2.4 GHz.
    roam_signal_2g: -70, -100, 0;
    /// dBm. A roaming candidate must be measured at least this strong.
    roam_target: -62, -100, 0;
    /// dB. A roaming candidate must also beat the current BSS by at least this.
    roam_margin: 6, 0, 50;
    /// Seconds. A client is left alone for this long after it (re)connects.
    min_connected_s: 10, 0, 86400;
    /// Seconds. After a transition request (accepted or not) the client is left alone this long.
    cooldown_s: 60, 0, 86400;
    /// Milliseconds. How long to wait for a beacon report before counting it as missing.
    beacon_timeout_ms: 2000, 100, 60000;
    /// Seconds. Back-off after a client refuses or ignores a transition; doubles on each
    /// further refusal up to 16 times this.
    refuse_backoff_s: 300, 0, 86400;
    /// Count. Deauthenticate a client that never answers after this many failed measurements
    /// while it keeps sending no data (the original script's last resort); 0 disables it.
    deauth_after_failures: 0, 0, 1000;
}

/// Every option of the `config roamer` section other than the thresholds.
pub const MAIN_KEYS: &[KeyDoc] = &[
    KeyDoc {
        name: "ctrl_dir",
        default: "/var/run/hostapd",
        range: None,
        doc: "Directory of hostapd's per-BSS control sockets (hostapd's ctrl_interface).",
    },
    KeyDoc {
        name: "iface",
        default: "(every socket in ctrl_dir)",
        range: None,
        doc: "List: the hostapd BSS interfaces to manage, e.g. 'list iface wlan0'.",
    },
    KeyDoc {
        name: "run_dir",
        default: "/var/run/roamer",
        range: None,
        doc: "Directory where roamer creates its own sockets (hostapd clients, state socket). \
              Two instances need two run_dirs.",
    },
    KeyDoc {
        name: "poll_interval_ms",
        default: "1000",
        range: Some((100, 60000)),
        doc: "Milliseconds between nl80211 station dumps.",
    },
    KeyDoc {
        name: "request_timeout_ms",
        default: "1000",
        range: Some((50, 30000)),
        doc: "Milliseconds hostapd gets to answer one control request.",
    },
    KeyDoc {
        name: "event_silence_s",
        default: "30",
        range: Some((5, 3600)),
        doc: "Seconds without any event after which roamer checks that it is still \
              attached to hostapd's event stream (and re-attaches if not).",
    },
    KeyDoc {
        name: "neighbor_sync_s",
        default: "300",
        range: Some((10, 86400)),
        doc: "Seconds between re-checks of hostapd's neighbor tables (they are also \
              re-synced after every reconnect and channel switch).",
    },
    KeyDoc {
        name: "max_clients",
        default: "512",
        range: Some((1, 8192)),
        doc: "Most clients tracked per BSS (memory bound).",
    },
    KeyDoc {
        name: "dry_run",
        default: "0",
        range: None,
        doc: "1: decide and log, but send no transition request or deauthentication.",
    },
    KeyDoc {
        name: "log_level",
        default: "info",
        range: None,
        doc: "error, warn, info, debug or trace.",
    },
    KeyDoc {
        name: "syslog",
        default: "0",
        range: None,
        doc: "1: log to syslog (/dev/log); 0: log to stderr.",
    },
];

/// A remote access point's BSS (`config neighbor`), advertised in the local neighbor tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbor {
    /// The remote BSSID.
    pub bssid: MacAddr,
    /// The remote SSID (raw bytes).
    pub ssid: Vec<u8>,
    /// The Neighbor Report element body (`nr=`), as printed by `roamer own-nr` on that AP.
    pub nr: Vec<u8>,
}

impl Neighbor {
    /// Operating class from the report body.
    pub fn op_class(&self) -> u8 {
        self.nr.get(10).copied().unwrap_or(0)
    }
    /// Primary channel from the report body.
    pub fn channel(&self) -> u8 {
        self.nr.get(11).copied().unwrap_or(0)
    }
}

/// Per-client settings (`config client`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The client's MAC address.
    pub mac: MacAddr,
    /// `false`: roamer never touches this client (`option steer '0'`).
    pub steer: bool,
    /// Thresholds that differ for this client.
    pub overrides: ThresholdOverrides,
}

/// The whole validated configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from.
    pub file: PathBuf,
    /// hostapd's control directory.
    pub ctrl_dir: PathBuf,
    /// The BSS interfaces to manage; empty = every socket found in `ctrl_dir`.
    pub ifaces: Vec<String>,
    /// Where roamer creates its sockets.
    pub run_dir: PathBuf,
    /// Time between station dumps.
    pub poll_interval: Duration,
    /// Deadline of one hostapd request.
    pub request_timeout: Duration,
    /// Event silence after which the monitor attachment is checked.
    pub event_silence: Duration,
    /// Period of the neighbor-table re-check.
    pub neighbor_sync: Duration,
    /// Most clients tracked per BSS.
    pub max_clients: usize,
    /// Decide and log only.
    pub dry_run: bool,
    /// Most verbose level logged.
    pub log_level: log::LevelFilter,
    /// Log to syslog instead of stderr.
    pub syslog: bool,
    /// Default thresholds.
    pub thresholds: Thresholds,
    /// Remote neighbors.
    pub neighbors: Vec<Neighbor>,
    /// Client rules.
    pub clients: Vec<Client>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            file: PathBuf::from(DEFAULT_PATH),
            ctrl_dir: PathBuf::from("/var/run/hostapd"),
            ifaces: Vec::new(),
            run_dir: PathBuf::from("/var/run/roamer"),
            poll_interval: Duration::from_millis(1000),
            request_timeout: Duration::from_millis(1000),
            event_silence: Duration::from_secs(30),
            neighbor_sync: Duration::from_secs(300),
            max_clients: 512,
            dry_run: false,
            log_level: log::LevelFilter::Info,
            syslog: false,
            thresholds: Thresholds::default(),
            neighbors: Vec::new(),
            clients: Vec::new(),
        }
    }
}

/// Parses `aa:bb:cc:dd:ee:ff` (or with `-`), any case.
pub fn parse_mac(s: &str) -> Option<MacAddr> {
    let b = s.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut mac = [0u8; 6];
    for (i, byte) in mac.iter_mut().enumerate() {
        if i > 0 && !matches!(b[i * 3 - 1], b':' | b'-') {
            return None;
        }
        let hex = s.get(i * 3..i * 3 + 2)?;
        *byte = u8::from_str_radix(hex, 16).ok()?;
        if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
    }
    Some(mac)
}

/// Parses an even-length hex string (no separators).
pub fn parse_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 || !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok())
        .collect()
}

/// Formats a MAC as `aa:bb:cc:dd:ee:ff`.
pub fn fmt_mac(m: &MacAddr) -> String {
    format!(
        "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        m[0], m[1], m[2], m[3], m[4], m[5]
    )
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "yes" | "on" | "true" | "enabled" => Some(true),
        "0" | "no" | "off" | "false" | "disabled" => Some(false),
        _ => None,
    }
}

fn parse_level(s: &str) -> Option<log::LevelFilter> {
    Some(match s {
        "off" => log::LevelFilter::Off,
        "error" | "err" => log::LevelFilter::Error,
        "warn" | "warning" => log::LevelFilter::Warn,
        "info" | "notice" => log::LevelFilter::Info,
        "debug" => log::LevelFilter::Debug,
        "trace" => log::LevelFilter::Trace,
        _ => return None,
    })
}

/// A Linux interface name: 1..=15 bytes, no '/', no blanks.
fn valid_ifname(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 15
        && s != "."
        && s != ".."
        && s.bytes()
            .all(|c| c.is_ascii_graphic() && c != b'/' && c != b':')
}

fn parse_range(v: &str, min: i32, max: i32) -> Result<i32, String> {
    match v.trim().parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(n) => Err(format!("{n} is outside {min}..={max}")),
        Err(_) => Err(format!("expected an integer in {min}..={max}, got '{v}'")),
    }
}

struct Ctx<'a> {
    file: &'a str,
    errors: Vec<Error>,
}

impl Ctx<'_> {
    fn err(&mut self, line: usize, key: Option<&str>, msg: impl Into<String>) {
        self.errors.push(Error {
            file: self.file.to_string(),
            line,
            key: key.map(str::to_string),
            msg: msg.into(),
        });
    }
}

fn key_range(name: &str) -> (i32, i32) {
    MAIN_KEYS
        .iter()
        .chain(THRESHOLD_KEYS)
        .find(|k| k.name == name)
        .and_then(|k| k.range)
        .unwrap_or((i32::MIN, i32::MAX))
}

impl Config {
    /// Reads and validates `path`.
    pub fn load(path: &Path) -> Result<Config, Errors> {
        let label = path.display().to_string();
        let text = std::fs::read(path).map_err(|e| {
            Errors(vec![Error {
                file: label.clone(),
                line: 0,
                key: None,
                msg: format!("cannot read: {e}"),
            }])
        })?;
        let text = String::from_utf8(text).map_err(|_| {
            Errors(vec![Error {
                file: label.clone(),
                line: 0,
                key: None,
                msg: "not UTF-8 text".into(),
            }])
        })?;
        let mut cfg = Config::parse(&text, &label)?;
        cfg.file = path.to_path_buf();
        Ok(cfg)
    }

    /// Validates `text`; `file` is the name used in error messages.
    pub fn parse(text: &str, file: &str) -> Result<Config, Errors> {
        let sections = uci::parse(text).map_err(|e| {
            Errors(vec![Error {
                file: file.to_string(),
                line: e.line,
                key: None,
                msg: e.msg,
            }])
        })?;
        let mut cx = Ctx {
            file,
            errors: Vec::new(),
        };
        let mut cfg = Config {
            file: PathBuf::from(file),
            ..Config::default()
        };
        let mut main_seen: Option<usize> = None;
        for s in &sections {
            // Duplicate options (not lists) are errors: a typo'd copy would silently win.
            for (i, it) in s.items.iter().enumerate() {
                if !it.is_list {
                    if let Some(first) = s.items[..i]
                        .iter()
                        .find(|o| o.name == it.name && !o.is_list)
                    {
                        cx.err(
                            it.line,
                            Some(&it.name),
                            format!("duplicate option (first set on line {})", first.line),
                        );
                    }
                }
            }
            match s.kind.as_str() {
                "roamer" => {
                    if let Some(first) = main_seen {
                        cx.err(
                            s.line,
                            Some("roamer"),
                            format!(
                                "second 'config roamer' section (the first is on line {first})"
                            ),
                        );
                        continue;
                    }
                    main_seen = Some(s.line);
                    main_section(&mut cx, s, &mut cfg);
                }
                "neighbor" => {
                    if let Some(n) = neighbor_section(&mut cx, s) {
                        if cfg
                            .neighbors
                            .iter()
                            .any(|o| o.bssid == n.bssid && o.ssid == n.ssid)
                        {
                            cx.err(
                                s.line,
                                Some("bssid"),
                                format!(
                                    "neighbor {} / '{}' is listed twice",
                                    fmt_mac(&n.bssid),
                                    String::from_utf8_lossy(&n.ssid)
                                ),
                            );
                        } else {
                            cfg.neighbors.push(n);
                        }
                    }
                }
                "client" => {
                    if let Some(c) = client_section(&mut cx, s) {
                        if cfg.clients.iter().any(|o| o.mac == c.mac) {
                            cx.err(
                                s.line,
                                Some("mac"),
                                format!("client {} is listed twice", fmt_mac(&c.mac)),
                            );
                        } else {
                            cfg.clients.push(c);
                        }
                    }
                }
                other => cx.err(
                    s.line,
                    Some(other),
                    "unknown section type (expected roamer, neighbor or client)",
                ),
            }
        }
        if cx.errors.is_empty() {
            Ok(cfg)
        } else {
            cx.errors.sort_by_key(|e| e.line);
            Err(Errors(cx.errors))
        }
    }

    /// The rule for one client, if any.
    pub fn client(&self, mac: &MacAddr) -> Option<&Client> {
        self.clients.iter().find(|c| &c.mac == mac)
    }

    /// The thresholds that apply to one client.
    pub fn thresholds_for(&self, mac: &MacAddr) -> Thresholds {
        match self.client(mac) {
            Some(c) => c.overrides.apply(&self.thresholds),
            None => self.thresholds,
        }
    }

    /// `false` if the configuration excludes this client from steering.
    pub fn may_steer(&self, mac: &MacAddr) -> bool {
        self.client(mac).map_or(true, |c| c.steer)
    }
}

fn set_threshold(cx: &mut Ctx<'_>, it: &uci::Item, slot: &mut Option<i32>) {
    let (min, max) = key_range(&it.name);
    match parse_range(&it.value, min, max) {
        Ok(v) => *slot = Some(v),
        Err(m) => cx.err(it.line, Some(&it.name), m),
    }
}

fn not_a_list(cx: &mut Ctx<'_>, it: &uci::Item) -> bool {
    if it.is_list {
        cx.err(
            it.line,
            Some(&it.name),
            format!("is a single value: write 'option {} ...'", it.name),
        );
        return false;
    }
    true
}

fn main_section(cx: &mut Ctx<'_>, s: &uci::Section, cfg: &mut Config) {
    let mut th = ThresholdOverrides::default();
    for it in &s.items {
        let key = it.name.as_str();
        let v = it.value.as_str();
        if key == "iface" {
            // `list iface X` (UCI style) or `option iface 'X Y'` (space separated).
            for name in v.split_whitespace() {
                if !valid_ifname(name) {
                    cx.err(
                        it.line,
                        Some(key),
                        format!("'{name}' is not an interface name"),
                    );
                } else if cfg.ifaces.iter().any(|n| n == name) {
                    cx.err(it.line, Some(key), format!("'{name}' is listed twice"));
                } else {
                    cfg.ifaces.push(name.to_string());
                }
            }
            if v.trim().is_empty() {
                cx.err(it.line, Some(key), "empty interface name");
            }
            continue;
        }
        if !not_a_list(cx, it) {
            continue;
        }
        if let Some(slot) = th.slot(key) {
            set_threshold(cx, it, slot);
            continue;
        }
        let ms = |cx: &mut Ctx<'_>, slot: &mut Duration, scale: u64| {
            let (min, max) = key_range(key);
            match parse_range(v, min, max) {
                Ok(n) => *slot = Duration::from_millis(n as u64 * scale),
                Err(m) => cx.err(it.line, Some(key), m),
            }
        };
        match key {
            "ctrl_dir" | "run_dir" => {
                let p = Path::new(v);
                if !p.is_absolute() {
                    cx.err(it.line, Some(key), format!("'{v}' is not an absolute path"));
                } else if v.len() > 80 {
                    // Socket paths below it must fit sun_path (108 bytes).
                    cx.err(
                        it.line,
                        Some(key),
                        "path longer than 80 bytes (sockets below it would not fit)",
                    );
                } else if key == "ctrl_dir" {
                    cfg.ctrl_dir = p.to_path_buf();
                } else {
                    cfg.run_dir = p.to_path_buf();
                }
            }
            "poll_interval_ms" => ms(cx, &mut cfg.poll_interval, 1),
            "request_timeout_ms" => ms(cx, &mut cfg.request_timeout, 1),
            "event_silence_s" => ms(cx, &mut cfg.event_silence, 1000),
            "neighbor_sync_s" => ms(cx, &mut cfg.neighbor_sync, 1000),
            "max_clients" => {
                let (min, max) = key_range(key);
                match parse_range(v, min, max) {
                    Ok(n) => cfg.max_clients = n as usize,
                    Err(m) => cx.err(it.line, Some(key), m),
                }
            }
            "dry_run" | "syslog" => match parse_bool(v) {
                Some(b) if key == "dry_run" => cfg.dry_run = b,
                Some(b) => cfg.syslog = b,
                None => cx.err(it.line, Some(key), format!("expected 0 or 1, got '{v}'")),
            },
            "log_level" => match parse_level(v) {
                Some(l) => cfg.log_level = l,
                None => cx.err(
                    it.line,
                    Some(key),
                    format!("expected error, warn, info, debug or trace, got '{v}'"),
                ),
            },
            _ => cx.err(it.line, Some(key), "unknown option in 'config roamer'"),
        }
    }
    cfg.thresholds = th.apply(&cfg.thresholds);
}

fn neighbor_section(cx: &mut Ctx<'_>, s: &uci::Section) -> Option<Neighbor> {
    let before = cx.errors.len();
    let (mut bssid, mut ssid, mut nr) = (None, None, None);
    for it in &s.items {
        if !not_a_list(cx, it) {
            continue;
        }
        let v = it.value.as_str();
        match it.name.as_str() {
            "bssid" => match parse_mac(v) {
                Some(m) => bssid = Some((m, it.line)),
                None => cx.err(it.line, Some("bssid"), format!("'{v}' is not a MAC address (aa:bb:cc:dd:ee:ff)")),
            },
            "ssid" => {
                if v.is_empty() || v.len() > 32 {
                    cx.err(it.line, Some("ssid"), "an SSID has 1 to 32 bytes");
                } else {
                    ssid = Some(v.as_bytes().to_vec());
                }
            }
            "nr" => match parse_hex(v) {
                Some(b) if (13..=255).contains(&b.len()) => nr = Some((b, it.line)),
                Some(b) => cx.err(it.line, Some("nr"), format!("a neighbor report body has 13 to 255 bytes, this has {}", b.len())),
                None => cx.err(it.line, Some("nr"), "expected the hex printed by 'roamer own-nr' (even length, 0-9a-f, no separators)"),
            },
            other => cx.err(it.line, Some(other), "unknown option in 'config neighbor' (expected bssid, ssid, nr)"),
        }
    }
    for (have, key) in [
        (bssid.is_some(), "bssid"),
        (ssid.is_some(), "ssid"),
        (nr.is_some(), "nr"),
    ] {
        if !have && cx.errors.len() == before {
            cx.err(
                s.line,
                Some(key),
                "missing in this 'config neighbor' section",
            );
        }
    }
    let ((bssid, _), ssid, (nr, nr_line)) = (bssid?, ssid?, nr?);
    if nr.get(..6) != Some(&bssid[..]) {
        cx.err(
            nr_line,
            Some("nr"),
            format!(
                "the report is about {}, not bssid {}",
                nr.get(..6)
                    .and_then(|b| <[u8; 6]>::try_from(b).ok())
                    .map(|m| fmt_mac(&m))
                    .unwrap_or_default(),
                fmt_mac(&bssid)
            ),
        );
        return None;
    }
    (cx.errors.len() == before).then_some(Neighbor { bssid, ssid, nr })
}

fn client_section(cx: &mut Ctx<'_>, s: &uci::Section) -> Option<Client> {
    let before = cx.errors.len();
    let mut mac = None;
    let mut steer = true;
    let mut overrides = ThresholdOverrides::default();
    for it in &s.items {
        if !not_a_list(cx, it) {
            continue;
        }
        let v = it.value.as_str();
        match it.name.as_str() {
            "mac" => match parse_mac(v) {
                Some(m) => mac = Some(m),
                None => cx.err(
                    it.line,
                    Some("mac"),
                    format!("'{v}' is not a MAC address (aa:bb:cc:dd:ee:ff)"),
                ),
            },
            "steer" => match parse_bool(v) {
                Some(b) => steer = b,
                None => cx.err(
                    it.line,
                    Some("steer"),
                    format!("expected 0 or 1, got '{v}'"),
                ),
            },
            key => match overrides.slot(key) {
                Some(slot) => set_threshold(cx, it, slot),
                None => cx.err(
                    it.line,
                    Some(key),
                    "unknown option in 'config client' (expected mac, steer or a threshold)",
                ),
            },
        }
    }
    if mac.is_none() && cx.errors.len() == before {
        cx.err(
            s.line,
            Some("mac"),
            "missing in this 'config client' section",
        );
    }
    let mac = mac?;
    (cx.errors.len() == before).then_some(Client {
        mac,
        steer,
        overrides,
    })
}

/// `roamer check-config FILE`: validates only. Prints a summary and returns 0, or prints every
/// error (file:line: key: what) and returns 2.
pub fn check_config_cmd(path: &Path) -> i32 {
    match Config::load(path) {
        Ok(c) => {
            let ifaces = if c.ifaces.is_empty() {
                format!("every hostapd socket in {}", c.ctrl_dir.display())
            } else {
                c.ifaces.join(" ")
            };
            println!(
                "{}: OK: radios: {}; {} remote neighbor(s); {} client rule(s){}",
                path.display(),
                ifaces,
                c.neighbors.len(),
                c.clients.len(),
                if c.dry_run { "; dry run" } else { "" }
            );
            0
        }
        Err(errors) => {
            eprintln!("{errors}");
            2
        }
    }
}

#[cfg(test)]
mod tests;
