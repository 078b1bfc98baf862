//! Many clients at once; bounded memory and queues.

use super::*;

fn mac(i: u32) -> Mac {
    let b = i.to_be_bytes();
    Mac([0x02, 0x10, b[0], b[1], b[2], b[3]])
}

/// Thousands of clients on both radios, each with its own state: the triggered ones are all
/// measured independently, the others are left alone, and each client's answers only affect
/// that client.
#[test]
fn thousands_of_clients_independently() {
    let mut s = Sim::new(cfg());
    const N: u32 = 3000;
    for i in 0..N {
        s.connect(mac(i), if i % 2 == 0 { R2 } else { R5 });
    }
    s.at(60_000);
    // every third client has a trigger: strong on 2.4 or weak on 5
    for i in 0..N {
        let (radio, dbm) = match (i % 2, i % 3) {
            (0, 0) => (R2, -50),
            (0, _) => (R2, -65),
            (_, 0) => (R5, -80),
            _ => (R5, -55),
        };
        s.sample(mac(i), radio, dbm);
    }
    let reqs: Vec<BeaconRequest> = std::iter::from_fn(|| match s.pending.pop_front() {
        Some(Action::BeaconRequest(r)) => Some(r),
        Some(other) => panic!("unexpected {other:?}"),
        None => None,
    })
    .collect();
    assert_eq!(reqs.len() as u32, N / 3);
    assert!(reqs.iter().all(|r| {
        let i = u32::from_be_bytes([r.sta.0[2], r.sta.0[3], r.sta.0[4], r.sta.0[5]]);
        i % 3 == 0
    }));
    // the 2.4 GHz ones answer well, the 5 GHz ones refuse
    for r in &reqs {
        let t = s.reply_token(r);
        if r.radio == R2 {
            s.report(r, t, R5_BSSID, -55);
        } else {
            s.report_mode(r, t, BeaconReport::MODE_REFUSED);
        }
    }
    s.after(400);
    let mut btm = 0;
    let mut passive = 0;
    while let Some(a) = s.pending.pop_front() {
        match a {
            Action::BssTransition(b) => {
                assert_eq!((b.radio, b.target()), (R2, Some(R5_BSSID)));
                btm += 1;
            }
            Action::BeaconRequest(r) => {
                assert_eq!((r.radio, r.mode), (R5, MeasureMode::Passive));
                passive += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(btm, N / 6);
    assert_eq!(passive, N / 6);
    assert_eq!(s.p.clients() as u32, N);
}

/// Disconnected clients are forgotten `forget_after_s` after leaving; the timer heap does not
/// grow without bound.
#[test]
fn departed_clients_are_forgotten() {
    let c = Config {
        forget_after_s: 600,
        ..cfg()
    };
    let mut s = Sim::new(c);
    for i in 0..1000 {
        s.connect(mac(i), R5);
    }
    s.at(1000);
    for i in 0..1000 {
        s.disconnect(mac(i), R5);
    }
    assert_eq!(s.p.clients(), 1000);
    s.after(599_000);
    assert_eq!(s.p.clients(), 1000);
    s.after(1000);
    assert_eq!(s.p.clients(), 0);
    assert_eq!(s.p.poll_timeout(), None);
}

/// At most `max_clients` are tracked; others are counted and ignored until room frees up.
#[test]
fn client_cap() {
    let c = Config {
        max_clients: 10,
        forget_after_s: 0,
        ..cfg()
    };
    let mut s = Sim::new(c);
    for i in 0..20 {
        s.connect(mac(i), R2);
    }
    assert_eq!(s.p.clients(), 10);
    assert_eq!(s.p.stats().untracked, 10);
    s.disconnect(mac(0), R2).after(1);
    assert_eq!(s.p.clients(), 9);
    s.sample(mac(15), R2, -65);
    assert_eq!(s.p.clients(), 10);
}

/// The action queue is bounded: when nobody drains it, log records go first and requests are
/// deferred (the client is simply evaluated again on its next sample).
#[test]
fn action_queue_is_bounded() {
    let c = Config {
        action_queue: 16,
        ..cfg()
    };
    let mut p = Policy::new(c);
    let t0 = Instant(0);
    p.handle(
        t0,
        Input::Radio {
            radio: R2,
            info: r2_info(),
        },
    );
    p.handle(
        t0,
        Input::Radio {
            radio: R5,
            info: r5_info(),
        },
    );
    let sample = StationSample {
        signal: Some(-50),
        signal_avg: Some(-50),
        inactive_ms: 10,
        connected_s: 3600,
        rx_packets: 1,
    };
    for i in 0..100 {
        p.handle(
            Instant(1000),
            Input::Sample {
                radio: R2,
                sta: mac(i),
                sample,
            },
        );
    }
    let st = p.stats();
    assert!(st.deferred > 0 && st.dropped_logs > 0, "{st:?}");
    let mut n = 0;
    let mut requests = 0;
    while let Some(a) = p.poll_action() {
        n += 1;
        if matches!(a, Action::BeaconRequest(_)) {
            requests += 1;
        }
    }
    assert_eq!(n, 16);
    assert_eq!(requests, 16, "requests displace log records");
    // deferred clients are picked up on their next sample once there is room
    for i in 0..100 {
        p.handle(
            Instant(2000),
            Input::Sample {
                radio: R2,
                sta: mac(i),
                sample,
            },
        );
        while p.poll_action().is_some() {}
    }
    assert_eq!(p.stats().measurements, 100);
}

/// Per-client memory stays bounded over a long life: readings are capped.
#[test]
fn per_client_readings_bounded() {
    let c = Config {
        max_candidates: 16,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R5);
    // 20 distinct remote BSSs over time
    let many: Vec<NeighborEntry> = (0..20u8)
        .map(|i| entry(Mac([2, 0, 0, 1, i, 0]), 115, 36 + 4 * (i % 4), 9, 0x19ef))
        .collect();
    s.input(Input::Neighbors {
        entries: many.clone(),
    });
    for round in 0..10 {
        s.after(10_000).sample(STA, R5, -80);
        let seen: Vec<(Mac, u8, i8)> = many
            .iter()
            .map(|e| (e.bssid, e.channel, -70 - round))
            .collect();
        s.measure(&seen);
    }
    let (readings, _, _) = s.p.clients_debug(&STA);
    assert_eq!(readings, crate::policy::client::MAX_READINGS);
}

/// A measurement whose next request finds the queue full is dropped without counting against
/// the client (it is not "silent"), and the client is measured again later.
#[test]
fn full_queue_mid_measurement_does_not_blame_the_client() {
    let c = Config {
        action_queue: 2,
        ..cfg()
    };
    let mut p = Policy::new(c);
    let t = Instant;
    p.handle(
        t(0),
        Input::Radio {
            radio: R2,
            info: r2_info(),
        },
    );
    p.handle(
        t(0),
        Input::Radio {
            radio: R5,
            info: r5_info(),
        },
    );
    p.handle(t(0), Input::Neighbors { entries: remote() });
    let weak = StationSample {
        signal: Some(-75),
        signal_avg: Some(-75),
        inactive_ms: 10,
        connected_s: 3600,
        rx_packets: 1,
    };
    let a = mac(1);
    p.handle(
        t(1000),
        Input::Sample {
            radio: R5,
            sta: a,
            sample: weak,
        },
    );
    while p.poll_action().is_some() {}
    p.handle(
        t(1001),
        Input::BeaconRequestResult {
            radio: R5,
            sta: a,
            token: Some(1),
        },
    );
    // two other clients fill the queue with their requests; nobody drains it
    p.handle(
        t(1002),
        Input::Sample {
            radio: R5,
            sta: mac(2),
            sample: weak,
        },
    );
    p.handle(
        t(1003),
        Input::Sample {
            radio: R5,
            sta: mac(3),
            sample: weak,
        },
    );
    // a's first request times out; its next one finds no room
    p.handle_timeout(t(3001));
    assert_eq!(p.clients_debug(&a), (0, 0, false), "dropped, not silent");
    assert!(p.stats().deferred > 0);
    while p.poll_action().is_some() {}
    p.handle_timeout(t(13_000)); // the other two move on to their next requests
    while p.poll_action().is_some() {}
    // measured again after the interval
    p.handle(
        t(13_001),
        Input::Sample {
            radio: R5,
            sta: a,
            sample: weak,
        },
    );
    let mut again = false;
    while let Some(x) = p.poll_action() {
        again |=
            matches!(x, Action::BeaconRequest(r) if r.sta == a && r.mode == MeasureMode::Active);
    }
    assert!(again);
}

/// Memory per tracked client stays small (thousands must be cheap): the record itself, not
/// counting its bounded reading list and an in-flight measurement.
#[test]
fn client_record_is_small() {
    let size = std::mem::size_of::<crate::policy::client::Client>();
    assert!(size <= 256, "Client is {size} bytes");
}
