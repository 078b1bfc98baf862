//! After the transition request: success, rejection, timeouts, back-off, refusal memory,
//! the deauthentication fallback.

use super::*;

/// Plays a band-steering attempt up to the BSS_TM_REQ and returns it.
fn band_steer_attempt(s: &mut Sim) -> BssTransition {
    s.sample(STA, R2, -50);
    s.measure(&[(R5_BSSID, 36, -55)]);
    s.expect_btm()
}

/// Plays a roaming attempt from R5 to B5 up to the BSS_TM_REQ and returns it.
fn roam_attempt(s: &mut Sim) -> BssTransition {
    s.sample(STA, R5, -75);
    s.measure(&[(B5, 149, -50), (R5_BSSID, 36, -75)]);
    s.expect_btm()
}

/// Accept, then the client leaves within the deadline: success.
#[test]
fn accepted_and_left_is_success() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    let b = roam_attempt(&mut s);
    s.btm_answer(&b, 0);
    assert!(s.logged(|e| matches!(e, Event::Accepted { target: Some(t) } if *t == B5)));
    s.after(1500).disconnect(STA, R5);
    assert!(s.logged(|e| matches!(
        e,
        Event::Steered { target, trigger: Trigger::Roam5g, .. } if *target == B5
    )));
    assert_eq!(s.p.stats().steered, 1);
    assert_eq!(s.p.stats().failed, 0);
}

/// Band steering succeeds when the client shows up on the local 5 GHz radio, whatever the
/// order of the two radios' events.
#[test]
fn band_steer_success_on_arrival_at_local_target() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    let b = band_steer_attempt(&mut s);
    s.btm_answer(&b, 0);
    s.after(800).connect(STA, R5);
    s.after(10).disconnect(STA, R2); // late event from the old radio: ignored
    assert_eq!(s.p.stats().steered, 1);
    assert!(s.logged(|e| matches!(
        e,
        Event::Steered {
            trigger: Trigger::BandSteer,
            ..
        }
    )));
    // and the client is tracked on R5 now: a weak 5 GHz sample triggers roaming there later
    s.after(61_000).sample(STA, R5, -80);
    assert_eq!(s.expect_beacon_request().radio, R5);
}

/// hostapd without `bss_transition=1` never reports BSS-TM-RESP: leaving still counts.
#[test]
fn leaving_without_response_is_success() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    let b = roam_attempt(&mut s);
    s.input(Input::BtmRequestResult {
        radio: b.radio,
        sta: STA,
        ok: true,
    });
    s.after(1200).disconnect(STA, R5);
    assert_eq!(s.p.stats().steered, 1);
}

/// Accept, but the client stays past `leave_timeout_ms`: failure and back-off.
#[test]
fn accepted_but_stayed_is_failure() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    let b = roam_attempt(&mut s);
    s.btm_answer(&b, 0);
    s.after(4999);
    assert_eq!(s.p.stats().failed, 0);
    s.after(1);
    assert!(s.logged(|e| matches!(
        e,
        Event::Failed {
            failure: Failure::DidNotLeave,
            failures: 1,
            ..
        }
    )));
}

/// No BSS-TM-RESP within `btm_timeout_ms`: failure.
#[test]
fn no_response_is_failure() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    let b = roam_attempt(&mut s);
    s.input(Input::BtmRequestResult {
        radio: b.radio,
        sta: STA,
        ok: true,
    });
    s.after(3000);
    assert!(s.logged(|e| matches!(
        e,
        Event::Failed {
            failure: Failure::NoResponse,
            ..
        }
    )));
}

/// hostapd FAIL to BSS_TM_REQ: failure.
#[test]
fn request_fail_is_failure() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    let b = roam_attempt(&mut s);
    s.input(Input::BtmRequestResult {
        radio: b.radio,
        sta: STA,
        ok: false,
    });
    assert!(s.logged(|e| matches!(
        e,
        Event::Failed {
            failure: Failure::RequestFailed,
            ..
        }
    )));
}

/// Rejections back off exponentially: 30 s, 60 s, ... and the third in a row marks the client
/// as refusing: no more requests.
#[test]
fn rejects_back_off_then_refuses() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    let mut backoff = 30_000;
    for n in 1..=3u8 {
        let b = roam_attempt(&mut s);
        s.btm_answer(&b, 7);
        let rejected_at = s.now.0;
        assert!(
            s.logged(|e| matches!(
                e,
                Event::Failed { failure: Failure::Rejected(7), failures, until }
                    if *failures == n && until.0 == rejected_at + backoff
            )),
            "{}",
            s.dump()
        );
        // nothing before the back-off ends
        s.after(backoff - 1).sample(STA, R5, -75).expect_nothing();
        s.after(1);
        backoff *= 2;
    }
    assert!(s.logged(|e| matches!(e, Event::Refuses)));
    for _ in 0..600 {
        s.after(10_000).sample(STA, R5, -75);
    }
    s.expect_nothing();
}

/// The back-off doubles per failure and is capped at `backoff_max_s`.
#[test]
fn backoff_is_capped() {
    let c = Config {
        backoff_base_s: 30,
        backoff_max_s: 100,
        refuse_after: 100,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R5);
    let mut waits = Vec::new();
    for _ in 0..5 {
        let b = roam_attempt(&mut s);
        s.btm_answer(&b, 1);
        let Some(Event::Failed { until, .. }) = s
            .log
            .iter()
            .rev()
            .map(|r| &r.event)
            .find(|e| matches!(e, Event::Failed { .. }))
        else {
            panic!("no failure logged")
        };
        let wait = until.0 - s.now.0;
        waits.push(wait / 1000);
        s.after(wait);
    }
    assert_eq!(waits, vec![30, 60, 100, 100, 100]);
}

/// A success resets the back-off.
#[test]
fn success_resets_backoff() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    let b = roam_attempt(&mut s);
    s.btm_answer(&b, 1);
    s.after(30_000);
    let b = roam_attempt(&mut s);
    s.btm_answer(&b, 0);
    s.after(500).disconnect(STA, R5);
    // it comes back later and fails again: the first back-off again
    s.after(1000).connect(STA, R5).after(61_000);
    let b = roam_attempt(&mut s);
    s.btm_answer(&b, 1);
    let last = s.log.iter().rev().find_map(|r| match r.event {
        Event::Failed { failures, .. } => Some(failures),
        _ => None,
    });
    assert_eq!(last, Some(1));
}

/// An "always allowed" client is never put aside as refusing (back-off still applies).
#[test]
fn always_allowed_client_never_marked_refusing() {
    let mut c = cfg();
    c.clients.insert(
        STA,
        ClientOverride {
            steer: SteerMode::Always,
            ..Default::default()
        },
    );
    let mut s = Sim::with_client(c, STA, R5);
    for _ in 0..5 {
        let b = roam_attempt(&mut s);
        s.btm_answer(&b, 7);
        s.after(2000 * 1000);
    }
    assert!(!s.logged(|e| matches!(e, Event::Refuses)));
    roam_attempt(&mut s);
}

/// Disassociation imminent and its timer go into the request only when configured.
#[test]
fn disassoc_settings_are_carried() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    let b = roam_attempt(&mut s);
    assert!(!b.disassoc_imminent);
    assert_eq!(b.disassoc_timer, 0);
    assert_eq!(b.valid_int, 100);

    let c = Config {
        disassoc_imminent: true,
        disassoc_timer: 50,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R5);
    let b = roam_attempt(&mut s);
    assert!(b.disassoc_imminent);
    assert_eq!(b.disassoc_timer, 50);
}

/// Makes `STA` on R5 a client that refuses (three rejects), then waits out the back-off.
fn refusing_client(c: Config) -> Sim {
    let mut s = Sim::with_client(c, STA, R5);
    for _ in 0..3 {
        let b = roam_attempt(&mut s);
        s.btm_answer(&b, 7);
        s.after(200_000);
    }
    assert!(s.logged(|e| matches!(e, Event::Refuses)));
    s
}

/// The deauthentication fallback is off by default.
#[test]
fn deauth_off_by_default() {
    let mut s = refusing_client(cfg());
    for _ in 0..10 {
        s.after(1000).idle_sample(STA, R5, -80, 9000);
    }
    s.expect_nothing();
}

/// With the fallback on: a refusing client that is idle (no packets between two samples,
/// inactive >= deauth_idle_s) while its trigger holds is deauthenticated.
#[test]
fn deauth_fallback_when_idle() {
    let c = Config {
        deauth_fallback: true,
        ..cfg()
    };
    let mut s = refusing_client(c);
    s.after(1000).idle_sample(STA, R5, -80, 6000);
    s.after(1000).idle_sample(STA, R5, -80, 7000);
    assert_eq!(s.expect_deauth(), (R5, STA, 5));
    assert!(s.logged(|e| matches!(e, Event::Deauth { dry_run: false })));
}

/// ...but never while it moves traffic, nor when recently active.
#[test]
fn no_deauth_with_recent_traffic() {
    let c = Config {
        deauth_fallback: true,
        ..cfg()
    };
    let mut s = refusing_client(c);
    for _ in 0..30 {
        s.after(1000).sample(STA, R5, -80); // packets flowing
    }
    s.expect_nothing();
    for _ in 0..30 {
        s.after(1000).idle_sample(STA, R5, -80, 2000); // quiet counters, but active 2 s ago
    }
    s.expect_nothing();
}

/// ...nor when no trigger holds (the signal is fine).
#[test]
fn no_deauth_without_trigger() {
    let c = Config {
        deauth_fallback: true,
        ..cfg()
    };
    let mut s = refusing_client(c);
    for _ in 0..30 {
        s.after(1000).idle_sample(STA, R5, -50, 8000);
    }
    s.expect_nothing();
}

/// The fallback in dry-run mode only logs.
#[test]
fn deauth_fallback_dry_run_logs_only() {
    let c = Config {
        deauth_fallback: true,
        ..cfg()
    };
    let mut s = refusing_client(c);
    let mut c = s.p.config().clone();
    c.dry_run = true;
    s.p.set_config(c);
    s.after(1000).idle_sample(STA, R5, -80, 6000);
    s.after(1000).idle_sample(STA, R5, -80, 7000);
    s.expect_nothing();
    assert!(s.logged(|e| matches!(e, Event::Deauth { dry_run: true })));
}

/// A client that never answers beacon requests and is not steered blind
/// (`steer_without_reports` off) may be deauthenticated under the same safe conditions.
#[test]
fn deauth_fallback_for_never_answering_client() {
    let c = Config {
        deauth_fallback: true,
        steer_without_reports: false,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R2);
    s.sample(STA, R2, -50);
    for _ in 0..3 {
        let r = s.expect_beacon_request();
        s.reply_fail(&r);
    }
    s.after(61_000).idle_sample(STA, R2, -50, 6000);
    s.after(1000).idle_sample(STA, R2, -50, 7000);
    assert_eq!(s.expect_deauth().1, STA);
}

/// A BSS-TM-RESP with nothing outstanding (hostapd's auto-answer to a BTM query) is ignored.
#[test]
fn stray_btm_response_ignored() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.input(Input::BtmResponse {
        radio: R5,
        sta: STA,
        status: 7,
        target: None,
    });
    assert!(s.log.is_empty());
    assert_eq!(s.p.stats().failed, 0);
}

/// With `steer_without_reports`, a client that never answers gets a transition request first;
/// the deauthentication fallback is not its first resort.
#[test]
fn never_answering_client_gets_btm_before_deauth() {
    let c = Config {
        deauth_fallback: true,
        ..cfg()
    };
    let mut s = Sim::with_client(c, STA, R2);
    s.input(Input::Capabilities {
        radio: R2,
        sta: STA,
        radio_measurement: false,
        bss_transition: true,
    });
    s.idle_sample(STA, R2, -50, 6000);
    s.idle_sample(STA, R2, -50, 7000);
    s.expect_btm();
    s.expect_nothing();
}

/// A late station dump of the radio a client just left (its old, long association) does not
/// move it back there.
#[test]
fn late_sample_from_the_old_radio_is_ignored() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    let b = band_steer_attempt(&mut s);
    s.btm_answer(&b, 0);
    s.after(500).connect(STA, R5);
    let old = StationSample {
        signal: Some(-50),
        signal_avg: Some(-50),
        inactive_ms: 100,
        connected_s: 3600,
        rx_packets: 1,
    };
    s.after(200).sample_raw(STA, R2, old).expect_nothing();
    s.disconnect(STA, R2);
    // still on R5: a weak 5 GHz signal there is what counts
    s.after(61_000).sample(STA, R5, -80);
    assert_eq!(s.expect_beacon_request().radio, R5);
}

/// A client that really moved between radios without events (a fresh association on the new
/// radio) is followed there.
#[test]
fn move_without_events_is_followed() {
    let mut s = Sim::new(cfg());
    s.at(1000);
    let old = StationSample {
        signal: Some(-50),
        signal_avg: Some(-50),
        inactive_ms: 100,
        connected_s: 3600,
        rx_packets: 1,
    };
    let first = old;
    s.sample_raw(
        STA2,
        R5,
        StationSample {
            signal_avg: Some(-50),
            ..first
        },
    );
    s.after(1000).sample_raw(
        STA2,
        R2,
        StationSample {
            connected_s: 2,
            ..first
        },
    );
    s.expect_nothing(); // arrived 2 s ago: cooldown
    s.after(60_000).sample_raw(
        STA2,
        R2,
        StationSample {
            connected_s: 62,
            ..first
        },
    );
    assert_eq!(s.expect_beacon_request().radio, R2);
}

/// The read-only client view follows the cycle and the memory.
#[test]
fn client_view_follows_the_cycle() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    assert_eq!(s.p.client(&STA).map(|v| v.phase), Some(ClientPhase::Idle));
    s.sample(STA, R5, -75);
    let v = s.p.client(&STA).expect("tracked");
    assert_eq!(
        (v.phase, v.radio, v.uplink),
        (ClientPhase::Measuring, Some(R5), Some(Signal::dbm(-75)))
    );
    s.measure(&[(B5, 149, -50), (R5_BSSID, 36, -75)]);
    let b = s.expect_btm();
    assert_eq!(
        s.p.client(&STA).map(|v| v.phase),
        Some(ClientPhase::Steering(B5))
    );
    s.btm_answer(&b, 7);
    let v = s.p.client(&STA).expect("tracked");
    assert_eq!(
        (v.phase, v.failures, v.refuses),
        (ClientPhase::Idle, 1, false)
    );
    assert_eq!(v.next_attempt.0, s.now.0 + 30_000);
    assert_eq!(s.p.client(&STA2), None);
}
