//! ctrl-proto event parser on arbitrary datagrams: never panics, and whatever parses prints
//! back to text that parses to the same event (parse -> display -> parse). Beacon report bodies
//! inside BEACON-RESP-RX are parsed too. Seeds: the captured events (tests/fuzz.sh).
#![no_main]

use ctrl_proto::event::{Event, Message};
use ctrl_proto::rrm::{BeaconReport, BodyAssembler};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = Message::is_event(data);
    let Ok(m) = Message::parse(data) else { return };
    let text = m.to_string();
    let again = Message::parse_str(&text).expect("printed event must parse");
    assert_eq!(again, m);
    let _ = m.event.name();
    let _ = m.event.sta();
    match m.event {
        Event::BeaconRespRx { report, .. } => {
            let body = report.decode();
            assert_eq!(body.len(), report.byte_len());
            if let Ok(r) = BeaconReport::parse(&body) {
                assert_eq!(r.to_bytes(), body);
                let _ = r.frame_body().map(|b| (b.ssid(), b.elements().count()));
                let _ = r.fragment_id();
                let _ = BodyAssembler::new().push(&r);
            }
        }
        Event::ChannelSwitch(c) | Event::ChannelSwitchStarted(c) => {
            let _ = c.width_mhz();
        }
        _ => {}
    }
});
