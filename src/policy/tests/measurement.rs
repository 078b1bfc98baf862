//! Beacon-report measurement: modes and their fallback, silence, token and BSSID matching,
//! collecting several reports, one outstanding measurement per client.

use super::*;

/// A client that refuses each mode in turn falls back active -> passive -> table; the mode it
/// accepts is remembered for the next measurement.
#[test]
fn refused_modes_fall_back_active_passive_table() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    let r = s.expect_beacon_request();
    assert_eq!(r.mode, MeasureMode::Active);
    let t = s.reply_token(&r);
    s.report_mode(&r, t, BeaconReport::MODE_REFUSED);

    let r2 = s.expect_beacon_request();
    assert_eq!(r2.mode, MeasureMode::Passive);
    assert_eq!(
        (r2.channel, r2.bssid),
        (r.channel, r.bssid),
        "same request, next mode"
    );
    let t = s.reply_token(&r2);
    s.report_mode(&r2, t, BeaconReport::MODE_INCAPABLE);

    let r3 = s.expect_beacon_request();
    assert_eq!(r3.mode, MeasureMode::Table);
    let t = s.reply_token(&r3);
    s.report(&r3, t, R5_BSSID, -55).after(300);
    assert_eq!(s.expect_btm().target(), Some(R5_BSSID));
    assert!(s.logged(|e| matches!(
        e,
        Event::ModeFallback {
            from: MeasureMode::Passive,
            to: Some(MeasureMode::Table)
        }
    )));

    // next time (after leaving and coming back) it starts with table mode directly
    s.disconnect(STA, R2)
        .after(1000)
        .connect(STA, R2)
        .after(61_000);
    s.sample(STA, R2, -50);
    assert_eq!(s.expect_beacon_request().mode, MeasureMode::Table);
}

/// hostapd answers FAIL when the client did not advertise the mode (RM capabilities): that
/// falls back the same way.
#[test]
fn request_fail_falls_back() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    let r = s.expect_beacon_request();
    s.reply_fail(&r);
    let r = s.expect_beacon_request();
    assert_eq!(r.mode, MeasureMode::Passive);
}

/// A client that refuses every mode is remembered as never answering, and (by default,
/// `steer_without_reports`) steered on uplink data alone; later triggers skip measuring.
#[test]
fn incapable_client_steered_on_uplink_alone() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    for _ in 0..3 {
        let r = s.expect_beacon_request();
        s.reply_fail(&r);
    }
    assert!(s.logged(|e| matches!(e, Event::NeverAnswers)));
    let b = s.expect_btm();
    assert_eq!(b.target(), Some(R5_BSSID));
    assert!(s.logged(|e| matches!(
        e,
        Event::Decision {
            target_signal: None,
            ..
        }
    )));
}

/// ...or not at all, when `steer_without_reports` is off.
#[test]
fn incapable_client_not_steered_when_configured() {
    let c = Config {
        steer_without_reports: false,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R2);
    s.sample(STA, R2, -50);
    for _ in 0..3 {
        let r = s.expect_beacon_request();
        s.reply_fail(&r);
    }
    s.expect_nothing();
    for _ in 0..100 {
        s.after(1000).sample(STA, R2, -50);
    }
    s.expect_nothing();
}

/// Silence: no report before `measure_timeout_ms` ends the request; `silent_after` (3)
/// silent measurements in a row mark the client as never answering.
#[test]
fn silent_client_becomes_never_answers() {
    let c = Config {
        steer_without_reports: false,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R2);
    for round in 1..=3u8 {
        s.after(10_000).sample(STA, R2, -50);
        let r = s.expect_beacon_request();
        s.reply_token(&r);
        s.after(1999).expect_nothing();
        s.after(1);
        assert!(
            s.logged(|e| matches!(e, Event::Silent { count } if *count == round)),
            "{}",
            s.dump()
        );
    }
    assert!(s.logged(|e| matches!(e, Event::NeverAnswers)));
    // no more beacon requests for it
    for _ in 0..60 {
        s.after(1000).sample(STA, R2, -50);
    }
    s.expect_nothing();
}

/// A silent client with `steer_without_reports` gets a transition request listing every
/// candidate after its third silent measurement; the next trigger skips measuring.
#[test]
fn silent_client_steered_blind() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    for _ in 0..3 {
        s.after(10_000).sample(STA, R5, -75);
        // four requests per measurement (R2, B5, B2, current), none answered
        s.measure(&[]);
    }
    let b = s.expect_btm();
    let mut listed: Vec<Mac> = b.candidates.iter().map(|c| c.bssid).collect();
    listed.sort();
    assert_eq!(listed, vec![R2_BSSID, B5, B2]);
    b.candidates
        .iter()
        .for_each(|c| assert!(c.preference().is_some()));
}

/// An answer of any kind resets the silence count.
#[test]
fn an_answer_resets_silence() {
    let c = Config {
        steer_without_reports: false,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R2);
    for _ in 0..2 {
        s.after(10_000).sample(STA, R2, -50);
        s.measure(&[]);
    }
    s.after(10_000).sample(STA, R2, -50);
    s.measure(&[(R5_BSSID, 36, -90)]);
    for _ in 0..2 {
        s.after(10_000).sample(STA, R2, -50);
        s.measure(&[]);
    }
    assert!(
        !s.logged(|e| matches!(e, Event::NeverAnswers)),
        "{}",
        s.dump()
    );
}

/// `BEACON-REQ-TX-STATUS ack=0`: the client never got the request; the policy does not wait
/// for the timeout.
#[test]
fn unacked_request_ends_early() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -70);
    let r = s.expect_beacon_request();
    let t = s.reply_token(&r);
    s.after(10).input(Input::BeaconTxStatus {
        radio: R5,
        sta: STA,
        token: t,
        ack: false,
    });
    let next = s.expect_beacon_request();
    assert_ne!(next.channel, r.channel);
}

/// Reports are matched by token: a report carrying another token is ignored.
#[test]
fn reports_matched_by_token() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    let r = s.expect_beacon_request();
    let t = s.reply_token(&r);
    s.report(&r, t.wrapping_add(100), R5_BSSID, -40);
    s.after(2000);
    s.expect_nothing();
    assert!(s.logged(|e| matches!(e, Event::Silent { .. })));
}

/// ...and by BSSID: a report about a BSS that is not a candidate is ignored.
#[test]
fn reports_matched_by_bssid() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    let r = s.expect_beacon_request();
    let t = s.reply_token(&r);
    s.report(&r, t, Mac([9, 9, 9, 9, 9, 9]), -40);
    s.after(300).expect_nothing();
    assert!(s.logged(|e| matches!(e, Event::NoCandidate { best: None, .. })));
}

/// Several BSSs on one channel: one wildcard request with the SSID; several reports are
/// collected until the quiet period ends.
#[test]
fn several_reports_per_request_until_quiet() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    let c36 = Mac([2, 0, 0, 0, 4, 0]);
    let mut n = remote();
    n.push(entry(c36, 115, 36, 9, 0x19ef));
    s.input(Input::Neighbors { entries: n });
    s.sample(STA, R5, -70);
    let mut reqs = Vec::new();
    let mut wildcard = None;
    while let Some(Action::BeaconRequest(_)) = s.pending.front() {
        let r = s.expect_beacon_request();
        let t = s.reply_token(&r);
        if r.channel == 36 {
            wildcard = Some(r.clone());
            s.after(100).report(&r, t, R5_BSSID, -72);
            s.after(250).report(&r, t, c36, -52); // within quiet_ms of the previous one
            s.after(250).expect_nothing(); // still collecting
            s.after(50);
        } else {
            s.after(2000);
        }
        reqs.push(r);
    }
    let w = wildcard.expect("a request on channel 36");
    assert_eq!(w.bssid, Mac::BROADCAST);
    assert_eq!(w.ssid.as_deref(), Some(SSID));
    assert_eq!(reqs.iter().filter(|r| r.channel == 36).count(), 1);
    assert_eq!(s.expect_btm().target(), Some(c36));
}

/// A report that comes after the measurement ended is ignored.
#[test]
fn late_report_after_measurement_ignored() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    let r = s.expect_beacon_request();
    let t = s.reply_token(&r);
    s.after(2500); // silent
    s.report(&r, t, R5_BSSID, -40).expect_nothing();
    // the late-bit report during a measurement is ignored too
    s.after(10_000).sample(STA, R2, -50);
    let r = s.expect_beacon_request();
    let t = s.reply_token(&r);
    s.input(Input::BeaconReport {
        radio: R2,
        sta: STA,
        report: BeaconReport {
            token: t,
            mode: BeaconReport::MODE_LATE,
            op_class: 115,
            channel: 36,
            bssid: R5_BSSID,
            signal: Some(Signal::dbm(-40)),
        },
    });
    s.after(2000).expect_nothing();
}

/// One outstanding measurement per client: samples during a measurement start nothing.
#[test]
fn one_measurement_at_a_time() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -70);
    let r = s.expect_beacon_request();
    s.reply_token(&r);
    for _ in 0..6 {
        s.after(100).sample(STA, R5, -70);
    }
    s.expect_nothing();
}

/// hostapd's reply to REQ_BEACON may come after the report (separate sockets): the report is
/// taken while the token is not known yet.
#[test]
fn report_before_token_reply_is_kept() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    let r = s.expect_beacon_request();
    s.report(&r, 42, R5_BSSID, -50);
    s.input(Input::BeaconRequestResult {
        radio: R2,
        sta: STA,
        token: Some(42),
    });
    s.after(300);
    assert_eq!(s.expect_btm().target(), Some(R5_BSSID));
}

/// Reports kept per measurement are capped (`max_reports`).
#[test]
fn reports_capped() {
    let c = Config {
        max_reports: 2,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R5);
    s.sample(STA, R5, -75);
    // best candidates reported last do not fit
    s.measure(&[
        (R2_BSSID, 6, -60),
        (B5, 149, -61),
        (B2, 1, -40),
        (R5_BSSID, 36, -75),
    ]);
    let b = s.expect_btm();
    assert!(b.candidates.iter().all(|c| c.bssid != B2), "{b:?}");
}

/// Candidates are measured best-known first and capped at `max_candidates`.
#[test]
fn candidates_ordered_by_last_reading_and_capped() {
    let c = Config {
        max_candidates: 1,
        measure_current: false,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R5);
    s.sample(STA, R5, -75);
    let first = s.measure(&[]);
    assert_eq!(first.len(), 1);
    // teach it that B2 was good
    let mut s2 = Sim::with_client(
        Config {
            max_candidates: 3,
            measure_current: false,
            ..cfg()
        },
        STA,
        R5,
    );
    s2.sample(STA, R5, -75);
    s2.measure(&[(B2, 1, -70), (B5, 149, -80), (R2_BSSID, 6, -90)]);
    s2.expect_nothing();
    s2.after(10_000).sample(STA, R5, -75);
    let order: Vec<Mac> = s2.measure(&[]).iter().map(|r| r.bssid).collect();
    assert_eq!(order, vec![B2, B5, R2_BSSID]);
}

/// A report with RCPI 255 ("not measured") counts as an answer but gives no value.
#[test]
fn unmeasured_report_is_an_answer_without_value() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    let r = s.expect_beacon_request();
    let t = s.reply_token(&r);
    s.input(Input::BeaconReport {
        radio: R2,
        sta: STA,
        report: BeaconReport {
            token: t,
            mode: 0,
            op_class: 115,
            channel: 36,
            bssid: R5_BSSID,
            signal: Signal::from_rcpi(255),
        },
    });
    s.after(300).expect_nothing();
    assert!(!s.logged(|e| matches!(e, Event::Silent { .. })));
    assert!(s.logged(|e| matches!(e, Event::NoCandidate { best: None, .. })));
}

/// A disconnect in the middle of a measurement cancels it quietly.
#[test]
fn disconnect_cancels_measurement() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    let r = s.expect_beacon_request();
    let t = s.reply_token(&r);
    s.disconnect(STA, R2);
    s.report(&r, t, R5_BSSID, -40).after(5000).expect_nothing();
}

/// A client that did not advertise Radio Measurement is not asked for beacon reports: it is
/// steered on uplink data alone from the start.
#[test]
fn no_radio_measurement_capability_means_no_requests() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.input(Input::Capabilities {
        radio: R2,
        sta: STA,
        radio_measurement: false,
        bss_transition: true,
    });
    s.sample(STA, R2, -50);
    assert_eq!(s.expect_btm().target(), Some(R5_BSSID));
    s.expect_nothing();
}

/// A client that did not advertise BSS Transition is neither measured nor sent requests.
#[test]
fn no_bss_transition_capability_means_no_steering() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.input(Input::Capabilities {
        radio: R2,
        sta: STA,
        radio_measurement: true,
        bss_transition: false,
    });
    for _ in 0..30 {
        s.after(1000).sample(STA, R2, -50);
    }
    s.expect_nothing();
    assert!(s.log.is_empty());
}

/// A late "refused" for an earlier request of the same measurement, arriving while the next
/// request's token is still unknown, does not demote the client's mode.
#[test]
fn late_refusal_of_earlier_request_does_not_demote() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -70);
    let r1 = s.expect_beacon_request();
    let t1 = s.reply_token(&r1);
    s.after(2000); // silent: the next request goes out
    let r2 = s.expect_beacon_request();
    s.report_mode(&r1, t1, BeaconReport::MODE_REFUSED);
    s.expect_nothing();
    assert!(!s.logged(|e| matches!(e, Event::ModeFallback { .. })));
    let t2 = s.reply_token(&r2);
    assert_ne!(t1, t2);
}

/// A client below a trigger with no acceptable candidate is measured again after 1, 2, 4,
/// then at most 8 times `measure_interval_s`, not every interval forever.
#[test]
fn no_candidate_backs_off_measuring() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    let interval = s.p.config().measure_interval_s as u64 * 1000;
    s.sample(STA, R2, -50);
    let mut gaps = Vec::new();
    let mut last = s.now.0;
    for _ in 0..6 {
        s.measure(&[(R5_BSSID, 36, -80)]);
        s.expect_nothing();
        // sample every second (same signal) until the next measurement starts
        let mut n = 0;
        while s.pending.is_empty() {
            s.after(1000).sample(STA, R2, -50);
            n += 1;
            assert!(n < 200, "never measured again");
        }
        gaps.push((s.now.0 - last) / interval);
        last = s.now.0;
    }
    // (the measurement itself takes well under one interval)
    assert_eq!(gaps, vec![1, 2, 4, 8, 8, 8], "gaps in intervals: {gaps:?}");
}

/// The back-off ends when the client's signal moves by more than the margin, and on reconnect.
#[test]
fn no_candidate_backoff_resets_on_signal_change_and_reconnect() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    let interval = s.p.config().measure_interval_s as u64 * 1000;
    s.sample(STA, R2, -50);
    s.measure(&[(R5_BSSID, 36, -80)]);
    s.after(interval + 100).sample(STA, R2, -50);
    s.measure(&[(R5_BSSID, 36, -80)]);
    s.measure_again_after_no_candidate(interval);
    // now backed off to 4 intervals; a signal jump by more than the margin (5 dB)
    s.after(interval + 100).sample(STA, R2, -40);
    assert!(
        !s.pending.is_empty(),
        "a changed signal is measured at the normal interval"
    );
    s.measure(&[(R5_BSSID, 36, -80)]);
    // reconnect: back to the normal interval too
    s.disconnect(STA, R2).connect(STA, R2);
    let cooldown = s.p.config().cooldown_s as u64 * 1000;
    s.after(cooldown.max(interval) + 100).sample(STA, R2, -40);
    assert!(!s.pending.is_empty(), "measured again after reconnecting");
}
