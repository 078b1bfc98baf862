//! What keeps a trigger from firing: stale signal, minimum connected time, cooldown,
//! measurement interval, exclusions, per-client thresholds, dry run.

use super::*;

/// A client idle for longer than `stale_after_s` (10 s) has a stale signal: no trigger.
#[test]
fn stale_signal_no_trigger() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.idle_sample(STA, R2, -50, 10_001).expect_nothing();
    s.idle_sample(STA, R2, -80, 60_000).expect_nothing();
    s.idle_sample(STA, R2, -50, 10_000);
    s.expect_beacon_request();
}

/// Data that went stale during the measurement gives no decision.
#[test]
fn no_decision_on_stale_data() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -70);
    let r = s.expect_beacon_request();
    let t = s.reply_token(&r);
    // the client goes idle meanwhile
    s.idle_sample(STA, R5, -70, 30_000);
    s.report(&r, t, B5, -40).after(300);
    s.measure(&[(B5, 149, -40)]);
    s.after(3000).expect_nothing();
    assert!(!s.logged(|e| matches!(e, Event::Decision { .. })));
}

/// No decision either when the last sample is older than `stale_after_s` at decision time
/// (the daemon stopped sampling, e.g. nl80211 trouble).
#[test]
fn no_decision_when_samples_stop() {
    let c = Config {
        measure_timeout_ms: 6000,
        stale_after_s: 5,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R5);
    s.sample(STA, R5, -70);
    let r = s.expect_beacon_request();
    let t = s.reply_token(&r);
    s.after(5500).report(&r, t, B5, -40);
    s.after(7000);
    s.measure(&[(B5, 149, -40)]);
    s.expect_nothing();
    assert!(!s.logged(|e| matches!(e, Event::Decision { .. })));
}

/// The trigger is re-checked when the measurement ends: a client that walked back into good
/// signal meanwhile is left alone.
#[test]
fn no_decision_when_trigger_went_away() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -70);
    let r = s.expect_beacon_request();
    let t = s.reply_token(&r);
    s.sample(STA, R5, -50);
    s.report(&r, t, B5, -40).after(300);
    s.measure(&[(B5, 149, -40)]);
    s.after(3000).expect_nothing();
}

/// A client connected for less than `min_connected_s` is left alone.
#[test]
fn min_connected_time() {
    let c = Config {
        cooldown_s: 0,
        min_connected_s: 10,
        ..cfg()
    };
    let mut s = Sim::new(c);
    s.connect(STA, R2);
    s.at(9_000).sample(STA, R2, -50).expect_nothing();
    s.at(10_000).sample(STA, R2, -50);
    s.expect_beacon_request();
}

/// The kernel's connected time counts (daemon started after the client connected): no
/// waiting for a client that has been there for an hour.
#[test]
fn first_sample_of_an_old_client_uses_kernel_connected_time() {
    let mut s = Sim::new(cfg());
    s.at(1000);
    // never saw AP-STA-CONNECTED: the Sim reports connected_s = 3600
    s.sample(STA, R2, -50);
    s.expect_beacon_request();
}

/// After arriving, a client is left alone for `cooldown_s` (60 s).
#[test]
fn cooldown_after_arrival() {
    let c = Config {
        min_connected_s: 0,
        ..cfg()
    };
    let mut s = Sim::new(c);
    s.at(5_000).connect(STA, R5);
    s.at(30_000).sample(STA, R5, -80).expect_nothing();
    s.at(64_999).sample(STA, R5, -80).expect_nothing();
    s.at(65_000).sample(STA, R5, -80);
    s.expect_beacon_request();
}

/// A client whose measurement found nothing is measured again only after
/// `measure_interval_s` (10 s).
#[test]
fn measure_interval() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    s.measure(&[(R5_BSSID, 36, -80)]);
    let ended = s
        .log
        .iter()
        .find(|r| matches!(r.event, Event::NoCandidate { .. }))
        .map(|r| r.at.0)
        .expect("measurement ended");
    s.at(ended + 5_000).sample(STA, R2, -50).expect_nothing();
    s.at(ended + 9_999).sample(STA, R2, -50).expect_nothing();
    s.at(ended + 10_000).sample(STA, R2, -50);
    s.expect_beacon_request();
}

/// `steer '0'`: never measured, never steered.
#[test]
fn excluded_client_is_never_touched() {
    let mut c = cfg();
    c.clients.insert(
        STA,
        ClientOverride {
            steer: SteerMode::Never,
            ..Default::default()
        },
    );
    let mut s = Sim::with_client(c, STA, R2);
    s.connect(STA2, R2);
    s.at(120_000);
    for i in 0..30 {
        s.after(1000)
            .sample(STA, R2, if i % 2 == 0 { -40 } else { -90 });
    }
    s.expect_nothing();
    assert!(s.log.is_empty(), "{}", s.dump());
    // other clients are still steered
    s.sample(STA2, R2, -40);
    assert_eq!(s.expect_beacon_request().sta, STA2);
}

/// `steer_all '0'`: only clients marked `steer '1'` are steered.
#[test]
fn steer_all_off_steers_only_listed_clients() {
    let mut c = Config {
        steer_all: false,
        ..cfg()
    };
    c.clients.insert(
        STA2,
        ClientOverride {
            steer: SteerMode::Always,
            ..Default::default()
        },
    );
    let mut s = Sim::with_client(c, STA, R2);
    s.connect(STA2, R2);
    s.at(120_000);
    s.sample(STA, R2, -40).expect_nothing();
    s.sample(STA2, R2, -40);
    assert_eq!(s.expect_beacon_request().sta, STA2);
}

/// Per-client thresholds override the global ones, for that client only.
#[test]
fn per_client_thresholds() {
    let mut c = cfg();
    c.clients.insert(
        STA,
        ClientOverride {
            band_steer_signal: Some(-50),
            band_steer_target: Some(-55),
            ..Default::default()
        },
    );
    let mut s = Sim::with_client(c, STA, R2);
    s.connect(STA2, R2);
    s.at(120_000);
    s.sample(STA, R2, -55).expect_nothing(); // below its own -50
    s.sample(STA2, R2, -55);
    assert_eq!(s.peek_beacon_request().sta, STA2);
    s.measure(&[(R5_BSSID, 36, -60)]);
    assert_eq!(s.expect_btm().sta, STA2); // global target -65

    s.sample(STA, R2, -45);
    s.measure(&[(R5_BSSID, 36, -60)]);
    s.expect_nothing(); // its own target -55
    assert!(s.logged(|e| matches!(e, Event::NoCandidate { .. })));
}

/// Per-client roaming margin and target.
#[test]
fn per_client_roam_margin_and_target() {
    let mut c = cfg();
    c.clients.insert(
        STA,
        ClientOverride {
            roam_margin: Some(15),
            roam_signal_5g: Some(-75),
            ..Default::default()
        },
    );
    let mut s = Sim::with_client(c, STA, R5);
    s.sample(STA, R5, -70).expect_nothing(); // its own weak threshold is -75
    s.sample(STA, R5, -76);
    s.measure(&[(B5, 149, -62), (R5_BSSID, 36, -70)]);
    s.expect_nothing(); // -62 < -70 + 15
    s.after(10_000).sample(STA, R5, -76);
    s.measure(&[(B5, 149, -55), (R5_BSSID, 36, -70)]);
    assert_eq!(s.expect_btm().target(), Some(B5));
}

/// Dry run: measurements happen, decisions are logged, no transition is sent.
#[test]
fn dry_run_logs_decisions_sends_nothing() {
    let c = Config {
        dry_run: true,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R2);
    s.sample(STA, R2, -50);
    s.measure(&[(R5_BSSID, 36, -55)]);
    s.expect_nothing();
    assert!(s.logged(|e| matches!(
        e,
        Event::Decision { dry_run: true, target, .. } if *target == R5_BSSID
    )));
    // and it does not repeat the decision on every sample (cooldown as after an attempt)
    let n = s.log.len();
    for _ in 0..10 {
        s.after(1000).sample(STA, R2, -50);
    }
    s.expect_nothing();
    assert_eq!(s.log.len(), n);
}

/// Dry run without measuring: nothing at all is sent; the decision is logged on uplink data.
#[test]
fn dry_run_without_measuring_sends_nothing_at_all() {
    let c = Config {
        dry_run: true,
        dry_run_measure: false,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R2);
    s.sample(STA, R2, -50).expect_nothing();
    assert!(s.logged(|e| matches!(
        e,
        Event::Decision {
            dry_run: true,
            target_signal: None,
            ..
        }
    )));
}

/// Samples from radios the policy was not told about are ignored.
#[test]
fn unknown_radio_ignored() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA2, RadioId(7), -40).expect_nothing();
    assert_eq!(s.p.clients(), 1);
}

/// Disabling band steering or roaming disables the matching triggers.
#[test]
fn triggers_can_be_switched_off() {
    let c = Config {
        band_steering: false,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R2);
    s.sample(STA, R2, -40).expect_nothing();
    s.sample(STA, R2, -80);
    s.expect_beacon_request();

    let c = Config {
        roaming: false,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R5);
    s.sample(STA, R5, -90).expect_nothing();
}

/// Band steering needs a local 5 GHz radio with the same SSID.
#[test]
fn band_steer_only_to_same_ssid() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    let mut other = r5_info();
    other.ssid = b"guest".to_vec();
    other.own.ssid = b"guest".to_vec();
    s.input(Input::Radio {
        radio: R5,
        info: other,
    });
    s.sample(STA, R2, -40).expect_nothing();
}
