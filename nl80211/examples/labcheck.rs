//! Lab check of the socket layer on a real kernel (run inside the lab VM; see
//! tests/fixtures/labcheck-scenario.sh). Prints `CHECK <name> ok|FAIL <detail>` lines and
//! exits 1 if any check failed.
//!
//! usage: labcheck compare IFACE...     blocking API vs `iw` (field by field), and the
//!                                      non-blocking Client (mio) vs the blocking API
//!        labcheck events MAC SECS      EventSocket under mio: expect DEL then NEW for MAC
//!        labcheck lost SECS            EventSocket with a tiny SO_RCVBUF, not read for SECS:
//!                                      expect Event::Lost (ENOBUFS), then events again
//!        labcheck reload FLAGFILE      keep one Nl80211 open while cfg80211 is reloaded
//!                                      (FLAGFILE appears when done), then use it again

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use mio::{Events, Interest, Poll, Token};
use nl80211::{Client, Event, EventSocket, Nl80211, Request, Response, Station, StationEvent};

static FAILED: AtomicBool = AtomicBool::new(false);

fn check(name: &str, ok: bool, detail: impl std::fmt::Display) {
    println!("CHECK {name} {} {detail}", if ok { "ok" } else { "FAIL" });
    if !ok {
        FAILED.store(true, Ordering::Relaxed);
    }
}

fn mac_str(m: [u8; 6]) -> String {
    m.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn parse_mac(s: &str) -> [u8; 6] {
    let mut m = [0u8; 6];
    for (i, p) in s.split(':').enumerate().take(6) {
        m[i] = u8::from_str_radix(p, 16).expect("mac");
    }
    m
}

fn iw(args: &[&str]) -> String {
    let o = Command::new("iw").args(args).output().expect("iw");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn iw_stations(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let mut cur: Option<String> = None;
    for l in text.lines() {
        if let Some(rest) = l.strip_prefix("Station ") {
            let mac = rest.split_whitespace().next().unwrap_or("").to_string();
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

/// `before <= iw <= after` for a counter that only grows.
fn between(name: &str, a: Option<u64>, iw: Option<&String>, b: Option<u64>) {
    let v: Option<u64> = iw.and_then(|s| s.split_whitespace().next()?.parse().ok());
    let ok = matches!((a, v, b), (Some(a), Some(v), Some(b)) if a <= v && v <= b);
    check(name, ok, format!("ours {a:?}..{b:?} iw {v:?}"));
}

fn compare(ifaces: &[String]) {
    let mut nl = Nl80211::connect().expect("connect");
    let fam = nl.family().cloned().expect("family");
    check(
        "family",
        fam.group("mlme").is_some(),
        format!("id {} groups {:?}", fam.id, fam.groups),
    );
    for name in ifaces {
        let ifindex = nl80211::ifindex_by_name(name).expect("ifindex");
        let s1 = nl.stations(ifindex).expect("stations");
        let text = iw(&["dev", name, "station", "dump"]);
        let s2 = nl.stations(ifindex).expect("stations");
        let w = iw_stations(&text);
        check(
            &format!("{name}-station-count"),
            s1.len() == w.len() && !w.is_empty(),
            format!("{} vs iw {}", s1.len(), w.len()),
        );
        for a in &s1 {
            let Some(b) = s2.iter().find(|b| b.mac == a.mac) else {
                continue;
            };
            let m = mac_str(a.mac);
            let Some(f) = w.get(&m) else {
                check(&format!("{name}-{m}"), false, "station not in iw");
                continue;
            };
            let p = |k: &str| format!("{name}-{m}-{k}");
            let n = |s: &Station, g: fn(&Station) -> Option<u64>| g(s);
            between(
                &p("rx-bytes"),
                n(a, |s| s.rx_bytes),
                f.get("rx bytes"),
                n(b, |s| s.rx_bytes),
            );
            between(
                &p("tx-bytes"),
                n(a, |s| s.tx_bytes),
                f.get("tx bytes"),
                n(b, |s| s.tx_bytes),
            );
            between(
                &p("rx-packets"),
                n(a, |s| s.rx_packets.map(u64::from)),
                f.get("rx packets"),
                n(b, |s| s.rx_packets.map(u64::from)),
            );
            between(
                &p("tx-packets"),
                n(a, |s| s.tx_packets.map(u64::from)),
                f.get("tx packets"),
                n(b, |s| s.tx_packets.map(u64::from)),
            );
            between(
                &p("tx-retries"),
                n(a, |s| s.tx_retries.map(u64::from)),
                f.get("tx retries"),
                n(b, |s| s.tx_retries.map(u64::from)),
            );
            between(
                &p("tx-failed"),
                n(a, |s| s.tx_failed.map(u64::from)),
                f.get("tx failed"),
                n(b, |s| s.tx_failed.map(u64::from)),
            );
            between(
                &p("connected-time"),
                n(a, |s| s.connected_time_s.map(u64::from)),
                f.get("connected time"),
                n(b, |s| s.connected_time_s.map(u64::from)),
            );
            let one_of = |k: &str, x: String, y: String| {
                let v = f.get(k).cloned().unwrap_or_default();
                check(
                    &p(k),
                    v == x || v == y,
                    format!("iw {v:?} ours {x:?}/{y:?}"),
                );
            };
            one_of(
                "signal",
                format!("{} dBm", a.signal_dbm.unwrap_or(0)),
                format!("{} dBm", b.signal_dbm.unwrap_or(0)),
            );
            one_of(
                "signal avg",
                format!("{} dBm", a.signal_avg_dbm.unwrap_or(0)),
                format!("{} dBm", b.signal_avg_dbm.unwrap_or(0)),
            );
            let rate = |s: &Station, rx: bool| {
                let r = if rx { &s.rx_bitrate } else { &s.tx_bitrate };
                r.as_ref().map(|r| r.to_string()).unwrap_or_default()
            };
            one_of("tx bitrate", rate(a, false), rate(b, false));
            one_of("rx bitrate", rate(a, true), rate(b, true));
            let yes = |b: Option<bool>| {
                if b == Some(true) {
                    "yes".to_string()
                } else {
                    "no".to_string()
                }
            };
            let fl = a.flags.unwrap_or_default();
            one_of("authorized", yes(fl.authorized()), yes(fl.authorized()));
            one_of(
                "authenticated",
                yes(fl.authenticated()),
                yes(fl.authenticated()),
            );
            one_of("associated", yes(fl.associated()), yes(fl.associated()));
            one_of("WMM/WME", yes(fl.wme()), yes(fl.wme()));
            one_of("MFP", yes(fl.mfp()), yes(fl.mfp()));
            let bp = a.bss_param.unwrap_or_default();
            one_of(
                "DTIM period",
                format!("{}", bp.dtim_period.unwrap_or(0)),
                String::new(),
            );
            one_of(
                "beacon interval",
                format!("{}", bp.beacon_interval.unwrap_or(0)),
                String::new(),
            );
        }
        let i = nl.interface(ifindex).expect("interface");
        let text = iw(&["dev", name, "info"]);
        let has = |l: String| {
            let ok = text.lines().any(|x| x.trim() == l);
            check(&format!("{name}-info"), ok, format!("{l:?}"));
        };
        has(format!("ifindex {}", i.ifindex));
        has(format!("wdev 0x{:x}", i.wdev.unwrap_or(0)));
        has(format!("addr {}", mac_str(i.mac.unwrap_or_default())));
        has(format!(
            "ssid {}",
            String::from_utf8_lossy(i.ssid.as_deref().unwrap_or_default())
        ));
        has(format!("type {}", i.iftype().iw_name()));
        has(format!("wiphy {}", i.wiphy));
        let p = i.tx_power_mbm.unwrap_or(0);
        has(format!("txpower {}.{:02} dBm", p / 100, p % 100));
        let f = i.frequency_mhz.unwrap_or(0);
        let ch = if f < 3000 {
            (f - 2407) / 5
        } else {
            (f - 5000) / 5
        };
        has(format!(
            "channel {ch} ({f} MHz), width: {} MHz, center1: {} MHz",
            i.channel_width().and_then(|w| w.mhz()).unwrap_or(0),
            i.center_freq1.unwrap_or(0)
        ));
        let w = nl.wiphy(i.wiphy).expect("wiphy");
        let phy = iw(&["phy", &format!("phy{}", i.wiphy), "info"]);
        check(
            &format!("{name}-ap-uapsd"),
            w.ap_uapsd == phy.contains("Device supports AP-side u-APSD."),
            w.ap_uapsd,
        );
        let n_iw = phy
            .lines()
            .filter(|l| l.trim().starts_with("* ") && l.contains(" MHz [") && !l.contains('.'))
            .count()
            + phy
                .lines()
                .filter(|l| l.trim().starts_with("* ") && l.contains(" MHz [") && l.contains("dBm"))
                .count();
        let n_ours: usize = w.bands.iter().map(|b| b.freqs.len()).sum();
        check(
            &format!("{name}-wiphy-freqs"),
            n_ours > 0 && w.band_of(f).is_some(),
            format!("{n_ours} frequencies (iw ~{n_iw}), own {f} MHz found"),
        );

        // the same through the non-blocking Client, all requests queued at once
        let mut c = Client::new().expect("client");
        let mut poll = Poll::new().expect("poll");
        poll.registry()
            .register(&mut c, Token(1), Interest::READABLE)
            .expect("register");
        let reqs = [
            Request::Stations { ifindex },
            Request::Interface { ifindex },
            Request::Interfaces,
            Request::Wiphy { index: i.wiphy },
        ];
        let tickets: Vec<_> = reqs
            .iter()
            .map(|r| c.submit(r.clone()).expect("submit"))
            .collect();
        let mut got = BTreeMap::new();
        let mut events = Events::with_capacity(8);
        let end = Instant::now() + Duration::from_secs(5);
        while got.len() < tickets.len() && Instant::now() < end {
            poll.poll(&mut events, Some(Duration::from_millis(500)))
                .expect("poll");
            c.on_readable().expect("readable");
            while let Some(done) = c.poll_completion() {
                got.insert(done.ticket, done.result);
            }
        }
        check(
            &format!("{name}-client-all-done"),
            got.len() == 4 && c.is_idle(),
            format!("{} of 4", got.len()),
        );
        if let Some(Ok(Response::Interface(ci))) = got.get(&tickets[1]) {
            check(
                &format!("{name}-client-interface"),
                ci.ifindex == i.ifindex && ci.frequency_mhz == i.frequency_mhz,
                ci.name.clone(),
            );
        } else {
            check(
                &format!("{name}-client-interface"),
                false,
                format!("{:?}", got.get(&tickets[1])),
            );
        }
        if let Some(Ok(Response::Stations(v))) = got.get(&tickets[0]) {
            let macs: Vec<_> = v.iter().map(|s| s.mac).collect();
            check(
                &format!("{name}-client-stations"),
                macs == s2.iter().map(|s| s.mac).collect::<Vec<_>>(),
                macs.len(),
            );
        } else {
            check(&format!("{name}-client-stations"), false, "no answer");
        }
        if let Some(Ok(Response::Wiphy(cw))) = got.get(&tickets[3]) {
            check(&format!("{name}-client-wiphy"), *cw == w, cw.bands.len());
        } else {
            check(&format!("{name}-client-wiphy"), false, "no answer");
        }
    }
    // errors: an ifindex that does not exist
    let e = nl.stations(999_999).map(|v| v.len());
    check(
        "no-such-ifindex",
        matches!(&e, Err(nl80211::Error::Kernel(k)) if k.errno == 19),
        format!("{e:?}"),
    );
    // a MAC that is not associated
    let any = nl80211::ifindex_by_name(&ifaces[0]).expect("ifindex");
    let e = nl.station(any, [2, 0xee, 0, 0, 0, 1]).map(|s| s.mac);
    check(
        "no-such-station",
        matches!(&e, Err(nl80211::Error::Kernel(k)) if k.errno == 2),
        format!("{e:?}"),
    );
    let e = nl80211::ifindex_by_name("nosuchif0");
    check("no-such-ifname", e.is_err(), format!("{e:?}"));
}

fn events(mac: [u8; 6], secs: u64) {
    let mut es = EventSocket::connect().expect("event socket");
    let mut poll = Poll::new().expect("poll");
    poll.registry()
        .register(&mut es, Token(2), Interest::READABLE)
        .expect("register");
    println!("READY");
    let mut evs = Events::with_capacity(8);
    let end = Instant::now() + Duration::from_secs(secs);
    let (mut del, mut new) = (false, false);
    while Instant::now() < end && !(del && new) {
        poll.poll(&mut evs, Some(Duration::from_millis(500)))
            .expect("poll");
        while let Some(e) = es.next_event().expect("next_event") {
            println!("EVENT {e:?}");
            match e {
                Event::Station(StationEvent::Del { mac: m, .. }) if m == mac => del = true,
                Event::Station(StationEvent::New { mac: m, .. }) if m == mac && del => new = true,
                _ => {}
            }
        }
    }
    check("event-del", del, mac_str(mac));
    check("event-new-after-del", new, mac_str(mac));
}

fn lost(secs: u64) {
    let mut es = EventSocket::connect().expect("event socket");
    es.set_recv_buffer_size(1).expect("rcvbuf"); // the kernel rounds up to its minimum
    println!("READY");
    std::thread::sleep(Duration::from_secs(secs));
    let mut seen = Vec::new();
    while let Some(e) = es.next_event().expect("next_event") {
        seen.push(e);
    }
    println!("EVENTS {seen:?}");
    check(
        "enobufs-reported",
        seen.contains(&Event::Lost),
        format!("{} events", seen.len()),
    );
}

fn reload(flag: &str) {
    let mut nl = Nl80211::connect().expect("connect");
    let before = nl.family().cloned().expect("family");
    let n1 = nl.interfaces().expect("interfaces").len();
    println!("READY family {} ({} interfaces)", before.id, n1);
    let end = Instant::now() + Duration::from_secs(120);
    while !std::path::Path::new(flag).exists() && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(100));
    }
    let r = nl.interfaces();
    let after = nl.family().cloned();
    check(
        "after-reload-interfaces",
        r.is_ok(),
        format!("{:?}", r.as_ref().map(|v| v.len())),
    );
    check(
        "after-reload-family",
        after.as_ref().is_some_and(|a| a.group("mlme").is_some()),
        format!("id before {} after {:?}", before.id, after.map(|a| a.id)),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("compare") => compare(&args[1..]),
        Some("events") => events(parse_mac(&args[1]), args[2].parse().expect("secs")),
        Some("lost") => lost(args[1].parse().expect("secs")),
        Some("reload") => reload(&args[1]),
        _ => {
            eprintln!(
                "usage: labcheck compare IFACE... | events MAC SECS | lost SECS | reload FLAGFILE"
            );
            std::process::exit(2);
        }
    }
    if FAILED.load(Ordering::Relaxed) {
        std::process::exit(1);
    }
}
