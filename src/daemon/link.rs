//! One hostapd BSS control connection: a command socket and an ATTACHed event socket.
//!
//! - Two ctrl-proto [`CtrlSocket`]s (non-blocking `AF_UNIX` datagram sockets bound in roamer's
//!   `run_dir`, connected to `<ctrl_dir>/<iface>`), so replies and events never interleave on
//!   the command socket (PROTOCOL.md A.2). The event socket's ATTACH is sent without waiting
//!   for it (ctrl-proto's blocking `EventSocket::open` is for one-shot commands).
//! - Commands go through a bounded FIFO ([`QUEUE_CAP`]); one is in flight at a time and has a
//!   deadline. A timeout costs that request (reported as [`Out::Timeout`]) and a re-bind of the
//!   command socket to a fresh path, so a late reply can never be taken for the answer to the
//!   next request (hostapd's late `sendto()` hits a vanished path).
//! - Liveness: a `PING` when the command socket has been idle for [`KEEPALIVE`]; a connected
//!   datagram socket whose peer is gone fails at once (`ECONNREFUSED`), so a killed hostapd is
//!   noticed within seconds even when nothing else is sent.
//! - Event silence: after `event_silence` without any datagram on the event socket the link
//!   sends `LEVEL 3` there. hostapd answers `FAIL` when it has dropped us as a monitor (it does
//!   so after 11 failed sends or one ENOENT, PROTOCOL.md A.5): roamer then re-ATTACHes and
//!   reports [`Out::Reattached`] so the daemon re-reads state.
//! - Outages: any socket error, `CTRL-EVENT-TERMINATING`, or [`MAX_TIMEOUTS`] timeouts in a row
//!   take the link down ([`Out::Down`]); it is retried with exponential back-off from
//!   [`BACKOFF_MIN`] to [`BACKOFF_MAX`], and at once when hostapd's socket file is replaced by
//!   a new one (checked every [`PROBE`] with one `stat`), so a restarted hostapd is back
//!   within a second whatever the back-off. An outage is logged once when it starts and once
//!   when it ends.
//! - Buffers: the receive buffer is the caller's (one fixed buffer for the whole daemon);
//!   queued requests are bounded; nothing grows with traffic.

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ctrl_proto::{Command, CtrlSocket, Mac, Reply};
use mio::{Interest, Registry, Token};

/// Most requests queued per BSS (in flight included).
pub const QUEUE_CAP: usize = 64;
/// First retry delay after an outage starts.
pub const BACKOFF_MIN: Duration = Duration::from_secs(1);
/// Longest retry delay.
pub const BACKOFF_MAX: Duration = Duration::from_secs(30);
/// Idle time of the command socket after which a `PING` checks that hostapd is alive.
pub const KEEPALIVE: Duration = Duration::from_secs(5);
/// Consecutive request timeouts that take the link down.
pub const MAX_TIMEOUTS: u32 = 3;
/// While down, how often hostapd's socket file is looked at: a new socket (hostapd
/// restarted) is tried at once instead of waiting out the back-off.
pub const PROBE: Duration = Duration::from_secs(1);

/// What a queued request is for (returned with its outcome).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// `STATUS` (radio facts).
    Status,
    /// `SHOW_NEIGHBOR` (neighbor sync).
    ShowNeighbor,
    /// `SET_NEIGHBOR` of this key.
    SetNeighbor(Mac, Vec<u8>),
    /// `REMOVE_NEIGHBOR` of this key.
    RemoveNeighbor(Mac, Vec<u8>),
    /// `REQ_BEACON` to this station.
    ReqBeacon(Mac),
    /// `BSS_TM_REQ` to this station.
    BssTm(Mac),
    /// `DEAUTHENTICATE` of this station.
    Deauth(Mac),
    /// Keepalive.
    Ping,
    /// `GET version` (once per connection: the own-entry rules depend on it).
    Version,
    /// `POLL_STA` of this station (departure watch after an accepted transition).
    PollSta(Mac),
}

/// Connection state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Not connected; next attempt at the deadline.
    Down,
    /// Sockets open, waiting for the ATTACH reply.
    Attaching,
    /// Attached and usable.
    Up,
}

/// Something the daemon must act on.
#[derive(Debug)]
pub enum Out<'b> {
    /// The link is (again) up: read the radio's state and re-sync its neighbor table.
    Up,
    /// hostapd had dropped our monitor and we re-attached: events may have been lost.
    Reattached,
    /// The link went down (requests in the queue are reported as [`Out::Dropped`]).
    Down,
    /// A reply to a request.
    Reply(Purpose, Reply<'b>),
    /// A request got no reply in time.
    Timeout(Purpose),
    /// A request was not sent (link down, queue full, or unencodable).
    Dropped(Purpose),
    /// An event datagram (`<N>TEXT`), not yet parsed.
    Event(&'b [u8]),
}

struct Pending {
    purpose: Purpose,
    text: String,
}

struct InFlight {
    purpose: Purpose,
    deadline: Instant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EvtReq {
    Attach,
    Check,
}

/// Counters shown by `roamer state`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counters {
    /// Requests sent.
    pub requests: u64,
    /// Requests that timed out.
    pub timeouts: u64,
    /// Requests dropped (queue full, link down).
    pub dropped: u64,
    /// Event datagrams received.
    pub events: u64,
    /// Successful connections (the first one included).
    pub connects: u64,
    /// Re-ATTACHes after hostapd dropped the monitor.
    pub reattaches: u64,
    /// Garbage datagrams ignored (unparsable, truncated, unsolicited).
    pub garbage: u64,
}

/// One BSS's control connection.
pub struct Link {
    iface: String,
    ctrl_dir: PathBuf,
    run_dir: PathBuf,
    cmd: Option<CtrlSocket>,
    evt: Option<CtrlSocket>,
    cmd_token: Token,
    evt_token: Token,
    state: State,
    queue: VecDeque<Pending>,
    in_flight: Option<InFlight>,
    timeouts_in_row: u32,
    evt_req: Option<(EvtReq, Instant)>,
    last_evt: Instant,
    last_cmd: Instant,
    retry_at: Instant,
    probe_at: Instant,
    /// Inode of hostapd's socket file at the last failure (None: absent).
    peer_ino: Option<u64>,
    backoff: Duration,
    down_since: Option<Instant>,
    attempts: u32,
    request_timeout: Duration,
    silence: Duration,
    out: VecDeque<Out<'static>>,
    /// Counters.
    pub counters: Counters,
}

impl Link {
    /// A link (down, first attempt immediately) for `iface`.
    pub fn new(
        iface: &str,
        ctrl_dir: &Path,
        run_dir: &Path,
        tokens: (Token, Token),
        timeouts: (Duration, Duration),
        now: Instant,
    ) -> Link {
        Link {
            iface: iface.to_string(),
            ctrl_dir: ctrl_dir.to_path_buf(),
            run_dir: run_dir.to_path_buf(),
            cmd: None,
            evt: None,
            cmd_token: tokens.0,
            evt_token: tokens.1,
            state: State::Down,
            queue: VecDeque::new(),
            in_flight: None,
            timeouts_in_row: 0,
            evt_req: None,
            last_evt: now,
            last_cmd: now,
            retry_at: now,
            probe_at: now,
            peer_ino: None,
            backoff: BACKOFF_MIN,
            down_since: None,
            attempts: 0,
            request_timeout: timeouts.0,
            silence: timeouts.1,
            out: VecDeque::new(),
            counters: Counters::default(),
        }
    }

    /// Changes the request timeout and the event-silence limit (configuration reload).
    pub fn set_timeouts(&mut self, request_timeout: Duration, silence: Duration) {
        self.request_timeout = request_timeout;
        self.silence = silence;
    }

    /// Connection state.
    pub fn state(&self) -> State {
        self.state
    }

    /// `true` when commands can be queued with a chance of being answered.
    pub fn is_up(&self) -> bool {
        self.state == State::Up
    }

    /// Requests queued or in flight.
    pub fn queued(&self) -> usize {
        self.queue.len() + usize::from(self.in_flight.is_some())
    }

    /// Queues `cmd`. Fails (and reports [`Out::Dropped`]) when the link is down, the queue is
    /// full or the command cannot be encoded.
    pub fn request(&mut self, cmd: &Command, purpose: Purpose, now: Instant) -> bool {
        let text = match cmd.to_text() {
            Ok(t) => t,
            Err(e) => {
                warn!("{}: cannot encode {purpose:?}: {e}", self.iface);
                self.counters.dropped += 1;
                self.out.push_back(Out::Dropped(purpose));
                return false;
            }
        };
        self.request_text(text, purpose, now)
    }

    /// Queues a request given as its command text, for the few commands ctrl-proto's
    /// [`Command`] does not model (`GET version`). Fails like [`Link::request`].
    pub fn request_text(&mut self, text: String, purpose: Purpose, now: Instant) -> bool {
        if self.state != State::Up || self.queued() >= QUEUE_CAP {
            self.counters.dropped += 1;
            self.out.push_back(Out::Dropped(purpose));
            return false;
        }
        self.queue.push_back(Pending { purpose, text });
        self.pump(now);
        true
    }

    /// Sends the next queued request if none is in flight.
    fn pump(&mut self, now: Instant) {
        while self.in_flight.is_none() && self.state == State::Up {
            let Some(p) = self.queue.pop_front() else {
                return;
            };
            let Some(sock) = &self.cmd else { return };
            match sock.send_bytes(p.text.as_bytes()) {
                Ok(()) => {
                    self.counters.requests += 1;
                    self.last_cmd = now;
                    self.in_flight = Some(InFlight {
                        purpose: p.purpose,
                        deadline: now + self.request_timeout,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    // hostapd's receive queue is full: this request costs a timeout.
                    self.counters.timeouts += 1;
                    if p.purpose != Purpose::Ping {
                        self.out.push_back(Out::Timeout(p.purpose));
                    }
                }
                Err(e) => {
                    self.queue.push_front(p);
                    self.fail(now, &format_args!("send: {e}"));
                }
            }
        }
    }

    /// The earliest instant at which [`Link::tick`] has work.
    pub fn next_deadline(&self) -> Instant {
        match self.state {
            State::Down => self.retry_at.min(self.probe_at),
            State::Attaching => self.evt_req.map_or(self.retry_at, |(_, d)| d),
            State::Up => {
                let mut d = self.last_cmd + KEEPALIVE;
                if let Some(f) = &self.in_flight {
                    d = d.min(f.deadline);
                }
                match self.evt_req {
                    Some((_, dl)) => d.min(dl),
                    None => d.min(self.last_evt + self.silence),
                }
            }
        }
    }

    /// Timer work: reconnect attempts, request deadlines, keepalive and silence checks.
    pub fn tick(&mut self, registry: &Registry, now: Instant) {
        match self.state {
            State::Down => {
                if now >= self.retry_at {
                    self.connect(registry, now);
                } else if now >= self.probe_at {
                    self.probe_at = now + PROBE;
                    let ino = self.peer_inode();
                    if ino.is_some() && ino != self.peer_ino {
                        debug!("{}: hostapd's socket is new; trying now", self.iface);
                        self.connect(registry, now);
                    }
                }
            }
            State::Attaching => {
                if self.evt_req.is_some_and(|(_, d)| now >= d) {
                    self.fail(now, &"no reply to ATTACH");
                }
            }
            State::Up => {
                if self.in_flight.as_ref().is_some_and(|f| now >= f.deadline) {
                    self.request_timed_out(registry, now);
                    if self.state != State::Up {
                        return;
                    }
                }
                if self.in_flight.is_none()
                    && self.queue.is_empty()
                    && now >= self.last_cmd + KEEPALIVE
                {
                    self.queue.push_back(Pending {
                        purpose: Purpose::Ping,
                        text: "PING".into(),
                    });
                }
                self.pump(now);
                if self.state != State::Up {
                    return;
                }
                match self.evt_req {
                    Some((EvtReq::Check, dl)) if now >= dl => {
                        self.fail(now, &"event socket check unanswered");
                    }
                    Some((EvtReq::Attach, dl)) if now >= dl => {
                        self.fail(now, &"re-ATTACH unanswered");
                    }
                    None if now >= self.last_evt + self.silence => {
                        debug!(
                            "{}: no event for {}s; checking the monitor",
                            self.iface,
                            self.silence.as_secs()
                        );
                        self.evt_send(now, "LEVEL 3", EvtReq::Check);
                    }
                    _ => {}
                }
            }
        }
    }

    fn request_timed_out(&mut self, registry: &Registry, now: Instant) {
        let purpose = self.in_flight.take().map_or(Purpose::Ping, |f| f.purpose);
        self.counters.timeouts += 1;
        self.timeouts_in_row += 1;
        if purpose != Purpose::Ping {
            self.out.push_back(Out::Timeout(purpose.clone()));
        }
        if self.timeouts_in_row >= MAX_TIMEOUTS {
            self.fail(
                now,
                &format_args!("{MAX_TIMEOUTS} requests in a row unanswered"),
            );
            return;
        }
        debug!(
            "{}: {purpose:?} timed out; re-binding the command socket",
            self.iface
        );
        // A late reply must not be taken for the answer to the next request.
        let token = self.cmd_token;
        let rebound = match self.cmd.as_mut() {
            Some(s) => {
                let _ = registry.deregister(s);
                s.rebind()
                    .and_then(|()| registry.register(s, token, Interest::READABLE))
            }
            None => Ok(()),
        };
        if let Err(e) = rebound {
            self.fail(now, &format_args!("re-bind: {e}"));
        }
    }

    fn evt_send(&mut self, now: Instant, text: &str, req: EvtReq) {
        let res = match &self.evt {
            Some(s) => s.send_bytes(text.as_bytes()),
            None => Err(io::Error::from(io::ErrorKind::NotConnected)),
        };
        match res {
            Ok(()) => self.evt_req = Some((req, now + self.request_timeout)),
            Err(e) => self.fail(now, &format_args!("event socket send: {e}")),
        }
    }

    fn connect(&mut self, registry: &Registry, now: Instant) {
        self.close_sockets(registry);
        self.attempts += 1;
        let open = || CtrlSocket::open(&self.ctrl_dir, &self.iface, &self.run_dir);
        let opened = open().and_then(|mut cmd| {
            let mut evt = open()?;
            registry.register(&mut cmd, self.cmd_token, Interest::READABLE)?;
            if let Err(e) = registry.register(&mut evt, self.evt_token, Interest::READABLE) {
                let _ = registry.deregister(&mut cmd);
                return Err(e);
            }
            Ok((cmd, evt))
        });
        match opened {
            Ok((cmd, evt)) => {
                self.cmd = Some(cmd);
                self.evt = Some(evt);
                self.state = State::Attaching;
                self.evt_send(now, "ATTACH", EvtReq::Attach);
            }
            Err(e) => {
                let why = format!("{}/{}: {e}", self.ctrl_dir.display(), self.iface);
                self.fail(now, &why);
            }
        }
    }

    /// hostapd announced it is going away (`CTRL-EVENT-TERMINATING`): down now.
    pub fn peer_gone(&mut self, now: Instant, why: &str) {
        if self.state != State::Down {
            self.fail(now, &why);
        }
    }

    fn peer_inode(&self) -> Option<u64> {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(self.ctrl_dir.join(&self.iface))
            .ok()
            .map(|m| m.ino())
    }

    /// Takes the link down after an error and schedules the next attempt. (`why` is only
    /// formatted into the log line: callers pass `format_args!`, no String.)
    fn fail(&mut self, now: Instant, why: &dyn fmt::Display) {
        let was = self.state;
        self.state = State::Down;
        self.peer_ino = self.peer_inode();
        self.probe_at = now + PROBE;
        if self.down_since.is_none() {
            self.down_since = Some(now);
            warn!(
                "{}: hostapd unreachable ({why}); retrying with back-off up to {}s",
                self.iface,
                BACKOFF_MAX.as_secs()
            );
        } else {
            debug!("{}: attempt {} failed: {why}", self.iface, self.attempts);
        }
        self.retry_at = now + self.backoff;
        self.backoff = (self.backoff * 2).min(BACKOFF_MAX);
        if let Some(f) = self.in_flight.take() {
            if f.purpose != Purpose::Ping {
                self.counters.dropped += 1;
                self.out.push_back(Out::Dropped(f.purpose));
            }
        }
        while let Some(p) = self.queue.pop_front() {
            if p.purpose != Purpose::Ping {
                self.counters.dropped += 1;
                self.out.push_back(Out::Dropped(p.purpose));
            }
        }
        self.evt_req = None;
        self.timeouts_in_row = 0;
        // The sockets are replaced on the next attempt; a Down link ignores their readiness.
        if was == State::Up {
            self.out.push_back(Out::Down);
        }
    }

    fn close_sockets(&mut self, registry: &Registry) {
        // Dropping a CtrlSocket unlinks its path.
        if let Some(mut s) = self.cmd.take() {
            let _ = registry.deregister(&mut s);
        }
        if let Some(mut s) = self.evt.take() {
            let _ = registry.deregister(&mut s);
        }
    }

    /// Next output that does not borrow the receive buffer (state changes, timeouts,
    /// dropped requests). Drain after every call into the link.
    pub fn poll_out(&mut self) -> Option<Out<'static>> {
        self.out.pop_front()
    }

    /// Reads one datagram from the command socket. `None` when there is nothing more.
    pub fn recv_cmd<'b>(&mut self, buf: &'b mut [u8], now: Instant) -> Option<Out<'b>> {
        loop {
            if self.state == State::Down {
                return None;
            }
            let r = match self.cmd.as_mut()?.recv_into(buf) {
                Ok(r) => r,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return None,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.fail(now, &format_args!("recv: {e}"));
                    return None;
                }
            };
            let len = r.len.min(buf.len());
            let usable =
                !r.truncated && buf.first() != Some(&b'<') && Reply::parse(&buf[..len]).is_ok();
            if !usable {
                self.counters.garbage += 1;
                continue;
            }
            let Some(f) = self.in_flight.take() else {
                self.counters.garbage += 1; // nobody asked
                continue;
            };
            self.timeouts_in_row = 0;
            self.last_cmd = now;
            self.pump(now);
            if f.purpose == Purpose::Ping {
                continue;
            }
            return Reply::parse(&buf[..len])
                .ok()
                .map(|r| Out::Reply(f.purpose, r));
        }
    }

    /// Reads one datagram from the event socket. `None` when there is nothing more.
    pub fn recv_evt<'b>(&mut self, buf: &'b mut [u8], now: Instant) -> Option<Out<'b>> {
        loop {
            if self.state == State::Down {
                return None;
            }
            let r = match self.evt.as_mut()?.recv_into(buf) {
                Ok(r) => r,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return None,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.fail(now, &format_args!("event recv: {e}"));
                    return None;
                }
            };
            self.last_evt = now;
            let n = r.len.min(buf.len());
            if r.truncated {
                self.counters.garbage += 1;
                continue;
            }
            if buf.first() == Some(&b'<') {
                self.counters.events += 1;
                return Some(Out::Event(&buf[..n]));
            }
            // A reply to ATTACH / LEVEL on the event socket.
            let reply = Reply::parse(&buf[..n]).unwrap_or(Reply::Text(""));
            match (self.evt_req.take(), reply) {
                (Some((EvtReq::Attach, _)), Reply::Ok) => return Some(self.attached(now)),
                (Some((EvtReq::Check, _)), Reply::Ok) => {}
                (Some((EvtReq::Check, _)), Reply::Fail) => {
                    warn!(
                        "{}: hostapd had dropped our event monitor; re-attaching",
                        self.iface
                    );
                    self.counters.reattaches += 1;
                    self.evt_send(now, "ATTACH", EvtReq::Attach);
                }
                (Some((EvtReq::Attach, _)), _) => self.fail(now, &"ATTACH refused"),
                (req, _) => {
                    self.evt_req = req;
                    self.counters.garbage += 1;
                }
            }
        }
    }

    fn attached(&mut self, now: Instant) -> Out<'static> {
        let reattach = self.state == State::Up;
        self.state = State::Up;
        self.backoff = BACKOFF_MIN;
        self.attempts = 0;
        self.last_cmd = now;
        if reattach {
            return Out::Reattached;
        }
        self.counters.connects += 1;
        if let Some(since) = self.down_since.take() {
            info!(
                "{}: hostapd reachable again after {}s",
                self.iface,
                now.duration_since(since).as_secs()
            );
        } else {
            info!("{}: attached to hostapd", self.iface);
        }
        Out::Up
    }

    /// Clean stop: DETACH (best effort, not awaited), close and unlink both sockets.
    pub fn shutdown(&mut self, registry: &Registry) {
        if let Some(s) = &self.evt {
            if self.state != State::Down {
                let _ = s.send_bytes(b"DETACH");
            }
        }
        self.close_sockets(registry);
        self.state = State::Down;
    }
}

#[cfg(test)]
mod tests {
    //! The link's own rules against a local datagram peer standing where hostapd's socket is.
    //! The real hostapd is exercised in the lab (tests/lab/scenarios/daemon_sync.sh: kill,
    //! restart, SIGSTOP, deleted sockets); these cover what the lab cannot provoke: garbage and
    //! unsolicited datagrams (a third party cannot send any: the kernel refuses datagrams to a
    //! connected socket from anyone but its peer), a reply after its deadline, and the exact
    //! back-off sequence.
    use super::*;
    use std::os::unix::net::UnixDatagram as StdDatagram;

    struct Dirs(PathBuf);
    impl Dirs {
        fn new(tag: &str) -> Dirs {
            let d = std::env::temp_dir().join(format!("roamer-link-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(d.join("ctrl")).unwrap();
            std::fs::create_dir_all(d.join("run")).unwrap();
            Dirs(d)
        }
    }
    impl Drop for Dirs {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn link(d: &Dirs, now: Instant) -> Link {
        let t = (Duration::from_millis(200), Duration::from_secs(30));
        Link::new(
            "wlan9",
            &d.0.join("ctrl"),
            &d.0.join("run"),
            (Token(1), Token(2)),
            t,
            now,
        )
    }

    /// Receives one datagram at the fake hostapd, returning its text and sender path.
    fn serve(s: &StdDatagram) -> (String, PathBuf) {
        let mut b = [0u8; 256];
        let (n, addr) = s.recv_from(&mut b).unwrap();
        let path = addr.as_pathname().unwrap().to_path_buf();
        (String::from_utf8_lossy(&b[..n]).into_owned(), path)
    }

    #[test]
    fn garbage_is_counted_and_late_replies_never_match() {
        let d = Dirs::new("garbage");
        let hostapd = StdDatagram::bind(d.0.join("ctrl/wlan9")).unwrap();
        hostapd
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let poll = mio::Poll::new().unwrap();
        let t0 = Instant::now();
        let mut l = link(&d, t0);
        let mut buf = vec![0u8; 4096];
        l.tick(poll.registry(), t0);
        assert_eq!(l.state(), State::Attaching);
        let (text, evt_path) = serve(&hostapd);
        assert_eq!(text, "ATTACH");
        hostapd.send_to(b"OK\n", &evt_path).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        assert!(matches!(l.recv_evt(&mut buf, t0), Some(Out::Up)));

        // A request that is answered only after its deadline.
        assert!(l.request(&Command::Status, Purpose::Status, t0));
        let (text, cmd_path) = serve(&hostapd);
        assert_eq!(text, "STATUS");
        l.tick(poll.registry(), t0 + Duration::from_millis(250));
        assert!(matches!(l.poll_out(), Some(Out::Timeout(Purpose::Status))));
        assert_eq!(
            l.state(),
            State::Up,
            "one timeout does not take the link down"
        );
        // The late reply goes to the old path, which the re-bind removed.
        assert!(hostapd.send_to(b"state=ENABLED\n", &cmd_path).is_err());

        // A third party cannot even reach the sockets: they are connected to hostapd's, and
        // the kernel refuses datagrams from anyone else.
        let other = StdDatagram::unbound().unwrap();
        assert!(other.send_to(b"x", &evt_path).is_err());
        // Garbage from the peer itself (unparsable, unsolicited, an event on the command
        // socket), then a real request and its reply.
        assert!(l.request(&Command::ShowNeighbor, Purpose::ShowNeighbor, t0));
        let (text, new_cmd_path) = serve(&hostapd);
        assert_eq!(text, "SHOW_NEIGHBOR");
        assert_ne!(new_cmd_path, cmd_path);
        hostapd
            .send_to(b"<3>AP-STA-CONNECTED 02:00:00:00:05:00", &new_cmd_path)
            .unwrap();
        hostapd
            .send_to(&[0xff, 0xfe, 0x00, 0x80], &new_cmd_path)
            .unwrap();
        hostapd.send_to(&[0xff, 0xfe], &evt_path).unwrap();
        hostapd.send_to(b"", &new_cmd_path).unwrap(); // empty table: a valid reply
        std::thread::sleep(Duration::from_millis(20));
        match l.recv_cmd(&mut buf, t0) {
            Some(Out::Reply(Purpose::ShowNeighbor, Reply::Empty)) => {}
            other => panic!("{other:?}"),
        }
        // An unsolicited reply-looking datagram with nothing in flight is dropped too.
        hostapd.send_to(b"OK\n", &new_cmd_path).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        assert!(l.recv_cmd(&mut buf, t0).is_none());
        // The event socket passes event datagrams on; the garbage one was dropped.
        hostapd.send_to(b"<3>AP-ENABLED", &evt_path).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        match l.recv_evt(&mut buf, t0) {
            Some(Out::Event(e)) => assert_eq!(e, b"<3>AP-ENABLED"),
            other => panic!("{other:?}"),
        }
        assert_eq!(l.counters.garbage, 4, "{:?}", l.counters);
        assert_eq!(l.state(), State::Up);

        // Clean stop: DETACH reaches hostapd, both client sockets are unlinked.
        l.shutdown(poll.registry());
        assert_eq!(serve(&hostapd).0, "DETACH");
        let left: Vec<_> = std::fs::read_dir(d.0.join("run"))
            .unwrap()
            .flatten()
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn backoff_doubles_to_the_cap_and_a_new_hostapd_socket_is_tried_at_once() {
        let d = Dirs::new("backoff");
        let poll = mio::Poll::new().unwrap();
        let t0 = Instant::now();
        let mut l = link(&d, t0);
        let mut now = t0;
        let mut attempts_at = Vec::new();
        let mut seen = 0;
        while now <= t0 + Duration::from_secs(62) {
            if now >= l.next_deadline() {
                l.tick(poll.registry(), now);
            }
            if l.attempts != seen {
                seen = l.attempts;
                attempts_at.push(now.duration_since(t0).as_secs());
            }
            assert_eq!(l.state(), State::Down);
            now += Duration::from_millis(250);
        }
        // Attempts at 0, +1, +2, +4, +8, +16, +30 s: doubling back-off capped at 30 s.
        assert_eq!(attempts_at, [0, 1, 3, 7, 15, 31, 61]);
        // hostapd comes back (its socket appears): tried within a second, not after the
        // remaining ~29 s of back-off.
        let hostapd = StdDatagram::bind(d.0.join("ctrl/wlan9")).unwrap();
        let back = now;
        while l.state() == State::Down && now < back + Duration::from_secs(5) {
            if now >= l.next_deadline() {
                l.tick(poll.registry(), now);
            }
            now += Duration::from_millis(250);
        }
        assert_eq!(l.state(), State::Attaching);
        assert!(now.duration_since(back) <= PROBE + Duration::from_millis(250));
        hostapd
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        assert_eq!(serve(&hostapd).0, "ATTACH");
        l.shutdown(poll.registry());
        drop(hostapd);
        assert!(!l.request(&Command::Ping, Purpose::Ping, now));
        assert!(matches!(l.poll_out(), Some(Out::Dropped(Purpose::Ping))));
        // The queue is bounded even when the link is up: covered by QUEUE_CAP in request().
        assert!(std::fs::read_dir(d.0.join("run")).unwrap().next().is_none());
    }
}
