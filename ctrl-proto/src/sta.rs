//! The `STA <mac>` / `STA-FIRST` / `STA-NEXT <mac>` reply block (PROTOCOL.md A.7).

use crate::error::FieldError;
use crate::{hex, kv, Mac};

/// The `flags=` of a station (`ap_sta_flags_txt()`), as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StaFlags(pub u32);

/// Flag names in hostapd's print order; the bit of each is its index.
const FLAG_NAMES: &[&str] = &[
    "AUTH",
    "ASSOC",
    "AUTHORIZED",
    "PENDING_POLL",
    "SHORT_PREAMBLE",
    "PREAUTH",
    "WMM",
    "MFP",
    "WPS",
    "MAYBE_WPS",
    "WDS",
    "NonERP",
    "WPS2",
    "GAS",
    "HT",
    "VHT",
    "HE",
    "EHT",
    "6GHZ",
    "VENDOR_VHT",
    "WNM_SLEEP_MODE",
];

impl StaFlags {
    /// `[AUTH]`
    pub const AUTH: u32 = 1 << 0;
    /// `[ASSOC]`
    pub const ASSOC: u32 = 1 << 1;
    /// `[AUTHORIZED]`
    pub const AUTHORIZED: u32 = 1 << 2;
    /// `[PENDING_POLL` (hostapd never prints the closing bracket)
    pub const PENDING_POLL: u32 = 1 << 3;
    /// `[SHORT_PREAMBLE]`
    pub const SHORT_PREAMBLE: u32 = 1 << 4;
    /// `[PREAUTH]`
    pub const PREAUTH: u32 = 1 << 5;
    /// `[WMM]`
    pub const WMM: u32 = 1 << 6;
    /// `[MFP]`
    pub const MFP: u32 = 1 << 7;
    /// `[WPS]`
    pub const WPS: u32 = 1 << 8;
    /// `[MAYBE_WPS]`
    pub const MAYBE_WPS: u32 = 1 << 9;
    /// `[WDS]`
    pub const WDS: u32 = 1 << 10;
    /// `[NonERP]`
    pub const NON_ERP: u32 = 1 << 11;
    /// `[WPS2]`
    pub const WPS2: u32 = 1 << 12;
    /// `[GAS]`
    pub const GAS: u32 = 1 << 13;
    /// `[HT]`
    pub const HT: u32 = 1 << 14;
    /// `[VHT]`
    pub const VHT: u32 = 1 << 15;
    /// `[HE]`
    pub const HE: u32 = 1 << 16;
    /// `[EHT]`
    pub const EHT: u32 = 1 << 17;
    /// `[6GHZ]`
    pub const SIX_GHZ: u32 = 1 << 18;
    /// `[VENDOR_VHT]`
    pub const VENDOR_VHT: u32 = 1 << 19;
    /// `[WNM_SLEEP_MODE]`
    pub const WNM_SLEEP_MODE: u32 = 1 << 20;

    /// Parses the `flags=` value; unknown names are ignored.
    pub fn parse(v: &str) -> StaFlags {
        let mut bits = 0;
        for part in v.split('[') {
            let name = part.strip_suffix(']').unwrap_or(part);
            if let Some(i) = FLAG_NAMES.iter().position(|n| *n == name) {
                bits |= 1 << i;
            }
        }
        StaFlags(bits)
    }

    /// True if all bits of `mask` are set.
    pub const fn has(self, mask: u32) -> bool {
        self.0 & mask == mask
    }
}

impl core::fmt::Display for StaFlags {
    /// The `flags=` text as hostapd prints it.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for (i, n) in FLAG_NAMES.iter().enumerate() {
            if self.0 & (1 << i) != 0 {
                if 1 << i == StaFlags::PENDING_POLL {
                    write!(f, "[{}", n)?;
                } else {
                    write!(f, "[{}]", n)?;
                }
            }
        }
        Ok(())
    }
}

/// A station as hostapd reports it. Keys not modelled here are ignored; optional groups
/// (driver statistics, MIBs) are `None` when hostapd omits them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct StaInfo {
    /// Station address (first line).
    pub addr: Mac,
    /// `flags=`.
    pub flags: StaFlags,
    /// `aid=`.
    pub aid: Option<u16>,
    /// `capability=` from the (Re)Association Request.
    pub capability: Option<u16>,
    /// `listen_interval=`.
    pub listen_interval: Option<u16>,
    /// `supported_rates=` (units of 500 kbps, basic-rate bit included).
    pub supported_rates: Vec<u8>,
    /// `rx_packets=`.
    pub rx_packets: Option<u64>,
    /// `tx_packets=`.
    pub tx_packets: Option<u64>,
    /// `rx_bytes=`.
    pub rx_bytes: Option<u64>,
    /// `tx_bytes=`.
    pub tx_bytes: Option<u64>,
    /// `inactive_msec=`.
    pub inactive_msec: Option<u64>,
    /// `signal=`: last frame's signal, dBm.
    pub signal: Option<i32>,
    /// `rx_rate_info=` first number, 100 kbit/s.
    pub rx_rate: Option<u32>,
    /// `tx_rate_info=` first number, 100 kbit/s.
    pub tx_rate: Option<u32>,
    /// `last_ack_signal=`, dBm.
    pub last_ack_signal: Option<i32>,
    /// `connected_time=`, s.
    pub connected_time: Option<u64>,
    /// `supp_op_classes=` (Supported Operating Classes element body).
    pub supp_op_classes: Option<Vec<u8>>,
    /// `min_txpower=`, dBm.
    pub min_txpower: Option<i32>,
    /// `max_txpower=`, dBm.
    pub max_txpower: Option<i32>,
    /// `ht_caps_info=`.
    pub ht_caps_info: Option<u16>,
    /// `vht_caps_info=`.
    pub vht_caps_info: Option<u32>,
    /// `ext_capab=` (Extended Capabilities element body).
    pub ext_capab: Option<Vec<u8>>,
}

fn num<T: core::str::FromStr>(v: &str, k: &'static str) -> Result<T, FieldError> {
    v.parse().map_err(|_| FieldError::Bad(k))
}

fn hex_u32(v: &str, k: &'static str) -> Result<u32, FieldError> {
    let d = v
        .strip_prefix("0x")
        .or_else(|| v.strip_prefix("0X"))
        .unwrap_or(v);
    u32::from_str_radix(d, 16).map_err(|_| FieldError::Bad(k))
}

fn rate(v: &str, k: &'static str) -> Result<u32, FieldError> {
    num(v.split(' ').next().unwrap_or(""), k)
}

impl StaInfo {
    /// Parses one block. An empty text (what `STA-FIRST` / `STA-NEXT` return after the last
    /// station) is `Err(FieldError::Empty)`: use [`StaInfo::parse_opt`] in a STA-NEXT loop.
    pub fn parse(text: &str) -> Result<StaInfo, FieldError> {
        let first = text.split('\n').next().unwrap_or("");
        if text.is_empty() {
            return Err(FieldError::Empty);
        }
        let addr = Mac::parse(first).map_err(|_| FieldError::Bad("address"))?;
        let mut s = StaInfo {
            addr,
            ..StaInfo::default()
        };
        for (k, v) in kv::pairs(text) {
            match k {
                "flags" => s.flags = StaFlags::parse(v),
                "aid" => s.aid = Some(num(v, "aid")?),
                "capability" => {
                    s.capability = Some(
                        u16::try_from(hex_u32(v, "capability")?)
                            .map_err(|_| FieldError::Bad("capability"))?,
                    )
                }
                "listen_interval" => s.listen_interval = Some(num(v, "listen_interval")?),
                "supported_rates" => {
                    s.supported_rates = v
                        .split(' ')
                        .filter(|x| !x.is_empty())
                        .map(|x| u8::from_str_radix(x, 16))
                        .collect::<Result<_, _>>()
                        .map_err(|_| FieldError::Bad("supported_rates"))?
                }
                "rx_packets" => s.rx_packets = Some(num(v, "rx_packets")?),
                "tx_packets" => s.tx_packets = Some(num(v, "tx_packets")?),
                "rx_bytes" => s.rx_bytes = Some(num(v, "rx_bytes")?),
                "tx_bytes" => s.tx_bytes = Some(num(v, "tx_bytes")?),
                "inactive_msec" => s.inactive_msec = Some(num(v, "inactive_msec")?),
                "signal" => s.signal = Some(num(v, "signal")?),
                "rx_rate_info" => s.rx_rate = Some(rate(v, "rx_rate_info")?),
                "tx_rate_info" => s.tx_rate = Some(rate(v, "tx_rate_info")?),
                "last_ack_signal" => s.last_ack_signal = Some(num(v, "last_ack_signal")?),
                "connected_time" => s.connected_time = Some(num(v, "connected_time")?),
                "supp_op_classes" => {
                    s.supp_op_classes =
                        Some(hex::decode(v).map_err(|_| FieldError::Bad("supp_op_classes"))?)
                }
                "min_txpower" => s.min_txpower = Some(num(v, "min_txpower")?),
                "max_txpower" => s.max_txpower = Some(num(v, "max_txpower")?),
                "ht_caps_info" => {
                    s.ht_caps_info = Some(
                        u16::try_from(hex_u32(v, "ht_caps_info")?)
                            .map_err(|_| FieldError::Bad("ht_caps_info"))?,
                    )
                }
                "vht_caps_info" => s.vht_caps_info = Some(hex_u32(v, "vht_caps_info")?),
                "ext_capab" => {
                    s.ext_capab = Some(hex::decode(v).map_err(|_| FieldError::Bad("ext_capab"))?)
                }
                _ => {}
            }
        }
        Ok(s)
    }

    /// Like [`StaInfo::parse`], but an empty text is `Ok(None)` (no more stations).
    pub fn parse_opt(text: &str) -> Result<Option<StaInfo>, FieldError> {
        if text.is_empty() {
            Ok(None)
        } else {
            Self::parse(text).map(Some)
        }
    }

    /// Associated and authorized (what AP-STA-CONNECTED announced).
    pub fn is_authorized(&self) -> bool {
        self.flags.has(StaFlags::ASSOC | StaFlags::AUTHORIZED)
    }

    /// Capability bit 12 (Radio Measurement): the only RRM hint hostapd prints.
    pub fn rm_capable(&self) -> bool {
        self.capability.is_some_and(|c| c & 0x1000 != 0)
    }

    /// Extended Capabilities bit 19 (BSS Transition).
    pub fn bss_transition(&self) -> bool {
        self.ext_capab
            .as_deref()
            .and_then(|e| e.get(2))
            .is_some_and(|b| b & 0x08 != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_round_trip() {
        let f = StaFlags::parse("[AUTH][ASSOC][AUTHORIZED][PENDING_POLL[WMM][HT][6GHZ]");
        assert!(f.has(StaFlags::PENDING_POLL | StaFlags::WMM | StaFlags::SIX_GHZ));
        assert_eq!(
            f.to_string(),
            "[AUTH][ASSOC][AUTHORIZED][PENDING_POLL[WMM][HT][6GHZ]"
        );
        assert_eq!(StaFlags::parse("[FUTURE][HE]").to_string(), "[HE]");
    }

    #[test]
    fn errors() {
        assert_eq!(StaInfo::parse(""), Err(FieldError::Empty));
        assert_eq!(StaInfo::parse_opt(""), Ok(None));
        assert_eq!(StaInfo::parse("FAIL\n"), Err(FieldError::Bad("address")));
        assert_eq!(
            StaInfo::parse("02:00:00:00:06:00\naid=x\n"),
            Err(FieldError::Bad("aid"))
        );
        assert_eq!(
            StaInfo::parse("02:00:00:00:06:00\nht_caps_info=0x10000\n"),
            Err(FieldError::Bad("ht_caps_info"))
        );
    }
}
