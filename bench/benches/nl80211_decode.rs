//! nl80211 station-dump decoding, per station, for 1, 64 and 1024 stations: roamer's
//! `nl80211` codec side by side with `wl-nl80211` (rust-netlink: netlink-packet-core +
//! netlink-packet-generic) on the same bytes, reported as a ratio.
//!
//! # The bytes
//! The real kernel messages captured in the lab (Linux 6.1, mac80211_hwsim, hostapd 2.10):
//! `nl80211/tests/fixtures/hwsim-6.1/stations-wlan{0,2}.hex`, one `NEW_STATION` each (a
//! 2.4 GHz HT station and a 5 GHz VHT station, 1188 bytes each, 888 of them
//! `NL80211_STA_INFO_TID_STATS`). For N stations the two messages are repeated alternately
//! with the last two bytes of `NL80211_ATTR_MAC` set to the station's index, packed as the
//! kernel packs a dump for a reader with a >= 32 KiB buffer (as many whole messages as fit in
//! 32 KiB per datagram; the `NLMSG_DONE` of the capture in its own datagram).
//!
//! # The work, per decoder
//! Each decoder walks every datagram, splits the netlink messages, checks the headers, and
//! parses every station attribute into its own structs:
//! - roamer: `message::messages` + `message::classify` + `station::decode_station` into a
//!   `Vec<Station>` (what the daemon does per poll, minus the socket);
//! - wl-nl80211: `NetlinkMessage::<GenlMessage<Nl80211Message>>::deserialize` per message
//!   into a `Vec` (its attribute enums, `Nl80211StationInfo`, `Nl80211RateInfo`, ...).
//!
//! Two inputs, both reported:
//! - `kernel`: the bytes exactly as captured. roamer skips `TID_STATS` (it does not model
//!   per-TID counters); wl-nl80211 parses them into nested structs.
//! - `no-tid`: the same messages with the `TID_STATS` attribute removed (lengths fixed), so
//!   that both decoders parse the same attribute set into structs: the like-for-like ratio.
//!
//! A third row, `nla-walk-floor`, is no decoder: netlink-packet-core's iterators walking the
//! same nests and reading every integer without building anything (see [`nla_walk`]).
//!
//! Before timing, both decoders' results are checked against each other (MAC, signal, byte
//! counters, bitrates, connected time) for every station, so the benchmark cannot time a
//! decoder that fails or decodes something else.
//!
//! Run: `cargo bench -p roamer-bench --bench nl80211_decode` (or `bench/run.sh`).

mod support;

use std::path::PathBuf;

use netlink_packet_core::{NetlinkBuffer, NetlinkMessage, NetlinkPayload, NlasIterator};
use netlink_packet_generic::GenlMessage;
use nl80211::message::{classify, messages, Reply};
use nl80211::station::decode_station;
use nl80211::{Host, Station};
use wl_nl80211::{Nl80211Attr, Nl80211Message, Nl80211RateInfo, Nl80211StationInfo};

type WlMsg = NetlinkMessage<GenlMessage<Nl80211Message>>;

const NLMSG_DONE: u16 = 3;
const NL80211_ATTR_MAC: u16 = 6;
const NL80211_ATTR_STA_INFO: u16 = 21;
const NL80211_STA_INFO_TID_STATS: u16 = 31;
/// Largest dump datagram the kernel builds (netlink_dump: 32 KiB skb).
const DUMP_DATAGRAM_MAX: usize = 32768;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../nl80211/tests/fixtures/hwsim-6.1")
}

fn align4(n: usize) -> usize {
    (n + 3) & !3
}

/// Attribute walk over little-endian bytes (the fixtures are x86 captures): (type, whole attr).
fn nlas(buf: &[u8]) -> Vec<(u16, &[u8])> {
    let mut out = Vec::new();
    let mut off = 0;
    while off + 4 <= buf.len() {
        let len = u16::from_le_bytes([buf[off], buf[off + 1]]) as usize;
        let kind = u16::from_le_bytes([buf[off + 2], buf[off + 3]]) & 0x3fff;
        assert!(
            len >= 4 && off + len <= buf.len(),
            "malformed fixture attribute"
        );
        out.push((kind, &buf[off..off + len]));
        off += align4(len);
    }
    out
}

fn push_attr(out: &mut Vec<u8>, kind_raw: u16, payload: &[u8]) {
    let len = 4 + payload.len();
    out.extend_from_slice(&(len as u16).to_le_bytes());
    out.extend_from_slice(&kind_raw.to_le_bytes());
    out.extend_from_slice(payload);
    out.resize(align4(out.len()), 0);
}

/// The NEW_STATION messages and the DONE message of one captured dump.
fn load_dump(name: &str) -> (Vec<Vec<u8>>, Vec<u8>) {
    let path = fixture_dir().join(name);
    let mut stations = Vec::new();
    let mut done = None;
    for d in support::read_hex_datagrams(&path) {
        let mut off = 0;
        while off + 16 <= d.len() {
            let len = u32::from_le_bytes([d[off], d[off + 1], d[off + 2], d[off + 3]]) as usize;
            let kind = u16::from_le_bytes([d[off + 4], d[off + 5]]);
            let m = d[off..off + len].to_vec();
            if kind == NLMSG_DONE {
                done = Some(m);
            } else {
                stations.push(m);
            }
            off += align4(len);
        }
    }
    let done = done.unwrap_or_else(|| panic!("{name}: no NLMSG_DONE"));
    assert!(!stations.is_empty(), "{name}: no station message");
    (stations, done)
}

/// The message without `NL80211_STA_INFO_TID_STATS` (header and nest lengths rewritten).
fn strip_tid_stats(msg: &[u8]) -> Vec<u8> {
    let mut attrs = Vec::new();
    for (kind, a) in nlas(&msg[20..]) {
        let raw_kind = u16::from_le_bytes([a[2], a[3]]);
        if kind == NL80211_ATTR_STA_INFO {
            let mut inner = Vec::new();
            for (k, c) in nlas(&a[4..]) {
                if k != NL80211_STA_INFO_TID_STATS {
                    let l = u16::from_le_bytes([c[0], c[1]]) as usize;
                    push_attr(&mut inner, u16::from_le_bytes([c[2], c[3]]), &c[4..l]);
                }
            }
            push_attr(&mut attrs, raw_kind, &inner);
        } else {
            let l = u16::from_le_bytes([a[0], a[1]]) as usize;
            push_attr(&mut attrs, raw_kind, &a[4..l]);
        }
    }
    let mut out = msg[..20].to_vec();
    out.extend_from_slice(&attrs);
    let len = out.len() as u32;
    out[0..4].copy_from_slice(&len.to_le_bytes());
    out
}

/// Offset of the MAC payload inside a NEW_STATION message.
fn mac_offset(msg: &[u8]) -> usize {
    let mut off = 20;
    for (kind, a) in nlas(&msg[20..]) {
        if kind == NL80211_ATTR_MAC {
            return off + 4;
        }
        off += align4(a.len());
    }
    panic!("fixture station without NL80211_ATTR_MAC");
}

/// `n` stations from the templates, packed into dump datagrams, then DONE.
fn build_dump(templates: &[Vec<u8>], done: &[u8], n: usize) -> Vec<Vec<u8>> {
    let mut dgs: Vec<Vec<u8>> = vec![Vec::new()];
    for i in 0..n {
        let mut m = templates[i % templates.len()].clone();
        let o = mac_offset(&m);
        m[o + 4] = (i >> 8) as u8;
        m[o + 5] = i as u8;
        let cur = dgs.last_mut().expect("one datagram");
        if !cur.is_empty() && cur.len() + m.len() > DUMP_DATAGRAM_MAX {
            dgs.push(Vec::new());
        }
        dgs.last_mut().expect("one datagram").extend_from_slice(&m);
    }
    dgs.push(done.to_vec());
    dgs
}

fn roamer_decode(dgs: &[Vec<u8>]) -> Vec<Station> {
    let mut out = Vec::new();
    for d in dgs {
        for m in messages::<Host>(d) {
            let m = m.expect("roamer: bad netlink message");
            match classify::<Host>(&m).expect("roamer: bad message") {
                Reply::Data(g) => out.push(decode_station::<Host>(&g).expect("roamer: station")),
                Reply::Done => {}
                other => panic!("roamer: unexpected {other:?}"),
            }
        }
    }
    out
}

fn wl_decode(dgs: &[Vec<u8>]) -> Vec<WlMsg> {
    let mut out = Vec::new();
    for d in dgs {
        let mut off = 0;
        while off < d.len() {
            let len = u32::from_ne_bytes([d[off], d[off + 1], d[off + 2], d[off + 3]]) as usize;
            let m = WlMsg::deserialize(&d[off..off + len]).expect("wl-nl80211: message");
            out.push(m);
            off += align4(len);
        }
    }
    out
}

/// A floor, not a decoder: netlink-packet-core's `NetlinkBuffer` + `NlasIterator` walk over
/// the same nests, reading every 4- and 8-byte value, building no struct and allocating
/// nothing. Shows how much of wl-nl80211's time is its struct building (and its eagerly
/// formatted error contexts) rather than the netlink framing it shares.
fn nla_walk(dgs: &[Vec<u8>]) -> u64 {
    fn walk(b: &[u8], parent: Option<u16>, grand: Option<u16>, acc: &mut u64) {
        for nla in NlasIterator::new(b) {
            let nla = nla.expect("nla");
            let (kind, v) = (nla.kind(), nla.value());
            *acc = acc.wrapping_add(match v.len() {
                4 => u32::from_ne_bytes([v[0], v[1], v[2], v[3]]) as u64,
                8 => u64::from_ne_bytes([v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]]),
                n => n as u64,
            });
            let nested = match (grand, parent) {
                (None, None) => kind == NL80211_ATTR_STA_INFO,
                (None, Some(NL80211_ATTR_STA_INFO)) => {
                    matches!(kind, 8 | 14 | 15 | 25 | 26 | NL80211_STA_INFO_TID_STATS)
                }
                (Some(NL80211_ATTR_STA_INFO), Some(NL80211_STA_INFO_TID_STATS)) => true,
                _ => false,
            };
            if nested {
                walk(v, Some(kind), parent, acc);
            }
        }
    }
    let mut acc = 0u64;
    for d in dgs {
        let mut off = 0;
        while off < d.len() {
            let buf = NetlinkBuffer::new_checked(&d[off..]).expect("nlmsg");
            let len = buf.length() as usize;
            if buf.message_type() != NLMSG_DONE {
                walk(&d[off + 20..off + len], None, None, &mut acc);
            }
            off += align4(len);
        }
    }
    acc
}

/// The station fields both decoders must agree on.
#[derive(Debug, Default, PartialEq, Eq)]
struct Key {
    mac: [u8; 6],
    signal: Option<i8>,
    signal_avg: Option<i8>,
    rx_bytes: Option<u64>,
    tx_bytes: Option<u64>,
    rx_packets: Option<u32>,
    connected_time: Option<u32>,
    tx_bitrate: Option<u32>,
    rx_bitrate: Option<u32>,
}

fn key_roamer(s: &Station) -> Key {
    Key {
        mac: s.mac,
        signal: s.signal_dbm,
        signal_avg: s.signal_avg_dbm,
        rx_bytes: s.rx_bytes,
        tx_bytes: s.tx_bytes,
        rx_packets: s.rx_packets,
        connected_time: s.connected_time_s,
        tx_bitrate: s.tx_bitrate.as_ref().and_then(|r| r.bitrate_100kbps),
        rx_bitrate: s.rx_bitrate.as_ref().and_then(|r| r.bitrate_100kbps),
    }
}

fn rate32(r: &[Nl80211RateInfo]) -> Option<u32> {
    r.iter().find_map(|x| match x {
        Nl80211RateInfo::Bitrate32(v) => Some(*v),
        _ => None,
    })
}

fn key_wl(m: &WlMsg) -> Option<Key> {
    let NetlinkPayload::InnerMessage(g) = &m.payload else {
        return None;
    };
    let mut k = Key::default();
    for a in &g.payload.attributes {
        match a {
            Nl80211Attr::Mac(mac) => k.mac = *mac,
            Nl80211Attr::StationInfo(info) => {
                for i in info {
                    match i {
                        Nl80211StationInfo::Signal(v) => k.signal = Some(*v),
                        Nl80211StationInfo::SignalAvg(v) => k.signal_avg = Some(*v),
                        Nl80211StationInfo::RxBytes64(v) => k.rx_bytes = Some(*v),
                        Nl80211StationInfo::TxBytes64(v) => k.tx_bytes = Some(*v),
                        Nl80211StationInfo::RxPackets(v) => k.rx_packets = Some(*v),
                        Nl80211StationInfo::ConnectedTime(v) => k.connected_time = Some(*v),
                        Nl80211StationInfo::TxBitrate(r) => k.tx_bitrate = rate32(r),
                        Nl80211StationInfo::RxBitrate(r) => k.rx_bitrate = rate32(r),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Some(k)
}

fn check_same(dgs: &[Vec<u8>], n: usize) {
    let r: Vec<Key> = roamer_decode(dgs).iter().map(key_roamer).collect();
    let w: Vec<Key> = wl_decode(dgs).iter().filter_map(key_wl).collect();
    assert_eq!(r.len(), n, "roamer decoded {} of {n} stations", r.len());
    assert_eq!(w.len(), n, "wl-nl80211 decoded {} of {n} stations", w.len());
    assert_eq!(r, w, "the decoders disagree");
    assert!(r.iter().all(|k| k.signal.is_some() && k.rx_bytes.is_some()));
}

fn main() {
    // `cargo bench` passes `--bench`; a name filter may follow (ignored: this runs in seconds).
    let (mut templates, done) = load_dump("stations-wlan0.hex");
    let (t2, _) = load_dump("stations-wlan2.hex");
    templates.extend(t2);
    let stripped: Vec<Vec<u8>> = templates.iter().map(|m| strip_tid_stats(m)).collect();
    println!(
        "# nl80211 station dump decode: real NEW_STATION bytes from {} ({} and {} bytes; \
         without TID_STATS {} and {} bytes)",
        fixture_dir().display(),
        templates[0].len(),
        templates[1].len(),
        stripped[0].len(),
        stripped[1].len()
    );
    for (input, tpl) in [("kernel", &templates), ("no-tid", &stripped)] {
        for n in [1usize, 64, 1024] {
            let dgs = build_dump(tpl, &done, n);
            check_same(&dgs, n);
            let bytes: usize = dgs.iter().map(Vec::len).sum();
            println!("# {input} n={n}: {} datagrams, {bytes} bytes", dgs.len());
            let r = support::measure(n, || roamer_decode(&dgs));
            support::report(&format!("nl80211_decode/{input}/roamer/{n}"), "station", &r);
            let w = support::measure(n, || wl_decode(&dgs));
            support::report(
                &format!("nl80211_decode/{input}/wl-nl80211/{n}"),
                "station",
                &w,
            );
            support::ratio(
                &format!("nl80211_decode/{input}/ratio/{n}"),
                &w,
                &r,
                "wl-nl80211 time / roamer time",
            );
            let f = support::measure(n, || nla_walk(&dgs));
            support::report(
                &format!("nl80211_decode/{input}/nla-walk-floor/{n}"),
                "station",
                &f,
            );
        }
    }
}
