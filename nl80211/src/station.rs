//! `NL80211_CMD_GET_STATION` requests and the `NEW_STATION` replies (PROTOCOL.md B.4).
//!
//! Decoding rules: attributes the record does not model are skipped; a duplicate, a payload
//! of the wrong length, or a missing required attribute (`IFINDEX`, `MAC`, `STA_INFO`) is an
//! error naming the attribute. Every "u8 dBm" field is read as `i8`.

use core::fmt;

use byteorder::ByteOrder;

use crate::attr::{field, mac_slot, put, walk, Attr, Field, SPECIAL};
use crate::consts::*;
use crate::error::DecodeError;
use crate::message::{encode_request, Genl, NLM_F_DUMP, NLM_F_REQUEST};

const NL80211_STA_INFO_INACTIVE_TIME: u16 = 1;
const NL80211_STA_INFO_RX_BYTES: u16 = 2;
const NL80211_STA_INFO_TX_BYTES: u16 = 3;
const NL80211_STA_INFO_SIGNAL: u16 = 7;
const NL80211_STA_INFO_TX_BITRATE: u16 = 8;
const NL80211_STA_INFO_RX_PACKETS: u16 = 9;
const NL80211_STA_INFO_TX_PACKETS: u16 = 10;
const NL80211_STA_INFO_TX_RETRIES: u16 = 11;
const NL80211_STA_INFO_TX_FAILED: u16 = 12;
const NL80211_STA_INFO_SIGNAL_AVG: u16 = 13;
const NL80211_STA_INFO_RX_BITRATE: u16 = 14;
const NL80211_STA_INFO_BSS_PARAM: u16 = 15;
const NL80211_STA_INFO_CONNECTED_TIME: u16 = 16;
const NL80211_STA_INFO_STA_FLAGS: u16 = 17;
const NL80211_STA_INFO_BEACON_LOSS: u16 = 18;
const NL80211_STA_INFO_RX_BYTES64: u16 = 23;
const NL80211_STA_INFO_TX_BYTES64: u16 = 24;
const NL80211_STA_INFO_CHAIN_SIGNAL: u16 = 25;
const NL80211_STA_INFO_CHAIN_SIGNAL_AVG: u16 = 26;
const NL80211_STA_INFO_EXPECTED_THROUGHPUT: u16 = 27;
const NL80211_STA_INFO_RX_DROP_MISC: u16 = 28;
const NL80211_STA_INFO_BEACON_RX: u16 = 29;
const NL80211_STA_INFO_BEACON_SIGNAL_AVG: u16 = 30;
const NL80211_STA_INFO_RX_DURATION: u16 = 32;
const NL80211_STA_INFO_ACK_SIGNAL: u16 = 34;
const NL80211_STA_INFO_ACK_SIGNAL_AVG: u16 = 35;
const NL80211_STA_INFO_RX_MPDUS: u16 = 36;
const NL80211_STA_INFO_FCS_ERROR_COUNT: u16 = 37;
const NL80211_STA_INFO_TX_DURATION: u16 = 39;
const NL80211_STA_INFO_ASSOC_AT_BOOTTIME: u16 = 42;

const NL80211_RATE_INFO_BITRATE: u16 = 1;
const NL80211_RATE_INFO_MCS: u16 = 2;
const NL80211_RATE_INFO_40_MHZ_WIDTH: u16 = 3;
const NL80211_RATE_INFO_SHORT_GI: u16 = 4;
const NL80211_RATE_INFO_BITRATE32: u16 = 5;
const NL80211_RATE_INFO_VHT_MCS: u16 = 6;
const NL80211_RATE_INFO_VHT_NSS: u16 = 7;
const NL80211_RATE_INFO_80_MHZ_WIDTH: u16 = 8;
const NL80211_RATE_INFO_80P80_MHZ_WIDTH: u16 = 9;
const NL80211_RATE_INFO_160_MHZ_WIDTH: u16 = 10;
const NL80211_RATE_INFO_10_MHZ_WIDTH: u16 = 11;
const NL80211_RATE_INFO_5_MHZ_WIDTH: u16 = 12;
const NL80211_RATE_INFO_HE_MCS: u16 = 13;
const NL80211_RATE_INFO_HE_NSS: u16 = 14;
const NL80211_RATE_INFO_HE_GI: u16 = 15;
const NL80211_RATE_INFO_HE_DCM: u16 = 16;
const NL80211_RATE_INFO_HE_RU_ALLOC: u16 = 17;
const NL80211_RATE_INFO_320_MHZ_WIDTH: u16 = 18;
const NL80211_RATE_INFO_EHT_MCS: u16 = 19;
const NL80211_RATE_INFO_EHT_NSS: u16 = 20;
const NL80211_RATE_INFO_EHT_GI: u16 = 21;
const NL80211_RATE_INFO_EHT_RU_ALLOC: u16 = 22;

const NL80211_STA_BSS_PARAM_CTS_PROT: u16 = 1;
const NL80211_STA_BSS_PARAM_SHORT_PREAMBLE: u16 = 2;
const NL80211_STA_BSS_PARAM_SHORT_SLOT_TIME: u16 = 3;
const NL80211_STA_BSS_PARAM_DTIM_PERIOD: u16 = 4;
const NL80211_STA_BSS_PARAM_BEACON_INTERVAL: u16 = 5;

/// One station as reported by `GET_STATION` (reply command `NL80211_CMD_NEW_STATION`).
///
/// Counters are `None` when the kernel/driver did not report them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Station {
    /// `NL80211_ATTR_IFINDEX` (required).
    pub ifindex: u32,
    /// `NL80211_ATTR_MAC` (required): the station's address (MLD address for MLO stations).
    pub mac: [u8; 6],
    /// `NL80211_ATTR_GENERATION`: changes when the station list changes.
    pub generation: Option<u32>,
    /// `INACTIVE_TIME`, milliseconds.
    pub inactive_time_ms: Option<u32>,
    /// `RX_BYTES64`, else `RX_BYTES` (32-bit, wraps).
    pub rx_bytes: Option<u64>,
    /// `TX_BYTES64`, else `TX_BYTES` (32-bit, wraps).
    pub tx_bytes: Option<u64>,
    /// `RX_PACKETS`.
    pub rx_packets: Option<u32>,
    /// `TX_PACKETS`.
    pub tx_packets: Option<u32>,
    /// `TX_RETRIES`.
    pub tx_retries: Option<u32>,
    /// `TX_FAILED`.
    pub tx_failed: Option<u32>,
    /// `BEACON_LOSS`.
    pub beacon_loss: Option<u32>,
    /// `SIGNAL`: dBm of the last received PPDU.
    pub signal_dbm: Option<i8>,
    /// `SIGNAL_AVG`: average dBm.
    pub signal_avg_dbm: Option<i8>,
    /// `CHAIN_SIGNAL`: (chain index, dBm) in kernel order.
    pub chain_signal: Vec<(u8, i8)>,
    /// `CHAIN_SIGNAL_AVG`: (chain index, dBm) in kernel order.
    pub chain_signal_avg: Vec<(u8, i8)>,
    /// `BEACON_SIGNAL_AVG`, dBm.
    pub beacon_signal_avg_dbm: Option<i8>,
    /// `ACK_SIGNAL`, dBm.
    pub ack_signal_dbm: Option<i8>,
    /// `ACK_SIGNAL_AVG`, dBm.
    pub ack_signal_avg_dbm: Option<i8>,
    /// `CONNECTED_TIME`, seconds.
    pub connected_time_s: Option<u32>,
    /// `TX_BITRATE`.
    pub tx_bitrate: Option<RateInfo>,
    /// `RX_BITRATE` (last unicast data frame).
    pub rx_bitrate: Option<RateInfo>,
    /// `STA_FLAGS`.
    pub flags: Option<StaFlags>,
    /// `BSS_PARAM`.
    pub bss_param: Option<BssParam>,
    /// `EXPECTED_THROUGHPUT`, kbit/s.
    pub expected_throughput_kbps: Option<u32>,
    /// `RX_DROP_MISC`.
    pub rx_drop_misc: Option<u64>,
    /// `BEACON_RX`.
    pub beacon_rx: Option<u64>,
    /// `RX_DURATION`, µs.
    pub rx_duration_us: Option<u64>,
    /// `TX_DURATION`, µs.
    pub tx_duration_us: Option<u64>,
    /// `RX_MPDUS`.
    pub rx_mpdus: Option<u32>,
    /// `FCS_ERROR_COUNT`.
    pub fcs_error_count: Option<u32>,
    /// `ASSOC_AT_BOOTTIME`, ns of CLOCK_BOOTTIME.
    pub assoc_at_boottime_ns: Option<u64>,
}

/// Channel width a rate was sent with (`NL80211_RATE_INFO_*_WIDTH` flags; none = 20 MHz).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum RateWidth {
    /// `5_MHZ_WIDTH`.
    Mhz5,
    /// `10_MHZ_WIDTH`.
    Mhz10,
    /// No width flag.
    #[default]
    Mhz20,
    /// `40_MHZ_WIDTH`.
    Mhz40,
    /// `80_MHZ_WIDTH`.
    Mhz80,
    /// `80P80_MHZ_WIDTH`.
    Mhz80P80,
    /// `160_MHZ_WIDTH`.
    Mhz160,
    /// `320_MHZ_WIDTH`.
    Mhz320,
}

/// A nested `NL80211_RATE_INFO_*` set (TX_BITRATE / RX_BITRATE).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateInfo {
    /// `BITRATE32`, else `BITRATE`, in 100 kbit/s.
    pub bitrate_100kbps: Option<u32>,
    /// `MCS` (HT).
    pub mcs: Option<u8>,
    /// `SHORT_GI`.
    pub short_gi: bool,
    /// Width from the width flags (the widest if several).
    pub width: RateWidth,
    /// `VHT_MCS`.
    pub vht_mcs: Option<u8>,
    /// `VHT_NSS`.
    pub vht_nss: Option<u8>,
    /// `HE_MCS`.
    pub he_mcs: Option<u8>,
    /// `HE_NSS`.
    pub he_nss: Option<u8>,
    /// `HE_GI` (0 = 0.8 µs, 1 = 1.6 µs, 2 = 3.2 µs).
    pub he_gi: Option<u8>,
    /// `HE_DCM`.
    pub he_dcm: Option<u8>,
    /// `HE_RU_ALLOC`.
    pub he_ru_alloc: Option<u8>,
    /// `EHT_MCS`.
    pub eht_mcs: Option<u8>,
    /// `EHT_NSS`.
    pub eht_nss: Option<u8>,
    /// `EHT_GI`.
    pub eht_gi: Option<u8>,
    /// `EHT_RU_ALLOC`.
    pub eht_ru_alloc: Option<u8>,
}

impl fmt::Display for RateInfo {
    /// Formats like iw's `parse_bitrate()` (station.c), e.g. `"54.0 MBit/s"`,
    /// `"144.4 MBit/s MCS 15 short GI"`, `"433.3 MBit/s VHT-MCS 9 80MHz short GI VHT-NSS 1"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.bitrate_100kbps {
            Some(r) if r > 0 => write!(f, "{}.{} MBit/s", r / 10, r % 10)?,
            _ => f.write_str("(unknown)")?,
        }
        if let Some(m) = self.mcs {
            write!(f, " MCS {m}")?;
        }
        if let Some(m) = self.vht_mcs {
            write!(f, " VHT-MCS {m}")?;
        }
        match self.width {
            RateWidth::Mhz40 => f.write_str(" 40MHz")?,
            RateWidth::Mhz80 => f.write_str(" 80MHz")?,
            RateWidth::Mhz80P80 => f.write_str(" 80P80MHz")?,
            RateWidth::Mhz160 => f.write_str(" 160MHz")?,
            RateWidth::Mhz320 => f.write_str(" 320MHz")?,
            _ => {}
        }
        if self.short_gi {
            f.write_str(" short GI")?;
        }
        let rest = [
            (" VHT-NSS", self.vht_nss),
            (" HE-MCS", self.he_mcs),
            (" HE-NSS", self.he_nss),
            (" HE-GI", self.he_gi),
            (" HE-DCM", self.he_dcm),
            (" HE-RU-ALLOC", self.he_ru_alloc),
            (" EHT-MCS", self.eht_mcs),
            (" EHT-NSS", self.eht_nss),
            (" EHT-GI", self.eht_gi),
            (" EHT-RU-ALLOC", self.eht_ru_alloc),
        ];
        for (label, v) in rest {
            if let Some(v) = v {
                write!(f, "{label} {v}")?;
            }
        }
        Ok(())
    }
}

/// `struct nl80211_sta_flag_update` from `NL80211_STA_INFO_STA_FLAGS`: a flag is known only
/// if its bit is in `mask`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StaFlags {
    /// Bits the kernel reports.
    pub mask: u32,
    /// Values of those bits.
    pub set: u32,
}

impl StaFlags {
    /// `NL80211_STA_FLAG_AUTHORIZED`.
    pub const AUTHORIZED: u32 = 1;
    /// `NL80211_STA_FLAG_SHORT_PREAMBLE`.
    pub const SHORT_PREAMBLE: u32 = 2;
    /// `NL80211_STA_FLAG_WME`.
    pub const WME: u32 = 3;
    /// `NL80211_STA_FLAG_MFP`.
    pub const MFP: u32 = 4;
    /// `NL80211_STA_FLAG_AUTHENTICATED`.
    pub const AUTHENTICATED: u32 = 5;
    /// `NL80211_STA_FLAG_TDLS_PEER`.
    pub const TDLS_PEER: u32 = 6;
    /// `NL80211_STA_FLAG_ASSOCIATED`.
    pub const ASSOCIATED: u32 = 7;

    /// The value of flag number `flag` (one of the associated consts), if reported.
    pub fn get(&self, flag: u32) -> Option<bool> {
        let bit = 1u32.checked_shl(flag)?;
        (self.mask & bit != 0).then_some(self.set & bit != 0)
    }
    /// Authorized (802.1X / 4-way handshake done).
    pub fn authorized(&self) -> Option<bool> {
        self.get(Self::AUTHORIZED)
    }
    /// Authenticated.
    pub fn authenticated(&self) -> Option<bool> {
        self.get(Self::AUTHENTICATED)
    }
    /// Associated.
    pub fn associated(&self) -> Option<bool> {
        self.get(Self::ASSOCIATED)
    }
    /// WMM/WME.
    pub fn wme(&self) -> Option<bool> {
        self.get(Self::WME)
    }
    /// Management frame protection.
    pub fn mfp(&self) -> Option<bool> {
        self.get(Self::MFP)
    }
    /// Short preamble.
    pub fn short_preamble(&self) -> Option<bool> {
        self.get(Self::SHORT_PREAMBLE)
    }
    /// TDLS peer.
    pub fn tdls_peer(&self) -> Option<bool> {
        self.get(Self::TDLS_PEER)
    }
}

/// `NL80211_STA_INFO_BSS_PARAM`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BssParam {
    /// `CTS_PROT` flag.
    pub cts_prot: bool,
    /// `SHORT_PREAMBLE` flag.
    pub short_preamble: bool,
    /// `SHORT_SLOT_TIME` flag.
    pub short_slot_time: bool,
    /// `DTIM_PERIOD`.
    pub dtim_period: Option<u8>,
    /// `BEACON_INTERVAL`, TU.
    pub beacon_interval: Option<u16>,
}

/// Encodes a `GET_STATION` dump for `ifindex` (28 bytes; what `iw dev X station dump` sends).
pub fn encode_get_stations<B: ByteOrder>(family: u16, seq: u32, ifindex: u32) -> Vec<u8> {
    encode_request::<B>(
        family,
        NLM_F_REQUEST | NLM_F_DUMP,
        seq,
        NL80211_CMD_GET_STATION,
        0,
        |w| {
            w.u32(NL80211_ATTR_IFINDEX, ifindex);
        },
    )
}

/// Encodes a `GET_STATION` for one station (`iw dev X station get MAC`).
pub fn encode_get_station<B: ByteOrder>(
    family: u16,
    seq: u32,
    ifindex: u32,
    mac: [u8; 6],
) -> Vec<u8> {
    encode_request::<B>(
        family,
        NLM_F_REQUEST,
        seq,
        NL80211_CMD_GET_STATION,
        0,
        |w| {
            w.u32(NL80211_ATTR_IFINDEX, ifindex)
                .put(NL80211_ATTR_MAC, &mac);
        },
    )
}

/// Decodes one `NEW_STATION` message (reply to GET_STATION).
pub fn decode_station<B: ByteOrder>(g: &Genl<'_>) -> Result<Station, DecodeError> {
    if g.cmd != NL80211_CMD_NEW_STATION {
        return Err(DecodeError::UnexpectedCommand {
            want: NL80211_CMD_NEW_STATION,
            got: g.cmd,
        });
    }
    decode_station_attrs::<B>(g.attrs, true)
}

/// Decodes the top-level attributes of a station message; `need_info` makes STA_INFO
/// required (events may lack it).
pub(crate) fn decode_station_attrs<B: ByteOrder>(
    buf: &[u8],
    need_info: bool,
) -> Result<Station, DecodeError> {
    const TOP: &[Field] = &[
        field(NL80211_ATTR_IFINDEX, 4, "NL80211_ATTR_IFINDEX"),
        field(NL80211_ATTR_MAC, 6, "NL80211_ATTR_MAC"),
        field(NL80211_ATTR_GENERATION, 4, "NL80211_ATTR_GENERATION"),
        field(NL80211_ATTR_STA_INFO, SPECIAL, "NL80211_ATTR_STA_INFO"),
    ];
    let mut v = [None; 4];
    let mut info = None;
    walk::<B>(buf, TOP, &mut v, &mut |_, a| {
        put(&mut info, a, "NL80211_ATTR_STA_INFO")
    })?;
    let mut s = Station {
        ifindex: v[0].ok_or(DecodeError::Missing {
            attr: "NL80211_ATTR_IFINDEX",
        })? as u32,
        mac: mac_slot(v[1].ok_or(DecodeError::Missing {
            attr: "NL80211_ATTR_MAC",
        })?),
        generation: v[2].map(|x| x as u32),
        ..Station::default()
    };
    match info {
        Some(info) => decode_sta_info::<B>(&info, &mut s)?,
        None if need_info => {
            return Err(DecodeError::Missing {
                attr: "NL80211_ATTR_STA_INFO",
            })
        }
        None => {}
    }
    Ok(s)
}

/// `STA_INFO` rows; the order is the index into the values `walk` fills.
const STA_INFO: &[Field] = &[
    field(
        NL80211_STA_INFO_INACTIVE_TIME,
        4,
        "NL80211_STA_INFO_INACTIVE_TIME",
    ),
    field(NL80211_STA_INFO_RX_BYTES, 4, "NL80211_STA_INFO_RX_BYTES"),
    field(NL80211_STA_INFO_TX_BYTES, 4, "NL80211_STA_INFO_TX_BYTES"),
    field(
        NL80211_STA_INFO_RX_BYTES64,
        8,
        "NL80211_STA_INFO_RX_BYTES64",
    ),
    field(
        NL80211_STA_INFO_TX_BYTES64,
        8,
        "NL80211_STA_INFO_TX_BYTES64",
    ),
    field(NL80211_STA_INFO_SIGNAL, 1, "NL80211_STA_INFO_SIGNAL"),
    field(
        NL80211_STA_INFO_SIGNAL_AVG,
        1,
        "NL80211_STA_INFO_SIGNAL_AVG",
    ),
    field(
        NL80211_STA_INFO_RX_PACKETS,
        4,
        "NL80211_STA_INFO_RX_PACKETS",
    ),
    field(
        NL80211_STA_INFO_TX_PACKETS,
        4,
        "NL80211_STA_INFO_TX_PACKETS",
    ),
    field(
        NL80211_STA_INFO_TX_RETRIES,
        4,
        "NL80211_STA_INFO_TX_RETRIES",
    ),
    field(NL80211_STA_INFO_TX_FAILED, 4, "NL80211_STA_INFO_TX_FAILED"),
    field(
        NL80211_STA_INFO_BEACON_LOSS,
        4,
        "NL80211_STA_INFO_BEACON_LOSS",
    ),
    field(
        NL80211_STA_INFO_CONNECTED_TIME,
        4,
        "NL80211_STA_INFO_CONNECTED_TIME",
    ),
    field(
        NL80211_STA_INFO_EXPECTED_THROUGHPUT,
        4,
        "NL80211_STA_INFO_EXPECTED_THROUGHPUT",
    ),
    field(
        NL80211_STA_INFO_RX_DROP_MISC,
        8,
        "NL80211_STA_INFO_RX_DROP_MISC",
    ),
    field(NL80211_STA_INFO_BEACON_RX, 8, "NL80211_STA_INFO_BEACON_RX"),
    field(
        NL80211_STA_INFO_BEACON_SIGNAL_AVG,
        1,
        "NL80211_STA_INFO_BEACON_SIGNAL_AVG",
    ),
    field(
        NL80211_STA_INFO_RX_DURATION,
        8,
        "NL80211_STA_INFO_RX_DURATION",
    ),
    field(
        NL80211_STA_INFO_TX_DURATION,
        8,
        "NL80211_STA_INFO_TX_DURATION",
    ),
    field(
        NL80211_STA_INFO_ACK_SIGNAL,
        1,
        "NL80211_STA_INFO_ACK_SIGNAL",
    ),
    field(
        NL80211_STA_INFO_ACK_SIGNAL_AVG,
        1,
        "NL80211_STA_INFO_ACK_SIGNAL_AVG",
    ),
    field(NL80211_STA_INFO_RX_MPDUS, 4, "NL80211_STA_INFO_RX_MPDUS"),
    field(
        NL80211_STA_INFO_FCS_ERROR_COUNT,
        4,
        "NL80211_STA_INFO_FCS_ERROR_COUNT",
    ),
    field(
        NL80211_STA_INFO_ASSOC_AT_BOOTTIME,
        8,
        "NL80211_STA_INFO_ASSOC_AT_BOOTTIME",
    ),
    field(
        NL80211_STA_INFO_STA_FLAGS,
        SPECIAL,
        "NL80211_STA_INFO_STA_FLAGS",
    ),
    field(
        NL80211_STA_INFO_TX_BITRATE,
        SPECIAL,
        "NL80211_STA_INFO_TX_BITRATE",
    ),
    field(
        NL80211_STA_INFO_RX_BITRATE,
        SPECIAL,
        "NL80211_STA_INFO_RX_BITRATE",
    ),
    field(
        NL80211_STA_INFO_BSS_PARAM,
        SPECIAL,
        "NL80211_STA_INFO_BSS_PARAM",
    ),
    field(
        NL80211_STA_INFO_CHAIN_SIGNAL,
        SPECIAL,
        "NL80211_STA_INFO_CHAIN_SIGNAL",
    ),
    field(
        NL80211_STA_INFO_CHAIN_SIGNAL_AVG,
        SPECIAL,
        "NL80211_STA_INFO_CHAIN_SIGNAL_AVG",
    ),
];

fn u32s(v: Option<u64>) -> Option<u32> {
    v.map(|x| x as u32)
}

fn i8s(v: Option<u64>) -> Option<i8> {
    v.map(|x| x as i8)
}

fn decode_sta_info<B: ByteOrder>(info: &Attr<'_>, s: &mut Station) -> Result<(), DecodeError> {
    let mut v = [None; STA_INFO.len()];
    let (mut flags, mut tx, mut rx, mut bss) = (None, None, None, None);
    let (mut chains, mut chains_avg) = (None, None);
    walk::<B>(info.payload, STA_INFO, &mut v, &mut |i, a| {
        let n = STA_INFO.get(i).map_or("", |f| f.name);
        match i {
            24 => {
                let p = a
                    .payload
                    .first_chunk::<8>()
                    .filter(|_| a.payload.len() == 8);
                let p = p.ok_or(DecodeError::BadLength {
                    attr: n,
                    len: a.payload.len(),
                    want: 8,
                })?;
                let f = StaFlags {
                    mask: B::read_u32(&p[0..4]),
                    set: B::read_u32(&p[4..8]),
                };
                put(&mut flags, f, n)
            }
            25 => put(&mut tx, decode_rate::<B>(&a)?, n),
            26 => put(&mut rx, decode_rate::<B>(&a)?, n),
            27 => put(&mut bss, decode_bss_param::<B>(&a)?, n),
            28 => put(&mut chains, decode_chains::<B>(&a, n)?, n),
            _ => put(&mut chains_avg, decode_chains::<B>(&a, n)?, n),
        }
    })?;
    s.inactive_time_ms = u32s(v[0]);
    s.signal_dbm = i8s(v[5]);
    s.signal_avg_dbm = i8s(v[6]);
    s.rx_packets = u32s(v[7]);
    s.tx_packets = u32s(v[8]);
    s.tx_retries = u32s(v[9]);
    s.tx_failed = u32s(v[10]);
    s.beacon_loss = u32s(v[11]);
    s.connected_time_s = u32s(v[12]);
    s.expected_throughput_kbps = u32s(v[13]);
    s.rx_drop_misc = v[14];
    s.beacon_rx = v[15];
    s.beacon_signal_avg_dbm = i8s(v[16]);
    s.rx_duration_us = v[17];
    s.tx_duration_us = v[18];
    s.ack_signal_dbm = i8s(v[19]);
    s.ack_signal_avg_dbm = i8s(v[20]);
    s.rx_mpdus = u32s(v[21]);
    s.fcs_error_count = u32s(v[22]);
    s.assoc_at_boottime_ns = v[23];
    s.flags = flags;
    s.tx_bitrate = tx;
    s.rx_bitrate = rx;
    s.bss_param = bss;
    // 32-bit counters wrap; the 64-bit ones win when both are present.
    s.rx_bytes = v[3].or(v[1]);
    s.tx_bytes = v[4].or(v[2]);
    s.chain_signal = chains.unwrap_or_default();
    s.chain_signal_avg = chains_avg.unwrap_or_default();
    Ok(())
}

fn decode_chains<B: ByteOrder>(
    a: &Attr<'_>,
    name: &'static str,
) -> Result<Vec<(u8, i8)>, DecodeError> {
    let mut v: Vec<(u8, i8)> = Vec::new();
    for c in a.nested::<B>() {
        let c = c?;
        // attribute type = chain index (0-based); indices beyond u8 cannot be chains: skip
        let Ok(idx) = u8::try_from(c.kind) else {
            continue;
        };
        if v.iter().any(|(i, _)| *i == idx) {
            return Err(DecodeError::Duplicate { attr: name });
        }
        v.push((idx, c.i8(name)?));
    }
    Ok(v)
}

fn decode_bss_param<B: ByteOrder>(a: &Attr<'_>) -> Result<BssParam, DecodeError> {
    const ROWS: &[Field] = &[
        field(
            NL80211_STA_BSS_PARAM_CTS_PROT,
            0,
            "NL80211_STA_BSS_PARAM_CTS_PROT",
        ),
        field(
            NL80211_STA_BSS_PARAM_SHORT_PREAMBLE,
            0,
            "NL80211_STA_BSS_PARAM_SHORT_PREAMBLE",
        ),
        field(
            NL80211_STA_BSS_PARAM_SHORT_SLOT_TIME,
            0,
            "NL80211_STA_BSS_PARAM_SHORT_SLOT_TIME",
        ),
        field(
            NL80211_STA_BSS_PARAM_DTIM_PERIOD,
            1,
            "NL80211_STA_BSS_PARAM_DTIM_PERIOD",
        ),
        field(
            NL80211_STA_BSS_PARAM_BEACON_INTERVAL,
            2,
            "NL80211_STA_BSS_PARAM_BEACON_INTERVAL",
        ),
    ];
    let mut v = [None; 5];
    walk::<B>(a.payload, ROWS, &mut v, &mut |_, _| Ok(()))?;
    Ok(BssParam {
        cts_prot: v[0].is_some(),
        short_preamble: v[1].is_some(),
        short_slot_time: v[2].is_some(),
        dtim_period: v[3].map(|x| x as u8),
        beacon_interval: v[4].map(|x| x as u16),
    })
}

/// `RATE_INFO` rows: the seven width flags first, narrowest to widest as [`RateWidth`]
/// orders them, then the values.
const RATE_INFO: &[Field] = &[
    field(
        NL80211_RATE_INFO_5_MHZ_WIDTH,
        0,
        "NL80211_RATE_INFO_5_MHZ_WIDTH",
    ),
    field(
        NL80211_RATE_INFO_10_MHZ_WIDTH,
        0,
        "NL80211_RATE_INFO_10_MHZ_WIDTH",
    ),
    field(
        NL80211_RATE_INFO_40_MHZ_WIDTH,
        0,
        "NL80211_RATE_INFO_40_MHZ_WIDTH",
    ),
    field(
        NL80211_RATE_INFO_80_MHZ_WIDTH,
        0,
        "NL80211_RATE_INFO_80_MHZ_WIDTH",
    ),
    field(
        NL80211_RATE_INFO_80P80_MHZ_WIDTH,
        0,
        "NL80211_RATE_INFO_80P80_MHZ_WIDTH",
    ),
    field(
        NL80211_RATE_INFO_160_MHZ_WIDTH,
        0,
        "NL80211_RATE_INFO_160_MHZ_WIDTH",
    ),
    field(
        NL80211_RATE_INFO_320_MHZ_WIDTH,
        0,
        "NL80211_RATE_INFO_320_MHZ_WIDTH",
    ),
    field(NL80211_RATE_INFO_BITRATE, 2, "NL80211_RATE_INFO_BITRATE"),
    field(
        NL80211_RATE_INFO_BITRATE32,
        4,
        "NL80211_RATE_INFO_BITRATE32",
    ),
    field(NL80211_RATE_INFO_SHORT_GI, 0, "NL80211_RATE_INFO_SHORT_GI"),
    field(NL80211_RATE_INFO_MCS, 1, "NL80211_RATE_INFO_MCS"),
    field(NL80211_RATE_INFO_VHT_MCS, 1, "NL80211_RATE_INFO_VHT_MCS"),
    field(NL80211_RATE_INFO_VHT_NSS, 1, "NL80211_RATE_INFO_VHT_NSS"),
    field(NL80211_RATE_INFO_HE_MCS, 1, "NL80211_RATE_INFO_HE_MCS"),
    field(NL80211_RATE_INFO_HE_NSS, 1, "NL80211_RATE_INFO_HE_NSS"),
    field(NL80211_RATE_INFO_HE_GI, 1, "NL80211_RATE_INFO_HE_GI"),
    field(NL80211_RATE_INFO_HE_DCM, 1, "NL80211_RATE_INFO_HE_DCM"),
    field(
        NL80211_RATE_INFO_HE_RU_ALLOC,
        1,
        "NL80211_RATE_INFO_HE_RU_ALLOC",
    ),
    field(NL80211_RATE_INFO_EHT_MCS, 1, "NL80211_RATE_INFO_EHT_MCS"),
    field(NL80211_RATE_INFO_EHT_NSS, 1, "NL80211_RATE_INFO_EHT_NSS"),
    field(NL80211_RATE_INFO_EHT_GI, 1, "NL80211_RATE_INFO_EHT_GI"),
    field(
        NL80211_RATE_INFO_EHT_RU_ALLOC,
        1,
        "NL80211_RATE_INFO_EHT_RU_ALLOC",
    ),
];

fn decode_rate<B: ByteOrder>(a: &Attr<'_>) -> Result<RateInfo, DecodeError> {
    let mut v = [None; RATE_INFO.len()];
    walk::<B>(a.payload, RATE_INFO, &mut v, &mut |_, _| Ok(()))?;
    // The widest width flag present (Mhz5 and Mhz10 too when alone), else 20 MHz.
    const WIDTHS: [RateWidth; 7] = [
        RateWidth::Mhz5,
        RateWidth::Mhz10,
        RateWidth::Mhz40,
        RateWidth::Mhz80,
        RateWidth::Mhz80P80,
        RateWidth::Mhz160,
        RateWidth::Mhz320,
    ];
    let mut width = RateWidth::Mhz20;
    for (w, x) in WIDTHS.iter().zip(&v) {
        if x.is_some() {
            width = *w;
        }
    }
    let u8s = |x: Option<u64>| x.map(|x| x as u8);
    Ok(RateInfo {
        bitrate_100kbps: u32s(v[8]).or(v[7].map(|x| x as u32)),
        mcs: u8s(v[10]),
        short_gi: v[9].is_some(),
        width,
        vht_mcs: u8s(v[11]),
        vht_nss: u8s(v[12]),
        he_mcs: u8s(v[13]),
        he_nss: u8s(v[14]),
        he_gi: u8s(v[15]),
        he_dcm: u8s(v[16]),
        he_ru_alloc: u8s(v[17]),
        eht_mcs: u8s(v[18]),
        eht_nss: u8s(v[19]),
        eht_gi: u8s(v[20]),
        eht_ru_alloc: u8s(v[21]),
    })
}
