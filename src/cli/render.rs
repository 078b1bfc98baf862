//! Shared renderings of decoded protocol values: one table row and one JSON object per
//! beacon report, SSID text, PHY type names. Used by `decode`, `beacon-report` and `events`.

use super::json::{Arr, Obj};
use super::table::{Kv, Table};
use ctrl_proto::hex;
use ctrl_proto::rrm::{BeaconReport, ReportSubelement};

/// An SSID as hostapd prints it (`printf_encode`: printable ASCII, `\xHH` otherwise).
pub fn ssid_text(ssid: &[u8]) -> String {
    ctrl_proto::kv::printf_encode(ssid)
}

/// Name of a PHY type (`enum phy_type`, also the condensed PHY type of a beacon report).
pub fn phy_name(phy: u8) -> &'static str {
    match phy {
        0 => "unspecified",
        1 => "FHSS",
        2 => "DSSS",
        3 => "IR",
        4 => "OFDM",
        5 => "HR-DSSS",
        6 => "ERP",
        7 => "HT",
        8 => "DMG",
        9 => "VHT",
        10 => "TVHT",
        11 => "S1G",
        12 => "CDMG",
        13 => "CMMG",
        14 => "HE",
        _ => "?",
    }
}

/// A dBm value with its half-dB step: `-45` or `-45.5` (`{:.0}` / `{:.1}` of `v`, a
/// multiple of 0.5).
pub fn half_db(v: f32) -> String {
    super::num::half_db(v)
}

/// Frequency of a channel in an operating class (global classes; country classes are mapped
/// through the US/EU/JP/CN tables only when they do not collide with a global one).
pub fn class_freq(op_class: u8, channel: u8) -> Option<u32> {
    ctrl_proto::opclass::chan_to_freq(op_class, channel)
}

/// Column titles of [`report_row`].
pub const REPORT_HEADER: &[&str] = &[
    "BSSID", "OP", "CH", "RCPI", "DBM", "RSNI", "PHY", "DUR", "SSID",
];

/// One table row for a beacon report. `ssid` is the SSID when known (from this report's frame
/// body or from a reassembled body).
pub fn report_row(t: &mut Table, r: &BeaconReport<'_>, ssid: Option<&[u8]>) {
    t.start_row();
    t.disp(&r.bssid);
    t.num(r.op_class.into());
    t.num(r.channel.into());
    t.num(r.rcpi.0.into());
    t.cell(r.rcpi.dbm().map(half_db).unwrap_or_else(|| "-".into()));
    t.cell(r.rsni.db().map(half_db).unwrap_or_else(|| "-".into()));
    t.text(phy_name(r.frame_info.phy_type()));
    t.num(r.duration.into());
    t.cell(ssid.map(ssid_text).unwrap_or_default());
}

/// One JSON object for a beacon report: every fixed field, the SSID when known, the
/// subelements decoded (frame body elements as `[id, hex]`).
pub fn report_json(r: &BeaconReport<'_>, ssid: Option<&[u8]>) -> String {
    let mut subs = Arr::new();
    for s in r.subelements() {
        let mut o = Obj::new();
        match s {
            ReportSubelement::FrameBody(b) => {
                let mut elements = Arr::new();
                for (id, data) in b.elements().map_while(Result::ok) {
                    let mut e = Obj::new();
                    e.int("id", id.into());
                    e.str("data", &hex::encode(data));
                    elements.raw(&e.end());
                }
                o.int("id", 1);
                o.str("name", "frame_body");
                o.opt_uint("timestamp", b.timestamp());
                o.opt_int("beacon_interval", b.beacon_interval().map(i64::from));
                o.opt_int("capability", b.capability().map(i64::from));
                o.raw("elements", &elements.end());
            }
            ReportSubelement::FragmentId(f) => {
                o.int("id", 2);
                o.str("name", "fragment_id");
                o.int("report_id", f.report_id.into());
                o.int("number", f.number.into());
                o.bool("more", f.more);
            }
            ReportSubelement::LastIndication(v) => {
                o.int("id", 164);
                o.str("name", "last_indication");
                o.int("value", v.into());
            }
            ReportSubelement::Other { id, data } => {
                o.int("id", id.into());
                o.str("data", &hex::encode(data));
            }
        }
        subs.raw(&o.end());
    }
    let mut o = Obj::new();
    o.disp("bssid", &r.bssid);
    o.int("op_class", r.op_class.into());
    o.int("channel", r.channel.into());
    o.opt_int("freq", class_freq(r.op_class, r.channel).map(i64::from));
    o.int("rcpi", r.rcpi.0.into());
    o.opt_num("dbm", r.rcpi.dbm().map(f64::from));
    o.int("rsni", r.rsni.0.into());
    o.opt_num("snr_db", r.rsni.db().map(f64::from));
    o.int("phy_type", r.frame_info.phy_type().into());
    o.str("phy", phy_name(r.frame_info.phy_type()));
    o.bool("pilot", r.frame_info.is_pilot());
    o.uint("start_time", r.start_time);
    o.int("duration", r.duration.into());
    o.int("antenna_id", r.antenna_id.into());
    o.int("parent_tsf", r.parent_tsf.into());
    match ssid {
        Some(ssid) => {
            o.str("ssid", &ssid_text(ssid));
            o.str("ssid_hex", &hex::encode(ssid));
        }
        None => {
            o.null("ssid");
            o.null("ssid_hex");
        }
    }
    o.raw("subelements", &subs.end());
    o.end()
}

use ctrl_proto::neighbor::{BssidInfo, NeighborReport, NrSubelement};

/// The named BSSID Information bits (one static table, not an array built at each call).
const INFO_BITS: &[(u32, &str)] = &[
    (BssidInfo::SECURITY, "security"),
    (BssidInfo::KEY_SCOPE, "key-scope"),
    (BssidInfo::SPECTRUM_MGMT, "spectrum-mgmt"),
    (BssidInfo::QOS, "qos"),
    (BssidInfo::APSD, "apsd"),
    (BssidInfo::RM, "radio-measurement"),
    (BssidInfo::DELAYED_BA, "delayed-ba"),
    (BssidInfo::IMMEDIATE_BA, "immediate-ba"),
    (BssidInfo::MOBILITY_DOMAIN, "mobility-domain"),
    (BssidInfo::HT, "ht"),
    (BssidInfo::VHT, "vht"),
    (BssidInfo::FTM, "ftm"),
    (BssidInfo::HE, "he"),
    (BssidInfo::ER_BSS, "er-bss"),
    (BssidInfo::COLOCATED_AP, "colocated-ap"),
    (
        BssidInfo::UNSOLICITED_PROBE_RESP,
        "unsolicited-probe-responses",
    ),
    (BssidInfo::ESS_WITH_COLOCATED_AP, "ess-with-colocated-ap"),
    (BssidInfo::OCT, "oct"),
    (BssidInfo::COLOCATED_6GHZ_AP, "colocated-6ghz-ap"),
    (BssidInfo::EHT, "eht"),
    (BssidInfo::DMG_POSITIONING, "dmg-positioning"),
];

/// Names of the BSSID Information bits that are set (reachability as `reachable`,
/// `not-reachable` or `reachability-unknown`).
pub fn info_names(info: BssidInfo) -> Vec<&'static str> {
    let mut v = vec![match info.reachability() {
        3 => "reachable",
        2 => "reachability-unknown",
        1 => "not-reachable",
        _ => "reachability-reserved",
    }];
    for &(bit, name) in INFO_BITS {
        if info.has(bit) {
            v.push(name);
        }
    }
    v
}

/// Wide Bandwidth Channel width code as MHz text.
pub fn nr_width_text(w: u8) -> &'static str {
    match w {
        0 => "20",
        1 => "40",
        2 => "80",
        3 => "160",
        4 => "80+80",
        _ => "reserved",
    }
}

/// One-line summary of a neighbor report's subelements (`pref=255 wide=80/42/0`).
pub fn nr_subelements_text(r: &NeighborReport) -> String {
    let v: Vec<String> = r
        .subelements
        .iter()
        .map(|s| match s {
            NrSubelement::Tsf {
                offset,
                beacon_interval,
            } => format!("tsf={offset}/{beacon_interval}"),
            NrSubelement::CondensedCountry(c) => {
                format!("country={}", String::from_utf8_lossy(c))
            }
            NrSubelement::CandidatePreference(p) => format!("pref={p}"),
            NrSubelement::BssTerminationDuration { tsf, minutes } => {
                format!("termination={tsf}/{minutes}min")
            }
            NrSubelement::WideBandwidthChannel { width, seg0, seg1 } => {
                format!("wide={}MHz/{seg0}/{seg1}", nr_width_text(width.0))
            }
            NrSubelement::Other { id, data } => format!("sub{id}={}", hex::encode(data)),
        })
        .collect();
    v.join(" ")
}

/// A neighbor report as JSON.
pub fn nr_json(r: &NeighborReport) -> String {
    let mut subs = Arr::new();
    for s in &r.subelements {
        let mut o = Obj::new();
        match s {
            NrSubelement::Tsf {
                offset,
                beacon_interval,
            } => {
                o.int("id", 1);
                o.str("name", "tsf");
                o.int("offset", (*offset).into());
                o.int("beacon_interval", (*beacon_interval).into());
            }
            NrSubelement::CondensedCountry(c) => {
                o.int("id", 2);
                o.str("name", "country");
                o.str("country", &String::from_utf8_lossy(c));
            }
            NrSubelement::CandidatePreference(p) => {
                o.int("id", 3);
                o.str("name", "candidate_preference");
                o.int("preference", (*p).into());
            }
            NrSubelement::BssTerminationDuration { tsf, minutes } => {
                o.int("id", 4);
                o.str("name", "bss_termination_duration");
                o.uint("tsf", *tsf);
                o.int("minutes", (*minutes).into());
            }
            NrSubelement::WideBandwidthChannel { width, seg0, seg1 } => {
                o.int("id", 6);
                o.str("name", "wide_bandwidth_channel");
                o.int("width", width.0.into());
                o.str("width_mhz", nr_width_text(width.0));
                o.int("seg0", (*seg0).into());
                o.int("seg1", (*seg1).into());
            }
            NrSubelement::Other { id, data } => {
                o.int("id", (*id).into());
                o.str("data", &hex::encode(data));
            }
        }
        subs.raw(&o.end());
    }
    let mut bits = Arr::new();
    for name in info_names(r.info) {
        bits.str(name);
    }
    let mut o = Obj::new();
    o.disp("bssid", &r.bssid);
    o.disp("bssid_info", &format_args!("0x{:08x}", r.info.0));
    o.raw("bssid_info_bits", &bits.end());
    o.int("op_class", r.op_class.into());
    o.int("channel", r.channel.into());
    o.opt_int("freq", class_freq(r.op_class, r.channel).map(i64::from));
    o.int("phy_type", r.phy_type.0.into());
    o.str("phy", phy_name(r.phy_type.0));
    o.raw("subelements", &subs.end());
    o.end()
}

/// Key/value lines describing a neighbor report.
pub fn nr_lines(v: &mut Kv, r: &NeighborReport) {
    v.disp("bssid", &r.bssid);
    v.fmt(
        "bssid info",
        format_args!("0x{:08x} {}", r.info.0, info_names(r.info).join(" ")),
    );
    match class_freq(r.op_class, r.channel) {
        Some(f) => v.fmt(
            "op class / channel",
            format_args!("{} / {} ({f} MHz)", r.op_class, r.channel),
        ),
        None => v.fmt(
            "op class / channel",
            format_args!("{} / {}", r.op_class, r.channel),
        ),
    }
    v.fmt(
        "phy type",
        format_args!("{} ({})", r.phy_type.0, phy_name(r.phy_type.0)),
    );
    v.add("subelements", nr_subelements_text(r));
}

use ctrl_proto::event::Event;
use ctrl_proto::rrm::ReportMode;

/// Name of a beacon report mode: `accepted`, or the set bits (`refused`, `incapable`, `late`).
pub fn report_mode_name(m: ReportMode) -> String {
    if m.is_accepted() {
        return "accepted".into();
    }
    let mut v = Vec::new();
    if m.refused() {
        v.push("refused");
    }
    if m.incapable() {
        v.push("incapable");
    }
    if m.late() {
        v.push("late");
    }
    if v.is_empty() {
        format!("0x{:02x}", m.0)
    } else {
        v.join("+")
    }
}

/// Name of a BSS transition status (`accept`, `reject-no-suitable-candidates`...).
pub fn btm_name(s: ctrl_proto::btm::BtmStatus) -> String {
    s.name()
        .map(str::to_string)
        .unwrap_or_else(|| format!("reserved-{}", s.0))
}

/// One event as a readable line (without timestamp): the name, then decoded fields.
pub fn event_text(ev: &Event<'_>) -> String {
    match ev {
        Event::StaConnected {
            sta,
            ip_addr,
            keyid,
            ..
        } => {
            let mut s = format!("AP-STA-CONNECTED {sta}");
            if let Some(ip) = ip_addr {
                super::push_fmt(&mut s, format_args!(" ip={ip}"));
            }
            if let Some(k) = keyid {
                super::push_fmt(&mut s, format_args!(" keyid={k}"));
            }
            s
        }
        Event::StaDisconnected { sta, .. } => format!("AP-STA-DISCONNECTED {sta}"),
        Event::BeaconReqTxStatus { sta, token, ack } => format!(
            "BEACON-REQ-TX-STATUS {sta} token={token} {}",
            if *ack { "acked" } else { "NOT acked" }
        ),
        Event::BeaconRespRx {
            sta,
            token,
            mode,
            report,
        } => {
            let mut s = format!(
                "BEACON-RESP-RX {sta} token={token} mode={}",
                report_mode_name(*mode)
            );
            let bytes = report.decode();
            if !bytes.is_empty() {
                match BeaconReport::parse(&bytes) {
                    Ok(r) => {
                        let ssid = r.frame_body().and_then(|b| b.ssid());
                        super::push_fmt(
                            &mut s,
                            format_args!(
                                " bssid={} op={} ch={} rcpi={} dbm={} rsni={}",
                                r.bssid,
                                r.op_class,
                                r.channel,
                                r.rcpi.0,
                                r.rcpi.dbm().map(half_db).unwrap_or_else(|| "-".into()),
                                r.rsni.0
                            ),
                        );
                        if let Some(ssid) = ssid {
                            super::push_fmt(&mut s, format_args!(" ssid={}", ssid_text(ssid)));
                        }
                        if let Some(f) = r.fragment_id() {
                            super::push_fmt(
                                &mut s,
                                format_args!(
                                    " fragment={}{}",
                                    f.number,
                                    if f.more { "+" } else { "" }
                                ),
                            );
                        }
                    }
                    Err(e) => super::push_fmt(&mut s, format_args!(" undecodable-report=({e})")),
                }
            }
            s
        }
        Event::BssTmResp {
            sta,
            status,
            bss_termination_delay,
            target,
        } => {
            let mut s = format!(
                "BSS-TM-RESP {sta} status={} ({})",
                status.0,
                btm_name(*status)
            );
            if *bss_termination_delay != 0 {
                super::push_fmt(
                    &mut s,
                    format_args!(" termination_delay={bss_termination_delay}"),
                );
            }
            if let Some(t) = target {
                super::push_fmt(&mut s, format_args!(" target={t}"));
            }
            s
        }
        Event::BssTmQuery {
            sta,
            reason,
            candidates,
        } => {
            let mut s = format!("BSS-TM-QUERY {sta} reason={reason}");
            if let Some(c) = candidates {
                super::push_fmt(&mut s, format_args!(" candidates={}", c.as_str()));
            }
            s
        }
        Event::RxProbeRequest { sa, signal } => format!("RX-PROBE-REQUEST {sa} signal={signal}"),
        Event::ChannelSwitch(c) | Event::ChannelSwitchStarted(c) => format!(
            "{} freq={} width={} cf1={} cf2={} dfs={}",
            ev.name(),
            c.freq,
            c.ch_width,
            c.cf1,
            c.cf2,
            c.dfs
        ),
        Event::ApEnabled | Event::ApDisabled | Event::Terminating => ev.name().to_string(),
        Event::Unknown(text) => text.to_string(),
    }
}

/// One event as JSON: `{"event": NAME, ...decoded fields}`; unknown events carry `text`.
/// The object is left open for the caller's fields.
pub fn event_json(ev: &Event<'_>) -> Obj {
    let mut j = Obj::new();
    j.str("event", ev.name());
    match ev {
        Event::StaConnected {
            sta,
            p2p_dev_addr,
            ip_addr,
            keyid,
            dpp_pkhash,
        } => {
            j.disp("sta", sta);
            j.opt_disp("p2p_dev_addr", p2p_dev_addr.as_ref().map(|m| m as _));
            j.opt_disp("ip_addr", ip_addr.as_ref().map(|i| i as _));
            j.opt_str("keyid", *keyid);
            j.opt_str("dpp_pkhash", *dpp_pkhash);
        }
        Event::StaDisconnected { sta, p2p_dev_addr } => {
            j.disp("sta", sta);
            j.opt_disp("p2p_dev_addr", p2p_dev_addr.as_ref().map(|m| m as _));
        }
        Event::BeaconReqTxStatus { sta, token, ack } => {
            j.disp("sta", sta);
            j.int("token", (*token).into());
            j.bool("ack", *ack);
        }
        Event::BeaconRespRx {
            sta,
            token,
            mode,
            report,
        } => {
            j.disp("sta", sta);
            j.int("token", (*token).into());
            j.int("mode", mode.0.into());
            j.str("mode_name", &report_mode_name(*mode));
            j.str("hex", report.as_str());
            let bytes = report.decode();
            if bytes.is_empty() {
                j.null("report");
            } else {
                match BeaconReport::parse(&bytes) {
                    Ok(r) => j.raw(
                        "report",
                        &report_json(&r, r.frame_body().and_then(|b| b.ssid())),
                    ),
                    Err(e) => {
                        let mut o = Obj::new();
                        o.disp("error", &e);
                        j.raw("report", &o.end());
                    }
                }
            }
        }
        Event::BssTmResp {
            sta,
            status,
            bss_termination_delay,
            target,
        } => {
            j.disp("sta", sta);
            j.int("status_code", status.0.into());
            j.str("status", &btm_name(*status));
            j.int("bss_termination_delay", (*bss_termination_delay).into());
            j.opt_disp("target_bssid", target.as_ref().map(|m| m as _));
        }
        Event::BssTmQuery {
            sta,
            reason,
            candidates,
        } => {
            j.disp("sta", sta);
            j.int("reason", (*reason).into());
            j.opt_str("candidates", candidates.as_ref().map(|c| c.as_str()));
        }
        Event::RxProbeRequest { sa, signal } => {
            j.disp("sa", sa);
            j.int("signal", i64::from(*signal));
        }
        Event::ChannelSwitch(c) | Event::ChannelSwitchStarted(c) => {
            j.int("freq", i64::from(c.freq));
            j.bool("ht_enabled", c.ht_enabled);
            j.int("ch_offset", i64::from(c.ch_offset));
            j.str("ch_width", c.ch_width);
            j.opt_int("width_mhz", c.width_mhz().map(i64::from));
            j.int("cf1", i64::from(c.cf1));
            j.int("cf2", i64::from(c.cf2));
            j.int("dfs", i64::from(c.dfs));
        }
        Event::ApEnabled | Event::ApDisabled | Event::Terminating => {}
        Event::Unknown(text) => j.str("text", text),
    }
    j
}
