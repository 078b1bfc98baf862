//! Decoder tests on messages assembled from PROTOCOL.md B and the kernel's
//! `nl80211_send_station()` / `nl80211_send_iface()` layouts, in both byte orders.
//! (Real captured bytes are in `fixtures.rs`.)

use byteorder::{BigEndian, ByteOrder, LittleEndian};
use nl80211::attr::AttrWriter;
use nl80211::exchange::{Exchange, Request, Response, Step};
use nl80211::message::{
    classify, messages, Genl, Header, Reply, NLMSG_DONE, NLM_F_DUMP_INTR, NLM_F_MULTI,
};
use nl80211::station::decode_station;
use nl80211::{DecodeError, Error, RateWidth};

const FAMILY: u16 = 0x1c;

fn nest<B: ByteOrder>(f: impl FnOnce(&mut AttrWriter<'_, B>)) -> Vec<u8> {
    let mut v = Vec::new();
    f(&mut AttrWriter::new(&mut v));
    v
}

fn u8a(v: i8) -> [u8; 1] {
    [v as u8]
}

/// A NEW_STATION message as mac80211 on 6.1 sends it for an HT station.
fn station_msg<B: ByteOrder>(seq: u32, flags: u16, generation: u32, mac_last: u8) -> Vec<u8> {
    let txrate = nest::<B>(|w| {
        w.put(1, &{
            let mut b = [0; 2];
            B::write_u16(&mut b, 1444);
            b
        }) // BITRATE 144.4
        .u32(5, 1444) // BITRATE32
        .put(2, &[15]) // MCS 15
        .flag(4); // SHORT_GI
    });
    let rxrate = nest::<B>(|w| {
        w.u32(5, 4333).put(6, &[9]).flag(8).put(7, &[2]); // VHT-MCS 9, 80MHz, NSS 2
    });
    let chains = nest::<B>(|w| {
        w.put(0, &u8a(-27)).put(1, &u8a(-29));
    });
    let bss = nest::<B>(|w| {
        w.flag(2).flag(3).put(4, &[2]).put(5, &{
            let mut b = [0; 2];
            B::write_u16(&mut b, 100);
            b
        });
    });
    let mut flags8 = [0u8; 8];
    B::write_u32(&mut flags8[0..4], (1 << 1) | (1 << 3) | (1 << 5) | (1 << 7)); // mask
    B::write_u32(&mut flags8[4..8], (1 << 1) | (1 << 3) | (1 << 5) | (1 << 7)); // set
    let u64b = |v: u64| {
        let mut b = [0u8; 8];
        B::write_u64(&mut b, v);
        b
    };
    let (rx64, tx64) = (u64b(5_000_000_123), u64b(42));
    let info = nest::<B>(|w| {
        w.u32(1, 1230) // INACTIVE_TIME ms
            .u32(2, 123) // RX_BYTES (32-bit, must lose against RX_BYTES64)
            .put(33, &[]) // PAD before a u64
            .put(23, &rx64) // RX_BYTES64
            .u32(3, 42)
            .put(24, &tx64)
            .put(7, &u8a(-27)) // SIGNAL
            .put(13, &u8a(-33)) // SIGNAL_AVG
            .put(25, &chains)
            .put(26, &chains)
            .put(8, &txrate)
            .put(14, &rxrate)
            .u32(9, 100) // RX_PACKETS
            .u32(10, 90) // TX_PACKETS
            .u32(11, 7) // TX_RETRIES
            .u32(12, 1) // TX_FAILED
            .u32(18, 0) // BEACON_LOSS
            .u32(16, 61) // CONNECTED_TIME s
            .put(17, &flags8)
            .put(15, &bss)
            .put(31, &[1, 2, 3, 4]) // TID_STATS: not modelled, skipped
            .put(99, &[0xff; 3]); // unknown future attribute: skipped
    });
    let attrs = nest::<B>(|w| {
        w.u32(3, 5)
            .put(6, &[2, 0, 0, 0, 1, mac_last])
            .u32(46, generation)
            .put(21 | 0x8000, &info);
    });
    let mut out = Vec::new();
    Header {
        len: (16 + 4 + attrs.len()) as u32,
        kind: FAMILY,
        flags,
        seq,
        pid: 1234,
    }
    .emit::<B>(&mut out);
    out.extend_from_slice(&[19, 1, 0, 0]);
    out.extend_from_slice(&attrs);
    out
}

fn done<B: ByteOrder>(seq: u32, code: i32) -> Vec<u8> {
    let mut out = Vec::new();
    Header {
        len: 20,
        kind: NLMSG_DONE,
        flags: NLM_F_MULTI,
        seq,
        pid: 1234,
    }
    .emit::<B>(&mut out);
    let mut c = [0u8; 4];
    B::write_i32(&mut c, code);
    out.extend_from_slice(&c);
    out
}

fn check_station<B: ByteOrder>() {
    let m = station_msg::<B>(1, NLM_F_MULTI, 7, 0x10);
    let msg = messages::<B>(&m).next().unwrap().unwrap();
    let Reply::Data(g) = classify::<B>(&msg).unwrap() else {
        panic!("not data")
    };
    let s = decode_station::<B>(&g).unwrap();
    assert_eq!(s.ifindex, 5);
    assert_eq!(s.mac, [2, 0, 0, 0, 1, 0x10]);
    assert_eq!(s.generation, Some(7));
    assert_eq!(s.inactive_time_ms, Some(1230));
    assert_eq!(s.rx_bytes, Some(5_000_000_123));
    assert_eq!(s.tx_bytes, Some(42));
    assert_eq!((s.signal_dbm, s.signal_avg_dbm), (Some(-27), Some(-33)));
    assert_eq!(s.chain_signal, vec![(0, -27), (1, -29)]);
    assert_eq!(s.chain_signal_avg, vec![(0, -27), (1, -29)]);
    assert_eq!(
        (s.rx_packets, s.tx_packets, s.tx_retries, s.tx_failed),
        (Some(100), Some(90), Some(7), Some(1))
    );
    assert_eq!((s.beacon_loss, s.connected_time_s), (Some(0), Some(61)));
    let tx = s.tx_bitrate.as_ref().unwrap();
    assert_eq!(tx.to_string(), "144.4 MBit/s MCS 15 short GI");
    let rx = s.rx_bitrate.as_ref().unwrap();
    assert_eq!(rx.width, RateWidth::Mhz80);
    assert_eq!(rx.to_string(), "433.3 MBit/s VHT-MCS 9 80MHz VHT-NSS 2");
    let f = s.flags.unwrap();
    assert_eq!(
        (
            f.authorized(),
            f.authenticated(),
            f.associated(),
            f.wme(),
            f.mfp()
        ),
        (Some(true), Some(true), Some(true), Some(true), None)
    );
    let b = s.bss_param.unwrap();
    assert!(!b.cts_prot && b.short_preamble && b.short_slot_time);
    assert_eq!((b.dtim_period, b.beacon_interval), (Some(2), Some(100)));
}

#[test]
fn station_little_endian() {
    check_station::<LittleEndian>();
}

#[test]
fn station_big_endian() {
    check_station::<BigEndian>();
}

#[test]
fn the_same_bytes_in_the_wrong_order_do_not_pass() {
    // guards against a decoder that ignores its byte-order parameter
    let m = station_msg::<BigEndian>(1, NLM_F_MULTI, 7, 0x10);
    assert!(messages::<LittleEndian>(&m).next().unwrap().is_err());
}

#[rustfmt::skip]
#[test]
fn station_request_bytes() {
    // PROTOCOL.md B.4: 28 bytes, flags REQUEST|DUMP = 0x0301, cmd 17, IFINDEX attribute
    let r = nl80211::station::encode_get_stations::<LittleEndian>(FAMILY, 5, 9);
    assert_eq!(r, [
        28, 0, 0, 0,   0x1c, 0,   0x01, 0x03,   5, 0, 0, 0,   0, 0, 0, 0,
        17, 0, 0, 0,
        8, 0, 3, 0,   9, 0, 0, 0,
    ]);
    let r = nl80211::station::encode_get_stations::<BigEndian>(FAMILY, 5, 9);
    assert_eq!(r, [
        0, 0, 0, 28,   0, 0x1c,   0x03, 0x01,   0, 0, 0, 5,   0, 0, 0, 0,
        17, 0, 0, 0,
        0, 8, 0, 3,   0, 0, 0, 9,
    ]);
}

/// Replaces one attribute payload byte pattern to provoke attribute errors.
fn station_with_info<B: ByteOrder>(info: Vec<u8>) -> Vec<u8> {
    let attrs = nest::<B>(|w| {
        w.u32(3, 5).put(6, &[2, 0, 0, 0, 1, 0]).put(21, &info);
    });
    let mut g = vec![19, 0, 0, 0];
    g.extend_from_slice(&attrs);
    g
}

fn decode_err(g: &[u8]) -> DecodeError {
    decode_station::<LittleEndian>(&Genl::parse(g).unwrap()).unwrap_err()
}

#[test]
fn attribute_errors_are_distinct_and_named() {
    let g = station_with_info::<LittleEndian>(nest::<LittleEndian>(|w| {
        w.put(7, &[1, 2]);
    }));
    assert_eq!(
        decode_err(&g).to_string(),
        "NL80211_STA_INFO_SIGNAL: bad length 2 (want 1)"
    );
    let g = station_with_info::<LittleEndian>(nest::<LittleEndian>(|w| {
        w.u32(9, 1).u32(9, 2);
    }));
    assert_eq!(
        decode_err(&g),
        DecodeError::Duplicate {
            attr: "NL80211_STA_INFO_RX_PACKETS"
        }
    );
    let g = station_with_info::<LittleEndian>(nest::<LittleEndian>(|w| {
        w.put(
            8,
            &nest::<LittleEndian>(|r| {
                r.flag(8).flag(8);
            }),
        );
    }));
    assert_eq!(
        decode_err(&g),
        DecodeError::Duplicate {
            attr: "NL80211_RATE_INFO_80_MHZ_WIDTH"
        }
    );
    // missing MAC
    let mut g = vec![19, 0, 0, 0];
    g.extend(nest::<LittleEndian>(|w| {
        w.u32(3, 5).put(21, &[]);
    }));
    assert_eq!(
        decode_err(&g),
        DecodeError::Missing {
            attr: "NL80211_ATTR_MAC"
        }
    );
    // missing STA_INFO
    let mut g = vec![19, 0, 0, 0];
    g.extend(nest::<LittleEndian>(|w| {
        w.u32(3, 5).put(6, &[0; 6]);
    }));
    assert_eq!(
        decode_err(&g),
        DecodeError::Missing {
            attr: "NL80211_ATTR_STA_INFO"
        }
    );
    // a broken nested attribute header inside STA_INFO
    let g = station_with_info::<LittleEndian>(vec![0x09, 0, 7, 0, 0xd9]);
    assert_eq!(
        decode_err(&g),
        DecodeError::BadFrameLength {
            what: "nlattr",
            len: 9
        }
    );
    // wrong command
    assert_eq!(
        decode_err(&[20, 0, 0, 0]),
        DecodeError::UnexpectedCommand { want: 19, got: 20 }
    );
}

fn run<B: ByteOrder>(ex: &mut Exchange, datagrams: &[Vec<u8>]) -> Vec<Step> {
    let mut out = Vec::new();
    for d in datagrams {
        for m in messages::<B>(d) {
            match ex.feed::<B>(&m.unwrap()) {
                Step::Pending => {}
                s => out.push(s),
            }
        }
    }
    out
}

fn dump_exchange<B: ByteOrder>() {
    // two stations in one datagram, a stale reply with another seq, then DONE in a second one
    let mut d1 = station_msg::<B>(8, NLM_F_MULTI, 3, 1);
    d1.extend(station_msg::<B>(7, NLM_F_MULTI, 3, 9)); // stale: seq 7
    d1.extend(station_msg::<B>(8, NLM_F_MULTI, 3, 2));
    let mut ex = Exchange::new(Request::Stations { ifindex: 5 }, 8);
    let steps = run::<B>(&mut ex, &[d1, done::<B>(8, 0)]);
    let [Step::Done(Ok(Response::Stations(v)))] = &steps[..] else {
        panic!("{steps:?}")
    };
    assert_eq!(v.iter().map(|s| s.mac[5]).collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn dump_with_several_messages_per_datagram_and_stale_seq() {
    dump_exchange::<LittleEndian>();
    dump_exchange::<BigEndian>();
}

#[test]
fn dump_intr_and_generation_change_restart() {
    let mut ex = Exchange::new(Request::Stations { ifindex: 5 }, 8);
    let steps = run::<LittleEndian>(
        &mut ex,
        &[
            station_msg::<LittleEndian>(8, NLM_F_MULTI | NLM_F_DUMP_INTR, 3, 1),
            done::<LittleEndian>(8, 0),
        ],
    );
    assert!(matches!(steps[..], [Step::Restart]));
    let mut ex = Exchange::new(Request::Stations { ifindex: 5 }, 8);
    let steps = run::<LittleEndian>(
        &mut ex,
        &[
            station_msg::<LittleEndian>(8, NLM_F_MULTI, 3, 1),
            station_msg::<LittleEndian>(8, NLM_F_MULTI, 4, 2),
            done::<LittleEndian>(8, 0),
        ],
    );
    assert!(matches!(steps[..], [Step::Restart]));
}

#[test]
fn done_with_error_and_decode_error_drain_to_the_end() {
    let mut ex = Exchange::new(Request::Stations { ifindex: 5 }, 8);
    let steps = run::<LittleEndian>(
        &mut ex,
        &[
            station_msg::<LittleEndian>(8, 2, 3, 1),
            done::<LittleEndian>(8, -16),
        ],
    );
    let [Step::Done(Err(Error::Kernel(k)))] = &steps[..] else {
        panic!("{steps:?}")
    };
    assert_eq!(k.errno, 16);
    // a bad station first: the exchange still waits for DONE before answering
    let mut bad = station_msg::<LittleEndian>(8, 2, 3, 1);
    bad[16] = 20; // genl cmd DEL_STATION: unexpected in a GET_STATION dump
    let steps = run::<LittleEndian>(&mut ex_new(), &[bad.clone()]);
    assert!(steps.is_empty(), "answered before DONE: {steps:?}");
    let steps = run::<LittleEndian>(
        &mut ex_new(),
        &[
            bad,
            station_msg::<LittleEndian>(8, 2, 3, 2),
            done::<LittleEndian>(8, 0),
        ],
    );
    assert!(matches!(
        &steps[..],
        [Step::Done(Err(Error::Decode(
            DecodeError::UnexpectedCommand { .. }
        )))]
    ));
}

fn ex_new() -> Exchange {
    Exchange::new(Request::Stations { ifindex: 5 }, 8)
}
