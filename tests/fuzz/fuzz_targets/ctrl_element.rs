//! ctrl-proto 802.11 element parsers on arbitrary bytes: beacon report, beacon request,
//! neighbor report (body and element). Never panic; what parses emits back byte for byte.
//! Seeds: captured beacon report bodies and nr= values (tests/fuzz.sh).
#![no_main]

use ctrl_proto::ie::Items;
use ctrl_proto::neighbor::NeighborReport;
use ctrl_proto::rrm::{BeaconReport, BeaconRequest, BodyAssembler, FrameBody};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(r) = BeaconReport::parse(data) {
        assert_eq!(r.to_bytes(), data);
        let _ = r.subelements().count();
        let _ = (r.rcpi.dbm(), r.rsni.db(), r.frame_info.phy_type());
        let mut a = BodyAssembler::new();
        let _ = a.push(&r);
        let _ = a.push(&r);
    }
    if let Ok(q) = BeaconRequest::parse(data) {
        if let Ok(b) = q.to_bytes() {
            assert_eq!(b, data);
        }
    }
    if let Ok(n) = NeighborReport::parse(data) {
        assert_eq!(n.to_bytes().expect("parsed report emits"), data);
        let el = n.to_element().expect("fits an element");
        assert_eq!(NeighborReport::parse_element(&el).expect("element parses"), n);
    }
    let _ = NeighborReport::parse_element(data);
    let _ = Items::new(data).count();
    let body = FrameBody(data);
    let _ = (body.timestamp(), body.beacon_interval(), body.capability(), body.ssid());
});
