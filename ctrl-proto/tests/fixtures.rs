//! Every type of the crate against the real hostapd 2.10 / wpa_supplicant 2.10 traffic captured
//! in the hwsim lab (`tests/fixtures/hostapd-2.10-hwsim`, a copy of `shared/fixtures`).

use ctrl_proto::btm::BtmStatus;
use ctrl_proto::event::{Event, Message};
use ctrl_proto::neighbor::{
    self, BssidInfo, NeighborEntry, NeighborReport, NrChanWidth, NrSubelement, OwnFacts, OwnInput,
    PhyType,
};
use ctrl_proto::opclass::ChanWidth;
use ctrl_proto::reply::Reply;
use ctrl_proto::rrm::{BeaconReport, BodyAssembler, FrameInfo, Rcpi, ReportSubelement, Rsni};
use ctrl_proto::sta::{StaFlags, StaInfo};
use ctrl_proto::status::Status;
use ctrl_proto::{HostapdVersion, Mac};

const CAPTURE: &str = include_str!("fixtures/hostapd-2.10-hwsim/capture.log");

/// The body of the `@@@ <name>` section (each line plus its newline), as hostapd sent it.
fn section(name: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in CAPTURE.lines() {
        if let Some(n) = line.strip_prefix("@@@ ") {
            if inside {
                break;
            }
            inside = n == name;
            continue;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(inside || !out.is_empty(), "no section {}", name);
    out
}

/// All event lines of the capture, turned back into the datagrams hostapd sent
/// (`wlanN EVENT args` as printed by `hostapd_cli -a` is `<3>EVENT args` on the socket).
fn event_datagrams() -> Vec<(String, String)> {
    let mut v = Vec::new();
    let mut inside = false;
    for line in CAPTURE.lines() {
        if let Some(n) = line.strip_prefix("@@@ ") {
            inside = n.starts_with("events ");
            continue;
        }
        if inside {
            let (iface, ev) = line.split_once(' ').unwrap();
            v.push((iface.to_string(), format!("<3>{}", ev)));
        }
    }
    v
}

fn mac(s: &str) -> Mac {
    s.parse().unwrap()
}

// ---------------------------------------------------------------- STATUS + own entry

/// The facts STATUS lacks, for the lab APs (A.conf..F.conf): none sets `wmm_enabled`, so
/// hostapd enables WMM because `ieee80211n=1`; none sets `uapsd_advertisement_enabled` (hostapd
/// default 0; mac80211_hwsim does not advertise AP U-APSD either), so no APSD bit; none sets
/// `spectrum_mgmt_required` or `ieee80211h`, so no Spectrum Management. Every captured own
/// entry carries 0x..af (bits 0-3, 5, 7): exactly these facts.
const LAB_FACTS: OwnFacts = OwnFacts {
    wmm: true,
    uapsd: false,
    spectrum_mgmt: false,
};

#[test]
fn own_entry_reproduces_every_fixture_ap_byte_for_byte() {
    for n in 0..5 {
        let iface = format!("wlan{}", n);
        let status = Status::parse(&section(&format!("status {}", iface))).unwrap();
        let shown = section(&format!("show_neighbor {}", iface));
        let shown = shown.trim_end_matches('\n');
        let input = OwnInput::from_status(&status, 0).unwrap();
        let entry = neighbor::own_entry(&input, &LAB_FACTS, HostapdVersion::V2_10).unwrap();
        assert_eq!(entry.to_string(), shown, "{}", iface);
        // And parsing hostapd's line gives the same entry.
        assert_eq!(
            NeighborEntry::parse_line(shown).unwrap(),
            entry,
            "{}",
            iface
        );
    }
}

#[test]
fn own_entry_decoded_fields() {
    let s = Status::parse(&section("status wlan4")).unwrap();
    let r = neighbor::own_report(
        &OwnInput::from_status(&s, 0).unwrap(),
        &LAB_FACTS,
        HostapdVersion::V2_10,
    )
    .unwrap();
    assert_eq!(r.bssid, mac("02:00:00:00:04:00"));
    assert_eq!(r.info, BssidInfo(0x59af));
    assert!(r
        .info
        .has(BssidInfo::HE | BssidInfo::VHT | BssidInfo::HT | BssidInfo::DELAYED_BA));
    assert_eq!((r.op_class, r.channel, r.phy_type), (128, 44, PhyType::VHT));
    assert_eq!(
        r.subelements,
        [NrSubelement::WideBandwidthChannel {
            width: NrChanWidth::MHZ_80,
            seg0: 42,
            seg1: 0
        }]
    );
}

#[test]
fn status_of_every_ap() {
    let a = Status::parse(&section("status wlan0")).unwrap();
    assert_eq!(a.state, "ENABLED");
    assert_eq!(a.phy.as_deref(), Some("phy0"));
    assert_eq!((a.freq, a.channel, a.secondary_channel), (5180, 36, 1));
    assert!(a.ieee80211n && a.ieee80211ac && !a.ieee80211ax && !a.ieee80211be);
    assert_eq!(a.vht.unwrap().chwidth, ChanWidth::MHZ_80);
    assert_eq!(
        (a.oper_chwidth(), a.oper_seg0(), a.oper_seg1()),
        (ChanWidth::MHZ_80, 42, 0)
    );
    assert_eq!(a.he, None);
    assert_eq!(a.beacon_int, Some(100));
    assert_eq!(a.dtim_period, Some(2));
    assert_eq!(a.max_txpower, Some(23));
    assert_eq!(a.bss.len(), 1);
    assert_eq!(a.bss[0].ifname, "wlan0");
    assert_eq!(a.bss[0].bssid, mac("02:00:00:00:00:00"));
    assert_eq!(a.bss[0].ssid, b"labnet");
    assert_eq!(a.bss_by_ifname("wlan0").unwrap().0, 0);

    let b = Status::parse(&section("status wlan1")).unwrap();
    assert_eq!((b.freq, b.secondary_channel, b.vht), (2437, 0, None));
    assert_eq!(b.oper_chwidth(), ChanWidth::USE_HT);

    let d = Status::parse(&section("status wlan3")).unwrap();
    // HT40- requested on 2.4 GHz, but hostapd fell back to 20 MHz.
    assert_eq!((d.channel, d.secondary_channel), (11, 0));
    assert_eq!(d.bss[0].ssid, b"opennet");
    assert_eq!(d.bss[0].num_sta, 1);

    let f = Status::parse(&section("status wlan4")).unwrap();
    assert!(f.ieee80211ax);
    assert_eq!(f.he.unwrap().seg0, 42);
    assert_eq!((f.oper_chwidth(), f.oper_seg0()), (ChanWidth::MHZ_80, 42));
}

#[test]
fn own_entry_version_differences_on_fixture_aps() {
    let f = Status::parse(&section("status wlan4")).unwrap();
    let inp = OwnInput::from_status(&f, 0).unwrap();
    let info = |v| neighbor::own_report(&inp, &LAB_FACTS, v).unwrap();
    assert_eq!(
        info(HostapdVersion::V2_9).info,
        BssidInfo(0x19af),
        "2.9: no HE bit"
    );
    assert_eq!(info(HostapdVersion::V2_11).info, BssidInfo(0x59af));
    let m = info(HostapdVersion::Master);
    assert_eq!(m.info, BssidInfo(0x58af), "master: no Delayed BA");
    assert_eq!(m.phy_type, PhyType::HE);
    // C (channel 149 HT40+): same class 126 in every version; seg0 = HT40 centre 151.
    let c = Status::parse(&section("status wlan2")).unwrap();
    let inp = OwnInput::from_status(&c, 0).unwrap();
    for v in [
        HostapdVersion::V2_9,
        HostapdVersion::V2_10,
        HostapdVersion::V2_11,
    ] {
        let r = neighbor::own_report(&inp, &LAB_FACTS, v).unwrap();
        assert_eq!((r.op_class, r.channel), (126, 149));
        assert_eq!(
            r.subelements,
            [NrSubelement::WideBandwidthChannel {
                width: NrChanWidth::MHZ_40,
                seg0: 151,
                seg1: 0
            }]
        );
    }
}

// ---------------------------------------------------------------- SHOW_NEIGHBOR / GET_CONFIG

#[test]
fn show_neighbor_after_set() {
    let text = section("show_neighbor after set");
    let entries = Reply::from_text(&text).neighbors().unwrap();
    assert_eq!(entries.len(), 3);
    // Lines print back exactly.
    let printed: String = entries.iter().map(|e| format!("{}\n", e)).collect();
    assert_eq!(printed, text);
    // Entry 0: set with a short nr (no subelements) and `stat`.
    assert!(entries[0].stationary);
    let r0 = entries[0].report().unwrap();
    assert_eq!(
        (r0.op_class, r0.channel, r0.phy_type),
        (126, 149, PhyType::HT)
    );
    assert_eq!(r0.info, BssidInfo(0x11ab));
    assert!(r0.subelements.is_empty());
    // Entry 1: B as the capture's SET_NEIGHBOR wrote it: candidate preference 0, then an
    // empty subelement 0 (hostapd stores nr= unvalidated; it must survive a round trip).
    let r1 = entries[1].report().unwrap();
    assert_eq!(r1.info, BssidInfo(0x8f));
    assert_eq!((r1.op_class, r1.channel, r1.phy_type), (81, 6, PhyType::HT));
    assert_eq!(r1.preference(), Some(0));
    assert_eq!(
        r1.subelements,
        [
            NrSubelement::CandidatePreference(0),
            NrSubelement::Other {
                id: 0,
                data: vec![]
            }
        ]
    );
    // Entry 2: F's own entry survives.
    assert_eq!(entries[2].ssid, b"labnet");
    for e in &entries {
        let r = e.report().unwrap();
        assert_eq!(r.to_bytes().unwrap(), e.nr, "nr round trip");
        assert_eq!(NeighborReport::parse(&r.to_bytes().unwrap()).unwrap(), r);
    }
}

// ---------------------------------------------------------------- STA

#[test]
fn sta_blocks() {
    let d = StaInfo::parse(&section("all_sta wlan3")).unwrap();
    assert_eq!(d.addr, mac("02:00:00:00:06:00"));
    assert!(d.is_authorized());
    assert!(d
        .flags
        .has(StaFlags::SHORT_PREAMBLE | StaFlags::WMM | StaFlags::HT));
    assert_eq!(
        d.flags.to_string(),
        "[AUTH][ASSOC][AUTHORIZED][SHORT_PREAMBLE][WMM][HT]"
    );
    assert_eq!(d.aid, Some(1));
    assert_eq!(d.capability, Some(0x1421));
    assert!(d.rm_capable());
    assert_eq!(d.listen_interval, Some(5));
    assert_eq!(
        d.supported_rates,
        [2, 4, 0x0b, 0x16, 0x0c, 0x12, 0x18, 0x24, 0x30, 0x48, 0x60, 0x6c]
    );
    assert_eq!((d.rx_packets, d.tx_packets), (Some(9), Some(3)));
    assert_eq!((d.rx_bytes, d.tx_bytes), (Some(697), Some(209)));
    assert_eq!(d.inactive_msec, Some(592));
    assert_eq!(d.signal, Some(-20));
    assert_eq!((d.rx_rate, d.tx_rate), (Some(65), Some(10)));
    assert_eq!(d.connected_time, Some(1));
    assert_eq!(d.supp_op_classes.as_ref().unwrap()[0], 0x51);
    assert_eq!((d.min_txpower, d.max_txpower), (Some(0), Some(30)));
    assert_eq!(d.ht_caps_info, Some(0x107e));
    assert!(d.bss_transition(), "ext_capab byte 2 = 0x4a has bit 19");

    let f = Reply::from_text(&section("all_sta wlan4"))
        .sta()
        .unwrap()
        .unwrap();
    assert_eq!(f.addr, mac("02:00:00:00:05:00"));
    assert!(f.flags.has(StaFlags::VHT | StaFlags::HE));
    assert_eq!(f.capability, Some(0x1011));
    assert!(f.rm_capable());
    assert_eq!(f.signal, Some(-27));
    assert_eq!(f.rx_rate, Some(130));
    assert_eq!(f.vht_caps_info, Some(0x038004fa));
    assert!(f.bss_transition());
}

// ---------------------------------------------------------------- replies

#[test]
fn captured_replies() {
    for (i, name) in [
        "req_beacon table",
        "req_beacon active op115 ch36 wildcard",
        "req_beacon passive op81 ch6 bssid",
        "req_beacon active op128 ch255? (all ch in class)",
        "req_beacon with ssid + reporting detail 0",
        "req_beacon req_mode=01",
    ]
    .iter()
    .enumerate()
    {
        // hostapd_cli printed the token plus a newline of its own; the datagram has none.
        let t = section(name);
        let datagram = t.trim_end_matches('\n');
        assert_eq!(
            Reply::parse(datagram.as_bytes()).unwrap().token(),
            Ok(i as u8 + 1)
        );
    }
    for name in [
        "req_beacon unknown sta",
        "req_beacon bad hex",
        "remove_neighbor absent",
        "set_neighbor bad nr",
        "bss_tm_req unknown sta",
    ] {
        let t = section(name);
        let datagram = format!("{}\n", t.trim_end_matches('\n'));
        assert_eq!(
            Reply::parse(datagram.as_bytes()).unwrap(),
            Reply::Fail,
            "{}",
            name
        );
    }
    for name in [
        "set_neighbor ok",
        "set_neighbor hex ssid stat",
        "remove_neighbor present",
        "bss_tm_req no params",
        "bss_tm_req to unknown bssid",
        "bss_tm_req to B imminent",
        "bss_tm_req from B to A (vht80 nr)",
        "deauthenticate",
        "disassociate unknown",
    ] {
        assert_eq!(
            Reply::from_text(&section(name)).expect_ok(),
            Ok(()),
            "{}",
            name
        );
    }
    assert_eq!(
        Reply::from_text(&section("unknown command")),
        Reply::UnknownCommand
    );
    assert_eq!(Reply::from_text(&section("ping")).expect_pong(), Ok(()));
}

// ---------------------------------------------------------------- events

#[test]
fn every_captured_event_parses_and_prints_back() {
    let evs = event_datagrams();
    assert_eq!(evs.len(), 31);
    let mut unknown = 0;
    for (_, d) in &evs {
        let m = Message::parse(d.as_bytes()).unwrap_or_else(|e| panic!("{}: {}", d, e));
        assert_eq!(m.level, 3);
        assert_eq!(m.ifname, None);
        if matches!(m.event, Event::Unknown(_)) {
            unknown += 1;
            assert_eq!(m.event.name(), "EAPOL-4WAY-HS-COMPLETED");
        }
        // hostapd_cli drops the trailing space of a body-less BEACON-RESP-RX.
        let printed = m.to_string();
        assert_eq!(printed.trim_end(), d.as_str());
        assert_eq!(
            Message::parse_str(&printed).unwrap(),
            m,
            "parse -> display -> parse"
        );
    }
    assert_eq!(unknown, 2);
}

#[test]
fn typed_events() {
    let evs = event_datagrams();
    let get = |i: usize| Message::parse(evs[i].1.as_bytes()).unwrap().event;
    assert_eq!(evs[0].0, "wlan0");
    assert_eq!(
        get(0),
        Event::StaConnected {
            sta: mac("02:00:00:00:05:00"),
            p2p_dev_addr: None,
            ip_addr: None,
            keyid: None,
            dpp_pkhash: None
        }
    );
    assert_eq!(
        get(1),
        Event::StaDisconnected {
            sta: mac("02:00:00:00:05:00"),
            p2p_dev_addr: None
        }
    );
    assert_eq!(
        get(3),
        Event::BssTmResp {
            sta: mac("02:00:00:00:05:00"),
            status: BtmStatus::ACCEPT,
            bss_termination_delay: 0,
            target: Some(mac("02:00:00:00:00:00")),
        }
    );
    let mut statuses = vec![];
    let mut tx = vec![];
    for (_, d) in &evs {
        match Message::parse(d.as_bytes()).unwrap().event {
            Event::BssTmResp { status, target, .. } => statuses.push((status, target)),
            Event::BeaconReqTxStatus { token, ack, .. } => tx.push((token, ack)),
            _ => {}
        }
    }
    assert_eq!(
        statuses,
        [
            (BtmStatus(0), Some(mac("02:00:00:00:00:00"))),
            (BtmStatus::REJECT_UNSPECIFIED, None),
            (BtmStatus::REJECT_NO_SUITABLE_CANDIDATES, None),
            (BtmStatus(0), Some(mac("02:00:00:00:01:00"))),
        ]
    );
    assert_eq!(
        tx,
        [
            (1, true),
            (2, true),
            (3, true),
            (4, true),
            (5, true),
            (6, true)
        ]
    );
}

fn beacon_reports() -> Vec<(u8, u8, Vec<u8>)> {
    event_datagrams()
        .iter()
        .filter_map(|(_, d)| match Message::parse(d.as_bytes()).unwrap().event {
            Event::BeaconRespRx {
                token,
                mode,
                report,
                ..
            } => Some((token, mode.0, report.decode())),
            _ => None,
        })
        .collect()
}

#[test]
fn beacon_reports_from_the_air() {
    let reps = beacon_reports();
    assert_eq!(reps.len(), 12);
    // Refused (04) and incapable (02) carry no body.
    let modes: Vec<_> = reps.iter().map(|r| (r.0, r.1, r.2.is_empty())).collect();
    assert!(modes.contains(&(4, 4, true)));
    assert!(modes.contains(&(6, 2, true)));
    let mut seen = vec![];
    for (token, mode, body) in &reps {
        if *mode != 0 {
            continue;
        }
        let r = BeaconReport::parse(body).unwrap();
        assert_eq!(&r.to_bytes(), body, "emit reproduces the body");
        assert_eq!(BeaconReport::parse(&r.to_bytes()).unwrap(), r);
        assert_eq!(r.rsni, Rsni(255), "wpa_supplicant never measures RSNI");
        assert_eq!(r.antenna_id, 0);
        seen.push((
            *token,
            r.bssid,
            r.op_class,
            r.channel,
            r.rcpi.dbm(),
            r.frame_info,
        ));
    }
    // Table mode (token 1): every AP in range, with the class/channel of its primary channel
    // as wpa_supplicant reports them, and RCPI matching hwsim's -27 dBm (5 GHz) / -20 dBm (2.4).
    let t1: Vec<_> = seen.iter().filter(|s| s.0 == 1).collect();
    assert_eq!(t1.len(), 6);
    assert_eq!(t1[0].1, mac("02:00:00:00:04:00"));
    assert_eq!((t1[0].2, t1[0].3, t1[0].4), (128, 44, Some(-27.0)));
    assert_eq!(t1[0].5, FrameInfo(9));
    assert_eq!(t1[0].5.phy_type(), PhyType::VHT.0);
    let c = t1.iter().find(|s| s.1 == mac("02:00:00:00:02:00")).unwrap();
    assert_eq!((c.2, c.3, c.4), (126, 149, Some(-20.0)));
    let b = t1.iter().find(|s| s.1 == mac("02:00:00:00:01:00")).unwrap();
    assert_eq!((b.2, b.3, b.4), (81, 6, Some(-20.0)));
    assert_eq!(Rcpi(0xa6).dbm(), Some(-27.0));
    // Active and passive requests (tokens 2, 3) carry a measurement duration of 100 TU.
    let active = BeaconReport::parse(&reps.iter().find(|r| r.0 == 2).unwrap().2).unwrap();
    assert_eq!(active.duration, 100);
    let passive = BeaconReport::parse(&reps.iter().find(|r| r.0 == 3).unwrap().2).unwrap();
    assert_eq!(passive.bssid, mac("02:00:00:00:01:00"));
    assert_ne!(passive.parent_tsf, 0);
    assert_eq!(passive.parent_tsf, 0x18bec275);
}

#[test]
fn frame_bodies_and_fragments() {
    let reps = beacon_reports();
    // First table report: frame body fragment 0 of report 1 with "more", then fragment 1.
    let r0 = BeaconReport::parse(&reps[0].2).unwrap();
    let f0 = r0.fragment_id().unwrap();
    assert_eq!((f0.report_id, f0.number, f0.more), (1, 0, true));
    let body = r0.frame_body().unwrap();
    assert_eq!(body.beacon_interval(), Some(100));
    assert_eq!(
        body.capability(),
        Some(0x1011),
        "ESS, privacy, radio measurement"
    );
    assert_eq!(body.ssid(), Some(&b"labnet"[..]));
    assert!(
        body.elements().all(|e| e.is_ok()),
        "fragments end on element boundaries"
    );
    let r1 = BeaconReport::parse(&reps[1].2).unwrap();
    let f1 = r1.fragment_id().unwrap();
    assert_eq!((f1.report_id, f1.number, f1.more), (1, 1, false));
    let mut asm = BodyAssembler::new();
    assert_eq!(asm.push(&r0), None);
    let whole = asm.push(&r1).unwrap();
    assert_eq!(whole.len(), body.0.len() + r1.frame_body().unwrap().0.len());
    let whole_body = ctrl_proto::rrm::FrameBody(&whole);
    let ids: Vec<u8> = whole_body.elements().map(|e| e.unwrap().0).collect();
    assert_eq!(ids.first(), Some(&0));
    assert_eq!(
        ids.last(),
        Some(&221),
        "the vendor (WMM) element came in fragment 1"
    );
    // Other reports carry a whole body in one fragment (more = 0).
    let r2 = BeaconReport::parse(&reps[2].2).unwrap();
    assert!(asm.push(&r2).is_some());
    // Reporting detail 0 (token 5): no frame body, fragment id only.
    for (token, _, b) in reps.iter().filter(|r| r.0 == 5) {
        let r = BeaconReport::parse(b).unwrap();
        assert!(r.frame_body().is_none(), "token {}", token);
        assert!(matches!(
            r.subelements().next(),
            Some(ReportSubelement::FragmentId(_))
        ));
    }
}
