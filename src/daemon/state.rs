//! The state socket: `<run_dir>/state.sock`, a Unix stream socket that `roamer state` reads.
//!
//! Protocol: the client sends one line, `text` or `json`, and reads the reply until the server
//! closes the connection. Access: the socket file is mode 0600, and each connection's peer
//! credentials (`SO_PEERCRED`) must be root or the daemon's own user, otherwise the
//! connection is closed unanswered. The server never blocks: at most [`MAX_CONNS`]
//! connections at once, each with a [`CONN_DEADLINE`], a fixed request buffer and a reply
//! capped at [`MAX_REPLY`] bytes, written as the socket accepts it.

use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mio::net::{UnixListener, UnixStream};
use mio::{Interest, Registry, Token};
use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};

/// Simultaneous state connections.
pub const MAX_CONNS: usize = 4;
/// A connection not done after this is closed.
pub const CONN_DEADLINE: Duration = Duration::from_secs(3);
/// Largest reply (longer output is cut, with a note).
pub const MAX_REPLY: usize = 4 << 20;
/// The socket's file name inside `run_dir`.
pub const SOCKET_NAME: &str = "state.sock";

/// Reply format asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable text.
    Text,
    /// One JSON document.
    Json,
}

struct Conn {
    stream: UnixStream,
    req: [u8; 16],
    req_len: usize,
    out: Vec<u8>,
    written: usize,
    answered: bool,
    deadline: Instant,
}

/// The listening socket and its connections.
pub struct Server {
    listener: UnixListener,
    path: PathBuf,
    base: usize,
    conns: [Option<Conn>; MAX_CONNS],
    refused_logged: bool,
}

/// Creates `path`'s socket, refusing if another live process serves it.
fn bind(path: &Path) -> io::Result<UnixListener> {
    if path.exists() {
        if std::os::unix::net::UnixStream::connect(path).is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AddrInUse,
                format!(
                    "{} is served by another roamer (give each instance its own run_dir)",
                    path.display()
                ),
            ));
        }
        std::fs::remove_file(path)?;
    }
    let l = UnixListener::bind(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    Ok(l)
}

impl Server {
    /// Binds `<run_dir>/state.sock`; its connections use tokens `base + 1 ..= base + MAX_CONNS`,
    /// the listener `base`.
    pub fn new(run_dir: &Path, registry: &Registry, base: usize) -> io::Result<Server> {
        let path = run_dir.join(SOCKET_NAME);
        let listener = bind(&path)?;
        super::reg_fd(
            registry,
            listener.as_raw_fd(),
            Token(base),
            Interest::READABLE,
        )?;
        Ok(Server {
            listener,
            path,
            base,
            conns: Default::default(),
            refused_logged: false,
        })
    }

    /// `true` if `token` belongs to this server.
    pub fn owns(&self, token: Token) -> bool {
        (self.base..=self.base + MAX_CONNS).contains(&token.0)
    }

    /// Earliest connection deadline.
    pub fn next_deadline(&self) -> Option<Instant> {
        let mut d: Option<Instant> = None;
        for c in self.conns.iter().flatten() {
            d = Some(d.map_or(c.deadline, |d| d.min(c.deadline)));
        }
        d
    }

    /// Closes connections past their deadline.
    pub fn expire(&mut self, registry: &Registry, now: Instant) {
        for slot in &mut self.conns {
            if slot.as_ref().is_some_and(|c| c.deadline <= now) {
                if let Some(c) = slot.take() {
                    let _ = super::dereg_fd(registry, c.stream.as_raw_fd());
                }
            }
        }
    }

    /// Handles readiness of `token`. Returns `(connection, format)` when a request was read
    /// and needs a reply: render it and pass it to [`Server::respond`].
    pub fn ready(
        &mut self,
        registry: &Registry,
        token: Token,
        now: Instant,
    ) -> Option<(usize, Format)> {
        if token.0 == self.base {
            self.accept(registry, now);
            return None;
        }
        let i = token.0.checked_sub(self.base + 1)?;
        let step = self.conns.get_mut(i)?.as_mut()?.progress();
        match step {
            Ok(Step::Wait) => None,
            Ok(Step::Render(f)) => Some((i, f)),
            Ok(Step::Done) | Err(_) => {
                self.drop_conn(registry, i);
                None
            }
        }
    }

    /// Sends the reply to connection `i` (as far as the socket accepts now; the rest on
    /// later writable events).
    pub fn respond(&mut self, registry: &Registry, i: usize, mut text: String) {
        let Some(Some(c)) = self.conns.get_mut(i) else {
            return;
        };
        if text.len() > MAX_REPLY {
            let mut cut = MAX_REPLY;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push_str("\n(cut)\n");
        }
        c.out = text.into_bytes();
        c.answered = true;
        if !matches!(c.progress(), Ok(Step::Wait)) {
            self.drop_conn(registry, i);
        }
    }

    fn drop_conn(&mut self, registry: &Registry, i: usize) {
        if let Some(c) = self.conns.get_mut(i).and_then(Option::take) {
            let _ = super::dereg_fd(registry, c.stream.as_raw_fd());
        }
    }

    fn accept(&mut self, registry: &Registry, now: Instant) {
        loop {
            let (stream, _) = match self.listener.accept() {
                Ok(s) => s,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    warn!("state socket: accept failed: {e}");
                    return;
                }
            };
            let me = nix::unistd::geteuid().as_raw();
            match getsockopt(&stream, PeerCredentials) {
                Ok(c) if c.uid() == 0 || c.uid() == me => {}
                Ok(c) => {
                    if !self.refused_logged {
                        warn!(
                            "state socket: refused uid {} (pid {}): root only",
                            c.uid(),
                            c.pid()
                        );
                        self.refused_logged = true;
                    }
                    continue;
                }
                Err(e) => {
                    warn!("state socket: no peer credentials: {e}");
                    continue;
                }
            }
            let Some(i) = self.conns.iter().position(Option::is_none) else {
                continue; // all slots busy: drop this one (the client sees EOF)
            };
            let token = Token(self.base + 1 + i);
            let rw = Interest::READABLE | Interest::WRITABLE;
            if super::reg_fd(registry, stream.as_raw_fd(), token, rw).is_err() {
                continue;
            }
            self.conns[i] = Some(Conn {
                stream,
                req: [0; 16],
                req_len: 0,
                out: Vec::new(),
                written: 0,
                answered: false,
                deadline: now + CONN_DEADLINE,
            });
        }
    }

    /// Removes the socket file.
    pub fn close(&mut self, registry: &Registry) {
        for slot in &mut self.conns {
            if let Some(c) = slot.take() {
                let _ = super::dereg_fd(registry, c.stream.as_raw_fd());
            }
        }
        let _ = super::dereg_fd(registry, self.listener.as_raw_fd());
        let _ = std::fs::remove_file(&self.path);
    }
}

enum Step {
    Wait,
    Render(Format),
    Done,
}

impl Conn {
    /// Reads the request, then writes the reply.
    fn progress(&mut self) -> io::Result<Step> {
        while !self.answered {
            if self.req_len == self.req.len() {
                return Ok(Step::Done); // no newline in 16 bytes: not our client
            }
            let n = match self.stream.read(&mut self.req[self.req_len..]) {
                Ok(0) => return Ok(Step::Done),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(Step::Wait),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.req_len += n;
            let Some(end) = self.req[..self.req_len].iter().position(|&b| b == b'\n') else {
                continue;
            };
            return Ok(match &self.req[..end] {
                b"text" => Step::Render(Format::Text),
                b"json" => Step::Render(Format::Json),
                _ => Step::Done,
            });
        }
        while self.written < self.out.len() {
            match self.stream.write(&self.out[self.written..]) {
                Ok(0) => return Ok(Step::Done),
                Ok(n) => self.written += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(Step::Wait),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(Step::Done)
    }
}

/// The client side: asks the daemon whose `run_dir` is given and returns its reply.
pub fn query(run_dir: &Path, format: Format) -> io::Result<String> {
    let path = run_dir.join(SOCKET_NAME);
    let mut s = std::os::unix::net::UnixStream::connect(&path).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "{}: {e} (is roamer running with this run_dir?)",
                path.display()
            ),
        )
    })?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    s.set_write_timeout(Some(Duration::from_secs(5)))?;
    // The daemon closes the connection unanswered when it refuses the peer (not root): then
    // the write may fail (EPIPE) or the read come back empty; either way, no answer.
    let sent = s.write_all(match format {
        Format::Text => b"text\n",
        Format::Json => b"json\n",
    });
    // `read_to_string`'s contract, without its generic reader for one more stream type: the
    // text read before an error is kept if it is UTF-8; invalid UTF-8 leaves nothing (and is
    // the error if the read itself succeeded).
    let mut bytes = Vec::new();
    let read = sent.and_then(|()| loop {
        let mut chunk = [0u8; 4096];
        match s.read(&mut chunk) {
            Ok(0) => break Ok(()),
            Ok(n) => bytes.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    });
    let (out, read) = match String::from_utf8(bytes) {
        Ok(t) => (t, read),
        Err(_) => (
            String::new(),
            read.and(Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            ))),
        ),
    };
    if out.is_empty() {
        let why = read.err().map_or(String::new(), |e| format!(": {e}"));
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{}: no answer (root only){why}", path.display()),
        ));
    }
    Ok(out)
}

/// `roamer state [--config FILE] [--json]`: prints the running daemon's state.
/// Exit codes: 0 printed, 1 no daemon answered, 2 bad usage or configuration.
pub fn state_cmd(args: &[String]) -> i32 {
    let mut config = PathBuf::from(crate::config::DEFAULT_PATH);
    let mut format = Format::Text;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => format = Format::Json,
            "--config" | "-c" => match it.next() {
                Some(p) => config = PathBuf::from(p),
                None => {
                    crate::config::say(true, format_args!("roamer state: --config needs a FILE"));
                    return 2;
                }
            },
            other => {
                crate::config::say(true, format_args!("roamer state: unknown argument '{other}' (usage: roamer state [--config FILE] [--json])"));
                return 2;
            }
        }
    }
    // A missing default file means defaults (run_dir /var/run/roamer); a given file must load.
    let cfg = match crate::config::Config::load(&config) {
        Ok(c) => c,
        Err(_) if !config.exists() && args.iter().all(|a| a != "--config" && a != "-c") => {
            crate::config::Config::default()
        }
        Err(e) => {
            crate::config::say(true, format_args!("{e}"));
            return 2;
        }
    };
    match query(&cfg.run_dir, format) {
        Ok(text) => {
            // A closed pipe (`roamer state | head -1`) is no error and must not panic.
            use std::io::Write;
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            0
        }
        Err(e) => {
            crate::config::say(true, format_args!("roamer state: {e}"));
            1
        }
    }
}

/// Appends `s` as a JSON string literal.
pub fn json_str(out: &mut String, s: &str) {
    use std::fmt::Write as _;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
