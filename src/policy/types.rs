//! Plain data the policy speaks: time, addresses, radios, signal, neighbor entries.
//!
//! Nothing here depends on `ctrl-proto` or `nl80211`: the daemon converts their types into these.

use core::fmt;
use core::ops::Add;

/// A point on the daemon's monotonic clock, in milliseconds.
///
/// The policy never reads a clock: every call carries `now`. Any origin works (e.g. milliseconds
/// since the daemon started) as long as it never goes backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(pub u64);

impl Instant {
    /// The instant `ms` milliseconds after the clock's origin.
    pub const fn from_millis(ms: u64) -> Self {
        Instant(ms)
    }

    /// Milliseconds since the clock's origin.
    pub const fn millis(self) -> u64 {
        self.0
    }

    /// Milliseconds from `earlier` to `self` (0 if `earlier` is later).
    pub const fn since(self, earlier: Instant) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    /// `self` plus `ms` milliseconds, saturating.
    pub const fn plus_ms(self, ms: u64) -> Instant {
        Instant(self.0.saturating_add(ms))
    }
}

impl Add<u64> for Instant {
    type Output = Instant;
    /// Adds milliseconds (saturating).
    fn add(self, ms: u64) -> Instant {
        self.plus_ms(ms)
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}s", self.0 / 1000, self.0 % 1000)
    }
}

/// An IEEE 802 MAC address (station or BSSID).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    /// The broadcast address, used as the wildcard BSSID in beacon requests.
    pub const BROADCAST: Mac = Mac([0xff; 6]);
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<[u8; 6]> for Mac {
    fn from(b: [u8; 6]) -> Self {
        Mac(b)
    }
}

/// A local radio (one hostapd BSS of this AP), as numbered by the daemon.
///
/// The number is opaque to the policy; the daemon maps it to its interface/socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RadioId(pub u16);

impl fmt::Display for RadioId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "radio{}", self.0)
    }
}

/// Frequency band of a BSS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    /// 2.4 GHz.
    G2,
    /// 5 GHz.
    G5,
    /// 6 GHz.
    G6,
}

impl Band {
    /// The band of a global operating class (IEEE 802.11 Table E-4), if it is a 2.4/5/6 GHz one.
    pub fn from_op_class(op_class: u8) -> Option<Band> {
        match op_class {
            81..=84 => Some(Band::G2),
            115..=130 => Some(Band::G5),
            131..=137 => Some(Band::G6),
            _ => None,
        }
    }

    /// The band of a BSS from its operating class, else guessed from the channel number
    /// (1-14: 2.4 GHz, otherwise 5 GHz).
    pub fn of(op_class: u8, channel: u8) -> Band {
        Band::from_op_class(op_class).unwrap_or(if (1..=14).contains(&channel) {
            Band::G2
        } else {
            Band::G5
        })
    }

    /// The band of a centre/primary frequency in MHz.
    pub fn from_freq(mhz: u32) -> Option<Band> {
        match mhz {
            2400..=2500 => Some(Band::G2),
            5935 | 5951..=7125 => Some(Band::G6),
            4900..=5930 => Some(Band::G5),
            _ => None,
        }
    }

    /// True for 5 and 6 GHz.
    pub fn is_high(self) -> bool {
        !matches!(self, Band::G2)
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Band::G2 => "2.4GHz",
            Band::G5 => "5GHz",
            Band::G6 => "6GHz",
        })
    }
}

/// The 20 MHz global operating class of a primary channel, for measuring a BSS.
///
/// A beacon request naming an 80/160 MHz class (128/129) with a primary channel is refused by
/// wpa_supplicant (it reads the channel as the segment centre, LAB.md), so the policy always
/// measures with the 20 MHz class of the primary channel. 149-161 use class 124 (known to every
/// client); 165-177 use 125. Returns `None` for a channel the band does not have.
pub fn measure_op_class(band: Band, channel: u8) -> Option<u8> {
    match band {
        Band::G2 => match channel {
            1..=13 => Some(81),
            14 => Some(82),
            _ => None,
        },
        Band::G5 => match channel {
            36..=48 => Some(115),
            52..=64 => Some(118),
            100..=144 => Some(121),
            149..=161 => Some(124),
            165..=177 => Some(125),
            _ => None,
        },
        Band::G6 => match channel {
            2 => Some(136),
            1..=233 => Some(131),
            _ => None,
        },
    }
}

/// A signal level in half-dB steps (the resolution of RCPI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Signal(i16);

impl Signal {
    /// A whole-dBm value (what nl80211 reports).
    pub const fn dbm(dbm: i8) -> Signal {
        Signal(dbm as i16 * 2)
    }

    /// A value in half-dB units (`-125` is -62.5 dBm).
    pub const fn from_half_db(half: i16) -> Signal {
        Signal(half)
    }

    /// Decodes an RCPI byte (dBm = RCPI/2 - 110 for 0..=220). Reserved values (221-254) and
    /// 255 ("not measured") give `None`.
    pub const fn from_rcpi(rcpi: u8) -> Option<Signal> {
        if rcpi <= 220 {
            Some(Signal(rcpi as i16 - 220))
        } else {
            None
        }
    }

    /// The value in half-dB units.
    pub const fn half_db(self) -> i16 {
        self.0
    }

    /// The value in dBm, rounded down to a whole dB.
    pub const fn dbm_floor(self) -> i16 {
        self.0.div_euclid(2)
    }

    /// `self` plus `db` whole decibels.
    pub const fn plus_db(self, db: i16) -> Signal {
        Signal(self.0.saturating_add(db.saturating_mul(2)))
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let half = if a % 2 == 0 { "" } else { ".5" };
        write!(f, "{sign}{}{half} dBm", a / 2)
    }
}

/// Neighbor Report subelement ID: BSS Transition Candidate Preference.
pub const SUBELEM_CANDIDATE_PREFERENCE: u8 = 3;

/// A Neighbor Report entry (the body of element 52), as written with `SET_NEIGHBOR nr=` or
/// `BSS_TM_REQ neighbor=`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NeighborEntry {
    /// BSSID of the neighbor BSS.
    pub bssid: Mac,
    /// SSID of the neighbor BSS (raw bytes, 0-32).
    pub ssid: Vec<u8>,
    /// BSSID Information (host order; little-endian on the wire).
    pub bssid_info: u32,
    /// Operating class as advertised (may be a wide class such as 128).
    pub op_class: u8,
    /// Primary channel number.
    pub channel: u8,
    /// PHY type (7 HT, 9 VHT, ...).
    pub phy: u8,
    /// Optional subelements, raw (ID, Len, data)...
    pub subelements: Vec<u8>,
}

impl NeighborEntry {
    /// Band of the BSS.
    pub fn band(&self) -> Band {
        Band::of(self.op_class, self.channel)
    }

    /// The 20 MHz operating class to measure this BSS with (see [`measure_op_class`]);
    /// falls back to the advertised class for unknown channels.
    pub fn measure_op_class(&self) -> u8 {
        measure_op_class(self.band(), self.channel).unwrap_or(self.op_class)
    }

    /// A copy carrying exactly one BSS Transition Candidate Preference subelement with `pref`
    /// (any preference subelement already present is replaced; other subelements are kept).
    /// Malformed trailing subelement bytes are dropped.
    pub fn with_preference(&self, pref: u8) -> NeighborEntry {
        let mut out = Vec::with_capacity(self.subelements.len() + 3);
        let mut rest = self.subelements.as_slice();
        while let [id, len, tail @ ..] = rest {
            let len = *len as usize;
            if tail.len() < len {
                break;
            }
            if *id != SUBELEM_CANDIDATE_PREFERENCE {
                out.push(*id);
                out.push(len as u8);
                out.extend_from_slice(&tail[..len]);
            }
            rest = &tail[len..];
        }
        out.extend_from_slice(&[SUBELEM_CANDIDATE_PREFERENCE, 1, pref]);
        NeighborEntry {
            subelements: out,
            ..self.clone()
        }
    }

    /// The candidate preference carried in the subelements, if any.
    pub fn preference(&self) -> Option<u8> {
        let mut rest = self.subelements.as_slice();
        while let [id, len, tail @ ..] = rest {
            let len = *len as usize;
            if tail.len() < len {
                return None;
            }
            if *id == SUBELEM_CANDIDATE_PREFERENCE && len == 1 {
                return tail.first().copied();
            }
            rest = &tail[len..];
        }
        None
    }

    /// The element body (BSSID, BSSID Information LE, op class, channel, PHY, subelements).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(13 + self.subelements.len());
        v.extend_from_slice(&self.bssid.0);
        v.extend_from_slice(&self.bssid_info.to_le_bytes());
        v.extend_from_slice(&[self.op_class, self.channel, self.phy]);
        v.extend_from_slice(&self.subelements);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rcpi_decoding() {
        assert_eq!(Signal::from_rcpi(130), Some(Signal::dbm(-45)));
        assert_eq!(Signal::from_rcpi(0), Some(Signal::dbm(-110)));
        assert_eq!(Signal::from_rcpi(220), Some(Signal::dbm(0)));
        assert_eq!(Signal::from_rcpi(95).map(|s| s.half_db()), Some(-125));
        assert_eq!(Signal::from_rcpi(221), None);
        assert_eq!(Signal::from_rcpi(255), None);
        assert_eq!(Signal::from_half_db(-125).to_string(), "-62.5 dBm");
        assert_eq!(Signal::dbm(-62).to_string(), "-62 dBm");
        assert_eq!(Signal::from_half_db(-125).dbm_floor(), -63);
    }

    #[test]
    fn twenty_mhz_class_of_primary_channel() {
        // The lab's 80 MHz AP on 149 advertises class 128; it must be measured as 124.
        let e = NeighborEntry {
            op_class: 128,
            channel: 149,
            ..Default::default()
        };
        assert_eq!(e.band(), Band::G5);
        assert_eq!(e.measure_op_class(), 124);
        assert_eq!(measure_op_class(Band::G5, 36), Some(115));
        assert_eq!(measure_op_class(Band::G5, 100), Some(121));
        assert_eq!(measure_op_class(Band::G5, 165), Some(125));
        assert_eq!(measure_op_class(Band::G2, 6), Some(81));
        assert_eq!(measure_op_class(Band::G2, 14), Some(82));
        assert_eq!(measure_op_class(Band::G6, 5), Some(131));
        assert_eq!(measure_op_class(Band::G5, 7), None);
        assert_eq!(Band::of(0, 6), Band::G2);
        assert_eq!(Band::of(0, 149), Band::G5);
        assert_eq!(Band::from_freq(2437), Some(Band::G2));
        assert_eq!(Band::from_freq(5180), Some(Band::G5));
        assert_eq!(Band::from_freq(5885), Some(Band::G5));
        assert_eq!(Band::from_freq(5935), Some(Band::G6));
        assert_eq!(Band::from_freq(5955), Some(Band::G6));
        assert_eq!(Band::from_freq(60480), None);
    }

    #[test]
    fn preference_subelement_replaced_not_duplicated() {
        let e = NeighborEntry {
            bssid: Mac([2, 0, 0, 0, 1, 0]),
            bssid_info: 0x19ef,
            op_class: 128,
            channel: 36,
            phy: 9,
            subelements: vec![6, 3, 2, 42, 0, 3, 1, 7],
            ..Default::default()
        };
        let p = e.with_preference(255);
        assert_eq!(p.subelements, vec![6, 3, 2, 42, 0, 3, 1, 255]);
        assert_eq!(p.preference(), Some(255));
        assert_eq!(
            p.to_bytes(),
            vec![2, 0, 0, 0, 1, 0, 0xef, 0x19, 0, 0, 128, 36, 9, 6, 3, 2, 42, 0, 3, 1, 255]
        );
        // truncated garbage is dropped rather than copied
        let bad = NeighborEntry {
            subelements: vec![6, 9, 1],
            ..e
        };
        assert_eq!(bad.with_preference(1).subelements, vec![3, 1, 1]);
    }
}
