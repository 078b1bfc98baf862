//! spawntime: whole-process wall time and CPU time of commands, run alternately, for the lab
//! benchmarks (bench/lab/scenario.sh). Built by bench/lab/run.sh as a static binary with
//! plain `rustc` (std only, no Cargo dependency): it is a measuring tool, not part of roamer.
//!
//! usage: spawntime RUNS -- LABEL CMD [ARGS...] [-- LABEL CMD [ARGS...]]...
//!
//! Runs every command once per round, RUNS rounds (A B A B ...: drifting background load
//! affects all of them alike), stdin/stdout/stderr on /dev/null, after one unmeasured
//! warm-up round. Per run it records:
//! - wall: `Instant` from before `spawn` to after `wait` (fork + exec + run + exit + reap);
//! - cpu: user + system time of the child, from its own `struct rusage` (`wait4`; the kernel
//!   accounts the sum exactly, only the user/system split is tick-sampled);
//! - its peak RSS (`ru_maxrss`).
//!
//! Output, one line per command (medians, min, max in microseconds; `fails` = runs whose exit
//! status was not 0; `maxrss_kb` = the median of the runs' peak RSS):
//! `spawn label=L runs=N fails=F wall_med_us=.. wall_min_us=.. wall_max_us=.. cpu_med_us=..
//!  cpu_min_us=.. cpu_max_us=.. user_med_us=.. sys_med_us=.. maxrss_kb=..`

use std::process::{Command, Stdio};
use std::time::Instant;

/// `struct rusage` (x86_64 / any LP64 Linux): two `struct timeval`, then 14 longs.
#[repr(C)]
#[derive(Default)]
struct Rusage {
    utime: [i64; 2],
    stime: [i64; 2],
    maxrss: i64,
    rest: [i64; 13],
}

extern "C" {
    fn wait4(pid: i32, status: *mut i32, options: i32, usage: *mut Rusage) -> i32;
}

/// Reaps `pid`: (exited with status 0, user µs, system µs, peak RSS KiB).
fn reap(pid: i32) -> (bool, u64, u64, u64) {
    let mut r = Rusage::default();
    let mut status = 0i32;
    loop {
        // SAFETY: `status` and `r` are valid, properly sized out-parameters of wait4(2).
        let rc = unsafe { wait4(pid, &mut status, 0, &mut r) };
        if rc == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        assert_eq!(e.kind(), std::io::ErrorKind::Interrupted, "wait4: {e}");
    }
    let ok = status & 0x7f == 0 && (status >> 8) & 0xff == 0;
    let us = |t: [i64; 2]| (t[0] * 1_000_000 + t[1]) as u64;
    (ok, us(r.utime), us(r.stime), r.maxrss as u64)
}

struct Cmd {
    label: String,
    argv: Vec<String>,
    wall: Vec<u64>,
    cpu: Vec<u64>,
    user: Vec<u64>,
    sys: Vec<u64>,
    fails: usize,
    rss: Vec<u64>,
}

fn run_once(c: &mut Cmd, record: bool) {
    let t = Instant::now();
    let child = Command::new(&c.argv[0])
        .args(&c.argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", c.argv[0]));
    // reaped here, not by `Child::wait`, to get its rusage (dropping a Child does not wait)
    let (ok, u, s, rss) = reap(child.id() as i32);
    let wall = t.elapsed().as_micros() as u64;
    if !record {
        return;
    }
    if !ok {
        c.fails += 1;
    }
    c.wall.push(wall);
    c.user.push(u);
    c.sys.push(s);
    c.cpu.push(u + s);
    c.rss.push(rss);
}

fn med(v: &[u64]) -> (u64, u64, u64) {
    let mut s = v.to_vec();
    s.sort_unstable();
    (s[s.len() / 2], s[0], s[s.len() - 1])
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: spawntime RUNS -- LABEL CMD [ARGS...] [-- LABEL CMD [ARGS...]]...";
    let runs: usize = args
        .first()
        .and_then(|a| a.parse().ok())
        .filter(|n| *n > 0)
        .expect(usage);
    let mut cmds: Vec<Cmd> = Vec::new();
    for group in args[1..].split(|a| a == "--").filter(|g| !g.is_empty()) {
        assert!(group.len() >= 2, "{usage}");
        cmds.push(Cmd {
            label: group[0].clone(),
            argv: group[1..].to_vec(),
            wall: Vec::new(),
            cpu: Vec::new(),
            user: Vec::new(),
            sys: Vec::new(),
            fails: 0,
            rss: Vec::new(),
        });
    }
    assert!(!cmds.is_empty(), "{usage}");
    for c in cmds.iter_mut() {
        run_once(c, false);
    }
    for _ in 0..runs {
        for c in cmds.iter_mut() {
            run_once(c, true);
        }
    }
    for c in &cmds {
        let (w, wmin, wmax) = med(&c.wall);
        let (p, pmin, pmax) = med(&c.cpu);
        println!(
            "spawn label={} runs={} fails={} wall_med_us={w} wall_min_us={wmin} wall_max_us={wmax} \
             cpu_med_us={p} cpu_min_us={pmin} cpu_max_us={pmax} user_med_us={} sys_med_us={} \
             maxrss_kb={}",
            c.label,
            c.wall.len(),
            c.fails,
            med(&c.user).0,
            med(&c.sys).0,
            med(&c.rss).0
        );
    }
}
