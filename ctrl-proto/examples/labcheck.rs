//! Lab check of the client sockets against the real hostapd 2.10 (run inside the lab VM by
//! tests/lab/scenarios/ctrl_socket.sh; host side: tests/lab_ctrl.rs). Prints one
//! `CHECK <name> ok|FAIL <detail>` line per check (the scenario turns each into an
//! `@@ assert name=<name> ok=1|0 detail=...`) and exits 1 if any check failed. Progress lines
//! (`READY ...`) let the scenario act at the right moment.
//!
//! usage (control directory /var/run/hostapd):
//!   labcheck basic IFACE_A IFACE_B STATUS_A STATUS_B CLIENT_DIR
//!       PING, STATUS vs `hostapd_cli status` (files), STA-FIRST on empty APs, an unknown
//!       command, SET/SHOW/REMOVE_NEIGHBOR with our own entry of B set on A
//!   labcheck events IFACE MAC SECS CLIENT_DIR
//!       ATTACH (under mio), then expect AP-STA-CONNECTED, -DISCONNECTED, -CONNECTED for MAC
//!   labcheck sta IFACE MAC BSSID CLIENT_DIR
//!       STA-FIRST/STA-NEXT walk with one station; REQ_BEACON (active, op class 81, the AP's
//!       channel) -> token, then BEACON-REQ-TX-STATUS and BEACON-RESP-RX on the event socket
//!   labcheck stop IFACE PIDFILE CLIENT_DIR
//!       request with a deadline against a SIGSTOPped hostapd (SIGCONT afterwards)
//!   labcheck restart NAME IFACE MAC FLAGDIR SECS CLIENT_DIR   (checks named NAME-...)
//!       old sockets across a hostapd kill (scenario: FLAGDIR/killed after READY-KILL,
//!       FLAGDIR/started after READY-START), re-open + re-ATTACH, events flow again
//!
//! Every mode finally checks that its client socket files were unlinked (CLIENT_DIR empty).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ctrl_proto::neighbor::own_entry;
use ctrl_proto::rrm::{BeaconReport, BeaconRequest, MeasurementMode};
use ctrl_proto::{
    Command, CtrlSocket, Event, EventSocket, HostapdVersion, Mac, Message, NeighborEntry, OwnFacts,
    OwnInput, Reply, SocketError, Status,
};
use mio::{Events, Interest, Poll, Token};

const CTRL_DIR: &str = "/var/run/hostapd";

static FAILED: AtomicBool = AtomicBool::new(false);

fn check(name: &str, ok: bool, detail: impl std::fmt::Display) {
    let detail = detail.to_string().replace('\n', "\\n");
    println!("CHECK {name} {} {detail}", if ok { "ok" } else { "FAIL" });
    if !ok {
        FAILED.store(true, Ordering::Relaxed);
    }
}

fn say(line: &str) {
    println!("{line}");
}

fn secs(s: u64) -> Instant {
    Instant::now() + Duration::from_secs(s)
}

fn ctrl_dir() -> PathBuf {
    PathBuf::from(CTRL_DIR)
}

fn open(iface: &str, client_dir: &Path) -> CtrlSocket {
    CtrlSocket::open(&ctrl_dir(), iface, client_dir).unwrap_or_else(|e| panic!("open {iface}: {e}"))
}

/// One request; the reply as text (`Err` as its Display).
fn ask(c: &mut CtrlSocket, cmd: &Command) -> Result<Vec<u8>, String> {
    c.request(cmd, secs(5)).map_err(|e| e.to_string())
}

fn client_files(dir: &Path) -> Vec<String> {
    match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(e) => vec![format!("<read_dir: {e}>")],
    }
}

/// `key=value` lines of `hostapd_cli status` output.
fn kv_file(path: &str) -> Vec<(String, String)> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn kv<'a>(kvs: &'a [(String, String)], k: &str) -> &'a str {
    kvs.iter()
        .find(|(key, _)| key == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("<missing>")
}

fn status_of(c: &mut CtrlSocket) -> Result<Status, String> {
    let r = ask(c, &Command::Status)?;
    Reply::parse(&r)
        .and_then(|r| r.status())
        .map_err(|e| format!("{e:?}: {:?}", String::from_utf8_lossy(&r)))
}

fn show_neighbor(c: &mut CtrlSocket) -> Result<String, String> {
    let r = ask(c, &Command::ShowNeighbor)?;
    String::from_utf8(r).map_err(|e| e.to_string())
}

fn basic(a: &str, b: &str, status_a: &str, status_b: &str, cdir: &Path) {
    let mut ca = open(a, cdir);
    let mut cb = open(b, cdir);
    // PING -> PONG, exactly "PONG\n"
    let r = ask(&mut ca, &Command::Ping);
    check(
        "ping",
        matches!(&r, Ok(b) if Reply::parse(b) == Ok(Reply::Pong) && b == b"PONG\n"),
        format!("{:?}", r.map(|b| String::from_utf8_lossy(&b).into_owned())),
    );
    // STATUS vs hostapd_cli status, for both APs
    for (name, c, file) in [("a", &mut ca, status_a), ("b", &mut cb, status_b)] {
        let cli = kv_file(file);
        match status_of(c) {
            Ok(s) => {
                let b0 = s.bss.first();
                let ours = format!(
                    "state={} freq={} channel={} secondary_channel={} ieee80211n={} bssid={} ssid={} num_sta={}",
                    s.state,
                    s.freq,
                    s.channel,
                    s.secondary_channel,
                    u8::from(s.ieee80211n),
                    b0.map(|b| b.bssid.to_string()).unwrap_or_default(),
                    b0.map(|b| String::from_utf8_lossy(&b.ssid).into_owned())
                        .unwrap_or_default(),
                    b0.map(|b| b.num_sta).unwrap_or(u32::MAX),
                );
                let theirs = format!(
                    "state={} freq={} channel={} secondary_channel={} ieee80211n={} bssid={} ssid={} num_sta={}",
                    kv(&cli, "state"),
                    kv(&cli, "freq"),
                    kv(&cli, "channel"),
                    kv(&cli, "secondary_channel"),
                    kv(&cli, "ieee80211n"),
                    kv(&cli, "bssid[0]"),
                    kv(&cli, "ssid[0]"),
                    kv(&cli, "num_sta[0]"),
                );
                check(
                    &format!("status-{name}"),
                    ours == theirs,
                    format!("{ours} (hostapd_cli: {theirs})"),
                );
            }
            Err(e) => check(&format!("status-{name}"), false, e),
        }
    }
    // STA-FIRST without stations: a zero-length datagram
    for (name, c) in [("a", &mut ca), ("b", &mut cb)] {
        let r = ask(c, &Command::StaFirst);
        let ok = matches!(&r, Ok(b) if b.is_empty() && Reply::parse(b) == Ok(Reply::Empty)
            && Reply::parse(b).and_then(|r| r.sta()) == Ok(None));
        check(
            &format!("sta-first-empty-{name}"),
            ok,
            format!("{:?}", r.map(|b| String::from_utf8_lossy(&b).into_owned())),
        );
    }
    // an unknown command
    let r = ca
        .request_bytes(b"NO_SUCH_COMMAND_42", secs(5))
        .map_err(|e| e.to_string());
    check(
        "unknown-command",
        matches!(&r, Ok(b) if Reply::parse(b) == Ok(Reply::UnknownCommand)),
        format!("{:?}", r.map(|b| String::from_utf8_lossy(&b).into_owned())),
    );
    // our own entry of B (computed from B's STATUS as hostapd 2.10 does) ...
    let entry = status_of(&mut cb).and_then(|s| {
        let input = OwnInput::from_status(&s, 0).map_err(|e| format!("{e:?}"))?;
        own_entry(&input, &OwnFacts::default(), HostapdVersion::V2_10).map_err(|e| format!("{e:?}"))
    });
    let entry: NeighborEntry = match entry {
        Ok(e) => e,
        Err(e) => {
            check("own-entry-b", false, e);
            return finish_dir("basic", cdir, vec![Box::new(ca), Box::new(cb)]);
        }
    };
    let line = entry.to_string();
    // ... equals hostapd's own entry in B's SHOW_NEIGHBOR, byte for byte
    let show_b = show_neighbor(&mut cb);
    check(
        "own-entry-b",
        matches!(&show_b, Ok(t) if t.lines().any(|l| l == line)),
        format!("ours {line:?} B's SHOW_NEIGHBOR {show_b:?}"),
    );
    // SET_NEIGHBOR on A, then A's SHOW_NEIGHBOR has exactly that line
    let bssid_b = entry.bssid;
    let r = ask(
        &mut ca,
        &Command::SetNeighbor {
            entry: entry.clone(),
            bss_parameter: None,
        },
    );
    check(
        "set-neighbor",
        matches!(&r, Ok(b) if Reply::parse(b) == Ok(Reply::Ok)),
        format!("{:?}", r.map(|b| String::from_utf8_lossy(&b).into_owned())),
    );
    let show = show_neighbor(&mut ca);
    let parsed = show.as_deref().map_err(|e| e.clone()).and_then(|t| {
        Reply::parse(t.as_bytes())
            .and_then(|r| r.neighbors())
            .map_err(|e| format!("{e:?}"))
    });
    check(
        "show-neighbor-has-entry",
        matches!(&show, Ok(t) if t.lines().filter(|l| l.starts_with(&bssid_b.to_string())).eq([line.as_str()]))
            && matches!(&parsed, Ok(v) if v.contains(&entry)),
        format!("want {line:?} in {show:?}"),
    );
    // REMOVE_NEIGHBOR removes it (A's own entry stays)
    let r = ask(
        &mut ca,
        &Command::RemoveNeighbor {
            bssid: bssid_b,
            ssid: Some(entry.ssid.clone()),
        },
    );
    let show = show_neighbor(&mut ca);
    check(
        "remove-neighbor",
        matches!(&r, Ok(b) if Reply::parse(b) == Ok(Reply::Ok))
            && matches!(&show, Ok(t) if !t.contains(&bssid_b.to_string()) && t.lines().count() == 1),
        format!(
            "reply {:?}, then {show:?}",
            r.map(|b| String::from_utf8_lossy(&b).into_owned())
        ),
    );
    finish_dir("basic", cdir, vec![Box::new(ca), Box::new(cb)]);
}

/// Drops the sockets and checks that their files were there and are gone.
fn finish_dir(mode: &str, cdir: &Path, socks: Vec<Box<dyn std::any::Any>>) {
    let before = client_files(cdir);
    let n = socks.len();
    drop(socks);
    let after = client_files(cdir);
    check(
        &format!("{mode}-client-files-unlinked"),
        before.len() == n && after.is_empty(),
        format!("open {n}: {before:?}; after drop: {after:?}"),
    );
}

/// Waits for events on `ev` (registered with `poll` as token 0) until `want` says done or the
/// deadline passes. Every event seen is appended to `seen` as its name (+ station).
fn wait_events(
    ev: &mut EventSocket,
    poll: &mut Poll,
    deadline: Instant,
    seen: &mut Vec<String>,
    mut want: impl FnMut(&Event) -> bool,
) -> bool {
    let mut events = Events::with_capacity(8);
    let mut buf = vec![0u8; ctrl_proto::socket::RECV_BUF];
    loop {
        loop {
            match ev.recv_into(&mut buf) {
                Ok(r) => {
                    let d = &buf[..r.len];
                    if !Message::is_event(d) {
                        seen.push(format!("NON-EVENT:{:?}", String::from_utf8_lossy(d)));
                        continue;
                    }
                    match Message::parse(d) {
                        Ok(m) => {
                            seen.push(match m.event.sta() {
                                Some(s) => format!("{}:{s}", m.event.name()),
                                None => m.event.name().to_string(),
                            });
                            if want(&m.event) {
                                return true;
                            }
                        }
                        Err(e) => seen.push(format!("BAD:{e:?}")),
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => {
                    seen.push(format!("ERR:{e}"));
                    return false;
                }
            }
        }
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        if let Err(e) = poll.poll(&mut events, Some(deadline - now)) {
            if e.kind() != io::ErrorKind::Interrupted {
                seen.push(format!("POLL:{e}"));
                return false;
            }
        }
    }
}

fn attach(iface: &str, cdir: &Path, poll: &Poll) -> Result<EventSocket, SocketError> {
    let mut ev = EventSocket::open(&ctrl_dir(), iface, cdir, false, secs(5))?;
    poll.registry()
        .register(&mut ev, Token(0), Interest::READABLE)
        .map_err(SocketError::Io)?;
    Ok(ev)
}

/// A test on one event.
type EventTest = fn(&Event) -> bool;

/// Expects connected, disconnected, connected (in this order) for `mac`; one check each.
fn expect_cycle(prefix: &str, ev: &mut EventSocket, poll: &mut Poll, mac: Mac, until: Instant) {
    let mut seen = Vec::new();
    let steps: [(&str, EventTest); 3] = [
        ("connected", |e| matches!(e, Event::StaConnected { .. })),
        ("disconnected", |e| {
            matches!(e, Event::StaDisconnected { .. })
        }),
        ("reconnected", |e| matches!(e, Event::StaConnected { .. })),
    ];
    let mut failed = false;
    for (name, is) in steps {
        let ok = !failed
            && wait_events(ev, poll, until, &mut seen, |e| {
                is(e) && e.sta() == Some(mac)
            });
        failed |= !ok;
        check(
            &format!("{prefix}-{name}"),
            ok,
            format!("{mac} seen {seen:?}"),
        );
    }
}

fn events(iface: &str, mac: Mac, secs_: u64, cdir: &Path) {
    let mut poll = Poll::new().expect("poll");
    let mut ev = match attach(iface, cdir, &poll) {
        Ok(e) => e,
        Err(e) => return check("events-attach", false, e),
    };
    check("events-attach", true, "OK");
    say("READY");
    expect_cycle("events", &mut ev, &mut poll, mac, secs(secs_));
    finish_dir("events", cdir, vec![Box::new(ev)]);
}

fn sta(iface: &str, mac: Mac, bssid: Mac, cdir: &Path) {
    let mut c = open(iface, cdir);
    // STA-FIRST -> the station, STA-NEXT <it> -> empty datagram (end)
    let r = ask(&mut c, &Command::StaFirst);
    let first = r.as_ref().map_err(|e| e.clone()).and_then(|b| {
        Reply::parse(b)
            .and_then(|r| r.sta())
            .map_err(|e| format!("{e:?}"))
    });
    check(
        "sta-first",
        matches!(&first, Ok(Some(s)) if s.addr == mac && s.is_authorized()),
        format!(
            "{:?}",
            first
                .as_ref()
                .map(|s| s.as_ref().map(|s| (s.addr.to_string(), s.flags.0, s.aid)))
        ),
    );
    let r = ask(&mut c, &Command::StaNext(mac));
    check(
        "sta-next-end",
        matches!(&r, Ok(b) if b.is_empty()),
        format!("{:?}", r.map(|b| String::from_utf8_lossy(&b).into_owned())),
    );
    let r = ask(&mut c, &Command::Sta(mac));
    let one = r.as_ref().map_err(|e| e.clone()).and_then(|b| {
        Reply::parse(b)
            .and_then(|r| r.sta())
            .map_err(|e| format!("{e:?}"))
    });
    check(
        "sta-by-mac",
        matches!((&one, &first), (Ok(Some(a)), Ok(Some(b))) if a.addr == b.addr && a.aid == b.aid),
        format!(
            "{:?}",
            one.as_ref()
                .map(|s| s.as_ref().map(|s| (s.addr.to_string(), s.aid)))
        ),
    );

    // REQ_BEACON on the command socket; events only on the ATTACHed one
    let mut poll = Poll::new().expect("poll");
    let mut ev = match attach(iface, cdir, &poll) {
        Ok(e) => e,
        Err(e) => return check("beacon-attach", false, e),
    };
    let st = status_of(&mut c);
    let channel = st.as_ref().map(|s| s.channel).unwrap_or(0);
    let req = BeaconRequest::new(81, channel, 50, MeasurementMode::Active, Mac::BROADCAST);
    let r = ask(
        &mut c,
        &Command::ReqBeacon {
            sta: mac,
            req_mode: None,
            request: req,
        },
    );
    let token = r.as_ref().map_err(|e| e.clone()).and_then(|b| {
        Reply::parse(b)
            .and_then(|r| r.token())
            .map_err(|e| format!("{e:?} {:?}", String::from_utf8_lossy(b)))
    });
    check(
        "beacon-token",
        token.is_ok(),
        format!("{token:?} channel {channel}"),
    );
    let Ok(token) = token else {
        return finish_dir("sta", cdir, vec![Box::new(c), Box::new(ev)]);
    };
    // Requests on the ATTACHed socket while the measurement's events arrive: every reply is
    // PONG (an event would be queued, never returned as the reply).
    let mut pongs = 0;
    let mut bad = Vec::new();
    for _ in 0..10 {
        match ev.socket().request(&Command::Ping, secs(5)) {
            Ok(b) if b == b"PONG\n" => pongs += 1,
            Ok(b) => bad.push(String::from_utf8_lossy(&b).into_owned()),
            Err(e) => bad.push(e.to_string()),
        }
        std::thread::sleep(Duration::from_millis(30));
    }
    check(
        "beacon-replies-on-attached-socket",
        pongs == 10,
        format!("{pongs}/10 PONG, other {bad:?}"),
    );
    let mut seen = Vec::new();
    let mut tx_ack = None;
    let ok_tx = wait_events(&mut ev, &mut poll, secs(20), &mut seen, |e| {
        if let Event::BeaconReqTxStatus { sta, token: t, ack } = e {
            if *sta == mac && *t == token {
                tx_ack = Some(*ack);
                return true;
            }
        }
        false
    });
    check(
        "beacon-tx-status",
        ok_tx && tx_ack == Some(true),
        format!("token {token} ack {tx_ack:?} seen {seen:?}"),
    );
    let mut report = None;
    let ok_rx = wait_events(&mut ev, &mut poll, secs(20), &mut seen, |e| {
        if let Event::BeaconRespRx {
            sta,
            token: t,
            mode,
            report: hex,
        } = e
        {
            if *sta == mac && *t == token {
                let body = hex.decode();
                report = Some((
                    mode.0,
                    BeaconReport::parse(&body)
                        .map(|r| (r.bssid, r.channel))
                        .map_err(|e| format!("{e:?}")),
                ));
                return true;
            }
        }
        false
    });
    check(
        "beacon-resp-rx",
        ok_rx && matches!(&report, Some((0, Ok((b, ch)))) if *b == bssid && *ch == channel),
        format!(
            "token {token} report {report:?} want bssid {bssid} channel {channel} seen {seen:?}"
        ),
    );
    // nothing at all arrived on the command socket (not ATTACHed): no queued event, no datagram
    let mut buf = [0u8; 64];
    let raw = c.recv_into(&mut buf);
    check(
        "beacon-nothing-on-command-socket",
        c.take_event().is_none()
            && matches!(&raw, Err(e) if e.kind() == io::ErrorKind::WouldBlock)
            && c.dropped_events() == 0,
        format!("recv {raw:?}"),
    );
    finish_dir("sta", cdir, vec![Box::new(c), Box::new(ev)]);
}

fn stop(iface: &str, pidfile: &str, cdir: &Path) {
    use nix::sys::signal::{kill, Signal};
    use nix::unistd::Pid;
    let pid: i32 = fs::read_to_string(pidfile)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| panic!("no pid in {pidfile}"));
    let pid = Pid::from_raw(pid);
    let mut c = open(iface, cdir);
    let r = ask(&mut c, &Command::Ping);
    check(
        "stop-ping-before",
        matches!(&r, Ok(b) if b == b"PONG\n"),
        format!("{r:?}"),
    );
    let first_path = c.local_path().to_path_buf();
    kill(pid, Signal::SIGSTOP).expect("SIGSTOP");
    let limit = Duration::from_millis(1000);
    let t0 = Instant::now();
    let r = c.request_timeout(&Command::Status, limit);
    let took = t0.elapsed();
    // The next request is sent while hostapd is still stopped, and hostapd continued 300 ms
    // later: it answers the timed-out STATUS first (ahead in its queue), then the PING. The late
    // STATUS reply must go to the vanished old path and the PING get its own reply (without the
    // re-bind after a timeout, the STATUS text would be taken as the PING's reply).
    let waker = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        kill(pid, Signal::SIGCONT)
    });
    let next = ask(&mut c, &Command::Ping);
    let cont = waker.join();
    if !matches!(cont, Ok(Ok(()))) {
        let _ = kill(pid, Signal::SIGCONT);
    }
    check(
        "stop-timeout",
        matches!(r, Err(SocketError::Timeout))
            && took >= limit
            && took < limit + Duration::from_millis(1500),
        format!(
            "{:?} after {} ms (deadline {} ms)",
            r.map(|b| b.len()),
            took.as_millis(),
            limit.as_millis()
        ),
    );
    check(
        "stop-next-reply-is-its-own",
        matches!(&next, Ok(b) if b == b"PONG\n")
            && c.rebinds() == 1
            && c.local_path() != first_path,
        format!(
            "{:?} rebinds {} old path exists {}",
            next.map(|b| String::from_utf8_lossy(&b).into_owned()),
            c.rebinds(),
            first_path.exists()
        ),
    );
    let r = status_of(&mut c);
    check(
        "stop-status-after",
        r.is_ok(),
        format!("{:?}", r.map(|s| s.state)),
    );
    finish_dir("stop", cdir, vec![Box::new(c)]);
}

fn wait_flag(p: &Path, until: Instant) -> bool {
    while Instant::now() < until {
        if p.exists() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

fn restart(name: &str, iface: &str, mac: Mac, flags: &Path, secs_: u64, cdir: &Path) {
    let n = |check: &str| format!("{name}-{check}");
    let until = secs(secs_);
    let mut poll = Poll::new().expect("poll");
    let mut c = open(iface, cdir);
    let mut ev = match attach(iface, cdir, &poll) {
        Ok(e) => e,
        Err(e) => return check(&n("attach"), false, e),
    };
    let r = ask(&mut c, &Command::Ping);
    check(
        &n("ping-before"),
        matches!(&r, Ok(b) if b == b"PONG\n"),
        format!("{r:?}"),
    );
    say("READY-KILL");
    if !wait_flag(&flags.join("killed"), until) {
        return check(&n("killed"), false, "no flag");
    }
    // the old command socket fails at once with an I/O error (not a timeout, not a hang)
    let t0 = Instant::now();
    let r = c.request_timeout(&Command::Ping, Duration::from_secs(3));
    let took = t0.elapsed();
    check(
        &n("old-ctrl-fails"),
        matches!(&r, Err(SocketError::Io(_))) && took < Duration::from_millis(500),
        format!("{:?} after {} ms", r.map(|b| b.len()), took.as_millis()),
    );
    // the old event socket: what was left to read, then its requests fail the same way
    let mut seen = Vec::new();
    wait_events(&mut ev, &mut poll, Instant::now(), &mut seen, |_| false);
    let t0 = Instant::now();
    let r = ev
        .socket()
        .request_timeout(&Command::Ping, Duration::from_secs(3));
    let took = t0.elapsed();
    check(
        &n("old-event-socket-fails"),
        matches!(&r, Err(SocketError::Io(_))) && took < Duration::from_millis(500),
        format!(
            "{:?} after {} ms; events left {seen:?}",
            r.map(|b| b.len()),
            took.as_millis()
        ),
    );
    // re-open while hostapd is down: refused cleanly, no file left behind
    let r = CtrlSocket::open(&ctrl_dir(), iface, cdir);
    check(
        &n("open-while-down-fails"),
        r.is_err() && client_files(cdir).len() == 2,
        format!("{:?} files {:?}", r.map(|_| ()), client_files(cdir)),
    );
    let _ = poll.registry().deregister(&mut ev);
    drop(c);
    drop(ev);
    say("READY-START");
    if !wait_flag(&flags.join("started"), until) {
        return check(&n("started"), false, "no flag");
    }
    let mut c = open(iface, cdir);
    let r = ask(&mut c, &Command::Ping);
    check(
        &n("reopen-ping"),
        matches!(&r, Ok(b) if b == b"PONG\n"),
        format!("{r:?}"),
    );
    let mut ev = match attach(iface, cdir, &poll) {
        Ok(e) => e,
        Err(e) => return check(&n("reattach"), false, e),
    };
    check(&n("reattach"), true, "OK");
    say("READY-EVENTS");
    // the station comes back by itself and is then cycled by the scenario: wait for its
    // disconnect and the reconnect after it
    let mut seen = Vec::new();
    let ok = wait_events(
        &mut ev,
        &mut poll,
        until,
        &mut seen,
        |e| matches!(e, Event::StaDisconnected { sta, .. } if *sta == mac),
    );
    check(
        &n("events-disconnected"),
        ok,
        format!("{mac} seen {seen:?}"),
    );
    let ok = ok
        && wait_events(
            &mut ev,
            &mut poll,
            until,
            &mut seen,
            |e| matches!(e, Event::StaConnected { sta, .. } if *sta == mac),
        );
    check(&n("events-connected"), ok, format!("{mac} seen {seen:?}"));
    finish_dir(name, cdir, vec![Box::new(c), Box::new(ev)]);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let mac = |s: &str| Mac::parse(s).unwrap_or_else(|e| panic!("bad MAC {s}: {e:?}"));
    let n = |s: &str| {
        s.parse::<u64>()
            .unwrap_or_else(|_| panic!("bad number {s}"))
    };
    match a.as_slice() {
        ["basic", ia, ib, sa, sb, d] => basic(ia, ib, sa, sb, Path::new(d)),
        ["events", i, m, s, d] => events(i, mac(m), n(s), Path::new(d)),
        ["sta", i, m, b, d] => sta(i, mac(m), mac(b), Path::new(d)),
        ["stop", i, p, d] => stop(i, p, Path::new(d)),
        ["restart", name, i, m, f, s, d] => {
            restart(name, i, mac(m), Path::new(f), n(s), Path::new(d))
        }
        _ => {
            eprintln!("usage: see the comment at the top of ctrl-proto/examples/labcheck.rs");
            std::process::exit(2);
        }
    }
    if FAILED.load(Ordering::Relaxed) {
        std::process::exit(1);
    }
}
