//! `roamer steer IFACE STA TARGET_BSSID ...`: one 802.11v BSS transition request, its answer
//! and the client's departure.

use super::args::{self, flag, val};
use super::beacon::check_station;
use super::hostapd::{refusal, Ctrl, Events, Signals, Wait};
use super::json::Obj;
use super::table::Kv;
use super::{bss, common, decode, local, render, CliError};
use ctrl_proto::command::{BssTmReq, Command};
use ctrl_proto::event::{Event, Message};
use ctrl_proto::neighbor::NeighborReport;
use ctrl_proto::Mac;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SPEC: &[args::Opt] = &[
    flag("json"),
    flag("imminent"),
    val("ctrl-dir"),
    val("disassoc-timer"),
    val("valid-int"),
    val("pref"),
    val("nr"),
    val("config"),
    val("timeout"),
];

/// Default overall deadline.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the target's neighbor entry came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `--nr HEX`.
    Given,
    /// Computed for a local BSS (its interface).
    Local(String),
    /// A `config neighbor` section of this file.
    Config(PathBuf),
    /// hostapd's SHOW_NEIGHBOR table.
    Hostapd,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Given => f.write_str("--nr"),
            Source::Local(i) => write!(f, "local BSS {i}"),
            Source::Config(p) => write!(f, "config {}", p.display()),
            Source::Hostapd => f.write_str("hostapd's neighbor table"),
        }
    }
}

/// roamer's configuration: `--config FILE` must load (exit 2 otherwise); the default file
/// is used if it exists.
pub fn load_config(
    cmd: &str,
    opt: Option<&str>,
) -> Result<Option<crate::config::Config>, CliError> {
    let path = Path::new(opt.unwrap_or(crate::config::DEFAULT_PATH));
    if opt.is_none() && !path.exists() {
        return Ok(None);
    }
    crate::config::Config::load(path).map(Some).map_err(|e| {
        let text = e.to_string();
        CliError::usage(cmd, text.lines().next().unwrap_or("invalid configuration"))
    })
}

/// Finds the full neighbor report of `target`: `--nr`, a local BSS, the configuration,
/// hostapd's table (in that order).
fn resolve_target(
    cmd: &str,
    target: Mac,
    nr_opt: Option<&str>,
    dir: &Path,
    config: Option<&crate::config::Config>,
    ctrl: &mut Ctrl,
) -> Result<(NeighborReport, Source), CliError> {
    if let Some(h) = nr_opt {
        let h = h.trim();
        let bytes = decode::hex_arg(cmd, h.strip_prefix("nr=").unwrap_or(h))?;
        let r = NeighborReport::parse(&bytes)
            .map_err(|e| CliError::usage(cmd, format_args!("--nr: {e}")))?;
        if r.bssid != target {
            return Err(CliError::usage(
                cmd,
                format_args!("--nr is the entry of {}, not of {target}", r.bssid),
            ));
        }
        return Ok((r, Source::Given));
    }
    for b in local::local_bsses(dir) {
        if b.bssid == target {
            if let Ok(r) = b.own_report() {
                return Ok((r, Source::Local(b.ifname.clone())));
            }
        }
    }
    if let Some(c) = config {
        if let Some(n) = c.neighbors.iter().find(|n| Mac(n.bssid) == target) {
            if let Ok(r) = NeighborReport::parse(&n.nr) {
                return Ok((r, Source::Config(c.file.clone())));
            }
        }
    }
    if let Ok(Some(list)) = bss::show_neighbor(ctrl) {
        if let Some(e) = list.iter().find(|e| e.bssid == target) {
            if let Ok(r) = e.report() {
                return Ok((r, Source::Hostapd));
            }
        }
    }
    Err(CliError::failed(
        cmd,
        format_args!(
            "no neighbor entry known for {target}: not a local BSS in {}, not a 'config neighbor' \
             of roamer's configuration, not in hostapd's table; give --nr HEX",
            dir.display()
        ),
    ))
}

/// What an event datagram says about station `sta`.
enum About {
    /// Its BSS-TM-RESP: status code and target BSSID.
    Resp(u8, Option<Mac>),
    /// Its AP-STA-DISCONNECTED.
    Gone,
    /// Anything else (another station, another event, undecodable).
    Other,
}

/// Decodes event datagram `d` for [`About`] (one out-of-line copy of the event match).
#[inline(never)]
fn about(d: &str, sta: Mac) -> About {
    match Message::parse_str(d) {
        Ok(Message {
            event:
                Event::BssTmResp {
                    sta: s,
                    status,
                    target,
                    ..
                },
            ..
        }) if s == sta => About::Resp(status.0, target),
        Ok(Message {
            event: Event::StaDisconnected { sta: s, .. },
            ..
        }) if s == sta => About::Gone,
        _ => About::Other,
    }
}

/// Runs `roamer steer ...`.
#[inline(never)]
pub fn run(rest: &[OsString]) -> Result<(), CliError> {
    let cmd = "steer";
    let p = args::iface_command(
        cmd,
        rest,
        SPEC,
        super::help::STEER,
        &["IFACE", "STA", "TARGET_BSSID"],
    )?;
    let iface = p.arg(0);
    let sta = common::mac_arg(cmd, "STA", p.arg(1))?;
    let target = common::mac_arg(cmd, "TARGET_BSSID", p.arg(2))?;
    if sta.is_multicast() || target.is_multicast() {
        return Err(CliError::usage(
            cmd,
            "STA and TARGET_BSSID must be unicast addresses",
        ));
    }
    let disassoc_timer = p.num::<u16>("disassoc-timer", 0, u16::MAX)?;
    let valid_int = p.num::<u8>("valid-int", 1, 255)?;
    let pref = p.num::<u8>("pref", 1, 255)?.unwrap_or(255);
    let timeout = p.seconds("timeout")?.unwrap_or(DEFAULT_TIMEOUT);
    let json = p.flag("json");
    let dir = common::ctrl_dir(p.value("ctrl-dir"));
    let config = load_config(cmd, p.value("config"))?;

    let sig = Signals::block()?;
    let started = Instant::now();
    let end = started + timeout;
    let mut ctrl = Ctrl::open(dir, iface)?;
    let serving = bss::load(&mut ctrl, iface, None)?.bss.bssid;
    if serving == target {
        return Err(CliError::usage(
            cmd,
            format_args!("{target} is {iface} itself, where the station already is"),
        ));
    }
    check_station(&mut ctrl, iface, sta)?;
    let (mut report, source) =
        resolve_target(cmd, target, p.value("nr"), dir, config.as_ref(), &mut ctrl)?;
    drop(config);
    report.set_preference(pref);

    let mut req = BssTmReq::new(sta);
    req.pref = true;
    req.abridged = true;
    req.disassoc_imminent = p.flag("imminent");
    req.disassoc_timer = disassoc_timer;
    req.valid_int = valid_int;
    req.candidates = vec![report];
    let command = Command::BssTmReq(req);
    let text = command.to_text().map_err(|e| CliError::usage_of(cmd, &e))?;
    // Take the candidate back instead of cloning it for the command.
    let Command::BssTmReq(BssTmReq { candidates, .. }) = command else {
        unreachable!()
    };
    let Some(report) = candidates.first() else {
        unreachable!()
    };

    // Attach BEFORE sending, so the response cannot be missed.
    let mut events = Events::open(dir, iface)?;
    let reply = ctrl.request(text.trim_end())?;
    if reply == "UNKNOWN COMMAND\n" {
        return Err(CliError::failed(
            iface,
            "hostapd has no BSS_TM_REQ (built without CONFIG_WNM)",
        ));
    }
    if let Some(why) = refusal(&reply) {
        return Err(CliError::failed(
            iface,
            format_args!("hostapd refused BSS_TM_REQ ({why}): is {sta} still associated?"),
        ));
    }

    let mut status: Option<(u8, Option<Mac>)> = None;
    let mut left: Option<(Duration, &'static str)> = None;
    // Phase 1: the response (or the client leaving without one).
    while status.is_none() && left.is_none() {
        match events.next(end, &sig)? {
            Wait::Interrupted => return Err(CliError::failed(cmd, "interrupted")),
            Wait::Timeout => break,
            Wait::Event(d) => {
                match about(&d, sta) {
                    About::Resp(st, t) => status = Some((st, t)),
                    About::Gone => {
                        left = Some((started.elapsed(), "disconnected"));
                        // A response already in flight still counts.
                        let grace = (Instant::now() + Duration::from_millis(300)).min(end);
                        while let Ok(Wait::Event(d)) = events.next(grace, &sig) {
                            if let About::Resp(st, t) = about(&d, sta) {
                                status = Some((st, t));
                                break;
                            }
                        }
                    }
                    About::Other => {}
                }
            }
        }
    }
    // Phase 2: accepted; wait until the client is gone from IFACE. A roaming client rarely
    // tells the old AP (mac80211 does not send a deauthentication when it roams), so besides
    // AP-STA-DISCONNECTED: the client associated with the target if that is a local BSS,
    // and the client no longer acknowledging hostapd's polls (POLL_STA, 2 in a row).
    if matches!(status, Some((0, _))) && left.is_none() {
        let mut target_ctrl = match &source {
            Source::Local(ifname) => Ctrl::open(dir, ifname).ok(),
            _ => None,
        };
        let poll_ok = format!("AP-STA-POLL-OK {sta}");
        let mut next_tick = Instant::now();
        let mut polls = 0u32;
        let mut acked = false;
        let mut misses = 0u32;
        while left.is_none() {
            match events.next(next_tick.min(end), &sig)? {
                Wait::Interrupted => return Err(CliError::failed(cmd, "interrupted")),
                Wait::Event(d) => {
                    if d.contains(&poll_ok) {
                        acked = true;
                    } else if let About::Gone = about(&d, sta) {
                        left = Some((started.elapsed(), "disconnected"));
                    }
                    continue;
                }
                Wait::Timeout if Instant::now() >= end => break,
                Wait::Timeout => {}
            }
            // One tick (1 s): the target's view, then a poll.
            if let Some(t) = target_ctrl.as_mut() {
                if let Ok(r) = t.request_sta("STA", sta) {
                    if r.lines()
                        .any(|l| l.starts_with("flags=") && l.contains("[AUTHORIZED]"))
                    {
                        left = Some((started.elapsed(), "associated with the target"));
                        break;
                    }
                }
            }
            if polls > 0 {
                misses = if acked { 0 } else { misses + 1 };
                if misses >= 2 {
                    left = Some((started.elapsed(), "no longer acknowledges polls"));
                    break;
                }
            }
            acked = false;
            match ctrl.request_sta("POLL_STA", sta) {
                Ok(r) if r == "FAIL\n" => {
                    left = Some((started.elapsed(), "removed by hostapd"));
                    break;
                }
                Ok(_) => polls += 1,
                Err(_) => {}
            }
            next_tick = Instant::now() + Duration::from_secs(1);
        }
    }
    drop(events);
    let status_name = status.map(|(c, _)| render::btm_name(ctrl_proto::btm::BtmStatus(c)));
    let failure = match (status, left) {
        (Some((0, _)), Some(_)) => None,
        (Some((0, _)), None) => Some(format!(
            "{sta} accepted but was still associated with {iface} after {} s",
            super::num::secs_1(timeout)
        )),
        (Some((c, _)), _) => Some(format!(
            "{sta} rejected the transition: status {c} ({})",
            status_name.as_deref().unwrap_or("")
        )),
        (None, Some(_)) => Some(format!(
            "{sta} left {iface} without a BSS-TM-RESP (it did not accept; disassociated?)"
        )),
        (None, None) => Some(format!(
            "no BSS-TM-RESP from {sta} within {} s (hostapd reports responses only with \
             bss_transition=1 or mbo=1)",
            super::num::secs_1(timeout)
        )),
    };
    if json {
        let mut j = Obj::new();
        j.str("iface", iface);
        j.disp("sta", &sta);
        j.disp("target", &target);
        j.raw("candidate", &render::nr_json(report));
        j.disp("candidate_source", &source);
        j.str("request", text.trim_end());
        j.opt_int("status_code", status.map(|s| i64::from(s.0)));
        j.opt_str("status", status_name.as_deref());
        j.opt_disp(
            "target_bssid",
            status.and_then(|s| s.1).as_ref().map(|m| m as _),
        );
        j.bool("left", left.is_some());
        j.opt_num("left_after_s", left.map(|(d, _)| d.as_secs_f64()));
        j.opt_str("left_how", left.map(|(_, how)| how));
        j.bool("ok", failure.is_none());
        j.opt_str("error", failure.as_deref());
        j.print();
    } else {
        let mut kv = Kv::default();
        kv.disp("station", &sta);
        kv.disp("target", &target);
        kv.fmt(
            "candidate",
            format_args!(
                "op {} ch {} phy {} info 0x{:08x} {} (from {})",
                report.op_class,
                report.channel,
                render::phy_name(report.phy_type.0),
                report.info.0,
                render::nr_subelements_text(report),
                source
            ),
        );
        let name = status_name.as_deref().unwrap_or("");
        match status {
            Some((c, Some(t))) => {
                kv.fmt("response", format_args!("status {c} ({name}), target {t}"))
            }
            Some((c, None)) => kv.fmt("response", format_args!("status {c} ({name})")),
            None => kv.text("response", "none"),
        }
        match left {
            Some((d, how)) => kv.fmt(
                "left",
                format_args!("yes, after {} s ({how})", super::num::secs_1(d)),
            ),
            None => kv.text("left", "no"),
        }
        if failure.is_none() {
            kv.text("result", "moved");
        }
        kv.print();
    }
    match failure {
        None => Ok(()),
        Some(why) => Err(CliError::failed(iface, why)),
    }
}
