//! Lab tool: performs the real nl80211 requests roamer makes and prints every request and
//! every received datagram as hex, then what this crate decodes from them, so that captures
//! can become test fixtures (see tests/fixtures/README.md).
//!
//! Built static for the lab VM:
//! `cargo build -p nl80211 --example capture --target x86_64-unknown-linux-musl`
//!
//! usage: capture IFNAME...       GETFAMILY, then per interface GET_STATION dump,
//!                                GET_INTERFACE, GET_WIPHY (split dump); then a GET_INTERFACE dump
//!        capture events SECONDS  subscribe to `mlme` and print the datagrams received
//!
//! Output lines: `REQ <label> <hex>`, `RECV <label> <hex>`, `DECODED <label> <debug>`.

use std::time::{Duration, Instant};

use neli::consts::socket::{Msg, NlFamily};
use neli::socket::NlSocket;
use neli::utils::Groups;
use nl80211::message::{classify, messages, Reply};
use nl80211::{Host, Nl80211};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn sock() -> NlSocket {
    let s = NlSocket::connect(NlFamily::Generic, None, Groups::empty()).expect("socket");
    let _ = s.enable_ext_ack(true);
    s
}

/// Sends `req`, prints it and every datagram until the reply with `seq` is complete.
fn exchange(s: &NlSocket, label: &str, req: &[u8], seq: u32, dump: bool) {
    println!("REQ {label} {}", hex(req));
    s.send(req, Msg::empty()).expect("send");
    let mut buf = vec![0u8; 65536];
    loop {
        let (n, _) = s.recv(&mut buf[..], Msg::empty()).expect("recv");
        let d = &buf[..n];
        println!("RECV {label} {}", hex(d));
        let mut end = false;
        for m in messages::<Host>(d) {
            let Ok(m) = m else {
                end = true;
                break;
            };
            if m.header.seq != seq {
                continue;
            }
            match classify::<Host>(&m) {
                Ok(Reply::Done) | Ok(Reply::Error(_)) | Ok(Reply::Ack) | Err(_) => end = true,
                Ok(Reply::Data(_)) if !dump => end = true,
                _ => {}
            }
        }
        if end {
            return;
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("events") {
        let secs: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10);
        let fam = Nl80211::connect()
            .expect("connect")
            .resolve()
            .expect("family");
        let gid = fam.group("mlme").expect("mlme group");
        let s = sock();
        s.add_mcast_membership(Groups::new_groups(&[gid]))
            .expect("membership");
        s.nonblock().expect("nonblock");
        println!("EVENTS family={} mlme={gid}", fam.id);
        let end = Instant::now() + Duration::from_secs(secs);
        let mut buf = vec![0u8; 65536];
        while Instant::now() < end {
            match s.recv(&mut buf[..], Msg::empty()) {
                Ok((n, _)) => println!("RECV event {}", hex(&buf[..n])),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Err(e) => println!("ERR event {e}"),
            }
        }
        return;
    }
    let s = sock();
    let mut seq = 100;
    let req = nl80211::family::encode_get_family::<Host>(seq, "nl80211");
    exchange(&s, "getfamily", &req, seq, false);
    let mut nl = Nl80211::connect().expect("connect");
    let fam = nl.family().expect("family").clone();
    println!("DECODED getfamily {fam:?}");
    for name in &args {
        let ifindex = nl80211::ifindex_by_name(name).expect("ifindex");
        seq += 1;
        let req = nl80211::station::encode_get_stations::<Host>(fam.id, seq, ifindex);
        exchange(&s, &format!("stations-{name}"), &req, seq, true);
        println!("DECODED stations-{name} {:?}", nl.stations(ifindex));
        seq += 1;
        let req = nl80211::interface::encode_get_interface::<Host>(fam.id, seq, ifindex);
        exchange(&s, &format!("interface-{name}"), &req, seq, false);
        let iface = nl.interface(ifindex);
        println!("DECODED interface-{name} {iface:?}");
        if let Ok(i) = iface {
            seq += 1;
            let req = nl80211::wiphy::encode_get_wiphy::<Host>(fam.id, seq, i.wiphy);
            exchange(&s, &format!("wiphy-{name}"), &req, seq, true);
            println!("DECODED wiphy-{name} {:?}", nl.wiphy(i.wiphy));
        }
    }
    seq += 1;
    let req = nl80211::interface::encode_get_interfaces::<Host>(fam.id, seq);
    exchange(&s, "interfaces", &req, seq, true);
    println!("DECODED interfaces {:?}", nl.interfaces());
}
