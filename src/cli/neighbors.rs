//! `roamer neighbors IFACE`: the neighbor table roamer wants for a BSS next to hostapd's.
//!
//! Wanted (as the daemon syncs it): the BSS's own entry (hostapd keeps it itself), the own
//! entries of the other local BSSs, and the configured remote neighbors (`config neighbor`).

use super::args::{self, flag, val};
use super::hostapd::Ctrl;
use super::json::{Arr, Obj};
use super::table::Table;
use super::{bss, common, local, out, render, steer, CliError};
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

/// The decoded entry as JSON text.
fn decoded(nr: &[u8]) -> String {
    match NeighborReport::parse(nr) {
        Ok(r) => render::nr_json(&r),
        Err(e) => {
            let mut o = Obj::new();
            o.disp("error", &e);
            o.end()
        }
    }
}

/// `key_nr: hex` and `key: decoded` of an entry, or two `null`s.
fn nr_fields(o: &mut Obj, key_nr: &str, key: &str, nr: Option<&[u8]>) {
    match nr {
        Some(nr) => {
            o.str(key_nr, &hex::encode(nr));
            o.raw(key, &decoded(nr));
        }
        None => {
            o.null(key_nr);
            o.null(key);
        }
    }
}

/// Runs `roamer neighbors ...`.
#[inline(never)]
pub fn run(rest: &[OsString]) -> Result<(), CliError> {
    let cmd = "neighbors";
    let p = args::iface_command(cmd, rest, SPEC, super::help::NEIGHBORS, &["IFACE"])?;
    let iface = p.arg(0);
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
    // The same entry: BSSID and SSID.
    fn same(a: &NeighborEntry, b: &NeighborEntry) -> bool {
        a.bssid == b.bssid && a.ssid == b.ssid
    }

    // Rows: every wanted entry, then hostapd's entries nobody wants (borrowed, not copied).
    struct Row<'a> {
        bssid: Mac,
        ssid: &'a [u8],
        source: &'a str,
        wanted: Option<&'a [u8]>,
        held: Option<&'a [u8]>,
    }
    let mut rows: Vec<Row<'_>> = Vec::new();
    for (w, src) in &wanted {
        let held = shown
            .as_ref()
            .and_then(|s| s.iter().find(|e| same(e, w)))
            .map(|e| e.nr.as_slice());
        rows.push(Row {
            bssid: w.bssid,
            ssid: &w.ssid,
            source: src,
            wanted: Some(&w.nr),
            held,
        });
    }
    if let Some(s) = &shown {
        for e in s {
            if !wanted.iter().any(|(w, _)| same(w, e)) {
                rows.push(Row {
                    bssid: e.bssid,
                    ssid: &e.ssid,
                    source: "hostapd only",
                    wanted: None,
                    held: Some(&e.nr),
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
        let mut entries = Arr::new();
        for r in &rows {
            let mut o = Obj::new();
            o.disp("bssid", &r.bssid);
            o.str("ssid", &render::ssid_text(r.ssid));
            o.str("ssid_hex", &hex::encode(r.ssid));
            o.str("source", r.source);
            o.str("state", state(r));
            nr_fields(&mut o, "wanted_nr", "wanted", r.wanted);
            nr_fields(&mut o, "hostapd_nr", "hostapd", r.held);
            entries.raw(&o.end());
        }
        let mut j = Obj::new();
        j.str("iface", iface);
        j.disp("bssid", &me.bss.bssid);
        j.bool("show_neighbor", shown.is_some());
        match &config {
            Some(c) => j.disp("config", &c.file.display()),
            None => j.null("config"),
        }
        j.raw("entries", &entries.end());
        j.print();
        return Ok(());
    }
    let mut t = Table::new(&["BSSID", "SSID", "SOURCE", "STATE", "WANTED", "HOSTAPD"]);
    for r in &rows {
        let same = matches!(state(r), "same");
        t.start_row();
        t.disp(&r.bssid);
        t.cell(render::ssid_text(r.ssid));
        t.text(r.source);
        t.text(state(r));
        t.cell(r.wanted.map(short).unwrap_or_else(|| "-".into()));
        t.cell(match (&r.held, same) {
            (Some(_), true) => "(same)".into(),
            (Some(h), false) => short(h),
            (None, _) => "-".into(),
        });
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
