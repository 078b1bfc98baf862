//! `roamer decode beacon-report HEX | nr HEX | event LINE`: offline decoding.

use super::args::{self, flag};

use super::render;
use super::table::{Kv, Table};
use super::{out_line, CliError};
use ctrl_proto::event::{Event, Message};
use ctrl_proto::hex;
use ctrl_proto::neighbor::NeighborReport;
use ctrl_proto::rrm::{BeaconReport, ReportSubelement};
use std::ffi::OsString;

const SPEC: &[args::Opt] = &[flag("json")];

/// Runs `roamer decode ...`.
#[inline(never)]
pub fn run(rest: &[OsString]) -> Result<(), CliError> {
    let p = args::command("decode", rest, SPEC, super::help::DECODE)?;
    let json = p.flag("json");
    let Some(what) = p.pos.first() else {
        return Err(CliError::usage(
            "decode",
            "missing what to decode: beacon-report, nr or event (see 'roamer decode --help')",
        ));
    };
    let input = match p.pos.get(1..) {
        Some([one]) => one.as_str(),
        Some([]) | None => {
            return Err(CliError::usage(
                &format!("decode {what}"),
                "missing input (see 'roamer decode --help')",
            ))
        }
        Some(more) => {
            return Err(CliError::usage(
                &format!("decode {what}"),
                format_args!(
                    "unexpected argument '{}' (quote the input)",
                    more.get(1).map(String::as_str).unwrap_or("")
                ),
            ))
        }
    };
    match what.as_str() {
        "beacon-report" => beacon_report(input, json),
        "nr" => nr(input, json),
        "event" => event(input, json),
        other => Err(CliError::usage(
            "decode",
            format_args!("unknown kind '{other}': expected beacon-report, nr or event"),
        )),
    }
}

/// Decodes a hex argument (surrounding blanks ignored) or fails with exit 2.
pub fn hex_arg(what: &str, text: &str) -> Result<Vec<u8>, CliError> {
    hex::decode(text.trim())
        .map_err(|e| CliError::usage(what, format_args!("'{}': {e}", short(text))))
}

/// The first 40 characters of `text`, for error messages.
fn short(text: &str) -> String {
    let mut s: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        s.push_str("...");
    }
    s
}

/// Key/value lines describing one beacon report (shared with `decode event`).
pub fn report_lines(v: &mut Kv, r: &BeaconReport<'_>) {
    v.disp("bssid", &r.bssid);
    match render::class_freq(r.op_class, r.channel) {
        Some(f) => v.fmt(
            "op class / channel",
            format_args!("{} / {} ({f} MHz)", r.op_class, r.channel),
        ),
        None => v.fmt(
            "op class / channel",
            format_args!("{} / {}", r.op_class, r.channel),
        ),
    }
    match r.rcpi.dbm() {
        Some(d) => v.fmt(
            "rcpi",
            format_args!("{} ({} dBm)", r.rcpi.0, render::half_db(d)),
        ),
        None if r.rcpi.0 == 255 => v.text("rcpi", "255 (not measured)"),
        None => v.fmt("rcpi", format_args!("{} (reserved value)", r.rcpi.0)),
    }
    match r.rsni.db() {
        Some(d) => v.fmt(
            "rsni",
            format_args!("{} ({} dB)", r.rsni.0, render::half_db(d)),
        ),
        None => v.text("rsni", "255 (not available)"),
    }
    v.fmt(
        "frame",
        format_args!(
            "{} {}",
            render::phy_name(r.frame_info.phy_type()),
            if r.frame_info.is_pilot() {
                "measurement pilot"
            } else {
                "beacon/probe response"
            }
        ),
    );
    v.disp("start time (TSF)", &r.start_time);
    v.fmt("duration", format_args!("{} TU", r.duration));
    v.disp("antenna id", &r.antenna_id);
    v.disp("parent tsf", &r.parent_tsf);
    for s in r.subelements() {
        match s {
            ReportSubelement::FrameBody(b) => {
                if let Some(ssid) = b.ssid() {
                    v.add("ssid", render::ssid_text(ssid));
                }
                if let Some(bi) = b.beacon_interval() {
                    v.fmt("beacon interval", format_args!("{bi} TU"));
                }
                if let Some(cap) = b.capability() {
                    v.fmt("capability", format_args!("0x{cap:04x}"));
                }
                let mut ids = String::new();
                for (id, _) in b.elements().map_while(Result::ok) {
                    if !ids.is_empty() {
                        ids.push(' ');
                    }
                    super::push_fmt(&mut ids, format_args!("{id}"));
                }
                v.fmt(
                    "frame body",
                    format_args!("{} bytes, element ids {ids}", b.0.len()),
                );
            }
            ReportSubelement::FragmentId(f) => v.fmt(
                "fragment",
                format_args!(
                    "report {} fragment {}{}",
                    f.report_id,
                    f.number,
                    if f.more { " (more follow)" } else { " (last)" }
                ),
            ),
            ReportSubelement::LastIndication(x) => v.disp("last report", &x),
            ReportSubelement::Other { id, data } => {
                v.fmt("subelement", format_args!("{id}: {}", hex::encode(data)))
            }
        }
    }
}

fn beacon_report(input: &str, json: bool) -> Result<(), CliError> {
    let bytes = hex_arg("decode beacon-report", input)?;
    let r =
        BeaconReport::parse(&bytes).map_err(|e| CliError::usage_of("decode beacon-report", &e))?;
    let ssid = r.frame_body().and_then(|b| b.ssid());
    if json {
        out_line(&render::report_json(&r, ssid));
    } else {
        let mut kv = Kv::default();
        report_lines(&mut kv, &r);
        kv.print();
    }
    Ok(())
}

/// A table of beacon reports (used by `decode event` and `beacon-report`).
pub fn report_table(reports: &[(BeaconReport<'_>, Option<Vec<u8>>)]) -> Table {
    let mut t = Table::new(render::REPORT_HEADER);
    for (r, ssid) in reports {
        render::report_row(&mut t, r, ssid.as_deref());
    }
    t
}

fn nr(input: &str, json: bool) -> Result<(), CliError> {
    let text = input.trim();
    let text = text.strip_prefix("nr=").unwrap_or(text);
    let bytes = hex_arg("decode nr", text)?;
    let r = NeighborReport::parse(&bytes).map_err(|e| CliError::usage_of("decode nr", &e))?;
    if json {
        out_line(&render::nr_json(&r));
    } else {
        let mut kv = Kv::default();
        render::nr_lines(&mut kv, &r);
        kv.print();
    }
    Ok(())
}

/// An event name as hostapd writes them: upper-case letters, digits and dashes.
fn looks_like_event_name(w: &str) -> bool {
    !w.is_empty()
        && w.bytes().any(|b| b.is_ascii_uppercase())
        && w.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Parses one event line in any of the forms hostapd and its tools print: the datagram
/// (`<3>EVENT ...`, `IFNAME=wlan0 <3>EVENT ...`), hostapd_cli's action-script form
/// (`wlan0 EVENT ...`) or the bare event (`EVENT ...`). Returns the interface if named.
pub fn parse_event_line(line: &str) -> Result<(Option<&str>, Event<'_>), CliError> {
    let what = "decode event";
    let line = line.trim_end_matches(['\n', '\r']).trim_start();
    if line.starts_with('<') || line.starts_with("IFNAME=") {
        let m = Message::parse_str(line).map_err(|e| CliError::usage_of(what, &e))?;
        return Ok((m.ifname, m.event));
    }
    let first = line.split(' ').next().unwrap_or("");
    let (iface, text) = if looks_like_event_name(first) {
        (None, line)
    } else {
        match line.split_once(' ') {
            Some((i, rest)) => (Some(i), rest.trim_start()),
            None => (None, line),
        }
    };
    let text = text.strip_prefix("<3>").unwrap_or(text);
    let name = text.split(' ').next().unwrap_or("");
    if !looks_like_event_name(name) {
        return Err(CliError::usage(
            what,
            format_args!("'{}' is not a hostapd event line", short(line)),
        ));
    }
    let ev = Event::parse(text).map_err(|e| CliError::usage_of(what, &e))?;
    Ok((iface, ev))
}

fn event(input: &str, json: bool) -> Result<(), CliError> {
    let (iface, ev) = parse_event_line(input)?;
    if json {
        let mut j = render::event_json(&ev);
        if let Some(i) = iface {
            j.str("iface", i);
        }
        j.print();
        return Ok(());
    }
    let mut lines = Kv::default();
    if let Some(i) = iface {
        lines.text("iface", i);
    }
    lines.text("event", ev.name());
    if let Some(sta) = ev.sta() {
        lines.disp("station", &sta);
    }
    match &ev {
        Event::BeaconRespRx {
            token,
            mode,
            report,
            ..
        } => {
            lines.disp("token", &token);
            lines.fmt(
                "report mode",
                format_args!("{:02x} ({})", mode.0, render::report_mode_name(*mode)),
            );
            let bytes = report.decode();
            if !bytes.is_empty() {
                let r = BeaconReport::parse(&bytes)
                    .map_err(|e| CliError::usage_of("decode event", &e))?;
                report_lines(&mut lines, &r);
            }
        }
        Event::Unknown(_) => lines.text("decoded", "no (event not known to roamer)"),
        other => lines.add("decoded", render::event_text(other)),
    }
    lines.print();
    Ok(())
}
