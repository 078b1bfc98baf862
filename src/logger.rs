//! The `log` backend: one line per record to stderr, or one datagram per record to syslog.
//!
//! - stderr: `2026-11-25T08:43:30.123Z INFO  message` (UTC, so lab timelines line up).
//! - syslog: `<PRI>roamer[PID]: message` sent to `/dev/log` (facility daemon), the form
//!   OpenWrt's logd, busybox syslogd and rsyslog/journald all accept; the syslog daemon adds
//!   the timestamp. The socket is non-blocking: a stuck syslog daemon costs dropped lines
//!   (counted and reported later), never a stalled event loop. If `/dev/log` cannot be
//!   reached, lines go to stderr until a later reconnect succeeds.
//! - Flood guard: a line identical to the previous one within [`REPEAT_WINDOW`] is counted
//!   instead of written, and "last message repeated N times" follows, like syslogd. The daemon
//!   additionally logs a peer outage once (see `daemon`), so a dead hostapd costs two lines.
//!
//! [`init`] installs the logger once; [`configure`] changes level and target at any time (the
//! daemon calls it again on SIGHUP).

use std::io::Write;
use std::os::unix::net::UnixDatagram;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use log::{Level, LevelFilter, Log, Metadata, Record};

/// Identical lines within this window are collapsed into a count.
pub const REPEAT_WINDOW: Duration = Duration::from_secs(60);

/// How often a lost `/dev/log` is retried.
const SYSLOG_RETRY: Duration = Duration::from_secs(10);

/// Longest line kept for the repeat check (longer lines are compared on this prefix).
const MAX_LINE: usize = 1024;

/// Where lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Standard error.
    Stderr,
    /// The local syslog socket `/dev/log`.
    Syslog,
}

struct State {
    target: Target,
    syslog_path: &'static str,
    sock: Option<UnixDatagram>,
    last_attempt: Option<Instant>,
    last: String,
    last_level: Level,
    last_at: Option<Instant>,
    repeats: u32,
    dropped: u32,
}

struct Logger {
    state: Mutex<State>,
}

static LOGGER: Logger = Logger {
    state: Mutex::new(State {
        target: Target::Stderr,
        syslog_path: "/dev/log",
        sock: None,
        last_attempt: None,
        last: String::new(),
        last_level: Level::Info,
        last_at: None,
        repeats: 0,
        dropped: 0,
    }),
};

/// Installs the logger (idempotent) and sets its level and target.
pub fn init(level: LevelFilter, target: Target) {
    let _ = log::set_logger(&LOGGER);
    configure(level, target);
}

/// Changes level and target of the installed logger.
pub fn configure(level: LevelFilter, target: Target) {
    log::set_max_level(level);
    if let Ok(mut st) = LOGGER.state.lock() {
        if st.target != target {
            st.flush_repeats();
            st.sock = None;
            st.last_attempt = None;
        }
        st.target = target;
    }
}

/// Syslog severity of a level (RFC 5424 numbers).
fn severity(level: Level) -> u8 {
    match level {
        Level::Error => 3,
        Level::Warn => 4,
        Level::Info => 6,
        Level::Debug | Level::Trace => 7,
    }
}

/// Facility `daemon` (3).
const FACILITY_DAEMON: u8 = 3;

/// Formats one syslog datagram: `<PRI>roamer[PID]: msg`.
pub fn syslog_line(level: Level, pid: u32, msg: &str) -> String {
    format!(
        "<{}>roamer[{}]: {}",
        FACILITY_DAEMON * 8 + severity(level),
        pid,
        msg
    )
}

/// Formats a UTC wall-clock time as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn utc_timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86400, secs % 86400);
    // Civil-from-days (Howard Hinnant's algorithm), valid for any date after 1970.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        d.subsec_millis()
    )
}

impl State {
    fn emit(&mut self, level: Level, msg: &str) {
        if self.target == Target::Syslog && self.send_syslog(level, msg) {
            return;
        }
        let line = format!(
            "{} {:<5} {}\n",
            utc_timestamp(SystemTime::now()),
            level,
            msg
        );
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }

    /// `true` if the line was handed to syslog (or dropped because syslog is congested).
    fn send_syslog(&mut self, level: Level, msg: &str) -> bool {
        if self.sock.is_none() {
            let now = Instant::now();
            if self
                .last_attempt
                .is_some_and(|t| now.duration_since(t) < SYSLOG_RETRY)
            {
                return false;
            }
            self.last_attempt = Some(now);
            let s = UnixDatagram::unbound().and_then(|s| {
                s.connect(self.syslog_path)?;
                s.set_nonblocking(true)?;
                Ok(s)
            });
            self.sock = s.ok();
        }
        let Some(sock) = &self.sock else { return false };
        if self.dropped > 0 {
            let note = syslog_line(
                Level::Warn,
                std::process::id(),
                &format!("{} log lines dropped (syslog congested)", self.dropped),
            );
            if sock.send(note.as_bytes()).is_ok() {
                self.dropped = 0;
            }
        }
        match sock.send(syslog_line(level, std::process::id(), msg).as_bytes()) {
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                self.dropped = self.dropped.saturating_add(1);
                true
            }
            Err(_) => {
                // syslogd restarted: reconnect on the next line, this one goes to stderr.
                self.sock = None;
                false
            }
        }
    }

    fn flush_repeats(&mut self) {
        if self.repeats > 0 {
            let n = self.repeats;
            self.repeats = 0;
            let level = self.last_level;
            self.emit(level, &format!("last message repeated {n} times"));
        }
    }

    fn log(&mut self, level: Level, msg: &str, now: Instant) {
        let key = match msg.char_indices().nth(MAX_LINE) {
            Some((i, _)) => &msg[..i],
            None => msg,
        };
        let recent = self
            .last_at
            .is_some_and(|t| now.duration_since(t) < REPEAT_WINDOW);
        if recent && key == self.last && level == self.last_level {
            self.repeats = self.repeats.saturating_add(1);
            return;
        }
        self.flush_repeats();
        self.last.clear();
        self.last.push_str(key);
        self.last_level = level;
        self.last_at = Some(now);
        self.emit(level, msg);
    }
}

impl Log for Logger {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let msg = record.args().to_string();
        if let Ok(mut st) = self.state.lock() {
            st.log(record.level(), &msg, Instant::now());
        }
    }

    fn flush(&self) {
        if let Ok(mut st) = self.state.lock() {
            st.flush_repeats();
        }
        let _ = std::io::stderr().flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syslog_priorities() {
        assert_eq!(syslog_line(Level::Error, 42, "x"), "<27>roamer[42]: x");
        assert_eq!(syslog_line(Level::Warn, 1, "y"), "<28>roamer[1]: y");
        assert_eq!(syslog_line(Level::Info, 1, "z"), "<30>roamer[1]: z");
        assert_eq!(syslog_line(Level::Debug, 1, "z"), "<31>roamer[1]: z");
    }

    #[test]
    fn timestamps() {
        assert_eq!(utc_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_795_595_010_123);
        assert_eq!(utc_timestamp(t), "2026-11-25T08:23:30.123Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(utc_timestamp(leap), "2000-02-29T00:00:00.000Z");
    }

    /// Through a real datagram socket standing where /dev/log would be.
    #[test]
    fn syslog_datagrams_and_flood_guard() {
        let dir = std::env::temp_dir().join(format!("roamer-log-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("log");
        let server = UnixDatagram::bind(&path).unwrap();
        server
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let leaked: &'static str = Box::leak(path.to_str().unwrap().to_string().into_boxed_str());
        let mut st = State {
            target: Target::Syslog,
            syslog_path: leaked,
            sock: None,
            last_attempt: None,
            last: String::new(),
            last_level: Level::Info,
            last_at: None,
            repeats: 0,
            dropped: 0,
        };
        let t0 = Instant::now();
        st.log(Level::Warn, "wlan0: hostapd down", t0);
        for i in 1..=5 {
            st.log(
                Level::Warn,
                "wlan0: hostapd down",
                t0 + Duration::from_secs(i),
            );
        }
        st.log(
            Level::Info,
            "wlan0: hostapd back",
            t0 + Duration::from_secs(6),
        );
        let mut buf = [0u8; 256];
        let mut got = Vec::new();
        for _ in 0..3 {
            let n = server.recv(&mut buf).unwrap();
            got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
        let pid = std::process::id();
        assert_eq!(
            got,
            [
                format!("<28>roamer[{pid}]: wlan0: hostapd down"),
                format!("<28>roamer[{pid}]: last message repeated 5 times"),
                format!("<30>roamer[{pid}]: wlan0: hostapd back"),
            ]
        );
        // Outside the window the same line is written again.
        st.log(
            Level::Info,
            "wlan0: hostapd back",
            t0 + Duration::from_secs(100),
        );
        let n = server.recv(&mut buf).unwrap();
        assert_eq!(
            &buf[..n],
            format!("<30>roamer[{pid}]: wlan0: hostapd back").as_bytes()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
