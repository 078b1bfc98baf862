//! The client socket against a datagram socket of the test's own: framing, event/reply
//! separation, timeouts, truncation and file cleanup. This is NOT hostapd: it only checks our
//! side of the socket (hostapd itself is exercised in the lab, tests/lab).

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use ctrl_proto::socket::{clean_stale, CtrlSocket, EventSocket, SocketError, RECV_BUF};
use ctrl_proto::{Command, Message, Reply};

static N: AtomicU32 = AtomicU32::new(0);

/// A fresh directory under the system temp dir (removed at the end of each test).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "ctrlproto-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir(&p).unwrap();
        TempDir(p)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A server socket standing where hostapd's would be: `<dir>/ctrl/wlan0`.
fn server(dir: &Path) -> (UnixDatagram, PathBuf) {
    let ctrl = dir.join("ctrl");
    fs::create_dir_all(&ctrl).unwrap();
    let p = ctrl.join("wlan0");
    let s = UnixDatagram::bind(&p).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    (s, ctrl)
}

fn soon(ms: u64) -> Instant {
    Instant::now() + Duration::from_millis(ms)
}

#[test]
fn request_reply_framing_and_file_modes() {
    let t = TempDir::new();
    let (srv, ctrl) = server(t.path());
    let clients = t.path().join("clients/sub");
    let mut c = CtrlSocket::open(&ctrl, "wlan0", &clients).unwrap();
    // Directory created 0700, socket chmod'ed 0600, named roamer-<pid>-<n>.
    let dmode = fs::metadata(&clients).unwrap().permissions().mode() & 0o777;
    assert_eq!(dmode, 0o700);
    let local = c.local_path().to_path_buf();
    let meta = fs::symlink_metadata(&local).unwrap();
    assert!(meta.file_type().is_socket());
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let name = local.file_name().unwrap().to_str().unwrap().to_string();
    assert!(
        name.starts_with(&format!("roamer-{}-", std::process::id())),
        "{}",
        name
    );

    let h = thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let (n, from) = srv.recv_from(&mut buf).unwrap();
        // The request is the exact text, no newline, no NUL; the sender has an address.
        assert_eq!(&buf[..n], b"STATUS");
        let from = from.as_pathname().unwrap().to_path_buf();
        // An event first, then the reply: the event must not be taken as the reply.
        srv.send_to(b"<3>AP-STA-CONNECTED 02:00:00:00:05:00", &from)
            .unwrap();
        srv.send_to(b"state=ENABLED\n", &from).unwrap();
        let (n, _) = srv.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"STA-FIRST");
        srv.send_to(b"", &from).unwrap(); // zero-length reply
        let (n, _) = srv.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"PING");
        srv.send_to(b"PONG\n", &from).unwrap();
        from
    });
    let r = c.request(&Command::Status, soon(3000)).unwrap();
    assert_eq!(r, b"state=ENABLED\n");
    let r = c.request(&Command::StaFirst, soon(3000)).unwrap();
    assert_eq!(Reply::parse(&r).unwrap(), Reply::Empty);
    let r = c.request(&Command::Ping, soon(3000)).unwrap();
    assert_eq!(Reply::parse(&r).unwrap().expect_pong(), Ok(()));
    let ev = c.take_event().unwrap();
    assert!(Message::is_event(&ev));
    assert!(c.take_event().is_none());
    let from = h.join().unwrap();
    assert_eq!(from, local);
    drop(c);
    assert!(!local.exists(), "socket file unlinked on drop");
}

#[test]
fn timeout_then_fresh_path_so_late_replies_cannot_confuse() {
    let t = TempDir::new();
    let (srv, ctrl) = server(t.path());
    let mut c = CtrlSocket::open(&ctrl, "wlan0", t.path()).unwrap();
    let first = c.local_path().to_path_buf();
    let start = Instant::now();
    let e = c.request(&Command::Ping, soon(200)).unwrap_err();
    assert!(matches!(e, SocketError::Timeout), "{}", e);
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(190) && took < Duration::from_secs(2),
        "{:?}",
        took
    );
    let mut buf = [0u8; 64];
    let (_, from) = srv.recv_from(&mut buf).unwrap();
    let late_to = from.as_pathname().unwrap().to_path_buf();
    let h = thread::spawn(move || {
        let (n, from) = srv.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"STATUS");
        // The late PONG goes to the old, vanished path; the real reply to the new one.
        assert!(srv.send_to(b"PONG\n", &late_to).is_err());
        srv.send_to(b"state=ENABLED\n", from.as_pathname().unwrap())
            .unwrap();
    });
    let r = c.request(&Command::Status, soon(3000)).unwrap();
    assert_eq!(r, b"state=ENABLED\n");
    assert_ne!(c.local_path(), first);
    assert!(!first.exists());
    assert_eq!(c.rebinds(), 1);
    h.join().unwrap();
}

#[test]
fn stale_datagrams_before_a_request_are_not_its_reply() {
    let t = TempDir::new();
    let (srv, ctrl) = server(t.path());
    let mut c = CtrlSocket::open(&ctrl, "wlan0", t.path()).unwrap();
    srv.send_to(b"OK\n", c.local_path()).unwrap();
    srv.send_to(b"<3>AP-ENABLED ", c.local_path()).unwrap();
    let h = thread::spawn(move || {
        let mut buf = [0u8; 64];
        let (n, from) = srv.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"PING");
        srv.send_to(b"PONG\n", from.as_pathname().unwrap()).unwrap();
    });
    assert_eq!(c.request(&Command::Ping, soon(3000)).unwrap(), b"PONG\n");
    assert_eq!(c.take_event().unwrap(), b"<3>AP-ENABLED ");
    h.join().unwrap();
}

#[test]
fn truncation_is_detected() {
    let t = TempDir::new();
    let (srv, ctrl) = server(t.path());
    let mut c = CtrlSocket::open(&ctrl, "wlan0", t.path()).unwrap();
    let big = vec![b'x'; RECV_BUF + 100];
    srv.send_to(&big, c.local_path()).unwrap();
    let mut small = [0u8; 100];
    let r = c.recv_into(&mut small).unwrap();
    assert_eq!((r.len, r.truncated), (100, true));
    srv.send_to(&big[..RECV_BUF], c.local_path()).unwrap();
    let mut buf = vec![0u8; RECV_BUF];
    let r = c.recv_into(&mut buf).unwrap();
    assert_eq!(
        (r.len, r.truncated),
        (RECV_BUF, false),
        "exactly the buffer is not truncated"
    );
    let e = c.recv_into(&mut buf).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock);
    // A blocking request whose reply does not fit reports it.
    let h = thread::spawn(move || {
        let mut b = [0u8; 64];
        let (_, from) = srv.recv_from(&mut b).unwrap();
        srv.send_to(&big, from.as_pathname().unwrap()).unwrap();
    });
    let e = c.request(&Command::Status, soon(3000)).unwrap_err();
    assert!(
        matches!(e, SocketError::Truncated(n) if n == RECV_BUF),
        "{}",
        e
    );
    h.join().unwrap();
}

#[test]
fn no_server_is_an_error_not_a_hang() {
    let t = TempDir::new();
    let e = CtrlSocket::open(&t.path().join("nope"), "wlan0", t.path()).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
    assert!(CtrlSocket::open(t.path(), "../x", t.path()).is_err());
    // A failed open leaves no socket file behind.
    let left: Vec<_> = fs::read_dir(t.path()).unwrap().collect();
    assert!(left.is_empty(), "{:?}", left);
}

#[test]
fn stale_cleanup_is_selective() {
    let t = TempDir::new();
    let d = t.path();
    // A leftover of a dead process: bound then dropped (the file stays).
    let dead_pid = 0x3fff_fff0u32; // above any pid_max
    let dead = d.join(format!("roamer-{}-0", dead_pid));
    drop(UnixDatagram::bind(&dead).unwrap());
    // A leftover with our own pid: nothing bound, so it refuses connections.
    let ours_stale = d.join(format!("roamer-{}-999999", std::process::id()));
    drop(UnixDatagram::bind(&ours_stale).unwrap());
    // A live socket with our pid: kept.
    let live_path = d.join(format!("roamer-{}-999998", std::process::id()));
    let live = UnixDatagram::bind(&live_path).unwrap();
    // Not ours by name, or not a socket: kept.
    let other = d.join(format!("wpa_ctrl_{}-0", dead_pid));
    drop(UnixDatagram::bind(&other).unwrap());
    let regular = d.join(format!("roamer-{}-1", dead_pid));
    fs::write(&regular, b"not a socket").unwrap();
    assert_eq!(clean_stale(d).unwrap(), 2);
    assert!(!dead.exists());
    assert!(!ours_stale.exists());
    assert!(live_path.exists());
    assert!(other.exists());
    assert!(regular.exists());
    drop(live);
}

#[test]
fn event_socket_attaches_and_detaches() {
    let t = TempDir::new();
    let (srv, ctrl) = server(t.path());
    let h = thread::spawn(move || {
        let mut buf = [0u8; 64];
        let (n, from) = srv.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"ATTACH probe_rx_events=1");
        let from = from.as_pathname().unwrap().to_path_buf();
        srv.send_to(b"OK\n", &from).unwrap();
        srv.send_to(
            b"<3>RX-PROBE-REQUEST sa=02:00:00:00:05:00 signal=-47",
            &from,
        )
        .unwrap();
        let (n, _) = srv.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"DETACH", "DETACH sent on drop");
    });
    let mut ev = EventSocket::open(&ctrl, "wlan0", t.path(), true, soon(3000)).unwrap();
    // Under mio: register, wait for readability, drain to WouldBlock.
    let mut poll = mio::Poll::new().unwrap();
    let mut events = mio::Events::with_capacity(4);
    poll.registry()
        .register(&mut ev, mio::Token(7), mio::Interest::READABLE)
        .unwrap();
    let mut got = Vec::new();
    let mut buf = vec![0u8; RECV_BUF];
    let end = soon(3000);
    while got.is_empty() && Instant::now() < end {
        poll.poll(&mut events, Some(Duration::from_millis(100)))
            .unwrap();
        loop {
            match ev.recv_into(&mut buf) {
                Ok(r) => got.push(buf[..r.len].to_vec()),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("{}", e),
            }
        }
    }
    let m = Message::parse(&got[0]).unwrap();
    assert_eq!(m.event.name(), "RX-PROBE-REQUEST");
    let path = ev.socket().local_path().to_path_buf();
    drop(ev);
    assert!(!path.exists());
    h.join().unwrap();
}

#[test]
fn attach_fail_is_reported() {
    let t = TempDir::new();
    let (srv, ctrl) = server(t.path());
    let h = thread::spawn(move || {
        let mut buf = [0u8; 64];
        let (_, from) = srv.recv_from(&mut buf).unwrap();
        srv.send_to(b"FAIL\n", from.as_pathname().unwrap()).unwrap();
    });
    let e = EventSocket::open(&ctrl, "wlan0", t.path(), false, soon(3000)).unwrap_err();
    assert!(
        matches!(e, SocketError::Reply(ctrl_proto::ReplyError::Fail)),
        "{}",
        e
    );
    h.join().unwrap();
}
