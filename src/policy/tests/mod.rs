//! Scenario tests: a fake clock and a tiny script language over [`Policy`].
//!
//! Topology of [`Sim::new`] (one AP managed here, one remote AP, SSID "lab"):
//!
//! | name | where | band | channel / op class | BSSID |
//! |---|---|---|---|---|
//! | `R2` (radio 0) | local | 2.4 GHz | 6 / 81 | 02:00:00:00:00:00 |
//! | `R5` (radio 1) | local | 5 GHz | 36 / 128 (80 MHz) | 02:00:00:00:01:00 |
//! | `B5` | remote | 5 GHz | 149 / 128 (80 MHz) | 02:00:00:00:02:00 |
//! | `B2` | remote | 2.4 GHz | 1 / 81 | 02:00:00:00:03:00 |
//!
//! A script reads top to bottom: `s.at(20_000).sample(STA, R5, -70)` then
//! `s.expect_beacon_request()` etc. `measure(...)` plays a whole client measurement.

#![allow(dead_code)] // helpers shared by the scenario files, not every file uses each

use std::collections::{HashMap, VecDeque};

use super::*;

mod guards;
mod lab_capture;
mod measurement;
mod outcome;
mod pingpong;
mod scale;
mod triggers;

pub const R2: RadioId = RadioId(0);
pub const R5: RadioId = RadioId(1);
pub const R2_BSSID: Mac = Mac([2, 0, 0, 0, 0, 0]);
pub const R5_BSSID: Mac = Mac([2, 0, 0, 0, 1, 0]);
pub const B5: Mac = Mac([2, 0, 0, 0, 2, 0]);
pub const B2: Mac = Mac([2, 0, 0, 0, 3, 0]);
pub const STA: Mac = Mac([0x02, 0, 0, 0, 0x09, 0]);
pub const STA2: Mac = Mac([0x02, 0, 0, 0, 0x0a, 0]);
pub const SSID: &[u8] = b"lab";

pub fn entry(bssid: Mac, op_class: u8, channel: u8, phy: u8, info: u32) -> NeighborEntry {
    NeighborEntry {
        bssid,
        ssid: SSID.to_vec(),
        bssid_info: info,
        op_class,
        channel,
        phy,
        // Wide Bandwidth Channel subelement, as hostapd writes it
        subelements: vec![6, 3, 0, channel, 0],
    }
}

pub fn r2_info() -> RadioInfo {
    RadioInfo {
        band: Band::G2,
        ssid: SSID.to_vec(),
        own: entry(R2_BSSID, 81, 6, 7, 0x9ef),
    }
}

pub fn r5_info() -> RadioInfo {
    RadioInfo {
        band: Band::G5,
        ssid: SSID.to_vec(),
        own: entry(R5_BSSID, 128, 36, 9, 0x19ef),
    }
}

pub fn remote() -> Vec<NeighborEntry> {
    vec![entry(B5, 128, 149, 9, 0x19ef), entry(B2, 81, 1, 7, 0x9ef)]
}

/// A test config: the defaults with short timers where a test does not care.
pub fn cfg() -> Config {
    Config::default()
}

/// The scripted world around one policy.
pub struct Sim {
    pub p: Policy,
    pub now: Instant,
    /// Actions emitted and not yet examined (log records are moved to `log`).
    pub pending: VecDeque<Action>,
    pub log: Vec<Record>,
    /// When each station connected (for `connected_s` in samples).
    connected: HashMap<Mac, Instant>,
    rx: HashMap<Mac, u64>,
    next_token: u8,
}

impl Sim {
    /// A world with no radios and no neighbors.
    pub fn bare(cfg: Config) -> Sim {
        Sim {
            p: Policy::new(cfg),
            now: Instant(0),
            pending: VecDeque::new(),
            log: Vec::new(),
            connected: HashMap::new(),
            rx: HashMap::new(),
            next_token: 1,
        }
    }

    /// The default world of the table above.
    pub fn new(cfg: Config) -> Sim {
        let mut s = Sim::bare(cfg);
        s.input(Input::Radio {
            radio: R2,
            info: r2_info(),
        });
        s.input(Input::Radio {
            radio: R5,
            info: r5_info(),
        });
        s.input(Input::Neighbors { entries: remote() });
        s
    }

    /// Default world, with `sta` connected on `radio` at t=0 and the clock at 60 s (past the
    /// default arrival cooldown and minimum connected time).
    pub fn with_client(cfg: Config, sta: Mac, radio: RadioId) -> Sim {
        let mut s = Sim::new(cfg);
        s.connect(sta, radio);
        let cooldown = s.p.config().cooldown_s as u64 * 1000;
        s.at(cooldown.max(s.p.config().min_connected_s as u64 * 1000));
        s
    }

    fn drain(&mut self) {
        while let Some(a) = self.p.poll_action() {
            match a {
                Action::Log(r) => self.log.push(r),
                a => self.pending.push_back(a),
            }
        }
    }

    pub fn input(&mut self, i: Input) -> &mut Self {
        self.p.handle(self.now, i);
        self.drain();
        self
    }

    /// Moves the clock to `ms` (absolute) and runs due timers.
    pub fn at(&mut self, ms: u64) -> &mut Self {
        assert!(ms >= self.now.0, "time goes forward");
        self.now = Instant(ms);
        self.p.handle_timeout(self.now);
        self.drain();
        self
    }

    /// Advances the clock by `ms`, firing every timer on its own instant on the way (as the
    /// daemon does with `poll_timeout`).
    pub fn after(&mut self, ms: u64) -> &mut Self {
        let end = self.now.0 + ms;
        while let Some(t) = self.p.poll_timeout() {
            if t.0 > end {
                break;
            }
            self.now = Instant(t.0.max(self.now.0));
            self.p.handle_timeout(self.now);
            self.drain();
        }
        self.at(end)
    }

    pub fn connect(&mut self, sta: Mac, radio: RadioId) -> &mut Self {
        self.connected.insert(sta, self.now);
        self.input(Input::Connected { radio, sta })
    }

    pub fn disconnect(&mut self, sta: Mac, radio: RadioId) -> &mut Self {
        self.input(Input::Disconnected { radio, sta })
    }

    fn connected_s(&self, sta: Mac) -> u32 {
        self.connected
            .get(&sta)
            .map(|t| (self.now.since(*t) / 1000) as u32)
            .unwrap_or(3600)
    }

    /// A busy client's sample: averaged signal `dbm`, inactive 100 ms, packets flowing.
    pub fn sample(&mut self, sta: Mac, radio: RadioId, dbm: i8) -> &mut Self {
        let rx = {
            let rx = self.rx.entry(sta).or_insert(1000);
            *rx += 10;
            *rx
        };
        let sample = StationSample {
            signal: Some(dbm),
            signal_avg: Some(dbm),
            inactive_ms: 100,
            connected_s: self.connected_s(sta),
            rx_packets: rx,
        };
        self.input(Input::Sample { radio, sta, sample })
    }

    /// A sample of an idle client: inactive `inactive_ms`, no new packets.
    pub fn idle_sample(
        &mut self,
        sta: Mac,
        radio: RadioId,
        dbm: i8,
        inactive_ms: u32,
    ) -> &mut Self {
        let rx = *self.rx.entry(sta).or_insert(1000);
        let sample = StationSample {
            signal: Some(dbm),
            signal_avg: Some(dbm),
            inactive_ms,
            connected_s: self.connected_s(sta),
            rx_packets: rx,
        };
        self.input(Input::Sample { radio, sta, sample })
    }

    pub fn sample_raw(&mut self, sta: Mac, radio: RadioId, sample: StationSample) -> &mut Self {
        self.input(Input::Sample { radio, sta, sample })
    }

    // ------------------------------------------------------------ expectations

    /// The next non-log action, which must be a beacon request.
    pub fn expect_beacon_request(&mut self) -> BeaconRequest {
        match self.pending.pop_front() {
            Some(Action::BeaconRequest(r)) => r,
            other => panic!(
                "expected a beacon request, got {other:?}\nlog:\n{}",
                self.dump()
            ),
        }
    }

    /// The next non-log action, which must be a beacon request, left in place.
    pub fn peek_beacon_request(&self) -> BeaconRequest {
        match self.pending.front() {
            Some(Action::BeaconRequest(r)) => r.clone(),
            other => panic!(
                "expected a beacon request, got {other:?}\nlog:\n{}",
                self.dump()
            ),
        }
    }

    /// The next non-log action, which must be a BSS transition request.
    pub fn expect_btm(&mut self) -> BssTransition {
        match self.pending.pop_front() {
            Some(Action::BssTransition(b)) => b,
            other => panic!(
                "expected a BSS transition, got {other:?}\nlog:\n{}",
                self.dump()
            ),
        }
    }

    /// The next non-log action, which must be a deauthentication.
    pub fn expect_deauth(&mut self) -> (RadioId, Mac, u16) {
        match self.pending.pop_front() {
            Some(Action::Deauth { radio, sta, reason }) => (radio, sta, reason),
            other => panic!("expected a deauth, got {other:?}\nlog:\n{}", self.dump()),
        }
    }

    /// No action other than log records is pending.
    pub fn expect_nothing(&mut self) -> &mut Self {
        assert!(
            self.pending.is_empty(),
            "expected no action, got {:?}\nlog:\n{}",
            self.pending,
            self.dump()
        );
        self
    }

    /// The log contains an event matching `f` (searching every record so far).
    pub fn logged(&self, f: impl Fn(&Event) -> bool) -> bool {
        self.log.iter().any(|r| f(&r.event))
    }

    pub fn dump(&self) -> String {
        self.log
            .iter()
            .map(|r| format!("  {} {r}\n", r.at))
            .collect()
    }

    // ------------------------------------------------------------ client behaviour

    /// hostapd's reply to the request just taken: a fresh token.
    pub fn reply_token(&mut self, r: &BeaconRequest) -> u8 {
        let t = self.next_token;
        self.next_token = self.next_token.wrapping_add(1).max(1);
        self.input(Input::BeaconRequestResult {
            radio: r.radio,
            sta: r.sta,
            token: Some(t),
        });
        t
    }

    pub fn reply_fail(&mut self, r: &BeaconRequest) -> &mut Self {
        self.input(Input::BeaconRequestResult {
            radio: r.radio,
            sta: r.sta,
            token: None,
        })
    }

    pub fn report(&mut self, r: &BeaconRequest, token: u8, bssid: Mac, dbm: i8) -> &mut Self {
        let (op_class, channel) = (r.op_class, r.channel);
        self.input(Input::BeaconReport {
            radio: r.radio,
            sta: r.sta,
            report: BeaconReport {
                token,
                mode: 0,
                op_class,
                channel,
                bssid,
                signal: Some(Signal::dbm(dbm)),
            },
        })
    }

    /// A report with only the mode byte (refused 0x04 / incapable 0x02), no body.
    pub fn report_mode(&mut self, r: &BeaconRequest, token: u8, mode: u8) -> &mut Self {
        self.input(Input::BeaconReport {
            radio: r.radio,
            sta: r.sta,
            report: BeaconReport {
                token,
                mode,
                op_class: 0,
                channel: 0,
                bssid: Mac::default(),
                signal: None,
            },
        })
    }

    /// Plays a whole measurement: answers every beacon request the policy emits (hostapd
    /// token, then one report per BSS of `seen` on the requested channel, `bssid` matching),
    /// waits out the quiet period, until no request is left. `seen` maps BSSID -> (channel,
    /// dBm). Returns the requests that were made.
    pub fn measure(&mut self, seen: &[(Mac, u8, i8)]) -> Vec<BeaconRequest> {
        let mut reqs = Vec::new();
        while let Some(Action::BeaconRequest(_)) = self.pending.front() {
            let r = self.expect_beacon_request();
            let t = self.reply_token(&r);
            self.after(20);
            for &(b, ch, dbm) in seen {
                if ch == r.channel && (r.bssid == b || r.bssid == Mac::BROADCAST) {
                    self.report(&r, t, b, dbm);
                }
            }
            // wait for the quiet period (or the deadline) to end the request
            let quiet = self.p.config().measure_timeout_ms as u64;
            self.after(quiet);
            reqs.push(r);
        }
        reqs
    }

    /// Answers the pending BSS_TM_REQ: hostapd says OK, the client answers `status`.
    pub fn btm_answer(&mut self, b: &BssTransition, status: u8) -> &mut Self {
        self.input(Input::BtmRequestResult {
            radio: b.radio,
            sta: b.sta,
            ok: true,
        });
        self.after(50);
        let target = (status == 0).then(|| b.target()).flatten();
        self.input(Input::BtmResponse {
            radio: b.radio,
            sta: b.sta,
            status,
            target,
        })
    }
}

/// Sanity of the harness itself: a fresh policy with nothing to do does nothing.
#[test]
fn idle_world_is_quiet() {
    let mut s = Sim::new(cfg());
    s.at(1000).expect_nothing();
    assert_eq!(s.p.poll_timeout(), None);
    assert!(s.log.is_empty());
}

impl Sim {
    /// After a "no candidate" measurement: nothing at one interval, measured at two (the
    /// first back-off step); plays that second measurement with the same result.
    pub fn measure_again_after_no_candidate(&mut self, interval: u64) {
        let sta = STA;
        let radio = R2;
        self.after(interval + 100).sample(sta, radio, -50);
        assert!(
            self.pending.is_empty(),
            "measured at 1x interval despite the back-off"
        );
        self.after(interval).sample(sta, radio, -50);
        assert!(!self.pending.is_empty(), "not measured at 2x interval");
        self.measure(&[(R5_BSSID, 36, -80)]);
    }
}
