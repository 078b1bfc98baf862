//! Client sockets for hostapd's per-BSS control interface: the only I/O in this crate.
//!
//! Replicates what `wpa_ctrl_open()` does (PROTOCOL.md A.2): a local `AF_UNIX`/`SOCK_DGRAM`
//! socket **bound** to a unique path (hostapd replies with `sendto()` to the sender's address),
//! connected to `<ctrl_dir>/<iface>`.
//!
//! * Path: `<client_dir>/roamer-<pid>-<counter>`. `client_dir` is created with mode 0700 if
//!   missing; the socket file is chmod'ed to 0600 and unlinked on drop.
//! * Stale files from dead processes are removed by [`clean_stale`] (run once per process and
//!   directory on the first open): only sockets named `roamer-<pid>-<n>`, owned by our uid,
//!   whose pid is dead or which refuse a connection.
//! * The socket is always non-blocking. [`CtrlSocket::request`] is the blocking one-shot form
//!   (it polls until a deadline); [`CtrlSocket::send`] / [`CtrlSocket::recv_into`] and the
//!   [`mio::event::Source`] impl are for an event loop.
//! * Replies are never confused with events: datagrams that start with `<` (or `IFNAME=`) are
//!   events and are queued, never returned as a reply; and after a timed-out request the socket
//!   is re-bound to a fresh path before the next request, so a late reply cannot be taken as the
//!   answer to a later command (hostapd's late `sendto()` hits a vanished path).
//! * Use two sockets per BSS (PROTOCOL.md A.2): a [`CtrlSocket`] for commands and an
//!   [`EventSocket`] (ATTACHed) for events.
//! * Receive buffers are [`RECV_BUF`] bytes (16 KiB; hostapd's replies are at most 4 KiB, 8 KiB
//!   after 2.11, but events are sized to the message); truncation is detected with `MSG_TRUNC`.

use std::collections::VecDeque;
use std::fmt;
use std::fs;
use std::io;
use std::os::fd::AsFd;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::UnixDatagram as StdDatagram;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use mio::net::UnixDatagram;
use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags};
use nix::sys::socket::MsgFlags;

use crate::command::Command;
use crate::error::CommandError;
use crate::event::Message;

/// Receive buffer size used by [`CtrlSocket::request`]; use at least this for events.
pub const RECV_BUF: usize = 16 * 1024;

/// File name prefix of our client sockets.
pub const PREFIX: &str = "roamer-";

/// hostapd's default control directory.
pub const DEFAULT_CTRL_DIR: &str = "/var/run/hostapd";

/// Default directory for our client sockets (as `wpa_ctrl`'s `/tmp`).
pub const DEFAULT_CLIENT_DIR: &str = "/tmp";

/// Most events kept while a blocking request waits for its reply (oldest dropped beyond).
pub const MAX_QUEUED_EVENTS: usize = 64;

static COUNTER: AtomicU32 = AtomicU32::new(0);
static CLEANED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// What can go wrong talking to hostapd.
#[derive(Debug)]
pub enum SocketError {
    /// A system call failed (ECONNREFUSED / ENOENT: hostapd is not running there).
    Io(io::Error),
    /// No reply before the deadline.
    Timeout,
    /// The command cannot be emitted.
    Command(CommandError),
    /// A datagram was longer than the buffer (its real length).
    Truncated(usize),
    /// hostapd's reply was not the expected one (e.g. `FAIL` to `ATTACH`).
    Reply(crate::error::ReplyError),
}

impl fmt::Display for SocketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SocketError::Io(e) => write!(f, "control socket: {}", e),
            SocketError::Timeout => f.write_str("control socket: no reply before the deadline"),
            SocketError::Command(e) => write!(f, "control socket: {}", e),
            SocketError::Truncated(n) => {
                write!(f, "control socket: datagram of {} bytes truncated", n)
            }
            SocketError::Reply(e) => write!(f, "control socket: {}", e),
        }
    }
}

impl std::error::Error for SocketError {}

impl From<io::Error> for SocketError {
    fn from(e: io::Error) -> Self {
        SocketError::Io(e)
    }
}

impl From<CommandError> for SocketError {
    fn from(e: CommandError) -> Self {
        SocketError::Command(e)
    }
}

/// One received datagram's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// Bytes stored in the buffer.
    pub len: usize,
    /// The datagram was longer than the buffer (the rest is lost).
    pub truncated: bool,
}

/// A bound, connected client socket to one hostapd BSS.
#[derive(Debug)]
pub struct CtrlSocket {
    sock: UnixDatagram,
    local: PathBuf,
    remote: PathBuf,
    client_dir: PathBuf,
    events: VecDeque<Vec<u8>>,
    dropped_events: u64,
    desynced: bool,
    rebinds: u64,
}

fn bind_unique(client_dir: &Path) -> io::Result<(StdDatagram, PathBuf)> {
    if !client_dir.exists() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(client_dir)?;
    }
    let pid = std::process::id();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = client_dir.join(format!("{}{}-{}", PREFIX, pid, n));
    let sock = match StdDatagram::bind(&path) {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::AddrInUse => {
            // Our pid and counter: a leftover of an earlier process with the same pid.
            fs::remove_file(&path)?;
            StdDatagram::bind(&path)?
        }
        Err(e) => return Err(e),
    };
    if let Err(e) = fs::set_permissions(&path, fs::Permissions::from_mode(0o600)) {
        let _ = fs::remove_file(&path);
        return Err(e);
    }
    Ok((sock, path))
}

impl CtrlSocket {
    /// Opens a socket to `<ctrl_dir>/<iface>`, bound under `client_dir`.
    pub fn open(ctrl_dir: &Path, iface: &str, client_dir: &Path) -> io::Result<CtrlSocket> {
        if iface.is_empty() || iface.contains('/') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "bad interface name",
            ));
        }
        Self::open_path(&ctrl_dir.join(iface), client_dir)
    }

    /// Opens a socket to the server socket at `server`, bound under `client_dir`.
    pub fn open_path(server: &Path, client_dir: &Path) -> io::Result<CtrlSocket> {
        {
            let mut done = CLEANED.lock().unwrap_or_else(|p| p.into_inner());
            if !done.iter().any(|d| d == client_dir) {
                if client_dir.exists() {
                    if let Err(e) = clean_stale(client_dir) {
                        log::debug!("stale socket cleanup in {}: {}", client_dir.display(), e);
                    }
                }
                done.push(client_dir.to_path_buf());
            }
        }
        let (sock, local) = bind_unique(client_dir)?;
        let s = Self::finish(sock, local, server)?;
        Ok(CtrlSocket {
            sock: s.0,
            local: s.1,
            remote: server.to_path_buf(),
            client_dir: client_dir.to_path_buf(),
            events: VecDeque::new(),
            dropped_events: 0,
            desynced: false,
            rebinds: 0,
        })
    }

    fn finish(
        sock: StdDatagram,
        local: PathBuf,
        server: &Path,
    ) -> io::Result<(UnixDatagram, PathBuf)> {
        let r = sock
            .connect(server)
            .and_then(|_| sock.set_nonblocking(true));
        if let Err(e) = r {
            let _ = fs::remove_file(&local);
            return Err(e);
        }
        Ok((UnixDatagram::from_std(sock), local))
    }

    /// Path this socket is bound to.
    pub fn local_path(&self) -> &Path {
        &self.local
    }

    /// Path of hostapd's socket.
    pub fn remote_path(&self) -> &Path {
        &self.remote
    }

    /// Re-binds to a fresh local path (the old one is unlinked), dropping anything queued.
    /// Done automatically by [`CtrlSocket::request`] after a timeout. Under mio the caller must
    /// re-register afterwards.
    pub fn rebind(&mut self) -> io::Result<()> {
        let (sock, local) = bind_unique(&self.client_dir)?;
        let (sock, local) = Self::finish(sock, local, &self.remote)?;
        let old = std::mem::replace(&mut self.local, local);
        self.sock = sock;
        let _ = fs::remove_file(old);
        self.desynced = false;
        self.rebinds += 1;
        Ok(())
    }

    /// How often the socket was re-bound (a new fd each time: a mio user that also calls
    /// [`CtrlSocket::request`] must re-register when this changes).
    pub fn rebinds(&self) -> u64 {
        self.rebinds
    }

    /// Sends a command without waiting (non-blocking; `WouldBlock` is returned as such).
    pub fn send(&self, cmd: &Command) -> Result<(), SocketError> {
        let text = cmd.to_text()?;
        self.send_bytes(text.as_bytes())?;
        Ok(())
    }

    /// Sends raw request bytes without waiting.
    pub fn send_bytes(&self, bytes: &[u8]) -> io::Result<()> {
        let n = self.sock.send(bytes)?;
        if n != bytes.len() {
            return Err(io::Error::new(
                io::ErrorKind::WriteZero,
                "short datagram send",
            ));
        }
        Ok(())
    }

    /// Receives one datagram without waiting. A datagram longer than `buf` is reported with
    /// `truncated` (its rest is lost). Queued events (seen during [`CtrlSocket::request`]) are
    /// delivered first.
    pub fn recv_into(&mut self, buf: &mut [u8]) -> io::Result<Received> {
        if let Some(ev) = self.events.pop_front() {
            let len = ev.len().min(buf.len());
            buf[..len].copy_from_slice(&ev[..len]);
            return Ok(Received {
                len,
                truncated: len < ev.len(),
            });
        }
        self.recv_raw(buf)
    }

    fn recv_raw(&self, buf: &mut [u8]) -> io::Result<Received> {
        loop {
            match nix::sys::socket::recv(self.sock.as_raw_fd(), buf, MsgFlags::MSG_TRUNC) {
                Ok(n) => {
                    return Ok(Received {
                        len: n.min(buf.len()),
                        truncated: n > buf.len(),
                    })
                }
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(io::Error::from(e)),
            }
        }
    }

    fn wait(&self, flags: PollFlags, deadline: Instant) -> Result<(), SocketError> {
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Err(SocketError::Timeout);
            }
            let ms = (deadline - now).as_millis().clamp(1, 60_000) as u16;
            let mut fds = [PollFd::new(self.sock.as_fd(), flags)];
            match nix::poll::poll(&mut fds, ms) {
                Ok(0) => continue,
                Ok(_) => return Ok(()),
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(SocketError::Io(io::Error::from(e))),
            }
        }
    }

    fn queue_event(&mut self, ev: &[u8]) {
        if self.events.len() >= MAX_QUEUED_EVENTS {
            self.events.pop_front();
            self.dropped_events += 1;
        }
        self.events.push_back(ev.to_vec());
    }

    /// Sends `cmd` and blocks until its reply or `deadline`. Returns the reply bytes (parse with
    /// [`crate::Reply::parse`]); a zero-length reply is valid. Events that arrive meanwhile are
    /// queued (see [`CtrlSocket::take_event`]), never returned.
    pub fn request(&mut self, cmd: &Command, deadline: Instant) -> Result<Vec<u8>, SocketError> {
        let text = cmd.to_text()?;
        self.request_bytes(text.as_bytes(), deadline)
    }

    /// [`CtrlSocket::request`] with raw request bytes.
    pub fn request_bytes(&mut self, req: &[u8], deadline: Instant) -> Result<Vec<u8>, SocketError> {
        if self.desynced {
            self.rebind()?;
        }
        let mut buf = vec![0u8; RECV_BUF];
        // Anything already waiting is not the reply to this request.
        loop {
            match self.recv_raw(&mut buf) {
                Ok(r) if Message::is_event(&buf[..r.len]) => {
                    let ev = buf[..r.len].to_vec();
                    self.queue_event(&ev);
                }
                Ok(r) => log::debug!(
                    "{}: discarding {} stale reply bytes",
                    self.remote.display(),
                    r.len
                ),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e.into()),
            }
        }
        loop {
            match self.send_bytes(req) {
                Ok(()) => break,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.wait(PollFlags::POLLOUT, deadline)?
                }
                Err(e) => return Err(e.into()),
            }
        }
        loop {
            match self.recv_raw(&mut buf) {
                Ok(r) if r.truncated => {
                    self.desynced = true;
                    return Err(SocketError::Truncated(r.len));
                }
                Ok(r) if Message::is_event(&buf[..r.len]) => {
                    let ev = buf[..r.len].to_vec();
                    self.queue_event(&ev);
                }
                Ok(r) => {
                    buf.truncate(r.len);
                    return Ok(buf);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if let Err(e) = self.wait(PollFlags::POLLIN, deadline) {
                        self.desynced = true;
                        return Err(e);
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// [`CtrlSocket::request`] with a timeout instead of a deadline.
    pub fn request_timeout(
        &mut self,
        cmd: &Command,
        timeout: Duration,
    ) -> Result<Vec<u8>, SocketError> {
        self.request(cmd, Instant::now() + timeout)
    }

    /// An event queued while [`CtrlSocket::request`] waited, oldest first.
    pub fn take_event(&mut self) -> Option<Vec<u8>> {
        self.events.pop_front()
    }

    /// Events dropped because the queue was full.
    pub fn dropped_events(&self) -> u64 {
        self.dropped_events
    }
}

impl Drop for CtrlSocket {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.local);
    }
}

impl mio::event::Source for CtrlSocket {
    fn register(
        &mut self,
        registry: &mio::Registry,
        token: mio::Token,
        interests: mio::Interest,
    ) -> io::Result<()> {
        self.sock.register(registry, token, interests)
    }
    fn reregister(
        &mut self,
        registry: &mio::Registry,
        token: mio::Token,
        interests: mio::Interest,
    ) -> io::Result<()> {
        self.sock.reregister(registry, token, interests)
    }
    fn deregister(&mut self, registry: &mio::Registry) -> io::Result<()> {
        self.sock.deregister(registry)
    }
}

/// An ATTACHed socket that receives one BSS's events. Sends `DETACH` (best effort) on drop.
#[derive(Debug)]
pub struct EventSocket {
    inner: CtrlSocket,
}

impl EventSocket {
    /// Opens a socket to `<ctrl_dir>/<iface>` and ATTACHes it (blocking until `deadline`).
    /// `probe_rx_events` additionally enables `RX-PROBE-REQUEST`.
    pub fn open(
        ctrl_dir: &Path,
        iface: &str,
        client_dir: &Path,
        probe_rx_events: bool,
        deadline: Instant,
    ) -> Result<EventSocket, SocketError> {
        let inner = CtrlSocket::open(ctrl_dir, iface, client_dir)?;
        let mut s = EventSocket { inner };
        s.attach(probe_rx_events, deadline)?;
        Ok(s)
    }

    /// (Re-)sends `ATTACH` and waits for `OK` (idempotent in hostapd; do it after any silence).
    pub fn attach(&mut self, probe_rx_events: bool, deadline: Instant) -> Result<(), SocketError> {
        let cmd = Command::Attach {
            probe_rx_events: probe_rx_events.then_some(true),
        };
        let r = self.inner.request(&cmd, deadline)?;
        crate::Reply::parse(&r)
            .and_then(|r| r.expect_ok())
            .map_err(SocketError::Reply)
    }

    /// Receives one datagram without waiting (events queued during ATTACH come first). Under
    /// mio, call until `WouldBlock`. Non-event datagrams (late replies) should be ignored: check
    /// with [`Message::is_event`].
    pub fn recv_into(&mut self, buf: &mut [u8]) -> io::Result<Received> {
        self.inner.recv_into(buf)
    }

    /// The underlying socket (e.g. to send `PING` as a liveness check).
    pub fn socket(&mut self) -> &mut CtrlSocket {
        &mut self.inner
    }
}

impl Drop for EventSocket {
    fn drop(&mut self) {
        let _ = self.inner.send_bytes(b"DETACH");
    }
}

impl mio::event::Source for EventSocket {
    fn register(
        &mut self,
        registry: &mio::Registry,
        token: mio::Token,
        interests: mio::Interest,
    ) -> io::Result<()> {
        self.inner.register(registry, token, interests)
    }
    fn reregister(
        &mut self,
        registry: &mio::Registry,
        token: mio::Token,
        interests: mio::Interest,
    ) -> io::Result<()> {
        self.inner.reregister(registry, token, interests)
    }
    fn deregister(&mut self, registry: &mio::Registry) -> io::Result<()> {
        self.inner.deregister(registry)
    }
}

/// `roamer-<pid>-<n>` -> pid.
fn owner_pid(name: &str) -> Option<i32> {
    let rest = name.strip_prefix(PREFIX)?;
    let (pid, n) = rest.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if !digits(pid) || !digits(n) {
        return None;
    }
    crate::kv::int(pid)
}

fn pid_alive(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    !matches!(
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None),
        Err(Errno::ESRCH)
    )
}

/// Removes stale client sockets from `dir`: files named `roamer-<pid>-<n>` that are sockets
/// owned by our effective uid and whose process is dead, or that refuse a connection (nothing
/// bound: a leftover, even if the pid was reused). Anything else is left alone. Returns how many
/// were removed.
pub fn clean_stale(dir: &Path) -> io::Result<usize> {
    let uid = nix::unistd::geteuid().as_raw();
    let mut removed = 0;
    for entry in fs::read_dir(dir)? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(owner_pid) else {
            continue;
        };
        let path = entry.path();
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if !meta.file_type().is_socket() || meta.uid() != uid {
            continue;
        }
        let stale = !pid_alive(pid) || {
            match StdDatagram::unbound().and_then(|s| s.connect(&path)) {
                Err(e) => e.raw_os_error() == Some(Errno::ECONNREFUSED as i32),
                Ok(()) => false,
            }
        };
        if stale && fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_pid_range_is_i32() {
        assert_eq!(owner_pid("roamer-2147483647-0"), Some(i32::MAX));
        assert_eq!(owner_pid("roamer-2147483648-0"), None);
        assert_eq!(owner_pid("roamer-99999999999999999999-0"), None);
        assert_eq!(owner_pid("roamer-0007-0"), Some(7));
    }

    #[test]
    fn owner_pid_names() {
        assert_eq!(owner_pid("roamer-123-4"), Some(123));
        assert_eq!(owner_pid("roamer-123-"), None);
        assert_eq!(owner_pid("roamer--4"), None);
        assert_eq!(owner_pid("roamer-12a-4"), None);
        assert_eq!(owner_pid("wpa_ctrl_123-4"), None);
        assert!(pid_alive(std::process::id() as i32));
        assert!(!pid_alive(0));
    }
}
