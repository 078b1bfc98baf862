//! `roamer status IFACE` and `roamer own-nr IFACE`: one local BSS from hostapd's STATUS and
//! nl80211, and its own neighbor entry (see [`crate::radio`]).

use super::args::{self, flag, val};
use super::hostapd::{refusal, Ctrl};
use super::json::Obj;
use super::table::{or_text, Kv};
use super::{common, out, out_line, render, CliError};
use crate::radio::{self, FactsSource, HostapdConf, LocalBss};
use ctrl_proto::hex;
use ctrl_proto::neighbor::NeighborEntry;
use ctrl_proto::status::Status;
use std::ffi::OsString;
use std::path::Path;

const STATUS_SPEC: &[args::Opt] = &[flag("json"), val("ctrl-dir"), val("hostapd-conf")];
const OWN_NR_SPEC: &[args::Opt] = &[
    flag("json"),
    flag("check"),
    val("ctrl-dir"),
    val("hostapd-conf"),
];

/// A BSS as loaded from hostapd + nl80211.
pub struct Loaded {
    /// The description.
    pub bss: LocalBss,
    /// The parsed STATUS.
    pub status: Status,
    /// The STATUS text.
    pub status_text: String,
    /// hostapd's `GET version` answer, if it gave one.
    pub version_text: Option<String>,
}

/// The hostapd configuration named by `--hostapd-conf` (exit 2 if it does not configure
/// `iface`), else the one found automatically.
pub fn hostapd_conf(
    cmd: &str,
    iface: &str,
    opt: Option<&str>,
) -> Result<Option<HostapdConf>, CliError> {
    match opt {
        Some(file) => {
            let path = Path::new(file);
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::usage(cmd, format_args!("--hostapd-conf {file}: {e}")))?;
            let mut c = HostapdConf::parse(&text, iface, None).ok_or_else(|| {
                CliError::usage(
                    cmd,
                    format_args!("--hostapd-conf {file} configures no BSS {iface}"),
                )
            })?;
            c.path = path.to_path_buf();
            Ok(Some(c))
        }
        None => Ok(radio::find_hostapd_conf(iface)),
    }
}

/// Reads STATUS (and `GET version`) over `ctrl` and describes BSS `iface`.
pub fn load(ctrl: &mut Ctrl, iface: &str, conf: Option<&HostapdConf>) -> Result<Loaded, CliError> {
    let text = ctrl.request("STATUS")?;
    if let Some(why) = refusal(&text) {
        return Err(CliError::failed(iface, format_args!("STATUS: {why}")));
    }
    let status = Status::parse(&text).map_err(|e| {
        CliError::failed(iface, format_args!("cannot decode hostapd's STATUS: {e}"))
    })?;
    let version_text = match ctrl.request("GET version") {
        Ok(v) if refusal(&v).is_none() && !v.trim().is_empty() => Some(v.trim().to_string()),
        _ => None,
    };
    let version = match &version_text {
        Some(v) => radio::parse_version(v),
        None => radio::version_from_status(&text),
    };
    let (nl_iface, wiphy) = common::nl_facts(iface);
    let bss = LocalBss::new(
        iface,
        &status,
        version,
        nl_iface.as_ref(),
        wiphy.as_ref(),
        conf,
    )
    .map_err(|e| CliError::failed(iface, e))?;
    Ok(Loaded {
        bss,
        status,
        status_text: text,
        version_text,
    })
}

fn facts_text(b: &LocalBss) -> String {
    format!(
        "wmm={} uapsd={} spectrum_mgmt={} ({})",
        u8::from(b.facts.wmm),
        u8::from(b.facts.uapsd),
        u8::from(b.facts.spectrum_mgmt),
        match &b.facts_source {
            FactsSource::Conf(p) => format!("from {}", p.display()),
            FactsSource::Defaults => "hostapd defaults: no configuration file found".into(),
        }
    )
}

fn width_text(b: &LocalBss) -> String {
    let mut s = if b.is_80p80 {
        "80+80 MHz".to_string()
    } else {
        format!("{} MHz", b.width_mhz)
    };
    if b.width_mhz > 20 {
        if b.is_80p80 {
            super::push_fmt(&mut s, format_args!(" (centres {} and {})", b.seg0, b.seg1));
        } else {
            super::push_fmt(&mut s, format_args!(" (centre channel {})", b.seg0));
        }
    }
    s
}

/// The JSON object describing a loaded BSS (`status --json`).
pub fn bss_json(l: &Loaded) -> Obj {
    let b = &l.bss;
    let mut o = Obj::new();
    o.str("iface", &b.ifname);
    o.str("state", &b.state);
    o.disp("bssid", &b.bssid);
    o.str("ssid", &render::ssid_text(&b.ssid));
    o.str("ssid_hex", &hex::encode(&b.ssid));
    o.str("band", b.band.name());
    o.int("freq", b.freq.into());
    o.int("channel", b.channel.into());
    o.int("width_mhz", b.width_mhz.into());
    o.bool("is_80p80", b.is_80p80);
    o.int("secondary_channel", b.secondary_channel.into());
    o.int("center_seg0", b.seg0.into());
    o.int("center_seg1", b.seg1.into());
    o.opt_int("op_class", b.op_class.map(i64::from));
    o.opt_int("op_class_20mhz", b.op_class_20.map(i64::from));
    o.bool("ieee80211n", b.standards[0]);
    o.bool("ieee80211ac", b.standards[1]);
    o.bool("ieee80211ax", b.standards[2]);
    o.bool("ieee80211be", b.standards[3]);
    o.str("standards", &b.standards_text());
    o.opt_int("beacon_int", l.status.beacon_int.map(i64::from));
    o.opt_int("dtim_period", l.status.dtim_period.map(i64::from));
    o.opt_int(
        "num_sta",
        l.status
            .bss_by_ifname(&b.ifname)
            .map(|(_, s)| i64::from(s.num_sta)),
    );
    o.opt_str("hostapd_version", l.version_text.as_deref());
    let mut own = Obj::new();
    match b.own_entry() {
        Ok(e) => {
            own.disp("line", &e);
            own.str("nr", &hex::encode(&e.nr));
            match e.report() {
                Ok(r) => own.raw("decoded", &render::nr_json(&r)),
                Err(_) => own.null("decoded"),
            }
        }
        Err(err) => own.disp("error", &err),
    }
    o.raw("own_entry", &own.end());
    let mut facts = Obj::new();
    facts.bool("wmm", b.facts.wmm);
    facts.bool("uapsd", b.facts.uapsd);
    facts.bool("spectrum_mgmt", b.facts.spectrum_mgmt);
    match &b.facts_source {
        FactsSource::Conf(p) => facts.disp("source", &p.display()),
        FactsSource::Defaults => facts.str("source", "defaults"),
    }
    o.raw("own_facts", &facts.end());
    let mut raw = Obj::new();
    for (k, v) in l
        .status_text
        .lines()
        .filter_map(|line| line.split_once('='))
    {
        raw.str(k, v);
    }
    o.raw("raw", &raw.end());
    o
}

/// `roamer status IFACE`.
#[inline(never)]
pub fn status(rest: &[OsString]) -> Result<(), CliError> {
    let p = args::iface_command("status", rest, STATUS_SPEC, super::help::STATUS, &["IFACE"])?;
    let iface = p.arg(0);
    let conf = hostapd_conf("status", iface, p.value("hostapd-conf"))?;
    let mut ctrl = Ctrl::open(common::ctrl_dir(p.value("ctrl-dir")), iface)?;
    let l = load(&mut ctrl, iface, conf.as_ref())?;
    if p.flag("json") {
        bss_json(&l).print();
        return Ok(());
    }
    let b = &l.bss;
    let mut kv = Kv::default();
    kv.text("iface", &b.ifname);
    kv.text("state", &b.state);
    kv.disp("bssid", &b.bssid);
    kv.add("ssid", render::ssid_text(&b.ssid));
    kv.disp("band", &b.band);
    kv.fmt("channel", format_args!("{} ({} MHz)", b.channel, b.freq));
    kv.add("width", width_text(b));
    kv.fmt(
        "op class",
        format_args!(
            "{} (20 MHz class of the primary channel: {})",
            or_text(b.op_class.map(u32::from), "none"),
            or_text(b.op_class_20.map(u32::from), "none")
        ),
    );
    kv.add("standards", b.standards_text());
    kv.fmt(
        "beacon",
        format_args!(
            "interval {} TU, DTIM {}",
            or_text(l.status.beacon_int.map(u32::from), "?"),
            or_text(l.status.dtim_period.map(u32::from), "?")
        ),
    );
    match l.status.bss_by_ifname(&b.ifname) {
        Some((_, s)) => kv.disp("stations", &s.num_sta),
        None => kv.text("stations", ""),
    }
    kv.text(
        "hostapd",
        l.version_text.as_deref().unwrap_or("version unknown"),
    );
    match b.own_entry() {
        Ok(e) => kv.disp("own entry", &e),
        Err(e) => kv.fmt("own entry", format_args!("none: {e}")),
    }
    match b.own_report() {
        Ok(r) => kv.fmt(
            "own entry bits",
            format_args!(
                "info 0x{:08x} ({}), {}",
                r.info.0,
                render::info_names(r.info).join(" "),
                render::nr_subelements_text(&r)
            ),
        ),
        Err(_) => kv.text("own entry bits", ""),
    }
    kv.add("own entry facts", facts_text(b));
    kv.print();
    Ok(())
}

/// hostapd's own entry from `SHOW_NEIGHBOR`: `Ok(None)` when hostapd has no such command
/// (before 2.10 / some OpenWrt builds) or keeps no table.
pub fn show_neighbor(ctrl: &mut Ctrl) -> Result<Option<Vec<NeighborEntry>>, CliError> {
    let reply = ctrl.request("SHOW_NEIGHBOR")?;
    if refusal(&reply).is_some() {
        return Ok(None);
    }
    NeighborEntry::parse_show(&reply).map(Some).map_err(|e| {
        CliError::failed(
            &ctrl.iface,
            format_args!("cannot decode SHOW_NEIGHBOR: {e}"),
        )
    })
}

/// `roamer own-nr IFACE [--check]`.
#[inline(never)]
pub fn own_nr(rest: &[OsString]) -> Result<(), CliError> {
    let p = args::iface_command("own-nr", rest, OWN_NR_SPEC, super::help::OWN_NR, &["IFACE"])?;
    let iface = p.arg(0);
    let conf = hostapd_conf("own-nr", iface, p.value("hostapd-conf"))?;
    let mut ctrl = Ctrl::open(common::ctrl_dir(p.value("ctrl-dir")), iface)?;
    let l = load(&mut ctrl, iface, conf.as_ref())?;
    if l.bss.state != "ENABLED" {
        // hostapd builds its own entry when the interface is set up (ENABLED); before that
        // (HT_SCAN, DFS/CAC, ACS) the channel may still change.
        return Err(CliError::failed(
            iface,
            crate::radio::RadioError::NotEnabled(l.bss.state.clone()),
        ));
    }
    let entry = l.bss.own_entry().map_err(|e| CliError::failed(iface, e))?;
    let line = entry.to_string();
    // --check: hostapd's own line, if it has SHOW_NEIGHBOR and an own entry.
    let check = if p.flag("check") {
        Some(match show_neighbor(&mut ctrl)? {
            None => Err("hostapd has no SHOW_NEIGHBOR (or rrm_neighbor_report=0): not checked"),
            Some(mut list) => match list
                .iter()
                .position(|e| e.bssid == entry.bssid && e.ssid == entry.ssid)
            {
                None => Err("hostapd's table has no own entry: not checked"),
                Some(i) => Ok(list.swap_remove(i)),
            },
        })
    } else {
        None
    };
    let differs = matches!(&check, Some(Ok(t)) if t.to_string() != line);
    if p.flag("json") {
        let mut j = Obj::new();
        j.str("iface", iface);
        j.disp("bssid", &entry.bssid);
        j.str("ssid", &render::ssid_text(&entry.ssid));
        j.str("ssid_hex", &hex::encode(&entry.ssid));
        j.str("nr", &hex::encode(&entry.nr));
        j.str("line", &line);
        match &check {
            None => j.null("check"),
            Some(Err(why)) => {
                let mut c = Obj::new();
                c.str("result", "not-checked");
                c.str("why", why);
                j.raw("check", &c.end());
            }
            Some(Ok(t)) => {
                let mut c = Obj::new();
                c.str("result", if differs { "differs" } else { "equal" });
                c.disp("hostapd", t);
                j.raw("check", &c.end());
            }
        }
        j.print();
    } else {
        out_line(&line);
        match &check {
            None => {}
            Some(Err(why)) => {
                out(&format!("check: {why}\n"));
            }
            Some(Ok(_)) if !differs => {
                out("check: equal to hostapd's own SHOW_NEIGHBOR entry\n");
            }
            Some(Ok(t)) => {
                let mut s = format!("check: DIFFERS from hostapd's own entry:\n{t}\n");
                if let (Ok(mine), Ok(theirs)) = (entry.report(), t.report()) {
                    super::push_fmt(&mut s, format_args!(
                        "  roamer:  info 0x{:08x} op {} ch {} phy {} {}\n  hostapd: info 0x{:08x} op {} ch {} phy {} {}\n",
                        mine.info.0, mine.op_class, mine.channel, mine.phy_type.0,
                        render::nr_subelements_text(&mine),
                        theirs.info.0, theirs.op_class, theirs.channel, theirs.phy_type.0,
                        render::nr_subelements_text(&theirs),
                    ));
                }
                super::push_fmt(&mut s, format_args!("  facts: {}\n", facts_text(&l.bss)));
                out(&s);
            }
        }
    }
    if differs {
        Err(CliError::Reported)
    } else {
        Ok(())
    }
}
