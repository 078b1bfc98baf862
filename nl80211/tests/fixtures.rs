//! Decoders against REAL kernel bytes: captures from the lab VM (Debian 6.1 kernel,
//! mac80211_hwsim, hostapd 2.10, wpa_supplicant 2.10), made with `examples/capture.rs` by the
//! scenario `tests/fixtures/capture-scenario.sh`, annotated by `examples/annotate.rs`.
//! Every check runs twice: on the captured little-endian bytes, and on the same messages
//! converted to big-endian (what a MIPS-BE kernel sends) decoded with `BigEndian`.
//! The decoded values are compared field by field with what `iw` printed for the same
//! objects in the same run (`iw.txt`).

use std::collections::BTreeMap;

use byteorder::{BigEndian, ByteOrder, LittleEndian};
use nl80211::event::decode_station_event;
use nl80211::exchange::{Exchange, Request, Response, Step};
use nl80211::message::{classify, messages, Reply};
use nl80211::{BandId, StationEvent};

#[path = "support/schema.rs"]
mod schema;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hwsim-6.1");

fn datagrams(name: &str) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(format!("{DIR}/{name}.hex")).unwrap();
    schema::load_fixture(&text)
        .into_iter()
        .map(|(_, b)| b)
        .collect()
}

fn iw_section(title: &str) -> String {
    let text = std::fs::read_to_string(format!("{DIR}/iw.txt")).unwrap();
    let start = text
        .find(&format!("=== {title}\n"))
        .unwrap_or_else(|| panic!("no iw section {title}"));
    let rest = &text[start + title.len() + 5..];
    rest[..rest.find("\n=== ").map(|i| i + 1).unwrap_or(rest.len())].to_string()
}

/// Runs the datagrams of one capture through an Exchange for `req`, in byte order `B`
/// (`be` converts the captured little-endian bytes first).
fn exchange<B: ByteOrder>(name: &str, req: Request, be: bool) -> Response {
    let ds = datagrams(name);
    let first = messages::<LittleEndian>(&ds[0]).next().unwrap().unwrap();
    let mut ex = Exchange::new(req, first.header.seq);
    for d in ds {
        let d = if be { schema::le_to_be(&d) } else { d };
        for m in messages::<B>(&d) {
            match ex.feed::<B>(&m.unwrap()) {
                Step::Pending => {}
                Step::Done(r) => return r.unwrap(),
                Step::Restart => panic!("restart"),
            }
        }
    }
    panic!("{name}: exchange did not finish");
}

fn both(f: impl Fn(bool) -> Response) -> Response {
    let le = f(false);
    let be = f(true);
    assert_eq!(le, be, "big-endian decoding differs from little-endian");
    le
}

fn mac_str(m: [u8; 6]) -> String {
    m.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[test]
fn getfamily_real_bytes() {
    let Response::Family(f) = both(|be| {
        if be {
            exchange::<BigEndian>("getfamily", Request::Family("nl80211".into()), true)
        } else {
            exchange::<LittleEndian>("getfamily", Request::Family("nl80211".into()), false)
        }
    }) else {
        panic!()
    };
    assert_eq!(f.name, "nl80211");
    assert_eq!(f.id, 0x20);
    assert_eq!(f.version, 1);
    let names: Vec<_> = f.groups.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["config", "scan", "regulatory", "mlme", "vendor", "nan"]
    );
    assert_eq!(f.group("mlme"), Some(12));
}

/// `iw dev X station dump` text → MAC → (key → value).
fn iw_stations(section: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let mut cur: Option<String> = None;
    for l in section.lines() {
        if let Some(rest) = l.strip_prefix("Station ") {
            let mac = rest.split_whitespace().next().unwrap().to_string();
            out.insert(mac.clone(), BTreeMap::new());
            cur = Some(mac);
        } else if let (Some(m), Some((k, v))) = (&cur, l.trim_start().split_once(':')) {
            out.get_mut(m)
                .unwrap()
                .insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    out
}

fn yes(b: Option<bool>) -> &'static str {
    if b == Some(true) {
        "yes"
    } else {
        "no"
    }
}

fn check_stations(capture: &str, iface: &str, ifindex: u32) {
    let Response::Stations(v) = both(|be| {
        let req = Request::Stations { ifindex };
        if be {
            exchange::<BigEndian>(capture, req, true)
        } else {
            exchange::<LittleEndian>(capture, req, false)
        }
    }) else {
        panic!()
    };
    let iw = iw_stations(&iw_section(&format!("iw dev {iface} station dump")));
    assert_eq!(v.len(), iw.len());
    for s in &v {
        let w = &iw[&mac_str(s.mac)];
        let f = |k: &str| {
            w.get(k)
                .unwrap_or_else(|| panic!("iw has no {k:?}"))
                .as_str()
        };
        assert_eq!(s.ifindex, ifindex);
        assert_eq!(s.rx_bytes.unwrap().to_string(), f("rx bytes"));
        assert_eq!(s.tx_bytes.unwrap().to_string(), f("tx bytes"));
        assert_eq!(s.rx_packets.unwrap().to_string(), f("rx packets"));
        assert_eq!(s.tx_packets.unwrap().to_string(), f("tx packets"));
        assert_eq!(s.tx_retries.unwrap().to_string(), f("tx retries"));
        assert_eq!(s.tx_failed.unwrap().to_string(), f("tx failed"));
        assert_eq!(s.rx_drop_misc.unwrap().to_string(), f("rx drop misc"));
        assert_eq!(format!("{} dBm", s.signal_dbm.unwrap()), f("signal"));
        assert_eq!(
            format!("{} dBm", s.signal_avg_dbm.unwrap()),
            f("signal avg")
        );
        assert_eq!(s.tx_bitrate.as_ref().unwrap().to_string(), f("tx bitrate"));
        assert_eq!(s.rx_bitrate.as_ref().unwrap().to_string(), f("rx bitrate"));
        assert_eq!(
            format!("{} us", s.tx_duration_us.unwrap()),
            f("tx duration")
        );
        assert_eq!(
            format!("{} us", s.rx_duration_us.unwrap()),
            f("rx duration")
        );
        let fl = s.flags.unwrap();
        assert_eq!(yes(fl.authorized()), f("authorized"));
        assert_eq!(yes(fl.authenticated()), f("authenticated"));
        assert_eq!(yes(fl.associated()), f("associated"));
        assert_eq!(
            if fl.short_preamble() == Some(true) {
                "short"
            } else {
                "long"
            },
            f("preamble")
        );
        assert_eq!(yes(fl.wme()), f("WMM/WME"));
        assert_eq!(yes(fl.mfp()), f("MFP"));
        assert_eq!(yes(fl.tdls_peer()), f("TDLS peer"));
        let bp = s.bss_param.unwrap();
        assert_eq!(bp.dtim_period.unwrap().to_string(), f("DTIM period"));
        assert_eq!(
            bp.beacon_interval.unwrap().to_string(),
            f("beacon interval")
        );
        assert_eq!(yes(Some(bp.short_slot_time)), f("short slot time"));
        // iw ran a moment after the capture: times may differ by the gap
        let iw_conn: u32 = f("connected time")
            .trim_end_matches(" seconds")
            .parse()
            .unwrap();
        assert!(iw_conn.abs_diff(s.connected_time_s.unwrap()) <= 1);
        let iw_boot = f("associated at [boottime]");
        let ns = s.assoc_at_boottime_ns.unwrap();
        assert_eq!(
            format!("{}.{:03}s", ns / 1_000_000_000, ns / 1_000_000 % 1000),
            iw_boot
        );
        assert!(s.inactive_time_ms.unwrap() < 5000);
        // hwsim reports no per-chain signal and no beacon loss counter; iw prints none
        assert!(s.chain_signal.is_empty() && !w.contains_key("signal chains"));
    }
}

#[test]
fn station_dump_real_bytes_match_iw_2ghz() {
    check_stations("stations-wlan0", "wlan0", 2);
}

#[test]
fn station_dump_real_bytes_match_iw_5ghz() {
    check_stations("stations-wlan2", "wlan2", 4);
}

fn check_interface(capture: &str, iface: &str, ifindex: u32) {
    let Response::Interface(i) = both(|be| {
        let req = Request::Interface { ifindex };
        if be {
            exchange::<BigEndian>(capture, req, true)
        } else {
            exchange::<LittleEndian>(capture, req, false)
        }
    }) else {
        panic!()
    };
    let iw = iw_section(&format!("iw dev {iface} info"));
    let lines: Vec<&str> = iw.lines().map(str::trim).collect();
    assert_eq!(lines[0], format!("Interface {}", i.name));
    assert!(lines.contains(&format!("ifindex {}", i.ifindex).as_str()));
    assert!(lines.contains(&format!("wdev 0x{:x}", i.wdev.unwrap()).as_str()));
    assert!(lines.contains(&format!("addr {}", mac_str(i.mac.unwrap())).as_str()));
    let ssid = String::from_utf8(i.ssid.clone().unwrap()).unwrap();
    assert!(lines.contains(&format!("ssid {ssid}").as_str()));
    assert!(lines.contains(&format!("type {}", i.iftype().iw_name()).as_str()));
    assert!(lines.contains(&format!("wiphy {}", i.wiphy).as_str()));
    let f = i.frequency_mhz.unwrap();
    let chan = if f < 3000 {
        (f - 2407) / 5
    } else {
        (f - 5000) / 5
    };
    let want = format!(
        "channel {chan} ({f} MHz), width: {} MHz, center1: {} MHz",
        i.channel_width().unwrap().mhz().unwrap(),
        i.center_freq1.unwrap()
    );
    assert!(lines.contains(&want.as_str()), "{want:?} not in {lines:?}");
    let p = i.tx_power_mbm.unwrap();
    assert!(lines.contains(&format!("txpower {}.{:02} dBm", p / 100, p % 100).as_str()));
}

#[test]
fn interface_real_bytes_match_iw() {
    check_interface("interface-wlan0", "wlan0", 2);
    check_interface("interface-wlan2", "wlan2", 4);
}

#[test]
fn interface_dump_real_bytes_match_iw_dev() {
    let Response::Interfaces(v) = both(|be| {
        if be {
            exchange::<BigEndian>("interfaces", Request::Interfaces, true)
        } else {
            exchange::<LittleEndian>("interfaces", Request::Interfaces, false)
        }
    }) else {
        panic!()
    };
    let iw = iw_section("iw dev");
    let names: Vec<String> = iw
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Interface ").map(str::to_string))
        .collect();
    assert_eq!(v.iter().map(|i| i.name.clone()).collect::<Vec<_>>(), names);
    let idx: Vec<String> = iw
        .lines()
        .filter_map(|l| l.trim().strip_prefix("ifindex ").map(str::to_string))
        .collect();
    assert_eq!(
        v.iter().map(|i| i.ifindex.to_string()).collect::<Vec<_>>(),
        idx
    );
}

#[test]
fn wiphy_split_dump_real_bytes_match_iw_phy_info() {
    let Response::Wiphy(w) = both(|be| {
        let req = Request::Wiphy { index: 2 };
        if be {
            exchange::<BigEndian>("wiphy-wlan2", req, true)
        } else {
            exchange::<LittleEndian>("wiphy-wlan2", req, false)
        }
    }) else {
        panic!()
    };
    let iw = iw_section("iw phy phy2 info");
    assert!(iw.starts_with(&format!("Wiphy {}", w.name.as_deref().unwrap())));
    assert_eq!(w.ap_uapsd, iw.contains("Device supports AP-side u-APSD."));
    assert!(w.ap_uapsd);
    // iw: "Band N:" with N = band index + 1, then "* FREQ MHz [CHAN] (P dBm) (flags)"
    let mut iw_bands: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    let mut band = None;
    for l in iw.lines() {
        let t = l.trim();
        if let Some(n) = t.strip_prefix("Band ").and_then(|r| r.strip_suffix(':')) {
            band = Some(n.parse::<u16>().unwrap() - 1);
        } else if let (Some(b), Some(r)) = (band, t.strip_prefix("* ")) {
            if r.contains(" MHz [") {
                iw_bands.entry(b).or_default().push(r.to_string());
            }
        }
    }
    let mut compared = 0;
    for b in &w.bands {
        let idx = match b.id {
            BandId::Ghz2 => 0,
            BandId::Ghz5 => 1,
            BandId::Ghz6 => 3,
            _ => continue, // S1G has fractional MHz (FREQ_OFFSET), not modelled
        };
        let ours: Vec<String> = b
            .freqs
            .iter()
            .map(|f| {
                let ch = match f.mhz {
                    2484 => 14,
                    m if m < 2484 => (m - 2407) / 5,
                    m if m >= 5955 => (m - 5950) / 5,
                    m => (m - 5000) / 5,
                };
                let mut s = format!("{} MHz [{ch}]", f.mhz);
                if f.disabled {
                    s.push_str(" (disabled)");
                    return s;
                }
                let p = f.max_tx_power_mbm.unwrap();
                s.push_str(&format!(" ({}.{} dBm)", p / 100, p % 100 / 10));
                if f.no_ir {
                    s.push_str(" (no IR)");
                }
                if f.radar {
                    s.push_str(" (radar detection)");
                }
                s
            })
            .collect();
        assert_eq!(ours, iw_bands[&idx], "band {:?}", b.id);
        compared += ours.len();
    }
    assert!(compared > 50, "only {compared} frequencies compared");
    assert!(w
        .band_of(5180)
        .is_some_and(|b| b.id == BandId::Ghz5 && b.vht_capa.is_some()));
    assert!(w.band_of(2437).is_some_and(|b| b.ht_capa.is_some()));
}

#[test]
fn station_events_real_bytes() {
    fn run<B: ByteOrder>(be: bool) -> Vec<StationEvent> {
        let mut out = Vec::new();
        for d in datagrams("events") {
            let d = if be { schema::le_to_be(&d) } else { d };
            for m in messages::<B>(&d) {
                let m = m.unwrap();
                if let Reply::Data(g) = classify::<B>(&m).unwrap() {
                    out.extend(decode_station_event::<B>(&g).unwrap());
                }
            }
        }
        out
    }
    let le = run::<LittleEndian>(false);
    assert_eq!(le, run::<BigEndian>(true));
    let mac = |n: u8| [2, 0, 0, 0, n, 0];
    assert_eq!(
        le,
        [
            StationEvent::New {
                ifindex: 2,
                mac: mac(1)
            },
            StationEvent::New {
                ifindex: 4,
                mac: mac(3)
            },
            StationEvent::Del {
                ifindex: 2,
                mac: mac(1)
            },
        ]
    );
}

/// The production path (`Host` = the machine's own order) on the captures converted to this
/// machine's order: on x86 the bytes as captured, on big-endian MIPS (tests/cross/mips.sh runs
/// this file under qemu-mips-static) the big-endian conversion, i.e. what its kernel sends.
#[test]
fn host_order_production_path() {
    let host = |d: Vec<u8>| {
        if cfg!(target_endian = "big") {
            schema::le_to_be(&d)
        } else {
            d
        }
    };
    let mut ex = Exchange::new(Request::Stations { ifindex: 2 }, 101);
    let mut result = None;
    for d in datagrams("stations-wlan0").into_iter().map(host) {
        for m in messages::<nl80211::Host>(&d) {
            if let Step::Done(r) = ex.feed::<nl80211::Host>(&m.unwrap()) {
                result = Some(r.unwrap());
            }
        }
    }
    let Some(Response::Stations(v)) = result else {
        panic!("no answer")
    };
    assert_eq!(
        (v[0].mac, v[0].signal_dbm, v[0].rx_bytes),
        ([2, 0, 0, 0, 1, 0], Some(-20), Some(1893))
    );
    // and a request encoded in host order is what the kernel of this machine reads
    let r = nl80211::station::encode_get_stations::<nl80211::Host>(0x20, 7, 2);
    assert_eq!(r[0..4], 28u32.to_ne_bytes());
    assert_eq!(r[6..8], 0x0301u16.to_ne_bytes());
    assert_eq!(r[24..28], 2u32.to_ne_bytes());
}
