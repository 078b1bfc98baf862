//! Lab check of the socket layer on a real kernel (run inside the lab VM; see
//! tests/fixtures/labcheck-scenario.sh). Prints `CHECK <name> ok|FAIL <detail>` lines and
//! exits 1 if any check failed. The test suite runs it with
//! tests/lab/scenarios/nl80211_vs_iw.sh, one `@@ assert` per CHECK line (tests/lab_nl80211.rs).
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
    // one word (the lab scenario turns each line into an `@@ assert name=...`)
    let name = name.replace([' ', '/'], "-");
    let detail = detail.to_string().replace('\n', " ");
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
        let t0 = Instant::now();
        let s1 = nl.stations(ifindex).expect("stations");
        let text = iw(&["dev", name, "station", "dump"]);
        let s2 = nl.stations(ifindex).expect("stations");
        let elapsed_ms = t0.elapsed().as_millis() as i64;
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
                &p("rx-drop-misc"),
                a.rx_drop_misc,
                f.get("rx drop misc"),
                b.rx_drop_misc,
            );
            between(
                &p("tx-duration"),
                a.tx_duration_us,
                f.get("tx duration"),
                b.tx_duration_us,
            );
            between(
                &p("rx-duration"),
                a.rx_duration_us,
                f.get("rx duration"),
                b.rx_duration_us,
            );
            // Inactive time is not monotonic (traffic resets it), but it grows at most as fast
            // as the clock: iw's reading, taken between ours, lies in
            // [after - elapsed, before + elapsed] (+ 10 ms for jiffies and ms rounding).
            let ia = a.inactive_time_ms.map(i64::from);
            let ib = b.inactive_time_ms.map(i64::from);
            let iv: Option<i64> = f
                .get("inactive time")
                .and_then(|s| s.strip_suffix(" ms")?.parse().ok());
            // Without traffic between our reads (packet counters unchanged) it only grows, so
            // then it must be exactly ours before <= iw <= ours after.
            let quiet = a.rx_packets == b.rx_packets && a.tx_packets == b.tx_packets;
            check(
                &p("inactive-time"),
                matches!((ia, iv, ib), (Some(x), Some(v), Some(y))
                    if if quiet { x <= v && v <= y }
                       else { v <= x + elapsed_ms + 10 && v + elapsed_ms + 10 >= y }),
                format!(
                    "ours {ia:?}..{ib:?} iw {iv:?} within {elapsed_ms} ms, {}",
                    if quiet {
                        "quiet: strict"
                    } else {
                        "traffic: bounded"
                    }
                ),
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
            // iw: "-20 dBm", or "-20 [-21, -22] dBm" when the driver reports chains
            let sig = |v: Option<i8>, chains: &[(u8, i8)]| {
                let c = if chains.is_empty() {
                    String::new()
                } else {
                    let l: Vec<_> = chains.iter().map(|c| c.1.to_string()).collect();
                    format!(" [{}]", l.join(", "))
                };
                v.map(|v| format!("{v}{c} dBm")).unwrap_or_default()
            };
            one_of(
                "signal",
                sig(a.signal_dbm, &a.chain_signal),
                sig(b.signal_dbm, &b.chain_signal),
            );
            one_of(
                "signal avg",
                sig(a.signal_avg_dbm, &a.chain_signal_avg),
                sig(b.signal_avg_dbm, &b.chain_signal_avg),
            );
            let thr = |s: &Station| {
                // iw (station.c) scales kbit/s by 1000/1024 in u32, then prints "%u.%uMbps"
                // (750 kbit/s -> "0.732Mbps")
                s.expected_throughput_kbps
                    .map(|k| k.wrapping_mul(1000) / 1024)
                    .map(|t| format!("{}.{}Mbps", t / 1000, t % 1000))
                    .unwrap_or_default()
            };
            one_of("expected throughput", thr(a), thr(b));
            let boot = |s: &Station| {
                s.assoc_at_boottime_ns
                    .map(|n| {
                        format!(
                            "{}.{:03}s",
                            n / 1_000_000_000,
                            n % 1_000_000_000 / 1_000_000
                        )
                    })
                    .unwrap_or_default()
            };
            one_of("associated at [boottime]", boot(a), boot(b));
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
            one_of("TDLS peer", yes(fl.tdls_peer()), yes(fl.tdls_peer()));
            let pre = if fl.short_preamble() == Some(true) {
                "short"
            } else {
                "long"
            };
            one_of("preamble", pre.into(), pre.into());
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
            one_of(
                "short slot time",
                yes(Some(bp.short_slot_time)),
                yes(Some(bp.short_slot_time)),
            );
        }
        let i = nl.interface(ifindex).expect("interface");
        let text = iw(&["dev", name, "info"]);
        let has = |key: &str, l: String| {
            let ok = text.lines().any(|x| x.trim() == l);
            check(&format!("{name}-info-{key}"), ok, format!("{l:?}"));
        };
        has("ifindex", format!("ifindex {}", i.ifindex));
        has("wdev", format!("wdev 0x{:x}", i.wdev.unwrap_or(0)));
        has(
            "addr",
            format!("addr {}", mac_str(i.mac.unwrap_or_default())),
        );
        has(
            "ssid",
            format!(
                "ssid {}",
                String::from_utf8_lossy(i.ssid.as_deref().unwrap_or_default())
            ),
        );
        has("type", format!("type {}", i.iftype().iw_name()));
        has("wiphy", format!("wiphy {}", i.wiphy));
        let p = i.tx_power_mbm.unwrap_or(0);
        has("txpower", format!("txpower {}.{:02} dBm", p / 100, p % 100));
        let f = i.frequency_mhz.unwrap_or(0);
        let ch = if f < 3000 {
            (f - 2407) / 5
        } else {
            (f - 5000) / 5
        };
        let width = match i.channel_width() {
            Some(nl80211::ChannelWidth::Mhz20NoHt) => "20 MHz (no HT)".to_string(),
            Some(nl80211::ChannelWidth::Mhz80P80) => "80+80 MHz".to_string(),
            w => format!("{} MHz", w.and_then(|w| w.mhz()).unwrap_or(0)),
        };
        let c2 = i
            .center_freq2
            .map(|c| format!(", center2: {c} MHz"))
            .unwrap_or_default();
        has(
            "channel",
            format!(
                "channel {ch} ({f} MHz), width: {width}, center1: {} MHz{c2}",
                i.center_freq1.unwrap_or(0)
            ),
        );
        let w = nl.wiphy(i.wiphy).expect("wiphy");
        let phy = iw(&["phy", &format!("phy{}", i.wiphy), "info"]);
        check(
            &format!("{name}-ap-uapsd"),
            w.ap_uapsd == phy.contains("Device supports AP-side u-APSD."),
            w.ap_uapsd,
        );
        // every channel line of `iw phy` ("Band N:" is the band index + 1), in order:
        // "* 2412 MHz [1] (30.0 dBm)", "(disabled)", "(24.0 dBm) (radar detection)", ...
        let mut iw_freqs = Vec::new();
        let mut band_no = 0;
        for l in phy.lines() {
            let t = l.trim();
            if let Some(n) = t.strip_prefix("Band ").and_then(|r| r.strip_suffix(':')) {
                band_no = n.parse().unwrap_or(0);
            } else if let Some(r) = t.strip_prefix("* ") {
                if let (Some((mhz, _)), Some((_, rest))) =
                    (r.split_once(" MHz ["), r.split_once("] "))
                {
                    iw_freqs.push(format!("band {band_no}: {mhz} MHz {rest}"));
                }
            }
        }
        let mut ours_freqs = Vec::new();
        for b in &w.bands {
            let no = match b.id {
                nl80211::BandId::Ghz2 => 1,
                nl80211::BandId::Ghz5 => 2,
                nl80211::BandId::Ghz60 => 3,
                nl80211::BandId::Ghz6 => 4,
                nl80211::BandId::S1g => 5,
                nl80211::BandId::Lc => 6,
                nl80211::BandId::Other(o) => u32::from(o) + 1,
            };
            for q in &b.freqs {
                let mut rest = match q.max_tx_power_mbm {
                    Some(p) if !q.disabled => format!("({:.1} dBm)", 0.01 * f64::from(p)),
                    _ => String::new(),
                };
                let mut fl = Vec::new();
                if q.disabled {
                    fl.push("disabled");
                } else {
                    if q.no_ir {
                        fl.push("no IR");
                    }
                    if q.radar {
                        fl.push("radar detection");
                    }
                }
                if !fl.is_empty() {
                    if !rest.is_empty() {
                        rest.push(' ');
                    }
                    rest += &format!("({})", fl.join(", "));
                }
                ours_freqs.push(format!("band {no}: {} MHz {rest}", q.mhz));
            }
        }
        let first_diff = ours_freqs
            .iter()
            .zip(&iw_freqs)
            .find(|(a, b)| a != b)
            .map(|(a, b)| format!("first difference: ours {a:?} iw {b:?}"))
            .unwrap_or_default();
        check(
            &format!("{name}-wiphy-freqs"),
            !ours_freqs.is_empty() && ours_freqs == iw_freqs && w.band_of(f).is_some(),
            format!(
                "{} frequencies, iw {}; own {f} MHz in a band: {} {first_diff}",
                ours_freqs.len(),
                iw_freqs.len(),
                w.band_of(f).is_some()
            ),
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
    // the socket stays usable: the events queued after the overflow are still delivered
    let after = seen.iter().position(|e| *e == Event::Lost).map(|i| {
        seen[i + 1..]
            .iter()
            .filter(|e| matches!(e, Event::Station(_)))
            .count()
    });
    check(
        "events-after-lost",
        after.is_some_and(|n| n > 0),
        format!("{after:?} station events after Lost"),
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
    let n_iw = iw(&["dev"])
        .lines()
        .filter(|l| l.trim_start().starts_with("Interface "))
        .count();
    check(
        "after-reload-interfaces",
        r.as_ref().is_ok_and(|v| v.len() == n_iw && n_iw > 0),
        format!("{:?} (iw dev: {n_iw})", r.as_ref().map(|v| v.len())),
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
