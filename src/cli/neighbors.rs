//! `roamer neighbors IFACE`: the neighbor table roamer wants for a BSS next to hostapd's.
//!
//! Wanted (as the daemon syncs it): the BSS's own entry (hostapd keeps it itself), the own
//! entries of the other local BSSs, and the configured remote neighbors (`config neighbor`).

use super::args::{self, flag, val};
use super::hostapd::Ctrl;
use super::json::Json;
use super::table::Table;
use super::{bss, common, local, out, out_line, render, steer, CliError};
use ctrl_proto::hex;
use ctrl_proto::neighbor::{NeighborEntry, NeighborReport};
use ctrl_proto::Mac;
use std::ffi::OsString;

const SPEC: &[args::Opt] = &[
    flag("json"),
    val("ctrl-dir"),
    val("config"),
    val("hostapd-conf"),
];

fn short(nr: &[u8]) -> String {
    match NeighborReport::parse(nr) {
        Ok(r) => format!(
            "op{} ch{} {} 0x{:x} {}",
            r.op_class,
            r.channel,
            render::phy_name(r.phy_type.0),
            r.info.0,
            render::nr_subelements_text(&r)
        ),
        Err(e) => format!("undecodable ({e})"),
    }
}

fn decoded(nr: &[u8]) -> Json {
    NeighborReport::parse(nr)
        .map(|r| render::nr_json(&r))
        .unwrap_or_else(|e| Json::obj().with("error", e.to_string()))
}

/// Runs `roamer neighbors ...`.
#[inline(never)]
pub fn run(rest: &[OsString]) -> Result<(), CliError> {
    let cmd = "neighbors";
    let p = args::command(cmd, rest, SPEC, super::help::NEIGHBORS)?;
    let pos = p.positionals(&["IFACE"])?;
    let iface = common::iface_arg(cmd, &pos[0])?;
    let config = steer::load_config(cmd, p.value("config"))?;
    let conf = bss::hostapd_conf(cmd, iface, p.value("hostapd-conf"))?;
    let dir = common::ctrl_dir(p.value("ctrl-dir"));
    let mut ctrl = Ctrl::open(dir, iface)?;
    let me = bss::load(&mut ctrl, iface, conf.as_ref())?;

    // (entry, source) wanted.
    let mut wanted: Vec<(NeighborEntry, String)> = Vec::new();
    if let Ok(own) = me.bss.own_entry() {
        wanted.push((own, "own".into()));
    }
    let names: Option<Vec<String>> = config
        .as_ref()
        .filter(|c| !c.ifaces.is_empty())
        .map(|c| c.ifaces.clone());
    for b in local::local_bsses(dir) {
        if b.ifname == iface || names.as_ref().is_some_and(|n| !n.contains(&b.ifname)) {
            continue;
        }
        if let Ok(e) = b.own_entry() {
            let e = NeighborEntry {
                lci: None,
                civic: None,
                stationary: false,
                ..e
            };
            wanted.push((e, format!("local {}", b.ifname)));
        }
    }
    if let Some(c) = &config {
        for n in &c.neighbors {
            wanted.push((
                NeighborEntry {
                    bssid: Mac(n.bssid),
                    ssid: n.ssid.clone(),
                    nr: n.nr.clone(),
                    lci: None,
                    civic: None,
                    stationary: false,
                },
                "config".into(),
            ));
        }
    }
    let shown = bss::show_neighbor(&mut ctrl)?;
    let key = |e: &NeighborEntry| (e.bssid, e.ssid.clone());

    // Rows: every wanted entry, then hostapd's entries nobody wants.
    struct Row {
        bssid: Mac,
        ssid: Vec<u8>,
        source: String,
        wanted: Option<Vec<u8>>,
        held: Option<Vec<u8>>,
    }
    let mut rows: Vec<Row> = Vec::new();
    for (w, src) in &wanted {
        let held = shown
            .as_ref()
            .and_then(|s| s.iter().find(|e| key(e) == key(w)))
            .map(|e| e.nr.clone());
        rows.push(Row {
            bssid: w.bssid,
            ssid: w.ssid.clone(),
            source: src.clone(),
            wanted: Some(w.nr.clone()),
            held,
        });
    }
    if let Some(s) = &shown {
        for e in s {
            if !wanted.iter().any(|(w, _)| key(w) == key(e)) {
                rows.push(Row {
                    bssid: e.bssid,
                    ssid: e.ssid.clone(),
                    source: "hostapd only".into(),
                    wanted: None,
                    held: Some(e.nr.clone()),
                });
            }
        }
    }
    let state = |r: &Row| -> &'static str {
        match (&r.wanted, &r.held, shown.is_some()) {
            (_, _, false) => "unknown (no SHOW_NEIGHBOR)",
            (Some(w), Some(h), _) if w == h => "same",
            (Some(_), Some(_), _) => "differs",
            (Some(_), None, _) => "missing",
            (None, Some(_), _) => "extra",
            (None, None, _) => "-",
        }
    };
    if p.flag("json") {
        let entries: Vec<Json> = rows
            .iter()
            .map(|r| {
                Json::obj()
                    .with("bssid", r.bssid.to_string())
                    .with("ssid", render::ssid_text(&r.ssid))
                    .with("ssid_hex", hex::encode(&r.ssid))
                    .with("source", r.source.as_str())
                    .with("state", state(r))
                    .with("wanted_nr", r.wanted.as_ref().map(|w| hex::encode(w)))
                    .with(
                        "wanted",
                        r.wanted.as_ref().map_or(Json::Null, |w| decoded(w)),
                    )
                    .with("hostapd_nr", r.held.as_ref().map(|h| hex::encode(h)))
                    .with(
                        "hostapd",
                        r.held.as_ref().map_or(Json::Null, |h| decoded(h)),
                    )
            })
            .collect();
        let j = Json::obj()
            .with("iface", iface)
            .with("bssid", me.bss.bssid.to_string())
            .with("show_neighbor", shown.is_some())
            .with(
                "config",
                config.as_ref().map(|c| c.file.display().to_string()),
            )
            .with("entries", entries);
        out_line(&j);
        return Ok(());
    }
    let mut t = Table::new(&["BSSID", "SSID", "SOURCE", "STATE", "WANTED", "HOSTAPD"]);
    for r in &rows {
        let same = matches!(state(r), "same");
        t.row(vec![
            r.bssid.to_string(),
            render::ssid_text(&r.ssid),
            r.source.clone(),
            state(r).to_string(),
            r.wanted.as_deref().map(short).unwrap_or_else(|| "-".into()),
            match (&r.held, same) {
                (Some(_), true) => "(same)".into(),
                (Some(h), false) => short(h),
                (None, _) => "-".into(),
            },
        ]);
    }
    let mut text = t.render();
    if shown.is_none() {
        text.push_str("note: hostapd has no SHOW_NEIGHBOR (before 2.10, or rrm_neighbor_report=0): its table cannot be read\n");
    }
    if config.is_none() {
        super::push_fmt(
            &mut text,
            format_args!(
                "note: no roamer configuration ({} missing): no remote neighbors\n",
                crate::config::DEFAULT_PATH
            ),
        );
    }
    out(&text);
    Ok(())
}
