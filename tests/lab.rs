//! The lab checks itself against the real daemons (tests/lab/README.md): Debian's hostapd and
//! wpa_supplicant on mac80211_hwsim in a qemu VM. One boot (scenarios/lab-selftest.sh) serves
//! the checks below; each test reads its own assertions from the shared run.
//!
//! Prerequisite: `tests/lab/prepare.sh` (a missing one fails the tests with that command).

#[path = "common/lab.rs"]
mod lab;

use std::sync::OnceLock;

/// The self-test scenario, booted once for all the tests of this file.
fn selftest() -> &'static lab::Run {
    static RUN: OnceLock<lab::Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let probe = lab::root().join("tests/lab/scenarios/probe.sh");
        let run = lab::Lab::scenario("tests/lab/scenarios/lab-selftest.sh")
            .no_roamer()
            .bin(&probe)
            .file(&probe, "copied.txt")
            .env("LAB_GREETING", "hello lab")
            .timeout(400)
            .run();
        eprintln!("lab-selftest: {} ms wall", run.wall.as_millis());
        run
    })
}

#[test]
fn hostapd_starts_enabled_on_5ghz_vht80_and_2ghz() {
    let run = selftest();
    run.expect_ok("A-enabled");
    run.expect_ok("B-enabled");
    assert_eq!(run.result("A").field("freq"), "5180");
    assert_eq!(run.result("B").field("freq"), "2437");
    assert_eq!(run.result("A").field("bssid"), "02:00:00:00:00:00");
}

#[test]
fn station_associates_in_its_own_namespace() {
    let run = selftest();
    run.expect_ok("s1-on-B");
    run.expect_ok("B-all-sta");
    run.expect_ok("B-event-connected");
    let sta = run.named("sta", "s1").expect("@@ sta s1");
    assert_eq!(sta.field("state"), "COMPLETED");
    assert_eq!(sta.field("mac"), "02:00:00:00:02:00");
}

#[test]
fn beacon_request_gets_a_beacon_report() {
    let run = selftest();
    run.expect_ok("beacon-token");
    run.expect_ok("beacon-resp");
    let beacon = run.result("beacon");
    let token = beacon.field("token");
    assert!(token.parse::<u8>().is_ok(), "token {token:?}");
    // `MS BEACON-RESP-RX <sta> <token> 00 <report hex>`: the report names A's BSSID.
    let event = beacon.field("event");
    assert!(
        event.contains(&format!("BEACON-RESP-RX 02:00:00:00:02:00 {token} 00 ")),
        "{event}"
    );
    assert!(event.contains("020000000000"), "no report on A in {event}");
}

#[test]
fn station_tx_power_shows_in_iw_station_dump() {
    let run = selftest();
    run.expect_ok("sta-signal-47");
    assert_eq!(run.result("signal").field("iw"), "-47");
}

#[test]
fn bss_transition_request_moves_the_station() {
    let run = selftest();
    run.expect_ok("bss-tm-req-ok");
    run.expect_ok("s1-moved-to-A");
    run.expect_ok("bss-tm-resp");
    assert_eq!(run.result("transition").field("bssid"), "02:00:00:00:00:00");
}

#[test]
fn hostapd_restart_and_station_returns() {
    let run = selftest();
    run.expect_ok("A-restarted");
    run.expect_ok("s1-back");
    run.expect_ok("s1-on-A-again");
    run.expect_ok("A-event-after-restart");
}

#[test]
fn bins_files_and_env_reach_the_vm() {
    let run = selftest();
    run.expect_ok("probe-runs");
    run.expect_ok("file-copied");
    run.expect_ok("env-set");
    let copied = run.file("probe-out").expect("probe output copied out");
    assert_eq!(String::from_utf8_lossy(&copied), "probe: hello lab\n");
}

#[test]
fn background_processes_report_status_and_log() {
    let run = selftest();
    for a in ["quick-ended", "quick-status", "cmd-out", "looper-status"] {
        run.expect_ok(a);
    }
    let quick = run.named("proc", "quick").expect("@@ proc quick");
    assert_eq!(quick.field("status"), "5");
    assert_eq!(run.file("quick.log").expect("quick.log"), b"quick-out\n");
    assert_eq!(
        run.file("looper.log").expect("looper.log"),
        b"started\ngot-term\n"
    );
    assert_eq!(run.file("hello.out").expect("hello.out"), b"hi there\n");
}

#[test]
fn interfaces_down_and_up() {
    let run = selftest();
    for a in [
        "s1-ifdown-disconnects",
        "s1-ifup-reconnects",
        "ap-ifdown-event",
        "ap-ifup-event",
        "s1-back-after-ap-ifup",
    ] {
        run.expect_ok(a);
    }
}

#[test]
fn whole_selftest_passed() {
    let run = selftest();
    run.expect_passed();
    assert!(run.of("assert").count() >= 28, "too few assertions ran");
}

/// Lab tests do not skip silently: an unprepared lab fails, naming the missing part and the
/// command that installs it.
#[test]
fn unprepared_lab_fails_with_the_install_command() {
    let missing = std::env::temp_dir().join("lab-cache-that-does-not-exist");
    let err = std::panic::catch_unwind(|| {
        lab::Lab::script("lab_fail never 'must not boot'\n")
            .no_roamer()
            .host_env("LAB_CACHE", &missing.display().to_string())
            .run()
    })
    .err()
    .expect("an unprepared lab must fail");
    let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.contains("tests/lab/prepare.sh"), "{msg}");
    assert!(msg.contains("vmlinuz") || msg.contains("qemu"), "{msg}");
}
