//! ctrl-proto reply parsers (generic form, STATUS, STA, SHOW_NEIGHBOR) on arbitrary datagrams:
//! never panic; SHOW_NEIGHBOR lines and generic replies print back exactly.
//! Seeds: the captured replies (tests/fuzz.sh).
#![no_main]

use ctrl_proto::neighbor::{self, NeighborEntry, OwnFacts, OwnInput};
use ctrl_proto::{HostapdVersion, Reply, StaInfo, Status};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(r) = Reply::parse(data) else { return };
    assert_eq!(r.to_string().as_bytes(), data, "reply form prints back exactly");
    let _ = r.token();
    let Ok(text) = core::str::from_utf8(data) else { return };
    if let Ok(s) = Status::parse(text) {
        let _ = (s.oper_chwidth(), s.oper_seg0(), s.oper_seg1());
        for i in 0..s.bss.len() {
            let input = OwnInput::from_status(&s, i).expect("bss index exists");
            for v in [HostapdVersion::V2_9, HostapdVersion::V2_10, HostapdVersion::V2_11,
                      HostapdVersion::Master] {
                if let Ok(e) = neighbor::own_entry(&input, &OwnFacts::default(), v) {
                    let line = e.to_string();
                    assert_eq!(NeighborEntry::parse_line(&line).expect("own entry line"), e);
                }
            }
        }
    }
    if let Ok(Some(sta)) = StaInfo::parse_opt(text) {
        let _ = (sta.is_authorized(), sta.rm_capable(), sta.bss_transition());
        let _ = sta.flags.to_string();
    }
    if let Ok(entries) = NeighborEntry::parse_show(text) {
        for e in entries {
            let line = e.to_string();
            assert_eq!(NeighborEntry::parse_line(&line).expect("printed line parses"), e);
            let _ = e.report();
        }
    }
});
