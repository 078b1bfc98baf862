//! What goes into the policy ([`Input`]) and what comes out ([`Action`], [`Record`]).

use core::fmt;

use super::types::{Band, Instant, Mac, NeighborEntry, RadioId, Signal};

/// Facts about one local radio (one hostapd BSS of this AP).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RadioInfo {
    /// Band the BSS operates in.
    pub band: Band,
    /// The BSS's SSID (raw bytes).
    pub ssid: Vec<u8>,
    /// The BSS's own neighbor entry (BSSID, BSSID information, op class, primary channel, PHY,
    /// subelements), as hostapd builds it (PROTOCOL.md A.14). `own.bssid` is the radio's BSSID.
    pub own: NeighborEntry,
}

/// One nl80211 station sample (`NL80211_CMD_GET_STATION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StationSample {
    /// `STA_INFO_SIGNAL`: last frame's signal, dBm.
    pub signal: Option<i8>,
    /// `STA_INFO_SIGNAL_AVG`: averaged signal, dBm. Preferred when present.
    pub signal_avg: Option<i8>,
    /// `STA_INFO_INACTIVE_TIME`, ms.
    pub inactive_ms: u32,
    /// `STA_INFO_CONNECTED_TIME`, s.
    pub connected_s: u32,
    /// `STA_INFO_RX_PACKETS`.
    pub rx_packets: u64,
}

/// A decoded beacon report (`BEACON-RESP-RX <sta> <token> <mode> <hex>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeaconReport {
    /// Dialog token of the report frame.
    pub token: u8,
    /// Measurement Report Mode: bit 0 late, bit 1 incapable, bit 2 refused.
    pub mode: u8,
    /// Operating class of the reported BSS (0 when the report has no body).
    pub op_class: u8,
    /// Channel of the reported BSS.
    pub channel: u8,
    /// Reported BSSID (zero when the report has no body).
    pub bssid: Mac,
    /// RCPI-derived signal ([`Signal::from_rcpi`]); `None` when not measured.
    pub signal: Option<Signal>,
}

impl BeaconReport {
    /// Report Mode bit: late.
    pub const MODE_LATE: u8 = 0x01;
    /// Report Mode bit: incapable.
    pub const MODE_INCAPABLE: u8 = 0x02;
    /// Report Mode bit: refused.
    pub const MODE_REFUSED: u8 = 0x04;
}

/// Everything the daemon observes and tells the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A local radio appeared or changed (channel switch, SSID change). Replaces earlier facts.
    Radio {
        /// Radio id.
        radio: RadioId,
        /// Its facts.
        info: RadioInfo,
    },
    /// A local radio went away: its clients are treated as disconnected.
    RadioGone {
        /// Radio id.
        radio: RadioId,
    },
    /// The set of remote neighbors (other APs' BSSs), replacing the previous set.
    Neighbors {
        /// Entries; BSSIDs of local radios in here are ignored.
        entries: Vec<NeighborEntry>,
    },
    /// An nl80211 station sample for a client of `radio`.
    Sample {
        /// Radio the station is associated with.
        radio: RadioId,
        /// Station.
        sta: Mac,
        /// Sample.
        sample: StationSample,
    },
    /// `AP-STA-CONNECTED`.
    Connected {
        /// Radio.
        radio: RadioId,
        /// Station.
        sta: Mac,
    },
    /// `AP-STA-DISCONNECTED` (or `NL80211_CMD_DEL_STATION`).
    Disconnected {
        /// Radio.
        radio: RadioId,
        /// Station.
        sta: Mac,
    },
    /// What the client advertised at association, when the daemon knows it (hostapd `STA
    /// <mac>`: `capability` bit 12 = Radio Measurement, `ext_capab` bit 19 = BSS Transition).
    /// Optional: without it the policy learns by trying. A client without Radio Measurement is
    /// handled as one that never answers beacon requests; one without BSS Transition gets no
    /// transition request (only the deauthentication fallback, if enabled).
    Capabilities {
        /// Radio.
        radio: RadioId,
        /// Station.
        sta: Mac,
        /// Radio Measurement (802.11k) advertised.
        radio_measurement: bool,
        /// BSS Transition (802.11v) advertised.
        bss_transition: bool,
    },
    /// hostapd's reply to a REQ_BEACON the policy asked for: the dialog token, or `None` for
    /// `FAIL` (hostapd refuses when the client did not advertise the requested mode, so `None`
    /// moves the client to the next mode). When no reply came at all (socket trouble), feed
    /// nothing: the measurement deadline handles it without blaming the client.
    BeaconRequestResult {
        /// Radio.
        radio: RadioId,
        /// Station.
        sta: Mac,
        /// Token or FAIL.
        token: Option<u8>,
    },
    /// `BEACON-REQ-TX-STATUS <sta> <token> ack=<0|1>`.
    BeaconTxStatus {
        /// Radio.
        radio: RadioId,
        /// Station.
        sta: Mac,
        /// Dialog token.
        token: u8,
        /// Whether the client acknowledged the request frame.
        ack: bool,
    },
    /// `BEACON-RESP-RX`.
    BeaconReport {
        /// Radio.
        radio: RadioId,
        /// Station.
        sta: Mac,
        /// Decoded report.
        report: BeaconReport,
    },
    /// hostapd's reply to a BSS_TM_REQ the policy asked for (`OK` = true, `FAIL` = false).
    BtmRequestResult {
        /// Radio.
        radio: RadioId,
        /// Station.
        sta: Mac,
        /// OK?
        ok: bool,
    },
    /// `BSS-TM-RESP <sta> status_code=<n> ... [target_bssid=<mac>]`.
    BtmResponse {
        /// Radio.
        radio: RadioId,
        /// Station.
        sta: Mac,
        /// Status code: 0 accept, 1-8 reject.
        status: u8,
        /// Target BSSID the client chose (accept only).
        target: Option<Mac>,
    },
}

/// Beacon request measurement mode (the byte at offset 6 of the request body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MeasureMode {
    /// Passive scan (0).
    Passive,
    /// Active scan: probe requests (1).
    Active,
    /// Beacon table: the client's cached scan results (2).
    Table,
}

impl MeasureMode {
    /// The wire value of the Measurement Mode field.
    pub const fn wire(self) -> u8 {
        match self {
            MeasureMode::Passive => 0,
            MeasureMode::Active => 1,
            MeasureMode::Table => 2,
        }
    }

    /// The next mode to try when a client refuses or is incapable of this one:
    /// active -> passive -> table -> none.
    pub const fn fallback(self) -> Option<MeasureMode> {
        match self {
            MeasureMode::Active => Some(MeasureMode::Passive),
            MeasureMode::Passive => Some(MeasureMode::Table),
            MeasureMode::Table => None,
        }
    }
}

impl fmt::Display for MeasureMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MeasureMode::Passive => "passive",
            MeasureMode::Active => "active",
            MeasureMode::Table => "table",
        })
    }
}

/// Send `REQ_BEACON` to `sta` on `radio`. The daemon builds the body: op class, channel,
/// randomization interval 0, `duration_tu` (little-endian), mode, bssid, then the SSID
/// subelement (ID 0) when `ssid` is set, and Reporting Detail (ID 2) = 0 (none is needed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeaconRequest {
    /// Radio the client is on.
    pub radio: RadioId,
    /// Client.
    pub sta: Mac,
    /// Measurement mode.
    pub mode: MeasureMode,
    /// 20 MHz global operating class of the channel to measure.
    pub op_class: u8,
    /// Primary channel to measure.
    pub channel: u8,
    /// BSSID to measure, or [`Mac::BROADCAST`] for every BSS with `ssid` on the channel.
    pub bssid: Mac,
    /// Measurement duration, TU.
    pub duration_tu: u16,
    /// SSID subelement (set with a wildcard BSSID).
    pub ssid: Option<Vec<u8>>,
}

/// Send `BSS_TM_REQ` to `sta` on `radio`:
/// `BSS_TM_REQ <sta> [pref=1] [abridged=1] [disassoc_imminent=1] [disassoc_timer=<n>]
/// valid_int=<n> neighbor=<bssid>,<bssid_info>,<op_class>,<channel>,<phy>,<subelements hex>...`
/// with one `neighbor=` per candidate, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BssTransition {
    /// Radio the client is on.
    pub radio: RadioId,
    /// Client.
    pub sta: Mac,
    /// Candidates, most preferred first; each carries its candidate preference subelement.
    /// The first is the target.
    pub candidates: Vec<NeighborEntry>,
    /// `pref=1` (Preferred Candidate List Included).
    pub pref: bool,
    /// `abridged=1`.
    pub abridged: bool,
    /// `disassoc_imminent=1`.
    pub disassoc_imminent: bool,
    /// `disassoc_timer=<n>` (omit when 0).
    pub disassoc_timer: u16,
    /// `valid_int=<n>`.
    pub valid_int: u8,
}

impl BssTransition {
    /// The target BSSID (first candidate).
    pub fn target(&self) -> Option<Mac> {
        self.candidates.first().map(|c| c.bssid)
    }
}

/// What the policy wants done. Drain with [`Policy::poll_action`](super::Policy::poll_action)
/// after every input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Send REQ_BEACON; reply with [`Input::BeaconRequestResult`].
    BeaconRequest(BeaconRequest),
    /// Send BSS_TM_REQ; reply with [`Input::BtmRequestResult`].
    BssTransition(BssTransition),
    /// `DEAUTHENTICATE <sta> reason=<reason>` (the fallback).
    Deauth {
        /// Radio.
        radio: RadioId,
        /// Client.
        sta: Mac,
        /// Reason code.
        reason: u16,
    },
    /// A log/metric record.
    Log(Record),
}

/// Which of the original's triggers fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trigger {
    /// (a) 2.4 GHz strong -> the same AP's 5 GHz.
    BandSteer,
    /// (b) 5/6 GHz weak -> another AP.
    Roam5g,
    /// (c) 2.4 GHz weak -> another AP.
    Roam2g,
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Trigger::BandSteer => "band-steer",
            Trigger::Roam5g => "roam-5g",
            Trigger::Roam2g => "roam-2g",
        })
    }
}

/// Why a steering attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// hostapd answered FAIL to BSS_TM_REQ.
    RequestFailed,
    /// The client rejected with this status (1-8, or another non-zero code).
    Rejected(u8),
    /// No BSS-TM-RESP in time.
    NoResponse,
    /// Accepted but did not leave in time.
    DidNotLeave,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::RequestFailed => f.write_str("request failed"),
            Failure::Rejected(s) => write!(f, "rejected status={s}"),
            Failure::NoResponse => f.write_str("no response"),
            Failure::DidNotLeave => f.write_str("accepted but did not leave"),
        }
    }
}

/// What happened, for logs and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A trigger fired on the uplink signal and a measurement starts.
    Measuring {
        /// Trigger.
        trigger: Trigger,
        /// Uplink signal that fired it.
        uplink: Signal,
        /// Mode used.
        mode: MeasureMode,
        /// Candidates to measure.
        candidates: u8,
    },
    /// The client refused or could not do `from`; the policy now uses `to` (None: no mode
    /// left, the client is handled as one that never answers).
    ModeFallback {
        /// Previous mode.
        from: MeasureMode,
        /// New mode.
        to: Option<MeasureMode>,
    },
    /// A measurement ended with no usable report.
    Silent {
        /// Consecutive silent measurements.
        count: u8,
    },
    /// The client is now remembered as one that never answers beacon requests.
    NeverAnswers,
    /// A steering decision (in dry-run mode nothing is sent).
    Decision {
        /// Trigger.
        trigger: Trigger,
        /// Target BSSID.
        target: Mac,
        /// Target as measured by the client (None: steered on uplink data alone).
        target_signal: Option<Signal>,
        /// The current BSS's value used for comparison (measured, else uplink).
        current: Signal,
        /// Every value the client reported in this measurement (BSSID, signal).
        measured: Vec<(Mac, Signal)>,
        /// Dry-run: not sent.
        dry_run: bool,
    },
    /// The measurement found no candidate good enough.
    NoCandidate {
        /// Trigger.
        trigger: Trigger,
        /// Best candidate measured, if any.
        best: Option<(Mac, Signal)>,
        /// Current value used for comparison.
        current: Signal,
        /// Every value the client reported in this measurement (BSSID, signal).
        measured: Vec<(Mac, Signal)>,
    },
    /// The client accepted the transition request.
    Accepted {
        /// Target it named.
        target: Option<Mac>,
    },
    /// The client left as asked (or arrived on the local target radio).
    Steered {
        /// Trigger.
        trigger: Trigger,
        /// Target BSSID.
        target: Mac,
        /// Milliseconds from the request to leaving.
        after_ms: u64,
    },
    /// A steering attempt failed; the client backs off.
    Failed {
        /// Why.
        failure: Failure,
        /// Consecutive failures.
        failures: u8,
        /// No new attempt before this.
        until: Instant,
    },
    /// The client is now remembered as one that refuses transitions.
    Refuses,
    /// Deauthentication fallback (in dry-run mode nothing is sent).
    Deauth {
        /// Dry-run: not sent.
        dry_run: bool,
    },
}

/// A log record: which client, on which radio, when, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// When.
    pub at: Instant,
    /// Radio the client was on.
    pub radio: RadioId,
    /// Client.
    pub sta: Mac,
    /// What.
    pub event: Event,
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ", self.sta, self.radio)?;
        // the events about a trigger start with it
        if let Event::Measuring { trigger, .. }
        | Event::Decision { trigger, .. }
        | Event::NoCandidate { trigger, .. }
        | Event::Steered { trigger, .. } = &self.event
        {
            write!(f, "{trigger}: ")?;
        }
        match &self.event {
            Event::Measuring {
                uplink,
                mode,
                candidates,
                ..
            } => write!(
                f,
                "uplink {uplink}, measuring {candidates} candidate(s) ({mode})"
            ),
            Event::ModeFallback { from, to } => {
                write!(f, "beacon report mode {from} refused, ")?;
                match to {
                    Some(to) => write!(f, "using {to}"),
                    None => f.write_str("no mode left"),
                }
            }
            Event::Silent { count } => write!(f, "no beacon report ({count} in a row)"),
            Event::NeverAnswers => f.write_str("never answers beacon requests"),
            Event::Decision {
                target,
                target_signal,
                current,
                measured,
                dry_run,
                ..
            } => {
                write!(f, "steer to {target} (")?;
                match target_signal {
                    Some(s) => write!(f, "measured {s}, ")?,
                    None => f.write_str("no report, ")?,
                }
                write!(f, "current {current})")?;
                write_measured(f, measured)?;
                dry_run_tag(f, *dry_run)
            }
            Event::NoCandidate {
                best: Some((b, s)),
                current,
                measured,
                ..
            } => {
                write!(
                    f,
                    "no candidate good enough (best {b} {s}, current {current})"
                )?;
                write_measured(f, measured)
            }
            Event::NoCandidate {
                best: None,
                current,
                ..
            } => write!(f, "no candidate measured (current {current})"),
            Event::Accepted { target } => {
                f.write_str("accepted transition")?;
                match target {
                    Some(t) => write!(f, " to {t}"),
                    None => Ok(()),
                }
            }
            Event::Steered {
                target, after_ms, ..
            } => write!(f, "steered to {target} after {after_ms} ms"),
            Event::Failed {
                failure,
                failures,
                until,
            } => write!(
                f,
                "{failure} ({failures} in a row), next attempt at {until}"
            ),
            Event::Refuses => f.write_str("refuses transitions"),
            Event::Deauth { dry_run } => {
                f.write_str("deauthenticated (fallback)")?;
                dry_run_tag(f, *dry_run)
            }
        }
    }
}

/// ` [dry-run]` after a decision or deauthentication not carried out.
fn dry_run_tag(f: &mut fmt::Formatter<'_>, dry_run: bool) -> fmt::Result {
    if dry_run {
        f.write_str(" [dry-run]")?;
    }
    Ok(())
}

fn write_measured(f: &mut fmt::Formatter<'_>, measured: &[(Mac, Signal)]) -> fmt::Result {
    if measured.is_empty() {
        return Ok(());
    }
    f.write_str(" [")?;
    for (i, (b, s)) in measured.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{b} {s}")?;
    }
    f.write_str("]")
}

#[cfg(test)]
mod record_text_tests {
    use super::*;

    /// Every event's log text, pinned (as printed before the Display was reorganised).
    #[test]
    fn every_event_prints_its_fixed_text() {
        let m = |b: u8| Mac([2, 0, 0, 0, b, 0]);
        let s = Signal::dbm;
        let all = [
            Event::Measuring {
                trigger: Trigger::Roam5g,
                uplink: s(-70),
                mode: MeasureMode::Active,
                candidates: 3,
            },
            Event::ModeFallback {
                from: MeasureMode::Active,
                to: Some(MeasureMode::Passive),
            },
            Event::ModeFallback {
                from: MeasureMode::Table,
                to: None,
            },
            Event::Silent { count: 2 },
            Event::NeverAnswers,
            Event::Decision {
                trigger: Trigger::BandSteer,
                target: m(1),
                target_signal: Some(s(-50)),
                current: s(-60),
                measured: vec![(m(1), s(-50)), (m(2), s(-70))],
                dry_run: true,
            },
            Event::Decision {
                trigger: Trigger::Roam2g,
                target: m(3),
                target_signal: None,
                current: s(-80),
                measured: Vec::new(),
                dry_run: false,
            },
            Event::NoCandidate {
                trigger: Trigger::Roam5g,
                best: Some((m(4), s(-75))),
                current: s(-72),
                measured: vec![(m(4), s(-75))],
            },
            Event::NoCandidate {
                trigger: Trigger::Roam2g,
                best: None,
                current: s(-72),
                measured: Vec::new(),
            },
            Event::Accepted { target: Some(m(5)) },
            Event::Accepted { target: None },
            Event::Steered {
                trigger: Trigger::Roam5g,
                target: m(6),
                after_ms: 1234,
            },
            Event::Failed {
                failure: Failure::Rejected(6),
                failures: 2,
                until: Instant(65000),
            },
            Event::Refuses,
            Event::Deauth { dry_run: false },
            Event::Deauth { dry_run: true },
        ];
        let got: Vec<String> = all
            .into_iter()
            .map(|event| {
                Record {
                    at: Instant(1000),
                    radio: RadioId(1),
                    sta: m(9),
                    event,
                }
                .to_string()
            })
            .collect();
        let want: &[&str] = &[
            "02:00:00:00:09:00 radio1 roam-5g: uplink -70 dBm, measuring 3 candidate(s) (active)",
            "02:00:00:00:09:00 radio1 beacon report mode active refused, using passive",
            "02:00:00:00:09:00 radio1 beacon report mode table refused, no mode left",
            "02:00:00:00:09:00 radio1 no beacon report (2 in a row)",
            "02:00:00:00:09:00 radio1 never answers beacon requests",
            "02:00:00:00:09:00 radio1 band-steer: steer to 02:00:00:00:01:00 (measured -50 dBm, current -60 dBm) [02:00:00:00:01:00 -50 dBm, 02:00:00:00:02:00 -70 dBm] [dry-run]",
            "02:00:00:00:09:00 radio1 roam-2g: steer to 02:00:00:00:03:00 (no report, current -80 dBm)",
            "02:00:00:00:09:00 radio1 roam-5g: no candidate good enough (best 02:00:00:00:04:00 -75 dBm, current -72 dBm) [02:00:00:00:04:00 -75 dBm]",
            "02:00:00:00:09:00 radio1 roam-2g: no candidate measured (current -72 dBm)",
            "02:00:00:00:09:00 radio1 accepted transition to 02:00:00:00:05:00",
            "02:00:00:00:09:00 radio1 accepted transition",
            "02:00:00:00:09:00 radio1 roam-5g: steered to 02:00:00:00:06:00 after 1234 ms",
            "02:00:00:00:09:00 radio1 rejected status=6 (2 in a row), next attempt at 65.000s",
            "02:00:00:00:09:00 radio1 refuses transitions",
            "02:00:00:00:09:00 radio1 deauthenticated (fallback)",
            "02:00:00:00:09:00 radio1 deauthenticated (fallback) [dry-run]",
        ];
        assert_eq!(got, want);
    }
}
