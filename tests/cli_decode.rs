//! `roamer decode ...` on the real hostapd 2.10 / wpa_supplicant 2.10 captures
//! (tests/fixtures/hostapd-2.10-hwsim/capture.log): every event line, every beacon report,
//! every neighbor entry hostapd printed decodes, with the values the capture implies.

use std::process::{Command, Output};

const CAPTURE: &str = include_str!("fixtures/hostapd-2.10-hwsim/capture.log");

fn roamer(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roamer"))
        .args(args)
        .output()
        .expect("run roamer")
}

fn ok(args: &[&str]) -> String {
    let o = roamer(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn usage_error(args: &[&str]) -> String {
    let o = roamer(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}");
    assert!(o.stdout.is_empty());
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err
}

/// The `IFACE EVENT ...` lines of the `@@@ events wlanN` sections.
fn event_lines() -> Vec<&'static str> {
    let mut v = Vec::new();
    let mut on = false;
    for line in CAPTURE.lines() {
        if let Some(t) = line.strip_prefix("@@@ ") {
            on = t.starts_with("events ");
            continue;
        }
        if on {
            v.push(line);
        }
    }
    v
}

#[test]
fn every_captured_event_decodes() {
    let lines = event_lines();
    assert!(lines.len() > 20);
    for line in &lines {
        let iface = line.split(' ').next().unwrap();
        let text = ok(&["decode", "event", line]);
        assert!(
            text.contains("iface:") && text.contains(iface),
            "{line}: {text}"
        );
        let json = ok(&["decode", "event", line, "--json"]);
        assert!(json.starts_with("{\"event\":"), "{json}");
        assert!(json.ends_with("}\n"));
        // The datagram form (what the socket carries) decodes to the same JSON, minus iface.
        let datagram = format!("<3>{}", &line[iface.len() + 1..]);
        let j2 = ok(&["decode", "event", &datagram, "--json"]);
        assert_eq!(
            j2.trim_end(),
            json.trim_end()
                .replace(&format!(",\"iface\":\"{iface}\""), ""),
            "{line}"
        );
    }
}

#[test]
fn beacon_reports_decode_with_rcpi_dbm_and_ssid() {
    let mut reports = 0;
    for line in event_lines() {
        let w: Vec<&str> = line.split(' ').collect();
        if w.get(1) != Some(&"BEACON-RESP-RX") || w.len() < 6 {
            continue;
        }
        reports += 1;
        let out = ok(&["decode", "beacon-report", w[5], "--json"]);
        assert!(out.contains("\"rcpi\":"), "{out}");
    }
    assert_eq!(reports, 10);
    // Token 3: passive request on class 81 channel 6: AP B at RCPI 180 = -20 dBm, SSID labnet.
    let line = event_lines()
        .into_iter()
        .find(|l| l.contains("BEACON-RESP-RX 02:00:00:00:05:00 3 00"))
        .unwrap();
    let hex = line.rsplit(' ').next().unwrap();
    let text = ok(&["decode", "beacon-report", hex]);
    for want in [
        "02:00:00:00:01:00",
        "81 / 6 (2437 MHz)",
        "180 (-20 dBm)",
        "labnet",
        "100 TU",
    ] {
        assert!(text.contains(want), "'{want}' in {text}");
    }
    let json = ok(&["decode", "beacon-report", hex, "--json"]);
    for want in [
        "\"bssid\":\"02:00:00:00:01:00\"",
        "\"op_class\":81",
        "\"channel\":6",
        "\"rcpi\":180",
        "\"dbm\":-20",
        "\"ssid\":\"labnet\"",
        "\"ssid_hex\":\"6c61626e6574\"",
    ] {
        assert!(json.contains(want), "'{want}' in {json}");
    }
    // Token 1 (table): F itself at RCPI 166 = -27 dBm; the second report continues a body.
    let out = ok(&[
        "decode",
        "event",
        "wlan4 BEACON-RESP-RX 02:00:00:00:05:00 5 00 802c0000000000000000000009a6ff020000000400000000000002020100",
    ]);
    assert!(out.contains("166 (-27 dBm)"), "{out}");
    assert!(out.contains("128 / 44 (5220 MHz)"), "{out}");
}

#[test]
fn refused_and_incapable_reports_are_named() {
    let out = ok(&[
        "decode",
        "event",
        "wlan4 BEACON-RESP-RX 02:00:00:00:05:00 4 04 ",
    ]);
    assert!(out.contains("04 (refused)"), "{out}");
    let out = ok(&[
        "decode",
        "event",
        "<3>BEACON-RESP-RX 02:00:00:00:05:00 6 02 ",
        "--json",
    ]);
    assert!(out.contains("\"mode_name\":\"incapable\""), "{out}");
    assert!(out.contains("\"report\":null"), "{out}");
}

#[test]
fn btm_responses_carry_status_names() {
    let out = ok(&[
        "decode",
        "event",
        "wlan4 BSS-TM-RESP 02:00:00:00:05:00 status_code=7 bss_termination_delay=0",
        "--json",
    ]);
    assert!(out.contains("\"status_code\":7"));
    assert!(
        out.contains("\"status\":\"reject-no-suitable-candidates\""),
        "{out}"
    );
    let out = ok(&[
        "decode",
        "event",
        "wlan1 BSS-TM-RESP 02:00:00:00:05:00 status_code=0 bss_termination_delay=0 target_bssid=02:00:00:00:00:00",
    ]);
    assert!(
        out.contains("status=0 (accept) target=02:00:00:00:00:00"),
        "{out}"
    );
}

#[test]
fn every_neighbor_entry_decodes() {
    let mut n = 0;
    for line in CAPTURE.lines().filter(|l| l.contains(" nr=")) {
        let nr = line
            .split(" nr=")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap();
        let out = ok(&["decode", "nr", nr, "--json"]);
        let bssid = line.split(' ').next().unwrap();
        assert!(out.contains(&format!("\"bssid\":\"{bssid}\"")), "{out}");
        n += 1;
    }
    assert!(n >= 8);
    // A's own entry: 0x19af, class 128 channel 36, VHT, 80 MHz around 42.
    let out = ok(&["decode", "nr", "nr=020000000000af1900008024090603022a00"]);
    for want in [
        "0x000019af reachable security key-scope qos radio-measurement delayed-ba ht vht",
        "128 / 36 (5180 MHz)",
        "9 (VHT)",
        "wide=80MHz/42/0",
    ] {
        assert!(out.contains(want), "'{want}' in {out}");
    }
    // F (HE): the HE bit.
    let out = ok(&[
        "decode",
        "nr",
        "020000000400af590000802c090603022a00",
        "--json",
    ]);
    assert!(out.contains("\"he\""), "{out}");
}

#[test]
fn malformed_input_is_a_usage_error() {
    assert!(usage_error(&["decode", "nr", "0200zz"]).contains("bad hex digit"));
    assert!(usage_error(&["decode", "nr", "020"]).contains("odd length"));
    assert!(usage_error(&["decode", "nr", "0200"]).contains("truncated"));
    assert!(usage_error(&["decode", "beacon-report", "51"]).contains("truncated"));
    // A subelement running past the end of the report.
    assert!(!usage_error(&[
        "decode",
        "beacon-report",
        "51060000000000000000640007b4ff020000000100000000000001ff00"
    ])
    .is_empty());
    assert!(usage_error(&["decode", "event", "hello world"]).contains("not a hostapd event"));
    assert!(usage_error(&["decode", "event", "<3>AP-STA-CONNECTED 02:00:00"]).contains("roamer: "));
    usage_error(&["decode", "frame", "00"]);
    usage_error(&["decode", "nr"]);
    usage_error(&["decode"]);
    usage_error(&["decode", "nr", "00", "11"]);
}
