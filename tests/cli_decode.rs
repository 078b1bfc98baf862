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

/// A strict JSON validator (RFC 8259 grammar), to prove the hand-written writer's output
/// parses: returns the rest after one value, or `None` on a syntax error.
fn json_value(s: &[u8]) -> Option<&[u8]> {
    fn ws(mut s: &[u8]) -> &[u8] {
        while let [b' ' | b'\n' | b'\r' | b'\t', rest @ ..] = s {
            s = rest;
        }
        s
    }
    fn string(s: &[u8]) -> Option<&[u8]> {
        let mut s = s.strip_prefix(b"\"")?;
        loop {
            match s {
                [b'"', rest @ ..] => return Some(rest),
                [b'\\', b'u', a, b, c, d, rest @ ..]
                    if [a, b, c, d].iter().all(|x| x.is_ascii_hexdigit()) =>
                {
                    s = rest
                }
                [b'\\', b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't', rest @ ..] => {
                    s = rest
                }
                [b'\\', ..] => return None,
                [c, rest @ ..] if *c >= 0x20 => s = rest,
                _ => return None,
            }
        }
    }
    fn number(s: &[u8]) -> Option<&[u8]> {
        let mut i = 0;
        if s.first() == Some(&b'-') {
            i += 1;
        }
        let start = i;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start || (s[start] == b'0' && i - start > 1) {
            return None;
        }
        if s.get(i) == Some(&b'.') {
            i += 1;
            let f = i;
            while s.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == f {
                return None;
            }
        }
        Some(&s[i..])
    }
    let s = ws(s);
    let rest = match s.first()? {
        b'{' => {
            let mut r = ws(&s[1..]);
            if let Some(r2) = r.strip_prefix(b"}") {
                return Some(r2);
            }
            loop {
                r = ws(string(ws(r))?);
                r = json_value(r.strip_prefix(b":")?)?;
                r = ws(r);
                match r.first()? {
                    b',' => r = &r[1..],
                    b'}' => break &r[1..],
                    _ => return None,
                }
            }
        }
        b'[' => {
            let mut r = ws(&s[1..]);
            if let Some(r2) = r.strip_prefix(b"]") {
                return Some(r2);
            }
            loop {
                r = ws(json_value(r)?);
                match r.first()? {
                    b',' => r = &r[1..],
                    b']' => break &r[1..],
                    _ => return None,
                }
            }
        }
        b'"' => string(s)?,
        b't' => s.strip_prefix(b"true")?,
        b'f' => s.strip_prefix(b"false")?,
        b'n' => s.strip_prefix(b"null")?,
        _ => number(s)?,
    };
    Some(ws(rest))
}

fn assert_json(text: &str) {
    assert_eq!(
        json_value(text.as_bytes()),
        Some(&b""[..]),
        "not one JSON value: {text}"
    );
}

/// Every `--json` output of `decode` on the capture is exactly one valid JSON document.
#[test]
fn json_output_is_valid_json() {
    assert_json("{\"a\":[1,-2.5,true,null,\"x\\u0001\"]}");
    assert_ne!(
        json_value(b"{\"a\":01}"),
        Some(&b""[..]),
        "the validator rejects 01"
    );
    assert_ne!(
        json_value(b"{\"a\":\"\x01\"}"),
        Some(&b""[..]),
        "and raw control bytes"
    );
    for line in event_lines() {
        assert_json(&ok(&["decode", "event", line, "--json"]));
        let w: Vec<&str> = line.split(' ').collect();
        if w.get(1) == Some(&"BEACON-RESP-RX") && w.len() > 5 {
            assert_json(&ok(&["decode", "beacon-report", w[5], "--json"]));
        }
    }
    for line in CAPTURE.lines().filter(|l| l.contains(" nr=")) {
        let nr = line
            .split(" nr=")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap();
        assert_json(&ok(&["decode", "nr", nr, "--json"]));
    }
    // An SSID with quotes, a backslash, a newline and a control byte stays valid JSON:
    // a report on 02:00:00:00:01:00 whose frame body carries SSID `"a"\<LF><0x01>`.
    let hex = concat!(
        "5106",
        "0000000000000000",
        "6400",
        "07",
        "b4",
        "ff",
        "020000000100",
        "00",
        "00000000",
        "0114",
        "0000000000000000",
        "6400",
        "1104",
        "0006",
        "2261225c0a01"
    );
    let out = ok(&["decode", "beacon-report", hex, "--json"]);
    assert_json(&out);
    // hostapd's printf form of the SSID, then JSON-escaped.
    assert!(out.contains(r#""ssid":"\\\"a\\\"\\\\\\n\\x01""#), "{out}");
    assert!(out.contains("\"ssid_hex\":\"2261225c0a01\""), "{out}");
    assert_json(&ok(&[
        "decode",
        "event",
        &format!("<3>BEACON-RESP-RX 02:00:00:00:05:00 9 00 {hex}"),
        "--json",
    ]));
}
