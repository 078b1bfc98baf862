//! `roamer run` against the wireless stack changing under it, in the lab VM
//! (tests/lab/README.md): the whole cfg80211/mac80211/mac80211_hwsim stack reloaded, and an AP
//! interface renamed while its hostapd is stopped. One boot (scenarios/daemon_kernel.sh); each
//! test reads its assertions from the shared run.
//!
//! Prerequisite: `tests/lab/prepare.sh` (a missing one fails the tests with that command).

#[path = "common/lab.rs"]
mod lab;

use std::sync::OnceLock;

/// Lines roamer may log for one interface during one outage: its start, back-off retries
/// (doubling up to 30 s, so a handful for a ~10 s outage), recovery and the re-sync of the
/// neighbor table. A retry loop logging every attempt at a fixed interval exceeds it at once.
const MAX_LINES_PER_IFACE: usize = 20;
/// Lines of an outage not tied to one interface (the nl80211 re-subscription).
const MAX_GLOBAL_LINES: usize = 5;

fn run() -> &'static lab::Run {
    static RUN: OnceLock<lab::Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = lab::Lab::scenario("tests/lab/scenarios/daemon_kernel.sh")
            .timeout(400)
            .run();
        eprintln!("daemon_kernel: {} ms wall", run.wall.as_millis());
        run
    })
}

fn lines_of(run: &lab::Run, file: &str) -> String {
    run.file(file)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

#[test]
fn tables_synced_before_the_outages() {
    let run = run();
    for name in [
        "check-config",
        "own-nr-a2",
        "own-nr-a5",
        "a2-has-a5",
        "a5-has-a2",
        "both-up-initially",
    ] {
        run.expect_ok(name);
    }
    let sync: u64 = run.result("timing").field("sync_ms").parse().unwrap();
    assert!(sync < 15_000, "initial sync took {sync} ms");
}

#[test]
fn survives_a_full_cfg80211_reload() {
    let run = run();
    for name in [
        "reload-modules-removed",
        "reload-survived-removal",
        "reload-radios-back",
        "reload-bssid-same",
        "reload-a2-has-a5",
        "reload-a5-has-a2",
        "reload-both-up",
        "reload-state-status",
        "reload-state-wlan0",
        "reload-state-wlan1",
        "reload-still-running",
        "reload-resubscribed",
    ] {
        run.expect_ok(name);
    }
    let ms: u64 = run.result("timing").field("reload_ms").parse().unwrap();
    assert!(
        ms < 30_000,
        "tables re-synced {ms} ms after hostapd came back"
    );
}

#[test]
fn survives_an_interface_rename() {
    let run = run();
    for name in [
        "rename-renamed",
        "rename-old-gone",
        "rename-survived",
        "rename-state-answers-during",
        "rename-state-wlan1-not-up-during",
        "rename-state-wlan0-up-during",
        "rename-back",
        "rename-a5-has-a2",
        "rename-a2-has-a5",
        "rename-both-up",
        "rename-state-wlan0",
        "rename-state-wlan1",
        "rename-still-running",
    ] {
        run.expect_ok(name);
    }
    let during = lines_of(run, "rename-state-during");
    eprintln!("roamer state while wlan1 was renamed:\n{during}");
    assert!(
        during.lines().any(|l| {
            let mut w = l.split_whitespace();
            w.next() == Some("wlan1") && w.next() == Some("down")
        }),
        "state during the outage does not list wlan1 as down:\n{during}"
    );
    let ms: u64 = run.result("timing").field("rename_ms").parse().unwrap();
    assert!(
        ms < 30_000,
        "tables re-synced {ms} ms after hostapd came back"
    );
}

#[test]
fn outages_do_not_flood_the_log() {
    let run = run();
    let l = run.result("loglines");
    // (outage, its log lines, the interfaces whose hostapd was stopped)
    for (outage, file, ifaces) in [
        ("reload", "reload-lines", &["wlan0", "wlan1"][..]),
        ("rename", "rename-lines", &["wlan1"][..]),
    ] {
        let n: usize = l.field(outage).parse().unwrap();
        let text = lines_of(run, file);
        eprintln!("{outage}: {n} lines:\n{text}");
        assert_eq!(text.lines().count(), n, "{outage}: line count vs file");
        let mut counted = 0;
        for iface in ifaces {
            let prefix = format!(" {iface}: ");
            let mine: Vec<&str> = text.lines().filter(|x| x.contains(&prefix)).collect();
            counted += mine.len();
            // Logged once per outage, then quiet retries, then back.
            let down = mine
                .iter()
                .filter(|x| x.contains("hostapd unreachable"))
                .count();
            assert_eq!(
                down, 1,
                "{outage}: {iface}: 'hostapd unreachable' lines:\n{text}"
            );
            let back = mine
                .iter()
                .filter(|x| x.contains("reachable again"))
                .count();
            assert_eq!(
                back, 1,
                "{outage}: {iface}: 'reachable again' lines:\n{text}"
            );
            assert!(
                mine.len() < MAX_LINES_PER_IFACE,
                "{outage}: {iface}: {} lines logged during the outage:\n{text}",
                mine.len()
            );
        }
        let global = text
            .lines()
            .filter(|x| {
                !x.contains(" wlan0: ") && !x.contains(" wlan1: ") && !x.contains(" wlanx: ")
            })
            .count();
        assert!(
            global <= MAX_GLOBAL_LINES,
            "{outage}: {global} lines not about an interface:\n{text}"
        );
        assert!(counted + global <= n, "{outage}: lines counted twice");
        assert!(
            n < MAX_LINES_PER_IFACE * ifaces.len() + MAX_GLOBAL_LINES,
            "{outage}: {n} lines logged during the outage:\n{text}"
        );
    }
}

#[test]
fn clean_stop_after_the_outages() {
    let run = run();
    run.expect_ok("r1-exit-0");
    run.expect_passed();
}
