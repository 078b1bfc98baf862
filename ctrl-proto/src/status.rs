//! The `STATUS` reply (PROTOCOL.md A.6), parsed into a struct.

use crate::error::FieldError;
use crate::kv;
use crate::opclass::ChanWidth;
use crate::Mac;

/// Width and centre segments of one PHY generation (`vht_oper_*`, `he_oper_*`, `eht_oper_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct OperWidth {
    /// `*_oper_chwidth`.
    pub chwidth: ChanWidth,
    /// `*_oper_centr_freq_seg0_idx`.
    pub seg0: u8,
    /// `*_oper_centr_freq_seg1_idx` (EHT prints none: 0).
    pub seg1: u8,
}

impl Default for ChanWidth {
    fn default() -> Self {
        ChanWidth::USE_HT
    }
}

/// One BSS of the radio (`bss[i]`, `bssid[i]`, `ssid[i]`, `num_sta[i]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BssStatus {
    /// Interface name (the control socket's name).
    pub ifname: String,
    /// BSSID.
    pub bssid: Mac,
    /// SSID bytes (decoded from hostapd's printf escaping).
    pub ssid: Vec<u8>,
    /// Number of stations.
    pub num_sta: u32,
}

/// The parsed `STATUS` reply. Keys this struct does not model are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Status {
    /// `state` (ENABLED, DISABLED, DFS, ...).
    pub state: String,
    /// `phy`.
    pub phy: Option<String>,
    /// `freq`: operating (primary) frequency, MHz.
    pub freq: u32,
    /// `channel`: primary channel.
    pub channel: u8,
    /// `secondary_channel`: -1, 0, +1 (0 whenever HT is off).
    pub secondary_channel: i8,
    /// `ieee80211n`.
    pub ieee80211n: bool,
    /// `ieee80211ac`.
    pub ieee80211ac: bool,
    /// `ieee80211ax` (2.9+).
    pub ieee80211ax: bool,
    /// `ieee80211be` (2.11+).
    pub ieee80211be: bool,
    /// `hw_mode` (2.11+).
    pub hw_mode: Option<String>,
    /// `country_code` (2.11+, only if set).
    pub country_code: Option<String>,
    /// `beacon_int`, TU.
    pub beacon_int: Option<u16>,
    /// `dtim_period`.
    pub dtim_period: Option<u8>,
    /// `vht_oper_*` (only with 11ac).
    pub vht: Option<OperWidth>,
    /// `he_oper_*` (only with 11ax, 2.10+).
    pub he: Option<OperWidth>,
    /// `eht_oper_*` (only with 11be, 2.11+).
    pub eht: Option<OperWidth>,
    /// `max_txpower`, dBm.
    pub max_txpower: Option<i32>,
    /// `chan_util_avg` (only if `chan_util_avg_period` is set).
    pub chan_util_avg: Option<u32>,
    /// The BSSes of this radio, by index.
    pub bss: Vec<BssStatus>,
}

fn num<T: TryFrom<i64>>(v: &str, k: &'static str) -> Result<T, FieldError> {
    kv::int(v).ok_or(FieldError::Bad(k))
}

fn once<T>(slot: &mut Option<T>, v: T, k: &'static str) -> Result<(), FieldError> {
    if slot.is_some() {
        return Err(FieldError::Duplicate(k));
    }
    *slot = Some(v);
    Ok(())
}

/// How the value of a plain STATUS key is read: text, `0`/`1`, or a decimal integer in
/// `lo..=hi` (what `kv::int` accepts for the field's type).
#[derive(Clone, Copy)]
enum Ty {
    Text,
    Flag,
    Int(i64, i64),
}

const U8: Ty = Ty::Int(0, u8::MAX as i64);
const U16: Ty = Ty::Int(0, u16::MAX as i64);
const U32: Ty = Ty::Int(0, u32::MAX as i64);
const I8: Ty = Ty::Int(i8::MIN as i64, i8::MAX as i64);
const I32: Ty = Ty::Int(i32::MIN as i64, i32::MAX as i64);

/// The plain keys, by slot index (the texts first).
const KEYS: [(&str, Ty); 23] = [
    ("state", Ty::Text),
    ("phy", Ty::Text),
    ("hw_mode", Ty::Text),
    ("country_code", Ty::Text),
    ("freq", U32),
    ("channel", U8),
    ("secondary_channel", I8),
    ("ieee80211n", Ty::Flag),
    ("ieee80211ac", Ty::Flag),
    ("ieee80211ax", Ty::Flag),
    ("ieee80211be", Ty::Flag),
    ("beacon_int", U16),
    ("dtim_period", U8),
    ("max_txpower", I32),
    ("chan_util_avg", U32),
    ("vht_oper_chwidth", U8),
    ("vht_oper_centr_freq_seg0_idx", U8),
    ("vht_oper_centr_freq_seg1_idx", U8),
    ("he_oper_chwidth", U8),
    ("he_oper_centr_freq_seg0_idx", U8),
    ("he_oper_centr_freq_seg1_idx", U8),
    ("eht_oper_chwidth", U8),
    ("eht_oper_centr_freq_seg0_idx", U8),
];

/// The value of a non-text key (flags as 0/1), as `kv::int` / `flag` would read it.
fn value(v: &str, ty: Ty, k: &'static str) -> Result<i64, FieldError> {
    match ty {
        Ty::Flag => match v {
            "0" => Ok(0),
            "1" => Ok(1),
            _ => Err(FieldError::Bad(k)),
        },
        Ty::Int(lo, hi) => {
            // `kv::int`: an unsigned type takes no minus sign at all ("-0" too).
            if lo == 0 && v.starts_with('-') {
                return Err(FieldError::Bad(k));
            }
            match kv::int::<i64>(v) {
                Some(x) if (lo..=hi).contains(&x) => Ok(x),
                _ => Err(FieldError::Bad(k)),
            }
        }
        Ty::Text => Ok(0),
    }
}

/// Splits `name[i]` into `(name, i)`.
fn indexed(key: &str) -> Option<(&str, usize)> {
    let (name, rest) = key.split_once('[')?;
    let idx = kv::int(rest.strip_suffix(']')?)?;
    Some((name, idx))
}

/// Most BSSes accepted per radio (hostapd's own limit is far lower).
const MAX_BSS: usize = 64;

#[derive(Default)]
struct PartialBss<'a> {
    ifname: Option<&'a str>,
    bssid: Option<Mac>,
    ssid: Option<Vec<u8>>,
    num_sta: Option<u32>,
}

impl Status {
    /// Parses a `STATUS` reply. Requires `state`, `freq`, `channel`, `secondary_channel`,
    /// `ieee80211n`, `ieee80211ac` and a complete `bss[0]`/`bssid[0]`/`ssid[0]`. A last BSS
    /// cut short by hostapd's reply-buffer limit is dropped.
    pub fn parse(text: &str) -> Result<Status, FieldError> {
        if text.is_empty() {
            return Err(FieldError::Empty);
        }
        let mut texts: [Option<&str>; 4] = [None; 4];
        let mut nums: [Option<i64>; KEYS.len()] = [None; KEYS.len()];
        let mut bss: Vec<PartialBss<'_>> = Vec::new();
        for (k, v) in kv::pairs(text) {
            if let Some(i) = KEYS.iter().position(|(key, _)| *key == k) {
                let Some(&(key, ty)) = KEYS.get(i) else {
                    continue;
                };
                if let Some(t) = texts.get_mut(i) {
                    once(t, v, key)?;
                } else if let Some(n) = nums.get_mut(i) {
                    let x = value(v, ty, key)?;
                    once(n, x, key)?;
                }
                continue;
            }
            let Some((name, i)) = indexed(k) else {
                continue;
            };
            let field: &'static str = match name {
                "bss" => "bss[i]",
                "bssid" => "bssid[i]",
                "ssid" => "ssid[i]",
                "num_sta" => "num_sta[i]",
                _ => continue,
            };
            if i >= MAX_BSS {
                return Err(FieldError::Bad(field));
            }
            if bss.len() <= i {
                bss.resize_with(i + 1, PartialBss::default);
            }
            let b = &mut bss[i];
            match name {
                "bss" => once(&mut b.ifname, v, field)?,
                "bssid" => once(
                    &mut b.bssid,
                    Mac::parse(v).map_err(|_| FieldError::Bad(field))?,
                    field,
                )?,
                "ssid" => once(
                    &mut b.ssid,
                    kv::printf_decode(v).ok_or(FieldError::Bad(field))?,
                    field,
                )?,
                _ => once(&mut b.num_sta, num(v, field)?, field)?,
            }
        }
        let u8s = |i: usize| nums[i].map(|x| x as u8);
        let need = |i: usize| nums[i].ok_or(FieldError::Missing(KEYS[i].0));
        let text_of = |i: usize| texts[i].map(str::to_string);
        let vht = [u8s(15), u8s(16), u8s(17)];
        let he = [u8s(18), u8s(19), u8s(20)];
        let eht = [u8s(21), u8s(22)];
        let ow = |a: [Option<u8>; 3]| -> Result<Option<OperWidth>, FieldError> {
            match a {
                [None, None, None] => Ok(None),
                [Some(w), Some(s0), s1] => Ok(Some(OperWidth {
                    chwidth: ChanWidth(w),
                    seg0: s0,
                    seg1: s1.unwrap_or(0),
                })),
                [None, ..] => Err(FieldError::Missing("*_oper_chwidth")),
                [_, None, _] => Err(FieldError::Missing("*_oper_centr_freq_seg0_idx")),
            }
        };
        // hostapd cuts STATUS at a line boundary when it exceeds its reply buffer (4 KiB up to
        // 2.11): an incomplete BSS at the very end is that cut and is dropped, one elsewhere is
        // an error.
        if bss.len() > 1
            && bss
                .last()
                .is_some_and(|b| b.ifname.is_none() || b.bssid.is_none() || b.ssid.is_none())
        {
            bss.pop();
        }
        let mut bsses = Vec::with_capacity(bss.len());
        for b in bss {
            bsses.push(BssStatus {
                ifname: b.ifname.ok_or(FieldError::Missing("bss[i]"))?.to_string(),
                bssid: b.bssid.ok_or(FieldError::Missing("bssid[i]"))?,
                ssid: b.ssid.ok_or(FieldError::Missing("ssid[i]"))?,
                num_sta: b.num_sta.unwrap_or(0),
            });
        }
        if bsses.is_empty() {
            return Err(FieldError::Missing("bss[0]"));
        }
        Ok(Status {
            state: text_of(0).ok_or(FieldError::Missing("state"))?,
            phy: text_of(1),
            freq: need(4)? as u32,
            channel: need(5)? as u8,
            secondary_channel: need(6)? as i8,
            ieee80211n: need(7)? != 0,
            ieee80211ac: need(8)? != 0,
            ieee80211ax: nums[9] == Some(1),
            ieee80211be: nums[10] == Some(1),
            hw_mode: text_of(2),
            country_code: text_of(3),
            beacon_int: nums[11].map(|x| x as u16),
            dtim_period: u8s(12),
            vht: ow(vht)?,
            he: ow(he)?,
            eht: ow([eht[0], eht[1], eht[1].map(|_| 0)])?,
            max_txpower: nums[13].map(|x| x as i32),
            chan_util_avg: nums[14].map(|x| x as u32),
            bss: bsses,
        })
    }

    fn effective(&self) -> Option<OperWidth> {
        if self.ieee80211be && self.eht.is_some() {
            self.eht
        } else if self.ieee80211ax && self.he.is_some() {
            self.he
        } else {
            self.vht
        }
    }

    /// The effective width code with hostapd's precedence (`hostapd_get_oper_chwidth()`: EHT if
    /// 11be, else HE if 11ax, else VHT); `USE_HT` (0) when none is printed.
    pub fn oper_chwidth(&self) -> ChanWidth {
        self.effective().map_or(ChanWidth::USE_HT, |o| o.chwidth)
    }

    /// The effective centre segment 0 index (same precedence), 0 when none is printed.
    pub fn oper_seg0(&self) -> u8 {
        self.effective().map_or(0, |o| o.seg0)
    }

    /// The effective centre segment 1 index (same precedence), 0 when none is printed.
    pub fn oper_seg1(&self) -> u8 {
        self.effective().map_or(0, |o| o.seg1)
    }

    /// The BSS whose interface is `ifname`.
    pub fn bss_by_ifname(&self, ifname: &str) -> Option<(usize, &BssStatus)> {
        self.bss
            .iter()
            .enumerate()
            .find(|(_, b)| b.ifname == ifname)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_and_errors() {
        let t = "state=ENABLED\nfreq=2412\nchannel=1\nsecondary_channel=0\nieee80211n=0\n\
                 ieee80211ac=0\nbss[0]=wlan0\nbssid[0]=02:00:00:00:00:00\nssid[0]=a\\x00b\n";
        let s = Status::parse(t).unwrap();
        assert_eq!(s.bss[0].ssid, b"a\0b");
        assert_eq!(s.bss[0].num_sta, 0);
        assert_eq!(s.oper_chwidth(), ChanWidth::USE_HT);
        assert_eq!(Status::parse(""), Err(FieldError::Empty));
        assert_eq!(
            Status::parse(&t.replace("freq=2412\n", "")),
            Err(FieldError::Missing("freq"))
        );
        assert_eq!(
            Status::parse(&format!("{}freq=2412\n", t)),
            Err(FieldError::Duplicate("freq"))
        );
        assert_eq!(
            Status::parse(&t.replace("ieee80211n=0", "ieee80211n=2")),
            Err(FieldError::Bad("ieee80211n"))
        );
        assert_eq!(
            Status::parse(&t.replace("bssid[0]", "bssid[1]")),
            Err(FieldError::Missing("bssid[i]"))
        );
        assert_eq!(
            Status::parse(&t.replace("bssid[0]", "bssid[99999999999999999999]")),
            Err(FieldError::Missing("bssid[i]"))
        );
        assert_eq!(
            Status::parse(&t.replace("bssid[0]", "bssid[64]")),
            Err(FieldError::Bad("bssid[i]"))
        );
        // A second BSS cut off after its bss[1]/bssid[1] lines (reply buffer full): dropped.
        let cut = format!("{}bss[1]=wlan0-1\nbssid[1]=02:00:00:00:00:01\n", t);
        assert_eq!(Status::parse(&cut).unwrap().bss.len(), 1);
        // An incomplete BSS before a complete one is an error.
        let gap = format!(
            "{}bss[2]=wlan0-2\nbssid[2]=02:00:00:00:00:02\nssid[2]=x\n",
            cut
        );
        assert_eq!(Status::parse(&gap), Err(FieldError::Missing("ssid[i]")));
    }
}
