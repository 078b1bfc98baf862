//! Tests of the typed configuration layer.

use super::*;

fn parse(text: &str) -> Result<Config, Errors> {
    Config::parse(text, "/etc/config/roamer")
}

fn one_error(text: &str) -> Error {
    let e = parse(text).unwrap_err();
    assert_eq!(e.0.len(), 1, "{e}");
    e.0.into_iter().next().unwrap()
}

const FULL: &str = "\
config roamer 'main'
\toption ctrl_dir '/run/hostapd'
\tlist iface 'wlan0'
\tlist iface 'wlan1'
\toption run_dir '/tmp/roamer-a'
\toption poll_interval_ms '500'
\toption dry_run '1'
\toption log_level 'debug'
\toption syslog 'yes'
\toption band_steer_signal '-55'
\toption roam_margin '8'
\toption cooldown_s '120'

config neighbor 'apB_2g'
\toption bssid '02:00:00:00:01:00'
\toption ssid 'labnet'
\toption nr '020000000100af0900005106070603000600'

config client 'tv'
\toption mac '02:00:00:00:09:00'
\toption steer '0'

config client
\toption mac '02:00:00:00:0A:00'
\toption roam_target '-70'
";

#[test]
fn full_file() {
    let c = parse(FULL).unwrap();
    assert_eq!(c.ctrl_dir, PathBuf::from("/run/hostapd"));
    assert_eq!(c.ifaces, ["wlan0", "wlan1"]);
    assert_eq!(c.run_dir, PathBuf::from("/tmp/roamer-a"));
    assert_eq!(c.poll_interval, Duration::from_millis(500));
    assert!(c.policy.dry_run && c.syslog);
    assert_eq!(c.log_level, log::LevelFilter::Debug);
    let p = &c.policy;
    assert_eq!(p.band_steer_signal, -55);
    assert_eq!(p.roam_margin, 8);
    assert_eq!(p.cooldown_s, 120);
    assert!(!p.deauth_fallback);
    // untouched thresholds keep the original script's defaults
    assert_eq!(p.band_steer_target, -65);
    assert_eq!(p.roam_signal_5g, -65);
    assert_eq!(p.roam_signal_2g, -70);
    assert_eq!(p.roam_target, -62);
    assert_eq!(c.neighbors.len(), 1);
    assert_eq!(c.neighbors[0].bssid, [2, 0, 0, 0, 1, 0]);
    assert_eq!(c.neighbors[0].ssid, b"labnet");
    let e = c.neighbors[0].entry();
    assert_eq!(
        (e.bssid_info, e.op_class, e.channel, e.phy),
        (0x09af, 81, 6, 7)
    );
    assert_eq!(e.subelements, [6, 3, 0, 6, 0]);
    assert_eq!(e.to_bytes(), c.neighbors[0].nr);
    let tv = [2, 0, 0, 0, 9, 0];
    let other = [2, 0, 0, 0, 0x0a, 0];
    assert!(!c.may_steer(&tv));
    assert!(c.may_steer(&other));
    assert!(c.may_steer(&[2, 0, 0, 0, 0x0b, 0]));
    assert_eq!(p.steer_mode(&policy::Mac(tv)), policy::SteerMode::Never);
    assert_eq!(
        p.steer_mode(&policy::Mac(other)),
        policy::SteerMode::Default
    );
    assert_eq!(p.thresholds(&policy::Mac(other)).roam_target, -70);
    assert_eq!(p.thresholds(&policy::Mac(other)).roam_margin, 8);
    assert_eq!(
        p.thresholds(&policy::Mac(tv)),
        p.thresholds(&policy::Mac([0; 6]))
    );
}

#[test]
fn policy_flags_and_client_steer_1() {
    let c = parse(
        "config roamer\n option deauth_fallback 'yes'\n option band_steering 0\n\
         config client\n option mac 02:00:00:00:09:00\n option steer 1\n",
    )
    .unwrap();
    assert!(c.policy.deauth_fallback);
    assert!(!c.policy.band_steering);
    assert_eq!(
        c.policy.steer_mode(&policy::Mac([2, 0, 0, 0, 9, 0])),
        policy::SteerMode::Always
    );
}

#[test]
fn empty_file_is_all_defaults() {
    let c = parse("").unwrap();
    let d = Config {
        file: PathBuf::from("/etc/config/roamer"),
        ..Config::default()
    };
    assert_eq!(c, d);
    assert_eq!(c.ctrl_dir, PathBuf::from("/var/run/hostapd"));
    assert_eq!(c.run_dir, PathBuf::from("/var/run/roamer"));
    assert!(c.ifaces.is_empty());
    assert_eq!(c.poll_interval, Duration::from_secs(1));
}

#[test]
fn iface_as_space_separated_option() {
    let c = parse("config roamer\n option iface 'wlan0 wlan1-1'\n").unwrap();
    assert_eq!(c.ifaces, ["wlan0", "wlan1-1"]);
}

#[test]
fn errors_name_file_line_and_key() {
    let e = one_error("config roamer 'main'\n\toption roam_margin 'x'\n");
    assert_eq!((e.line, e.key.as_deref()), (2, Some("roam_margin")));
    assert_eq!(
        e.to_string(),
        "/etc/config/roamer:2: roam_margin: expected an integer in 0..=50, got 'x'"
    );

    let cases: &[(&str, usize, &str, &str)] = &[
        ("config roamer\n option band_steer_signal '-200'\n", 2, "band_steer_signal", "outside"),
        ("config roamer\n option poll_interval_ms '10'\n", 2, "poll_interval_ms", "outside"),
        ("config roamer\n option ctrl_dir 'relative'\n", 2, "ctrl_dir", "absolute"),
        ("config roamer\n option dry_run 'maybe'\n", 2, "dry_run", "expected 0 or 1"),
        ("config roamer\n option log_level 'loud'\n", 2, "log_level", "expected error"),
        ("config roamer\n option roam_targte '-60'\n", 2, "roam_targte", "unknown option"),
        ("config roamer\n option cooldown_s 1\n option cooldown_s 2\n", 3, "cooldown_s", "duplicate"),
        ("config roamer\n list cooldown_s 1\n", 2, "cooldown_s", "single value"),
        ("config roamer\n list iface 'a/b'\n", 2, "iface", "not an interface"),
        ("config roamer\n list iface 'wlan0'\n list iface 'wlan0'\n", 3, "iface", "twice"),
        ("config roamer\nconfig roamer\n", 2, "roamer", "second"),
        ("config radio\n", 1, "radio", "unknown section"),
        ("config neighbor\n option bssid '02:00:00:00:01:0'\n option ssid x\n option nr '020000000100af0900005106070603000600'\n", 2, "bssid", "not a MAC"),
        ("config neighbor\n option bssid '02:00:00:00:01:00'\n option ssid x\n option nr '0200'\n", 4, "nr", "13 to 255"),
        ("config neighbor\n option bssid '02:00:00:00:01:00'\n option ssid x\n option nr 'zz'\n", 4, "nr", "expected the hex"),
        ("config neighbor\n option bssid '02:00:00:00:02:00'\n option ssid x\n option nr '020000000100af0900005106070603000600'\n", 4, "nr", "not bssid 02:00:00:00:02:00"),
        ("config neighbor\n option bssid '02:00:00:00:01:00'\n option nr '020000000100af0900005106070603000600'\n", 1, "ssid", "missing"),
        ("config neighbor\n option bssid '02:00:00:00:01:00'\n option ssid ''\n option nr '020000000100af0900005106070603000600'\n", 3, "ssid", "1 to 32"),
        ("config client\n option steer 0\n", 1, "mac", "missing"),
        ("config client\n option mac '02:00:00:00:09:00'\n option steer 'never'\n", 3, "steer", "expected 0 or 1"),
        ("config client\n option mac '02:00:00:00:09:00'\n option colour 'red'\n", 3, "colour", "unknown option"),
        ("config client\n option mac '02:00:00:00:09:00'\n option cooldown_s '5'\n", 3, "cooldown_s", "cannot be set per client"),
        ("config client\n option mac '02:00:00:00:09:00'\n option roam_target '5'\n", 3, "roam_target", "outside"),
        ("config roamer\n option abridged 'sometimes'\n", 2, "abridged", "expected 0 or 1"),
        ("config client\n option mac 02:00:00:00:09:00\nconfig client\n option mac 02:00:00:00:09:00\n", 3, "mac", "twice"),
        ("config roamer\n option 'x\n", 2, "", "unterminated"),
    ];
    for &(text, line, key, needle) in cases {
        let e = one_error(text);
        assert_eq!(e.line, line, "{text:?}: {e}");
        assert_eq!(e.key.as_deref().unwrap_or(""), key, "{text:?}: {e}");
        assert!(e.msg.contains(needle), "{text:?}: {e}");
        assert!(
            e.to_string()
                .starts_with(&format!("/etc/config/roamer:{line}: ")),
            "{e}"
        );
    }
}

#[test]
fn reports_every_error_in_line_order() {
    let e = parse(
        "config client\n option mac 'x'\nconfig roamer\n option syslog 2\n option dry_run 3\n",
    )
    .unwrap_err();
    let lines: Vec<usize> = e.0.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 4, 5]);
    assert_eq!(e.to_string().lines().count(), 3);
}

#[test]
fn load_names_unreadable_file() {
    let e = Config::load(Path::new("/nonexistent/roamer.conf")).unwrap_err();
    assert_eq!(e.0[0].line, 0);
    assert!(
        e.to_string()
            .starts_with("/nonexistent/roamer.conf: cannot read"),
        "{e}"
    );
    assert_eq!(check_config_cmd(Path::new("/nonexistent/roamer.conf")), 2);
}

#[test]
fn macs_are_colon_separated_hex_of_either_case() {
    let c = parse("config client\n option mac '02:00:00:00:0A:ff'\n option steer 0\n").unwrap();
    assert!(!c.may_steer(&[2, 0, 0, 0, 10, 255]));
    for bad in [
        "02-00-00-00-0a-ff",
        "02:00:00:00:0a",
        "02:00:00:00:0a:fff",
        "+2:00:00:00:0a:ff",
    ] {
        let e = one_error(&format!("config client\n option mac '{bad}'\n"));
        assert_eq!(e.key.as_deref(), Some("mac"), "{bad}");
    }
    assert_eq!(fmt_mac(&[2, 0, 0, 0, 10, 255]), "02:00:00:00:0a:ff");
}

#[test]
fn every_key_is_documented_and_defaults_are_in_range() {
    for k in MAIN_KEYS {
        assert!(!k.doc.trim().is_empty(), "{}", k.name);
        if let Some((min, max)) = k.range {
            let d: i32 = k
                .default
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{}", k.name));
            assert!((min..=max).contains(&d), "{}", k.name);
        }
    }
    for k in POLICY_KEYS {
        assert!(!k.doc.trim().is_empty(), "{}", k.name);
        assert!((k.min..=k.max).contains(&k.default_value()), "{}", k.name);
        assert!(
            !MAIN_KEYS.iter().any(|m| m.name == k.name),
            "{} twice",
            k.name
        );
    }
    for k in CLIENT_KEYS {
        assert!(POLICY_KEYS.iter().any(|p| p.name == *k), "{k}");
    }
}

/// Each policy key writes the field it is named after (a wrong accessor would show here).
#[test]
fn policy_keys_set_their_own_field() {
    for k in POLICY_KEYS {
        let v = if k.default_value() == k.max {
            k.min
        } else {
            k.max
        };
        let text = format!("config roamer\n option {} '{}'\n", k.name, v);
        let c = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(k.value(&c.policy), v, "{}", k.name);
        let changed: Vec<_> = POLICY_KEYS
            .iter()
            .filter(|o| o.value(&c.policy) != o.default_value())
            .map(|o| o.name)
            .collect();
        assert_eq!(changed, [k.name]);
    }
}
