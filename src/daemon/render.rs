//! What `roamer state` prints: per radio and per client, as text or JSON.

use std::fmt::Write;
use std::time::Instant;

use super::link::State as LinkState;
use super::state::{json_str, Format};
use super::Daemon;
use crate::config::fmt_mac;

fn link_state(s: LinkState) -> &'static str {
    match s {
        LinkState::Down => "down",
        LinkState::Attaching => "attaching",
        LinkState::Up => "up",
    }
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or("-".to_string(), |v| v.to_string())
}

fn jopt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or("null".to_string(), |v| v.to_string())
}

impl Daemon {
    /// The state document.
    pub(super) fn render(&self, format: Format, now: Instant) -> String {
        match format {
            Format::Text => self.render_text(now),
            Format::Json => self.render_json(now),
        }
    }

    fn render_text(&self, now: Instant) -> String {
        let mut o = String::new();
        let st = self.policy.stats();
        let _ = writeln!(
            o,
            "roamer {}: up {}s, config {}{}, reloads {}, clients tracked {}",
            env!("CARGO_PKG_VERSION"),
            now.saturating_duration_since(self.start).as_secs(),
            self.cfg.file.display(),
            if self.cfg.policy.dry_run {
                " (dry run)"
            } else {
                ""
            },
            self.reloads,
            self.clients.len()
        );
        let _ = writeln!(
            o,
            "policy: measurements {} decisions {} steered {} failed {} deauths {} untracked {} deferred {} dropped-logs {}",
            st.measurements, st.decisions, st.steered, st.failed, st.deauths, st.untracked, st.deferred, st.dropped_logs
        );
        let _ = writeln!(
            o,
            "nl80211: {}, lost-event resyncs {}",
            if self.nl.is_some() { "up" } else { "down" },
            self.stats_lost_events
        );
        let _ = writeln!(o, "\nRADIO    LINK       BSSID              BAND    CH   OPC  CLIENTS  REQ    TMO  DROP  EVENTS  RECONN  REATT  NBR-SET NBR-RM STEER");
        for (slot, b) in self.bsses.iter().enumerate() {
            let Some(b) = b else { continue };
            let c = &b.link.counters;
            let n = self
                .clients
                .values()
                .filter(|x| x.radio == Some(slot))
                .count();
            let (bssid, band, ch, opc) = match &b.local {
                Some(l) => (
                    l.bssid.to_string(),
                    l.band.to_string(),
                    l.channel.to_string(),
                    opt(l.op_class),
                ),
                None => ("-".into(), "-".into(), "-".into(), "-".into()),
            };
            let _ = writeln!(
                o,
                "{:<8} {:<10} {:<18} {:<7} {:<4} {:<4} {:<8} {:<6} {:<4} {:<5} {:<7} {:<7} {:<6} {:<7} {:<6} {}",
                b.name,
                link_state(b.link.state()),
                bssid,
                band,
                ch,
                opc,
                n,
                c.requests,
                c.timeouts,
                c.dropped,
                c.events,
                c.connects.saturating_sub(1),
                c.reattaches,
                b.table.sets,
                b.table.removes,
                b.steer_requests
            );
        }
        let _ = writeln!(o, "\nCLIENT             RADIO    SIGNAL  AVG   INACT-MS  CONN-S  STATE           MEAS DEC STEERED FAILED  LAST DECISION");
        let mut macs: Vec<_> = self.clients.keys().copied().collect();
        macs.sort_unstable();
        for m in macs {
            let Some(c) = self.clients.get(&m) else {
                continue;
            };
            let radio = c
                .radio
                .and_then(|s| self.bsses.get(s))
                .and_then(Option::as_ref)
                .map_or("-", |b| b.name.as_str());
            let state = if !self.cfg.may_steer(&m) {
                "excluded"
            } else {
                c.phase
            };
            let last = c.last.as_ref().map_or("-".to_string(), |(t, l)| {
                format!("{}s ago: {l}", now.saturating_duration_since(*t).as_secs())
            });
            let _ = writeln!(
                o,
                "{:<18} {:<8} {:<7} {:<5} {:<9} {:<7} {:<15} {:<4} {:<3} {:<7} {:<7} {}",
                fmt_mac(&m),
                radio,
                opt(c.signal),
                opt(c.signal_avg),
                c.inactive_ms,
                c.connected_s,
                state,
                c.measurements,
                c.decisions,
                c.steered,
                c.failed,
                last
            );
        }
        o
    }

    fn render_json(&self, now: Instant) -> String {
        let mut o = String::new();
        let st = self.policy.stats();
        let _ = write!(
            o,
            "{{\"version\":\"{}\",\"uptime_s\":{},\"dry_run\":{},\"reloads\":{},\"nl80211\":{},\"policy\":{{\"measurements\":{},\"decisions\":{},\"steered\":{},\"failed\":{},\"deauths\":{},\"untracked\":{}}},\"radios\":[",
            env!("CARGO_PKG_VERSION"),
            now.saturating_duration_since(self.start).as_secs(),
            self.cfg.policy.dry_run,
            self.reloads,
            self.nl.is_some(),
            st.measurements,
            st.decisions,
            st.steered,
            st.failed,
            st.deauths,
            st.untracked
        );
        let mut first = true;
        for (slot, b) in self.bsses.iter().enumerate() {
            let Some(b) = b else { continue };
            if !first {
                o.push(',');
            }
            first = false;
            let c = &b.link.counters;
            o.push_str("{\"iface\":");
            json_str(&mut o, &b.name);
            let _ = write!(o, ",\"link\":\"{}\"", link_state(b.link.state()));
            match &b.local {
                Some(l) => {
                    let _ = write!(o, ",\"bssid\":\"{}\",\"band\":\"{}\",\"channel\":{},\"op_class\":{},\"ssid\":", l.bssid, l.band, l.channel, jopt(l.op_class));
                    json_str(&mut o, &String::from_utf8_lossy(&l.ssid));
                }
                None => o.push_str(",\"bssid\":null,\"band\":null,\"channel\":null,\"op_class\":null,\"ssid\":null"),
            }
            let n = self
                .clients
                .values()
                .filter(|x| x.radio == Some(slot))
                .count();
            let _ = write!(
                o,
                ",\"clients\":{n},\"requests\":{},\"timeouts\":{},\"dropped\":{},\"events\":{},\"reconnects\":{},\"reattaches\":{},\"garbage\":{},\"neighbor_sets\":{},\"neighbor_removes\":{},\"neighbors_added\":{},\"steer_requests\":{}}}",
                c.requests,
                c.timeouts,
                c.dropped,
                c.events,
                c.connects.saturating_sub(1),
                c.reattaches,
                c.garbage,
                b.table.sets,
                b.table.removes,
                b.table.added.len(),
                b.steer_requests
            );
        }
        o.push_str("],\"clients\":[");
        let mut macs: Vec<_> = self.clients.keys().copied().collect();
        macs.sort_unstable();
        for (i, m) in macs.iter().enumerate() {
            let Some(c) = self.clients.get(m) else {
                continue;
            };
            if i > 0 {
                o.push(',');
            }
            let radio = c
                .radio
                .and_then(|s| self.bsses.get(s))
                .and_then(Option::as_ref)
                .map(|b| b.name.clone());
            let state = if !self.cfg.may_steer(m) {
                "excluded"
            } else {
                c.phase
            };
            let _ = write!(o, "{{\"mac\":\"{}\",\"radio\":", fmt_mac(m));
            match radio {
                Some(r) => json_str(&mut o, &r),
                None => o.push_str("null"),
            }
            let _ = write!(
                o,
                ",\"signal\":{},\"signal_avg\":{},\"inactive_ms\":{},\"connected_s\":{},\"rx_packets\":{},\"state\":\"{state}\",\"measurements\":{},\"decisions\":{},\"steered\":{},\"failed\":{},\"last_decision\":",
                jopt(c.signal),
                jopt(c.signal_avg),
                c.inactive_ms,
                c.connected_s,
                c.rx_packets,
                c.measurements,
                c.decisions,
                c.steered,
                c.failed
            );
            match &c.last {
                Some((t, l)) => {
                    let _ = write!(
                        o,
                        "{{\"age_s\":{},\"text\":",
                        now.saturating_duration_since(*t).as_secs()
                    );
                    json_str(&mut o, l);
                    o.push('}');
                }
                None => o.push_str("null"),
            }
            o.push('}');
        }
        o.push_str("]}\n");
        o
    }
}
