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
//! `packaging/examples/roamer.uci` and in the tables below ([`MAIN_KEYS`], [`POLICY_KEYS`]).

pub mod uci;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::policy;

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

/// A numeric or boolean field of [`policy::Config`], settable from the file.
trait Field {
    fn get(&self) -> i64;
    fn set(&mut self, v: i64);
}

macro_rules! int_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn get(&self) -> i64 { i64::from(*self) }
            // Callers check the key's range first, which lies inside the type's range.
            fn set(&mut self, v: i64) { *self = <$t>::try_from(v).unwrap_or(*self) }
        }
    )*};
}
int_field!(i8, u8, u16, u32);

impl Field for bool {
    fn get(&self) -> i64 {
        i64::from(*self)
    }
    fn set(&mut self, v: i64) {
        *self = v != 0
    }
}

/// One policy option: its name, range (0..=1 for flags), documentation and accessors.
#[derive(Clone, Copy)]
pub struct PolicyKey {
    /// Option name (= the [`policy::Config`] field).
    pub name: &'static str,
    /// Smallest accepted value.
    pub min: i64,
    /// Largest accepted value.
    pub max: i64,
    /// `true` for on/off options (written 0 or 1).
    pub flag: bool,
    /// What it does.
    pub doc: &'static str,
    get: fn(&policy::Config) -> i64,
    set: fn(&mut policy::Config, i64),
}

impl PolicyKey {
    /// The default value, as it would be written in the file.
    pub fn default_value(&self) -> i64 {
        (self.get)(&policy::Config::default())
    }
    /// The value in `cfg`.
    pub fn value(&self, cfg: &policy::Config) -> i64 {
        (self.get)(cfg)
    }
}

impl fmt::Debug for PolicyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PolicyKey({})", self.name)
    }
}

macro_rules! policy_keys {
    ($( $field:ident : $min:literal ..= $max:literal $(, $flag:ident)? ; $doc:literal )*) => {
        /// Every option of `config roamer` that sets a [`policy::Config`] field.
        pub const POLICY_KEYS: &[PolicyKey] = &[$(
            PolicyKey {
                name: stringify!($field),
                min: $min,
                max: $max,
                flag: policy_keys!(@flag $($flag)?),
                doc: $doc,
                get: |c| Field::get(&c.$field),
                set: |c, v| Field::set(&mut c.$field, v),
            },
        )*];
    };
    (@flag flag) => { true };
    (@flag) => { false };
}

policy_keys! {
    band_steer_signal: -100..=0;
        "dBm. On 2.4 GHz at or above this, try the same AP's 5 GHz BSS (band steering)."
    band_steer_target: -100..=0;
        "dBm. ...if the client measures that 5 GHz BSS at or above this."
    roam_signal_5g: -100..=0;
        "dBm. On 5/6 GHz at or below this, look for another AP."
    roam_signal_2g: -100..=0;
        "dBm. The same on 2.4 GHz."
    roam_target: -100..=0;
        "dBm. A roaming candidate must be measured at least this strong."
    roam_margin: 0..=50;
        "dB. ...and beat the current BSS by at least this (hysteresis)."
    band_steering: 0..=1, flag;
        "1: band steering (2.4 -> 5 GHz on the same AP) is on."
    roaming: 0..=1, flag;
        "1: roaming to other APs is on."
    band_preference_db: 0..=30;
        "dB. Ranking bonus for 5/6 GHz candidates when several qualify (never lets one pass a threshold it fails)."
    min_connected_s: 0..=86400;
        "Seconds. A client connected for less than this is left alone."
    cooldown_s: 0..=86400;
        "Seconds. After a client arrives, or after a steering attempt ends, it is left alone this long."
    stale_after_s: 1..=3600;
        "Seconds. A signal older than this, or from a client inactive for longer, triggers nothing."
    measure_interval_s: 0..=86400;
        "Seconds. Minimum time between two measurements of the same client."
    pingpong_hold_s: 0..=86400;
        "Seconds. After moving a client between bands, the opposite move is not made for this long."
    measure_timeout_ms: 100..=60000;
        "Milliseconds to wait for the first beacon report of a request."
    quiet_ms: 0..=10000;
        "Milliseconds to wait for further reports of the same request after one arrives."
    measure_duration_tu: 1..=1000;
        "Measurement duration put in beacon requests, in TU (1.024 ms)."
    max_candidates: 1..=16;
        "Most candidates measured per attempt (best known first)."
    measure_current: 0..=1, flag;
        "1: also ask the client to measure its current BSS, to compare like with like."
    silent_after: 1..=100;
        "Measurements in a row with no usable report before a client counts as one that never answers."
    steer_without_reports: 0..=1, flag;
        "1: clients that never answer beacon requests are steered on the AP-side signal alone; 0: not at all."
    disassoc_imminent: 0..=1, flag;
        "1: set Disassociation Imminent in transition requests."
    disassoc_timer: 0..=65535;
        "Beacon intervals; non-zero makes hostapd drop the client itself when it runs out (and forget its PMKSA). 0 = off."
    valid_int: 1..=255;
        "Validity of the candidate list, in beacon intervals."
    abridged: 0..=1, flag;
        "1: set the Abridged bit (BSSs not listed are less preferred)."
    btm_timeout_ms: 100..=60000;
        "Milliseconds to wait for the client's BSS-TM-RESP."
    leave_timeout_ms: 100..=60000;
        "Milliseconds an accepting client gets to leave before the attempt counts as failed."
    backoff_base_s: 0..=86400;
        "Seconds of back-off after a failed attempt (reject, timeout, no move); doubles per failure in a row."
    backoff_max_s: 0..=604800;
        "Seconds: the back-off cap."
    refuse_after: 1..=255;
        "Rejections in a row after which a client counts as refusing and gets no more requests."
    deauth_fallback: 0..=1, flag;
        "1: deauthenticate as a last resort a client that refuses or never answers while a trigger holds and it is idle (the original script's behaviour). 0 = never."
    deauth_after: 1..=255;
        "Failures in a row before the deauthentication fallback is considered."
    deauth_idle_s: 0..=3600;
        "Seconds of inactivity the deauthentication fallback requires."
    deauth_reason: 1..=65535;
        "Reason code sent with the deauthentication."
    dry_run_measure: 0..=1, flag;
        "1: in dry-run mode still send beacon requests (they move nothing)."
    steer_all: 0..=1, flag;
        "1: steer every client not excluded; 0: only clients with `option steer '1'`."
    forget_after_s: 0..=604800;
        "Seconds after which a departed client's memory (refusals, holds) is dropped."
    max_clients: 1..=65536;
        "Most clients tracked (bounds memory); new clients beyond it are ignored until others leave."
    max_reports: 1..=64;
        "Beacon reports kept per measurement."
    action_queue: 16..=65536;
        "Capacity of the policy's action queue."
}

/// The per-client thresholds (`config client` may set these, and `steer`).
pub const CLIENT_KEYS: &[&str] = &[
    "band_steer_signal",
    "band_steer_target",
    "roam_signal_5g",
    "roam_signal_2g",
    "roam_target",
    "roam_margin",
];

fn client_slot<'a>(o: &'a mut policy::ClientOverride, key: &str) -> Option<ClientSlot<'a>> {
    Some(match key {
        "band_steer_signal" => ClientSlot::I8(&mut o.band_steer_signal),
        "band_steer_target" => ClientSlot::I8(&mut o.band_steer_target),
        "roam_signal_5g" => ClientSlot::I8(&mut o.roam_signal_5g),
        "roam_signal_2g" => ClientSlot::I8(&mut o.roam_signal_2g),
        "roam_target" => ClientSlot::I8(&mut o.roam_target),
        "roam_margin" => ClientSlot::U8(&mut o.roam_margin),
        _ => return None,
    })
}

enum ClientSlot<'a> {
    I8(&'a mut Option<i8>),
    U8(&'a mut Option<u8>),
}

/// Every option of the `config roamer` section that is not a policy option.
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

/// A remote access point's BSS (`config neighbor`), advertised in the local neighbor tables
/// and offered to clients as a roaming candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbor {
    /// The remote BSSID.
    pub bssid: MacAddr,
    /// The remote SSID (raw bytes).
    pub ssid: Vec<u8>,
    /// The Neighbor Report element body (`nr=`), as printed by `roamer own-nr` on that AP
    /// (validated: at least 13 bytes, starting with `bssid`).
    pub nr: Vec<u8>,
}

impl Neighbor {
    /// The entry in the policy's terms.
    pub fn entry(&self) -> policy::NeighborEntry {
        // The fixed part (13 bytes; zeros past the end of a shorter body).
        let mut b = [0u8; 13];
        for (d, s) in b.iter_mut().zip(&self.nr) {
            *d = *s;
        }
        let [_, _, _, _, _, _, i0, i1, i2, i3, op_class, channel, phy] = b;
        policy::NeighborEntry {
            bssid: policy::Mac(self.bssid),
            ssid: self.ssid.clone(),
            bssid_info: u32::from_le_bytes([i0, i1, i2, i3]),
            op_class,
            channel,
            phy,
            subelements: self.nr.get(13..).unwrap_or_default().to_vec(),
        }
    }
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
    /// Most verbose level logged.
    pub log_level: log::LevelFilter,
    /// Log to syslog instead of stderr.
    pub syslog: bool,
    /// The steering policy's settings: thresholds, timers, `dry_run`, and the `config client`
    /// sections (`policy.clients`).
    pub policy: policy::Config,
    /// Remote neighbors.
    pub neighbors: Vec<Neighbor>,
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
            log_level: log::LevelFilter::Info,
            syslog: false,
            policy: policy::Config::default(),
            neighbors: Vec::new(),
        }
    }
}

fn parse_mac(s: &str) -> Option<MacAddr> {
    ctrl_proto::Mac::parse(s).ok().map(|m| m.0)
}

/// Formats a MAC as `aa:bb:cc:dd:ee:ff`.
pub fn fmt_mac(m: &MacAddr) -> String {
    policy::Mac(*m).to_string()
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

fn parse_range(v: &str, min: i64, max: i64) -> Result<i64, String> {
    match v.trim().parse::<i64>() {
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
    /// Records an error, kept in line order (after the errors of the same line recorded
    /// before it: what a stable sort by line gives, without a sort instance in the binary).
    fn err(&mut self, line: usize, key: Option<&str>, msg: impl Into<String>) {
        self.err_text(line, key, msg.into());
    }

    /// [`Ctx::err`] once for every message type.
    fn err_text(&mut self, line: usize, key: Option<&str>, msg: String) {
        let at = self.errors.partition_point(|e| e.line <= line);
        self.errors.insert(
            at,
            Error {
                file: self.file.to_string(),
                line,
                key: key.map(str::to_string),
                msg,
            },
        );
    }

    /// Parses an integer option within its range, or records why not.
    fn int(&mut self, it: &uci::Item, min: i64, max: i64) -> Option<i64> {
        parse_range(&it.value, min, max)
            .map_err(|m| self.err(it.line, Some(&it.name), m))
            .ok()
    }

    /// Parses a 0/1 option, or records why not.
    fn flag(&mut self, it: &uci::Item) -> Option<bool> {
        let b = parse_bool(&it.value);
        if b.is_none() {
            self.err(
                it.line,
                Some(&it.name),
                format!("expected 0 or 1, got '{}'", it.value),
            );
        }
        b
    }

    fn not_a_list(&mut self, it: &uci::Item) -> bool {
        if it.is_list {
            self.err(
                it.line,
                Some(&it.name),
                format!("is a single value: write 'option {} ...'", it.name),
            );
            return false;
        }
        true
    }
}

fn main_range(name: &str) -> (i64, i64) {
    MAIN_KEYS
        .iter()
        .find(|k| k.name == name)
        .and_then(|k| k.range)
        .map_or((i64::MIN, i64::MAX), |(a, b)| (i64::from(a), i64::from(b)))
}

impl Config {
    /// Reads and validates `path`.
    pub fn load(path: &Path) -> Result<Config, Errors> {
        let label = path.display().to_string();
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string()),
            Err(e) => Err(format!("cannot read: {e}")),
        };
        let text = text.map_err(|msg| {
            Errors(vec![Error {
                file: label.clone(),
                line: 0,
                key: None,
                msg,
            }])
        })?;
        let mut cfg = Config::parse(&text, &label)?;
        cfg.file = path.to_path_buf();
        Ok(cfg)
    }

    /// Validates `text`; `file` is the name used in error messages.
    // The Config is built in place and then given its file: a struct update (`..default()`)
    // moves the whole struct (about 200 bytes of code more in the router build).
    #[allow(clippy::field_reassign_with_default)]
    pub fn parse(text: &str, file: &str) -> Result<Config, Errors> {
        let mut cx = Ctx {
            file,
            errors: Vec::new(),
        };
        let sections = match uci::parse(text) {
            Ok(s) => s,
            Err(e) => {
                cx.err_text(e.line, None, e.msg);
                return Err(Errors(cx.errors));
            }
        };
        let mut cfg = Config::default();
        cfg.file = PathBuf::from(file);
        let mut main_seen: Option<usize> = None;
        let mut client_lines: Vec<(MacAddr, usize)> = Vec::new();
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
                                    policy::Mac(n.bssid),
                                    String::from_utf8_lossy(&n.ssid)
                                ),
                            );
                        } else {
                            cfg.neighbors.push(n);
                        }
                    }
                }
                "client" => {
                    if let Some((mac, o)) = client_section(&mut cx, s) {
                        if let Some((_, first)) = client_lines.iter().find(|(m, _)| *m == mac) {
                            cx.err(
                                s.line,
                                Some("mac"),
                                format!(
                                    "client {} is listed twice (first on line {first})",
                                    policy::Mac(mac)
                                ),
                            );
                        } else {
                            client_lines.push((mac, s.line));
                            cfg.policy.clients.insert(policy::Mac(mac), o);
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
            Err(Errors(cx.errors))
        }
    }

    /// `false` if the configuration excludes this client from steering (`steer '0'`): the
    /// policy's own rule, [`policy::Config::may_steer`]. (The daemon hands `policy` over to
    /// its `Policy` and asks that one.)
    pub fn may_steer(&self, mac: &MacAddr) -> bool {
        self.policy.may_steer(&policy::Mac(*mac))
    }

    /// The remote neighbors in the policy's terms.
    pub fn neighbor_entries(&self) -> Vec<policy::NeighborEntry> {
        let mut out = Vec::new();
        for n in &self.neighbors {
            out.push(n.entry());
        }
        out
    }
}

fn main_section(cx: &mut Ctx<'_>, s: &uci::Section, cfg: &mut Config) {
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
        if !cx.not_a_list(it) {
            continue;
        }
        if let Some(pk) = POLICY_KEYS.iter().find(|k| k.name == key) {
            let v = if pk.flag {
                cx.flag(it).map(i64::from)
            } else {
                cx.int(it, pk.min, pk.max)
            };
            if let Some(v) = v {
                (pk.set)(&mut cfg.policy, v);
            }
            continue;
        }
        // The durations: the field and its unit in milliseconds.
        let duration = match key {
            "poll_interval_ms" => Some((&mut cfg.poll_interval, 1)),
            "request_timeout_ms" => Some((&mut cfg.request_timeout, 1)),
            "event_silence_s" => Some((&mut cfg.event_silence, 1000)),
            "neighbor_sync_s" => Some((&mut cfg.neighbor_sync, 1000)),
            _ => None,
        };
        if let Some((slot, scale)) = duration {
            let (min, max) = main_range(key);
            if let Some(n) = cx.int(it, min, max) {
                *slot = Duration::from_millis(n.unsigned_abs() * scale);
            }
            continue;
        }
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
            "dry_run" | "syslog" => {
                let slot = if key == "syslog" {
                    &mut cfg.syslog
                } else {
                    &mut cfg.policy.dry_run
                };
                if let Some(b) = cx.flag(it) {
                    *slot = b;
                }
            }
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
}

fn neighbor_section(cx: &mut Ctx<'_>, s: &uci::Section) -> Option<Neighbor> {
    let before = cx.errors.len();
    let (mut bssid, mut ssid, mut nr) = (None, None, None);
    for it in &s.items {
        if !cx.not_a_list(it) {
            continue;
        }
        let v = it.value.as_str();
        match it.name.as_str() {
            "bssid" => match parse_mac(v) {
                Some(m) => bssid = Some(m),
                None => cx.err(it.line, Some("bssid"), format!("'{v}' is not a MAC address (aa:bb:cc:dd:ee:ff)")),
            },
            "ssid" => {
                if v.is_empty() || v.len() > 32 {
                    cx.err(it.line, Some("ssid"), "an SSID has 1 to 32 bytes");
                } else {
                    ssid = Some(v.as_bytes().to_vec());
                }
            }
            "nr" => match ctrl_proto::hex::decode(v).ok() {
                Some(b) if (13..=255).contains(&b.len()) => nr = Some((b, it.line)),
                Some(b) => cx.err(it.line, Some("nr"), format!("a neighbor report body has 13 to 255 bytes, this has {}", b.len())),
                None => cx.err(it.line, Some("nr"), "expected the hex printed by 'roamer own-nr' (even length, 0-9a-f, no separators)"),
            },
            other => cx.err(it.line, Some(other), "unknown option in 'config neighbor' (expected bssid, ssid, nr)"),
        }
    }
    // the first missing key, when nothing else is wrong
    let missing = if bssid.is_none() {
        "bssid"
    } else if ssid.is_none() {
        "ssid"
    } else {
        "nr"
    };
    if (bssid.is_none() || ssid.is_none() || nr.is_none()) && cx.errors.len() == before {
        cx.err(
            s.line,
            Some(missing),
            "missing in this 'config neighbor' section",
        );
    }
    let (bssid, ssid, (nr, nr_line)) = (bssid?, ssid?, nr?);
    if nr.get(..6) != Some(&bssid[..]) {
        // (nr has 13 bytes or more here)
        let about: MacAddr = nr
            .get(..6)
            .and_then(|b| b.try_into().ok())
            .unwrap_or_default();
        cx.err(
            nr_line,
            Some("nr"),
            format!(
                "the report is about {}, not bssid {}",
                policy::Mac(about),
                policy::Mac(bssid)
            ),
        );
        return None;
    }
    (cx.errors.len() == before).then_some(Neighbor { bssid, ssid, nr })
}

fn client_section(cx: &mut Ctx<'_>, s: &uci::Section) -> Option<(MacAddr, policy::ClientOverride)> {
    let before = cx.errors.len();
    let mut mac = None;
    let mut o = policy::ClientOverride::default();
    for it in &s.items {
        if !cx.not_a_list(it) {
            continue;
        }
        let v = it.value.as_str();
        let key = it.name.as_str();
        if key == "mac" {
            match parse_mac(v) {
                Some(m) => mac = Some(m),
                None => cx.err(
                    it.line,
                    Some("mac"),
                    format!("'{v}' is not a MAC address (aa:bb:cc:dd:ee:ff)"),
                ),
            }
            continue;
        }
        if key == "steer" {
            if let Some(b) = cx.flag(it) {
                o.steer = if b {
                    policy::SteerMode::Always
                } else {
                    policy::SteerMode::Never
                };
            }
            continue;
        }
        let Some(pk) = POLICY_KEYS.iter().find(|k| k.name == key) else {
            cx.err(
                it.line,
                Some(key),
                "unknown option in 'config client' (expected mac, steer or a threshold)",
            );
            continue;
        };
        let Some(n) = cx.int(it, pk.min, pk.max) else {
            continue;
        };
        match client_slot(&mut o, key) {
            Some(ClientSlot::I8(slot)) => *slot = i8::try_from(n).ok(),
            Some(ClientSlot::U8(slot)) => *slot = u8::try_from(n).ok(),
            None => cx.err(
                it.line,
                Some(key),
                format!(
                    "cannot be set per client (only steer, {})",
                    CLIENT_KEYS.join(", ")
                ),
            ),
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
    (cx.errors.len() == before).then_some((mac, o))
}

/// `roamer check-config FILE`: validates only. Prints a summary and returns 0, or prints every
/// error (file:line: key: what) and returns 2.
/// Writes `args` plus a newline to stdout (`to_stderr`: stderr) for the command-line paths,
/// ignoring write errors: `println!` panics when the reader went away (`roamer check-config
/// FILE | head -0`: EPIPE, as Rust ignores SIGPIPE), and nobody is left to read an error then.
pub(crate) fn say(to_stderr: bool, args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = if to_stderr {
        writeln!(std::io::stderr().lock(), "{args}")
    } else {
        writeln!(std::io::stdout().lock(), "{args}")
    };
}

pub fn check_config_cmd(path: &Path) -> i32 {
    match Config::load(path) {
        Ok(c) => {
            let ifaces = if c.ifaces.is_empty() {
                format!("every hostapd socket in {}", c.ctrl_dir.display())
            } else {
                c.ifaces.join(" ")
            };
            say(
                false,
                format_args!(
                    "{}: OK: radios: {}; {} remote neighbor(s); {} client rule(s){}",
                    path.display(),
                    ifaces,
                    c.neighbors.len(),
                    c.policy.clients.len(),
                    if c.policy.dry_run { "; dry run" } else { "" }
                ),
            );
            0
        }
        Err(errors) => {
            say(true, format_args!("{errors}"));
            2
        }
    }
}

#[cfg(test)]
mod tests;
