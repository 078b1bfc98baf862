//! `roamer run`: the single-threaded `mio` event loop.
//!
//! One process manages every hostapd BSS of one access point (a dual-band AP is one roamer
//! with wlan0 and wlan1). Inputs, all non-blocking and registered with one `mio::Poll`:
//! - per BSS a [`link::Link`]: command socket + ATTACHed event socket to hostapd;
//! - one nl80211 request [`nl80211::Client`] (station dumps every `poll_interval`,
//!   interface and wiphy facts) and one nl80211 `mlme` [`nl80211::EventSocket`]
//!   (NEW/DEL_STATION; ENOBUFS triggers a re-dump);
//! - a signalfd for SIGTERM/SIGINT (clean stop) and SIGHUP (reload) ([`signals`]);
//! - the root-only state socket that `roamer state` reads ([`state`]).
//!
//! Everything the daemon observes becomes a [`policy::Input`]; every [`policy::Action`]
//! becomes a hostapd command (REQ_BEACON, BSS_TM_REQ, DEAUTHENTICATE) on the client's BSS.
//! Neighbor tables are kept in sync by [`neighbors`].
//!
//! Timers: every component keeps its own deadlines (a link its reconnect / request / silence
//! deadlines, a BSS its next dump and next neighbor sync, the policy its `poll_timeout`);
//! the loop sleeps until the earliest of them. With a handful of BSSs this scan is cheaper
//! and simpler than a shared heap (no stale entries to cancel).
//!
//! Memory stays flat: one fixed receive buffer, bounded request queues, bounded client maps
//! (`max_clients`), departed clients forgotten after `forget_after_s`.

/// The daemon's log lines go through one out-of-line call ([`log_at`]) instead of the `log`
/// macros' inline level check and record set-up at each of the ~50 call sites. The text is the
/// same (the logger prints the level and the message, nothing else of the record).
macro_rules! error { ($($a:tt)*) => { $crate::daemon::log_at(log::Level::Error, format_args!($($a)*)) } }
macro_rules! warn { ($($a:tt)*) => { $crate::daemon::log_at(log::Level::Warn, format_args!($($a)*)) } }
macro_rules! info { ($($a:tt)*) => { $crate::daemon::log_at(log::Level::Info, format_args!($($a)*)) } }
macro_rules! debug { ($($a:tt)*) => { $crate::daemon::log_at(log::Level::Debug, format_args!($($a)*)) } }

pub mod depart;
mod hostapd;
pub mod link;
pub mod neighbors;
mod render;
pub mod signals;
pub mod state;

use std::io;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Token};

use crate::config::Config;
use crate::logger;
use crate::policy::vecmap::VecMap;
use crate::policy::{self, Policy, RadioId};
use crate::radio::LocalBss;

pub use state::state_cmd;

const TOKEN_SIGNALS: Token = Token(0);
const TOKEN_NL: Token = Token(1);
const TOKEN_NL_EVENTS: Token = Token(2);
const STATE_BASE: usize = 10;
const BSS_BASE: usize = 100;
/// Most BSSs one process manages.
pub const MAX_BSS: usize = 32;
/// Receive buffer for hostapd datagrams (events can exceed 4 KiB, PROTOCOL.md A.4).
const RECV_BUF: usize = 16 * 1024;
/// How often `ctrl_dir` is rescanned when no `iface` list is configured.
const DISCOVERY_INTERVAL: Duration = Duration::from_secs(5);
/// Deadline of one nl80211 request.
const NL_DEADLINE: Duration = Duration::from_secs(3);
/// How often departed clients are swept.
const SWEEP_INTERVAL: Duration = Duration::from_secs(30);
/// How soon a BSS is dumped again when its last dump could not give the whole picture: one was
/// asked for while another was in flight, or the kernel listed a station not yet authorized
/// (hostapd reports AP-STA-CONNECTED just before it sets the kernel's authorized flag, so the
/// dump that event triggers can miss it). Never later than the next regular poll.
const DUMP_RECHECK: Duration = Duration::from_millis(300);

/// When a BSS whose dump was incomplete at `now` is dumped again.
fn recheck_at(now: Instant, poll_interval: Duration) -> Instant {
    now + DUMP_RECHECK.min(poll_interval)
}

/// What roamer shows about one client.
#[derive(Debug, Clone, Default)]
struct ClientView {
    /// BSS slot it is on (None: departed).
    radio: Option<usize>,
    signal: Option<i8>,
    signal_avg: Option<i8>,
    inactive_ms: u32,
    connected_s: u32,
    rx_packets: u64,
    /// "No candidate" was logged and nothing else decisive happened since.
    no_candidate_logged: bool,
    /// Last decision / event text and when.
    last: Option<(Instant, String)>,
    left_at: Option<Instant>,
    measurements: u32,
    decisions: u32,
    steered: u32,
    failed: u32,
}

/// What an nl80211 request was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NlJob {
    Dump(usize),
    Iface(usize),
    Wiphy(usize),
}

/// One managed BSS.
struct Bss {
    id: RadioId,
    name: String,
    link: link::Link,
    ifindex: Option<u32>,
    status: Option<ctrl_proto::Status>,
    version: ctrl_proto::HostapdVersion,
    /// `GET version` was queued on this connection (asked once per (re)connect).
    version_asked: bool,
    /// hostapd's answer to `GET version` (None: not answered; STATUS keys decide then).
    version_get: Option<ctrl_proto::HostapdVersion>,
    iface: Option<nl80211::Interface>,
    wiphy: Option<nl80211::WiphyFacts>,
    local: Option<LocalBss>,
    own: Option<ctrl_proto::NeighborEntry>,
    /// When the facts must be (re-)read next: STATUS, then nl80211 interface (+ wiphy).
    facts_at: Option<Instant>,
    facts_busy: bool,
    next_dump: Instant,
    nl_error_logged: bool,
    table: neighbors::Table,
    nbr_due: Option<Instant>,
    nbr_busy: usize,
    /// Counted events per name class.
    steer_requests: u64,
}

/// The daemon.
struct Daemon {
    cfg: Config,
    poll: Poll,
    start: Instant,
    signals: signals::Signals,
    state: state::Server,
    policy: Policy,
    bsses: Vec<Option<Bss>>,
    /// By MAC, in MAC order.
    clients: VecMap<[u8; 6], ClientView>,
    /// Clients that accepted a transition and are polled until they are gone (BSS slot, watch).
    departures: depart::MacMap<(usize, depart::Watch)>,
    /// Clients the departure watch found gone while the kernel still lists them on that BSS
    /// (BSS slot, when): ignored in its station dumps until they vanish from it, reconnect,
    /// or send a frame after that instant (then they were not gone after all).
    ghosts: depart::MacMap<(usize, Instant)>,
    nl: Option<nl80211::Client>,
    nl_jobs: Vec<(nl80211::Ticket, NlJob, Instant)>,
    nl_events: Option<nl80211::EventSocket>,
    nl_retry_at: Instant,
    nl_backoff: Duration,
    nl_down_logged: bool,
    next_discovery: Instant,
    next_sweep: Instant,
    stop: bool,
    reloads: u64,
    stats_lost_events: u64,
}

/// Logs `args` at `level` (see the macros above).
#[inline(never)]
fn log_at(level: log::Level, args: std::fmt::Arguments<'_>) {
    log::log!(level, "{args}");
}

/// Registers descriptor `fd` with `registry`. nl80211's sockets and mio's Unix streams register
/// exactly so themselves (their `Source` impls hand their descriptor to the selector; mio's
/// extra bookkeeping exists in debug builds only); going through `SourceFd` here keeps one
/// instance of mio's generic `register` instead of one per socket type.
pub(crate) fn reg_fd(
    registry: &mio::Registry,
    fd: std::os::fd::RawFd,
    token: Token,
    interest: Interest,
) -> io::Result<()> {
    registry.register(&mut SourceFd(&fd), token, interest)
}

/// Deregisters descriptor `fd` (see [`reg_fd`]).
pub(crate) fn dereg_fd(registry: &mio::Registry, fd: std::os::fd::RawFd) -> io::Result<()> {
    registry.deregister(&mut SourceFd(&fd))
}

fn usage() -> &'static str {
    "usage: roamer run [--config FILE]   (default /etc/config/roamer)"
}

/// `roamer run [--config FILE]`. Returns the exit code: 0 after a clean stop, 1 when it
/// could not start, 2 for bad usage or an invalid configuration (nothing touched then).
pub fn run(args: &[String]) -> i32 {
    let mut path = PathBuf::from(crate::config::DEFAULT_PATH);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--config" | "-c" => match it.next() {
                Some(p) => path = PathBuf::from(p),
                None => {
                    crate::config::say(
                        true,
                        format_args!("roamer run: --config needs a FILE\n{}", usage()),
                    );
                    return 2;
                }
            },
            "--help" | "-h" => {
                crate::config::say(false, format_args!("{}", usage()));
                return 0;
            }
            other => {
                crate::config::say(
                    true,
                    format_args!("roamer run: unknown argument '{other}'\n{}", usage()),
                );
                return 2;
            }
        }
    }
    let cfg = match Config::load(&path) {
        Ok(c) => c,
        Err(e) => {
            crate::config::say(true, format_args!("{e}"));
            return 2;
        }
    };
    logger::init(
        cfg.log_level,
        if cfg.syslog {
            logger::Target::Syslog
        } else {
            logger::Target::Stderr
        },
    );
    let mut d = match Daemon::new(cfg) {
        Ok(d) => d,
        Err(e) => {
            error!("cannot start: {e}");
            return 1;
        }
    };
    let code = d.run();
    log::logger().flush();
    code
}

fn ensure_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o755)
        .create(dir)
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The hostapd sockets in `dir` (their file names), sorted.
fn discover(dir: &Path) -> Vec<String> {
    use std::os::unix::fs::FileTypeExt;
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let Ok(ft) = e.file_type() else { continue };
        let Some(name) = e.file_name().to_str().map(str::to_string) else {
            continue;
        };
        // The global control socket and MLD per-link sockets are not BSSs.
        if !ft.is_socket() || name == "global" || name.contains("_link") || name.len() > 15 {
            continue;
        }
        out.push(name);
    }
    out.sort();
    out
}

impl Daemon {
    #[inline(never)]
    fn new(mut cfg: Config) -> Result<Daemon, String> {
        let now = Instant::now();
        ensure_dir(&cfg.run_dir).map_err(|e| format!("run_dir {}: {e}", cfg.run_dir.display()))?;
        let poll = Poll::new().map_err(|e| format!("epoll: {e}"))?;
        let signals = signals::Signals::new().map_err(|e| format!("signalfd: {e}"))?;
        reg_fd(
            poll.registry(),
            signals.raw_fd(),
            TOKEN_SIGNALS,
            Interest::READABLE,
        )
        .map_err(|e| format!("register signalfd: {e}"))?;
        let state = state::Server::new(&cfg.run_dir, poll.registry(), STATE_BASE)
            .map_err(|e| format!("state socket: {e}"))?;
        // The policy owns its settings (read back through `policy.config()`); `cfg.policy` is
        // left at its default and never read (no copy of the client table to keep in step).
        let policy = Policy::new(std::mem::take(&mut cfg.policy));
        let mut d = Daemon {
            policy,
            poll,
            start: now,
            signals,
            state,
            bsses: Vec::new(),
            clients: VecMap::default(),
            departures: depart::MacMap::default(),
            ghosts: depart::MacMap::default(),
            nl: None,
            nl_jobs: Vec::new(),
            nl_events: None,
            nl_retry_at: now,
            nl_backoff: link::BACKOFF_MIN,
            nl_down_logged: false,
            next_discovery: now,
            next_sweep: now + SWEEP_INTERVAL,
            stop: false,
            reloads: 0,
            stats_lost_events: 0,
            cfg,
        };
        let entries = d.cfg.neighbor_entries();
        d.policy
            .handle(d.pnow(now), policy::Input::Neighbors { entries });
        // (add_bss does not read `ifaces`: lent out instead of cloned.)
        let ifaces = std::mem::take(&mut d.cfg.ifaces);
        for name in &ifaces {
            d.add_bss(name, now);
        }
        d.cfg.ifaces = ifaces;
        info!(
            "roamer {} started: config {}, ctrl_dir {}, run_dir {}, radios: {}{}",
            env!("CARGO_PKG_VERSION"),
            d.cfg.file.display(),
            d.cfg.ctrl_dir.display(),
            d.cfg.run_dir.display(),
            if d.cfg.ifaces.is_empty() {
                "every hostapd socket".to_string()
            } else {
                d.cfg.ifaces.join(" ")
            },
            if d.policy.config().dry_run {
                " (dry run)"
            } else {
                ""
            }
        );
        Ok(d)
    }

    /// The policy's clock: milliseconds since start.
    fn pnow(&self, now: Instant) -> policy::Instant {
        policy::Instant(now.saturating_duration_since(self.start).as_millis() as u64)
    }

    fn to_instant(&self, t: policy::Instant) -> Instant {
        self.start + Duration::from_millis(t.0)
    }

    fn add_bss(&mut self, name: &str, now: Instant) {
        if self.bsses.iter().flatten().any(|b| b.name == name) {
            return;
        }
        let slot = match self.bsses.iter().position(Option::is_none) {
            Some(s) => s,
            None if self.bsses.len() < MAX_BSS => {
                self.bsses.push(None);
                self.bsses.len() - 1
            }
            None => {
                warn!("{name}: not managed: at most {MAX_BSS} BSSs per process");
                return;
            }
        };
        let tokens = (Token(BSS_BASE + 2 * slot), Token(BSS_BASE + 2 * slot + 1));
        let timeouts = (self.cfg.request_timeout, self.cfg.event_silence);
        let link = link::Link::new(
            name,
            &self.cfg.ctrl_dir,
            &self.cfg.run_dir,
            tokens,
            timeouts,
            now,
        );
        info!(
            "{name}: managing hostapd BSS ({}/{name})",
            self.cfg.ctrl_dir.display()
        );
        self.bsses[slot] = Some(Bss {
            id: RadioId(slot as u16),
            name: name.to_string(),
            link,
            ifindex: None,
            status: None,
            version: ctrl_proto::HostapdVersion::V2_10,
            version_asked: false,
            version_get: None,
            iface: None,
            wiphy: None,
            local: None,
            own: None,
            facts_at: Some(now),
            facts_busy: false,
            next_dump: now,
            nl_error_logged: false,
            table: neighbors::Table::load(self.cfg.run_dir.join(format!("neighbors-{name}"))),
            nbr_due: None,
            nbr_busy: 0,
            steer_requests: 0,
        });
    }

    #[inline(never)]
    fn remove_bss(&mut self, slot: usize, now: Instant) {
        if let Some(mut b) = self.bsses.get_mut(slot).and_then(Option::take) {
            info!("{}: no longer managed", b.name);
            b.link.shutdown(self.poll.registry());
            let pnow = self.pnow(now);
            self.policy
                .handle(pnow, policy::Input::RadioGone { radio: b.id });
            self.clients.retain(|_, c| c.radio != Some(slot));
            self.nl_jobs.retain(|(_, j, _)| !matches!(j, NlJob::Dump(s) | NlJob::Iface(s) | NlJob::Wiphy(s) if *s == slot));
            self.mark_all_nbr_due(now);
        }
    }

    fn mark_all_nbr_due(&mut self, now: Instant) {
        for b in self.bsses.iter_mut().flatten() {
            b.nbr_due = Some(b.nbr_due.map_or(now, |d| d.min(now)));
        }
    }

    /// The main loop. Returns the exit code.
    #[inline(never)]
    fn run(&mut self) -> i32 {
        let mut events = Events::with_capacity(64);
        let mut buf = vec![0u8; RECV_BUF];
        while !self.stop {
            let now = Instant::now();
            let timeout = self
                .next_deadline(now)
                .map(|d| d.saturating_duration_since(now));
            if let Err(e) = self.poll.poll(&mut events, timeout) {
                if e.kind() != io::ErrorKind::Interrupted {
                    error!("epoll: {e}");
                    return 1;
                }
            }
            let now = Instant::now();
            for ev in events.iter() {
                self.dispatch(ev.token(), now, &mut buf);
            }
            self.tick(now);
            self.settle(now);
        }
        self.shutdown();
        0
    }

    #[inline(never)]
    fn next_deadline(&self, now: Instant) -> Option<Instant> {
        let mut d = self.next_sweep;
        let mut take = |t: Instant| d = d.min(t);
        if self.cfg.ifaces.is_empty() {
            take(self.next_discovery);
        }
        for b in self.bsses.iter().flatten() {
            take(b.link.next_deadline());
            if b.link.is_up() {
                if let Some(t) = b.facts_at.filter(|_| !b.facts_busy) {
                    take(t);
                }
                if let Some(n) = b.nbr_due {
                    if b.nbr_busy == 0 {
                        take(n);
                    }
                }
                if b.ifindex.is_some() || b.local.is_some() {
                    take(b.next_dump);
                }
            }
        }
        if self.nl.is_none() || self.nl_events.is_none() {
            take(self.nl_retry_at);
        }
        for (_, _, dl) in &self.nl_jobs {
            take(*dl);
        }
        for (_, w) in self.departures.values() {
            take(w.next_deadline());
        }
        if let Some(t) = self.policy.poll_timeout() {
            take(self.to_instant(t));
        }
        if let Some(t) = self.state.next_deadline() {
            take(t);
        }
        Some(d.max(now))
    }

    #[inline(never)]
    fn dispatch(&mut self, token: Token, now: Instant, buf: &mut [u8]) {
        match token {
            TOKEN_SIGNALS => {
                while let Some(req) = self.signals.pending() {
                    match req {
                        signals::Request::Stop(s) => {
                            info!("{s}: stopping");
                            self.stop = true;
                        }
                        signals::Request::Reload => self.reload(now),
                    }
                }
            }
            TOKEN_NL => self.nl_readable(now),
            TOKEN_NL_EVENTS => self.nl_events_readable(now),
            t if self.state.owns(t) => {
                if let Some((conn, format)) = self.state.ready(self.poll.registry(), t, now) {
                    let text = self.render(format, now);
                    self.state.respond(self.poll.registry(), conn, text);
                }
            }
            Token(t) if t >= BSS_BASE => {
                let slot = (t - BSS_BASE) / 2;
                let is_evt = (t - BSS_BASE) % 2 == 1;
                self.bss_readable(slot, is_evt, now, buf);
            }
            _ => {}
        }
    }
}

impl Daemon {
    /// Timer work of every component.
    #[inline(never)]
    fn tick(&mut self, now: Instant) {
        let registry = self.poll.registry();
        for b in self.bsses.iter_mut().flatten() {
            if now >= b.link.next_deadline() {
                b.link.tick(registry, now);
            }
        }
        self.state.expire(self.poll.registry(), now);
        if self.cfg.ifaces.is_empty() && now >= self.next_discovery {
            self.next_discovery = now + DISCOVERY_INTERVAL;
            for name in discover(&self.cfg.ctrl_dir) {
                self.add_bss(&name, now);
            }
        }
        self.nl_tick(now);
        for slot in 0..self.bsses.len() {
            self.bss_tick(slot, now);
        }
        self.depart_tick(now);
        if let Some(t) = self.policy.poll_timeout() {
            if self.to_instant(t) <= now {
                let p = self.pnow(now);
                self.policy.handle_timeout(p);
            }
        }
        if now >= self.next_sweep {
            self.next_sweep = now + SWEEP_INTERVAL;
            let keep = Duration::from_secs(u64::from(self.policy.config().forget_after_s));
            self.clients.retain(|_, c| {
                c.left_at
                    .map_or(true, |t| now.saturating_duration_since(t) < keep)
            });
        }
    }

    /// Carries out everything pending until nothing is: link outputs become policy inputs,
    /// policy actions become hostapd commands (whose immediate failures are link outputs).
    #[inline(never)]
    fn settle(&mut self, now: Instant) {
        for _round in 0..64 {
            let mut progressed = false;
            for slot in 0..self.bsses.len() {
                while let Some(out) = self.bsses[slot].as_mut().and_then(|b| b.link.poll_out()) {
                    progressed = true;
                    self.link_out(slot, out, now);
                }
            }
            while let Some(action) = self.policy.poll_action() {
                progressed = true;
                self.exec_action(action, now);
            }
            if !progressed {
                return;
            }
        }
    }

    fn feed(&mut self, now: Instant, input: policy::Input) {
        let p = self.pnow(now);
        self.policy.handle(p, input);
    }

    /// SIGHUP: load the file again; keep the running configuration if it is invalid.
    #[inline(never)]
    fn reload(&mut self, now: Instant) {
        let new = match Config::load(&self.cfg.file) {
            Ok(c) => c,
            Err(e) => {
                error!(
                    "reload: {} is invalid, keeping the running configuration:\n{e}",
                    self.cfg.file.display()
                );
                return;
            }
        };
        self.reloads += 1;
        if new.run_dir != self.cfg.run_dir || new.ctrl_dir != self.cfg.ctrl_dir {
            warn!(
                "reload: run_dir / ctrl_dir changes take effect after a restart (kept {} / {})",
                self.cfg.run_dir.display(),
                self.cfg.ctrl_dir.display()
            );
        }
        let mut new = new;
        // The running ones are kept (swapped in: `self.cfg` is replaced by `new` below).
        std::mem::swap(&mut new.run_dir, &mut self.cfg.run_dir);
        std::mem::swap(&mut new.ctrl_dir, &mut self.cfg.ctrl_dir);
        logger::configure(
            new.log_level,
            if new.syslog {
                logger::Target::Syslog
            } else {
                logger::Target::Stderr
            },
        );
        self.policy.set_config(std::mem::take(&mut new.policy));
        let entries = new.neighbor_entries();
        self.feed(now, policy::Input::Neighbors { entries });
        for b in self.bsses.iter_mut().flatten() {
            b.link.set_timeouts(new.request_timeout, new.event_silence);
        }
        let old_ifaces = std::mem::take(&mut self.cfg.ifaces);
        self.cfg = new;
        if !self.cfg.ifaces.is_empty() {
            for slot in 0..self.bsses.len() {
                let gone = self.bsses[slot]
                    .as_ref()
                    .is_some_and(|b| !self.cfg.ifaces.contains(&b.name));
                if gone {
                    self.remove_bss(slot, now);
                }
            }
            let ifaces = std::mem::take(&mut self.cfg.ifaces);
            for name in &ifaces {
                self.add_bss(name, now);
            }
            self.cfg.ifaces = ifaces;
        } else if !old_ifaces.is_empty() {
            self.next_discovery = now;
        }
        self.mark_all_nbr_due(now);
        info!("reload: {} applied", self.cfg.file.display());
    }

    /// Clean stop: DETACH and unlink every socket roamer created.
    #[inline(never)]
    fn shutdown(&mut self) {
        let registry = self.poll.registry();
        for b in self.bsses.iter_mut().flatten() {
            b.link.shutdown(registry);
        }
        self.state.close(registry);
        // Remove run_dir if roamer's sockets were all that was in it.
        let _ = std::fs::remove_dir(&self.cfg.run_dir);
        info!("stopped");
    }

    // ------------------------------------------------------------------ nl80211

    /// (`why` is only formatted into the log line.)
    fn nl_fail(&mut self, now: Instant, why: &dyn std::fmt::Display) {
        if !self.nl_down_logged {
            warn!("nl80211 unavailable ({why}); retrying with back-off");
            self.nl_down_logged = true;
        }
        if let Some(c) = self.nl.take() {
            let _ = dereg_fd(self.poll.registry(), c.as_raw_fd());
        }
        if let Some(e) = self.nl_events.take() {
            let _ = dereg_fd(self.poll.registry(), e.as_raw_fd());
        }
        self.nl_jobs.clear();
        for b in self.bsses.iter_mut().flatten() {
            b.facts_busy = false;
        }
        self.nl_retry_at = now + self.nl_backoff;
        self.nl_backoff = (self.nl_backoff * 2).min(link::BACKOFF_MAX);
    }

    #[inline(never)]
    fn nl_tick(&mut self, now: Instant) {
        if (self.nl.is_none() || self.nl_events.is_none()) && now >= self.nl_retry_at {
            let opened =
                nl80211::Client::new().and_then(|c| Ok((c, nl80211::EventSocket::connect()?)));
            match opened {
                Ok((c, e)) => {
                    let r = self.poll.registry();
                    let reg =
                        reg_fd(r, c.as_raw_fd(), TOKEN_NL, Interest::READABLE).and_then(|()| {
                            reg_fd(r, e.as_raw_fd(), TOKEN_NL_EVENTS, Interest::READABLE)
                        });
                    match reg {
                        Ok(()) => {
                            if self.nl_down_logged {
                                info!("nl80211 available again");
                            }
                            self.nl_down_logged = false;
                            self.nl_backoff = link::BACKOFF_MIN;
                            self.nl = Some(c);
                            self.nl_events = Some(e);
                            for b in self.bsses.iter_mut().flatten() {
                                b.next_dump = now;
                                b.facts_at = Some(now);
                            }
                        }
                        Err(err) => self.nl_fail(now, &format_args!("register: {err}")),
                    }
                }
                Err(err) => self.nl_fail(now, &err),
            }
        }
        if self.nl_jobs.iter().any(|(_, _, dl)| now >= *dl) {
            warn!(
                "nl80211: request unanswered for {}s; cancelling",
                NL_DEADLINE.as_secs()
            );
            if let Some(c) = self.nl.as_mut() {
                c.cancel_all();
            }
            for (_, job, _) in std::mem::take(&mut self.nl_jobs) {
                if let NlJob::Iface(s) | NlJob::Wiphy(s) = job {
                    if let Some(b) = self.bsses.get_mut(s).and_then(Option::as_mut) {
                        b.facts_busy = false;
                    }
                }
            }
        }
    }

    fn nl_submit(&mut self, req: nl80211::Request, job: NlJob, now: Instant) -> bool {
        let Some(c) = self.nl.as_mut() else {
            return false;
        };
        if self.nl_jobs.len() >= 4 * MAX_BSS {
            return false;
        }
        match c.submit(req) {
            Ok(t) => {
                self.nl_jobs.push((t, job, now + NL_DEADLINE));
                true
            }
            Err(e) => {
                self.nl_fail(now, &e);
                false
            }
        }
    }

    #[inline(never)]
    fn nl_readable(&mut self, now: Instant) {
        let Some(c) = self.nl.as_mut() else { return };
        if let Err(e) = c.on_readable() {
            self.nl_fail(now, &e);
            return;
        }
        // cfg80211 reloaded: the request client re-resolved a new family id; the event
        // socket's subscription died with the old family. Open a new one.
        let reloaded = match (
            self.nl.as_ref().and_then(|c| c.family()),
            self.nl_events.as_ref(),
        ) {
            (Some(f), Some(e)) => f.id != e.family().id,
            _ => false,
        };
        if reloaded {
            info!("nl80211 family changed (cfg80211 reloaded); re-subscribing to station events");
            if let Some(e) = self.nl_events.take() {
                let _ = dereg_fd(self.poll.registry(), e.as_raw_fd());
            }
            let family = self.nl.as_ref().and_then(|c| c.family()).cloned();
            match family.map(nl80211::EventSocket::with_family) {
                Some(Ok(e)) => {
                    match reg_fd(
                        self.poll.registry(),
                        e.as_raw_fd(),
                        TOKEN_NL_EVENTS,
                        Interest::READABLE,
                    ) {
                        Ok(()) => self.nl_events = Some(e),
                        Err(err) => self.nl_fail(now, &format_args!("register: {err}")),
                    }
                }
                Some(Err(err)) => self.nl_fail(now, &err),
                None => {}
            }
            for b in self.bsses.iter_mut().flatten() {
                b.next_dump = now;
                b.ifindex = None;
            }
        }
        while let Some(done) = self.nl.as_mut().and_then(|c| c.poll_completion()) {
            let Some(pos) = self.nl_jobs.iter().position(|(t, _, _)| *t == done.ticket) else {
                continue;
            };
            let (_, job, _) = self.nl_jobs.swap_remove(pos);
            self.nl_done(job, done.result, now);
        }
    }

    #[inline(never)]
    fn nl_events_readable(&mut self, now: Instant) {
        loop {
            let Some(e) = self.nl_events.as_mut() else {
                return;
            };
            match e.next_event() {
                Ok(None) => return,
                Ok(Some(nl80211::Event::Lost)) => {
                    self.stats_lost_events += 1;
                    // Once at warn: a socket that keeps overflowing must not flood the log;
                    // `roamer state` counts every loss ("lost-event resyncs").
                    if self.stats_lost_events == 1 {
                        warn!("nl80211: station events lost (event socket overflowed, ENOBUFS); re-dumping stations (further losses are counted in `roamer state`)");
                    } else {
                        debug!("nl80211: station events lost (ENOBUFS); re-dumping");
                    }
                    for b in self.bsses.iter_mut().flatten() {
                        b.next_dump = now;
                    }
                }
                Ok(Some(nl80211::Event::Station(ev))) => self.station_event(ev, now),
                Err(err) => {
                    self.nl_fail(now, &format_args!("event socket: {err}"));
                    return;
                }
            }
        }
    }

    fn slot_of_ifindex(&self, ifindex: u32) -> Option<usize> {
        self.bsses
            .iter()
            .position(|b| b.as_ref().is_some_and(|b| b.ifindex == Some(ifindex)))
    }

    #[inline(never)]
    fn station_event(&mut self, ev: nl80211::StationEvent, now: Instant) {
        match ev {
            nl80211::StationEvent::New { ifindex, .. } => {
                // Inserted, not yet authorized: sample it soon (AP-STA-CONNECTED says when
                // it is connected).
                if let Some(b) = self
                    .slot_of_ifindex(ifindex)
                    .and_then(|s| self.bsses[s].as_mut())
                {
                    b.next_dump = b.next_dump.min(now + Duration::from_millis(200));
                }
            }
            nl80211::StationEvent::Del { ifindex, mac } => {
                if let Some(slot) = self.slot_of_ifindex(ifindex) {
                    self.client_left(slot, mac, now);
                }
            }
        }
    }

    fn client_left(&mut self, slot: usize, mac: [u8; 6], now: Instant) {
        if self.departures.get(&mac).is_some_and(|(s, _)| *s == slot) {
            self.departures.remove(&mac);
        }
        let Some(id) = self.bsses.get(slot).and_then(Option::as_ref).map(|b| b.id) else {
            return;
        };
        let was_here = self
            .clients
            .get(&mac)
            .is_some_and(|c| c.radio == Some(slot));
        if was_here {
            if let Some(c) = self.clients.get_mut(&mac) {
                c.radio = None;
                c.left_at = Some(now);
            }
            self.feed(
                now,
                policy::Input::Disconnected {
                    radio: id,
                    sta: policy::Mac(mac),
                },
            );
        }
    }

    #[inline(never)]
    fn nl_done(
        &mut self,
        job: NlJob,
        result: Result<nl80211::Response, nl80211::Error>,
        now: Instant,
    ) {
        let slot = match job {
            NlJob::Dump(s) | NlJob::Iface(s) | NlJob::Wiphy(s) => s,
        };
        let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        match (job, result) {
            (NlJob::Dump(_), Ok(nl80211::Response::Stations(list))) => {
                b.nl_error_logged = false;
                self.stations_dumped(slot, list, now);
            }
            (NlJob::Iface(_), Ok(nl80211::Response::Interface(iface))) => {
                let phy = iface.wiphy;
                b.iface = Some(iface);
                // The wiphy's facts do not change with the channel: read them once.
                let have_wiphy = b.wiphy.as_ref().is_some_and(|w| w.index == phy);
                let req = nl80211::Request::Wiphy { index: phy };
                if have_wiphy || !self.nl_submit(req, NlJob::Wiphy(slot), now) {
                    self.facts_complete(slot, now);
                }
            }
            (NlJob::Wiphy(_), Ok(nl80211::Response::Wiphy(w))) => {
                b.wiphy = Some(w);
                self.facts_complete(slot, now);
            }
            // Never taken: nl80211 answers a request with its own kind or an error (its
            // `Exchange` accumulates by request: Stations -> Stations, Interface -> Interface,
            // Wiphy -> Wiphy, else NotFound). The answer itself is not printed: its derived
            // Debug tree (every station, interface and wiphy field) was 8 KB of the router build.
            (job, Ok(_)) => debug!("{}: unexpected nl80211 answer to {job:?}", b.name),
            (job, Err(e)) => {
                if !b.nl_error_logged {
                    warn!(
                        "{}: nl80211 {job:?} failed: {e} (interface down or renamed?)",
                        b.name
                    );
                    b.nl_error_logged = true;
                }
                // Re-resolve the interface index next time (rename, re-creation).
                b.ifindex = None;
                if matches!(job, NlJob::Iface(_) | NlJob::Wiphy(_)) {
                    // Facts without nl80211 are still usable (STATUS alone).
                    self.facts_complete(slot, now);
                }
            }
        }
    }

    #[inline(never)]
    fn stations_dumped(&mut self, slot: usize, list: Vec<nl80211::Station>, now: Instant) {
        let Some(id) = self.bsses.get(slot).and_then(Option::as_ref).map(|b| b.id) else {
            return;
        };
        let cap = self.policy.config().max_clients as usize;
        let mut present: Vec<[u8; 6]> = Vec::with_capacity(list.len());
        // Ghosts: forget those the kernel dropped; those that sent a frame after they were
        // found gone are back (tracked again below).
        self.ghosts.retain(|m, (s, at)| {
            *s != slot
                || list.iter().any(|st| {
                    st.mac == *m
                        && u128::from(st.inactive_time_ms.unwrap_or(0)) + 500
                            >= now.saturating_duration_since(*at).as_millis()
                })
        });
        let mut unauthorized = false;
        for s in &list {
            if s.flags.and_then(|f| f.authorized()) == Some(false) {
                unauthorized = true;
                continue;
            }
            if self.ghosts.get(&s.mac).is_some_and(|(g, _)| *g == slot) {
                continue;
            }
            present.push(s.mac);
            if !self.clients.contains_key(&s.mac) {
                if self.clients.len() >= cap {
                    // Make room from departed clients only (the first of those that left
                    // earliest); otherwise leave it untracked.
                    let mut oldest: Option<([u8; 6], Option<Instant>)> = None;
                    for (m, c) in self.clients.iter() {
                        if c.radio.is_none() && oldest.map_or(true, |(_, t)| c.left_at < t) {
                            oldest = Some((*m, c.left_at));
                        }
                    }
                    match oldest.map(|(m, _)| m) {
                        Some(m) => {
                            self.clients.remove(&m);
                        }
                        None => continue,
                    }
                }
                self.clients.insert(s.mac, ClientView::default());
            }
            if let Some(c) = self.clients.get_mut(&s.mac) {
                c.radio = Some(slot);
                c.left_at = None;
                c.signal = s.signal_dbm;
                c.signal_avg = s.signal_avg_dbm;
                c.inactive_ms = s.inactive_time_ms.unwrap_or(0);
                c.connected_s = s.connected_time_s.unwrap_or(0);
                c.rx_packets = u64::from(s.rx_packets.unwrap_or(0));
            }
            let sample = policy::StationSample {
                signal: s.signal_dbm,
                signal_avg: s.signal_avg_dbm,
                inactive_ms: s.inactive_time_ms.unwrap_or(0),
                connected_s: s.connected_time_s.unwrap_or(0),
                rx_packets: u64::from(s.rx_packets.unwrap_or(0)),
            };
            self.feed(
                now,
                policy::Input::Sample {
                    radio: id,
                    sta: policy::Mac(s.mac),
                    sample,
                },
            );
        }
        // Clients the kernel no longer lists left (their DEL_STATION event was lost).
        let mut gone: Vec<[u8; 6]> = Vec::new();
        for (m, c) in self.clients.iter() {
            if c.radio == Some(slot) && !present.contains(m) {
                gone.push(*m);
            }
        }
        for m in gone {
            self.client_left(slot, m, now);
        }
        // A station still completing its handshake: look again soon rather than a whole
        // poll interval later (it is tracked once authorized).
        if unauthorized {
            let at = recheck_at(now, self.cfg.poll_interval);
            if let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) {
                b.next_dump = b.next_dump.min(at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An incomplete dump is repeated soon, never later than the regular poll would.
    #[test]
    fn recheck_is_soon_and_never_after_the_next_poll() {
        let now = Instant::now();
        let slow = Duration::from_secs(60);
        assert_eq!(recheck_at(now, slow), now + DUMP_RECHECK);
        assert!(DUMP_RECHECK < Duration::from_secs(1));
        let fast = Duration::from_millis(100);
        assert_eq!(recheck_at(now, fast), now + fast);
    }
}
