//! ctrl-proto's client sockets against the real hostapd 2.10 (issue 4), in the lab VM
//! (tests/lab/README.md). One boot of `scenarios/ctrl_socket.sh` serves every test below.
//!
//! The checks run inside the VM in `ctrl-proto/examples/labcheck.rs` (built static), which talks
//! to hostapd with `CtrlSocket` / `EventSocket` only; each `CHECK` line it prints becomes one
//! `@@ assert`. The tests here require each check to have run and passed, and cross-check their
//! details against the scenario's own facts (`@@ ap`, `@@ result facts`) and against what
//! `hostapd_cli` printed in the VM (copied out as files).
//!
//! Prerequisite: `tests/lab/prepare.sh` (an unprepared lab fails the tests).

#[path = "common/lab.rs"]
mod lab;

use std::sync::OnceLock;

/// The scenario, booted once for all the tests of this file.
fn run() -> &'static lab::Run {
    static RUN: OnceLock<lab::Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let built = lab::static_example("ctrl-proto", "ctrl_labcheck");
        // The VM-side scenario calls it `labcheck`: copy it under that name.
        let dir = std::env::temp_dir().join(format!("lab-ctrl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let labcheck = dir.join("labcheck");
        std::fs::copy(&built, &labcheck).expect("copy labcheck");
        let run = lab::Lab::scenario("tests/lab/scenarios/ctrl_socket.sh")
            .no_roamer()
            .bin(&labcheck)
            .timeout(400)
            .run();
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!("ctrl_socket: {} ms wall", run.wall.as_millis());
        run
    })
}

/// The detail of a passed check.
fn detail(name: &str) -> String {
    run()
        .expect_ok(name)
        .get("detail")
        .unwrap_or("")
        .to_string()
}

fn fact(key: &str) -> String {
    run().result("facts").field(key).to_string()
}

fn file(name: &str) -> String {
    let bytes = run()
        .file(name)
        .unwrap_or_else(|| panic!("{name} not copied out"));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `key=value` of hostapd_cli output copied out of the VM.
fn cli_value(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key}= in {text}"))
        .to_string()
}

#[test]
fn ping_gets_pong() {
    assert!(detail("ping").contains("PONG\\n"), "{}", detail("ping"));
}

#[test]
fn status_agrees_with_hostapd_cli() {
    for (check, ap, file_name, channel) in [
        ("status-a", "A", "hs-A", "6"),
        ("status-b", "B", "hs-B", "11"),
    ] {
        let d = detail(check);
        let rec = run().named("ap", ap).expect("@@ ap");
        let cli = file(file_name);
        // our parse, hostapd_cli's text and the scenario's facts all agree
        for want in [
            format!("freq={} ", rec.field("freq")),
            format!("freq={} ", cli_value(&cli, "freq")),
            format!("channel={channel} "),
            format!("bssid={} ", rec.field("bssid")),
            format!("bssid={} ", cli_value(&cli, "bssid[0]")),
            "state=ENABLED ".to_string(),
            "ssid=labnet ".to_string(),
            "num_sta=0 ".to_string(),
        ] {
            assert!(
                d.starts_with("state=") && d.contains(&want),
                "{check}: {want:?} not in {d}"
            );
        }
    }
    assert_eq!(run().named("ap", "A").unwrap().field("freq"), "2437");
    assert_eq!(run().named("ap", "B").unwrap().field("freq"), "2462");
}

#[test]
fn sta_first_without_stations_is_an_empty_datagram() {
    assert_eq!(detail("sta-first-empty-a"), "Ok(\"\")");
    assert_eq!(detail("sta-first-empty-b"), "Ok(\"\")");
}

#[test]
fn unknown_command_is_reported() {
    assert_eq!(detail("unknown-command"), "Ok(\"UNKNOWN COMMAND\\n\")");
}

#[test]
fn station_walk_with_one_station() {
    let mac = fact("s1_mac");
    assert!(
        detail("sta-first").contains(&format!("Ok(Some((\"{mac}\"")),
        "{}",
        detail("sta-first")
    );
    assert_eq!(detail("sta-next-end"), "Ok(\"\")");
    assert!(
        detail("sta-by-mac").contains(&mac),
        "{}",
        detail("sta-by-mac")
    );
    // hostapd_cli sees the same single station
    let all = file("all-sta");
    assert_eq!(
        all.lines()
            .filter(|l| l.len() == 17 && l.matches(':').count() == 5)
            .collect::<Vec<_>>(),
        [mac.as_str()],
        "{all}"
    );
}

#[test]
fn attached_socket_gets_station_events() {
    let mac = fact("s1_mac");
    run().expect_ok("events-attach");
    for c in [
        "events-connected",
        "events-disconnected",
        "events-reconnected",
    ] {
        assert!(detail(c).starts_with(&mac), "{c}: {}", detail(c));
    }
    // the event log shows them in this order for this station
    let d = detail("events-reconnected");
    let c1 = d
        .find(&format!("AP-STA-CONNECTED:{mac}"))
        .expect("connected");
    let dis = d
        .find(&format!("AP-STA-DISCONNECTED:{mac}"))
        .expect("disconnected");
    let c2 = d
        .rfind(&format!("AP-STA-CONNECTED:{mac}"))
        .expect("reconnected");
    assert!(c1 < dis && dis < c2, "{d}");
    run().expect_ok("events-status");
}

#[test]
fn beacon_request_token_and_events_only_on_the_event_socket() {
    let a = fact("a_bssid");
    let mac = fact("s1_mac");
    let token = detail("beacon-token");
    let t: u8 = token
        .strip_prefix("Ok(")
        .and_then(|s| s.split(')').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no token in {token}"));
    assert!(detail("beacon-tx-status").starts_with(&format!("token {t} ack Some(true)")));
    let rx = detail("beacon-resp-rx");
    assert!(
        rx.starts_with(&format!("token {t} report Some((0, Ok((")),
        "{rx}"
    );
    assert!(rx.contains(&format!("want bssid {a} channel 6")), "{rx}");
    assert!(rx.contains(&format!("BEACON-RESP-RX:{mac}")), "{rx}");
    assert_eq!(
        detail("beacon-replies-on-attached-socket"),
        "10/10 PONG, other []"
    );
    run().expect_ok("beacon-nothing-on-command-socket");
    run().expect_ok("sta-status");
}

#[test]
fn request_to_a_stopped_hostapd_times_out_within_the_deadline() {
    run().expect_ok("stop-ping-before");
    let d = detail("stop-timeout");
    let ms: u64 = d
        .split(" after ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no time in {d}"));
    assert!(d.starts_with("Err(Timeout)"), "{d}");
    assert!((1000..2500).contains(&ms), "{d}");
    // the late STATUS reply is not taken for the next request's reply
    assert!(detail("stop-next-reply-is-its-own")
        .starts_with("Ok(\"PONG\\n\") rebinds 1 old path exists false"));
    run().expect_ok("stop-status-after");
    run().expect_ok("hostapd-running-after-stop");
    run().expect_ok("stop-status");
}

/// The checks of one hostapd kill + restart (`restart_case NAME SIGNAL` in the scenario).
fn restart_case(name: &str) {
    let c = |check: &str| format!("{name}-{check}");
    run().expect_ok(&c("ping-before"));
    for check in ["old-ctrl-fails", "old-event-socket-fails"] {
        let d = detail(&c(check));
        assert!(
            d.starts_with("Err(Io(Os { code: 111, kind: ConnectionRefused"),
            "{name}-{check}: {d}"
        );
    }
    run().expect_ok(&c("open-while-down-fails"));
    run().expect_ok(&c("reopen-ping"));
    run().expect_ok(&c("reattach"));
    let mac = fact("s1_mac");
    for check in ["events-disconnected", "events-connected"] {
        let d = detail(&c(check));
        assert!(d.starts_with(&mac), "{name}-{check}: {d}");
    }
    run().expect_ok(&c("s1-back"));
    run().expect_ok(&c("s1-cycled"));
    run().expect_ok(&c("status"));
}

#[test]
fn hostapd_terminated_old_sockets_fail_then_reopen_and_reattach() {
    restart_case("restart");
    // hostapd said goodbye on the old event socket and removed its socket file
    let d = detail("restart-old-event-socket-fails");
    assert!(
        d.contains("\"AP-DISABLED\", \"CTRL-EVENT-TERMINATING\""),
        "{d}"
    );
    assert_eq!(run().result("restart-socket-file").field("left"), "0");
    let d = detail("restart-open-while-down-fails");
    assert!(d.starts_with("Err(Os { code: 2, kind: NotFound"), "{d}");
}

#[test]
fn hostapd_killed_old_sockets_fail_then_reopen_and_reattach() {
    restart_case("crash");
    // SIGKILL: no goodbye, the socket file is left behind and refuses connections
    let d = detail("crash-old-event-socket-fails");
    assert!(!d.contains("CTRL-EVENT-TERMINATING"), "{d}");
    assert_eq!(run().result("crash-socket-file").field("left"), "1");
    let d = detail("crash-open-while-down-fails");
    assert!(
        d.starts_with("Err(Os { code: 111, kind: ConnectionRefused"),
        "{d}"
    );
}

#[test]
fn hostapd_really_ran_three_times() {
    let aps: Vec<_> = run()
        .of("ap")
        .filter(|r| r.get("name") == Some("A"))
        .map(|r| r.field("pid").to_string())
        .collect();
    assert_eq!(aps.len(), 3, "A started thrice: {aps:?}");
    assert!(
        aps[0] != aps[1] && aps[1] != aps[2] && aps[0] != aps[2],
        "{aps:?}"
    );
}

#[test]
fn neighbor_set_show_remove_with_our_own_entry() {
    let b = fact("b_bssid");
    let own = detail("own-entry-b");
    assert!(
        own.starts_with(&format!("ours \"{b} ssid=6c61626e6574 nr=")),
        "{own}"
    );
    run().expect_ok("set-neighbor");
    let show = detail("show-neighbor-has-entry");
    assert!(show.starts_with(&format!("want \"{b} ssid=")), "{show}");
    run().expect_ok("remove-neighbor");
    // after the removal hostapd_cli shows A's own entry only
    let a = fact("a_bssid");
    let text = file("show-A");
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].starts_with(&format!("{a} ssid=")), "{text}");
}

#[test]
fn client_socket_files_are_unlinked() {
    for m in ["basic", "events", "sta", "stop", "restart", "crash"] {
        let d = detail(&format!("{m}-client-files-unlinked"));
        assert!(d.ends_with("after drop: []"), "{m}: {d}");
        assert!(d.contains("roamer-"), "{m}: {d}");
    }
    assert_eq!(detail("client-dirs-empty"), "");
    run().expect_ok("client-dirs-exist");
}

#[test]
fn whole_scenario_passed() {
    let run = run();
    run.expect_passed();
    assert!(
        run.of("assert").count() >= 60,
        "too few checks ran: {}",
        run.of("assert").count()
    );
}
