//! Cost of one policy step with 1, 100 and 10,000 clients.
//!
//! `cargo bench -p roamer-bench --bench policy` (plain `harness = false` loop: warm-up,
//! calibration to `BENCH_SAMPLE_MS` per sample (default 10), `BENCH_SAMPLES` samples (default
//! 31), median ns with min/max). Two workloads, each over N tracked clients served round robin:
//!
//! - `sample/quiet`: one nl80211 sample of a client with nothing to do (the common case; the
//!   daemon feeds one per client per poll interval), plus draining the action queue;
//! - `cycle/steer`: one whole steering cycle of a client: weak sample -> REQ_BEACON -> token ->
//!   report -> quiet-period timeout -> BSS_TM_REQ -> OK -> accept -> disconnect -> reconnect
//!   (8 inputs + 1 timeout); reported per cycle and per call.
//!
//! Results are printed as `RESULT <name> median_ns=... unit=...` lines.

use std::hint::black_box;
use std::time::{Duration, Instant as WallClock};

use roamer::policy::{
    Action, Band, BeaconReport, Config, Input, Instant, Mac, NeighborEntry, Policy, RadioId,
    RadioInfo, Signal, StationSample,
};

const R2: RadioId = RadioId(0);
const R5: RadioId = RadioId(1);
const SSID: &[u8] = b"bench";

fn entry(last: u8, op_class: u8, channel: u8, phy: u8) -> NeighborEntry {
    NeighborEntry {
        bssid: Mac([2, 0, 0, 0, last, 0]),
        ssid: SSID.to_vec(),
        bssid_info: 0x19ef,
        op_class,
        channel,
        phy,
        subelements: vec![6, 3, 2, 42, 0],
    }
}

fn sta(i: u32) -> Mac {
    let b = i.to_be_bytes();
    Mac([0x02, 0x10, b[0], b[1], b[2], b[3]])
}

fn env_num(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|v| *v > 0)
        .unwrap_or(default)
}

/// Median/min/max ns per unit of `f` (which does `units` units per call).
fn measure(units: u64, mut f: impl FnMut()) -> (f64, f64, f64) {
    let samples = env_num("BENCH_SAMPLES", 31) as usize;
    let sample = Duration::from_millis(env_num("BENCH_SAMPLE_MS", 10));
    let mut calls: u64 = 1;
    loop {
        let t = WallClock::now();
        for _ in 0..calls {
            f();
        }
        let e = t.elapsed();
        if e >= sample || calls >= 1 << 30 {
            let per = e.as_secs_f64() / calls as f64;
            calls = ((sample.as_secs_f64() / per).ceil() as u64).max(1);
            break;
        }
        calls *= 2;
    }
    let mut v: Vec<f64> = (0..samples)
        .map(|_| {
            let t = WallClock::now();
            for _ in 0..calls {
                f();
            }
            t.elapsed().as_nanos() as f64 / (calls * units) as f64
        })
        .collect();
    v.sort_by(|a, b| a.total_cmp(b));
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn report(name: &str, unit: &str, (median, min, max): (f64, f64, f64)) {
    println!("{name:<34} {median:>10.1} ns/{unit:<6} [{min:.1} .. {max:.1}]");
    println!("RESULT {name} median_ns={median:.1} min_ns={min:.1} max_ns={max:.1} unit={unit}");
}

/// A policy with one AP's two radios, three remote neighbors and `n` connected clients.
fn world(n: u32, cfg: Config) -> Policy {
    let mut p = Policy::new(cfg);
    let t0 = Instant(0);
    p.handle(
        t0,
        Input::Radio {
            radio: R2,
            info: RadioInfo {
                band: Band::G2,
                ssid: SSID.to_vec(),
                own: entry(0, 81, 6, 7),
            },
        },
    );
    p.handle(
        t0,
        Input::Radio {
            radio: R5,
            info: RadioInfo {
                band: Band::G5,
                ssid: SSID.to_vec(),
                own: entry(1, 128, 36, 9),
            },
        },
    );
    p.handle(
        t0,
        Input::Neighbors {
            entries: vec![
                entry(2, 128, 149, 9),
                entry(3, 81, 1, 7),
                entry(4, 128, 52, 9),
            ],
        },
    );
    for i in 0..n {
        p.handle(
            t0,
            Input::Connected {
                radio: R5,
                sta: sta(i),
            },
        );
    }
    while p.poll_action().is_some() {}
    p
}

fn drain(p: &mut Policy) -> usize {
    let mut n = 0;
    while let Some(a) = p.poll_action() {
        black_box(&a);
        n += 1;
    }
    n
}

fn bench_quiet(n: u32) {
    let mut p = world(n, Config::default());
    let mut now = 100_000u64;
    let mut i = 0u32;
    let mut rx = 0u64;
    let r = measure(1, || {
        i = (i + 1) % n;
        if i == 0 {
            now += 1000;
        }
        rx += 1;
        let sample = StationSample {
            signal: Some(-55),
            signal_avg: Some(-55),
            inactive_ms: 50,
            connected_s: 3600,
            rx_packets: rx,
        };
        p.handle(
            Instant(now),
            Input::Sample {
                radio: R5,
                sta: sta(i),
                sample,
            },
        );
        drain(&mut p);
    });
    assert_eq!(p.stats().measurements, 0, "quiet workload must not trigger");
    report(&format!("policy sample/quiet n={n}"), "step", r);
}

fn bench_cycle(n: u32) {
    let cfg = Config {
        cooldown_s: 0,
        min_connected_s: 0,
        measure_interval_s: 0,
        measure_current: false,
        max_candidates: 1,
        ..Config::default()
    };
    let mut p = world(n, cfg);
    let mut now = 100_000u64;
    let mut i = 0u32;
    let mut rx = 0u64;
    let mut token = 0u8;
    let mut cycles = 0u64;
    let r = measure(1, || {
        i = (i + 1) % n;
        let s = sta(i);
        now += 10;
        rx += 1;
        let sample = StationSample {
            signal: Some(-75),
            signal_avg: Some(-75),
            inactive_ms: 50,
            connected_s: 3600,
            rx_packets: rx,
        };
        let t = |ms| Instant(ms);
        p.handle(
            t(now),
            Input::Sample {
                radio: R5,
                sta: s,
                sample,
            },
        );
        let mut req = None;
        while let Some(a) = p.poll_action() {
            if let Action::BeaconRequest(r) = &a {
                req = Some((r.op_class, r.channel, r.bssid));
            }
            black_box(&a);
        }
        let (op_class, channel, bssid) = req.expect("a weak client is measured");
        token = token.wrapping_add(1).max(1);
        p.handle(
            t(now + 1),
            Input::BeaconRequestResult {
                radio: R5,
                sta: s,
                token: Some(token),
            },
        );
        p.handle(
            t(now + 2),
            Input::BeaconReport {
                radio: R5,
                sta: s,
                report: BeaconReport {
                    token,
                    mode: 0,
                    op_class,
                    channel,
                    bssid,
                    signal: Signal::from_rcpi(130),
                },
            },
        );
        now += 400; // quiet period over
        p.handle_timeout(t(now));
        let mut sent = false;
        while let Some(a) = p.poll_action() {
            sent |= matches!(a, Action::BssTransition(_));
            black_box(&a);
        }
        assert!(sent, "a decision follows the report");
        p.handle(
            t(now + 1),
            Input::BtmRequestResult {
                radio: R5,
                sta: s,
                ok: true,
            },
        );
        p.handle(
            t(now + 2),
            Input::BtmResponse {
                radio: R5,
                sta: s,
                status: 0,
                target: Some(bssid),
            },
        );
        p.handle(t(now + 3), Input::Disconnected { radio: R5, sta: s });
        p.handle(t(now + 4), Input::Connected { radio: R5, sta: s });
        drain(&mut p);
        cycles += 1;
    });
    let st = p.stats();
    assert_eq!(
        st.steered, cycles,
        "every cycle must end in a successful steer: {st:?}"
    );
    report(&format!("policy cycle/steer n={n}"), "cycle", r);
    report(
        &format!("policy cycle/steer per-call n={n}"),
        "call",
        (r.0 / 9.0, r.1 / 9.0, r.2 / 9.0),
    );
}

fn main() {
    // `cargo test --benches` passes --bench too; a quick run is enough there
    for n in [1, 100, 10_000] {
        bench_quiet(n);
    }
    for n in [1, 100, 10_000] {
        bench_cycle(n);
    }
}
