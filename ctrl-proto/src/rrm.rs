//! 802.11k Beacon Request and Beacon Report bodies (PROTOCOL.md A.8, A.9).
//!
//! [`BeaconRequest`] is what goes, hex-encoded, after `REQ_BEACON <sta> [req_mode=XX]`;
//! [`BeaconReport`] is the body hostapd hex-dumps in `BEACON-RESP-RX`. All multi-byte fields are
//! little-endian. Parsers check every length first and never panic.

use core::fmt;

use crate::error::ElementError;
use crate::ie::{self, Items};
use crate::Mac;

/// Measurement Mode of a beacon request (`enum beacon_report_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeasurementMode {
    /// 0: the station listens passively.
    Passive,
    /// 1: the station sends probe requests.
    Active,
    /// 2: the station reports from its scan table.
    Table,
    /// Any other value (hostapd refuses to send it).
    Other(u8),
}

impl MeasurementMode {
    /// From the wire byte.
    pub const fn from_u8(v: u8) -> MeasurementMode {
        match v {
            0 => MeasurementMode::Passive,
            1 => MeasurementMode::Active,
            2 => MeasurementMode::Table,
            o => MeasurementMode::Other(o),
        }
    }
    /// The wire byte.
    pub const fn to_u8(self) -> u8 {
        match self {
            MeasurementMode::Passive => 0,
            MeasurementMode::Active => 1,
            MeasurementMode::Table => 2,
            MeasurementMode::Other(o) => o,
        }
    }
}

/// Measurement Request Mode byte (`req_mode=` of `REQ_BEACON`, `MEASUREMENT_REQUEST_MODE_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RequestMode(pub u8);

impl RequestMode {
    /// bit 0: Parallel.
    pub const PARALLEL: u8 = 0x01;
    /// bit 1: Enable.
    pub const ENABLE: u8 = 0x02;
    /// bit 2: Request.
    pub const REQUEST: u8 = 0x04;
    /// bit 3: Report.
    pub const REPORT: u8 = 0x08;
    /// bit 4: Duration Mandatory.
    pub const DURATION_MANDATORY: u8 = 0x10;
}

/// Measurement Report Mode byte of a `BEACON-RESP-RX` (`MEASUREMENT_REPORT_MODE_*`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ReportMode(pub u8);

impl ReportMode {
    /// bit 0: the measurement was late.
    pub const LATE: u8 = 0x01;
    /// bit 1: the station is incapable of it.
    pub const INCAPABLE: u8 = 0x02;
    /// bit 2: the station refused it.
    pub const REFUSED: u8 = 0x04;

    /// Mode 0: a report body follows.
    pub const fn is_accepted(self) -> bool {
        self.0 == 0
    }
    /// Late bit.
    pub const fn late(self) -> bool {
        self.0 & Self::LATE != 0
    }
    /// Incapable bit.
    pub const fn incapable(self) -> bool {
        self.0 & Self::INCAPABLE != 0
    }
    /// Refused bit.
    pub const fn refused(self) -> bool {
        self.0 & Self::REFUSED != 0
    }
}

impl fmt::Debug for ReportMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReportMode({:02x}", self.0)?;
        for (bit, name) in [
            (Self::LATE, " late"),
            (Self::INCAPABLE, " incapable"),
            (Self::REFUSED, " refused"),
        ] {
            if self.0 & bit != 0 {
                f.write_str(name)?;
            }
        }
        f.write_str(")")
    }
}

/// Reporting Detail values (beacon request subelement 2).
pub mod detail {
    /// 0: no fixed fields or elements.
    pub const NONE: u8 = 0;
    /// 1: fixed fields and the elements named by a Request subelement.
    pub const REQUESTED: u8 = 1;
    /// 2: all fixed fields and elements (the default when the subelement is absent).
    pub const ALL: u8 = 2;
}

/// Beacon request subelement IDs (`WLAN_BEACON_REQUEST_SUBELEM_*`).
pub mod req_subelem {
    /// SSID.
    pub const SSID: u8 = 0;
    /// Beacon Reporting.
    pub const BEACON_REPORTING: u8 = 1;
    /// Reporting Detail.
    pub const REPORTING_DETAIL: u8 = 2;
    /// Request.
    pub const REQUEST: u8 = 10;
    /// Extended Request.
    pub const EXTENDED_REQUEST: u8 = 11;
    /// AP Channel Report.
    pub const AP_CHANNEL_REPORT: u8 = 51;
    /// Wide Bandwidth Channel Switch.
    pub const WIDE_BANDWIDTH_CHANNEL_SWITCH: u8 = 163;
    /// Last Beacon Report Indication Request.
    pub const LAST_INDICATION: u8 = 164;
    /// Vendor specific.
    pub const VENDOR: u8 = 221;
}

/// One optional subelement of a beacon request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BeaconRequestSubelement {
    /// 0: SSID, 0-32 bytes (empty = wildcard).
    Ssid(Vec<u8>),
    /// 1: Beacon Reporting: condition and threshold/offset.
    BeaconReporting {
        /// Reporting Condition.
        condition: u8,
        /// Threshold / Offset.
        threshold: u8,
    },
    /// 2: Reporting Detail (see [`detail`]).
    ReportingDetail(u8),
    /// 10: Request: element IDs to include (with detail 1).
    Request(Vec<u8>),
    /// 51: AP Channel Report: an operating class and channels in it.
    ApChannelReport {
        /// Operating class.
        op_class: u8,
        /// Channel numbers.
        channels: Vec<u8>,
    },
    /// 164: Last Beacon Report Indication Request (1 = requested).
    LastIndication(u8),
    /// Any other subelement, kept verbatim (Extended Request, Wide Bandwidth, vendor...).
    Other {
        /// Subelement ID.
        id: u8,
        /// Data.
        data: Vec<u8>,
    },
}

impl BeaconRequestSubelement {
    fn parse(id: u8, data: &[u8]) -> Result<Self, ElementError> {
        use req_subelem::*;
        let bad = || ElementError::SubelementLength {
            id,
            len: data.len(),
        };
        Ok(match id {
            SSID if data.len() <= 32 => Self::Ssid(data.to_vec()),
            SSID => return Err(bad()),
            BEACON_REPORTING => match data {
                [condition, threshold] => Self::BeaconReporting {
                    condition: *condition,
                    threshold: *threshold,
                },
                _ => return Err(bad()),
            },
            REPORTING_DETAIL => match data {
                [d] => Self::ReportingDetail(*d),
                _ => return Err(bad()),
            },
            REQUEST => Self::Request(data.to_vec()),
            AP_CHANNEL_REPORT => match data.split_first() {
                Some((op_class, channels)) => Self::ApChannelReport {
                    op_class: *op_class,
                    channels: channels.to_vec(),
                },
                None => return Err(bad()),
            },
            LAST_INDICATION => match data {
                [v] => Self::LastIndication(*v),
                _ => return Err(bad()),
            },
            _ => Self::Other {
                id,
                data: data.to_vec(),
            },
        })
    }

    fn emit(&self, out: &mut Vec<u8>) -> Result<(), ElementError> {
        use req_subelem::*;
        match self {
            Self::Ssid(s) => ie::put(out, SSID, s),
            Self::BeaconReporting {
                condition,
                threshold,
            } => ie::put(out, BEACON_REPORTING, &[*condition, *threshold]),
            Self::ReportingDetail(d) => ie::put(out, REPORTING_DETAIL, &[*d]),
            Self::Request(ids) => ie::put(out, REQUEST, ids),
            Self::ApChannelReport { op_class, channels } => {
                let mut d = Vec::with_capacity(1 + channels.len());
                d.push(*op_class);
                d.extend_from_slice(channels);
                ie::put(out, AP_CHANNEL_REPORT, &d)
            }
            Self::LastIndication(v) => ie::put(out, LAST_INDICATION, &[*v]),
            Self::Other { id, data } => ie::put(out, *id, data),
        }
    }
}

/// The Measurement Request body for type Beacon (what `REQ_BEACON` takes as hex).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BeaconRequest {
    /// Operating class (global classes recommended; 20 MHz class of the channel to measure).
    pub op_class: u8,
    /// Channel: 0 = all channels of the class, 255 = use the AP Channel Report subelements.
    pub channel: u8,
    /// Randomization Interval, TU.
    pub randomization_interval: u16,
    /// Measurement Duration, TU.
    pub duration: u16,
    /// Passive, active or table.
    pub mode: MeasurementMode,
    /// BSSID to measure; [`Mac::BROADCAST`] for all.
    pub bssid: Mac,
    /// Optional subelements, in order.
    pub subelements: Vec<BeaconRequestSubelement>,
}

impl BeaconRequest {
    /// Length of the fixed part; hostapd refuses shorter bodies.
    pub const FIXED_LEN: usize = 13;
    /// Largest body that fits a Measurement Request element (255 - token, mode, type).
    pub const MAX_LEN: usize = 252;

    /// A request with no subelements.
    pub fn new(
        op_class: u8,
        channel: u8,
        duration: u16,
        mode: MeasurementMode,
        bssid: Mac,
    ) -> BeaconRequest {
        BeaconRequest {
            op_class,
            channel,
            randomization_interval: 0,
            duration,
            mode,
            bssid,
            subelements: Vec::new(),
        }
    }

    /// Parses a body (e.g. the hex-decoded argument of a `REQ_BEACON`).
    pub fn parse(b: &[u8]) -> Result<BeaconRequest, ElementError> {
        if b.len() < Self::FIXED_LEN {
            return Err(ElementError::Truncated {
                what: "beacon request",
                need: Self::FIXED_LEN,
                have: b.len(),
            });
        }
        let mut subelements = Vec::new();
        for item in Items::new(&b[13..]) {
            let (id, data) = item.map_err(|e| shift(e, 13))?;
            subelements.push(BeaconRequestSubelement::parse(id, data)?);
        }
        Ok(BeaconRequest {
            op_class: b[0],
            channel: b[1],
            randomization_interval: u16::from_le_bytes([b[2], b[3]]),
            duration: u16::from_le_bytes([b[4], b[5]]),
            mode: MeasurementMode::from_u8(b[6]),
            bssid: Mac([b[7], b[8], b[9], b[10], b[11], b[12]]),
            subelements,
        })
    }

    /// Writes the body; fails if a subelement or the whole body is too long.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), ElementError> {
        let start = out.len();
        out.push(self.op_class);
        out.push(self.channel);
        out.extend_from_slice(&self.randomization_interval.to_le_bytes());
        out.extend_from_slice(&self.duration.to_le_bytes());
        out.push(self.mode.to_u8());
        out.extend_from_slice(&self.bssid.0);
        for s in &self.subelements {
            s.emit(out)?;
        }
        let len = out.len() - start;
        if len > Self::MAX_LEN {
            return Err(ElementError::TooLong(len));
        }
        Ok(())
    }

    /// The body as bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ElementError> {
        let mut v = Vec::with_capacity(32);
        self.emit(&mut v)?;
        Ok(v)
    }
}

fn shift(e: ElementError, by: usize) -> ElementError {
    match e {
        ElementError::SubelementOverrun { id, at } => {
            ElementError::SubelementOverrun { id, at: at + by }
        }
        e => e,
    }
}

/// Received Channel Power Indicator of a beacon report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rcpi(pub u8);

/// How a station encodes the RCPI field.
///
/// **Decision.** The standard encoding (IEEE 802.11 and hostapd's `rssi_to_rcpi()`) is
/// `RCPI = 2 * (dBm + 110)` for 0..=220, 221..=254 reserved, 255 = not measured. Some clients
/// instead put `255 + RSSI` (RSSI as a signed byte plus 255: -60 dBm becomes 195). The two
/// encodings overlap on 145..=220, so a single value cannot tell them apart, and this crate
/// never guesses per value: [`Rcpi::reading`] decodes with the encoding the caller chose for that
/// client, the default being [`RcpiEncoding::Standard`]. A station sending reserved values
/// (221..=254, see [`Rcpi::is_reserved`]) is the evidence a caller may use to switch that station
/// to [`RcpiEncoding::RssiPlus255`] (in which 221..=254 are -34..-1 dBm); comparing with the
/// uplink signal measured by the AP is another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RcpiEncoding {
    /// IEEE 802.11: `dBm = RCPI / 2 - 110`.
    #[default]
    Standard,
    /// Non-standard: `dBm = value - 255` (values below 145, i.e. under -110 dBm, are rejected).
    RssiPlus255,
}

/// A decoded RCPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RcpiReading {
    /// Measured power in half-dB steps (`-54` = -27.0 dBm).
    HalfDbm(i16),
    /// 255: no measurement available.
    Unknown,
    /// A value the encoding does not define.
    Reserved,
}

impl RcpiReading {
    /// The power in dBm, if measured.
    pub fn dbm(self) -> Option<f32> {
        match self {
            RcpiReading::HalfDbm(h) => Some(f32::from(h) / 2.0),
            _ => None,
        }
    }
    /// The power rounded towards negative infinity to whole dBm, if measured.
    pub fn dbm_floor(self) -> Option<i16> {
        match self {
            RcpiReading::HalfDbm(h) => Some(h.div_euclid(2)),
            _ => None,
        }
    }
}

impl Rcpi {
    /// Decodes with the given encoding.
    pub fn reading(self, enc: RcpiEncoding) -> RcpiReading {
        let v = i16::from(self.0);
        match (enc, self.0) {
            (_, 255) => RcpiReading::Unknown,
            (RcpiEncoding::Standard, 0..=220) => RcpiReading::HalfDbm(v - 220),
            (RcpiEncoding::Standard, _) => RcpiReading::Reserved,
            (RcpiEncoding::RssiPlus255, 145..=254) => RcpiReading::HalfDbm(2 * (v - 255)),
            (RcpiEncoding::RssiPlus255, _) => RcpiReading::Reserved,
        }
    }
    /// Standard decoding in dBm (`None` for 221..=255).
    pub fn dbm(self) -> Option<f32> {
        self.reading(RcpiEncoding::Standard).dbm()
    }
    /// 221..=254: reserved in the standard encoding (a hint of a `255 + RSSI` client).
    pub const fn is_reserved(self) -> bool {
        self.0 > 220 && self.0 < 255
    }
    /// hostapd's `rssi_to_rcpi()`: the standard RCPI of a dBm value (`None` = 255).
    pub fn from_dbm(dbm: Option<i32>) -> Rcpi {
        match dbm {
            None => Rcpi(255),
            Some(d) if d < -110 => Rcpi(0),
            Some(d) if d > 0 => Rcpi(220),
            Some(d) => Rcpi(u8::try_from((d + 110) * 2).unwrap_or(220)),
        }
    }
}

/// Received Signal to Noise Indicator of a beacon report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rsni(pub u8);

impl Rsni {
    /// SNR in dB (`RSNI / 2 - 10`, IEEE 802.11); `None` for 255 (wpa_supplicant always sends
    /// 255).
    pub fn db(self) -> Option<f32> {
        (self.0 != 255).then(|| f32::from(self.0) / 2.0 - 10.0)
    }
}

/// Reported Frame Information: bits 0-6 condensed PHY type, bit 7 frame type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FrameInfo(pub u8);

impl FrameInfo {
    /// Condensed PHY type (same numbering as [`crate::neighbor::PhyType`]).
    pub const fn phy_type(self) -> u8 {
        self.0 & 0x7f
    }
    /// Frame type bit: false = Beacon/Probe Response, true = Measurement Pilot.
    pub const fn is_pilot(self) -> bool {
        self.0 & 0x80 != 0
    }
}

/// Beacon report subelement IDs (`WLAN_BEACON_REPORT_SUBELEM_*`).
pub mod rep_subelem {
    /// Reported Frame Body.
    pub const FRAME_BODY: u8 = 1;
    /// Reported Frame Body Fragment ID.
    pub const FRAME_BODY_FRAGMENT_ID: u8 = 2;
    /// Wide Bandwidth Channel Switch.
    pub const WIDE_BANDWIDTH_CHANNEL_SWITCH: u8 = 163;
    /// Last Beacon Report Indication.
    pub const LAST_INDICATION: u8 = 164;
    /// Vendor specific.
    pub const VENDOR: u8 = 221;
}

/// Reported Frame Body Fragment ID (subelement 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FragmentId {
    /// Beacon Report ID, equal on all fragments of one body.
    pub report_id: u8,
    /// Fragment number, 0-127.
    pub number: u8,
    /// More fragments follow.
    pub more: bool,
}

/// One subelement of a beacon report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportSubelement<'a> {
    /// 1: (part of) the reported frame's body.
    FrameBody(FrameBody<'a>),
    /// 2: which fragment of the body this report carries.
    FragmentId(FragmentId),
    /// 164: this is the last report for the request (1 byte).
    LastIndication(u8),
    /// Anything else, verbatim.
    Other {
        /// Subelement ID.
        id: u8,
        /// Data.
        data: &'a [u8],
    },
}

/// Reported Frame Body: TSF (8), beacon interval (2), capability (2), then whole elements
/// (possibly only some of them, see [`FragmentId`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FrameBody<'a>(pub &'a [u8]);

impl<'a> FrameBody<'a> {
    /// Timestamp field, if the fixed fields are present.
    pub fn timestamp(&self) -> Option<u64> {
        Some(u64::from_le_bytes(self.0.get(..8)?.try_into().ok()?))
    }
    /// Beacon interval, TU.
    pub fn beacon_interval(&self) -> Option<u16> {
        Some(u16::from_le_bytes(self.0.get(8..10)?.try_into().ok()?))
    }
    /// Capability Information.
    pub fn capability(&self) -> Option<u16> {
        Some(u16::from_le_bytes(self.0.get(10..12)?.try_into().ok()?))
    }
    /// The elements after the fixed fields (empty if there are none).
    pub fn elements(&self) -> Items<'a> {
        Items::new(self.0.get(12..).unwrap_or(&[]))
    }
    /// The SSID element's data, if reported.
    pub fn ssid(&self) -> Option<&'a [u8]> {
        self.elements()
            .map_while(Result::ok)
            .find(|(id, _)| *id == 0)
            .map(|(_, d)| d)
    }
}

/// A Beacon Report body as carried in `BEACON-RESP-RX` (26 fixed bytes + subelements).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BeaconReport<'a> {
    /// Operating class of the reported BSS's channel (may be a country class).
    pub op_class: u8,
    /// Channel number.
    pub channel: u8,
    /// Actual Measurement Start Time (TSF of the serving AP).
    pub start_time: u64,
    /// Measurement Duration, TU.
    pub duration: u16,
    /// Reported Frame Information.
    pub frame_info: FrameInfo,
    /// RCPI of the reported frame.
    pub rcpi: Rcpi,
    /// RSNI of the reported frame.
    pub rsni: Rsni,
    /// Reported BSSID.
    pub bssid: Mac,
    /// Antenna ID (0 = unknown).
    pub antenna_id: u8,
    /// Parent TSF.
    pub parent_tsf: u32,
    /// Raw subelements (already checked to be well framed); see [`BeaconReport::subelements`].
    pub subelements: &'a [u8],
}

impl<'a> BeaconReport<'a> {
    /// Length of the fixed part.
    pub const FIXED_LEN: usize = 26;

    /// Parses a report body, checking that the subelements are well framed and that known
    /// subelements have their defined lengths.
    pub fn parse(b: &'a [u8]) -> Result<BeaconReport<'a>, ElementError> {
        if b.len() < Self::FIXED_LEN {
            return Err(ElementError::Truncated {
                what: "beacon report",
                need: Self::FIXED_LEN,
                have: b.len(),
            });
        }
        let subelements = &b[26..];
        for s in Self::walk(subelements) {
            s.map_err(|e| shift(e, 26))?;
        }
        Ok(BeaconReport {
            op_class: b[0],
            channel: b[1],
            start_time: u64::from_le_bytes([b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9]]),
            duration: u16::from_le_bytes([b[10], b[11]]),
            frame_info: FrameInfo(b[12]),
            rcpi: Rcpi(b[13]),
            rsni: Rsni(b[14]),
            bssid: Mac([b[15], b[16], b[17], b[18], b[19], b[20]]),
            antenna_id: b[21],
            parent_tsf: u32::from_le_bytes([b[22], b[23], b[24], b[25]]),
            subelements,
        })
    }

    fn walk(buf: &'a [u8]) -> impl Iterator<Item = Result<ReportSubelement<'a>, ElementError>> {
        Items::new(buf).map(|item| {
            let (id, data) = item?;
            let bad = ElementError::SubelementLength {
                id,
                len: data.len(),
            };
            Ok(match id {
                rep_subelem::FRAME_BODY => ReportSubelement::FrameBody(FrameBody(data)),
                rep_subelem::FRAME_BODY_FRAGMENT_ID => match data {
                    [report_id, n] => ReportSubelement::FragmentId(FragmentId {
                        report_id: *report_id,
                        number: n & 0x7f,
                        more: n & 0x80 != 0,
                    }),
                    _ => return Err(bad),
                },
                rep_subelem::LAST_INDICATION => match data {
                    [v] => ReportSubelement::LastIndication(*v),
                    _ => return Err(bad),
                },
                _ => ReportSubelement::Other { id, data },
            })
        })
    }

    /// The subelements, typed. (Parsing already validated them, so no item is an error.)
    pub fn subelements(&self) -> impl Iterator<Item = ReportSubelement<'a>> {
        Self::walk(self.subelements).map_while(Result::ok)
    }

    /// The Reported Frame Body subelement, if present.
    pub fn frame_body(&self) -> Option<FrameBody<'a>> {
        self.subelements().find_map(|s| match s {
            ReportSubelement::FrameBody(b) => Some(b),
            _ => None,
        })
    }

    /// The Fragment ID subelement, if present.
    pub fn fragment_id(&self) -> Option<FragmentId> {
        self.subelements().find_map(|s| match s {
            ReportSubelement::FragmentId(f) => Some(f),
            _ => None,
        })
    }

    /// Writes the body (the exact inverse of [`BeaconReport::parse`]).
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.op_class);
        out.push(self.channel);
        out.extend_from_slice(&self.start_time.to_le_bytes());
        out.extend_from_slice(&self.duration.to_le_bytes());
        out.push(self.frame_info.0);
        out.push(self.rcpi.0);
        out.push(self.rsni.0);
        out.extend_from_slice(&self.bssid.0);
        out.push(self.antenna_id);
        out.extend_from_slice(&self.parent_tsf.to_le_bytes());
        out.extend_from_slice(self.subelements);
    }

    /// The body as bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(26 + self.subelements.len());
        self.emit(&mut v);
        v
    }
}

/// Reassembles Reported Frame Bodies that a station split over several reports (fragments
/// 0..n of one Beacon Report ID, the last without the "more" bit). Bounded: at most
/// [`BodyAssembler::MAX_PENDING`] partial bodies are kept; the oldest is dropped beyond that.
#[derive(Debug, Default)]
pub struct BodyAssembler {
    pending: Vec<Pending>,
}

#[derive(Debug)]
struct Pending {
    bssid: Mac,
    report_id: u8,
    next: u8,
    body: Vec<u8>,
}

impl BodyAssembler {
    /// Most partial bodies kept at once.
    pub const MAX_PENDING: usize = 16;

    /// An empty assembler.
    pub fn new() -> BodyAssembler {
        BodyAssembler::default()
    }

    /// Feeds one report; returns the whole frame body (fixed fields + elements) once the last
    /// fragment arrived. A report without Fragment ID carries its body whole. Fragments out of
    /// order restart nothing: the partial body is discarded.
    pub fn push(&mut self, report: &BeaconReport<'_>) -> Option<Vec<u8>> {
        let body = report.frame_body()?;
        let Some(frag) = report.fragment_id() else {
            return Some(body.0.to_vec());
        };
        let key = (report.bssid, frag.report_id);
        let idx = self
            .pending
            .iter()
            .position(|p| (p.bssid, p.report_id) == key);
        if frag.number == 0 {
            if let Some(i) = idx {
                self.pending.remove(i);
            }
            if !frag.more {
                return Some(body.0.to_vec());
            }
            if self.pending.len() >= Self::MAX_PENDING {
                self.pending.remove(0);
            }
            self.pending.push(Pending {
                bssid: report.bssid,
                report_id: frag.report_id,
                next: 1,
                body: body.0.to_vec(),
            });
            return None;
        }
        let i = idx?;
        if self.pending[i].next != frag.number {
            self.pending.remove(i);
            return None;
        }
        // Later fragments carry elements only (no fixed fields).
        self.pending[i].body.extend_from_slice(body.0);
        self.pending[i].next = frag.number.wrapping_add(1);
        if frag.more {
            return None;
        }
        Some(self.pending.remove(i).body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rcpi_standard() {
        assert_eq!(
            Rcpi(0).reading(RcpiEncoding::Standard),
            RcpiReading::HalfDbm(-220)
        );
        assert_eq!(Rcpi(0).dbm(), Some(-110.0));
        assert_eq!(Rcpi(166).dbm(), Some(-27.0));
        assert_eq!(Rcpi(130).dbm(), Some(-45.0));
        assert_eq!(Rcpi(131).dbm(), Some(-44.5));
        assert_eq!(
            Rcpi(131).reading(RcpiEncoding::Standard).dbm_floor(),
            Some(-45)
        );
        assert_eq!(Rcpi(220).dbm(), Some(0.0));
        assert_eq!(
            Rcpi(221).reading(RcpiEncoding::Standard),
            RcpiReading::Reserved
        );
        assert_eq!(
            Rcpi(254).reading(RcpiEncoding::Standard),
            RcpiReading::Reserved
        );
        assert_eq!(
            Rcpi(255).reading(RcpiEncoding::Standard),
            RcpiReading::Unknown
        );
        assert_eq!(Rcpi(255).dbm(), None);
        assert!(Rcpi(221).is_reserved() && Rcpi(254).is_reserved());
        assert!(!Rcpi(220).is_reserved() && !Rcpi(255).is_reserved());
    }

    #[test]
    fn rcpi_rssi_plus_255() {
        let e = RcpiEncoding::RssiPlus255;
        assert_eq!(Rcpi(195).reading(e).dbm(), Some(-60.0));
        assert_eq!(Rcpi(254).reading(e).dbm(), Some(-1.0));
        assert_eq!(Rcpi(145).reading(e).dbm(), Some(-110.0));
        assert_eq!(Rcpi(144).reading(e), RcpiReading::Reserved);
        assert_eq!(Rcpi(255).reading(e), RcpiReading::Unknown);
    }

    #[test]
    fn rcpi_forward_matches_hostapd() {
        assert_eq!(Rcpi::from_dbm(None), Rcpi(255));
        assert_eq!(Rcpi::from_dbm(Some(-111)), Rcpi(0));
        assert_eq!(Rcpi::from_dbm(Some(-110)), Rcpi(0));
        assert_eq!(Rcpi::from_dbm(Some(-27)), Rcpi(166));
        assert_eq!(Rcpi::from_dbm(Some(0)), Rcpi(220));
        assert_eq!(Rcpi::from_dbm(Some(5)), Rcpi(220));
        for d in -110..=0 {
            assert_eq!(Rcpi::from_dbm(Some(d)).dbm(), Some(d as f32));
        }
    }

    #[test]
    fn rsni() {
        assert_eq!(Rsni(255).db(), None);
        assert_eq!(Rsni(20).db(), Some(0.0));
        assert_eq!(Rsni(0).db(), Some(-10.0));
    }

    #[test]
    fn report_modes() {
        assert!(ReportMode(0).is_accepted());
        assert!(ReportMode(4).refused() && !ReportMode(4).is_accepted());
        assert!(ReportMode(2).incapable());
        assert!(ReportMode(1).late());
        assert_eq!(
            format!("{:?}", ReportMode(7)),
            "ReportMode(07 late incapable refused)"
        );
    }

    #[rustfmt::skip]
    #[test]
    fn beacon_request_emit_into_poisoned_buffer() {
        // PROTOCOL.md A.8 example: active, class 115, all channels, 100 TU, wildcard.
        let r = BeaconRequest {
            op_class: 115, channel: 0, randomization_interval: 0, duration: 100,
            mode: MeasurementMode::Active, bssid: Mac::BROADCAST,
            subelements: vec![
                BeaconRequestSubelement::Ssid(b"labnet".to_vec()),
                BeaconRequestSubelement::ReportingDetail(detail::NONE),
                BeaconRequestSubelement::BeaconReporting { condition: 0, threshold: 0 },
                BeaconRequestSubelement::Request(vec![0, 48]),
                BeaconRequestSubelement::ApChannelReport { op_class: 115, channels: vec![36, 40] },
                BeaconRequestSubelement::LastIndication(1),
                BeaconRequestSubelement::Other { id: 221, data: vec![0, 0x50, 0xf2] },
            ],
        };
        let mut out = vec![0xa5; 3];
        r.emit(&mut out).unwrap();
        assert_eq!(&out[..3], [0xa5; 3]);
        let expected = [
            0x73, 0x00, 0x00, 0x00, 0x64, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0x00, 0x06, b'l', b'a', b'b', b'n', b'e', b't',
            0x02, 0x01, 0x00,
            0x01, 0x02, 0x00, 0x00,
            0x0a, 0x02, 0x00, 0x30,
            0x33, 0x03, 0x73, 0x24, 0x28,
            0xa4, 0x01, 0x01,
            0xdd, 0x03, 0x00, 0x50, 0xf2,
        ];
        assert_eq!(&out[3..], &expected[..]);
        assert_eq!(BeaconRequest::parse(&expected).unwrap(), r);
        assert_eq!(crate::hex::encode(&expected[..13]), "73000000640001ffffffffffff");
    }

    #[test]
    fn beacon_request_errors() {
        assert_eq!(
            BeaconRequest::parse(&[0; 12]),
            Err(ElementError::Truncated {
                what: "beacon request",
                need: 13,
                have: 12
            })
        );
        let mut b = vec![0u8; 13];
        b.extend_from_slice(&[2, 2, 0, 0]);
        assert_eq!(
            BeaconRequest::parse(&b),
            Err(ElementError::SubelementLength { id: 2, len: 2 })
        );
        let mut b = vec![0u8; 13];
        b.extend_from_slice(&[0, 5, 0]);
        assert_eq!(
            BeaconRequest::parse(&b),
            Err(ElementError::SubelementOverrun { id: 0, at: 13 })
        );
        let mut b = vec![0u8; 13];
        b.extend_from_slice(&[0, 33]);
        b.extend_from_slice(&[b'x'; 33]);
        assert_eq!(
            BeaconRequest::parse(&b),
            Err(ElementError::SubelementLength { id: 0, len: 33 })
        );
        let mut r = BeaconRequest::new(81, 6, 50, MeasurementMode::Passive, Mac::BROADCAST);
        r.subelements.push(BeaconRequestSubelement::Other {
            id: 221,
            data: vec![0; 240],
        });
        assert_eq!(r.to_bytes(), Err(ElementError::TooLong(255)));
    }
}
