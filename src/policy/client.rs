//! Per-client state (private to the policy).

use super::io::{MeasureMode, StationSample, Trigger};
use super::types::{Band, Instant, Mac, NeighborEntry, RadioId, Signal};

/// A BSS the client may be steered to.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub entry: NeighborEntry,
    /// Set when the candidate is one of this AP's own radios.
    pub local: Option<RadioId>,
}

impl Candidate {
    pub fn band(&self) -> Band {
        self.entry.band()
    }
}

/// One REQ_BEACON of a measurement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Req {
    pub op_class: u8,
    pub channel: u8,
    pub bssid: Mac,
    pub ssid: Option<Vec<u8>>,
}

/// A measurement in progress: one REQ_BEACON at a time, one per channel to measure.
#[derive(Debug)]
pub(crate) struct Measurement {
    pub trigger: Trigger,
    pub candidates: Vec<Candidate>,
    /// The current BSS (measured too for like-for-like comparison).
    pub current: Mac,
    pub requests: Vec<Req>,
    pub idx: usize,
    /// Token of the running request (None while hostapd's reply is pending).
    pub token: Option<u8>,
    pub awaiting_reply: bool,
    /// Tokens of this measurement's earlier requests (late reports still count).
    pub tokens: Vec<u8>,
    /// Hard deadline of the running request.
    pub req_deadline: Instant,
    /// Reports collected: BSSID and client-measured signal.
    pub reports: Vec<(Mac, Signal)>,
    /// Any answer (even without a value) arrived.
    pub answered: bool,
    /// A report for the running request arrived.
    pub got: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// BSS_TM_REQ emitted, hostapd's OK/FAIL pending.
    Reply,
    /// Waiting for BSS-TM-RESP.
    Response,
    /// Accepted; waiting for the client to leave.
    Leave,
}

#[derive(Debug, Clone)]
pub(crate) struct Steering {
    pub trigger: Trigger,
    pub target: Mac,
    pub target_band: Band,
    pub target_radio: Option<RadioId>,
    pub from_band: Band,
    pub phase: Phase,
    pub sent_at: Instant,
}

#[derive(Debug, Default)]
pub(crate) enum State {
    #[default]
    Idle,
    Measuring(Box<Measurement>),
    Steering(Steering),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct SampleAt {
    pub at: Instant,
    pub s: StationSample,
}

/// Everything remembered about one station (keyed by its MAC, across radios).
#[derive(Debug)]
pub(crate) struct Client {
    /// Radio it is associated with; None once disconnected.
    pub radio: Option<RadioId>,
    pub arrived_at: Instant,
    pub left_at: Instant,
    pub sample: Option<SampleAt>,
    pub prev_rx: Option<u64>,
    /// Beacon report mode to use; None once every mode was refused.
    pub mode: Option<MeasureMode>,
    pub silent: u8,
    pub never_answers: bool,
    pub rejects: u8,
    pub refuses: bool,
    /// Did not advertise BSS Transition support.
    pub no_btm: bool,
    /// Consecutive failed transitions (back-off exponent).
    pub failures: u8,
    /// Consecutive failures of any kind (deauth fallback counter).
    pub streak: u8,
    /// No new attempt before this (back-off / cooldown after an attempt).
    pub next_attempt: Instant,
    /// No new measurement before this.
    pub next_measure: Instant,
    /// Consecutive measurements that found no acceptable candidate (back-off exponent of the
    /// measurement interval), and when / at which uplink signal the last one ended.
    pub no_candidate: u8,
    pub no_candidate_at: Option<(Instant, Signal)>,
    /// Band-steered 2.4 -> 5/6 GHz here.
    pub band_up_at: Option<Instant>,
    /// Roamed 5/6 -> 2.4 GHz to a local radio here.
    pub band_down_at: Option<Instant>,
    /// Last client-measured value per BSSID (ordering of candidates), bounded.
    pub readings: Vec<(Mac, Signal)>,
    pub state: State,
    /// Pending deadline (mirrored in the policy's timer heap).
    pub deadline: Option<Instant>,
}

/// Readings remembered per client.
pub(crate) const MAX_READINGS: usize = 8;

impl Client {
    pub fn new(now: Instant) -> Client {
        Client {
            radio: None,
            arrived_at: now,
            left_at: now,
            sample: None,
            prev_rx: None,
            mode: Some(MeasureMode::Active),
            silent: 0,
            never_answers: false,
            rejects: 0,
            refuses: false,
            no_btm: false,
            failures: 0,
            streak: 0,
            next_attempt: Instant(0),
            next_measure: Instant(0),
            no_candidate: 0,
            no_candidate_at: None,
            band_up_at: None,
            band_down_at: None,
            readings: Vec::new(),
            state: State::Idle,
            deadline: None,
        }
    }

    pub fn reading(&self, bssid: &Mac) -> Option<Signal> {
        self.readings
            .iter()
            .find(|(b, _)| b == bssid)
            .map(|(_, s)| *s)
    }

    pub fn remember(&mut self, bssid: Mac, s: Signal) {
        if let Some(r) = self.readings.iter_mut().find(|(b, _)| *b == bssid) {
            r.1 = s;
            return;
        }
        if self.readings.len() >= MAX_READINGS {
            self.readings.remove(0);
        }
        self.readings.push((bssid, s));
    }
}
