//! The one-shot commands (issue 7) against real hostapd 2.10 and wpa_supplicant 2.10 in the
//! lab VM (tests/lab/README.md): one boot per scenario in tests/lab/scenarios/cli_*.sh, each
//! test reading its own assertions from that run. The scenarios run the static release build
//! of roamer that the lab builds.
//!
//! Prerequisite: `tests/lab/prepare.sh` (a missing one fails the tests with that command).

#[path = "common/lab.rs"]
mod lab;

use std::sync::OnceLock;

fn boot(path: &str) -> lab::Run {
    let run = lab::Lab::scenario(path).timeout(420).run();
    eprintln!("{path}: {} ms wall", run.wall.as_millis());
    run
}

fn own_nr() -> &'static lab::Run {
    static RUN: OnceLock<lab::Run> = OnceLock::new();
    RUN.get_or_init(|| boot("tests/lab/scenarios/cli_own_nr.sh"))
}

fn measure() -> &'static lab::Run {
    static RUN: OnceLock<lab::Run> = OnceLock::new();
    RUN.get_or_init(|| boot("tests/lab/scenarios/cli_measure.sh"))
}

fn steer() -> &'static lab::Run {
    static RUN: OnceLock<lab::Run> = OnceLock::new();
    RUN.get_or_init(|| boot("tests/lab/scenarios/cli_steer.sh"))
}

fn dfs() -> &'static lab::Run {
    static RUN: OnceLock<lab::Run> = OnceLock::new();
    RUN.get_or_init(|| boot("tests/lab/scenarios/cli_dfs.sh"))
}

fn events() -> &'static lab::Run {
    static RUN: OnceLock<lab::Run> = OnceLock::new();
    RUN.get_or_init(|| boot("tests/lab/scenarios/cli_events.sh"))
}

const OWN_NR_IFACES: &[&str] = &[
    "wlan0", "wlan1", "wlan2", "wlan3", "wlan4", "wlan5", "wlan6", "wlan7", "wlan8", "wlan9",
    "wlan10", "wlan10_1", "wlan11",
];

/// `own-nr` prints exactly hostapd's own SHOW_NEIGHBOR line, for 12 BSS configurations
/// (5/2.4 GHz, 20/40/80 MHz, legacy/HT/VHT/HE, WMM off, U-APSD, spectrum management, a
/// second BSS on one radio, TKIP-only with HT disabled), and `--check` agrees.
#[test]
fn own_nr_equals_hostapd_own_entry() {
    let run = own_nr();
    for ifc in OWN_NR_IFACES {
        let r = run.result(&format!("own-nr-{ifc}"));
        assert_eq!(r.field("rc"), "0", "{ifc}: {}", r.field("got"));
        assert!(
            !r.field("want").is_empty(),
            "{ifc}: hostapd has an own entry"
        );
        assert_eq!(r.field("got"), r.field("want"), "{ifc}");
        run.expect_ok(&format!("own-nr-equals-show-neighbor-{ifc}"));
        run.expect_ok(&format!("own-nr-check-{ifc}"));
    }
}

/// DFS channels (52, 100-112 at 80 MHz) after their 60 s availability check, 160 MHz, and
/// spectrum_mgmt_required: the Spectrum Management bit and classes 118/128/129/116 match.
#[test]
fn own_nr_on_dfs_channels_and_160_mhz() {
    let run = dfs();
    for ap in ["D52", "D100", "W160", "P40"] {
        run.expect_ok(&format!("{ap}-enabled"));
        let r = run.result(&format!("own-nr-{ap}"));
        assert_eq!(r.field("rc"), "0", "{ap}: {}", r.field("got"));
        assert!(
            !r.field("want").is_empty(),
            "{ap}: hostapd has an own entry"
        );
        assert_eq!(r.field("got"), r.field("want"), "{ap}");
        run.expect_ok(&format!("own-nr-check-{ap}"));
    }
    run.expect_ok("status-D52-spectrum");
    run.expect_ok("status-W160-class");
    run.expect_passed();
}

#[test]
fn status_decodes_every_configuration() {
    let run = own_nr();
    for ifc in OWN_NR_IFACES {
        run.expect_ok(&format!("status-json-nr-{ifc}"));
        run.expect_ok(&format!("status-table-{ifc}"));
    }
    run.expect_ok("status-A-opclass");
    run.expect_ok("status-A-width");
    run.expect_ok("status-C-opclass");
    run.expect_ok("status-B-band");
    run.expect_passed();
}

#[test]
fn stations_match_the_kernel() {
    let run = measure();
    for a in [
        "stations-row",
        "stations-json",
        "stations-signal-like-iw",
        "stations-empty",
    ] {
        run.expect_ok(a);
    }
}

#[test]
fn bad_interfaces_hostapd_down_and_no_permission() {
    let run = measure();
    for a in [
        "stations-no-iface",
        "stations-no-iface-rc",
        "stations-bad-name",
        "stations-not-wireless",
        "status-stations",
        "status-no-hostapd",
        "status-no-hostapd-rc",
        "status-no-iface",
        "status-no-dir",
        "status-permission",
        "status-permission-rc",
    ] {
        run.expect_ok(a);
    }
}

#[test]
fn beacon_report_modes_and_rcpi() {
    let run = measure();
    for a in [
        "br-default-rc",
        "br-default-row",
        "br-default-json",
        "br-default-json-ok",
        "br-passive-row",
        "br-bssid-json",
        "br-bssid-only",
        "br-table-A",
        "br-table-B",
        "br-class81",
    ] {
        run.expect_ok(a);
    }
}

#[test]
fn beacon_report_refusals_and_bad_input() {
    let run = measure();
    for a in [
        "br-refused-rc",
        "br-refused-why",
        "br-refused-json",
        "br-unknown-sta",
        "br-unknown-sta-rc",
        "br-bad-mac",
        "br-bad-mode",
        "br-bad-class",
        "br-no-hostapd",
        "br-no-rrm-rc",
        "br-no-rrm-why",
        "own-nr-no-rrm-rc",
        "own-nr-no-rrm-note",
        "neighbors-no-show",
        "no-client-sockets-left",
    ] {
        run.expect_ok(a);
    }
    run.expect_passed();
}

#[test]
fn neighbors_side_by_side() {
    let run = steer();
    for a in [
        "check-config",
        "neighbors-own",
        "neighbors-local",
        "neighbors-config",
        "neighbors-same-after-set",
        "neighbors-json",
        "neighbors-bad-config",
    ] {
        run.expect_ok(a);
    }
}

#[test]
fn steer_accepted_moves_the_client() {
    let run = steer();
    for a in [
        "steer-accept-rc",
        "steer-accept-json",
        "steer-accept-candidate",
        "steer-moved-to-B",
        "steer-back-rc",
        "steer-back-text",
        "steer-moved-to-A",
        "C-enabled",
        "steer-remote-rc",
        "steer-remote-source",
        "steer-remote-left",
        "steer-moved-to-C",
    ] {
        run.expect_ok(a);
    }
}

#[test]
fn steer_rejections_and_refusals() {
    let run = steer();
    for a in [
        "steer-reject-rc",
        "steer-reject-why",
        "steer-reject-stayed",
        "steer-unknown-sta",
        "steer-unknown-target",
        "steer-unknown-target-rc",
        "steer-self",
        "steer-bad-nr",
        "steer-nr-mismatch",
        "steer-bad-timer",
        "steer-no-hostapd",
        "no-client-sockets-left",
    ] {
        run.expect_ok(a);
    }
    run.expect_passed();
}

#[test]
fn events_stream_decoded_and_stop_cleanly() {
    let run = events();
    for a in [
        "json-connected",
        "json-report",
        "json-refused",
        "text-connected",
        "text-report",
        "decode-logged-line",
        "json-exit-0",
        "text-exit-0",
        "no-client-sockets-left",
    ] {
        run.expect_ok(a);
    }
}

#[test]
fn events_exit_1_when_hostapd_goes_away() {
    let run = events();
    for a in [
        "gone-exits",
        "gone-exit-1",
        "gone-why",
        "events-no-hostapd",
        "events-bad-usage",
    ] {
        run.expect_ok(a);
    }
    run.expect_passed();
}
