//! `roamer run` when the kernel drops its nl80211 station events (ENOBUFS on its event socket),
//! and its memory under client churn, in the lab VM (tests/lab/README.md). One boot
//! (scenarios/daemon_overflow.sh, which explains how the overflow is produced); each test reads
//! its assertions from the shared run.
//!
//! Memory is measured on the release build the lab always boots (`/bin/roamer`) and, when
//! tests/cross/router.sh (the `static` stage of tests/all.sh) has built a router binary newer
//! than the sources, on that too (the one that ships); otherwise a second release instance is
//! measured and the run says `!!! SKIPPED` about the router build.
//!
//! Prerequisite: `tests/lab/prepare.sh` (a missing one fails the tests with that command).

#[path = "common/lab.rs"]
mod lab;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

/// Growth of VmRSS / VmHWM allowed between the warm-up (after the first cycles) and the end of
/// the churn: 8 pages. Measured growth was 0-4 kB (one page of heap or stack); a leak of one
/// client's state per connection (64 connections after the warm-up) exceeds it at once.
const MEM_SLACK_KB: u64 = 32;

/// The router build, if tests/cross/router.sh built one that is newer than every source file.
fn router_binary() -> Result<PathBuf, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| lab::root().join("target"));
    let bin = target.join("x86_64-unknown-linux-musl/router/roamer");
    let built = std::fs::metadata(&bin)
        .and_then(|m| m.modified())
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let root = lab::root();
    let mut newest = SystemTime::UNIX_EPOCH;
    for p in [
        "src",
        "ctrl-proto/src",
        "nl80211/src",
        "Cargo.toml",
        "Cargo.lock",
    ] {
        newest = newest.max(newest_in(&root.join(p)));
    }
    if built < newest {
        return Err(format!("{} is older than the sources", bin.display()));
    }
    Ok(bin)
}

fn newest_in(p: &Path) -> SystemTime {
    let Ok(m) = std::fs::metadata(p) else {
        return SystemTime::UNIX_EPOCH;
    };
    let mut t = m.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    if m.is_dir() {
        for e in std::fs::read_dir(p).into_iter().flatten().flatten() {
            t = t.max(newest_in(&e.path()));
        }
    }
    t
}

fn run() -> &'static lab::Run {
    static RUN: OnceLock<lab::Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let mut l = lab::Lab::scenario("tests/lab/scenarios/daemon_overflow.sh").timeout(500);
        match router_binary() {
            Ok(bin) => {
                // In the VM as /opt/bin/roamer-router (a file named roamer would shadow
                // /bin/roamer on PATH).
                let dir = std::env::temp_dir().join(format!("lab-router-{}", std::process::id()));
                std::fs::create_dir_all(&dir).expect("temp dir");
                let copy = dir.join("roamer-router");
                std::fs::copy(&bin, &copy).expect("copy the router build");
                l = l.bin(&copy);
                eprintln!("daemon_overflow: r2 is the router build {}", bin.display());
            }
            Err(why) => println!(
                "!!! SKIPPED: lab memory of the router build ({why}; build it with tests/cross/router.sh); a second release instance was measured"
            ),
        }
        let run = l.run();
        eprintln!("daemon_overflow: {} ms wall", run.wall.as_millis());
        run
    })
}

fn num(r: &lab::Record, key: &str) -> u64 {
    r.field(key)
        .parse()
        .unwrap_or_else(|_| panic!("{key}={:?} is not a number", r.field(key)))
}

#[test]
fn small_receive_buffer_set_up() {
    let run = run();
    run.expect_ok("r-netlink-sockets");
    run.expect_ok("view-before");
    run.expect_ok("lost-counter-in-json");
    run.expect_ok("view-before-has-s1");
}

#[test]
fn kernel_drops_events_while_roamer_is_frozen() {
    let run = run();
    for name in [
        "r-frozen",
        "overflowed",
        "s1-left-kernel",
        "s5-joined-kernel",
        "leave-join-dropped",
        "still-frozen",
    ] {
        run.expect_ok(name);
    }
    let o = run.result("overflow");
    // The kernel's own count of datagrams it could not queue for roamer.
    assert!(num(o, "drops_flood") > num(o, "drops_before"), "{o:?}");
    // s1's DEL_STATION and s5's NEW_STATION came after the buffer was full: dropped too.
    assert!(
        num(o, "drops_after_leave_join") >= num(o, "drops_flood") + 2,
        "{o:?}"
    );
    eprintln!(
        "overflow: one station leaving queued {} bytes in roamer's event socket; drops {} -> {} -> {}",
        o.field("one_leave_bytes"),
        o.field("drops_before"),
        o.field("drops_flood"),
        o.field("drops_after_leave_join")
    );
}

#[test]
fn lost_events_are_counted_logged_once_and_resynced() {
    let run = run();
    for name in [
        "lost-counted",
        "view-after",
        "s1-gone-from-view",
        "s5-in-view",
        "still-running-1",
        "logged-once-1",
    ] {
        run.expect_ok(name);
    }
    let o = run.result("overflow");
    assert!(num(o, "lost_after") > num(o, "lost_before"), "{o:?}");
    let view = run
        .file("view-after")
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    eprintln!(
        "view {} ms after SIGCONT (poll_interval 60 s):\n{view}",
        o.field("view_ms")
    );
    // poll_interval_ms is 60000: only the event-driven re-sync can be this fast.
    assert!(num(o, "view_ms") < 20_000, "{o:?}");
}

#[test]
fn second_loss_counted_not_logged_again() {
    let run = run();
    for name in [
        "s1-back",
        "view-before-2",
        "r-frozen-2",
        "overflowed-2",
        "s1-left-kernel-2",
        "lost-counted-2",
        "view-after-2",
        "s1-gone-from-view-2",
        "still-running-2",
        "logged-once-2",
    ] {
        run.expect_ok(name);
    }
    let o1 = run.result("overflow");
    let o2 = run.result("overflow2");
    assert!(num(o2, "lost") > num(o1, "lost_after"), "{o1:?} {o2:?}");
}

#[test]
fn memory_flat_under_client_churn() {
    let run = run();
    for name in [
        "r2-view",
        "warm-view-r",
        "warm-view-r2",
        "end-view-r",
        "end-view-r2",
        "many-distinct-clients",
        "tracked-bounded",
        "still-running-r",
        "still-running-r2",
    ] {
        run.expect_ok(name);
    }
    let c = run.result("churn");
    eprintln!(
        "churn: {} cycles of {} stations ({} connections with new MACs) in {} ms",
        c.field("cycles"),
        c.field("stations"),
        c.field("distinct_connections"),
        c.field("churn_ms")
    );
    assert!(num(c, "cycles") >= 20, "{c:?}");
    eprintln!(
        "lost-event resyncs during the churn: r (8 KiB buffer) {}, r2 (production buffer) {}",
        c.field("lost_r"),
        c.field("lost_r2")
    );
    // With the buffer roamer asks for, this churn never overflows it.
    assert_eq!(num(c, "lost_r2"), 0, "{c:?}");
    for name in ["mem_r", "mem_r2"] {
        let m = run.result(name);
        eprintln!(
            "{name} ({} build, {} bytes): VmRSS {} -> {} kB, VmHWM {} -> {} kB after {} / {} cycles",
            m.field("binary"),
            m.field("bytes"),
            m.field("rss_warm_kb"),
            m.field("rss_end_kb"),
            m.field("hwm_warm_kb"),
            m.field("hwm_end_kb"),
            c.field("warm_cycles"),
            c.field("cycles")
        );
        assert!(
            num(m, "rss_end_kb") <= num(m, "rss_warm_kb") + MEM_SLACK_KB,
            "{name}: VmRSS grew more than {MEM_SLACK_KB} kB: {m:?}"
        );
        assert!(
            num(m, "hwm_end_kb") <= num(m, "hwm_warm_kb") + MEM_SLACK_KB,
            "{name}: VmHWM grew more than {MEM_SLACK_KB} kB: {m:?}"
        );
    }
}

#[test]
fn clean_stop() {
    let run = run();
    run.expect_ok("r-exit-0");
    run.expect_ok("r2-exit-0");
    run.expect_passed();
}
