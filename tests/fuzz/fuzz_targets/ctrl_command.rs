//! ctrl-proto command text: whatever `Command::parse` accepts emits text that parses to the
//! same command (parse -> emit -> parse), within hostapd's 4095-byte limit. Never panics.
#![no_main]

use ctrl_proto::Command;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else { return };
    let Ok(c) = Command::parse(text) else { return };
    let out = c.to_text().expect("a parsed command emits");
    assert!(out.len() <= ctrl_proto::command::MAX_REQUEST);
    assert_eq!(Command::parse(&out).expect("emitted text parses"), c);
});
