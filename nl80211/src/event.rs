//! Station events from the nl80211 `mlme` multicast group (PROTOCOL.md B.3).

use byteorder::ByteOrder;

use crate::consts::*;
use crate::error::DecodeError;
use crate::message::Genl;
use crate::station::decode_station_attrs;

/// A station appeared or disappeared in the kernel's station table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StationEvent {
    /// `NL80211_CMD_NEW_STATION`: the station was inserted (before the 4-way handshake, so
    /// not yet "connected"; hostapd's AP-STA-CONNECTED says that).
    New {
        /// `NL80211_ATTR_IFINDEX`.
        ifindex: u32,
        /// `NL80211_ATTR_MAC`.
        mac: [u8; 6],
    },
    /// `NL80211_CMD_DEL_STATION`: the station was removed.
    Del {
        /// `NL80211_ATTR_IFINDEX`.
        ifindex: u32,
        /// `NL80211_ATTR_MAC`.
        mac: [u8; 6],
    },
}

/// Decodes a multicast message: `Ok(Some(..))` for NEW/DEL_STATION, `Ok(None)` for any other
/// command of the group (CH_SWITCH_NOTIFY, FRAME, ...), which the caller ignores.
pub fn decode_station_event<B: ByteOrder>(
    g: &Genl<'_>,
) -> Result<Option<StationEvent>, DecodeError> {
    let new = match g.cmd {
        NL80211_CMD_NEW_STATION => true,
        NL80211_CMD_DEL_STATION => false,
        _ => return Ok(None),
    };
    // STA_INFO is optional in events (mostly zero for NEW; kernel-dependent for DEL).
    let s = decode_station_attrs::<B>(g.attrs, false)?;
    Ok(Some(if new {
        StationEvent::New {
            ifindex: s.ifindex,
            mac: s.mac,
        }
    } else {
        StationEvent::Del {
            ifindex: s.ifindex,
            mac: s.mac,
        }
    }))
}
