//! One local BSS: what roamer knows of it from hostapd's STATUS and nl80211, and its own
//! neighbor report entry (work in progress: the STATUS glue lands with ctrl-proto's API).
//!
//! hostapd's own entry depends on three settings STATUS does not print (PROTOCOL.md A.14):
//! `wmm_enabled`, `uapsd_advertisement_enabled` and `spectrum_mgmt_required` (plus
//! `ieee80211h` for DFS). [`HostapdConf`] reads them from hostapd's configuration file and
//! [`find_hostapd_conf`] finds that file for an interface.

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
        let mut radio = HostapdConf::default();
        // Settings of the BSS being read: (name, wmm, uapsd).
        let mut current: Option<String> = iface_override.map(str::to_string);
        let mut first_bss_named = iface_override.is_some();
        let (mut wmm, mut uapsd) = (None, None);
        let mut found: Option<(Option<bool>, Option<bool>)> = None;
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
                        found = Some((wmm, uapsd));
                    }
                    in_first = false;
                    current = Some(value.trim().to_string());
                    wmm = None;
                    uapsd = None;
                }
                "wmm_enabled" | "wme_enabled" => wmm = Some(atoi(value) != 0),
                "uapsd_advertisement_enabled" => uapsd = Some(atoi(value) != 0),
                "spectrum_mgmt_required" => radio.spectrum_mgmt_required = Some(atoi(value) != 0),
                "ieee80211h" => radio.ieee80211h = Some(atoi(value) != 0),
                _ => {}
            }
        }
        if found.is_none() && current.as_deref() == Some(ifname) {
            found = Some((wmm, uapsd));
        }
        let (wmm_enabled, uapsd_advertisement) = found?;
        Some(HostapdConf {
            wmm_enabled,
            uapsd_advertisement,
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
    const WITH_VALUE: &[u8] = b"befiPugG";
    let mut files = Vec::new();
    let mut bss_files = Vec::new();
    let mut ifaces: Vec<String> = Vec::new();
    let mut it = argv.iter().skip(1);
    while let Some(arg) = it.next() {
        let Some(opts) = arg.strip_prefix('-').filter(|o| !o.is_empty()) else {
            files.push(PathBuf::from(arg));
            continue;
        };
        for (i, c) in opts.bytes().enumerate() {
            if WITH_VALUE.contains(&c) {
                let rest = &opts[i + 1..];
                let value = if rest.is_empty() {
                    it.next().cloned().unwrap_or_default()
                } else {
                    rest.to_string()
                };
                match c {
                    b'i' => ifaces = value.split(',').map(str::to_string).collect(),
                    b'b' => {
                        if let Some((_, file)) = value.split_once(':') {
                            bss_files.push((PathBuf::from(file), None));
                        }
                    }
                    _ => {}
                }
                break;
            }
        }
    }
    files
        .into_iter()
        .enumerate()
        .map(|(i, f)| (f, ifaces.get(i).cloned()))
        .chain(bss_files)
        .collect()
}

/// Finds the hostapd configuration of interface `ifname`: the files named on the command
/// lines of running `hostapd` processes (from `/proc`), then OpenWrt's generated
/// `/var/run/hostapd-*.conf`. `None` if none of them configures `ifname`.
pub fn find_hostapd_conf(ifname: &str) -> Option<HostapdConf> {
    let mut candidates: Vec<(PathBuf, Option<String>)> = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let name = entry.file_name();
            let Some(pid) = name
                .to_str()
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
            else {
                continue;
            };
            let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
                continue;
            };
            let argv: Vec<String> = raw
                .split(|&b| b == 0)
                .filter(|a| !a.is_empty())
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            let is_hostapd = argv
                .first()
                .and_then(|a0| Path::new(a0).file_name())
                .is_some_and(|n| n == "hostapd");
            if !is_hostapd {
                continue;
            }
            let cwd = std::fs::read_link(format!("/proc/{pid}/cwd")).ok();
            for (file, iface) in hostapd_cmdline_confs(&argv) {
                let file = match (&cwd, file.is_relative()) {
                    (Some(cwd), true) => cwd.join(file),
                    _ => file,
                };
                candidates.push((file, iface));
            }
        }
    }
    for dir in ["/var/run", "/run"] {
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut files: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("hostapd") && n.ends_with(".conf"))
                })
                .collect();
            files.sort();
            candidates.extend(files.into_iter().map(|f| (f, None)));
        }
    }
    candidates
        .iter()
        .find_map(|(file, iface)| HostapdConf::read(file, ifname, iface.as_deref()))
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
