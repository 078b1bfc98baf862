//! Helpers shared by the commands: argument checks, the control directory, opening hostapd
//! and nl80211 with errors that say what to do.

use super::CliError;
use ctrl_proto::Mac;
use std::path::Path;

/// hostapd's usual control directory (hostapd_cli's default, OpenWrt's setting).
pub const DEFAULT_CTRL_DIR: &str = "/var/run/hostapd";

/// Checks an interface-name argument: 1-15 bytes, no `/`, no blanks, not `.`/`..`
/// (what Linux accepts as a netdev name). Anything else is bad input (exit 2).
pub fn iface_arg<'a>(cmd: &str, name: &'a str) -> Result<&'a str, CliError> {
    let ok = !name.is_empty()
        && name.len() <= 15
        && name != "."
        && name != ".."
        && !name
            .bytes()
            .any(|b| b == b'/' || b == b':' || b.is_ascii_whitespace() || b.is_ascii_control());
    if ok {
        Ok(name)
    } else {
        Err(CliError::usage(
            cmd,
            format_args!("'{name}' is not a valid interface name"),
        ))
    }
}

/// Parses a MAC address argument (`aa:bb:cc:dd:ee:ff`); bad input is exit 2.
pub fn mac_arg(cmd: &str, what: &str, text: &str) -> Result<Mac, CliError> {
    Mac::parse(text.trim()).map_err(|e| CliError::usage(cmd, format_args!("{what} '{text}': {e}")))
}

/// A MAC address in hostapd's form.
pub fn mac_text(m: [u8; 6]) -> String {
    Mac(m).to_string()
}

/// The control directory from `--ctrl-dir` (default [`DEFAULT_CTRL_DIR`]).
pub fn ctrl_dir(value: Option<&str>) -> &Path {
    Path::new(value.unwrap_or(DEFAULT_CTRL_DIR))
}

/// The interface index of netdev `name` (from sysfs), or exit 1 if there is none.
pub fn ifindex(name: &str) -> Result<u32, CliError> {
    let path = Path::new("/sys/class/net").join(name).join("ifindex");
    match std::fs::read_to_string(&path) {
        Ok(t) => t.trim().parse().map_err(|_| {
            CliError::failed(
                name,
                format_args!("unreadable ifindex in {}", path.display()),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(CliError::failed(name, "no such network interface"))
        }
        Err(e) => Err(CliError::failed(
            name,
            format_args!("{}: {e}", path.display()),
        )),
    }
}

/// An nl80211 failure as one reason (no netdev, not wireless, no cfg80211, permission).
pub fn nl_error(iface: &str, e: nl80211::Error) -> CliError {
    use nl80211::Error as E;
    let why = match &e {
        E::NoSuchInterface(_) => "no such network interface",
        E::NoFamily => "nl80211 is not available (cfg80211 not loaded?)",
        E::Kernel(k) if k.errno == 19 || k.errno == 95 => "not a wireless (nl80211) interface",
        E::Kernel(k) if k.errno == 1 || k.errno == 13 => {
            "permission denied by the kernel (run as root)"
        }
        E::NotFound => "not a wireless (nl80211) interface",
        E::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            "permission denied opening nl80211 (run as root)"
        }
        other => return CliError::failed(iface, format_args!("nl80211: {other}")),
    };
    CliError::failed(iface, why)
}

/// Opens nl80211 (blocking, with the library's per-call deadline).
pub fn nl_connect(iface: &str) -> Result<nl80211::Nl80211, CliError> {
    nl80211::Nl80211::connect().map_err(|e| nl_error(iface, e))
}

/// The station dump of `iface` (exit 1 if there is no such wireless interface).
pub fn station_dump(iface: &str) -> Result<Vec<nl80211::Station>, CliError> {
    let ifindex = ifindex(iface)?;
    let mut nl = nl_connect(iface)?;
    // GET_INTERFACE first: a clear "not a wireless interface" instead of an empty dump.
    nl.interface(ifindex).map_err(|e| nl_error(iface, e))?;
    nl.stations(ifindex).map_err(|e| nl_error(iface, e))
}

/// nl80211's facts of `iface` and its wiphy; `None` when unavailable (callers that can do
/// without them, e.g. STATUS decoding, degrade instead of failing).
pub fn nl_facts(iface: &str) -> (Option<nl80211::Interface>, Option<nl80211::WiphyFacts>) {
    let Ok(ifindex) = ifindex(iface) else {
        return (None, None);
    };
    let Ok(mut nl) = nl80211::Nl80211::connect() else {
        return (None, None);
    };
    let Ok(i) = nl.interface(ifindex) else {
        return (None, None);
    };
    let w = nl.wiphy(i.wiphy).ok();
    (Some(i), w)
}
