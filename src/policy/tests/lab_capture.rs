//! The policy driven with real data captured in the lab VM (hostapd 2.10, wpa_supplicant
//! 2.10, mac80211_hwsim; `shared/fixtures/hostapd-2.10-hwsim/capture.log`, copied here as
//! literals because the fixture directory is not part of the repository).
//!
//! Lab topology (README of the fixture): A wlan0 5 GHz ch 36 VHT80, B wlan1 2.4 GHz ch 6,
//! C wlan2 5 GHz ch 149 HT40+, F wlan4 5 GHz ch 44 HE/VHT80, all SSID `labnet`; the station
//! 02:00:00:00:05:00 starts on F. Here this roamer manages F and B; A and C are remote.

use super::*;

/// hostapd's own neighbor entries as printed by SHOW_NEIGHBOR on each AP (capture.log).
const NR_A: &str = "020000000000af1900008024090603022a00";
const NR_B: &str = "020000000100af0900005106070603000600";
const NR_C: &str = "020000000200af0900007e95070603019700";
const NR_F: &str = "020000000400af590000802c090603022a00";

/// BEACON-RESP-RX lines of wlan4 (F) for the station (token, report mode, body hex).
const RESP_TOKEN2_A: &str = "2 00 80240000000000000000640009a6ff020000000000000000000001ca98368f18156106006400111000066c61626e6574";
const RESP_TOKEN3_B: &str = "3 00 51060000000000000000640007b4ff0200000001000075c2be1801ba75c2be18156106006400111400066c61626e6574";
const RESP_TOKEN4_REFUSED: &str = "4 04 ";
const RESP_TOKEN5_F: &str = "5 00 802c0000000000000000000009a6ff020000000400000000000002020100";
const RESP_TOKEN5_B: &str = "5 00 51060000000000000000000007b4ff020000000100000000000002020100";
const RESP_TOKEN6_INCAPABLE: &str = "6 02 ";

const STA5: Mac = Mac([2, 0, 0, 0, 5, 0]);
const RF: RadioId = RadioId(4);
const RB: RadioId = RadioId(1);

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

/// A `SHOW_NEIGHBOR` nr= body as a policy entry.
fn nr(s: &str) -> NeighborEntry {
    let b = hex(s);
    NeighborEntry {
        bssid: Mac(b[0..6].try_into().expect("6")),
        ssid: b"labnet".to_vec(),
        bssid_info: u32::from_le_bytes(b[6..10].try_into().expect("4")),
        op_class: b[10],
        channel: b[11],
        phy: b[12],
        subelements: b[13..].to_vec(),
    }
}

/// Decodes one captured `<token> <mode> <beacon report body>` the way the daemon does
/// (PROTOCOL.md A.9: op class, channel, ..., RCPI at 13, BSSID at 15).
fn report(line: &str) -> BeaconReport {
    let mut it = line.splitn(3, ' ');
    let token = it.next().and_then(|t| t.parse().ok()).expect("token");
    let mode = u8::from_str_radix(it.next().expect("mode"), 16).expect("mode hex");
    let body = hex(it.next().unwrap_or("").trim());
    if body.len() < 21 {
        return BeaconReport {
            token,
            mode,
            op_class: 0,
            channel: 0,
            bssid: Mac::default(),
            signal: None,
        };
    }
    BeaconReport {
        token,
        mode,
        op_class: body[0],
        channel: body[1],
        bssid: Mac(body[15..21].try_into().expect("6")),
        signal: Signal::from_rcpi(body[13]),
    }
}

/// The lab world; thresholds shifted to the VM's -20..-50 dBm range, as for the original.
fn lab() -> Sim {
    let c = Config {
        roam_signal_5g: -30,
        roam_target: -35,
        band_steer_signal: -15,
        ..cfg()
    };
    let mut s = Sim::bare(c);
    for (radio, band, e) in [(RF, Band::G5, NR_F), (RB, Band::G2, NR_B)] {
        s.input(Input::Radio {
            radio,
            info: RadioInfo {
                band,
                ssid: b"labnet".to_vec(),
                own: nr(e),
            },
        });
    }
    s.input(Input::Neighbors {
        entries: vec![nr(NR_A), nr(NR_C)],
    });
    s.connect(STA5, RF);
    s.at(60_000);
    s
}

fn feed(s: &mut Sim, radio: RadioId, line: &str) {
    s.input(Input::BeaconReport {
        radio,
        sta: STA5,
        report: report(line),
    });
}

fn token(s: &mut Sim, radio: RadioId, t: u8) {
    s.input(Input::BeaconRequestResult {
        radio,
        sta: STA5,
        token: Some(t),
    });
}

#[test]
fn captured_reports_decode_as_expected() {
    let a = report(RESP_TOKEN2_A);
    assert_eq!(
        (a.op_class, a.channel, a.bssid),
        (128, 36, Mac([2, 0, 0, 0, 0, 0]))
    );
    assert_eq!(a.signal, Some(Signal::dbm(-27))); // RCPI 0xa6: 5 GHz at 23 dBm - 50
    let b = report(RESP_TOKEN3_B);
    assert_eq!(b.signal, Some(Signal::dbm(-20))); // RCPI 0xb4: 2.4 GHz at 30 dBm - 50
    assert_eq!(report(RESP_TOKEN4_REFUSED).mode, BeaconReport::MODE_REFUSED);
    assert_eq!(
        report(RESP_TOKEN6_INCAPABLE).mode,
        BeaconReport::MODE_INCAPABLE
    );
    // C advertises class 126 (HT40+) on 149: measured with 124; F class 128 on 44 with 115
    assert_eq!(nr(NR_C).measure_op_class(), 124);
    assert_eq!(nr(NR_F).measure_op_class(), 115);
}

/// A weak client on F: every lab BSS with its SSID is measured with the 20 MHz class of its
/// primary channel (never class 128, which wpa_supplicant refused in the capture), the
/// captured reports decide, and the transition carries B's real neighbor entry.
#[test]
fn lab_roam_from_f_with_captured_reports() {
    let mut s = lab();
    s.sample(STA5, RF, -35);
    let mut next_token = 2u8;
    let mut asked = Vec::new();
    while let Some(Action::BeaconRequest(_)) = s.pending.front() {
        let r = s.expect_beacon_request();
        assert_ne!(r.op_class, 128);
        asked.push((r.op_class, r.channel, r.bssid));
        let t = match r.channel {
            36 => 2, // the captured active request on 115/36
            6 => 3,  // passive on 81/6
            44 => 5, // F's own channel
            _ => {
                next_token += 10;
                next_token
            }
        };
        token(&mut s, RF, t);
        match t {
            2 => feed(&mut s, RF, RESP_TOKEN2_A),
            3 => feed(&mut s, RF, RESP_TOKEN3_B),
            5 => {
                feed(&mut s, RF, RESP_TOKEN5_F);
                feed(&mut s, RF, RESP_TOKEN5_B);
            }
            _ => {} // C is not heard
        }
        s.after(2000);
    }
    asked.sort();
    assert_eq!(
        asked,
        vec![
            (81, 6, Mac([2, 0, 0, 0, 1, 0])),
            (115, 36, Mac([2, 0, 0, 0, 0, 0])),
            (115, 44, Mac([2, 0, 0, 0, 4, 0])),
            (124, 149, Mac([2, 0, 0, 0, 2, 0])),
        ]
    );
    // current F -27; B -20 beats it by 7 >= 5; A -27 does not
    let b = s.expect_btm();
    assert_eq!(b.candidates.len(), 1);
    let target = &b.candidates[0];
    assert_eq!(target.bssid, Mac([2, 0, 0, 0, 1, 0]));
    assert_eq!(target.bssid_info, 0x09af);
    assert_eq!(&target.to_bytes()[..18], &hex(NR_B)[..]);
    assert_eq!(target.preference(), Some(255));
    // the captured accept, then the station shows up on B (wlan1)
    s.input(Input::BtmRequestResult {
        radio: RF,
        sta: STA5,
        ok: true,
    });
    s.input(Input::BtmResponse {
        radio: RF,
        sta: STA5,
        status: 0,
        target: Some(Mac([2, 0, 0, 0, 1, 0])),
    });
    s.after(900).connect(STA5, RB);
    assert_eq!(s.p.stats().steered, 1);
}

/// The captured refused (04) and incapable (02) reports move the client's mode down.
#[test]
fn lab_refused_and_incapable_reports_fall_back() {
    let mut s = lab();
    s.sample(STA5, RF, -35);
    let r = s.expect_beacon_request();
    assert_eq!(r.mode, MeasureMode::Active);
    token(&mut s, RF, 4);
    feed(&mut s, RF, RESP_TOKEN4_REFUSED);
    let r = s.expect_beacon_request();
    assert_eq!(r.mode, MeasureMode::Passive);
    token(&mut s, RF, 6);
    feed(&mut s, RF, RESP_TOKEN6_INCAPABLE);
    assert_eq!(s.expect_beacon_request().mode, MeasureMode::Table);
}
