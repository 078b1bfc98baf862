//! The steering policy: a sans-IO state machine (no sockets, no clock, no globals).
//!
//! The daemon feeds what it observes with [`Policy::handle`]`(now, input)`, calls
//! [`Policy::handle_timeout`] when [`Policy::poll_timeout`] is reached, and after each call
//! drains [`Policy::poll_action`] until `None`, carrying out every [`Action`]:
//!
//! ```
//! use roamer::policy::{Config, Input, Instant, Policy};
//! let mut p = Policy::new(Config::default());
//! let now = Instant::from_millis(0);
//! p.handle(now, Input::Neighbors { entries: vec![] });
//! while let Some(action) = p.poll_action() {
//!     let _ = action; // send REQ_BEACON / BSS_TM_REQ / DEAUTHENTICATE, or log
//! }
//! let _next_wakeup = p.poll_timeout();
//! ```
//!
//! # What it does
//! One roamer manages the radios of ONE access point ([`Input::Radio`]); other APs are only
//! neighbors ([`Input::Neighbors`]). Every station is tracked by MAC across the local radios.
//! On each nl80211 sample ([`Input::Sample`]) a client is checked against the original
//! script's three triggers, on the kernel's uplink signal (average when present):
//! (a) 2.4 GHz and signal >= `band_steer_signal` -> the same AP's 5/6 GHz radio (same SSID);
//! (b) 5/6 GHz and signal <= `roam_signal_5g` -> another AP; (c) 2.4 GHz and signal <=
//! `roam_signal_2g` -> another AP. A trigger needs a fresh signal (inactive time and sample age
//! under `stale_after_s`), `min_connected_s`, the cooldown after arrival or an attempt, the
//! client's back-off, and `measure_interval_s` since its last measurement.
//!
//! Measurement: one beacon request at a time per client (one per channel to measure: a
//! specific BSSID, or the wildcard plus the SSID when several candidates share a channel),
//! always with the 20 MHz operating class of the primary channel. Reports are matched by
//! token (the reply to REQ_BEACON) and BSSID, collected until `quiet_ms` after the last one or
//! `measure_timeout_ms`. A refused/incapable report or a FAIL reply moves the client's mode
//! active -> passive -> table -> none; `silent_after` silent measurements in a row (or no mode
//! left) mark it as never answering, after which it is steered on uplink data alone
//! (`steer_without_reports`) or not at all.
//!
//! Consecutive measurements that find no acceptable candidate double the client's measurement
//! interval (1, 2, 4, then at most 8 times `measure_interval_s`): a client that stays below a trigger
//! with nothing better around is not measured every interval forever. The back-off resets
//! when its uplink signal moves by more than `roam_margin` since that measurement, when it
//! reconnects, and when a measurement finds a candidate.
//!
//! Decision: band steering needs the 5 GHz BSS measured >= `band_steer_target`; roaming needs
//! a candidate >= `roam_target` and >= current + `roam_margin` (the current BSS as measured by
//! the client in the same measurement, else the uplink). Qualifying candidates are ranked by
//! measured signal plus `band_preference_db` for 5/6 GHz. The trigger is re-checked on the
//! latest sample before deciding: no decision on stale data.
//!
//! Transition: [`Action::BssTransition`] with full neighbor entries (real BSSID information,
//! op class, channel, PHY, a candidate preference subelement), `pref=1`, abridged,
//! disassociation imminent/timer as configured (off by default). Accept -> the client must
//! leave within `leave_timeout_ms` (success when it disconnects or shows up on the local target
//! radio); reject, no response, FAIL or not leaving -> exponential back-off
//! (`backoff_base_s` doubling, capped at `backoff_max_s`); `refuse_after` rejects in a row mark
//! the client as refusing (no more requests; `steer '1'` clients are exempt).
//!
//! No ping-pong: cooldown after arrival and after every attempt. Every move between the
//! bands made here is remembered for `pingpong_hold_s`: after a move up from 2.4 GHz (band
//! steering, or roaming to a 5 GHz BSS) no 2.4 GHz candidate is offered; after a move down to
//! 2.4 GHz there is no band steering and this AP's 5 GHz radios are not offered. Outside the
//! hold a 5 GHz client only goes to 2.4 GHz when its 5 GHz signal is weak and the 2.4 GHz
//! candidate beats the current BSS (as the client measures both) by the margin. So the
//! usteer-ng "roaming devices to 2.4 GHz" loop cannot happen faster than the hold.
//!
//! Memory is bounded: at most `max_clients` clients, `max_reports` reports per measurement, 8
//! remembered readings per client, clients forgotten `forget_after_s` after they leave, an
//! action queue of `action_queue` entries (when full, log records are dropped first and counted
//! in [`Stats`]; a request that finds no room is not started and is retried on a later sample).
#![forbid(unsafe_code)]

mod client;
mod config;
mod engine;
mod io;
mod types;
pub(crate) mod vecmap;

#[cfg(test)]
mod tests;

pub use config::{ClientOverride, ClientOverrides, Config, SteerMode, Thresholds};
pub use engine::{ClientPhase, ClientView, Policy, Stats};
pub use io::{
    Action, BeaconReport, BeaconRequest, BssTransition, Event, Failure, Input, MeasureMode,
    RadioInfo, Record, StationSample, Trigger,
};
pub use types::{
    measure_op_class, Band, Instant, Mac, NeighborEntry, RadioId, Signal,
    SUBELEM_CANDIDATE_PREFERENCE,
};
