//! The original script's three triggers, their thresholds and the decision rules.

use super::*;

/// (a) 2.4 GHz with a strong signal -> the same AP's 5 GHz, measured with the 20 MHz class of
/// its primary channel, steered with a full neighbor entry and a preference subelement.
#[test]
fn a_band_steer_strong_2g_to_own_5g() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -55);

    let r = s.expect_beacon_request();
    assert_eq!((r.radio, r.sta), (R2, STA));
    assert_eq!(r.mode, MeasureMode::Active);
    assert_eq!(r.bssid, R5_BSSID);
    // R5 advertises class 128 (80 MHz) on primary 36: measured as class 115, channel 36
    assert_eq!((r.op_class, r.channel), (115, 36));
    assert_eq!(r.duration_tu, 100);
    s.expect_nothing();

    let t = s.reply_token(&r);
    s.after(100).report(&r, t, R5_BSSID, -60);
    s.after(300); // quiet period ends the measurement

    let b = s.expect_btm();
    assert_eq!((b.radio, b.sta), (R2, STA));
    assert_eq!(b.target(), Some(R5_BSSID));
    assert_eq!(b.candidates.len(), 1);
    let c = &b.candidates[0];
    assert_eq!(
        (c.bssid_info, c.op_class, c.channel, c.phy),
        (0x19ef, 128, 36, 9)
    );
    assert_eq!(c.subelements, vec![6, 3, 0, 36, 0, 3, 1, 255]);
    assert!(b.pref && b.abridged);
    assert!(!b.disassoc_imminent);
    assert_eq!(b.disassoc_timer, 0);
    assert!(s.logged(|e| matches!(
        e,
        Event::Decision { trigger: Trigger::BandSteer, target, target_signal: Some(t), .. }
            if *target == R5_BSSID && *t == Signal::dbm(-60)
    )));
    // the record carries the whole measurement, and reads well
    let rec = s
        .log
        .iter()
        .find(|r| matches!(r.event, Event::Decision { .. }))
        .unwrap();
    let Event::Decision { measured, .. } = &rec.event else {
        unreachable!()
    };
    assert_eq!(measured, &vec![(R5_BSSID, Signal::dbm(-60))]);
    assert_eq!(
        rec.to_string(),
        "02:00:00:00:09:00 radio0 band-steer: steer to 02:00:00:00:01:00 \
         (measured -60 dBm, current -55 dBm) [02:00:00:00:01:00 -60 dBm]"
    );
}

/// (a) needs the 5 GHz BSS measured at or above `band_steer_target` (-65).
#[test]
fn a_band_steer_needs_the_target_measured_strong_enough() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    s.measure(&[(R5_BSSID, 36, -66)]);
    s.expect_nothing();
    assert!(s.logged(|e| matches!(
        e,
        Event::NoCandidate {
            trigger: Trigger::BandSteer,
            ..
        }
    )));

    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    s.measure(&[(R5_BSSID, 36, -65)]);
    assert_eq!(s.expect_btm().target(), Some(R5_BSSID));
}

/// (a) fires at -60 and above, not at -61.
#[test]
fn a_threshold_is_inclusive() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -61).expect_nothing();
    s.sample(STA, R2, -60);
    assert_eq!(s.expect_beacon_request().bssid, R5_BSSID);
}

/// (b) 5 GHz with a weak signal -> another AP. Every candidate and the current BSS are
/// measured; the best qualifying one is the target, the others follow with lower preference.
#[test]
fn b_roam_weak_5g_to_another_ap() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -70);
    let reqs = s.measure(&[
        (B5, 149, -50),
        (B2, 1, -60),
        (R2_BSSID, 6, -58),
        (R5_BSSID, 36, -72),
    ]);
    let mut asked: Vec<(u8, u8, Mac)> = reqs
        .iter()
        .map(|r| (r.op_class, r.channel, r.bssid))
        .collect();
    asked.sort();
    assert_eq!(
        asked,
        vec![
            (81, 1, B2),
            (81, 6, R2_BSSID),
            (115, 36, R5_BSSID),
            (124, 149, B5)
        ],
        "each candidate and the current BSS, 20 MHz class of the primary channel"
    );
    let b = s.expect_btm();
    let order: Vec<Mac> = b.candidates.iter().map(|c| c.bssid).collect();
    assert_eq!(order, vec![B5, R2_BSSID, B2]);
    let prefs: Vec<Option<u8>> = b.candidates.iter().map(|c| c.preference()).collect();
    assert_eq!(prefs, vec![Some(255), Some(200), Some(150)]);
    // the remote entry is passed through with its real BSSID information and class
    assert_eq!(
        (b.candidates[0].bssid_info, b.candidates[0].op_class),
        (0x19ef, 128)
    );
}

/// (c) 2.4 GHz with a weak signal -> another AP.
#[test]
fn c_roam_weak_2g_to_another_ap() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -75);
    s.measure(&[(B2, 1, -55), (R2_BSSID, 6, -76)]);
    let b = s.expect_btm();
    assert_eq!(b.target(), Some(B2));
    assert!(s.logged(|e| matches!(
        e,
        Event::Decision {
            trigger: Trigger::Roam2g,
            ..
        }
    )));
}

/// (c) fires at -70 and below; (b) at -65 and below.
#[test]
fn b_and_c_thresholds_are_inclusive() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -69).expect_nothing();
    s.sample(STA, R2, -70);
    s.expect_beacon_request();

    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -64).expect_nothing();
    s.sample(STA, R5, -65);
    s.expect_beacon_request();
}

/// Between the thresholds nothing happens: 2.4 GHz at -65 (neither strong nor weak), 5 GHz at
/// -50.
#[test]
fn no_trigger_in_the_comfortable_range() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    for i in 0..20 {
        s.after(1000).sample(STA, R2, -65 - (i % 3));
    }
    s.expect_nothing();
    let mut s = Sim::with_client(cfg(), STA, R5);
    for _ in 0..20 {
        s.after(1000).sample(STA, R5, -50);
    }
    s.expect_nothing();
    assert!(s.log.is_empty());
}

/// A candidate must reach `roam_target` (-62) even when it beats the current BSS.
#[test]
fn roam_needs_absolute_minimum() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -80);
    s.measure(&[(B5, 149, -63), (R5_BSSID, 36, -85)]);
    s.expect_nothing();
    assert!(s.logged(|e| matches!(
        e,
        Event::NoCandidate { best: Some((b, v)), .. } if *b == B5 && *v == Signal::dbm(-63)
    )));
}

/// Hysteresis: a candidate must beat the current BSS (as the client measures it) by
/// `roam_margin` (5 dB).
#[test]
fn roam_needs_margin_over_current() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -70);
    s.measure(&[(B5, 149, -56), (R5_BSSID, 36, -60)]);
    s.expect_nothing(); // -56 < -60 + 5

    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -70);
    s.measure(&[(B5, 149, -55), (R5_BSSID, 36, -60)]);
    assert_eq!(s.expect_btm().target(), Some(B5));
}

/// When the client gives no value for its current BSS, the uplink signal is the reference.
#[test]
fn roam_margin_falls_back_to_uplink() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -66);
    s.measure(&[(B5, 149, -62)]); // -62 >= -66 + 5? no
    s.expect_nothing();

    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -68);
    s.measure(&[(B5, 149, -62)]); // -62 >= -68 + 5: yes
    assert_eq!(s.expect_btm().target(), Some(B5));
}

/// Ranking prefers 5 GHz by `band_preference_db` (3 dB) but the bonus never makes an
/// unqualified candidate qualify.
#[test]
fn ranking_prefers_5ghz_within_bonus() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -80);
    s.measure(&[(B5, 149, -55), (B2, 1, -53), (R2_BSSID, 6, -80)]);
    assert_eq!(s.expect_btm().target(), Some(B5)); // -55 + 3 > -53

    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -80);
    s.measure(&[(B5, 149, -55), (B2, 1, -50), (R2_BSSID, 6, -80)]);
    assert_eq!(s.expect_btm().target(), Some(B2)); // -55 + 3 < -50

    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -80);
    s.measure(&[(B5, 149, -63), (B2, 1, -62), (R2_BSSID, 6, -80)]);
    let b = s.expect_btm();
    assert_eq!(b.target(), Some(B2)); // B5 fails roam_target, bonus or not
    assert_eq!(b.candidates.len(), 1);
}

/// The kernel's average signal is preferred over the last frame's.
#[test]
fn trigger_uses_average_signal() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    let sample = StationSample {
        signal: Some(-80),
        signal_avg: Some(-60),
        inactive_ms: 10,
        connected_s: 100,
        rx_packets: 5,
    };
    s.sample_raw(STA, R5, sample).expect_nothing();
    let sample = StationSample {
        signal: Some(-60),
        signal_avg: None,
        ..sample
    };
    s.sample_raw(STA, R5, sample).expect_nothing();
    let sample = StationSample {
        signal: Some(-70),
        signal_avg: None,
        ..sample
    };
    s.sample_raw(STA, R5, sample);
    s.expect_beacon_request();
}

/// The trigger table with default thresholds: (radio, uplink dBm) -> which trigger fires.
#[test]
fn trigger_table() {
    use Trigger::*;
    #[rustfmt::skip]
    let table: &[(RadioId, i8, Option<Trigger>)] = &[
        (R2, -40, Some(BandSteer)),
        (R2, -60, Some(BandSteer)), // band_steer_signal, inclusive
        (R2, -61, None),
        (R2, -69, None),
        (R2, -70, Some(Roam2g)),    // roam_signal_2g, inclusive
        (R2, -90, Some(Roam2g)),
        (R5, -40, None),
        (R5, -64, None),
        (R5, -65, Some(Roam5g)),    // roam_signal_5g, inclusive
        (R5, -90, Some(Roam5g)),
    ];
    for &(radio, dbm, want) in table {
        let mut s = Sim::with_client(cfg(), STA, radio);
        s.sample(STA, radio, dbm);
        let got = s.log.iter().find_map(|r| match r.event {
            Event::Measuring { trigger, .. } => Some(trigger),
            _ => None,
        });
        assert_eq!(got, want, "{radio} at {dbm} dBm");
    }
}
