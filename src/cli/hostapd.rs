//! Talking to one hostapd BSS for the one-shot commands, over ctrl-proto's sockets: a
//! [`CtrlSocket`] for requests and an ATTACHed [`EventSocket`] for events. Every wait has a
//! deadline and is interruptible by SIGINT/SIGTERM/SIGHUP (blocked and read from a signalfd,
//! so cleanup always runs: `DETACH`, unlink of the client socket).

use super::CliError;
use ctrl_proto::socket::{CtrlSocket, EventSocket, SocketError, DEFAULT_CLIENT_DIR, RECV_BUF};
use ctrl_proto::Message;
use mio::{Interest, Poll, Token};
use nix::sys::signal::{SigSet, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Default deadline of one request (hostapd answers in milliseconds; `wpa_ctrl_request()`
/// waits 10 s).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(3);

/// Longest single sleep of a wait, so a pending signal is noticed promptly.
const TICK: Duration = Duration::from_millis(100);

/// SIGINT/SIGTERM/SIGHUP, blocked for the process and readable from a signalfd: waits check
/// it between ticks so an interrupted command still cleans up.
pub struct Signals {
    fd: SignalFd,
}

impl Signals {
    /// Blocks SIGINT, SIGTERM and SIGHUP (this process is single-threaded) and opens a
    /// non-blocking signalfd for them.
    pub fn block() -> Result<Signals, CliError> {
        let mut set = SigSet::empty();
        set.add(Signal::SIGINT);
        set.add(Signal::SIGTERM);
        set.add(Signal::SIGHUP);
        set.thread_block()
            .map_err(|e| CliError::failed("signals", format_args!("{e}")))?;
        let fd = SignalFd::with_flags(&set, SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC)
            .map_err(|e| CliError::failed("signals", format_args!("{e}")))?;
        Ok(Signals { fd })
    }

    /// Whether one of the signals arrived (consumes it).
    pub fn caught(&self) -> bool {
        matches!(self.fd.read_signal(), Ok(Some(_)))
    }
}

/// What a wait for an event returned.
pub enum Wait {
    /// An event datagram (text, `<N>EVENT ...`).
    Event(String),
    /// The deadline passed.
    Timeout,
    /// SIGINT/SIGTERM/SIGHUP arrived.
    Interrupted,
}

/// Why connecting to `<dir>/<iface>` failed, as a user-facing reason (exit 1).
fn connect_error(iface: &str, dir: &Path, e: &io::Error) -> CliError {
    let path = dir.join(iface);
    let p = path.display();
    let why = match e.raw_os_error() {
        Some(2) if !dir.is_dir() => format_args!(
            "hostapd is not running: no control directory {} (see --ctrl-dir)",
            dir.display()
        ),
        Some(2) if Path::new("/sys/class/net").join(iface).exists() => {
            format_args!("hostapd is not running for {iface} (no control socket {p})")
        }
        Some(2) => {
            format_args!("no such interface (no network interface and no control socket {p})")
        }
        Some(111) => {
            format_args!("hostapd is not running for {iface} (stale control socket {p})")
        }
        Some(1) | Some(13) => format_args!(
            "permission denied on {p} (run as root or in hostapd's ctrl_interface_group)"
        ),
        _ => format_args!("{p}: {e}"),
    };
    CliError::failed(iface, why)
}

fn socket_error(
    iface: &str,
    dir: &Path,
    what: &str,
    e: SocketError,
    timeout: Duration,
) -> CliError {
    match e {
        SocketError::Timeout => CliError::failed(
            iface,
            format_args!(
                "hostapd did not answer {what} within {} s",
                super::num::secs_1(timeout)
            ),
        ),
        SocketError::Io(io) if matches!(io.raw_os_error(), Some(2) | Some(111)) => {
            let mut e = connect_error(iface, dir, &io);
            if let CliError::Failed(m) = &mut e {
                super::push_fmt(m.string(), format_args!(" (during {what})"));
            }
            e
        }
        other => CliError::failed(iface, format_args!("{what}: {other}")),
    }
}

/// The directory for our client sockets: `$TMPDIR` if set, else `/tmp`.
fn client_dir() -> PathBuf {
    std::env::var_os("TMPDIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CLIENT_DIR))
}

/// A request socket to hostapd's BSS `iface`.
pub struct Ctrl {
    sock: CtrlSocket,
    dir: PathBuf,
    /// The BSS interface name.
    pub iface: String,
}

impl Ctrl {
    /// Connects to `<dir>/<iface>`. Exit-1 errors say whether hostapd is not running, the
    /// interface does not exist, or permission is missing.
    pub fn open(dir: &Path, iface: &str) -> Result<Ctrl, CliError> {
        if dir.join(iface).as_os_str().len() >= 108 {
            return Err(CliError::usage(
                iface,
                format_args!(
                    "control socket path {} is too long",
                    dir.join(iface).display()
                ),
            ));
        }
        let sock = CtrlSocket::open(dir, iface, &client_dir())
            .map_err(|e| connect_error(iface, dir, &e))?;
        Ok(Ctrl {
            sock,
            dir: dir.to_path_buf(),
            iface: iface.to_string(),
        })
    }

    /// Sends `<cmd> <sta>` (`STA`, `POLL_STA`) and returns hostapd's reply text.
    #[inline(never)]
    pub fn request_sta(&mut self, cmd: &str, sta: ctrl_proto::Mac) -> Result<String, CliError> {
        self.request(&format!("{cmd} {sta}"))
    }

    /// Sends `cmd` (raw text) and returns hostapd's reply text.
    pub fn request(&mut self, cmd: &str) -> Result<String, CliError> {
        let what = cmd.split(' ').next().unwrap_or(cmd).to_string();
        let r = self
            .sock
            .request_bytes(cmd.as_bytes(), Instant::now() + REQUEST_TIMEOUT)
            .map_err(|e| socket_error(&self.iface, &self.dir, &what, e, REQUEST_TIMEOUT))?;
        Ok(String::from_utf8_lossy(&r).into_owned())
    }
}

/// An ATTACHed event socket to hostapd's BSS `iface` (DETACH and unlink on drop).
pub struct Events {
    sock: EventSocket,
    poll: Poll,
    events: mio::Events,
    buf: Vec<u8>,
    dir: PathBuf,
    /// The BSS interface name.
    pub iface: String,
}

impl Events {
    /// Opens a socket to `<dir>/<iface>` and ATTACHes it.
    pub fn open(dir: &Path, iface: &str) -> Result<Events, CliError> {
        let mut sock = EventSocket::open(
            dir,
            iface,
            &client_dir(),
            false,
            Instant::now() + REQUEST_TIMEOUT,
        )
        .map_err(|e| match e {
            SocketError::Io(io) => connect_error(iface, dir, &io),
            SocketError::Reply(r) => {
                CliError::failed(iface, format_args!("hostapd refused ATTACH ({r})"))
            }
            other => socket_error(iface, dir, "ATTACH", other, REQUEST_TIMEOUT),
        })?;
        let poll = Poll::new().map_err(|e| CliError::failed(iface, format_args!("poll: {e}")))?;
        poll.registry()
            .register(&mut sock, Token(0), Interest::READABLE)
            .map_err(|e| CliError::failed(iface, format_args!("poll: {e}")))?;
        Ok(Events {
            sock,
            poll,
            events: mio::Events::with_capacity(4),
            buf: vec![0u8; RECV_BUF],
            dir: dir.to_path_buf(),
            iface: iface.to_string(),
        })
    }

    /// Waits for the next event until `deadline` or a signal. Late replies (non-events) are
    /// skipped; a truncated event is skipped too (it could not be decoded anyway).
    pub fn next(&mut self, deadline: Instant, sig: &Signals) -> Result<Wait, CliError> {
        loop {
            if sig.caught() {
                return Ok(Wait::Interrupted);
            }
            match self.sock.recv_into(&mut self.buf) {
                Ok(r) if r.truncated => continue,
                Ok(r) => {
                    let d = &self.buf[..r.len];
                    if Message::is_event(d) {
                        return Ok(Wait::Event(String::from_utf8_lossy(d).into_owned()));
                    }
                    continue;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let mut err = connect_error(&self.iface, &self.dir, &e);
                    if let CliError::Failed(m) = &mut err {
                        m.push_str(" (hostapd went away)");
                    }
                    return Err(err);
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(Wait::Timeout);
            }
            let slice = (deadline - now).min(TICK);
            match self.poll.poll(&mut self.events, Some(slice)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(CliError::failed(&self.iface, format_args!("poll: {e}"))),
            }
        }
    }

    /// Sends `PING` on the event socket: hostapd answers `PONG` while it is alive. An error
    /// means hostapd went away (its socket refuses or is gone).
    pub fn ping(&mut self) -> Result<(), CliError> {
        self.sock.socket().send_bytes(b"PING").map_err(|e| {
            let mut err = connect_error(&self.iface, &self.dir, &e);
            if let CliError::Failed(m) = &mut err {
                m.push_str(" (hostapd went away)");
            }
            err
        })
    }
}

/// A reply that is `FAIL` / `UNKNOWN COMMAND`, as a reason for error messages.
pub fn refusal(reply: &str) -> Option<&'static str> {
    match reply {
        "FAIL\n" => Some("hostapd answered FAIL"),
        "UNKNOWN COMMAND\n" => Some("hostapd does not know this command (built without it?)"),
        _ => None,
    }
}
