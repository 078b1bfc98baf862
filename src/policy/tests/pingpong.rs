//! No ping-pong: band steering and AP steering never undo each other (the usteer-ng
//! "roaming devices to 2.4 GHz" loop), and cooldowns after every move.

use super::*;

/// Band-steers `STA` from R2 to R5 (success), returns the Sim with the clock just after.
fn band_steered() -> Sim {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -50);
    s.measure(&[(R5_BSSID, 36, -62)]);
    let b = s.expect_btm();
    s.btm_answer(&b, 0);
    s.after(500).connect(STA, R5).disconnect(STA, R2);
    assert_eq!(s.p.stats().steered, 1);
    s
}

/// The usteer-ng loop: a client band-steered to 5 GHz whose 5 GHz signal then reads weak
/// must not be "roamed" back to 2.4 GHz (this AP's or another's): within `pingpong_hold_s`
/// only 5/6 GHz candidates are considered, even when 2.4 GHz measures far better.
#[test]
fn band_steered_client_not_roamed_back_to_2g() {
    let mut s = band_steered();
    s.after(61_000).sample(STA, R5, -70);
    let reqs = s.measure(&[
        (R2_BSSID, 6, -45),
        (B2, 1, -45),
        (B5, 149, -75),
        (R5_BSSID, 36, -70),
    ]);
    assert!(
        reqs.iter().all(|r| r.channel != 6 && r.channel != 1),
        "2.4 GHz candidates are not even measured: {reqs:?}"
    );
    s.expect_nothing();
    // a 5 GHz candidate that qualifies is still fine
    s.after(10_000).sample(STA, R5, -70);
    s.measure(&[(B5, 149, -55), (R5_BSSID, 36, -70)]);
    assert_eq!(s.expect_btm().target(), Some(B5));
}

/// After the hold, a weak 5 GHz client may go to 2.4 GHz, but only when the 2.4 GHz
/// candidate beats the current BSS by the margin.
#[test]
fn to_2g_only_when_weak_and_by_margin() {
    let mut s = band_steered();
    s.after(1_801_000);
    // 5 GHz not weak: nothing, however strong 2.4 GHz would be
    s.sample(STA, R5, -64).expect_nothing();
    // weak, but the 2.4 GHz BSS only 4 dB better than the current 5 GHz as measured
    s.sample(STA, R5, -70);
    s.measure(&[(R2_BSSID, 6, -62), (R5_BSSID, 36, -66)]);
    s.expect_nothing();
    // weak, and 2.4 GHz better by the margin
    s.after(10_000).sample(STA, R5, -70);
    s.measure(&[(R2_BSSID, 6, -60), (R5_BSSID, 36, -66)]);
    assert_eq!(s.expect_btm().target(), Some(R2_BSSID));
}

/// A client roamed down from 5 GHz to this AP's 2.4 GHz radio is not band-steered back up
/// within `pingpong_hold_s`, even with a strong 2.4 GHz signal.
#[test]
fn roamed_down_client_not_band_steered_back() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -75);
    s.measure(&[(R2_BSSID, 6, -55), (R5_BSSID, 36, -75)]);
    let b = s.expect_btm();
    assert_eq!(b.target(), Some(R2_BSSID));
    s.btm_answer(&b, 0);
    s.after(700).connect(STA, R2).disconnect(STA, R5);
    for _ in 0..100 {
        s.after(10_000).sample(STA, R2, -45);
    }
    s.expect_nothing();
    // after the hold it is band-steered again
    s.after(1_000_000).sample(STA, R2, -45);
    assert_eq!(s.expect_beacon_request().bssid, R5_BSSID);
}

/// A steered client that arrives back (its own choice) is left alone for the cooldown.
#[test]
fn cooldown_after_coming_back() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -75);
    s.measure(&[(B5, 149, -50), (R5_BSSID, 36, -75)]);
    let b = s.expect_btm();
    s.btm_answer(&b, 0);
    s.after(500).disconnect(STA, R5);
    s.after(2000).connect(STA, R5);
    for _ in 0..59 {
        s.after(1000).sample(STA, R5, -80);
    }
    s.expect_nothing();
    s.after(1000).sample(STA, R5, -80);
    s.expect_beacon_request();
}

/// Long run of a client that oscillates around every threshold: it is never moved back and
/// forth between the bands faster than the hold allows.
#[test]
fn oscillating_signal_never_loops() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    let mut radio = R2;
    let mut band_moves = Vec::new();
    for i in 0..2000u64 {
        s.after(1000);
        // a client standing where 2.4 GHz reads strong and 5 GHz reads borderline-weak
        let dbm = if radio == R2 {
            -55
        } else {
            -66 - (i % 3) as i8
        };
        s.sample(STA, radio, dbm);
        // the client answers everything and always accepts
        s.measure(&[
            (R5_BSSID, 36, -64),
            (R2_BSSID, 6, -50),
            (B5, 149, -90),
            (B2, 1, -90),
        ]);
        if let Some(Action::BssTransition(_)) = s.pending.front() {
            let b = s.expect_btm();
            s.btm_answer(&b, 0);
            let to = if b.target() == Some(R5_BSSID) { R5 } else { R2 };
            s.after(300).connect(STA, to).disconnect(STA, radio);
            band_moves.push((s.now.0, to));
            radio = to;
        }
    }
    assert!(!band_moves.is_empty(), "band steering happened at all");
    for w in band_moves.windows(2) {
        assert!(
            w[1].0 - w[0].0 >= 1_800_000,
            "moves too close together: {band_moves:?}"
        );
    }
}

/// Roaming (c) can move a weak 2.4 GHz client up to this AP's 5 GHz; that counts as a move
/// between the bands too: it is not roamed back down to 2.4 GHz within the hold.
#[test]
fn roamed_up_client_not_roamed_back_down() {
    let mut s = Sim::with_client(cfg(), STA, R2);
    s.sample(STA, R2, -75);
    s.measure(&[(R5_BSSID, 36, -58), (R2_BSSID, 6, -70)]);
    let b = s.expect_btm();
    assert_eq!(b.target(), Some(R5_BSSID));
    s.btm_answer(&b, 0);
    s.after(400).connect(STA, R5).disconnect(STA, R2);
    // now weak on 5 GHz, and 2.4 GHz reads much better: still not sent down
    s.after(61_000).sample(STA, R5, -75);
    let reqs = s.measure(&[(R2_BSSID, 6, -50), (B2, 1, -50), (R5_BSSID, 36, -75)]);
    assert!(
        reqs.iter().all(|r| r.channel != 6 && r.channel != 1),
        "{reqs:?}"
    );
    s.expect_nothing();
}

/// The reverse: roamed down to this AP's 2.4 GHz, a weak 2.4 GHz signal does not send it back
/// up to this AP's 5 GHz within the hold (another AP's 5 GHz is fine).
#[test]
fn roamed_down_client_not_roamed_back_up_here() {
    let mut s = Sim::with_client(cfg(), STA, R5);
    s.sample(STA, R5, -75);
    s.measure(&[(R2_BSSID, 6, -55), (R5_BSSID, 36, -75)]);
    let b = s.expect_btm();
    assert_eq!(b.target(), Some(R2_BSSID));
    s.btm_answer(&b, 0);
    s.after(400).connect(STA, R2).disconnect(STA, R5);
    s.after(61_000).sample(STA, R2, -75);
    let reqs = s.measure(&[(R5_BSSID, 36, -50), (B5, 149, -56), (R2_BSSID, 6, -75)]);
    assert!(reqs.iter().all(|r| r.bssid != R5_BSSID), "{reqs:?}");
    assert_eq!(s.expect_btm().target(), Some(B5));
}
