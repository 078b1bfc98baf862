//! `roamer stations IFACE`: the nl80211 station dump.

use super::args::{self, flag, val};
use super::json::{Arr, Obj};
use super::table::Table;
use super::{common, out, CliError};
use nl80211::station::{RateInfo, RateWidth, Station};
use std::ffi::OsString;

const SPEC: &[args::Opt] = &[flag("json"), val("ctrl-dir")];

/// Runs `roamer stations ...`.
#[inline(never)]
pub fn run(rest: &[OsString]) -> Result<(), CliError> {
    let p = args::iface_command("stations", rest, SPEC, super::help::STATIONS, &["IFACE"])?;
    let iface = p.arg(0);
    let stations = common::station_dump(iface)?;
    if p.flag("json") {
        let mut list = Arr::new();
        for s in &stations {
            list.raw(&station_json(s));
        }
        let mut j = Obj::new();
        j.str("iface", iface);
        j.raw("stations", &list.end());
        j.print();
    } else {
        out(&station_table(&stations).render());
    }
    Ok(())
}

/// `{v}{unit}`, or `-` when absent (one non-generic body for every column).
#[inline(never)]
fn opt(v: Option<&dyn std::fmt::Display>, unit: &str) -> String {
    match v {
        Some(v) => format!("{v}{unit}"),
        None => "-".into(),
    }
}

fn chains(c: &[(u8, i8)]) -> String {
    if c.is_empty() {
        return "-".into();
    }
    let mut s = String::from("[");
    for (i, (_, v)) in c.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        super::push_fmt(&mut s, format_args!("{v}"));
    }
    s.push(']');
    s
}

/// A short rate: `6.5M MCS0`, `433.3M VHT9x2 80`, `1.0M`.
fn rate_short(r: &Option<RateInfo>) -> String {
    let Some(r) = r else { return "-".into() };
    let mut s = match r.bitrate_100kbps {
        Some(b) => format!("{}.{}M", b / 10, b % 10),
        None => "?".into(),
    };
    if let Some(m) = r.mcs {
        super::push_fmt(&mut s, format_args!(" MCS{m}"));
    }
    if let Some(m) = r.vht_mcs {
        super::push_fmt(&mut s, format_args!(" VHT{m}x{}", r.vht_nss.unwrap_or(1)));
    }
    if let Some(m) = r.he_mcs {
        super::push_fmt(&mut s, format_args!(" HE{m}x{}", r.he_nss.unwrap_or(1)));
    }
    if let Some(m) = r.eht_mcs {
        super::push_fmt(&mut s, format_args!(" EHT{m}x{}", r.eht_nss.unwrap_or(1)));
    }
    let w = width_mhz(r.width);
    if w != 20 {
        super::push_fmt(&mut s, format_args!(" {w}"));
    }
    if r.short_gi {
        s.push_str(" SGI");
    }
    s
}

fn width_mhz(w: RateWidth) -> u32 {
    match w {
        RateWidth::Mhz5 => 5,
        RateWidth::Mhz10 => 10,
        RateWidth::Mhz20 => 20,
        RateWidth::Mhz40 => 40,
        RateWidth::Mhz80 | RateWidth::Mhz80P80 => 80,
        RateWidth::Mhz160 => 160,
        RateWidth::Mhz320 => 320,
    }
}

/// The flag names set for a station (only flags the kernel reports in its mask).
pub fn flag_names(s: &Station) -> Vec<&'static str> {
    let Some(f) = s.flags else { return Vec::new() };
    let mut v = Vec::new();
    for (name, val) in [
        ("AUTH", f.authenticated()),
        ("ASSOC", f.associated()),
        ("AUTHORIZED", f.authorized()),
        ("WMM", f.wme()),
        ("MFP", f.mfp()),
        ("SHORT-PREAMBLE", f.short_preamble()),
        ("TDLS", f.tdls_peer()),
    ] {
        if val == Some(true) {
            v.push(name);
        }
    }
    v
}

/// The station table.
pub fn station_table(stations: &[Station]) -> Table {
    let mut t = Table::new(&[
        "STATION",
        "SIGNAL",
        "AVG",
        "CHAINS",
        "INACTIVE",
        "CONNECTED",
        "RX-BYTES",
        "RX-PKTS",
        "TX-BYTES",
        "TX-PKTS",
        "RX-RATE",
        "TX-RATE",
        "FLAGS",
    ]);
    for s in stations {
        t.start_row();
        t.disp(&ctrl_proto::Mac(s.mac));
        t.cell(opt(s.signal_dbm.as_ref().map(|v| v as _), ""));
        t.cell(opt(s.signal_avg_dbm.as_ref().map(|v| v as _), ""));
        t.cell(chains(&s.chain_signal));
        t.cell(opt(s.inactive_time_ms.as_ref().map(|v| v as _), "ms"));
        t.cell(opt(s.connected_time_s.as_ref().map(|v| v as _), "s"));
        t.cell(opt(s.rx_bytes.as_ref().map(|v| v as _), ""));
        t.cell(opt(s.rx_packets.as_ref().map(|v| v as _), ""));
        t.cell(opt(s.tx_bytes.as_ref().map(|v| v as _), ""));
        t.cell(opt(s.tx_packets.as_ref().map(|v| v as _), ""));
        t.cell(rate_short(&s.rx_bitrate));
        t.cell(rate_short(&s.tx_bitrate));
        t.cell(flag_names(s).join(","));
    }
    t
}

fn rate_json(o: &mut Obj, key: &str, r: &Option<RateInfo>) {
    let Some(r) = r else { return o.null(key) };
    let mut j = Obj::new();
    j.opt_num("mbps", r.bitrate_100kbps.map(|b| f64::from(b) / 10.0));
    j.disp("text", r);
    j.opt_int("mcs", r.mcs.map(i64::from));
    j.opt_int("vht_mcs", r.vht_mcs.map(i64::from));
    j.opt_int("vht_nss", r.vht_nss.map(i64::from));
    j.opt_int("he_mcs", r.he_mcs.map(i64::from));
    j.opt_int("he_nss", r.he_nss.map(i64::from));
    j.opt_int("eht_mcs", r.eht_mcs.map(i64::from));
    j.opt_int("eht_nss", r.eht_nss.map(i64::from));
    j.int("width_mhz", width_mhz(r.width).into());
    j.bool("short_gi", r.short_gi);
    o.raw(key, &j.end());
}

fn chains_json(o: &mut Obj, key: &str, c: &[(u8, i8)]) {
    let mut a = Arr::new();
    for (_, s) in c {
        a.int((*s).into());
    }
    o.raw(key, &a.end());
}

/// One station as JSON text (raw values, `null` when the kernel did not report them).
pub fn station_json(s: &Station) -> String {
    let mut o = Obj::new();
    o.disp("mac", &ctrl_proto::Mac(s.mac));
    o.opt_int("signal", s.signal_dbm.map(i64::from));
    o.opt_int("signal_avg", s.signal_avg_dbm.map(i64::from));
    chains_json(&mut o, "chains", &s.chain_signal);
    chains_json(&mut o, "chains_avg", &s.chain_signal_avg);
    o.opt_int("beacon_signal_avg", s.beacon_signal_avg_dbm.map(i64::from));
    o.opt_int("ack_signal", s.ack_signal_dbm.map(i64::from));
    o.opt_uint("inactive_ms", s.inactive_time_ms.map(u64::from));
    o.opt_uint("connected_s", s.connected_time_s.map(u64::from));
    o.opt_uint("rx_bytes", s.rx_bytes);
    o.opt_uint("rx_packets", s.rx_packets.map(u64::from));
    o.opt_uint("tx_bytes", s.tx_bytes);
    o.opt_uint("tx_packets", s.tx_packets.map(u64::from));
    o.opt_uint("tx_retries", s.tx_retries.map(u64::from));
    o.opt_uint("tx_failed", s.tx_failed.map(u64::from));
    o.opt_uint("rx_drop_misc", s.rx_drop_misc);
    rate_json(&mut o, "rx_rate", &s.rx_bitrate);
    rate_json(&mut o, "tx_rate", &s.tx_bitrate);
    o.opt_uint(
        "expected_throughput_kbps",
        s.expected_throughput_kbps.map(u64::from),
    );
    let mut flags = Arr::new();
    for f in flag_names(s) {
        flags.str(f);
    }
    o.raw("flags", &flags.end());
    o.end()
}
