//! `roamer beacon-report IFACE STA ...`: one 802.11k beacon request, its reports decoded.

use super::args::{self, flag, val};
use super::hostapd::{refusal, Ctrl, Events, Signals, Wait};
use super::json::{Arr, Obj};
use super::{bss, common, decode, out, render, CliError};
use crate::radio::Band;
use ctrl_proto::command::Command;
use ctrl_proto::event::{Event, Message};
use ctrl_proto::hex;
use ctrl_proto::opclass;
use ctrl_proto::rrm::{BeaconReport, BeaconRequest, BeaconRequestSubelement, MeasurementMode};
use ctrl_proto::Mac;
use std::ffi::OsString;
use std::time::{Duration, Instant};

const SPEC: &[args::Opt] = &[
    flag("json"),
    val("ctrl-dir"),
    val("mode"),
    val("op-class"),
    val("channel"),
    val("bssid"),
    val("ssid"),
    val("duration"),
    val("timeout"),
];

/// Default overall deadline.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// Reports are collected until this long passes without another one.
pub const QUIET: Duration = Duration::from_secs(1);

/// Checks that station `sta` is associated and authorized on `iface` (REQ_BEACON and
/// BSS_TM_REQ need that), via hostapd's `STA` or, where hostapd lacks it, nl80211.
pub fn check_station(ctrl: &mut Ctrl, iface: &str, sta: Mac) -> Result<(), CliError> {
    let reply = ctrl.request_sta("STA", sta)?;
    match reply.as_str() {
        "FAIL\n" | "" => Err(CliError::failed(
            iface,
            format_args!("station {sta} is not associated with {iface}"),
        )),
        "UNKNOWN COMMAND\n" => {
            // OpenWrt builds without CONFIG_CTRL_IFACE_MIB: ask the kernel.
            let ifindex = common::ifindex(iface)?;
            let mut nl = common::nl_connect(iface)?;
            match nl.station(ifindex, sta.0) {
                Ok(s) if s.flags.and_then(|f| f.authorized()) == Some(false) => Err(
                    CliError::failed(iface, format_args!("station {sta} is not authorized yet")),
                ),
                Ok(_) => Ok(()),
                Err(_) => Err(CliError::failed(
                    iface,
                    format_args!("station {sta} is not associated with {iface}"),
                )),
            }
        }
        text => {
            let flags = text
                .lines()
                .find_map(|l| l.strip_prefix("flags="))
                .unwrap_or("");
            if flags.contains("[AUTHORIZED]") {
                Ok(())
            } else {
                Err(CliError::failed(
                    iface,
                    format_args!("station {sta} is not authorized (flags {flags})"),
                ))
            }
        }
    }
}

/// The 20 MHz global operating class of primary channel `channel` (for `--channel` without
/// `--op-class`): a 6 GHz channel if the serving BSS is on 6 GHz, else 1-14 are 2.4 GHz
/// channels and the rest 5 GHz ones.
fn class_of_channel(serving: Band, channel: u8, version: ctrl_proto::HostapdVersion) -> Option<u8> {
    let c = u32::from(channel);
    let freq = match (serving, channel) {
        (Band::G6, 2) => 5935,
        (Band::G6, _) => 5950 + 5 * c,
        (_, 14) => 2484,
        (_, 1..=13) => 2407 + 5 * c,
        _ => 5000 + 5 * c,
    };
    opclass::twenty_mhz_class(freq, version)
        .map(|o| o.op_class)
        .filter(|&o| o != 0)
}

struct Collected {
    token: u8,
    /// (report hex, mode byte) per BEACON-RESP-RX of our token.
    reports: Vec<Vec<u8>>,
    mode: u8,
    acked: Option<bool>,
    last: bool,
}

/// Runs `roamer beacon-report ...`.
#[inline(never)]
pub fn run(rest: &[OsString]) -> Result<(), CliError> {
    let cmd = "beacon-report";
    let p = args::iface_command(
        cmd,
        rest,
        SPEC,
        super::help::BEACON_REPORT,
        &["IFACE", "STA"],
    )?;
    let iface = p.arg(0);
    let sta = common::mac_arg(cmd, "STA", p.arg(1))?;
    let mode = match p.value("mode").unwrap_or("active") {
        "active" => MeasurementMode::Active,
        "passive" => MeasurementMode::Passive,
        "table" => MeasurementMode::Table,
        other => {
            return Err(CliError::usage(
                cmd,
                format_args!("--mode '{other}': expected active, passive or table"),
            ))
        }
    };
    let op_class = p.num::<u8>("op-class", 1, 255)?;
    let channel = p.num::<u8>("channel", 0, 255)?;
    let bssid = match p.value("bssid") {
        Some(b) => common::mac_arg(cmd, "--bssid", b)?,
        None => Mac::BROADCAST,
    };
    let ssid = p.value("ssid").map(|s| s.as_bytes().to_vec());
    if let Some(s) = &ssid {
        if s.is_empty() || s.len() > 32 {
            return Err(CliError::usage(cmd, "--ssid must be 1 to 32 bytes"));
        }
    }
    let duration = p.num::<u16>("duration", 0, u16::MAX)?.unwrap_or(100);
    let timeout = p.seconds("timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    let json = p.flag("json");
    let dir = common::ctrl_dir(p.value("ctrl-dir"));

    let sig = Signals::block()?;
    let mut ctrl = Ctrl::open(dir, iface)?;
    // The serving BSS gives the defaults (its band, primary channel, 20 MHz class).
    let serving = bss::load(&mut ctrl, iface, None)?;
    let b = &serving.bss;
    let (op_class, channel) = match (op_class, channel) {
        (Some(o), Some(c)) => (o, c),
        (Some(o), None) => (o, 0),
        (None, Some(c)) if c == 0 || c == 255 => (b.op_class_20.unwrap_or(0), c),
        (None, Some(c)) => (
            class_of_channel(b.band, c, b.version).ok_or_else(|| {
                CliError::usage(
                    cmd,
                    format_args!("--channel {c}: no 20 MHz operating class known; give --op-class"),
                )
            })?,
            c,
        ),
        (None, None) => (b.op_class_20.unwrap_or(0), b.channel),
    };
    // Not needed any more: not kept alive across the exits below.
    drop(serving);
    if op_class == 0 {
        return Err(CliError::usage(
            cmd,
            "no operating class for the serving channel; give --op-class",
        ));
    }
    check_station(&mut ctrl, iface, sta)?;

    let mut request = BeaconRequest::new(op_class, channel, duration, mode, bssid);
    if let Some(s) = &ssid {
        request
            .subelements
            .push(BeaconRequestSubelement::Ssid(s.clone()));
    }
    // Ask the client to mark its last report, so the wait ends as soon as it is in.
    request
        .subelements
        .push(BeaconRequestSubelement::LastIndication(1));
    let body = request
        .to_bytes()
        .map_err(|e| CliError::usage(cmd, format_args!("request does not fit: {e}")))?;
    let command = Command::ReqBeacon {
        sta,
        req_mode: None,
        request,
    };
    let text = command.to_text().map_err(|e| CliError::usage_of(cmd, &e))?;
    // Take the request back instead of cloning it for the command.
    let Command::ReqBeacon { request, .. } = command else {
        unreachable!()
    };

    // Attach BEFORE sending, so no report can be missed.
    let mut events = Events::open(dir, iface)?;
    let reply = ctrl.request(text.trim_end())?;
    if let Some(why) = refusal(&reply) {
        return Err(CliError::failed(
            iface,
            format_args!(
                "hostapd refused REQ_BEACON ({why}): {sta} did not announce support for \
                 {} beacon reports (RM Enabled Capabilities), or rrm is off",
                mode_name(mode)
            ),
        ));
    }
    let token: u8 = reply.trim().parse().map_err(|_| {
        CliError::failed(
            iface,
            format_args!("unexpected REQ_BEACON reply '{}'", reply.trim()),
        )
    })?;

    let mut c = Collected {
        token,
        reports: Vec::new(),
        mode: 0,
        acked: None,
        last: false,
    };
    let started = Instant::now();
    let end = started + timeout;
    let mut quiet_until: Option<Instant> = None;
    loop {
        let deadline = quiet_until.map_or(end, |q| q.min(end));
        match events.next(deadline, &sig)? {
            Wait::Interrupted => return Err(CliError::failed(cmd, "interrupted")),
            Wait::Timeout => break,
            Wait::Event(d) => {
                let Ok(m) = Message::parse_str(&d) else {
                    continue;
                };
                match m.event {
                    Event::BeaconReqTxStatus {
                        sta: s,
                        token: t,
                        ack,
                    } if s == sta && t == token => {
                        c.acked = Some(ack);
                        if !ack {
                            break;
                        }
                    }
                    Event::BeaconRespRx {
                        sta: s,
                        token: t,
                        mode: rm,
                        report,
                    } if s == sta && t == token => {
                        c.mode |= rm.0;
                        if !rm.is_accepted() {
                            break;
                        }
                        let bytes = report.decode();
                        if let Ok(r) = BeaconReport::parse(&bytes) {
                            c.last |= r.subelements().any(|s| {
                                matches!(s, ctrl_proto::rrm::ReportSubelement::LastIndication(1))
                            });
                        }
                        c.reports.push(bytes);
                        if c.last {
                            break;
                        }
                        quiet_until = Some(Instant::now() + QUIET);
                    }
                    _ => {}
                }
            }
        }
    }
    drop(events);
    finish(iface, sta, &request, &body, c, timeout, json)
}

fn mode_name(m: MeasurementMode) -> &'static str {
    match m {
        MeasurementMode::Active => "active",
        MeasurementMode::Passive => "passive",
        MeasurementMode::Table => "table",
        MeasurementMode::Other(_) => "other",
    }
}

fn finish(
    iface: &str,
    sta: Mac,
    req: &BeaconRequest,
    body: &[u8],
    c: Collected,
    timeout: Duration,
    json: bool,
) -> Result<(), CliError> {
    let mode = ctrl_proto::rrm::ReportMode(c.mode);
    let parsed: Vec<(BeaconReport<'_>, Option<Vec<u8>>)> = c
        .reports
        .iter()
        .filter_map(|b| BeaconReport::parse(b).ok())
        // A continuation fragment of a frame body is not another BSS.
        .filter(|r| r.fragment_id().map_or(true, |f| f.number == 0))
        .map(|r| {
            let ssid = r.frame_body().and_then(|b| b.ssid()).map(<[u8]>::to_vec);
            (r, ssid)
        })
        .collect();
    let failure = if c.acked == Some(false) {
        Some(format!("{sta} did not acknowledge the beacon request"))
    } else if mode.refused() {
        Some(format!(
            "{sta} refused the measurement (report mode {:02x} refused)",
            c.mode
        ))
    } else if mode.incapable() {
        Some(format!(
            "{sta} is incapable of this measurement (report mode {:02x} incapable)",
            c.mode
        ))
    } else if c.reports.is_empty() {
        Some(format!(
            "no beacon report from {sta} within {} s",
            super::num::secs_1(timeout)
        ))
    } else {
        None
    };
    if json {
        let mut reports = Arr::new();
        for (r, s) in &parsed {
            reports.raw(&render::report_json(r, s.as_deref()));
        }
        let mut request = Obj::new();
        request.int("op_class", req.op_class.into());
        request.int("channel", req.channel.into());
        request.str("mode", mode_name(req.mode));
        request.int("duration", req.duration.into());
        request.disp("bssid", &req.bssid);
        request.str("hex", &hex::encode(body));
        let mut j = Obj::new();
        j.str("iface", iface);
        j.disp("sta", &sta);
        j.int("token", c.token.into());
        j.raw("request", &request.end());
        j.opt_bool("acked", c.acked);
        j.int("report_mode", c.mode.into());
        j.str("report_mode_name", &render::report_mode_name(mode));
        j.bool("ok", failure.is_none());
        j.opt_str("error", failure.as_deref());
        j.raw("reports", &reports.end());
        j.print();
    } else if failure.is_none() {
        out(&decode::report_table(&parsed).render());
    }
    match failure {
        None => Ok(()),
        Some(why) => Err(CliError::failed(iface, why)),
    }
}
