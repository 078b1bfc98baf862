//! hostapd control-interface event decoding, per event, on the real events hostapd 2.10
//! emitted in the lab (`bench/data/hostapd-2.10-hwsim-events.txt`, copied verbatim from the
//! `events wlanN` sections of `shared/fixtures/hostapd-2.10-hwsim/capture.log`: `IFACE EVENT
//! ARGS`, as `hostapd_cli -a` prints them). Each line becomes the datagram hostapd sends on
//! the socket, `<3>EVENT ARGS` (PROTOCOL.md A), and is decoded from bytes:
//!
//! - `AP-STA-CONNECTED`, `BSS-TM-RESP`: `Message::parse` (UTF-8 check, level, typed event);
//! - `BEACON-RESP-RX`: `Message::parse`, then for accepted reports (mode 00) the hex body
//!   decoded to bytes, `rrm::BeaconReport::parse` (fixed fields, every subelement checked),
//!   the RCPI in dBm, the fragment id and the reported frame body's SSID element, which is
//!   what the daemon reads from a report; refused / incapable reports (04 / 02) have no body;
//! - `all`: every captured event in capture order (incl. `EAPOL-4WAY-HS-COMPLETED`,
//!   `BEACON-REQ-TX-STATUS`, `AP-STA-DISCONNECTED`), beacon-report bodies decoded as above.
//!
//! Before timing, every datagram must decode to the expected typed event (not `Unknown`).
//!
//! Run: `cargo bench -p roamer-bench --bench ctrl_decode` (or `bench/run.sh`).

mod support;

use std::path::PathBuf;

use ctrl_proto::rrm::BeaconReport;
use ctrl_proto::{Event, Message};

fn data_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/hostapd-2.10-hwsim-events.txt")
}

/// What the daemon extracts from one event; returned so that nothing is optimised away.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Seen {
    kind: u8,
    sta: [u8; 6],
    rcpi_dbm_floor: Option<i16>,
    ssid_len: Option<usize>,
    fragment: Option<u8>,
    status: Option<u8>,
}

fn decode(datagram: &[u8]) -> Seen {
    let m = Message::parse(datagram).expect("event");
    let mut s = Seen::default();
    match m.event {
        Event::StaConnected { sta, .. } => {
            s.kind = 1;
            s.sta = sta.0;
        }
        Event::BssTmResp { sta, status, .. } => {
            s.kind = 2;
            s.sta = sta.0;
            s.status = Some(status.0);
        }
        Event::BeaconRespRx {
            sta, mode, report, ..
        } => {
            s.kind = 3;
            s.sta = sta.0;
            if mode.is_accepted() {
                let body = report.decode();
                let r = BeaconReport::parse(&body).expect("beacon report body");
                s.rcpi_dbm_floor = r.rcpi.dbm().map(|d| d.floor() as i16);
                s.fragment = r.fragment_id().map(|f| f.number);
                s.ssid_len = r.frame_body().and_then(|b| b.ssid()).map(<[u8]>::len);
            }
        }
        Event::Unknown(_) => s.kind = 9,
        other => {
            s.kind = 4;
            s.sta = other.sta().map(|m| m.0).unwrap_or_default();
        }
    }
    s
}

fn main() {
    let text = std::fs::read_to_string(data_file())
        .unwrap_or_else(|e| panic!("{}: {e}", data_file().display()));
    let all: Vec<(String, Vec<u8>)> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (_iface, ev) = l.split_once(' ').expect("IFACE EVENT");
            let name = ev.split(' ').next().unwrap_or("").to_string();
            (name, format!("<3>{ev}").into_bytes())
        })
        .collect();
    // every event decodes to its typed variant (EAPOL-4WAY-HS-COMPLETED is not modelled)
    for (name, d) in &all {
        let s = decode(d);
        let want = match name.as_str() {
            "AP-STA-CONNECTED" => 1,
            "BSS-TM-RESP" => 2,
            "BEACON-RESP-RX" => 3,
            "EAPOL-4WAY-HS-COMPLETED" => 9,
            _ => 4,
        };
        assert_eq!(s.kind, want, "{name}: decoded as {s:?}");
        if name == "BEACON-RESP-RX" && d.windows(4).any(|w| w == b" 00 ") {
            assert!(
                s.rcpi_dbm_floor.is_some(),
                "accepted report without RCPI: {s:?}"
            );
        }
    }
    let of = |n: &str| -> Vec<Vec<u8>> {
        all.iter()
            .filter(|(name, _)| name == n)
            .map(|(_, d)| d.clone())
            .collect()
    };
    println!(
        "# hostapd event decode: {} real events from {}",
        all.len(),
        data_file().display()
    );
    let mut sets: Vec<(String, Vec<Vec<u8>>)> = ["AP-STA-CONNECTED", "BSS-TM-RESP"]
        .iter()
        .map(|n| (n.to_string(), of(n)))
        .collect();
    let reports = of("BEACON-RESP-RX");
    let with_body: Vec<Vec<u8>> = reports
        .iter()
        .filter(|d| d.windows(4).any(|w| w == b" 00 "))
        .cloned()
        .collect();
    sets.push(("BEACON-RESP-RX".into(), reports));
    sets.push(("BEACON-RESP-RX-with-body".into(), with_body));
    sets.push(("all".into(), all.iter().map(|(_, d)| d.clone()).collect()));
    for (name, set) in &sets {
        let bytes: usize = set.iter().map(Vec::len).sum();
        println!(
            "# {name}: {} events, {} bytes on average",
            set.len(),
            bytes / set.len().max(1)
        );
        let s = support::measure(set.len(), || {
            let mut acc = 0usize;
            for d in set {
                let seen = decode(d);
                acc = acc.wrapping_add(seen.kind as usize + seen.ssid_len.unwrap_or(0));
            }
            acc
        });
        support::report(&format!("ctrl_decode/{name}"), "event", &s);
    }
}
