//! What `roamer state` prints: per radio and per client, as text or JSON.

use std::fmt::{self, Display, Write};
use std::time::Instant;

use super::link::State as LinkState;
use super::state::{json_str, Format};
use super::Daemon;
use crate::config::fmt_mac;
use crate::policy::{self, ClientPhase};

fn link_state(s: LinkState) -> &'static str {
    match s {
        LinkState::Down => "down",
        LinkState::Attaching => "attaching",
        LinkState::Up => "up",
    }
}

/// A text table cell: the value, or `-`, padded as a string (`{:<7}`), whatever the value's
/// own `Display` does with a width.
pub(super) struct Cell<'a>(Option<&'a dyn Display>);

impl Display for Cell<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(v) => f.pad(&v.to_string()),
            None => f.pad("-"),
        }
    }
}

pub(super) fn opt<T: Display>(v: &Option<T>) -> Cell<'_> {
    Cell(v.as_ref().map(|v| v as &dyn Display))
}

/// A JSON value: the value, or `null`.
struct JOpt<'a>(Option<&'a dyn Display>);

impl Display for JOpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(v) => v.fmt(f),
            None => f.write_str("null"),
        }
    }
}

fn jopt<T: Display>(v: &Option<T>) -> JOpt<'_> {
    JOpt(v.as_ref().map(|v| v as &dyn Display))
}

/// The STATE column of one client, from the policy's own view of it ([`Policy::client`]),
/// not guessed from its last log record: `excluded` (not steered by configuration), `left`,
/// `measuring`, `steering` (request out or accepted, not yet gone), `refuses`, `backing-off`
/// (after a failed attempt), `idle (never answers)`, `idle (no candidate)`, `idle (dry run)`,
/// `idle`.
///
/// [`Policy::client`]: crate::policy::Policy::client
fn state_text(
    may_steer: bool,
    view: Option<&policy::ClientView>,
    no_candidate: bool,
    dry_run: bool,
    now: policy::Instant,
) -> &'static str {
    if !may_steer {
        return "excluded";
    }
    let Some(v) = view else {
        return "idle";
    };
    match v.phase {
        ClientPhase::Measuring => "measuring",
        ClientPhase::Steering(_) => "steering",
        ClientPhase::Idle if v.radio.is_none() => "left",
        ClientPhase::Idle if v.refuses => "refuses",
        ClientPhase::Idle if v.failures > 0 && v.next_attempt > now => "backing-off",
        ClientPhase::Idle if v.never_answers => "idle (never answers)",
        ClientPhase::Idle if no_candidate => "idle (no candidate)",
        ClientPhase::Idle if dry_run => "idle (dry run)",
        ClientPhase::Idle => "idle",
    }
}

impl Daemon {
    /// [`state_text`] of client `m`.
    fn state_text(&self, m: &[u8; 6], c: &super::ClientView, now: Instant) -> &'static str {
        let view = self.policy.client(&policy::Mac(*m));
        state_text(
            self.policy.config().may_steer(&policy::Mac(*m)),
            view.as_ref(),
            c.no_candidate_logged,
            self.policy.config().dry_run,
            self.pnow(now),
        )
    }

    /// The state document.
    pub(super) fn render(&self, format: Format, now: Instant) -> String {
        match format {
            Format::Text => self.render_text(now),
            Format::Json => self.render_json(now),
        }
    }

    #[inline(never)]
    fn render_text(&self, now: Instant) -> String {
        let mut o = String::new();
        let st = self.policy.stats();
        let _ = writeln!(
            o,
            "roamer {}: up {}s, config {}{}, reloads {}, clients tracked {}",
            env!("CARGO_PKG_VERSION"),
            now.saturating_duration_since(self.start).as_secs(),
            self.cfg.file.display(),
            if self.policy.config().dry_run {
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
            let l = b.local.as_ref();
            let (bssid, band, ch, opc) = (
                Cell(l.map(|l| &l.bssid as &dyn Display)),
                Cell(l.map(|l| &l.band as &dyn Display)),
                Cell(l.map(|l| &l.channel as &dyn Display)),
                Cell(
                    l.and_then(|l| l.op_class.as_ref())
                        .map(|v| v as &dyn Display),
                ),
            );
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
        // In MAC order (the map's own order).
        for (m, c) in self.clients.iter() {
            let radio = c
                .radio
                .and_then(|s| self.bsses.get(s))
                .and_then(Option::as_ref)
                .map_or("-", |b| b.name.as_str());
            let state = self.state_text(m, c, now);
            let _ = write!(
                o,
                "{:<18} {:<8} {:<7} {:<5} {:<9} {:<7} {:<15} {:<4} {:<3} {:<7} {:<7} ",
                fmt_mac(m),
                radio,
                opt(&c.signal),
                opt(&c.signal_avg),
                c.inactive_ms,
                c.connected_s,
                state,
                c.measurements,
                c.decisions,
                c.steered,
                c.failed,
            );
            match &c.last {
                Some((t, l)) => {
                    let age = now.saturating_duration_since(*t).as_secs();
                    let _ = writeln!(o, "{age}s ago: {l}");
                }
                None => o.push_str("-\n"),
            }
        }
        o
    }

    #[inline(never)]
    fn render_json(&self, now: Instant) -> String {
        let mut o = String::new();
        let st = self.policy.stats();
        let _ = write!(
            o,
            "{{\"version\":\"{}\",\"uptime_s\":{},\"dry_run\":{},\"reloads\":{},\"nl80211\":{},\"lost_event_resyncs\":{},\"policy\":{{\"measurements\":{},\"decisions\":{},\"steered\":{},\"failed\":{},\"deauths\":{},\"untracked\":{}}},\"radios\":[",
            env!("CARGO_PKG_VERSION"),
            now.saturating_duration_since(self.start).as_secs(),
            self.policy.config().dry_run,
            self.reloads,
            self.nl.is_some(),
            self.stats_lost_events,
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
                    let _ = write!(o, ",\"bssid\":\"{}\",\"band\":\"{}\",\"channel\":{},\"op_class\":{},\"ssid\":", l.bssid, l.band, l.channel, jopt(&l.op_class));
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
        for (i, (m, c)) in self.clients.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            let radio = c
                .radio
                .and_then(|s| self.bsses.get(s))
                .and_then(Option::as_ref)
                .map(|b| b.name.as_str());
            let state = self.state_text(m, c, now);
            let _ = write!(o, "{{\"mac\":\"{}\",\"radio\":", fmt_mac(m));
            match radio {
                Some(r) => json_str(&mut o, r),
                None => o.push_str("null"),
            }
            let _ = write!(
                o,
                ",\"signal\":{},\"signal_avg\":{},\"inactive_ms\":{},\"connected_s\":{},\"rx_packets\":{},\"state\":\"{state}\",\"measurements\":{},\"decisions\":{},\"steered\":{},\"failed\":{},\"last_decision\":",
                jopt(&c.signal),
                jopt(&c.signal_avg),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{ClientView, Instant as PInstant, Mac, MeasureMode, RadioId};

    fn view(phase: ClientPhase) -> ClientView {
        ClientView {
            radio: Some(RadioId(0)),
            phase,
            mode: Some(MeasureMode::Active),
            never_answers: false,
            refuses: false,
            failures: 0,
            next_attempt: PInstant(0),
            uplink: None,
        }
    }

    /// The state follows the policy's view, whatever the last log record said (a client
    /// whose last record was "no candidate" but is being measured again shows "measuring").
    #[test]
    fn state_is_the_policy_view() {
        let now = PInstant(10_000);
        let measuring = view(ClientPhase::Measuring);
        assert_eq!(
            state_text(true, Some(&measuring), true, false, now),
            "measuring"
        );
        let steering = view(ClientPhase::Steering(Mac([2, 0, 0, 0, 2, 0])));
        assert_eq!(
            state_text(true, Some(&steering), false, false, now),
            "steering"
        );
        let backing = ClientView {
            failures: 1,
            next_attempt: PInstant(20_000),
            ..view(ClientPhase::Idle)
        };
        assert_eq!(
            state_text(true, Some(&backing), false, false, now),
            "backing-off"
        );
        // the back-off is over: idle again (a record-derived state stayed "backing-off")
        let over = ClientView {
            next_attempt: PInstant(5_000),
            ..backing
        };
        assert_eq!(state_text(true, Some(&over), false, false, now), "idle");
        let refuses = ClientView {
            refuses: true,
            ..view(ClientPhase::Idle)
        };
        assert_eq!(
            state_text(true, Some(&refuses), false, false, now),
            "refuses"
        );
        let left = ClientView {
            radio: None,
            ..view(ClientPhase::Idle)
        };
        assert_eq!(state_text(true, Some(&left), false, false, now), "left");
        assert_eq!(
            state_text(false, Some(&measuring), false, false, now),
            "excluded"
        );
        assert_eq!(
            state_text(true, Some(&view(ClientPhase::Idle)), true, false, now),
            "idle (no candidate)"
        );
    }
}
