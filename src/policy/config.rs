//! Policy configuration: thresholds, timers and per-client overrides.
//!
//! Field names are the configuration keys users write (`option band_steer_signal '-60'`); the
//! daemon's UCI reader fills this struct. Signal values are dBm, durations carry their unit in
//! the name (`_s` seconds, `_ms` milliseconds).

use super::types::Mac;
use super::vecmap::VecMap;

/// How one client may be steered (`config client` / `option steer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SteerMode {
    /// Follows [`Config::steer_all`].
    #[default]
    Default,
    /// `steer '0'`: never measured, never steered, never deauthenticated (TVs, IoT, WDS relays).
    Never,
    /// `steer '1'`: always allowed: steered even when `steer_all` is off, and never put aside as
    /// a client that refuses transitions (back-off still applies).
    Always,
}

/// Per-client settings (`config client` sections). `None` means "use the global value".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientOverride {
    /// Exclusion / inclusion.
    pub steer: SteerMode,
    /// Overrides [`Config::band_steer_signal`].
    pub band_steer_signal: Option<i8>,
    /// Overrides [`Config::band_steer_target`].
    pub band_steer_target: Option<i8>,
    /// Overrides [`Config::roam_signal_5g`].
    pub roam_signal_5g: Option<i8>,
    /// Overrides [`Config::roam_signal_2g`].
    pub roam_signal_2g: Option<i8>,
    /// Overrides [`Config::roam_target`].
    pub roam_target: Option<i8>,
    /// Overrides [`Config::roam_margin`].
    pub roam_margin: Option<u8>,
}

/// Everything the policy can be told. `Config::default()` gives the documented defaults.
#[derive(Debug, PartialEq, Eq)]
pub struct Config {
    // --- the original script's three triggers ---
    /// (a) A client on 2.4 GHz whose uplink signal is at or above this (dBm) is offered the same
    /// AP's 5 GHz BSS. Default -60.
    pub band_steer_signal: i8,
    /// (a) ...if the client measures that 5 GHz BSS at or above this (dBm). Default -65.
    pub band_steer_target: i8,
    /// (b) A client on 5/6 GHz at or below this uplink signal (dBm) looks for another AP.
    /// Default -65.
    pub roam_signal_5g: i8,
    /// (c) The same on 2.4 GHz. Default -70.
    pub roam_signal_2g: i8,
    /// (b)/(c) A roaming candidate must be measured at least this strong (dBm). Default -62.
    pub roam_target: i8,
    /// (b)/(c) ...and beat the current BSS by this many dB (hysteresis). Default 5.
    pub roam_margin: u8,
    /// Enables trigger (a). Default true.
    pub band_steering: bool,
    /// Enables triggers (b) and (c). Default true.
    pub roaming: bool,
    /// Ranking bonus (dB) for 5/6 GHz candidates when several qualify. It never lets a
    /// candidate pass `roam_target`/`roam_margin` it would otherwise fail. Default 3.
    pub band_preference_db: u8,

    // --- guards ---
    /// A client connected for less than this (kernel connected time) is left alone. Default 10.
    pub min_connected_s: u32,
    /// After a client arrives on this AP, or after a steering attempt ends, it is left alone
    /// for this long. Default 60.
    pub cooldown_s: u32,
    /// A signal is stale (no trigger, no decision) when the client has been inactive for longer
    /// than this (nl80211 inactive time) or the last sample is older than this. Default 10.
    pub stale_after_s: u32,
    /// Minimum time between two measurements of the same client. Default 10.
    pub measure_interval_s: u32,
    /// After the policy moved a client between bands (up from 2.4 GHz by band steering or
    /// roaming, or down to 2.4 GHz by roaming), the opposite move is not made for this long:
    /// no 2.4 GHz candidates after a move up; no band steering and none of this AP's 5 GHz
    /// radios after a move down. Default 1800.
    pub pingpong_hold_s: u32,

    // --- measurement (802.11k beacon requests) ---
    /// How long to wait for the first report of one beacon request (and for hostapd's reply
    /// to REQ_BEACON). Default 2000 (the original's timeout).
    pub measure_timeout_ms: u32,
    /// After a report arrives, how long to wait for further reports of the same request.
    /// Default 300.
    pub quiet_ms: u32,
    /// Measurement duration put in the request, in TU (little-endian on the wire). Default 100.
    pub measure_duration_tu: u16,
    /// At most this many candidates are measured per attempt (best known first). Default 6.
    pub max_candidates: u8,
    /// Also ask the client to measure the current BSS (compared like for like with the
    /// candidates); when it gives no value the uplink signal is used. Default true.
    pub measure_current: bool,
    /// After this many measurements in a row with no usable report the client is remembered
    /// as one that never answers. Default 3.
    pub silent_after: u8,
    /// Clients that cannot or do not answer beacon requests are steered on uplink data alone
    /// (band steering to the own 5 GHz BSS; roaming with every candidate listed). If false
    /// they are not steered at all. Default true.
    pub steer_without_reports: bool,

    // --- transition (802.11v) ---
    /// Set Disassociation Imminent in BSS transition requests. Default false.
    pub disassoc_imminent: bool,
    /// Disassociation timer in beacon intervals (0 = off). When non-zero hostapd drops the
    /// client itself when it runs out, and removes its PMKSA cache entry. Default 0.
    pub disassoc_timer: u16,
    /// Validity interval of the candidate list, in beacon intervals. Default 100.
    pub valid_int: u8,
    /// Set the Abridged bit (BSSs not listed are less preferred). Default true.
    pub abridged: bool,
    /// How long to wait for the BSS-TM-RESP (and for hostapd's reply to BSS_TM_REQ). Default
    /// 3000.
    pub btm_timeout_ms: u32,
    /// After an accepting response, the client must leave within this time to count as
    /// steered. Default 5000.
    pub leave_timeout_ms: u32,

    // --- outcomes ---
    /// First back-off after a failed attempt (reject, timeout, no move). Doubles per
    /// consecutive failure. Default 30.
    pub backoff_base_s: u32,
    /// Back-off cap. Default 1800.
    pub backoff_max_s: u32,
    /// This many rejections in a row mark the client as one that refuses transitions; it then
    /// gets no more transition requests (only the deauth fallback, if enabled). Default 3.
    pub refuse_after: u8,
    /// Deauthenticate as a last resort (off by default). Only when a trigger holds, the client
    /// refuses transitions / lacks BSS Transition / never answers beacon requests (and is not
    /// steered on uplink data) / failed `deauth_after` times in a row, its received-packet
    /// count did not move between the last two samples and it has been inactive for at least
    /// `deauth_idle_s`: the original script's safe conditions.
    pub deauth_fallback: bool,
    /// Consecutive failures (silent measurements, rejects, timeouts) before the deauth fallback
    /// is considered. Default 10 (the original's count).
    pub deauth_after: u8,
    /// Minimum inactivity for the deauth fallback. Default 5.
    pub deauth_idle_s: u32,
    /// Deauthentication reason code. Default 5 (AP unable to handle all associated stations).
    pub deauth_reason: u16,

    // --- modes and limits ---
    /// Log decisions but send no transition request and no deauthentication. Default false.
    pub dry_run: bool,
    /// In dry-run mode, still send beacon requests (they move nothing, and make the logged
    /// decisions the real ones). Default true.
    pub dry_run_measure: bool,
    /// Steer every client not excluded. If false only clients with `steer '1'` are steered
    /// (the original's list of roaming clients). Default true.
    pub steer_all: bool,
    /// A disconnected client's memory (refusals, measurement mode, holds) is dropped this long
    /// after it left. Default 3600.
    pub forget_after_s: u32,
    /// At most this many clients are tracked; beyond it new clients are ignored until space
    /// frees up. Default 16384.
    pub max_clients: u32,
    /// Reports kept per measurement. Default 16.
    pub max_reports: u8,
    /// Capacity of the action queue. When it is full, log records are dropped (counted in
    /// [`Stats::dropped_logs`](super::Stats)) and no new request is started (the client is
    /// re-evaluated on its next sample). Default 1024.
    pub action_queue: u32,
    /// Per-client overrides, by station MAC.
    pub clients: ClientOverrides,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            band_steer_signal: -60,
            band_steer_target: -65,
            roam_signal_5g: -65,
            roam_signal_2g: -70,
            roam_target: -62,
            roam_margin: 5,
            band_steering: true,
            roaming: true,
            band_preference_db: 3,
            min_connected_s: 10,
            cooldown_s: 60,
            stale_after_s: 10,
            measure_interval_s: 10,
            pingpong_hold_s: 1800,
            measure_timeout_ms: 2000,
            quiet_ms: 300,
            measure_duration_tu: 100,
            max_candidates: 6,
            measure_current: true,
            silent_after: 3,
            steer_without_reports: true,
            disassoc_imminent: false,
            disassoc_timer: 0,
            valid_int: 100,
            abridged: true,
            btm_timeout_ms: 3000,
            leave_timeout_ms: 5000,
            backoff_base_s: 30,
            backoff_max_s: 1800,
            refuse_after: 3,
            deauth_fallback: false,
            deauth_after: 10,
            deauth_idle_s: 5,
            deauth_reason: 5,
            dry_run: false,
            dry_run_measure: true,
            steer_all: true,
            forget_after_s: 3600,
            max_clients: 16384,
            max_reports: 16,
            action_queue: 1024,
            clients: ClientOverrides::default(),
        }
    }
}

/// Every field but `clients` is `Copy`: copied as one block rather than field by field (the
/// derived `Clone` did the latter, 0.9 KB in the router build).
impl Clone for Config {
    fn clone(&self) -> Config {
        Config {
            clients: self.clients.clone(),
            ..*self
        }
    }
}

/// The thresholds that apply to one client (globals with its overrides applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// See [`Config::band_steer_signal`].
    pub band_steer_signal: i8,
    /// See [`Config::band_steer_target`].
    pub band_steer_target: i8,
    /// See [`Config::roam_signal_5g`].
    pub roam_signal_5g: i8,
    /// See [`Config::roam_signal_2g`].
    pub roam_signal_2g: i8,
    /// See [`Config::roam_target`].
    pub roam_target: i8,
    /// See [`Config::roam_margin`].
    pub roam_margin: u8,
}

/// The per-client overrides by station MAC, in MAC order.
pub type ClientOverrides = VecMap<Mac, ClientOverride>;

impl Config {
    /// The override section of `sta`, if any.
    pub fn client(&self, sta: &Mac) -> Option<&ClientOverride> {
        self.clients.get(sta)
    }

    /// The steering mode of `sta`.
    pub fn steer_mode(&self, sta: &Mac) -> SteerMode {
        self.client(sta).map(|o| o.steer).unwrap_or_default()
    }

    /// `false` if the configuration excludes `sta` from steering (`steer '0'`).
    pub fn may_steer(&self, sta: &Mac) -> bool {
        self.steer_mode(sta) != SteerMode::Never
    }

    /// The thresholds for `sta`.
    pub fn thresholds(&self, sta: &Mac) -> Thresholds {
        let o = self.client(sta);
        let pick = |f: fn(&ClientOverride) -> Option<i8>, d: i8| o.and_then(f).unwrap_or(d);
        Thresholds {
            band_steer_signal: pick(|o| o.band_steer_signal, self.band_steer_signal),
            band_steer_target: pick(|o| o.band_steer_target, self.band_steer_target),
            roam_signal_5g: pick(|o| o.roam_signal_5g, self.roam_signal_5g),
            roam_signal_2g: pick(|o| o.roam_signal_2g, self.roam_signal_2g),
            roam_target: pick(|o| o.roam_target, self.roam_target),
            roam_margin: o.and_then(|o| o.roam_margin).unwrap_or(self.roam_margin),
        }
    }
}
