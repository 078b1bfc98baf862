//! `NL80211_CMD_GET_WIPHY` (split dump) and the facts roamer needs from `NEW_WIPHY`
//! (PROTOCOL.md B.6): bands with their frequencies, HT/VHT capabilities and AP U-APSD support,
//! which hostapd's own neighbor entry depends on.
//!
//! With `NL80211_ATTR_SPLIT_WIPHY_DUMP` one wiphy is spread over several messages (a band's
//! frequency list may even continue in the next message); [`WiphyFacts::merge_message`] folds
//! them together. Duplicates are checked within one message only.

use byteorder::ByteOrder;

use crate::attr::{field, put, walk, Attr, Field, ANY_LEN, SPECIAL};
use crate::consts::*;
use crate::error::DecodeError;
use crate::message::{encode_request, Genl, NLM_F_DUMP, NLM_F_REQUEST};

const NL80211_BAND_ATTR_FREQS: u16 = 1;
const NL80211_BAND_ATTR_HT_CAPA: u16 = 4;
const NL80211_BAND_ATTR_VHT_CAPA: u16 = 8;
const NL80211_BAND_ATTR_IFTYPE_DATA: u16 = 9;

const NL80211_FREQUENCY_ATTR_FREQ: u16 = 1;
const NL80211_FREQUENCY_ATTR_DISABLED: u16 = 2;
const NL80211_FREQUENCY_ATTR_NO_IR: u16 = 3;
const NL80211_FREQUENCY_ATTR_RADAR: u16 = 5;
const NL80211_FREQUENCY_ATTR_MAX_TX_POWER: u16 = 6;
const NL80211_FREQUENCY_ATTR_DFS_STATE: u16 = 7;

/// `enum nl80211_band`: the type of each `NL80211_ATTR_WIPHY_BANDS` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BandId {
    /// 0: 2.4 GHz.
    Ghz2,
    /// 1: 5 GHz.
    Ghz5,
    /// 2: 60 GHz.
    Ghz60,
    /// 3: 6 GHz.
    Ghz6,
    /// 4: S1G (sub-1 GHz).
    S1g,
    /// 5: LC (light communication).
    Lc,
    /// Anything newer.
    Other(u16),
}

impl BandId {
    /// From the attribute type.
    pub fn from_u16(v: u16) -> BandId {
        match v {
            0 => BandId::Ghz2,
            1 => BandId::Ghz5,
            2 => BandId::Ghz60,
            3 => BandId::Ghz6,
            4 => BandId::S1g,
            5 => BandId::Lc,
            o => BandId::Other(o),
        }
    }
}

/// One channel of a band (`NL80211_FREQUENCY_ATTR_*`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frequency {
    /// `FREQ`, MHz (required).
    pub mhz: u32,
    /// `DISABLED`.
    pub disabled: bool,
    /// `NO_IR` (no initiating radiation: no beaconing).
    pub no_ir: bool,
    /// `RADAR` (DFS required).
    pub radar: bool,
    /// `MAX_TX_POWER`, mBm.
    pub max_tx_power_mbm: Option<u32>,
    /// `DFS_STATE` (0 usable, 1 unavailable, 2 available).
    pub dfs_state: Option<u32>,
}

/// One band of a wiphy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// Which band.
    pub id: BandId,
    /// `NL80211_BAND_ATTR_FREQS`.
    pub freqs: Vec<Frequency>,
    /// `NL80211_BAND_ATTR_HT_CAPA` (HT Capabilities Info), if HT is supported.
    pub ht_capa: Option<u16>,
    /// `NL80211_BAND_ATTR_VHT_CAPA` (VHT Capabilities Info), if VHT is supported.
    pub vht_capa: Option<u32>,
    /// `NL80211_BAND_ATTR_IFTYPE_DATA` present (HE, and maybe EHT, capabilities exist).
    pub has_iftype_data: bool,
}

/// What roamer needs to know about a wiphy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WiphyFacts {
    /// `NL80211_ATTR_WIPHY`: phy index.
    pub index: u32,
    /// `NL80211_ATTR_WIPHY_NAME` (`phy0`).
    pub name: Option<String>,
    /// `NL80211_ATTR_WIPHY_BANDS`, merged over the split messages, sorted by band.
    pub bands: Vec<Band>,
    /// `NL80211_ATTR_SUPPORT_AP_UAPSD` flag: the driver supports U-APSD on AP interfaces
    /// (sets the APSD bit in hostapd's own BSSID Information).
    pub ap_uapsd: bool,
}

impl WiphyFacts {
    /// The band containing `mhz`, if any.
    pub fn band_of(&self, mhz: u32) -> Option<&Band> {
        self.bands
            .iter()
            .find(|b| b.freqs.iter().any(|f| f.mhz == mhz))
    }

    /// Folds one `NEW_WIPHY` message into `self`. Returns `Ok(false)` (and changes nothing)
    /// if the message belongs to another wiphy than `self.index`.
    #[inline(never)]
    pub fn merge_message<B: ByteOrder>(&mut self, g: &Genl<'_>) -> Result<bool, DecodeError> {
        let part = decode_wiphy_part::<B>(g)?;
        if part.index != self.index {
            return Ok(false);
        }
        if self.name.is_none() {
            self.name = part.name;
        }
        self.ap_uapsd |= part.ap_uapsd;
        for b in part.bands {
            match self.bands.iter_mut().find(|x| x.id == b.id) {
                Some(x) => {
                    x.freqs.extend(b.freqs);
                    x.ht_capa = x.ht_capa.or(b.ht_capa);
                    x.vht_capa = x.vht_capa.or(b.vht_capa);
                    x.has_iftype_data |= b.has_iftype_data;
                }
                None => self.bands.push(b),
            }
        }
        // A stable insertion sort by id (a wiphy has a handful of bands; `sort_by_key` is a
        // merge sort instance of its own in the binary).
        for i in 1..self.bands.len() {
            let mut j = i;
            while j > 0 && self.bands[j - 1].id > self.bands[j].id {
                self.bands.swap(j - 1, j);
                j -= 1;
            }
        }
        Ok(true)
    }
}

/// Encodes a split `GET_WIPHY` dump narrowed to phy `index` (what iw's `phy X info` sends).
pub fn encode_get_wiphy<B: ByteOrder>(family: u16, seq: u32, index: u32) -> Vec<u8> {
    encode_request::<B>(
        family,
        NLM_F_REQUEST | NLM_F_DUMP,
        seq,
        NL80211_CMD_GET_WIPHY,
        0,
        |w| {
            w.u32(NL80211_ATTR_WIPHY, index)
                .flag(NL80211_ATTR_SPLIT_WIPHY_DUMP);
        },
    )
}

/// Decodes one `NEW_WIPHY` message (one part of a split dump) on its own.
pub fn decode_wiphy_part<B: ByteOrder>(g: &Genl<'_>) -> Result<WiphyFacts, DecodeError> {
    if g.cmd != NL80211_CMD_NEW_WIPHY {
        return Err(DecodeError::UnexpectedCommand {
            want: NL80211_CMD_NEW_WIPHY,
            got: g.cmd,
        });
    }
    const ROWS: &[Field] = &[
        field(NL80211_ATTR_WIPHY, 4, "NL80211_ATTR_WIPHY"),
        field(
            NL80211_ATTR_SUPPORT_AP_UAPSD,
            0,
            "NL80211_ATTR_SUPPORT_AP_UAPSD",
        ),
        field(NL80211_ATTR_WIPHY_NAME, SPECIAL, "NL80211_ATTR_WIPHY_NAME"),
        field(
            NL80211_ATTR_WIPHY_BANDS,
            SPECIAL,
            "NL80211_ATTR_WIPHY_BANDS",
        ),
    ];
    let mut v = [None; 4];
    let (mut name, mut bands) = (None, None);
    walk::<B>(g.attrs, ROWS, &mut v, &mut |i, a| {
        if i == 2 {
            let n = "NL80211_ATTR_WIPHY_NAME";
            put(&mut name, a.string(n)?.to_owned(), n)
        } else {
            put(
                &mut bands,
                decode_bands::<B>(&a)?,
                "NL80211_ATTR_WIPHY_BANDS",
            )
        }
    })?;
    Ok(WiphyFacts {
        index: v[0].ok_or(DecodeError::Missing {
            attr: "NL80211_ATTR_WIPHY",
        })? as u32,
        name,
        bands: bands.unwrap_or_default(),
        ap_uapsd: v[1].is_some(),
    })
}

fn decode_bands<B: ByteOrder>(a: &Attr<'_>) -> Result<Vec<Band>, DecodeError> {
    const ROWS: &[Field] = &[
        field(NL80211_BAND_ATTR_HT_CAPA, 2, "NL80211_BAND_ATTR_HT_CAPA"),
        field(NL80211_BAND_ATTR_VHT_CAPA, 4, "NL80211_BAND_ATTR_VHT_CAPA"),
        field(
            NL80211_BAND_ATTR_IFTYPE_DATA,
            ANY_LEN,
            "NL80211_BAND_ATTR_IFTYPE_DATA",
        ),
        field(NL80211_BAND_ATTR_FREQS, SPECIAL, "NL80211_BAND_ATTR_FREQS"),
    ];
    let mut bands: Vec<Band> = Vec::new();
    for b in a.nested::<B>() {
        let b = b?;
        let id = BandId::from_u16(b.kind);
        if bands.iter().any(|x| x.id == id) {
            return Err(DecodeError::Duplicate {
                attr: "NL80211_ATTR_WIPHY_BANDS",
            });
        }
        let mut v = [None; 3];
        let mut freqs = None;
        walk::<B>(b.payload, ROWS, &mut v, &mut |_, x| {
            put(
                &mut freqs,
                decode_freqs::<B>(&x)?,
                "NL80211_BAND_ATTR_FREQS",
            )
        })?;
        bands.push(Band {
            id,
            freqs: freqs.unwrap_or_default(),
            ht_capa: v[0].map(|x| x as u16),
            vht_capa: v[1].map(|x| x as u32),
            has_iftype_data: v[2].is_some(),
        });
    }
    Ok(bands)
}

fn decode_freqs<B: ByteOrder>(a: &Attr<'_>) -> Result<Vec<Frequency>, DecodeError> {
    const ROWS: &[Field] = &[
        field(
            NL80211_FREQUENCY_ATTR_FREQ,
            4,
            "NL80211_FREQUENCY_ATTR_FREQ",
        ),
        field(
            NL80211_FREQUENCY_ATTR_DISABLED,
            0,
            "NL80211_FREQUENCY_ATTR_DISABLED",
        ),
        field(
            NL80211_FREQUENCY_ATTR_NO_IR,
            0,
            "NL80211_FREQUENCY_ATTR_NO_IR",
        ),
        field(
            NL80211_FREQUENCY_ATTR_RADAR,
            0,
            "NL80211_FREQUENCY_ATTR_RADAR",
        ),
        field(
            NL80211_FREQUENCY_ATTR_MAX_TX_POWER,
            4,
            "NL80211_FREQUENCY_ATTR_MAX_TX_POWER",
        ),
        field(
            NL80211_FREQUENCY_ATTR_DFS_STATE,
            4,
            "NL80211_FREQUENCY_ATTR_DFS_STATE",
        ),
    ];
    let mut freqs = Vec::new();
    for f in a.nested::<B>() {
        let f = f?;
        let mut v = [None; 6];
        walk::<B>(f.payload, ROWS, &mut v, &mut |_, _| Ok(()))?;
        freqs.push(Frequency {
            mhz: v[0].ok_or(DecodeError::Missing {
                attr: "NL80211_FREQUENCY_ATTR_FREQ",
            })? as u32,
            disabled: v[1].is_some(),
            no_ir: v[2].is_some(),
            radar: v[3].is_some(),
            max_tx_power_mbm: v[4].map(|x| x as u32),
            dfs_state: v[5].map(|x| x as u32),
        });
    }
    Ok(freqs)
}
