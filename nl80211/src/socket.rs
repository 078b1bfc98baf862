//! The only I/O of the crate: generic netlink sockets (via `neli::socket::NlSocket`), all
//! non-blocking.
//!
//! - [`Client`]: a request queue over one socket for the daemon's `mio` loop. `submit` a
//!   [`Request`], and on every readable event call [`Client::on_readable`], then drain
//!   [`Client::poll_completion`]. It resolves the family itself (again after ENOENT/EINVAL,
//!   i.e. after cfg80211 was reloaded), repeats interrupted dumps, and reads every dump to its
//!   end.
//! - [`Nl80211`]: the blocking one-shot API on top of a `Client` (waits with a private
//!   `mio::Poll` and a timeout, so it never hangs forever).
//! - [`EventSocket`]: a separate socket subscribed to the `mlme` group yielding
//!   [`StationEvent`]s, and [`Event::Lost`] when the kernel dropped events (ENOBUFS).

use std::collections::VecDeque;
use std::io;
use std::os::unix::io::{AsRawFd, RawFd};
use std::time::{Duration, Instant};

use byteorder::NativeEndian;
use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Registry, Token};
use neli::consts::socket::{Msg, NlFamily};
use neli::socket::NlSocket;
use neli::utils::Groups;

use crate::error::{Error, KernelError};
use crate::event::{decode_station_event, StationEvent};
use crate::exchange::{Exchange, Request, Response, Step};
use crate::family::{Family, MLME_GROUP, NL80211_FAMILY};
use crate::interface::Interface;
use crate::message::{classify, messages, Reply};
use crate::station::Station;
use crate::wiphy::WiphyFacts;

/// Host byte order: what the kernel uses on the machine we run on.
pub type Host = NativeEndian;

/// Receive buffer size. The kernel sizes dump datagrams up to 32 KiB (PROTOCOL.md B.7.4);
/// twice that leaves room for non-dump replies. `MSG_TRUNC` detects anything larger.
pub const RECV_BUF_LEN: usize = 65536;
/// `SO_RCVBUF` for the event socket (what hostapd uses).
pub const EVENT_SO_RCVBUF: usize = 262_144;
/// How often an interrupted dump is repeated before giving up with [`Error::Interrupted`].
pub const MAX_DUMP_RESTARTS: u32 = 5;
/// Default timeout of the blocking calls.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

const ENOENT: i32 = 2;
const EINVAL: i32 = 22;
const EBUSY: i32 = 16;
const ENOBUFS: i32 = 105;

struct Sock {
    sock: NlSocket,
    buf: Vec<u8>,
}

impl Sock {
    fn open(groups: &[u32], rcvbuf: Option<usize>) -> io::Result<Sock> {
        let sock = NlSocket::connect(NlFamily::Generic, None, Groups::empty())?;
        sock.nonblock()?;
        // Extended ack gives error strings; old kernels refuse the option: ignore that.
        let _ = sock.enable_ext_ack(true);
        if let Some(n) = rcvbuf {
            sock.set_recv_buffer_size(n)?;
        }
        if !groups.is_empty() {
            // NETLINK_ADD_MEMBERSHIP per group id (not the 32-bit bind bitmask).
            sock.add_mcast_membership(Groups::new_groups(groups))?;
        }
        Ok(Sock {
            sock,
            buf: vec![0; RECV_BUF_LEN],
        })
    }

    fn send(&self, bytes: &[u8]) -> Result<(), Error> {
        loop {
            match self.sock.send(bytes, Msg::empty()) {
                Ok(n) if n == bytes.len() => return Ok(()),
                Ok(n) => {
                    return Err(Error::Io(io::Error::new(
                        io::ErrorKind::WriteZero,
                        format!("netlink send: {n} of {} bytes", bytes.len()),
                    )))
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::Io(e)),
            }
        }
    }

    /// One datagram into `self.buf`: `Ok(Some(len))`, `Ok(None)` on WouldBlock.
    fn recv(&mut self) -> Result<Option<usize>, Error> {
        loop {
            match self.sock.recv(&mut self.buf[..], Msg::TRUNC) {
                Ok((n, _)) if n > self.buf.len() => return Err(Error::RecvTruncated { len: n }),
                Ok((n, _)) => return Ok(Some(n)),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::Io(e)),
            }
        }
    }
}

/// Identifies a submitted request in [`Completion`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ticket(pub u64);

/// A finished request.
#[derive(Debug)]
pub struct Completion {
    /// The ticket `submit` returned.
    pub ticket: Ticket,
    /// The answer.
    pub result: Result<Response, Error>,
}

struct Queued {
    ticket: Ticket,
    req: Request,
    restarts: u32,
    /// Set after a family-looking error: (family id used, the error), so that the request is
    /// retried once after re-resolving, and the error reported if the id did not change.
    retried: Option<(u16, KernelError)>,
}

struct InFlight {
    /// `None` for an internal family resolution.
    job: Option<Queued>,
    ex: Exchange,
}

/// Non-blocking nl80211 request client for a `mio` loop (see the module docs).
pub struct Client {
    sock: Sock,
    family: Option<Family>,
    seq: u32,
    next_ticket: u64,
    queue: VecDeque<Queued>,
    current: Option<InFlight>,
    done: VecDeque<Completion>,
}

impl Client {
    /// Opens the socket. The family is resolved with the first request.
    pub fn new() -> Result<Client, Error> {
        Ok(Client {
            sock: Sock::open(&[], None)?,
            family: None,
            // Start from a time-derived number so replies to a previous process are not taken
            // for ours (the port id differs anyway).
            seq: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as u32)
                .unwrap_or(1),
            next_ticket: 1,
            queue: VecDeque::new(),
            current: None,
            done: VecDeque::new(),
        })
    }

    /// The resolved nl80211 family, once known.
    pub fn family(&self) -> Option<&Family> {
        self.family.as_ref()
    }

    /// Queues `req`; it is sent as soon as the socket is free (the kernel runs one dump per
    /// socket at a time). Returns the ticket its [`Completion`] will carry.
    pub fn submit(&mut self, req: Request) -> Result<Ticket, Error> {
        let ticket = Ticket(self.next_ticket);
        self.next_ticket += 1;
        self.queue.push_back(Queued {
            ticket,
            req,
            restarts: 0,
            retried: None,
        });
        self.kick()?;
        Ok(ticket)
    }

    /// Forgets every queued and in-flight request (late replies are then ignored by their
    /// sequence numbers). The daemon calls this when a request exceeded its deadline.
    pub fn cancel_all(&mut self) {
        self.queue.clear();
        self.current = None;
    }

    /// True if nothing is queued or in flight.
    pub fn is_idle(&self) -> bool {
        self.current.is_none() && self.queue.is_empty()
    }

    /// Reads every datagram available (until WouldBlock) and feeds the messages to the
    /// request in flight. Call on every readable event, then drain [`Client::poll_completion`].
    pub fn on_readable(&mut self) -> Result<(), Error> {
        while let Some(n) = self.sock.recv()? {
            // At most one step finishes the exchange per datagram: the rest is ignored.
            let mut step = None;
            if let Some(cur) = self.current.as_mut() {
                for m in messages::<Host>(&self.sock.buf[..n]) {
                    match m {
                        Ok(m) => match cur.ex.feed::<Host>(&m) {
                            Step::Pending => {}
                            s => {
                                step = Some(s);
                                break;
                            }
                        },
                        Err(e) => {
                            step = Some(Step::Done(Err(e.into())));
                            break;
                        }
                    }
                }
            }
            if let Some(s) = step {
                self.finish_current(s)?;
            }
        }
        Ok(())
    }

    /// The next finished request, if any.
    pub fn poll_completion(&mut self) -> Option<Completion> {
        self.done.pop_front()
    }

    /// Queues the answer of a request (one place for every outcome).
    #[inline(never)]
    fn complete(&mut self, ticket: Ticket, result: Result<Response, Error>) {
        self.done.push_back(Completion { ticket, result });
    }

    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1).max(1);
        self.seq
    }

    fn kick(&mut self) -> Result<(), Error> {
        while self.current.is_none() {
            let Some(head) = self.queue.front() else {
                return Ok(());
            };
            let direct = matches!(head.req, Request::Family(_)) || self.family.is_some();
            let seq = self.next_seq();
            let (job, req) = if direct {
                let Some(job) = self.queue.pop_front() else {
                    return Ok(());
                };
                let req = job.req.clone();
                (Some(job), req)
            } else {
                // Resolve the family first; the head request waits in the queue.
                (None, Request::Family(NL80211_FAMILY.into()))
            };
            let family_id = self.family.as_ref().map(|f| f.id).unwrap_or(0);
            let bytes = req.encode::<Host>(family_id, seq);
            match self.sock.send(&bytes) {
                Ok(()) => {
                    self.current = Some(InFlight {
                        job,
                        ex: Exchange::new(req, seq),
                    })
                }
                Err(e) => {
                    // Report the failure on the request it concerns and go on.
                    let Some(job) = job.or_else(|| self.queue.pop_front()) else {
                        return Err(e);
                    };
                    self.complete(job.ticket, Err(e));
                }
            }
        }
        Ok(())
    }

    #[inline(never)]
    fn finish_current(&mut self, step: Step) -> Result<(), Error> {
        let Some(InFlight { job, .. }) = self.current.take() else {
            return Ok(());
        };
        match (job, step) {
            (_, Step::Pending) => {}
            // internal family resolution
            (None, Step::Done(Ok(Response::Family(f)))) => {
                log::debug!("nl80211 family id {} groups {:?}", f.id, f.groups);
                let new_id = f.id;
                self.family = Some(f);
                // A request that failed with a family-looking error under the same id: the
                // error was real, report it.
                if let Some(head) = self.queue.front() {
                    if matches!(&head.retried, Some((old, _)) if *old == new_id) {
                        if let Some(j) = self.queue.pop_front() {
                            let e = j.retried.map(|(_, e)| e).unwrap_or(KernelError {
                                errno: ENOENT,
                                msg: None,
                                offset: None,
                            });
                            self.complete(j.ticket, Err(Error::Kernel(e)));
                        }
                    }
                }
            }
            (None, Step::Done(r)) => {
                let e = match r {
                    Err(Error::Kernel(k)) if k.errno == ENOENT => Error::NoFamily,
                    Err(e) => e,
                    Ok(_) => Error::NoFamily,
                };
                if let Some(j) = self.queue.pop_front() {
                    self.complete(j.ticket, Err(e));
                }
            }
            (None, Step::Restart) => {}
            (Some(j), Step::Done(result)) if matches!(j.req, Request::Family(_)) => {
                let result = match result {
                    Ok(Response::Family(f)) => {
                        self.family = Some(f.clone());
                        Ok(Response::Family(f))
                    }
                    Err(Error::Kernel(k)) if k.errno == ENOENT => Err(Error::NoFamily),
                    r => r,
                };
                self.complete(j.ticket, result);
            }
            // EBUSY: the socket still had an abandoned dump running (after cancel_all); it is
            // drained by on_readable, so asking again shortly succeeds. Counted as a restart.
            (Some(mut j), Step::Restart)
            | (Some(mut j), Step::Done(Err(Error::Kernel(KernelError { errno: EBUSY, .. })))) => {
                j.restarts += 1;
                if j.restarts > MAX_DUMP_RESTARTS {
                    self.complete(j.ticket, Err(Error::Interrupted));
                } else {
                    log::debug!("nl80211 dump interrupted, repeating ({})", j.restarts);
                    self.queue.push_front(j);
                }
            }
            (Some(mut j), Step::Done(Err(Error::Kernel(k))))
                if (k.errno == ENOENT || k.errno == EINVAL)
                    && j.retried.is_none()
                    && !matches!(j.req, Request::Family(_)) =>
            {
                // Maybe the family went away and came back with another id: re-resolve, retry.
                let id = self.family.as_ref().map(|f| f.id).unwrap_or(0);
                self.family = None;
                j.retried = Some((id, k));
                self.queue.push_front(j);
            }
            (Some(j), Step::Done(result)) => {
                self.complete(j.ticket, result);
            }
        }
        self.kick()
    }
}

impl AsRawFd for Client {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.sock.as_raw_fd()
    }
}

impl mio::event::Source for Client {
    fn register(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        SourceFd(&self.as_raw_fd()).register(registry, token, interests)
    }
    fn reregister(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        SourceFd(&self.as_raw_fd()).reregister(registry, token, interests)
    }
    fn deregister(&mut self, registry: &Registry) -> io::Result<()> {
        SourceFd(&self.as_raw_fd()).deregister(registry)
    }
}

/// Blocking one-shot nl80211 access (CLI commands, start-up).
pub struct Nl80211 {
    client: Client,
    poll: Poll,
    events: Events,
    timeout: Duration,
}

impl Nl80211 {
    /// Opens a socket and resolves the nl80211 family (fails with [`Error::NoFamily`] if
    /// cfg80211 is not loaded).
    pub fn connect() -> Result<Nl80211, Error> {
        let mut client = Client::new()?;
        let poll = Poll::new()?;
        poll.registry()
            .register(&mut client, Token(0), Interest::READABLE)?;
        let mut n = Nl80211 {
            client,
            poll,
            events: Events::with_capacity(4),
            timeout: DEFAULT_TIMEOUT,
        };
        n.resolve()?;
        Ok(n)
    }

    /// Changes the timeout of each blocking call (default [`DEFAULT_TIMEOUT`]).
    pub fn set_timeout(&mut self, t: Duration) {
        self.timeout = t;
    }

    /// The resolved family (id and multicast groups).
    pub fn family(&self) -> Option<&Family> {
        self.client.family()
    }

    /// Resolves the family again (after cfg80211 was reloaded).
    pub fn resolve(&mut self) -> Result<Family, Error> {
        match self.run(Request::Family(NL80211_FAMILY.into()))? {
            Response::Family(f) => Ok(f),
            _ => Err(Error::NoFamily),
        }
    }

    /// `iw dev X station dump`.
    pub fn stations(&mut self, ifindex: u32) -> Result<Vec<Station>, Error> {
        match self.run(Request::Stations { ifindex })? {
            Response::Stations(v) => Ok(v),
            _ => Err(Error::NotFound),
        }
    }

    /// `iw dev X station get MAC`.
    pub fn station(&mut self, ifindex: u32, mac: [u8; 6]) -> Result<Station, Error> {
        match self.run(Request::Station { ifindex, mac })? {
            Response::Station(s) => Ok(*s),
            _ => Err(Error::NotFound),
        }
    }

    /// `iw dev X info`.
    pub fn interface(&mut self, ifindex: u32) -> Result<Interface, Error> {
        match self.run(Request::Interface { ifindex })? {
            Response::Interface(i) => Ok(i),
            _ => Err(Error::NotFound),
        }
    }

    /// `iw dev` (every interface with a netdev).
    pub fn interfaces(&mut self) -> Result<Vec<Interface>, Error> {
        match self.run(Request::Interfaces)? {
            Response::Interfaces(v) => Ok(v),
            _ => Err(Error::NotFound),
        }
    }

    /// `iw phy phyN info` (the facts roamer uses).
    pub fn wiphy(&mut self, index: u32) -> Result<WiphyFacts, Error> {
        match self.run(Request::Wiphy { index })? {
            Response::Wiphy(w) => Ok(w),
            _ => Err(Error::NotFound),
        }
    }

    /// Sends `req` and waits for its answer.
    pub fn run(&mut self, req: Request) -> Result<Response, Error> {
        let ticket = self.client.submit(req)?;
        let deadline = Instant::now() + self.timeout;
        loop {
            while let Some(c) = self.client.poll_completion() {
                if c.ticket == ticket {
                    return c.result;
                }
            }
            let now = Instant::now();
            if now >= deadline {
                self.client.cancel_all();
                return Err(Error::Io(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "nl80211: no answer",
                )));
            }
            match self.poll.poll(&mut self.events, Some(deadline - now)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
            if let Err(e) = self.client.on_readable() {
                self.client.cancel_all();
                return Err(e);
            }
        }
    }
}

/// `if_nametoindex(3)`.
pub fn ifindex_by_name(name: &str) -> Result<u32, Error> {
    nix::net::if_::if_nametoindex(name).map_err(|_| Error::NoSuchInterface(name.to_owned()))
}

/// What the event socket yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A station event.
    Station(StationEvent),
    /// The kernel dropped events (ENOBUFS on the socket): re-dump the stations.
    Lost,
}

/// A socket subscribed to the nl80211 `mlme` group (non-blocking; implements
/// `mio::event::Source`).
///
/// If cfg80211 is reloaded the subscription is gone: when [`Nl80211::resolve`] /
/// [`Client::family`] report a different family id than [`EventSocket::family`], open a new
/// one.
pub struct EventSocket {
    sock: Sock,
    family: Family,
    pending: VecDeque<Event>,
}

impl EventSocket {
    /// Resolves the family (blocking, once) and subscribes to `mlme`.
    pub fn connect() -> Result<EventSocket, Error> {
        let family = Nl80211::connect()?.resolve()?;
        Self::with_family(family)
    }

    /// Subscribes to `mlme` of an already resolved family.
    pub fn with_family(family: Family) -> Result<EventSocket, Error> {
        let gid = family.group(MLME_GROUP).ok_or(Error::NoGroup(MLME_GROUP))?;
        let sock = Sock::open(&[gid], Some(EVENT_SO_RCVBUF))?;
        Ok(EventSocket {
            sock,
            family,
            pending: VecDeque::new(),
        })
    }

    /// Changes `SO_RCVBUF` (default [`EVENT_SO_RCVBUF`]; the kernel doubles the value and caps
    /// it at `net.core.rmem_max`).
    pub fn set_recv_buffer_size(&self, bytes: usize) -> Result<(), Error> {
        Ok(self.sock.sock.set_recv_buffer_size(bytes)?)
    }

    /// The family this socket subscribed with.
    pub fn family(&self) -> &Family {
        &self.family
    }

    /// The next event, or `Ok(None)` when the socket has nothing more (WouldBlock). Call it
    /// until `None` on every readable event. Messages of other commands of the group are
    /// skipped; undecodable ones are logged and skipped.
    pub fn next_event(&mut self) -> Result<Option<Event>, Error> {
        loop {
            if let Some(e) = self.pending.pop_front() {
                return Ok(Some(e));
            }
            let n = match self.sock.recv() {
                Ok(Some(n)) => n,
                Ok(None) => return Ok(None),
                Err(Error::Io(e)) if e.raw_os_error() == Some(ENOBUFS) => {
                    return Ok(Some(Event::Lost))
                }
                Err(Error::RecvTruncated { len }) => {
                    log::warn!("nl80211 event of {len} bytes truncated");
                    return Ok(Some(Event::Lost));
                }
                Err(e) => return Err(e),
            };
            decode_events(&self.sock.buf[..n], self.family.id, &mut self.pending);
        }
    }
}

/// Decodes the station events in one datagram of the event socket (host order).
fn decode_events(buf: &[u8], family_id: u16, out: &mut VecDeque<Event>) {
    for m in messages::<Host>(buf) {
        let m = match m {
            Ok(m) => m,
            Err(e) => {
                log::warn!("nl80211 event datagram: {e}");
                return;
            }
        };
        if m.header.kind != family_id {
            continue;
        }
        match classify::<Host>(&m)
            .map_err(Error::from)
            .and_then(|r| match r {
                Reply::Data(g) => decode_station_event::<Host>(&g).map_err(Error::from),
                _ => Ok(None),
            }) {
            Ok(Some(ev)) => out.push_back(Event::Station(ev)),
            Ok(None) => {}
            Err(e) => log::warn!("nl80211 event: {e}"),
        }
    }
}

impl AsRawFd for EventSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.sock.as_raw_fd()
    }
}

impl mio::event::Source for EventSocket {
    fn register(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        SourceFd(&self.as_raw_fd()).register(registry, token, interests)
    }
    fn reregister(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        SourceFd(&self.as_raw_fd()).reregister(registry, token, interests)
    }
    fn deregister(&mut self, registry: &Registry) -> io::Result<()> {
        SourceFd(&self.as_raw_fd()).deregister(registry)
    }
}
