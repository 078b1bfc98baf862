//! nl80211 against the real kernel (issue 4): the crate's station, interface and wiphy readings
//! compared with `iw` on Debian's 6.1 kernel with mac80211_hwsim, in the lab VM
//! (tests/lab/README.md). One boot of `scenarios/nl80211_vs_iw.sh` serves every test below.
//!
//! The comparisons run inside the VM in `nl80211/examples/labcheck.rs` (built static), which
//! reads a value with nl80211, runs iw, and reads again; each `CHECK` line it prints becomes one
//! `@@ assert` named after the interface, station and field (`wlan0-02:00:00:00:01:00-signal`).
//! Tolerances (documented in labcheck): counters must satisfy `ours before <= iw <= ours after`;
//! values that may change between the reads (signal, bitrates, expected throughput) must equal
//! one of our two readings; inactive time must lie in `[after - elapsed, before + elapsed]`
//! (+10 ms) since it grows at most as fast as the clock. Everything else must be equal.
//!
//! Besides the per-check assertions, the tests check on the host that each expected check ran
//! (a missing station or field fails, it is not skipped) and cross-check some details against
//! iw's raw output copied out of the VM and against the scenario's own `@@ ap`/`@@ sta` facts.
//!
//! Prerequisite: `tests/lab/prepare.sh` (an unprepared lab fails the tests).

#[path = "common/lab.rs"]
mod lab;

use std::sync::OnceLock;

/// The scenario, booted once for all the tests of this file.
fn run() -> &'static lab::Run {
    static RUN: OnceLock<lab::Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let labcheck = lab::static_example("nl80211", "labcheck");
        let run = lab::Lab::scenario("tests/lab/scenarios/nl80211_vs_iw.sh")
            .no_roamer()
            .bin(&labcheck)
            .timeout(400)
            .run();
        eprintln!("nl80211_vs_iw: {} ms wall", run.wall.as_millis());
        run
    })
}

/// (AP interface, station MAC) pairs of the scenario, from its `@@ sta` records.
fn stations(run: &lab::Run) -> Vec<(&'static str, String)> {
    let mac = |name: &str| {
        let r = run
            .named("sta", name)
            .unwrap_or_else(|| panic!("no @@ sta {name}"));
        r.field("mac").to_string()
    };
    vec![("wlan0", mac("s1")), ("wlan2", mac("s2"))]
}

/// Every check `{iface}-{mac}-{field}` for both stations passed (and ran), and iw showed the
/// field (`one_of` checks would also pass with the field absent on both sides: only
/// `expected-throughput` may be, as rate control reports it only once it has an estimate).
fn station_fields(fields: &[&str]) {
    let run = run();
    for (iface, mac) in stations(run) {
        run.expect_ok(&format!("{iface}-station-count"));
        for f in fields {
            let d = detail(&format!("{iface}-{mac}-{f}"));
            if *f != "expected-throughput" {
                assert!(
                    !d.starts_with("iw \"\""),
                    "{iface} {mac} {f}: iw shows no value: {d}"
                );
            }
        }
    }
}

/// The detail of a passed check, e.g. `"addr 02:00:00:00:00:00"` -> `addr 02:00:00:00:00:00`.
fn detail(name: &str) -> String {
    let r = run().expect_ok(name);
    r.get("detail").unwrap_or("").trim_matches('"').to_string()
}

fn iw_file(name: &str) -> String {
    let bytes = run()
        .file(name)
        .unwrap_or_else(|| panic!("iw output {name} not copied out"));
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn station_signal_and_chains_match_iw() {
    // "signal" / "signal avg" are rendered with the per-chain values when the kernel sends
    // them ("-20 [-20, -20] dBm"), so chains are compared too.
    station_fields(&["signal", "signal-avg"]);
    // The signal hwsim reports is the sender's tx power - 50 dBm: the stations' defaults are
    // 30 dBm on 2.4 GHz and 23 dBm on 5 GHz (tests/lab/README.md), so the values compared
    // above must be these (a reading of 0 or garbage in both would not pass).
    let run = run();
    let st = stations(run);
    for ((iface, mac), want) in st.iter().zip(["\"-20 dBm\"", "\"-27 dBm\""]) {
        let d = detail(&format!("{iface}-{mac}-signal"));
        assert!(d.starts_with(&format!("iw {want}")), "{iface} {mac}: {d}");
    }
}

#[test]
fn station_counters_match_iw() {
    station_fields(&[
        "rx-bytes",
        "tx-bytes",
        "rx-packets",
        "tx-packets",
        "tx-retries",
        "tx-failed",
        "rx-drop-misc",
        "tx-duration",
        "rx-duration",
    ]);
}

#[test]
fn station_times_match_iw() {
    station_fields(&[
        "inactive-time",
        "connected-time",
        "associated-at-[boottime]",
    ]);
}

#[test]
fn station_bitrates_match_iw() {
    station_fields(&["tx-bitrate", "rx-bitrate", "expected-throughput"]);
}

#[test]
fn station_flags_and_bss_params_match_iw() {
    station_fields(&[
        "authorized",
        "authenticated",
        "associated",
        "WMM-WME",
        "MFP",
        "TDLS-peer",
        "preamble",
        "DTIM-period",
        "beacon-interval",
        "short-slot-time",
    ]);
}

#[test]
fn interface_facts_match_iw_dev_info() {
    let run = run();
    for (iface, ap) in [("wlan0", "A"), ("wlan2", "B")] {
        let info = iw_file(&format!("iw-{iface}-info"));
        for key in [
            "ifindex", "wdev", "addr", "ssid", "type", "wiphy", "txpower", "channel",
        ] {
            // passed in the VM, and the line really is in iw's output copied out
            let line = detail(&format!("{iface}-info-{key}"));
            assert!(
                info.lines().any(|l| l.trim() == line),
                "{iface} {key}: {line:?} not in iw output:\n{info}"
            );
        }
        // and agrees with what the scenario itself reported for the AP
        let rec = run.named("ap", ap).expect("@@ ap");
        assert_eq!(
            detail(&format!("{iface}-info-addr")),
            format!("addr {}", rec.field("bssid"))
        );
        assert!(detail(&format!("{iface}-info-channel"))
            .contains(&format!("({} MHz)", rec.field("freq"))));
        assert_eq!(detail(&format!("{iface}-info-type")), "type AP");
    }
    assert_eq!(detail("wlan0-info-ssid"), "ssid lab24");
    assert_eq!(detail("wlan2-info-ssid"), "ssid lab5");
    // 5 GHz channel 36 at 80 MHz: the centre frequency of 36-48 is 5210 MHz
    assert!(
        detail("wlan2-info-channel").ends_with("width: 80 MHz, center1: 5210 MHz"),
        "{}",
        detail("wlan2-info-channel")
    );
}

#[test]
fn wiphy_uapsd_and_band_frequencies_match_iw_phy() {
    for iface in ["wlan0", "wlan2"] {
        run().expect_ok(&format!("{iface}-ap-uapsd"));
        run().expect_ok(&format!("{iface}-wiphy-freqs"));
    }
    // host-side: the number of frequencies compared equals the channel lines of `iw phy`
    let phy = iw_file("iw-phy0");
    let n_iw = phy
        .lines()
        .filter(|l| l.trim().starts_with("* ") && l.contains(" MHz ["))
        .count();
    let d = detail("wlan0-wiphy-freqs");
    assert!(
        d.starts_with(&format!("{n_iw} frequencies, iw {n_iw};")),
        "{d} (iw phy0 lists {n_iw})"
    );
    assert!(n_iw > 14, "too few frequencies in iw phy: {n_iw}");
    let uapsd = phy.contains("Device supports AP-side u-APSD.");
    assert_eq!(detail("wlan0-ap-uapsd"), uapsd.to_string());
}

#[test]
fn family_is_resolved_with_the_mlme_group() {
    let d = detail("family");
    assert!(d.contains("(\"mlme\", "), "{d}");
}

#[test]
fn nonblocking_client_agrees_with_blocking_calls() {
    for iface in ["wlan0", "wlan2"] {
        for c in ["all-done", "interface", "stations", "wiphy"] {
            run().expect_ok(&format!("{iface}-client-{c}"));
        }
    }
}

#[test]
fn kernel_errors_are_reported() {
    run().expect_ok("no-such-ifindex");
    run().expect_ok("no-such-station");
    run().expect_ok("no-such-ifname");
}

#[test]
fn station_del_and_new_events_when_a_station_leaves_and_returns() {
    let run = run();
    run.expect_ok("s1-back-on-A");
    let mac = &stations(run)[0].1;
    assert_eq!(&detail("event-del"), mac);
    assert_eq!(&detail("event-new-after-del"), mac);
    run.expect_ok("events-status");
    let log = String::from_utf8_lossy(&run.file("ev.log").expect("ev.log")).into_owned();
    let del = log.find("EVENT Station(Del").expect("a Del event logged");
    let new = log.rfind("EVENT Station(New").expect("a New event logged");
    assert!(del < new, "{log}");
}

#[test]
fn overflowed_event_socket_reports_lost() {
    run().expect_ok("enobufs-reported");
    run().expect_ok("events-after-lost");
    run().expect_ok("lost-status");
}

#[test]
fn family_resolved_again_after_cfg80211_reload() {
    run().expect_ok("modules-removed");
    run().expect_ok("after-reload-family");
    run().expect_ok("reload-status");
    // the reloaded hwsim has 2 radios: the same open handle lists exactly them
    let d = detail("after-reload-interfaces");
    assert!(d.starts_with("Ok(2) (iw dev: 2)"), "{d}");
}

#[test]
fn whole_scenario_passed() {
    let run = run();
    run.expect_ok("compare-ran");
    run.expect_ok("compare-status");
    run.expect_passed();
    assert!(
        run.of("assert").count() >= 100,
        "too few checks ran: {}",
        run.of("assert").count()
    );
}
