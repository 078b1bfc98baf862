//! The state machine: [`Policy`].

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use super::client::{Candidate, Client, Measurement, Phase, Req, SampleAt, State, Steering};
use super::config::{Config, SteerMode};
use super::io::{
    Action, BeaconReport, BeaconRequest, BssTransition, Event, Failure, Input, MeasureMode,
    RadioInfo, Record, StationSample, Trigger,
};
use super::types::{Band, Instant, Mac, NeighborEntry, RadioId, Signal};
use super::vecmap::VecMap;

/// Counters for metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Log records dropped because the action queue was full.
    pub dropped_logs: u64,
    /// Requests not started because the action queue was full.
    pub deferred: u64,
    /// Clients not tracked because `max_clients` was reached.
    pub untracked: u64,
    /// Measurements started.
    pub measurements: u64,
    /// Transition requests (or dry-run decisions) made.
    pub decisions: u64,
    /// Clients that left as asked.
    pub steered: u64,
    /// Failed transitions.
    pub failed: u64,
    /// Deauthentications.
    pub deauths: u64,
}

/// Where a client is in the policy's cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientPhase {
    /// Nothing outstanding.
    Idle,
    /// Beacon requests outstanding.
    Measuring,
    /// A transition request to this BSSID is outstanding (or accepted, not yet left).
    Steering(Mac),
}

/// A read-only view of one client, see [`Policy::client`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientView {
    /// Radio it is on (None: left, remembered until `forget_after_s`).
    pub radio: Option<RadioId>,
    /// Current phase.
    pub phase: ClientPhase,
    /// Beacon report mode in use (None: every mode refused).
    pub mode: Option<MeasureMode>,
    /// Remembered as never answering beacon requests.
    pub never_answers: bool,
    /// Remembered as refusing transitions.
    pub refuses: bool,
    /// Consecutive failed transitions.
    pub failures: u8,
    /// No new attempt before this (back-off, cooldown after an attempt).
    pub next_attempt: Instant,
    /// Last uplink signal.
    pub uplink: Option<Signal>,
}

/// A decision to carry out: the trigger, the qualifying candidates best first (and what the
/// client measured of the first), the current BSS's value and the whole measurement.
struct Choice {
    trigger: Trigger,
    ranked: Vec<Candidate>,
    first_signal: Option<Signal>,
    current: Signal,
    measured: Vec<(Mac, Signal)>,
}

/// Preferences given to the candidates of one transition request, best first.
const PREFS: [u8; 4] = [255, 200, 150, 100];
/// Tokens of earlier requests remembered per measurement.
const MAX_TOKENS: usize = 8;
/// Cap of the "no candidate" back-off: at most 2^3 = 8 times `measure_interval_s` between
/// measurements of a client that keeps finding nothing better.
const NO_CANDIDATE_MAX_SHIFT: u8 = 3;

/// `v.sort_by_key(key)` (stable) as an insertion sort: the candidate lists are short, and
/// each `slice::sort_by_key` instance is a merge sort of its own in the binary.
fn stable_sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// The local radios in id order (an AP has a handful).
type Radios = VecMap<RadioId, RadioInfo>;

/// The sans-IO steering policy. See the [module docs](super) for the contract.
#[derive(Debug)]
pub struct Policy {
    cfg: Config,
    radios: Radios,
    neighbors: Vec<NeighborEntry>,
    clients: VecMap<Mac, Client>,
    timers: BinaryHeap<Reverse<(Instant, Mac)>>,
    actions: VecDeque<Action>,
    stats: Stats,
}

impl Policy {
    /// A policy with `cfg`, no radios, no neighbors, no clients.
    pub fn new(cfg: Config) -> Policy {
        let cap = (cfg.action_queue as usize).clamp(1, 1 << 16);
        Policy {
            cfg,
            radios: Radios::default(),
            neighbors: Vec::new(),
            clients: VecMap::default(),
            timers: BinaryHeap::new(),
            actions: VecDeque::with_capacity(cap.min(1024)),
            stats: Stats::default(),
        }
    }

    /// Replaces the configuration (reload). Client memory is kept.
    pub fn set_config(&mut self, cfg: Config) {
        self.cfg = cfg;
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Number of clients remembered (connected or recently left).
    pub fn clients(&self) -> usize {
        self.clients.len()
    }

    /// What the policy remembers about `sta` (for status displays), if it is tracked.
    pub fn client(&self, sta: &Mac) -> Option<ClientView> {
        let c = self.clients.get(sta)?;
        Some(ClientView {
            radio: c.radio,
            phase: match &c.state {
                State::Idle => ClientPhase::Idle,
                State::Measuring(_) => ClientPhase::Measuring,
                State::Steering(s) => ClientPhase::Steering(s.target),
            },
            mode: c.mode,
            never_answers: c.never_answers || c.mode.is_none(),
            refuses: c.refuses,
            failures: c.failures,
            next_attempt: c.next_attempt,
            uplink: c.sample.and_then(|s| Self::uplink(&s.s)),
        })
    }

    /// Test hook: (remembered readings, radio) of a client.
    #[cfg(test)]
    pub(crate) fn clients_debug(&self, sta: &Mac) -> (usize, u8, bool) {
        self.clients.get(sta).map_or((0, 0, false), |c| {
            (
                c.readings.len(),
                c.silent,
                matches!(c.state, State::Measuring(_)),
            )
        })
    }

    /// Feeds one observation. Due timers are handled first, as by [`Policy::handle_timeout`].
    /// Drain [`Policy::poll_action`] afterwards.
    pub fn handle(&mut self, now: Instant, input: Input) {
        self.handle_timeout(now);
        match input {
            Input::Radio { radio, info } => {
                self.radios.insert(radio, info);
            }
            Input::RadioGone { radio } => self.radio_gone(now, radio),
            Input::Neighbors { entries } => self.neighbors = entries,
            Input::Sample { radio, sta, sample } => self.on_sample(now, radio, sta, sample),
            Input::Connected { radio, sta } => self.on_connected(now, radio, sta),
            Input::Disconnected { radio, sta } => self.on_disconnected(now, radio, sta),
            Input::Capabilities {
                radio,
                sta,
                radio_measurement,
                bss_transition,
            } => self.on_capabilities(now, radio, sta, radio_measurement, bss_transition),
            Input::BeaconRequestResult { radio, sta, token } => {
                self.on_beacon_result(now, radio, sta, token)
            }
            Input::BeaconTxStatus {
                radio,
                sta,
                token,
                ack,
            } => self.on_beacon_tx_status(now, radio, sta, token, ack),
            Input::BeaconReport { radio, sta, report } => {
                self.on_beacon_report(now, radio, sta, report)
            }
            Input::BtmRequestResult { radio, sta, ok } => self.on_btm_result(now, radio, sta, ok),
            Input::BtmResponse {
                radio,
                sta,
                status,
                target,
            } => self.on_btm_response(now, radio, sta, status, target),
        }
    }

    /// Handles every timer due at `now` (measurement deadlines, transition deadlines,
    /// forgetting clients). Call it when [`Policy::poll_timeout`] is reached.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some(Reverse((at, sta))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
            let Some(c) = self.clients.get_mut(&sta) else {
                continue;
            };
            if c.deadline != Some(at) {
                continue; // superseded
            }
            c.deadline = None;
            self.on_deadline(now, sta);
        }
    }

    /// The next action to carry out, oldest first.
    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    /// When the policy next needs [`Policy::handle_timeout`] (None: only on input).
    /// May be earlier than needed (a cancelled timer), never later.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers.peek().map(|r| r.0 .0)
    }

    // ---------------------------------------------------------------- queue and timers

    fn queue_cap(&self) -> usize {
        (self.cfg.action_queue as usize).clamp(1, 1 << 16)
    }

    /// Makes room for one request, dropping the oldest log record if needed.
    fn room(&mut self) -> bool {
        if self.actions.len() < self.queue_cap() {
            return true;
        }
        // drop the oldest log record (retain keeps the order; VecDeque::remove would bring
        // its own wrap-around copying code)
        let mut first = true;
        self.actions
            .retain(|a| !(matches!(a, Action::Log(_)) && std::mem::take(&mut first)));
        if !first {
            self.stats.dropped_logs += 1;
            return true;
        }
        self.stats.deferred += 1;
        false
    }

    fn log(&mut self, at: Instant, radio: RadioId, sta: Mac, event: Event) {
        if self.actions.len() >= self.queue_cap() {
            self.stats.dropped_logs += 1;
            return;
        }
        self.actions.push_back(Action::Log(Record {
            at,
            radio,
            sta,
            event,
        }));
    }

    fn set_deadline(&mut self, sta: Mac, at: Instant) {
        if let Some(c) = self.clients.get_mut(&sta) {
            c.deadline = Some(at);
            self.timers.push(Reverse((at, sta)));
        }
        // Superseded entries stay in the heap until popped; rebuild when they pile up.
        if self.timers.len() > 2 * self.clients.len() + 64 {
            // (pushed one by one: the (deadline, MAC) pairs are distinct, so the heap pops
            // them in the same order whatever way it was built)
            self.timers.clear();
            for (m, c) in self.clients.iter() {
                if let Some(d) = c.deadline {
                    self.timers.push(Reverse((d, *m)));
                }
            }
        }
    }

    #[inline(never)]
    fn clear_deadline(&mut self, sta: Mac) {
        if let Some(c) = self.clients.get_mut(&sta) {
            c.deadline = None;
        }
    }

    // ---------------------------------------------------------------- presence

    /// [`Policy::track`] for an event of a known local radio (false for an unknown one).
    #[inline(never)]
    fn track_on(&mut self, now: Instant, radio: RadioId, sta: Mac) -> bool {
        self.radios.contains_key(&radio) && self.track(now, sta)
    }

    /// The client record for `sta`, created if there is room.
    fn track(&mut self, now: Instant, sta: Mac) -> bool {
        if self.clients.contains_key(&sta) {
            return true;
        }
        if self.clients.len() >= self.cfg.max_clients as usize {
            self.stats.untracked += 1;
            return false;
        }
        self.clients.insert(sta, Client::new(now));
        true
    }

    fn on_connected(&mut self, now: Instant, radio: RadioId, sta: Mac) {
        if !self.track_on(now, radio, sta) {
            return;
        }
        if self
            .clients
            .get(&sta)
            .is_some_and(|c| c.radio == Some(radio))
        {
            return; // duplicate event
        }
        self.arrive(now, radio, sta, 0);
    }

    /// `sta` is now on `radio` (connected `ago_ms` ago).
    fn arrive(&mut self, now: Instant, radio: RadioId, sta: Mac, ago_ms: u64) {
        let Some(c) = self.clients.get_mut(&sta) else {
            return;
        };
        let prev = c.radio;
        let state = std::mem::take(&mut c.state);
        c.radio = Some(radio);
        c.arrived_at = Instant(now.0.saturating_sub(ago_ms));
        c.no_candidate = 0;
        c.no_candidate_at = None;
        c.sample = None;
        c.prev_rx = None;
        self.clear_deadline(sta);
        if let State::Steering(s) = state {
            if prev.is_some() || s.target_radio == Some(radio) {
                self.steered(now, prev.unwrap_or(radio), sta, s);
            }
        }
    }

    fn on_disconnected(&mut self, now: Instant, radio: RadioId, sta: Mac) {
        let Some(c) = self.clients.get_mut(&sta) else {
            return;
        };
        if c.radio != Some(radio) {
            return; // already seen elsewhere (event order between radios is not guaranteed)
        }
        self.leave(now, radio, sta);
    }

    fn leave(&mut self, now: Instant, radio: RadioId, sta: Mac) {
        let Some(c) = self.clients.get_mut(&sta) else {
            return;
        };
        let state = std::mem::take(&mut c.state);
        c.radio = None;
        c.left_at = now;
        c.sample = None;
        if let State::Steering(s) = state {
            self.steered(now, radio, sta, s);
        }
        let forget = now + self.cfg.forget_after_s as u64 * 1000;
        self.set_deadline(sta, forget);
    }

    fn on_capabilities(&mut self, now: Instant, radio: RadioId, sta: Mac, rm: bool, btm: bool) {
        if !self.track_on(now, radio, sta) {
            return;
        }
        let Some(c) = self.clients.get_mut(&sta) else {
            return;
        };
        c.no_btm = !btm;
        if !rm && !c.never_answers {
            c.never_answers = true;
            self.log(now, radio, sta, Event::NeverAnswers);
        }
    }

    fn radio_gone(&mut self, now: Instant, radio: RadioId) {
        self.radios.remove(&radio);
        // In MAC order (the map's order).
        let mut gone: Vec<Mac> = Vec::new();
        for (m, c) in self.clients.iter() {
            if c.radio == Some(radio) {
                gone.push(*m);
            }
        }
        for sta in gone {
            if let Some(c) = self.clients.get_mut(&sta) {
                // not a success: the radio vanished, nobody moved
                c.state = State::Idle;
            }
            self.leave(now, radio, sta);
        }
    }

    fn on_sample(&mut self, now: Instant, radio: RadioId, sta: Mac, s: StationSample) {
        if !self.track_on(now, radio, sta) {
            return;
        }
        let Some(c) = self.clients.get(&sta) else {
            return;
        };
        if c.radio.is_some() && c.radio != Some(radio) {
            // The client is known on another radio. A sample whose association is older than
            // the client's arrival there is a late station dump of the radio it left: ignore.
            if s.connected_s as u64 * 1000 > now.since(c.arrived_at) + 1000 {
                return;
            }
        }
        if c.radio != Some(radio) {
            // first sight (daemon started after the client connected) or a missed event
            self.arrive(now, radio, sta, s.connected_s as u64 * 1000);
        }
        let Some(c) = self.clients.get_mut(&sta) else {
            return;
        };
        c.prev_rx = c.sample.map(|p| p.s.rx_packets);
        c.sample = Some(SampleAt { at: now, s });
        if matches!(c.state, State::Idle) {
            self.evaluate(now, radio, sta);
        }
    }

    // ---------------------------------------------------------------- triggers

    fn uplink(s: &StationSample) -> Option<Signal> {
        s.signal_avg.or(s.signal).map(Signal::dbm)
    }

    #[inline(never)]
    fn held(&self, at: Option<Instant>, now: Instant) -> bool {
        at.is_some_and(|t| now.since(t) < self.cfg.pingpong_hold_s as u64 * 1000)
    }

    /// The trigger that holds for `sta` right now, with its uplink signal, ignoring timers.
    fn trigger(&self, now: Instant, radio: RadioId, sta: Mac) -> Option<(Trigger, Signal)> {
        let c = self.clients.get(&sta)?;
        let info = self.radios.get(&radio)?;
        let sa = c.sample?;
        let stale = self.cfg.stale_after_s as u64 * 1000;
        if sa.s.inactive_ms as u64 > stale || now.since(sa.at) > stale {
            return None; // stale signal: the client has not sent anything for long
        }
        let up = Self::uplink(&sa.s)?;
        let th = self.cfg.thresholds(&sta);
        match info.band {
            Band::G2 => {
                if self.cfg.band_steering
                    && up >= Signal::dbm(th.band_steer_signal)
                    && !self.held(c.band_down_at, now)
                {
                    Some((Trigger::BandSteer, up))
                } else if self.cfg.roaming && up <= Signal::dbm(th.roam_signal_2g) {
                    Some((Trigger::Roam2g, up))
                } else {
                    None
                }
            }
            Band::G5 | Band::G6 => (self.cfg.roaming && up <= Signal::dbm(th.roam_signal_5g))
                .then_some((Trigger::Roam5g, up)),
        }
    }

    /// Whether `sta` may be steered at all.
    fn allowed(&self, sta: &Mac) -> bool {
        match self.cfg.steer_mode(sta) {
            SteerMode::Never => false,
            SteerMode::Always => true,
            SteerMode::Default => self.cfg.steer_all,
        }
    }

    /// Candidates for `trigger`, best known first, at most `max_candidates`.
    fn candidates(
        &self,
        now: Instant,
        radio: RadioId,
        sta: Mac,
        trigger: Trigger,
    ) -> Vec<Candidate> {
        let (Some(c), Some(cur)) = (self.clients.get(&sta), self.radios.get(&radio)) else {
            return Vec::new();
        };
        // no ping-pong (roaming): a client moved up from 2.4 GHz here is not sent back down to
        // any 2.4 GHz BSS, and one moved down here is not sent back up to this AP's 5 GHz, for
        // pingpong_hold_s
        let roam = trigger != Trigger::BandSteer;
        let up_held = roam && cur.band.is_high() && self.held(c.band_up_at, now);
        let down_held = roam && cur.band == Band::G2 && self.held(c.band_down_at, now);
        let mut out: Vec<Candidate> = Vec::new();
        let mut add = |entry: &NeighborEntry, local: Option<RadioId>| {
            let high = entry.band().is_high();
            // band steering: this AP's 5/6 GHz radios only
            let keep = if roam {
                (high || !up_held) && !(down_held && local.is_some() && high)
            } else {
                high
            };
            if keep {
                out.push(Candidate {
                    entry: entry.clone(),
                    local,
                });
            }
        };
        for (r, i) in self.radios.iter() {
            if *r != radio && i.ssid == cur.ssid && i.own.bssid != cur.own.bssid {
                add(&i.own, Some(*r));
            }
        }
        if roam {
            for n in &self.neighbors {
                if n.ssid == cur.ssid
                    && n.bssid != cur.own.bssid
                    && !self.radios.values().any(|i| i.own.bssid == n.bssid)
                {
                    add(n, None);
                }
            }
        }
        // best last reading first (unknown last, as the original's "-81"), stable otherwise
        stable_sort_by_key(&mut out, |k| {
            Reverse(c.reading(&k.entry.bssid).map(|s| s.half_db()))
        });
        out.truncate(self.cfg.max_candidates.max(1) as usize);
        out
    }

    fn evaluate(&mut self, now: Instant, radio: RadioId, sta: Mac) {
        if !self.allowed(&sta) {
            return;
        }
        let Some(c) = self.clients.get(&sta) else {
            return;
        };
        let Some(sa) = c.sample else {
            return;
        };
        // time here: ours, or the kernel's connected time when it knows better (a client that
        // was associated before the daemon started)
        let connected_ms = sa.s.connected_s as u64 * 1000;
        let here_ms = now.since(c.arrived_at).max(connected_ms);
        // "No candidate" back-off ends when the client's signal moved by more than the margin:
        // the situation changed, measure again at the normal interval.
        if let (Some((at, then)), Some(up)) = (c.no_candidate_at, Self::uplink(&sa.s)) {
            let margin = i32::from(self.cfg.thresholds(&sta).roam_margin);
            if (i32::from(up.half_db()) - i32::from(then.half_db())).abs() > 2 * margin {
                let interval = self.cfg.measure_interval_s as u64 * 1000;
                if let Some(c) = self.clients.get_mut(&sta) {
                    c.no_candidate = 0;
                    c.no_candidate_at = None;
                    c.next_measure = c.next_measure.min(at + interval);
                }
            }
        }
        let Some(c) = self.clients.get(&sta) else {
            return;
        };
        if (sa.s.connected_s as u64) < self.cfg.min_connected_s as u64
            || here_ms < self.cfg.cooldown_s as u64 * 1000
            || now < c.next_attempt
            || now < c.next_measure
        {
            return;
        }
        let Some((trigger, uplink)) = self.trigger(now, radio, sta) else {
            return;
        };
        let cands = self.candidates(now, radio, sta, trigger);
        if cands.is_empty() {
            return;
        }
        if self.maybe_deauth(now, radio, sta) {
            return;
        }
        let always = self.cfg.steer_mode(&sta) == SteerMode::Always;
        let Some(c) = self.clients.get(&sta) else {
            return;
        };
        let no_reports = c.never_answers || c.mode.is_none();
        if (c.refuses && !always) || c.no_btm {
            return;
        }
        let measure = !self.cfg.dry_run || self.cfg.dry_run_measure;
        if no_reports || !measure {
            // (without measuring, dry run only logs what it would do on uplink data)
            if self.cfg.steer_without_reports || !measure {
                self.steer(
                    now,
                    radio,
                    sta,
                    Choice {
                        trigger,
                        ranked: cands,
                        first_signal: None,
                        current: uplink,
                        measured: Vec::new(),
                    },
                );
            } else if let Some(c) = self.clients.get_mut(&sta) {
                c.next_measure = now + self.cfg.measure_interval_s as u64 * 1000;
            }
            return;
        }
        self.start_measurement(now, radio, sta, trigger, uplink, cands);
    }

    /// The deauthentication fallback, under the original's safe conditions.
    fn maybe_deauth(&mut self, now: Instant, radio: RadioId, sta: Mac) -> bool {
        if !self.cfg.deauth_fallback {
            return false;
        }
        let Some(c) = self.clients.get(&sta) else {
            return false;
        };
        let Some(sa) = c.sample else {
            return false;
        };
        // a client that never answers is first steered on uplink data if so configured
        let unmeasurable = (c.never_answers || c.mode.is_none()) && !self.cfg.steer_without_reports;
        let stuck = c.refuses || c.no_btm || unmeasurable || c.streak >= self.cfg.deauth_after;
        let quiet = c.prev_rx == Some(sa.s.rx_packets)
            && sa.s.inactive_ms as u64 >= self.cfg.deauth_idle_s as u64 * 1000;
        if !stuck || !quiet {
            return false;
        }
        let dry_run = self.cfg.dry_run;
        if !dry_run {
            if !self.room() {
                return false;
            }
            self.actions.push_back(Action::Deauth {
                radio,
                sta,
                reason: self.cfg.deauth_reason,
            });
        }
        self.stats.deauths += 1;
        let next = now + self.cfg.cooldown_s as u64 * 1000;
        if let Some(c) = self.clients.get_mut(&sta) {
            c.streak = 0;
            c.next_attempt = next;
        }
        self.log(now, radio, sta, Event::Deauth { dry_run });
        true
    }

    // ---------------------------------------------------------------- measurement

    fn start_measurement(
        &mut self,
        now: Instant,
        radio: RadioId,
        sta: Mac,
        trigger: Trigger,
        uplink: Signal,
        candidates: Vec<Candidate>,
    ) {
        let Some(cur) = self.radios.get(&radio) else {
            return;
        };
        let current = cur.own.clone();
        let ssid = cur.ssid.clone();
        let mut requests: Vec<Req> = Vec::new();
        let mut add = |e: &NeighborEntry| {
            let op = e.measure_op_class();
            if let Some(r) = requests
                .iter_mut()
                .find(|r| r.op_class == op && r.channel == e.channel)
            {
                // several BSSs on one channel: one wildcard request with the SSID
                r.bssid = Mac::BROADCAST;
                r.ssid = Some(ssid.clone());
            } else {
                requests.push(Req {
                    op_class: op,
                    channel: e.channel,
                    bssid: e.bssid,
                    ssid: None,
                });
            }
        };
        for k in &candidates {
            add(&k.entry);
        }
        if self.cfg.measure_current && trigger != Trigger::BandSteer {
            add(&current);
        }
        if !self.room() {
            return;
        }
        let m = Measurement {
            trigger,
            candidates,
            current: current.bssid,
            requests,
            idx: 0,
            token: None,
            awaiting_reply: true,
            tokens: Vec::new(),
            req_deadline: now,
            reports: Vec::new(),
            answered: false,
            got: false,
        };
        let Some(c) = self.clients.get_mut(&sta) else {
            return;
        };
        let Some(mode) = c.mode else {
            return;
        };
        let n = m.candidates.len() as u8;
        c.state = State::Measuring(Box::new(m));
        self.stats.measurements += 1;
        self.log(
            now,
            radio,
            sta,
            Event::Measuring {
                trigger,
                uplink,
                mode,
                candidates: n,
            },
        );
        self.send_request(now, radio, sta);
    }

    /// Emits the running request of the measurement (index `idx`) in the client's mode.
    fn send_request(&mut self, now: Instant, radio: RadioId, sta: Mac) {
        let timeout = self.cfg.measure_timeout_ms as u64;
        let duration_tu = self.cfg.measure_duration_tu;
        let Some(c) = self.clients.get_mut(&sta) else {
            return;
        };
        let (State::Measuring(m), Some(mode)) = (&mut c.state, c.mode) else {
            return;
        };
        let Some(req) = m.requests.get(m.idx).cloned() else {
            return;
        };
        if let Some(t) = m.token.take() {
            if m.tokens.len() >= MAX_TOKENS {
                m.tokens.remove(0);
            }
            m.tokens.push(t);
        }
        m.awaiting_reply = true;
        m.got = false;
        m.req_deadline = now + timeout;
        let action = Action::BeaconRequest(BeaconRequest {
            radio,
            sta,
            mode,
            op_class: req.op_class,
            channel: req.channel,
            bssid: req.bssid,
            duration_tu,
            ssid: req.ssid,
        });
        if !self.room() {
            // queue full (the daemon is not draining): drop the measurement without blaming
            // the client; it is measured again on a later sample
            let interval = self.cfg.measure_interval_s as u64 * 1000;
            if let Some(c) = self.clients.get_mut(&sta) {
                c.state = State::Idle;
                c.deadline = None;
                c.next_measure = now + interval;
            }
            return;
        }
        self.actions.push_back(action);
        self.set_deadline(sta, now + timeout);
    }

    fn measuring(&mut self, radio: RadioId, sta: Mac) -> Option<&mut Measurement> {
        let c = self.clients.get_mut(&sta)?;
        if c.radio != Some(radio) {
            return None;
        }
        match &mut c.state {
            State::Measuring(m) => Some(m),
            _ => None,
        }
    }

    fn on_beacon_result(&mut self, now: Instant, radio: RadioId, sta: Mac, token: Option<u8>) {
        let timeout = self.cfg.measure_timeout_ms as u64;
        let Some(m) = self.measuring(radio, sta) else {
            return;
        };
        if !m.awaiting_reply {
            return;
        }
        m.awaiting_reply = false;
        match token {
            Some(t) => {
                m.token = Some(t);
                if !m.got {
                    m.req_deadline = now + timeout;
                    self.set_deadline(sta, now + timeout);
                } // else reports came first: their quiet period is running
            }
            // hostapd refuses a mode the client did not advertise in its RM capabilities
            None => self.fallback(now, radio, sta),
        }
    }

    fn on_beacon_tx_status(
        &mut self,
        now: Instant,
        radio: RadioId,
        sta: Mac,
        token: u8,
        ack: bool,
    ) {
        let Some(m) = self.measuring(radio, sta) else {
            return;
        };
        if !ack && m.token == Some(token) {
            self.next_request(now, radio, sta); // the client never got it
        }
    }

    fn on_beacon_report(&mut self, now: Instant, radio: RadioId, sta: Mac, r: BeaconReport) {
        let quiet = self.cfg.quiet_ms as u64;
        let max_reports = self.cfg.max_reports.max(1) as usize;
        let Some(m) = self.measuring(radio, sta) else {
            return; // no request outstanding: stray or very late report
        };
        // hostapd's reply (the token) may come after the report: while it is pending, any
        // token not used by an earlier request of this measurement is taken as the running one
        let current_req = m.token == Some(r.token)
            || (m.awaiting_reply && m.token.is_none() && !m.tokens.contains(&r.token));
        if !current_req && !m.tokens.contains(&r.token) {
            return; // another request's token
        }
        if r.mode & (BeaconReport::MODE_REFUSED | BeaconReport::MODE_INCAPABLE) != 0 {
            if current_req {
                self.fallback(now, radio, sta);
            }
            return;
        }
        if r.mode & BeaconReport::MODE_LATE != 0 {
            return;
        }
        m.answered = true;
        let wanted = r.bssid == m.current || m.candidates.iter().any(|k| k.entry.bssid == r.bssid);
        if let (true, Some(s)) = (wanted, r.signal) {
            if let Some(e) = m.reports.iter_mut().find(|(b, _)| *b == r.bssid) {
                e.1 = s;
            } else if m.reports.len() < max_reports {
                m.reports.push((r.bssid, s));
            }
        }
        if current_req {
            m.got = true;
            // more reports may follow for this request: wait for a quiet period
            let at = (now + quiet).min(m.req_deadline);
            self.set_deadline(sta, at);
        }
        if let (true, Some(s)) = (wanted, r.signal) {
            if let Some(c) = self.clients.get_mut(&sta) {
                c.remember(r.bssid, s);
            }
        }
    }

    /// The client refused or cannot do its mode: next mode, same request.
    fn fallback(&mut self, now: Instant, radio: RadioId, sta: Mac) {
        let Some(c) = self.clients.get_mut(&sta) else {
            return;
        };
        let Some(from) = c.mode else {
            return;
        };
        let to = from.fallback();
        c.mode = to;
        self.log(now, radio, sta, Event::ModeFallback { from, to });
        if to.is_some() {
            self.send_request(now, radio, sta);
        } else if let Some(c) = self.clients.get_mut(&sta) {
            c.never_answers = true;
            let state = std::mem::take(&mut c.state);
            self.clear_deadline(sta);
            self.log(now, radio, sta, Event::NeverAnswers);
            if let State::Measuring(m) = state {
                self.without_reports(now, radio, sta, *m);
            }
        }
    }

    fn next_request(&mut self, now: Instant, radio: RadioId, sta: Mac) {
        let Some(m) = self.measuring(radio, sta) else {
            return;
        };
        m.idx += 1;
        if m.idx < m.requests.len() {
            self.send_request(now, radio, sta);
        } else {
            self.finish(now, radio, sta);
        }
    }

    fn finish(&mut self, now: Instant, radio: RadioId, sta: Mac) {
        let interval = self.cfg.measure_interval_s as u64 * 1000;
        let silent_after = self.cfg.silent_after.max(1);
        let Some(c) = self.clients.get_mut(&sta) else {
            return;
        };
        let State::Measuring(m) = std::mem::take(&mut c.state) else {
            return;
        };
        c.deadline = None;
        c.next_measure = now + interval;
        if !m.answered {
            c.silent = c.silent.saturating_add(1);
            c.streak = c.streak.saturating_add(1);
            let count = c.silent;
            self.log(now, radio, sta, Event::Silent { count });
            if count >= silent_after {
                let newly = self
                    .clients
                    .get_mut(&sta)
                    .is_some_and(|c| !std::mem::replace(&mut c.never_answers, true));
                if newly {
                    self.log(now, radio, sta, Event::NeverAnswers);
                }
                self.without_reports(now, radio, sta, *m);
            }
            return;
        }
        c.silent = 0;
        self.decide(now, radio, sta, *m);
    }

    /// A client that cannot be measured: steer on uplink data alone, or not at all.
    fn without_reports(&mut self, now: Instant, radio: RadioId, sta: Mac, m: Measurement) {
        if !self.cfg.steer_without_reports {
            return;
        }
        // no decision on stale data: the trigger must still hold on a fresh sample
        let Some((trigger, uplink)) = self.trigger(now, radio, sta) else {
            return;
        };
        if trigger != m.trigger {
            return;
        }
        self.steer(
            now,
            radio,
            sta,
            Choice {
                trigger,
                ranked: m.candidates,
                first_signal: None,
                current: uplink,
                measured: Vec::new(),
            },
        );
    }

    fn decide(&mut self, now: Instant, radio: RadioId, sta: Mac, m: Measurement) {
        // no decision on stale data, nor when the trigger no longer holds
        let Some((trigger, uplink)) = self.trigger(now, radio, sta) else {
            return;
        };
        if trigger != m.trigger {
            return;
        }
        let th = self.cfg.thresholds(&sta);
        let bonus = self.cfg.band_preference_db as i16;
        let value_of = |b: &Mac| m.reports.iter().find(|(x, _)| x == b).map(|(_, s)| *s);
        let current = if trigger == Trigger::BandSteer {
            uplink
        } else {
            value_of(&m.current).unwrap_or(uplink)
        };
        let mut best: Option<(Mac, Signal)> = None;
        // The qualifying candidates best first (by rank, stable: equal ranks in candidate
        // order), and their (rank, measured signal) alongside.
        let mut ranked: Vec<Candidate> = Vec::new();
        let mut ranks: Vec<(i16, Signal)> = Vec::new();
        for k in m.candidates {
            let Some(s) = value_of(&k.entry.bssid) else {
                continue;
            };
            if best.map_or(true, |(_, b)| s > b) {
                best = Some((k.entry.bssid, s));
            }
            let good = match trigger {
                Trigger::BandSteer => s >= Signal::dbm(th.band_steer_target),
                Trigger::Roam5g | Trigger::Roam2g => {
                    s >= Signal::dbm(th.roam_target) && s >= current.plus_db(th.roam_margin as i16)
                }
            };
            if good {
                let rank = s
                    .plus_db(if k.band().is_high() { bonus } else { 0 })
                    .half_db();
                let at = ranks.iter().position(|r| r.0 < rank).unwrap_or(ranks.len());
                ranks.insert(at, (rank, s));
                ranked.insert(at, k);
            }
        }
        let measured = m.reports;
        let interval = self.cfg.measure_interval_s as u64 * 1000;
        if let Some(c) = self.clients.get_mut(&sta) {
            if ranked.is_empty() {
                // Nothing better around, again: measure after one, two, four, at most eight
                // times the interval, not every interval forever (several beacon requests each).
                c.no_candidate = c.no_candidate.saturating_add(1);
                let factor = 1u64 << (c.no_candidate - 1).min(NO_CANDIDATE_MAX_SHIFT);
                c.next_measure = now + interval * factor;
                c.no_candidate_at = Some((now, uplink));
            } else {
                c.no_candidate = 0;
                c.no_candidate_at = None;
            }
        }
        if ranked.is_empty() {
            self.log(
                now,
                radio,
                sta,
                Event::NoCandidate {
                    trigger,
                    best,
                    current,
                    measured,
                },
            );
            return;
        }
        self.steer(
            now,
            radio,
            sta,
            Choice {
                trigger,
                ranked,
                first_signal: ranks.first().map(|r| r.1),
                current,
                measured,
            },
        );
    }

    // ---------------------------------------------------------------- transition

    fn steer(&mut self, now: Instant, radio: RadioId, sta: Mac, choice: Choice) {
        let Choice {
            trigger,
            ranked,
            first_signal,
            current,
            measured,
        } = choice;
        let Some((target, target_band, target_radio)) =
            ranked.first().map(|k| (k.entry.bssid, k.band(), k.local))
        else {
            return;
        };
        let Some(from_band) = self.radios.get(&radio).map(|i| i.band) else {
            return;
        };
        let dry_run = self.cfg.dry_run;
        if !dry_run && !self.room() {
            return;
        }
        self.stats.decisions += 1;
        self.log(
            now,
            radio,
            sta,
            Event::Decision {
                trigger,
                target,
                target_signal: first_signal,
                current,
                measured,
                dry_run,
            },
        );
        if dry_run {
            let next = now + self.cfg.cooldown_s as u64 * 1000;
            if let Some(c) = self.clients.get_mut(&sta) {
                c.next_attempt = next;
            }
            return;
        }
        let mut candidates = Vec::new();
        for (k, p) in ranked.iter().zip(PREFS) {
            candidates.push(k.entry.with_preference(p));
        }
        let btm = BssTransition {
            radio,
            sta,
            candidates,
            pref: true,
            abridged: self.cfg.abridged,
            disassoc_imminent: self.cfg.disassoc_imminent,
            disassoc_timer: self.cfg.disassoc_timer,
            valid_int: self.cfg.valid_int,
        };
        // room() may have evicted a log record just above; the queue has space for this one
        if self.actions.len() >= self.queue_cap() && !self.room() {
            return;
        }
        self.actions.push_back(Action::BssTransition(btm));
        if let Some(c) = self.clients.get_mut(&sta) {
            c.state = State::Steering(Steering {
                trigger,
                target,
                target_band,
                target_radio,
                from_band,
                phase: Phase::Reply,
                sent_at: now,
            });
        }
        self.set_deadline(sta, now + self.cfg.btm_timeout_ms as u64);
    }

    fn steering(&mut self, radio: RadioId, sta: Mac) -> Option<&mut Steering> {
        let c = self.clients.get_mut(&sta)?;
        if c.radio != Some(radio) {
            return None;
        }
        match &mut c.state {
            State::Steering(s) => Some(s),
            _ => None,
        }
    }

    fn on_btm_result(&mut self, now: Instant, radio: RadioId, sta: Mac, ok: bool) {
        let timeout = self.cfg.btm_timeout_ms as u64;
        let Some(s) = self.steering(radio, sta) else {
            return;
        };
        if s.phase != Phase::Reply {
            return;
        }
        if ok {
            s.phase = Phase::Response;
            self.set_deadline(sta, now + timeout);
        } else {
            self.failed(now, radio, sta, Failure::RequestFailed);
        }
    }

    fn on_btm_response(
        &mut self,
        now: Instant,
        radio: RadioId,
        sta: Mac,
        status: u8,
        target: Option<Mac>,
    ) {
        let leave = self.cfg.leave_timeout_ms as u64;
        let Some(s) = self.steering(radio, sta) else {
            return;
        };
        if s.phase == Phase::Leave {
            return;
        }
        if status == 0 {
            s.phase = Phase::Leave;
            self.set_deadline(sta, now + leave);
            if let Some(c) = self.clients.get_mut(&sta) {
                c.rejects = 0;
            }
            self.log(now, radio, sta, Event::Accepted { target });
        } else {
            self.failed(now, radio, sta, Failure::Rejected(status));
        }
    }

    fn failed(&mut self, now: Instant, radio: RadioId, sta: Mac, failure: Failure) {
        let base = self.cfg.backoff_base_s as u64 * 1000;
        let max = self.cfg.backoff_max_s as u64 * 1000;
        let refuse_after = self.cfg.refuse_after.max(1);
        let always = self.cfg.steer_mode(&sta) == SteerMode::Always;
        let Some(c) = self.clients.get_mut(&sta) else {
            return;
        };
        c.state = State::Idle;
        c.deadline = None;
        c.failures = c.failures.saturating_add(1);
        c.streak = c.streak.saturating_add(1);
        let shift = (c.failures - 1).min(32) as u32;
        let backoff = base.saturating_mul(1u64 << shift).min(max);
        let until = now + backoff;
        c.next_attempt = until;
        let failures = c.failures;
        let mut refuses_now = false;
        if let Failure::Rejected(_) = failure {
            c.rejects = c.rejects.saturating_add(1);
            if c.rejects >= refuse_after && !c.refuses && !always {
                c.refuses = true;
                refuses_now = true;
            }
        }
        self.stats.failed += 1;
        self.log(
            now,
            radio,
            sta,
            Event::Failed {
                failure,
                failures,
                until,
            },
        );
        if refuses_now {
            self.log(now, radio, sta, Event::Refuses);
        }
    }

    fn steered(&mut self, now: Instant, radio: RadioId, sta: Mac, s: Steering) {
        let cooldown = self.cfg.cooldown_s as u64 * 1000;
        let Some(c) = self.clients.get_mut(&sta) else {
            return;
        };
        c.failures = 0;
        c.streak = 0;
        c.rejects = 0;
        c.next_attempt = now + cooldown;
        // remember every move between the bands made here (by either kind of steering)
        if s.from_band == Band::G2 && s.target_band.is_high() {
            c.band_up_at = Some(now);
        }
        if s.from_band.is_high() && s.target_band == Band::G2 {
            c.band_down_at = Some(now);
        }
        self.stats.steered += 1;
        self.log(
            now,
            radio,
            sta,
            Event::Steered {
                trigger: s.trigger,
                target: s.target,
                after_ms: now.since(s.sent_at),
            },
        );
    }

    // ---------------------------------------------------------------- deadlines

    fn on_deadline(&mut self, now: Instant, sta: Mac) {
        let Some(c) = self.clients.get_mut(&sta) else {
            return;
        };
        let Some(radio) = c.radio else {
            // disconnected long enough: forget
            self.clients.remove(&sta);
            return;
        };
        match &c.state {
            State::Idle => {}
            State::Measuring(_) => self.next_request(now, radio, sta),
            State::Steering(s) => {
                let failure = match s.phase {
                    Phase::Reply | Phase::Response => Failure::NoResponse,
                    Phase::Leave => Failure::DidNotLeave,
                };
                self.failed(now, radio, sta, failure);
            }
        }
    }
}

#[cfg(test)]
mod sort_tests {
    use super::stable_sort_by_key;
    use std::cmp::Reverse;

    #[test]
    fn insertion_sort_matches_the_stable_sort() {
        // (key, original position): equal keys must keep their order.
        let mut seed = 7u32;
        for len in 0..40 {
            let v: Vec<(Option<i16>, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    let k = (seed >> 16) % 5;
                    ((k != 0).then_some(k as i16 - 2), i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|e| Reverse(e.0));
            let mut got = v;
            stable_sort_by_key(&mut got, |e| Reverse(e.0));
            assert_eq!(got, want);
        }
    }
}
