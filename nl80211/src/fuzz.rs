//! Entry point shared by the fuzz target (`tests/fuzz/fuzz_targets/nl80211_decode.rs`) and the
//! mutation test: runs every decoder of the crate on arbitrary bytes, in both byte orders.
//! Nothing here may panic, whatever the input.

use byteorder::{BigEndian, ByteOrder, LittleEndian};

use crate::event::decode_station_event;
use crate::exchange::{Exchange, Request};
use crate::family::decode_family;
use crate::interface::decode_interface;
use crate::message::{classify, messages, Genl, Reply};
use crate::station::decode_station;
use crate::wiphy::{decode_wiphy_part, WiphyFacts};

/// Decodes `data` as a received datagram with every decoder, little- and big-endian.
pub fn decode_everything(data: &[u8]) {
    run::<LittleEndian>(data);
    run::<BigEndian>(data);
}

fn run<B: ByteOrder>(data: &[u8]) {
    let reqs = [
        Request::Family("nl80211".into()),
        Request::Stations { ifindex: 1 },
        Request::Station {
            ifindex: 1,
            mac: [0; 6],
        },
        Request::Interface { ifindex: 1 },
        Request::Interfaces,
        Request::Wiphy { index: 0 },
    ];
    let seq = messages::<B>(data)
        .next()
        .and_then(Result::ok)
        .map(|m| m.header.seq)
        .unwrap_or(0);
    let mut exchanges: Vec<Exchange> = reqs.into_iter().map(|r| Exchange::new(r, seq)).collect();
    let mut wiphy = WiphyFacts::default();
    for m in messages::<B>(data) {
        let Ok(m) = m else { break };
        for ex in exchanges.iter_mut() {
            let _ = ex.feed::<B>(&m);
        }
        if let Ok(Reply::Data(g)) = classify::<B>(&m) {
            decode_all::<B>(&g, &mut wiphy);
        }
        // the genl payload decoded as every command, whatever its real cmd byte
        if let Ok(g) = Genl::parse(m.payload) {
            for cmd in [1u8, 3, 7, 19, 20] {
                decode_all::<B>(&Genl { cmd, ..g }, &mut wiphy);
            }
        }
    }
}

fn decode_all<B: ByteOrder>(g: &Genl<'_>, wiphy: &mut WiphyFacts) {
    let _ = decode_family::<B>(g);
    let _ = decode_station::<B>(g);
    let _ = decode_interface::<B>(g);
    let _ = decode_wiphy_part::<B>(g);
    let _ = wiphy.merge_message::<B>(g);
    let _ = decode_station_event::<B>(g);
    if let Ok(s) = decode_station::<B>(g) {
        // Display must not panic either
        let _ = s.tx_bitrate.map(|r| r.to_string());
    }
}
