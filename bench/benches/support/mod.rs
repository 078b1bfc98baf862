//! The measuring harness of the decode benchmarks (a plain `harness = false` loop, no
//! criterion: it builds in seconds on the 2-core machines and prints exactly the figures
//! `bench/RESULTS.md` quotes: medians per unit of work, and ratios from the same run).
//!
//! Method: warm up, calibrate how many calls fill one sample (`BENCH_SAMPLE_MS`, default
//! 10 ms), then time `BENCH_SAMPLES` (default 31) samples back to back and report the median
//! nanoseconds per unit (station, event, ...) with the minimum and maximum sample.
//!
//! Each sample is timed twice: by the thread's CPU clock (`CLOCK_THREAD_CPUTIME_ID`), the
//! figure quoted, and by the wall clock. The machines are 2 cores shared with compilers and
//! lab VMs (load averages of 5-15 are normal while the team works): wall-clock samples then
//! include time the thread spent descheduled, the thread CPU clock does not. Medians because
//! the remaining noise (caches, frequency) is one-sided; the spread shows how noisy a run was.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use nix::time::{clock_gettime, ClockId};

/// This thread's CPU time, ns.
fn thread_cpu_ns() -> u128 {
    let t = clock_gettime(ClockId::CLOCK_THREAD_CPUTIME_ID).expect("CLOCK_THREAD_CPUTIME_ID");
    t.tv_sec() as u128 * 1_000_000_000 + t.tv_nsec() as u128
}

/// Nanoseconds per unit of work over the samples of one measurement.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    /// Median sample, thread CPU ns per unit.
    pub median: f64,
    /// Fastest sample, thread CPU ns per unit.
    pub min: f64,
    /// Slowest sample, thread CPU ns per unit.
    pub max: f64,
    /// Median sample, wall-clock ns per unit.
    pub wall_median: f64,
    /// Samples taken.
    pub samples: usize,
    /// Calls per sample.
    pub calls: u64,
}

fn env_num(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|v| *v > 0)
        .unwrap_or(default)
}

/// Times `f`, which performs `units` units of work per call (its result goes through
/// `black_box` so that nothing is optimised away).
pub fn measure<R>(units: usize, mut f: impl FnMut() -> R) -> Stats {
    let samples = env_num("BENCH_SAMPLES", 31) as usize;
    let sample = Duration::from_millis(env_num("BENCH_SAMPLE_MS", 10));
    // warm-up and calibration: double the calls until one batch takes >= a sample's time
    // (by CPU time, so that a descheduled batch does not shrink the samples)
    let target = sample.as_nanos();
    let mut calls: u64 = 1;
    loop {
        let c = thread_cpu_ns();
        for _ in 0..calls {
            std::hint::black_box(f());
        }
        let e = thread_cpu_ns() - c;
        if e >= target || calls >= 1 << 30 {
            // scale to the sample time
            let per = e as f64 / calls as f64;
            calls = ((target as f64 / per).ceil() as u64).max(1);
            break;
        }
        calls *= 2;
    }
    let div = calls as f64 * units as f64;
    let (mut cpu, mut wall): (Vec<f64>, Vec<f64>) = (0..samples)
        .map(|_| {
            let (t, c) = (Instant::now(), thread_cpu_ns());
            for _ in 0..calls {
                std::hint::black_box(f());
            }
            let c = thread_cpu_ns() - c;
            (c as f64 / div, t.elapsed().as_nanos() as f64 / div)
        })
        .unzip();
    cpu.sort_by(|a, b| a.total_cmp(b));
    wall.sort_by(|a, b| a.total_cmp(b));
    Stats {
        median: cpu[cpu.len() / 2],
        min: cpu[0],
        max: cpu[cpu.len() - 1],
        wall_median: wall[wall.len() / 2],
        samples,
        calls,
    }
}

/// Prints one result line: `name  median CPU ns/unit  [min .. max]  wall median  (samples x
/// calls)`, and a machine-readable twin starting with `RESULT`.
pub fn report(name: &str, unit: &str, s: &Stats) {
    println!(
        "{name:<46} {:>10.1} ns/{unit:<7} [{:.1} .. {:.1}] wall {:.1} ({}x{})",
        s.median, s.min, s.max, s.wall_median, s.samples, s.calls
    );
    println!(
        "RESULT {name} median_ns={:.1} min_ns={:.1} max_ns={:.1} wall_median_ns={:.1} unit={unit}",
        s.median, s.min, s.max, s.wall_median
    );
}

/// Prints a ratio line (`a / b` of the medians).
pub fn ratio(name: &str, a: &Stats, b: &Stats, what: &str) {
    let r = a.median / b.median;
    println!("{name:<46} {r:>10.2} x          ({what}, CPU-time medians)");
    println!("RESULT {name} ratio={r:.2}");
}

/// Reads a fixture `.hex` file of the nl80211 crate: `== <label> datagram N` starts a
/// datagram; on other lines the hex digits before a `#` are its bytes.
pub fn read_hex_datagrams(path: &std::path::Path) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()));
    let mut out: Vec<Vec<u8>> = Vec::new();
    for line in text.lines() {
        if line.starts_with("==") {
            out.push(Vec::new());
            continue;
        }
        let hex: String = line
            .split('#')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if hex.is_empty() {
            continue;
        }
        let cur = out
            .last_mut()
            .unwrap_or_else(|| panic!("{}: bytes before the first '==' line", path.display()));
        for i in (0..hex.len()).step_by(2) {
            let b = u8::from_str_radix(&hex[i..i + 2], 16)
                .unwrap_or_else(|_| panic!("{}: bad hex '{}'", path.display(), &hex[i..i + 2]));
            cur.push(b);
        }
    }
    out
}
