//! `roamer events IFACE`: hostapd's events, decoded, until SIGINT/SIGTERM.

use super::args::{self, flag, val};
use super::hostapd::{Events, Signals, Wait};
use super::json::Obj;
use super::{common, out, render, CliError};
use ctrl_proto::event::{Event, Message};
use std::ffi::OsString;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const SPEC: &[args::Opt] = &[flag("json"), val("ctrl-dir")];

/// After this long without an event, hostapd is pinged (a vanished hostapd is noticed).
const LIVENESS: Duration = Duration::from_secs(5);

/// `HH:MM:SS.mmm` (UTC) and milliseconds since the epoch.
fn now_stamp() -> (String, u64) {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let ms = u64::try_from(d.as_millis()).unwrap_or(0);
    let s = d.as_secs() % 86_400;
    (
        format!(
            "{:02}:{:02}:{:02}.{:03}",
            s / 3600,
            s / 60 % 60,
            s % 60,
            d.subsec_millis()
        ),
        ms,
    )
}

/// Runs `roamer events ...`.
#[inline(never)]
pub fn run(rest: &[OsString]) -> Result<(), CliError> {
    let p = args::iface_command("events", rest, SPEC, super::help::EVENTS, &["IFACE"])?;
    let iface = p.arg(0);
    let json = p.flag("json");
    let dir = common::ctrl_dir(p.value("ctrl-dir"));
    let sig = Signals::block()?;
    let mut events = Events::open(dir, iface)?;
    if !json {
        let (t, _) = now_stamp();
        if !out(&format!("{t} attached to {iface} (Ctrl-C to stop)\n")) {
            return Ok(());
        }
    }
    loop {
        match events.next(Instant::now() + LIVENESS, &sig)? {
            Wait::Interrupted => return Ok(()),
            Wait::Timeout => events.ping()?,
            Wait::Event(d) => {
                let (t, ms) = now_stamp();
                let line = match Message::parse_str(&d) {
                    Ok(m) if json => {
                        let mut j = render::event_json(&m.event);
                        j.uint("t_ms", ms);
                        j.str("iface", iface);
                        let mut line = j.end();
                        line.push('\n');
                        line
                    }
                    Ok(m) => format!("{t} {}\n", render::event_text(&m.event)),
                    // Undecodable: show it verbatim, never stop.
                    Err(e) if json => {
                        let mut j = Obj::new();
                        j.str("event", "UNDECODABLE");
                        j.disp("error", &e);
                        j.str("text", &d);
                        j.uint("t_ms", ms);
                        j.str("iface", iface);
                        let mut line = j.end();
                        line.push('\n');
                        line
                    }
                    Err(e) => format!("{t} {} (undecodable: {e})\n", d.trim_end()),
                };
                if !out(&line) {
                    return Ok(());
                }
                if let Ok(Message {
                    event: Event::Terminating,
                    ..
                }) = Message::parse_str(&d)
                {
                    return Err(CliError::failed(iface, "hostapd terminated"));
                }
            }
        }
    }
}
