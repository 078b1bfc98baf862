//! `NL80211_CMD_GET_INTERFACE` requests and `NEW_INTERFACE` replies (PROTOCOL.md B.5).

use byteorder::ByteOrder;

use crate::attr::{attrs, put};
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
    let mut i = Interface::default();
    let (mut ifindex, mut name, mut iftype, mut wiphy, mut ssid) = (None, None, None, None, None);
    for a in attrs::<B>(g.attrs) {
        let a = a?;
        match a.kind {
            NL80211_ATTR_IFINDEX => put(
                &mut ifindex,
                a.u32::<B>("NL80211_ATTR_IFINDEX")?,
                "NL80211_ATTR_IFINDEX",
            )?,
            NL80211_ATTR_IFNAME => put(
                &mut name,
                a.string("NL80211_ATTR_IFNAME")?.to_owned(),
                "NL80211_ATTR_IFNAME",
            )?,
            NL80211_ATTR_IFTYPE => put(
                &mut iftype,
                a.u32::<B>("NL80211_ATTR_IFTYPE")?,
                "NL80211_ATTR_IFTYPE",
            )?,
            NL80211_ATTR_WIPHY => put(
                &mut wiphy,
                a.u32::<B>("NL80211_ATTR_WIPHY")?,
                "NL80211_ATTR_WIPHY",
            )?,
            NL80211_ATTR_MAC => put(&mut i.mac, a.mac("NL80211_ATTR_MAC")?, "NL80211_ATTR_MAC")?,
            NL80211_ATTR_WDEV => put(
                &mut i.wdev,
                a.u64::<B>("NL80211_ATTR_WDEV")?,
                "NL80211_ATTR_WDEV",
            )?,
            NL80211_ATTR_GENERATION => put(
                &mut i.generation,
                a.u32::<B>("NL80211_ATTR_GENERATION")?,
                "NL80211_ATTR_GENERATION",
            )?,
            NL80211_ATTR_4ADDR => put(
                &mut i.use_4addr,
                a.u8("NL80211_ATTR_4ADDR")? != 0,
                "NL80211_ATTR_4ADDR",
            )?,
            NL80211_ATTR_WIPHY_FREQ => put(
                &mut i.frequency_mhz,
                a.u32::<B>("NL80211_ATTR_WIPHY_FREQ")?,
                "NL80211_ATTR_WIPHY_FREQ",
            )?,
            NL80211_ATTR_WIPHY_CHANNEL_TYPE => {
                let n = "NL80211_ATTR_WIPHY_CHANNEL_TYPE";
                put(&mut i.channel_type, a.u32::<B>(n)?, n)?
            }
            NL80211_ATTR_CHANNEL_WIDTH => {
                let n = "NL80211_ATTR_CHANNEL_WIDTH";
                put(&mut i.channel_width_raw, a.u32::<B>(n)?, n)?
            }
            NL80211_ATTR_CENTER_FREQ1 => put(
                &mut i.center_freq1,
                a.u32::<B>("NL80211_ATTR_CENTER_FREQ1")?,
                "NL80211_ATTR_CENTER_FREQ1",
            )?,
            NL80211_ATTR_CENTER_FREQ2 => put(
                &mut i.center_freq2,
                a.u32::<B>("NL80211_ATTR_CENTER_FREQ2")?,
                "NL80211_ATTR_CENTER_FREQ2",
            )?,
            NL80211_ATTR_SSID => {
                if a.payload.len() > 32 {
                    return Err(DecodeError::BadValue {
                        attr: "NL80211_ATTR_SSID",
                    });
                }
                put(&mut ssid, a.payload.to_vec(), "NL80211_ATTR_SSID")?
            }
            NL80211_ATTR_WIPHY_TX_POWER_LEVEL => {
                let n = "NL80211_ATTR_WIPHY_TX_POWER_LEVEL";
                put(&mut i.tx_power_mbm, a.i32::<B>(n)?, n)?
            }
            _ => {}
        }
    }
    let Some(ifindex) = ifindex else {
        return Ok(None);
    };
    i.ifindex = ifindex;
    i.name = name.ok_or(DecodeError::Missing {
        attr: "NL80211_ATTR_IFNAME",
    })?;
    i.iftype_raw = iftype.ok_or(DecodeError::Missing {
        attr: "NL80211_ATTR_IFTYPE",
    })?;
    i.wiphy = wiphy.ok_or(DecodeError::Missing {
        attr: "NL80211_ATTR_WIPHY",
    })?;
    i.ssid = ssid;
    Ok(Some(i))
}
