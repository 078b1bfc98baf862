//! `roamer decode beacon-report HEX | nr HEX | event LINE`: offline decoding.

use super::args::{self, flag};

use super::render;
use super::table::{key_values, Table};
use super::{out, out_line, CliError};
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
pub fn report_lines(r: &BeaconReport<'_>) -> Vec<(&'static str, String)> {
    let mut v: Vec<(&'static str, String)> = vec![
        ("bssid", r.bssid.to_string()),
        (
            "op class / channel",
            match render::class_freq(r.op_class, r.channel) {
                Some(f) => format!("{} / {} ({f} MHz)", r.op_class, r.channel),
                None => format!("{} / {}", r.op_class, r.channel),
            },
        ),
        (
            "rcpi",
            match r.rcpi.dbm() {
                Some(d) => format!("{} ({} dBm)", r.rcpi.0, render::half_db(d)),
                None if r.rcpi.0 == 255 => "255 (not measured)".into(),
                None => format!("{} (reserved value)", r.rcpi.0),
            },
        ),
        (
            "rsni",
            match r.rsni.db() {
                Some(d) => format!("{} ({} dB)", r.rsni.0, render::half_db(d)),
                None => "255 (not available)".into(),
            },
        ),
        (
            "frame",
            format!(
                "{} {}",
                render::phy_name(r.frame_info.phy_type()),
                if r.frame_info.is_pilot() {
                    "measurement pilot"
                } else {
                    "beacon/probe response"
                }
            ),
        ),
        ("start time (TSF)", r.start_time.to_string()),
        ("duration", format!("{} TU", r.duration)),
        ("antenna id", r.antenna_id.to_string()),
        ("parent tsf", r.parent_tsf.to_string()),
    ];
    for s in r.subelements() {
        match s {
            ReportSubelement::FrameBody(b) => {
                if let Some(ssid) = b.ssid() {
                    v.push(("ssid", render::ssid_text(ssid)));
                }
                if let Some(bi) = b.beacon_interval() {
                    v.push(("beacon interval", format!("{bi} TU")));
                }
                if let Some(cap) = b.capability() {
                    v.push(("capability", format!("0x{cap:04x}")));
                }
                let ids: Vec<String> = b
                    .elements()
                    .map_while(Result::ok)
                    .map(|(id, _)| id.to_string())
                    .collect();
                v.push((
                    "frame body",
                    format!("{} bytes, element ids {}", b.0.len(), ids.join(" ")),
                ));
            }
            ReportSubelement::FragmentId(f) => v.push((
                "fragment",
                format!(
                    "report {} fragment {}{}",
                    f.report_id,
                    f.number,
                    if f.more { " (more follow)" } else { " (last)" }
                ),
            )),
            ReportSubelement::LastIndication(x) => v.push(("last report", x.to_string())),
            ReportSubelement::Other { id, data } => {
                v.push(("subelement", format!("{id}: {}", hex::encode(data))))
            }
        }
    }
    v
}

fn beacon_report(input: &str, json: bool) -> Result<(), CliError> {
    let bytes = hex_arg("decode beacon-report", input)?;
    let r = BeaconReport::parse(&bytes)
        .map_err(|e| CliError::usage("decode beacon-report", format_args!("{e}")))?;
    let ssid = r.frame_body().and_then(|b| b.ssid());
    if json {
        out_line(&render::report_json(&r, ssid));
    } else {
        out(&key_values(&report_lines(&r)));
    }
    Ok(())
}

/// A table of beacon reports (used by `decode event` and `beacon-report`).
pub fn report_table(reports: &[(BeaconReport<'_>, Option<Vec<u8>>)]) -> Table {
    let mut t = Table::new(render::REPORT_HEADER);
    for (r, ssid) in reports {
        t.row(render::report_row(r, ssid.as_deref()));
    }
    t
}

fn nr(input: &str, json: bool) -> Result<(), CliError> {
    let text = input.trim();
    let text = text.strip_prefix("nr=").unwrap_or(text);
    let bytes = hex_arg("decode nr", text)?;
    let r = NeighborReport::parse(&bytes)
        .map_err(|e| CliError::usage("decode nr", format_args!("{e}")))?;
    if json {
        out_line(&render::nr_json(&r));
    } else {
        out(&key_values(&render::nr_lines(&r)));
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
        let m = Message::parse_str(line).map_err(|e| CliError::usage(what, format_args!("{e}")))?;
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
    let ev = Event::parse(text).map_err(|e| CliError::usage(what, format_args!("{e}")))?;
    Ok((iface, ev))
}

fn event(input: &str, json: bool) -> Result<(), CliError> {
    let (iface, ev) = parse_event_line(input)?;
    if json {
        let mut j = render::event_json(&ev);
        if let Some(i) = iface {
            j.push("iface", i);
        }
        out_line(&j);
        return Ok(());
    }
    let mut lines: Vec<(&'static str, String)> = Vec::new();
    if let Some(i) = iface {
        lines.push(("iface", i.to_string()));
    }
    lines.push(("event", ev.name().to_string()));
    if let Some(sta) = ev.sta() {
        lines.push(("station", sta.to_string()));
    }
    match &ev {
        Event::BeaconRespRx {
            token,
            mode,
            report,
            ..
        } => {
            lines.push(("token", token.to_string()));
            lines.push((
                "report mode",
                format!("{:02x} ({})", mode.0, render::report_mode_name(*mode)),
            ));
            let bytes = report.decode();
            if !bytes.is_empty() {
                let r = BeaconReport::parse(&bytes)
                    .map_err(|e| CliError::usage("decode event", format_args!("{e}")))?;
                lines.extend(report_lines(&r));
            }
        }
        Event::Unknown(_) => lines.push(("decoded", "no (event not known to roamer)".into())),
        other => lines.push(("decoded", render::event_text(other))),
    }
    out(&key_values(&lines));
    Ok(())
}
