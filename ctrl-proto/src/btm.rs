//! 802.11v BSS Transition Management status codes and MBO transition reasons.

use core::fmt;

/// BTM Response status code (`enum bss_trans_mgmt_status_code`, IEEE 802.11-2020 Table 9-428),
/// as carried in `BSS-TM-RESP ... status_code=<n>`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BtmStatus(pub u8);

impl BtmStatus {
    /// 0: the station accepts and will move (to `target_bssid`).
    pub const ACCEPT: BtmStatus = BtmStatus(0);
    /// 1: reject, unspecified.
    pub const REJECT_UNSPECIFIED: BtmStatus = BtmStatus(1);
    /// 2: reject, insufficient beacons received.
    pub const REJECT_INSUFFICIENT_BEACON: BtmStatus = BtmStatus(2);
    /// 3: reject, insufficient capacity.
    pub const REJECT_INSUFFICIENT_CAPACITY: BtmStatus = BtmStatus(3);
    /// 4: reject, BSS termination undesired.
    pub const REJECT_BSS_TERMINATION_UNDESIRED: BtmStatus = BtmStatus(4);
    /// 5: reject, BSS termination delay requested.
    pub const REJECT_BSS_TERMINATION_DELAY_REQUEST: BtmStatus = BtmStatus(5);
    /// 6: reject, the station provided its own candidate list.
    pub const REJECT_STA_BSS_TRANSITION_CANDIDATE_LIST_PROVIDED: BtmStatus = BtmStatus(6);
    /// 7: reject, no suitable candidates.
    pub const REJECT_NO_SUITABLE_CANDIDATES: BtmStatus = BtmStatus(7);
    /// 8: reject, leaving the ESS.
    pub const REJECT_LEAVING_ESS: BtmStatus = BtmStatus(8);

    /// True only for status 0.
    pub const fn is_accept(self) -> bool {
        self.0 == 0
    }

    /// Short stable name (`accept`, `reject-no-suitable-candidates`, ...); `None` for codes
    /// the standard does not define.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "accept",
            1 => "reject-unspecified",
            2 => "reject-insufficient-beacons",
            3 => "reject-insufficient-capacity",
            4 => "reject-bss-termination-undesired",
            5 => "reject-bss-termination-delay-requested",
            6 => "reject-sta-candidate-list-provided",
            7 => "reject-no-suitable-candidates",
            8 => "reject-leaving-ess",
            _ => return None,
        })
    }
}

impl fmt::Display for BtmStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{} ({})", self.0, n),
            None => write!(f, "{} (reserved)", self.0),
        }
    }
}

impl fmt::Debug for BtmStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// MBO transition reason (`enum mbo_transition_reason`) for `BSS_TM_REQ ... mbo=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum MboReason {
    /// 0
    Unspecified = 0,
    /// 1: excessive frame loss.
    FrameLoss = 1,
    /// 2: excessive delay for current traffic.
    Delay = 2,
    /// 3: insufficient bandwidth.
    Bandwidth = 3,
    /// 4: load balancing.
    LoadBalance = 4,
    /// 5: low RSSI.
    Rssi = 5,
    /// 6: excessive retransmissions.
    Retransmissions = 6,
    /// 7: high interference.
    Interference = 7,
    /// 8: gray zone.
    GrayZone = 8,
    /// 9: transition to a premium AP.
    PremiumAp = 9,
}

impl MboReason {
    /// From the numeric code, 0..=9.
    pub const fn from_u8(v: u8) -> Option<MboReason> {
        use MboReason::*;
        Some(match v {
            0 => Unspecified,
            1 => FrameLoss,
            2 => Delay,
            3 => Bandwidth,
            4 => LoadBalance,
            5 => Rssi,
            6 => Retransmissions,
            7 => Interference,
            8 => GrayZone,
            9 => PremiumAp,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        // The three codes seen in the fixtures.
        assert_eq!(BtmStatus(0).to_string(), "0 (accept)");
        assert_eq!(BtmStatus(1).name(), Some("reject-unspecified"));
        assert_eq!(BtmStatus(7).name(), Some("reject-no-suitable-candidates"));
        assert_eq!(BtmStatus(9).to_string(), "9 (reserved)");
        assert!(BtmStatus::ACCEPT.is_accept());
        assert!(!BtmStatus::REJECT_LEAVING_ESS.is_accept());
        for v in 0..=9 {
            assert_eq!(MboReason::from_u8(v).map(|r| r as u8), Some(v));
        }
        assert_eq!(MboReason::from_u8(10), None);
    }
}
