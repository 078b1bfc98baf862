//! `NL80211_CMD_GET_STATION` requests and the `NEW_STATION` replies (PROTOCOL.md B.4).
//!
//! Decoding rules: attributes the record does not model are skipped; a duplicate, a payload
//! of the wrong length, or a missing required attribute (`IFINDEX`, `MAC`, `STA_INFO`) is an
//! error naming the attribute. Every "u8 dBm" field is read as `i8`.

use core::fmt;

use byteorder::ByteOrder;

use crate::attr::{attrs, put, Attr};
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
    let (mut ifindex, mut mac, mut generation, mut info) = (None, None, None, None);
    for a in attrs::<B>(buf) {
        let a = a?;
        match a.kind {
            NL80211_ATTR_IFINDEX => put(
                &mut ifindex,
                a.u32::<B>("NL80211_ATTR_IFINDEX")?,
                "NL80211_ATTR_IFINDEX",
            )?,
            NL80211_ATTR_MAC => put(&mut mac, a.mac("NL80211_ATTR_MAC")?, "NL80211_ATTR_MAC")?,
            NL80211_ATTR_GENERATION => put(
                &mut generation,
                a.u32::<B>("NL80211_ATTR_GENERATION")?,
                "NL80211_ATTR_GENERATION",
            )?,
            NL80211_ATTR_STA_INFO => put(&mut info, a, "NL80211_ATTR_STA_INFO")?,
            _ => {}
        }
    }
    let mut s = Station {
        ifindex: ifindex.ok_or(DecodeError::Missing {
            attr: "NL80211_ATTR_IFINDEX",
        })?,
        mac: mac.ok_or(DecodeError::Missing {
            attr: "NL80211_ATTR_MAC",
        })?,
        generation,
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

fn decode_sta_info<B: ByteOrder>(info: &Attr<'_>, s: &mut Station) -> Result<(), DecodeError> {
    let (mut rx32, mut tx32, mut rx64, mut tx64) = (None, None, None, None);
    let (mut chains, mut chains_avg) = (None, None);
    for a in info.nested::<B>() {
        let a = a?;
        match a.kind {
            NL80211_STA_INFO_INACTIVE_TIME => {
                let n = "NL80211_STA_INFO_INACTIVE_TIME";
                put(&mut s.inactive_time_ms, a.u32::<B>(n)?, n)?
            }
            NL80211_STA_INFO_RX_BYTES => put(
                &mut rx32,
                a.u32::<B>("NL80211_STA_INFO_RX_BYTES")?,
                "NL80211_STA_INFO_RX_BYTES",
            )?,
            NL80211_STA_INFO_TX_BYTES => put(
                &mut tx32,
                a.u32::<B>("NL80211_STA_INFO_TX_BYTES")?,
                "NL80211_STA_INFO_TX_BYTES",
            )?,
            NL80211_STA_INFO_RX_BYTES64 => put(
                &mut rx64,
                a.u64::<B>("NL80211_STA_INFO_RX_BYTES64")?,
                "NL80211_STA_INFO_RX_BYTES64",
            )?,
            NL80211_STA_INFO_TX_BYTES64 => put(
                &mut tx64,
                a.u64::<B>("NL80211_STA_INFO_TX_BYTES64")?,
                "NL80211_STA_INFO_TX_BYTES64",
            )?,
            NL80211_STA_INFO_SIGNAL => put(
                &mut s.signal_dbm,
                a.i8("NL80211_STA_INFO_SIGNAL")?,
                "NL80211_STA_INFO_SIGNAL",
            )?,
            NL80211_STA_INFO_SIGNAL_AVG => put(
                &mut s.signal_avg_dbm,
                a.i8("NL80211_STA_INFO_SIGNAL_AVG")?,
                "NL80211_STA_INFO_SIGNAL_AVG",
            )?,
            NL80211_STA_INFO_TX_BITRATE => put(
                &mut s.tx_bitrate,
                decode_rate::<B>(&a, "NL80211_STA_INFO_TX_BITRATE")?,
                "NL80211_STA_INFO_TX_BITRATE",
            )?,
            NL80211_STA_INFO_RX_BITRATE => put(
                &mut s.rx_bitrate,
                decode_rate::<B>(&a, "NL80211_STA_INFO_RX_BITRATE")?,
                "NL80211_STA_INFO_RX_BITRATE",
            )?,
            NL80211_STA_INFO_RX_PACKETS => put(
                &mut s.rx_packets,
                a.u32::<B>("NL80211_STA_INFO_RX_PACKETS")?,
                "NL80211_STA_INFO_RX_PACKETS",
            )?,
            NL80211_STA_INFO_TX_PACKETS => put(
                &mut s.tx_packets,
                a.u32::<B>("NL80211_STA_INFO_TX_PACKETS")?,
                "NL80211_STA_INFO_TX_PACKETS",
            )?,
            NL80211_STA_INFO_TX_RETRIES => put(
                &mut s.tx_retries,
                a.u32::<B>("NL80211_STA_INFO_TX_RETRIES")?,
                "NL80211_STA_INFO_TX_RETRIES",
            )?,
            NL80211_STA_INFO_TX_FAILED => put(
                &mut s.tx_failed,
                a.u32::<B>("NL80211_STA_INFO_TX_FAILED")?,
                "NL80211_STA_INFO_TX_FAILED",
            )?,
            NL80211_STA_INFO_BEACON_LOSS => put(
                &mut s.beacon_loss,
                a.u32::<B>("NL80211_STA_INFO_BEACON_LOSS")?,
                "NL80211_STA_INFO_BEACON_LOSS",
            )?,
            NL80211_STA_INFO_CONNECTED_TIME => {
                let n = "NL80211_STA_INFO_CONNECTED_TIME";
                put(&mut s.connected_time_s, a.u32::<B>(n)?, n)?
            }
            NL80211_STA_INFO_STA_FLAGS => {
                let n = "NL80211_STA_INFO_STA_FLAGS";
                let p = a
                    .payload
                    .first_chunk::<8>()
                    .filter(|_| a.payload.len() == 8);
                let p = p.ok_or(DecodeError::BadLength {
                    attr: n,
                    len: a.payload.len(),
                    want: 8,
                })?;
                put(
                    &mut s.flags,
                    StaFlags {
                        mask: B::read_u32(&p[0..4]),
                        set: B::read_u32(&p[4..8]),
                    },
                    n,
                )?
            }
            NL80211_STA_INFO_BSS_PARAM => put(
                &mut s.bss_param,
                decode_bss_param::<B>(&a)?,
                "NL80211_STA_INFO_BSS_PARAM",
            )?,
            NL80211_STA_INFO_CHAIN_SIGNAL => put(
                &mut chains,
                decode_chains::<B>(&a, "NL80211_STA_INFO_CHAIN_SIGNAL")?,
                "NL80211_STA_INFO_CHAIN_SIGNAL",
            )?,
            NL80211_STA_INFO_CHAIN_SIGNAL_AVG => put(
                &mut chains_avg,
                decode_chains::<B>(&a, "NL80211_STA_INFO_CHAIN_SIGNAL_AVG")?,
                "NL80211_STA_INFO_CHAIN_SIGNAL_AVG",
            )?,
            NL80211_STA_INFO_EXPECTED_THROUGHPUT => {
                let n = "NL80211_STA_INFO_EXPECTED_THROUGHPUT";
                put(&mut s.expected_throughput_kbps, a.u32::<B>(n)?, n)?
            }
            NL80211_STA_INFO_RX_DROP_MISC => {
                let n = "NL80211_STA_INFO_RX_DROP_MISC";
                put(&mut s.rx_drop_misc, a.u64::<B>(n)?, n)?
            }
            NL80211_STA_INFO_BEACON_RX => put(
                &mut s.beacon_rx,
                a.u64::<B>("NL80211_STA_INFO_BEACON_RX")?,
                "NL80211_STA_INFO_BEACON_RX",
            )?,
            NL80211_STA_INFO_BEACON_SIGNAL_AVG => {
                let n = "NL80211_STA_INFO_BEACON_SIGNAL_AVG";
                put(&mut s.beacon_signal_avg_dbm, a.i8(n)?, n)?
            }
            NL80211_STA_INFO_RX_DURATION => {
                let n = "NL80211_STA_INFO_RX_DURATION";
                put(&mut s.rx_duration_us, a.u64::<B>(n)?, n)?
            }
            NL80211_STA_INFO_TX_DURATION => {
                let n = "NL80211_STA_INFO_TX_DURATION";
                put(&mut s.tx_duration_us, a.u64::<B>(n)?, n)?
            }
            NL80211_STA_INFO_ACK_SIGNAL => put(
                &mut s.ack_signal_dbm,
                a.i8("NL80211_STA_INFO_ACK_SIGNAL")?,
                "NL80211_STA_INFO_ACK_SIGNAL",
            )?,
            NL80211_STA_INFO_ACK_SIGNAL_AVG => {
                let n = "NL80211_STA_INFO_ACK_SIGNAL_AVG";
                put(&mut s.ack_signal_avg_dbm, a.i8(n)?, n)?
            }
            NL80211_STA_INFO_RX_MPDUS => put(
                &mut s.rx_mpdus,
                a.u32::<B>("NL80211_STA_INFO_RX_MPDUS")?,
                "NL80211_STA_INFO_RX_MPDUS",
            )?,
            NL80211_STA_INFO_FCS_ERROR_COUNT => {
                let n = "NL80211_STA_INFO_FCS_ERROR_COUNT";
                put(&mut s.fcs_error_count, a.u32::<B>(n)?, n)?
            }
            NL80211_STA_INFO_ASSOC_AT_BOOTTIME => {
                let n = "NL80211_STA_INFO_ASSOC_AT_BOOTTIME";
                put(&mut s.assoc_at_boottime_ns, a.u64::<B>(n)?, n)?
            }
            // PAD (33), TID_STATS, mesh fields, ...: not modelled, skipped.
            _ => {}
        }
    }
    s.rx_bytes = rx64.or(rx32.map(u64::from));
    s.tx_bytes = tx64.or(tx32.map(u64::from));
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
    let (mut cts, mut pre, mut slot) = (None, None, None);
    let mut p = BssParam::default();
    for x in a.nested::<B>() {
        let x = x?;
        match x.kind {
            NL80211_STA_BSS_PARAM_CTS_PROT => {
                let n = "NL80211_STA_BSS_PARAM_CTS_PROT";
                put(&mut cts, x.flag(n)?, n)?
            }
            NL80211_STA_BSS_PARAM_SHORT_PREAMBLE => {
                let n = "NL80211_STA_BSS_PARAM_SHORT_PREAMBLE";
                put(&mut pre, x.flag(n)?, n)?
            }
            NL80211_STA_BSS_PARAM_SHORT_SLOT_TIME => {
                let n = "NL80211_STA_BSS_PARAM_SHORT_SLOT_TIME";
                put(&mut slot, x.flag(n)?, n)?
            }
            NL80211_STA_BSS_PARAM_DTIM_PERIOD => {
                let n = "NL80211_STA_BSS_PARAM_DTIM_PERIOD";
                put(&mut p.dtim_period, x.u8(n)?, n)?
            }
            NL80211_STA_BSS_PARAM_BEACON_INTERVAL => {
                let n = "NL80211_STA_BSS_PARAM_BEACON_INTERVAL";
                put(&mut p.beacon_interval, x.u16::<B>(n)?, n)?
            }
            _ => {}
        }
    }
    p.cts_prot = cts.is_some();
    p.short_preamble = pre.is_some();
    p.short_slot_time = slot.is_some();
    Ok(p)
}

fn decode_rate<B: ByteOrder>(a: &Attr<'_>, _outer: &'static str) -> Result<RateInfo, DecodeError> {
    let mut r = RateInfo::default();
    let (mut br16, mut br32, mut sgi) = (None, None, None);
    let mut widths: u32 = 0;
    for x in a.nested::<B>() {
        let x = x?;
        let width = match x.kind {
            NL80211_RATE_INFO_5_MHZ_WIDTH => {
                Some((RateWidth::Mhz5, "NL80211_RATE_INFO_5_MHZ_WIDTH"))
            }
            NL80211_RATE_INFO_10_MHZ_WIDTH => {
                Some((RateWidth::Mhz10, "NL80211_RATE_INFO_10_MHZ_WIDTH"))
            }
            NL80211_RATE_INFO_40_MHZ_WIDTH => {
                Some((RateWidth::Mhz40, "NL80211_RATE_INFO_40_MHZ_WIDTH"))
            }
            NL80211_RATE_INFO_80_MHZ_WIDTH => {
                Some((RateWidth::Mhz80, "NL80211_RATE_INFO_80_MHZ_WIDTH"))
            }
            NL80211_RATE_INFO_80P80_MHZ_WIDTH => {
                Some((RateWidth::Mhz80P80, "NL80211_RATE_INFO_80P80_MHZ_WIDTH"))
            }
            NL80211_RATE_INFO_160_MHZ_WIDTH => {
                Some((RateWidth::Mhz160, "NL80211_RATE_INFO_160_MHZ_WIDTH"))
            }
            NL80211_RATE_INFO_320_MHZ_WIDTH => {
                Some((RateWidth::Mhz320, "NL80211_RATE_INFO_320_MHZ_WIDTH"))
            }
            _ => None,
        };
        if let Some((w, n)) = width {
            x.flag(n)?;
            let bit = 1u32 << (x.kind & 31);
            if widths & bit != 0 {
                return Err(DecodeError::Duplicate { attr: n });
            }
            widths |= bit;
            if widths.count_ones() == 1 || w > r.width {
                r.width = w;
            }
            continue;
        }
        match x.kind {
            NL80211_RATE_INFO_BITRATE => put(
                &mut br16,
                x.u16::<B>("NL80211_RATE_INFO_BITRATE")?,
                "NL80211_RATE_INFO_BITRATE",
            )?,
            NL80211_RATE_INFO_BITRATE32 => put(
                &mut br32,
                x.u32::<B>("NL80211_RATE_INFO_BITRATE32")?,
                "NL80211_RATE_INFO_BITRATE32",
            )?,
            NL80211_RATE_INFO_MCS => put(
                &mut r.mcs,
                x.u8("NL80211_RATE_INFO_MCS")?,
                "NL80211_RATE_INFO_MCS",
            )?,
            NL80211_RATE_INFO_SHORT_GI => put(
                &mut sgi,
                x.flag("NL80211_RATE_INFO_SHORT_GI")?,
                "NL80211_RATE_INFO_SHORT_GI",
            )?,
            NL80211_RATE_INFO_VHT_MCS => put(
                &mut r.vht_mcs,
                x.u8("NL80211_RATE_INFO_VHT_MCS")?,
                "NL80211_RATE_INFO_VHT_MCS",
            )?,
            NL80211_RATE_INFO_VHT_NSS => put(
                &mut r.vht_nss,
                x.u8("NL80211_RATE_INFO_VHT_NSS")?,
                "NL80211_RATE_INFO_VHT_NSS",
            )?,
            NL80211_RATE_INFO_HE_MCS => put(
                &mut r.he_mcs,
                x.u8("NL80211_RATE_INFO_HE_MCS")?,
                "NL80211_RATE_INFO_HE_MCS",
            )?,
            NL80211_RATE_INFO_HE_NSS => put(
                &mut r.he_nss,
                x.u8("NL80211_RATE_INFO_HE_NSS")?,
                "NL80211_RATE_INFO_HE_NSS",
            )?,
            NL80211_RATE_INFO_HE_GI => put(
                &mut r.he_gi,
                x.u8("NL80211_RATE_INFO_HE_GI")?,
                "NL80211_RATE_INFO_HE_GI",
            )?,
            NL80211_RATE_INFO_HE_DCM => put(
                &mut r.he_dcm,
                x.u8("NL80211_RATE_INFO_HE_DCM")?,
                "NL80211_RATE_INFO_HE_DCM",
            )?,
            NL80211_RATE_INFO_HE_RU_ALLOC => put(
                &mut r.he_ru_alloc,
                x.u8("NL80211_RATE_INFO_HE_RU_ALLOC")?,
                "NL80211_RATE_INFO_HE_RU_ALLOC",
            )?,
            NL80211_RATE_INFO_EHT_MCS => put(
                &mut r.eht_mcs,
                x.u8("NL80211_RATE_INFO_EHT_MCS")?,
                "NL80211_RATE_INFO_EHT_MCS",
            )?,
            NL80211_RATE_INFO_EHT_NSS => put(
                &mut r.eht_nss,
                x.u8("NL80211_RATE_INFO_EHT_NSS")?,
                "NL80211_RATE_INFO_EHT_NSS",
            )?,
            NL80211_RATE_INFO_EHT_GI => put(
                &mut r.eht_gi,
                x.u8("NL80211_RATE_INFO_EHT_GI")?,
                "NL80211_RATE_INFO_EHT_GI",
            )?,
            NL80211_RATE_INFO_EHT_RU_ALLOC => put(
                &mut r.eht_ru_alloc,
                x.u8("NL80211_RATE_INFO_EHT_RU_ALLOC")?,
                "NL80211_RATE_INFO_EHT_RU_ALLOC",
            )?,
            _ => {}
        }
    }
    r.bitrate_100kbps = br32.or(br16.map(u32::from));
    r.short_gi = sgi.is_some();
    Ok(r)
}
