//! Own neighbor entries for hostapd configurations that are not in the fixtures. Each expected
//! `nr` was worked out by hand from hostapd's `hostapd_neighbor_set_own_report()`,
//! `hostapd_get_nr_chan_width()` and `ieee80211_freq_to_channel_ext()` of the named release
//! (PROTOCOL.md A.14 and C.1, which include the first two cases as worked examples), with the
//! STATUS text written in the exact form that release prints.

use ctrl_proto::neighbor::{self, OwnFacts, OwnInput};
use ctrl_proto::{HostapdVersion, HostapdVersion::*, OwnEntryError, Status};

/// STATUS as hostapd prints it (only the keys the own entry depends on, in hostapd's order).
struct St {
    freq: u32,
    channel: u8,
    sec: i8,
    n: bool,
    ac: bool,
    ax: bool,
    be: bool,
    vht: Option<(u8, u8, u8)>,
    he: Option<(u8, u8, u8)>,
    eht: Option<(u8, u8)>,
}

const BASE: St = St {
    freq: 5180,
    channel: 36,
    sec: 0,
    n: true,
    ac: false,
    ax: false,
    be: false,
    vht: None,
    he: None,
    eht: None,
};

impl St {
    fn text(&self) -> String {
        let b = |v: bool| u8::from(v);
        let mut s = format!(
            "state=ENABLED\nphy=phy0\nfreq={}\nchannel={}\nsecondary_channel={}\n\
             ieee80211n={}\nieee80211ac={}\nieee80211ax={}\n",
            self.freq,
            self.channel,
            if self.n { self.sec } else { 0 },
            b(self.n),
            b(self.ac),
            b(self.ax)
        );
        if self.be {
            s.push_str("ieee80211be=1\n");
        }
        s.push_str("beacon_int=100\ndtim_period=2\n");
        if let Some((w, s0)) = self.eht {
            s.push_str(&format!(
                "eht_oper_chwidth={}\neht_oper_centr_freq_seg0_idx={}\n",
                w, s0
            ));
        }
        if let Some((w, s0, s1)) = self.he {
            s.push_str(&format!(
                "he_oper_chwidth={}\nhe_oper_centr_freq_seg0_idx={}\nhe_oper_centr_freq_seg1_idx={}\n",
                w, s0, s1
            ));
        }
        if let Some((w, s0, s1)) = self.vht {
            s.push_str(&format!(
                "vht_oper_chwidth={}\nvht_oper_centr_freq_seg0_idx={}\nvht_oper_centr_freq_seg1_idx={}\n\
                 vht_caps_info=00000000\n",
                w, s0, s1
            ));
        }
        s.push_str("max_txpower=23\nbss[0]=wlan0\nbssid[0]=02:00:00:00:00:00\nssid[0]=labnet\nnum_sta[0]=0\n");
        s
    }
}

fn nr(st: &St, facts: OwnFacts, v: HostapdVersion) -> String {
    nr_with(st, facts, v, |_| {})
}

fn nr_with(st: &St, facts: OwnFacts, v: HostapdVersion, f: impl Fn(&mut OwnInput)) -> String {
    let s = Status::parse(&st.text()).unwrap();
    let mut input = OwnInput::from_status(&s, 0).unwrap();
    f(&mut input);
    let e = neighbor::own_entry(&input, &facts, v).unwrap();
    let line = e.to_string();
    assert!(
        line.starts_with("02:00:00:00:00:00 ssid=6c61626e6574 nr="),
        "{}",
        line
    );
    line.rsplit("nr=").next().unwrap().to_string()
}

const WMM_UAPSD: OwnFacts = OwnFacts {
    wmm: true,
    uapsd: true,
    spectrum_mgmt: false,
};
const WMM: OwnFacts = OwnFacts {
    wmm: true,
    uapsd: false,
    spectrum_mgmt: false,
};
const BSSID: &str = "020000000000";

#[test]
fn protocol_a14_worked_examples() {
    // 2.11, 5 GHz ch 36 VHT80, HE off, WMM + driver U-APSD, no DFS: 0x19ef.
    let vht80 = St {
        sec: 1,
        ac: true,
        vht: Some((1, 42, 0)),
        ..BASE
    };
    assert_eq!(
        nr(&vht80, WMM_UAPSD, V2_11),
        format!("{}ef19000080240906", BSSID) + "03022a00"
    );
    // With HE on: bit 14 too (2.10 sets it as well, inside the HT branch).
    let he80 = St {
        ax: true,
        he: Some((1, 42, 0)),
        ..vht80
    };
    assert_eq!(
        nr(&he80, WMM_UAPSD, V2_11),
        format!("{}ef59000080240906", BSSID) + "03022a00"
    );
    assert_eq!(
        nr(&he80, WMM_UAPSD, V2_10),
        format!("{}ef59000080240906", BSSID) + "03022a00"
    );
    // 2.9 never sets HE.
    assert_eq!(
        nr(&he80, WMM_UAPSD, V2_9),
        format!("{}ef19000080240906", BSSID) + "03022a00"
    );
    // Upstream after 2.11: no Delayed BA; PHY type 14 with HE.
    assert_eq!(
        nr(&vht80, WMM_UAPSD, Master),
        format!("{}ef18000080240906", BSSID) + "03022a00"
    );
    assert_eq!(
        nr(&he80, WMM_UAPSD, Master),
        format!("{}ef5800008024", BSSID) + "0e0603022a00"
    );
    // 2.11, 2.4 GHz ch 6 HT20, WMM + U-APSD: 0x9ef, class 81, PHY 7, 06 03 00 06 00.
    let g = St {
        freq: 2437,
        channel: 6,
        ..BASE
    };
    assert_eq!(
        nr(&g, WMM_UAPSD, V2_11),
        format!("{}ef0900005106070603000600", BSSID)
    );
}

#[test]
fn ht40_on_2g_and_5g() {
    // 2.4 GHz ch 1 HT40+: class 83, width 40, centre channel 3.
    let g40 = St {
        freq: 2412,
        channel: 1,
        sec: 1,
        ..BASE
    };
    assert_eq!(
        nr(&g40, WMM, V2_10),
        format!("{}af0900005301070603010300", BSSID)
    );
    // 2.4 GHz ch 11 HT40-: class 84, centre 9.
    let g40m = St {
        freq: 2462,
        channel: 11,
        sec: -1,
        ..BASE
    };
    assert_eq!(
        nr(&g40m, WMM, V2_10),
        format!("{}af090000540b070603010900", BSSID)
    );
    // 5 GHz ch 40 HT40-: class 117, centre 38.
    let a40m = St {
        freq: 5200,
        channel: 40,
        sec: -1,
        ..BASE
    };
    assert_eq!(
        nr(&a40m, WMM, V2_11),
        format!("{}af0900007528070603012600", BSSID)
    );
}

#[test]
fn channel_149_class_changed_in_2_11() {
    let ht20 = St {
        freq: 5745,
        channel: 149,
        ..BASE
    };
    assert_eq!(
        nr(&ht20, WMM, V2_10),
        format!("{}af0900007c95070603009500", BSSID)
    );
    assert_eq!(
        nr(&ht20, WMM, V2_11),
        format!("{}af0900007d95070603009500", BSSID)
    );
    // 165 was 125 already.
    let ch165 = St {
        freq: 5825,
        channel: 165,
        ..BASE
    };
    assert_eq!(
        nr(&ch165, WMM, V2_10),
        format!("{}af0900007da507060300a500", BSSID)
    );
}

#[test]
fn dfs_channel_with_spectrum_management() {
    // ch 100 VHT80 (seg0 106), ieee80211h=1 on a radar channel: Spectrum Management bit 4.
    let dfs = St {
        freq: 5500,
        channel: 100,
        sec: 1,
        ac: true,
        vht: Some((1, 106, 0)),
        ..BASE
    };
    let facts = OwnFacts {
        wmm: true,
        uapsd: false,
        spectrum_mgmt: true,
    };
    assert_eq!(
        nr(&dfs, facts, V2_10),
        format!("{}bf1900008064090603026a00", BSSID)
    );
}

#[test]
fn legacy_phys() {
    // 11a without HT: hostapd does not enable WMM by default; PHY OFDM, width 20, seg0 0.
    let a = St { n: false, ..BASE };
    let none = OwnFacts {
        wmm: false,
        uapsd: false,
        spectrum_mgmt: false,
    };
    assert_eq!(
        nr(&a, none, V2_10),
        format!("{}8f0000007324040603000000", BSSID)
    );
    // 11g: ERP.
    let g = St {
        freq: 2437,
        channel: 6,
        n: false,
        ..BASE
    };
    assert_eq!(
        nr(&g, none, V2_11),
        format!("{}8f0000005106060603000000", BSSID)
    );
    // Channel 14 (11b): class 82, HR-DSSS.
    let b = St {
        freq: 2484,
        channel: 14,
        n: false,
        ..BASE
    };
    assert_eq!(
        nr(&b, none, V2_10),
        format!("{}8f000000520e050603000000", BSSID)
    );
}

#[test]
fn wide_vht() {
    // 160 MHz ch 36 (seg0 50): class 129, width code 3.
    let w160 = St {
        sec: 1,
        ac: true,
        vht: Some((2, 50, 0)),
        ..BASE
    };
    assert_eq!(
        nr(&w160, WMM, V2_10),
        format!("{}af1900008124090603033200", BSSID)
    );
    // 80+80 ch 36: seg0 42 seg1 155, class 130, width code 4; seg1 only for 80+80.
    let w8080 = St {
        sec: 1,
        ac: true,
        vht: Some((3, 42, 155)),
        ..BASE
    };
    assert_eq!(
        nr(&w8080, WMM, V2_10),
        format!("{}af1900008224090603042a9b", BSSID)
    );
    // VHT with width code 0 (HT40 inside 11ac): class 116, width 40, seg0 as configured.
    let v40 = St {
        sec: 1,
        ac: true,
        vht: Some((0, 38, 0)),
        ..BASE
    };
    assert_eq!(
        nr(&v40, WMM, V2_10),
        format!("{}af1900007424090603012600", BSSID)
    );
}

#[test]
fn six_ghz_he_only() {
    // 6 GHz ch 5 (5975 MHz) HE80, no HT/VHT. STATUS prints secondary_channel=0; hostapd's own
    // value is +1 (taken from nl80211 by the caller).
    let six = St {
        freq: 5975,
        channel: 5,
        n: false,
        ax: true,
        he: Some((1, 7, 0)),
        ..BASE
    };
    let sec = |i: &mut OwnInput| i.secondary_channel = 1;
    // 2.11: HE bit alone; class 133; width 80; seg0 0 (the 2.11 bug: no HT/VHT branch); OFDM.
    assert_eq!(
        nr_with(&six, WMM, V2_11, sec),
        format!("{}af400000850504060302", BSSID) + "0000"
    );
    // 2.10: HE bit only with HT.
    assert_eq!(
        nr_with(&six, WMM, V2_10, sec),
        format!("{}af000000850504060302", BSSID) + "0000"
    );
    // Master: seg0 from the operating info, PHY HE.
    assert_eq!(
        nr_with(&six, WMM, Master, sec),
        format!("{}af40000085050e060302", BSSID) + "0700"
    );
    // As STATUS prints it (sec 0): the class still follows the width code (133), but the
    // neighbor-report width drops to 20 MHz.
    assert_eq!(
        nr(&six, WMM, V2_11),
        format!("{}af400000850504060300", BSSID) + "0000"
    );
    // 2.9 has no 6 GHz classes: no own entry at all.
    let s = Status::parse(&six.text()).unwrap();
    let input = OwnInput::from_status(&s, 0).unwrap();
    assert_eq!(
        neighbor::own_entry(&input, &WMM, V2_9),
        Err(OwnEntryError::NoChannel {
            freq: 5975,
            sec: 0,
            width: 1
        })
    );
}

#[test]
fn eht_320_in_2_11() {
    // 6 GHz ch 1 EHT320 (seg0 31): class 137 from 2.11, EHT bit 21; width code 9 has no
    // neighbor-report width, so hostapd writes 20 MHz.
    let eht = St {
        freq: 5955,
        channel: 1,
        n: false,
        ax: true,
        be: true,
        he: Some((2, 15, 0)),
        eht: Some((9, 31)),
        ..BASE
    };
    let sec = |i: &mut OwnInput| i.secondary_channel = 1;
    assert_eq!(
        nr_with(&eht, WMM, V2_11, sec),
        format!("{}af402000890104060300", BSSID) + "0000"
    );
    // 2.10 knows no EHT: 11be is not in its STATUS or its width precedence, so the HE width
    // (160) applies.
    let he_only = St {
        be: false,
        eht: None,
        ..eht
    };
    assert_eq!(
        nr_with(&he_only, WMM, V2_10, sec),
        format!("{}af000000860104060303", BSSID) + "0000"
    );
}

#[test]
fn two_point_four_with_wide_width_has_no_entry() {
    // hostapd fails ieee80211_freq_to_channel_ext() on 2.4 GHz with a VHT/HE width code.
    let g = St {
        freq: 2437,
        channel: 6,
        ax: true,
        he: Some((1, 0, 0)),
        ..BASE
    };
    let s = Status::parse(&g.text()).unwrap();
    let input = OwnInput::from_status(&s, 0).unwrap();
    assert!(neighbor::own_entry(&input, &WMM, V2_10).is_err());
}
