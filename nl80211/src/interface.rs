//! `NL80211_CMD_GET_INTERFACE` requests and `NEW_INTERFACE` replies (PROTOCOL.md B.5).

use byteorder::ByteOrder;

use crate::attr::{field, mac_slot, put, walk, Field, SPECIAL};
use crate::consts::*;
use crate::error::DecodeError;
use crate::message::{encode_request, Genl, NLM_F_DUMP, NLM_F_REQUEST};

/// `enum nl80211_iftype` (`NL80211_ATTR_IFTYPE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfType {
    /// 0 `UNSPECIFIED`.
    Unspecified,
    /// 1 `ADHOC`.
    Adhoc,
    /// 2 `STATION` (iw: "managed").
    Station,
    /// 3 `AP`.
    Ap,
    /// 4 `AP_VLAN`.
    ApVlan,
    /// 5 `WDS`.
    Wds,
    /// 6 `MONITOR`.
    Monitor,
    /// 7 `MESH_POINT`.
    MeshPoint,
    /// 8 `P2P_CLIENT`.
    P2pClient,
    /// 9 `P2P_GO`.
    P2pGo,
    /// 10 `P2P_DEVICE`.
    P2pDevice,
    /// 11 `OCB`.
    Ocb,
    /// 12 `NAN`.
    Nan,
    /// Any other value.
    Other(u32),
}

impl IfType {
    /// From the kernel value.
    pub fn from_u32(v: u32) -> IfType {
        use IfType::*;
        match v {
            0 => Unspecified,
            1 => Adhoc,
            2 => Station,
            3 => Ap,
            4 => ApVlan,
            5 => Wds,
            6 => Monitor,
            7 => MeshPoint,
            8 => P2pClient,
            9 => P2pGo,
            10 => P2pDevice,
            11 => Ocb,
            12 => Nan,
            o => Other(o),
        }
    }

    /// The name iw prints after `type` (util.c `iftype_name()`).
    pub fn iw_name(&self) -> String {
        use IfType::*;
        match self {
            Unspecified => "Unspecified".into(),
            Adhoc => "IBSS".into(),
            Station => "managed".into(),
            Ap => "AP".into(),
            ApVlan => "AP/VLAN".into(),
            Wds => "WDS".into(),
            Monitor => "monitor".into(),
            MeshPoint => "mesh point".into(),
            P2pClient => "P2P-client".into(),
            P2pGo => "P2P-GO".into(),
            P2pDevice => "P2P-device".into(),
            Ocb => "outside context of a BSS".into(),
            Nan => "NAN".into(),
            Other(v) => format!("Unknown mode ({v})"),
        }
    }
}

/// `enum nl80211_chan_width` (`NL80211_ATTR_CHANNEL_WIDTH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelWidth {
    /// 0: 20 MHz, non-HT.
    Mhz20NoHt,
    /// 1: 20 MHz HT.
    Mhz20,
    /// 2: 40 MHz.
    Mhz40,
    /// 3: 80 MHz.
    Mhz80,
    /// 4: 80+80 MHz (CENTER_FREQ2 used).
    Mhz80P80,
    /// 5: 160 MHz.
    Mhz160,
    /// 6: 5 MHz.
    Mhz5,
    /// 7: 10 MHz.
    Mhz10,
    /// 13: 320 MHz.
    Mhz320,
    /// 8-12 (S1G) and anything newer.
    Other(u32),
}

impl ChannelWidth {
    /// From the kernel value.
    pub fn from_u32(v: u32) -> ChannelWidth {
        use ChannelWidth::*;
        match v {
            0 => Mhz20NoHt,
            1 => Mhz20,
            2 => Mhz40,
            3 => Mhz80,
            4 => Mhz80P80,
            5 => Mhz160,
            6 => Mhz5,
            7 => Mhz10,
            13 => Mhz320,
            o => Other(o),
        }
    }

    /// Width in MHz as iw prints it (`width: 80 MHz`), `None` for S1G/unknown.
    pub fn mhz(&self) -> Option<u32> {
        use ChannelWidth::*;
        Some(match self {
            Mhz20NoHt | Mhz20 => 20,
            Mhz40 => 40,
            Mhz80 | Mhz80P80 => 80,
            Mhz160 => 160,
            Mhz5 => 5,
            Mhz10 => 10,
            Mhz320 => 320,
            Other(_) => return None,
        })
    }
}

/// One interface as reported by `GET_INTERFACE` (reply command `NEW_INTERFACE`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interface {
    /// `NL80211_ATTR_IFINDEX` (required here; wdevs without a netdev are skipped in dumps).
    pub ifindex: u32,
    /// `NL80211_ATTR_IFNAME`.
    pub name: String,
    /// `NL80211_ATTR_IFTYPE` (raw; see [`IfType::from_u32`] / [`Interface::iftype`]).
    pub iftype_raw: u32,
    /// `NL80211_ATTR_MAC`: the interface address (the BSSID for an AP).
    pub mac: Option<[u8; 6]>,
    /// `NL80211_ATTR_WIPHY`: phy index.
    pub wiphy: u32,
    /// `NL80211_ATTR_WDEV`.
    pub wdev: Option<u64>,
    /// `NL80211_ATTR_GENERATION`.
    pub generation: Option<u32>,
    /// `NL80211_ATTR_4ADDR`.
    pub use_4addr: Option<bool>,
    /// `NL80211_ATTR_WIPHY_FREQ`: control (primary) channel, MHz.
    pub frequency_mhz: Option<u32>,
    /// `NL80211_ATTR_WIPHY_CHANNEL_TYPE` (legacy, 20/40 MHz only).
    pub channel_type: Option<u32>,
    /// `NL80211_ATTR_CHANNEL_WIDTH` (raw; see [`ChannelWidth::from_u32`]).
    pub channel_width_raw: Option<u32>,
    /// `NL80211_ATTR_CENTER_FREQ1`, MHz.
    pub center_freq1: Option<u32>,
    /// `NL80211_ATTR_CENTER_FREQ2`, MHz (80+80 only).
    pub center_freq2: Option<u32>,
    /// `NL80211_ATTR_SSID` (raw bytes; an AP once beaconing).
    pub ssid: Option<Vec<u8>>,
    /// `NL80211_ATTR_WIPHY_TX_POWER_LEVEL`, mBm (dBm × 100).
    pub tx_power_mbm: Option<i32>,
}

impl Interface {
    /// The interface type.
    pub fn iftype(&self) -> IfType {
        IfType::from_u32(self.iftype_raw)
    }
    /// The channel width, if a channel is reported.
    pub fn channel_width(&self) -> Option<ChannelWidth> {
        self.channel_width_raw.map(ChannelWidth::from_u32)
    }
}

/// Encodes `GET_INTERFACE` for one interface.
pub fn encode_get_interface<B: ByteOrder>(family: u16, seq: u32, ifindex: u32) -> Vec<u8> {
    encode_request::<B>(
        family,
        NLM_F_REQUEST,
        seq,
        NL80211_CMD_GET_INTERFACE,
        0,
        |w| {
            w.u32(NL80211_ATTR_IFINDEX, ifindex);
        },
    )
}

/// Encodes a `GET_INTERFACE` dump (all interfaces).
pub fn encode_get_interfaces<B: ByteOrder>(family: u16, seq: u32) -> Vec<u8> {
    encode_request::<B>(
        family,
        NLM_F_REQUEST | NLM_F_DUMP,
        seq,
        NL80211_CMD_GET_INTERFACE,
        0,
        |_| {},
    )
}

/// Decodes one `NEW_INTERFACE` message. Returns `Ok(None)` for a wireless device without a
/// netdev (no `NL80211_ATTR_IFINDEX`, e.g. a P2P-device), which interface dumps skip.
pub fn decode_interface<B: ByteOrder>(g: &Genl<'_>) -> Result<Option<Interface>, DecodeError> {
    if g.cmd != NL80211_CMD_NEW_INTERFACE {
        return Err(DecodeError::UnexpectedCommand {
            want: NL80211_CMD_NEW_INTERFACE,
            got: g.cmd,
        });
    }
    const ROWS: &[Field] = &[
        field(NL80211_ATTR_IFINDEX, 4, "NL80211_ATTR_IFINDEX"),
        field(NL80211_ATTR_IFTYPE, 4, "NL80211_ATTR_IFTYPE"),
        field(NL80211_ATTR_WIPHY, 4, "NL80211_ATTR_WIPHY"),
        field(NL80211_ATTR_MAC, 6, "NL80211_ATTR_MAC"),
        field(NL80211_ATTR_WDEV, 8, "NL80211_ATTR_WDEV"),
        field(NL80211_ATTR_GENERATION, 4, "NL80211_ATTR_GENERATION"),
        field(NL80211_ATTR_4ADDR, 1, "NL80211_ATTR_4ADDR"),
        field(NL80211_ATTR_WIPHY_FREQ, 4, "NL80211_ATTR_WIPHY_FREQ"),
        field(
            NL80211_ATTR_WIPHY_CHANNEL_TYPE,
            4,
            "NL80211_ATTR_WIPHY_CHANNEL_TYPE",
        ),
        field(NL80211_ATTR_CHANNEL_WIDTH, 4, "NL80211_ATTR_CHANNEL_WIDTH"),
        field(NL80211_ATTR_CENTER_FREQ1, 4, "NL80211_ATTR_CENTER_FREQ1"),
        field(NL80211_ATTR_CENTER_FREQ2, 4, "NL80211_ATTR_CENTER_FREQ2"),
        field(
            NL80211_ATTR_WIPHY_TX_POWER_LEVEL,
            4,
            "NL80211_ATTR_WIPHY_TX_POWER_LEVEL",
        ),
        field(NL80211_ATTR_IFNAME, SPECIAL, "NL80211_ATTR_IFNAME"),
        field(NL80211_ATTR_SSID, SPECIAL, "NL80211_ATTR_SSID"),
    ];
    let mut v = [None; ROWS.len()];
    let (mut name, mut ssid) = (None, None);
    walk::<B>(g.attrs, ROWS, &mut v, &mut |i, a| {
        if i == 13 {
            let n = "NL80211_ATTR_IFNAME";
            put(&mut name, a.string(n)?.to_owned(), n)
        } else {
            let n = "NL80211_ATTR_SSID";
            if a.payload.len() > 32 {
                return Err(DecodeError::BadValue { attr: n });
            }
            put(&mut ssid, a.payload.to_vec(), n)
        }
    })?;
    let Some(ifindex) = v[0] else {
        return Ok(None);
    };
    let u32s = |x: Option<u64>| x.map(|x| x as u32);
    Ok(Some(Interface {
        ifindex: ifindex as u32,
        name: name.ok_or(DecodeError::Missing {
            attr: "NL80211_ATTR_IFNAME",
        })?,
        iftype_raw: v[1].ok_or(DecodeError::Missing {
            attr: "NL80211_ATTR_IFTYPE",
        })? as u32,
        wiphy: v[2].ok_or(DecodeError::Missing {
            attr: "NL80211_ATTR_WIPHY",
        })? as u32,
        mac: v[3].map(mac_slot),
        wdev: v[4],
        generation: u32s(v[5]),
        use_4addr: v[6].map(|x| x != 0),
        frequency_mhz: u32s(v[7]),
        channel_type: u32s(v[8]),
        channel_width_raw: u32s(v[9]),
        center_freq1: u32s(v[10]),
        center_freq2: u32s(v[11]),
        ssid,
        tx_power_mbm: v[12].map(|x| x as i32),
    }))
}
