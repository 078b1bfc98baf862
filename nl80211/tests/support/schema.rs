//! Test support: an independent description of the attribute layouts (from PROTOCOL.md B and
//! the UAPI headers, not from the decoders), used to
//! - annotate captured datagrams with field names (the fixture files), and
//! - convert a captured little-endian datagram into the big-endian bytes a MIPS-BE kernel
//!   would send for the same message (headers and the integer attributes the crate reads).
#![allow(dead_code)]

use byteorder::{ByteOrder, LittleEndian};

/// Where an attribute list lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    CtrlTop,
    CtrlGroups,
    CtrlGroup,
    StaTop,
    StaInfo,
    Rate,
    BssParam,
    Chains,
    IfTop,
    WiphyTop,
    Bands,
    Band,
    Freqs,
    Freq,
    ErrTlv,
    /// Unknown nest: children are opaque.
    Opaque,
}

/// What one attribute is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Nest(&'static str, Ctx),
    /// Integer of the given byte size (1, 2, 4, 8); swapped when converting order.
    Int(&'static str, usize),
    Flag(&'static str),
    /// Two u32 (`struct nl80211_sta_flag_update`: mask, set).
    U32Pair(&'static str),
    Bytes(&'static str),
    Str(&'static str),
    /// Not modelled: kept as raw bytes (not swapped).
    Unknown,
}

pub fn child(ctx: Ctx, kind: u16) -> Item {
    use Ctx::*;
    use Item::*;
    match (ctx, kind) {
        (CtrlTop, 1) => Int("CTRL_ATTR_FAMILY_ID", 2),
        (CtrlTop, 2) => Str("CTRL_ATTR_FAMILY_NAME"),
        (CtrlTop, 3) => Int("CTRL_ATTR_VERSION", 4),
        (CtrlTop, 4) => Int("CTRL_ATTR_HDRSIZE", 4),
        (CtrlTop, 5) => Int("CTRL_ATTR_MAXATTR", 4),
        (CtrlTop, 6) => Nest("CTRL_ATTR_OPS", Opaque),
        (CtrlTop, 7) => Nest("CTRL_ATTR_MCAST_GROUPS", CtrlGroups),
        (CtrlGroups, _) => Nest("mcast group", CtrlGroup),
        (CtrlGroup, 1) => Str("CTRL_ATTR_MCAST_GRP_NAME"),
        (CtrlGroup, 2) => Int("CTRL_ATTR_MCAST_GRP_ID", 4),

        (StaTop | IfTop | WiphyTop, 1) => Int("NL80211_ATTR_WIPHY", 4),
        (WiphyTop, 2) => Str("NL80211_ATTR_WIPHY_NAME"),
        (StaTop | IfTop, 3) => Int("NL80211_ATTR_IFINDEX", 4),
        (IfTop, 4) => Str("NL80211_ATTR_IFNAME"),
        (IfTop, 5) => Int("NL80211_ATTR_IFTYPE", 4),
        (StaTop | IfTop, 6) => Bytes("NL80211_ATTR_MAC"),
        (StaTop, 21) => Nest("NL80211_ATTR_STA_INFO", StaInfo),
        (WiphyTop, 22) => Nest("NL80211_ATTR_WIPHY_BANDS", Bands),
        (IfTop, 38) => Int("NL80211_ATTR_WIPHY_FREQ", 4),
        (IfTop, 39) => Int("NL80211_ATTR_WIPHY_CHANNEL_TYPE", 4),
        (StaTop | IfTop | WiphyTop, 46) => Int("NL80211_ATTR_GENERATION", 4),
        (StaTop, 42) => Bytes("NL80211_ATTR_IE"),
        (IfTop, 52) => Bytes("NL80211_ATTR_SSID"),
        (IfTop, 83) => Int("NL80211_ATTR_4ADDR", 1),
        (IfTop, 98) => Int("NL80211_ATTR_WIPHY_TX_POWER_LEVEL", 4),
        (WiphyTop, 130) => Flag("NL80211_ATTR_SUPPORT_AP_UAPSD"),
        (StaTop | IfTop | WiphyTop, 153) => Int("NL80211_ATTR_WDEV", 8),
        (IfTop, 159) => Int("NL80211_ATTR_CHANNEL_WIDTH", 4),
        (IfTop, 160) => Int("NL80211_ATTR_CENTER_FREQ1", 4),
        (IfTop, 161) => Int("NL80211_ATTR_CENTER_FREQ2", 4),
        (StaTop | IfTop | WiphyTop, 229) => Bytes("NL80211_ATTR_PAD"),

        (StaInfo, 1) => Int("NL80211_STA_INFO_INACTIVE_TIME", 4),
        (StaInfo, 2) => Int("NL80211_STA_INFO_RX_BYTES", 4),
        (StaInfo, 3) => Int("NL80211_STA_INFO_TX_BYTES", 4),
        (StaInfo, 7) => Int("NL80211_STA_INFO_SIGNAL", 1),
        (StaInfo, 8) => Nest("NL80211_STA_INFO_TX_BITRATE", Rate),
        (StaInfo, 9) => Int("NL80211_STA_INFO_RX_PACKETS", 4),
        (StaInfo, 10) => Int("NL80211_STA_INFO_TX_PACKETS", 4),
        (StaInfo, 11) => Int("NL80211_STA_INFO_TX_RETRIES", 4),
        (StaInfo, 12) => Int("NL80211_STA_INFO_TX_FAILED", 4),
        (StaInfo, 13) => Int("NL80211_STA_INFO_SIGNAL_AVG", 1),
        (StaInfo, 14) => Nest("NL80211_STA_INFO_RX_BITRATE", Rate),
        (StaInfo, 15) => Nest("NL80211_STA_INFO_BSS_PARAM", BssParam),
        (StaInfo, 16) => Int("NL80211_STA_INFO_CONNECTED_TIME", 4),
        (StaInfo, 17) => U32Pair("NL80211_STA_INFO_STA_FLAGS"),
        (StaInfo, 18) => Int("NL80211_STA_INFO_BEACON_LOSS", 4),
        (StaInfo, 23) => Int("NL80211_STA_INFO_RX_BYTES64", 8),
        (StaInfo, 24) => Int("NL80211_STA_INFO_TX_BYTES64", 8),
        (StaInfo, 25) => Nest("NL80211_STA_INFO_CHAIN_SIGNAL", Chains),
        (StaInfo, 26) => Nest("NL80211_STA_INFO_CHAIN_SIGNAL_AVG", Chains),
        (StaInfo, 27) => Int("NL80211_STA_INFO_EXPECTED_THROUGHPUT", 4),
        (StaInfo, 28) => Int("NL80211_STA_INFO_RX_DROP_MISC", 8),
        (StaInfo, 29) => Int("NL80211_STA_INFO_BEACON_RX", 8),
        (StaInfo, 30) => Int("NL80211_STA_INFO_BEACON_SIGNAL_AVG", 1),
        (StaInfo, 31) => Nest("NL80211_STA_INFO_TID_STATS", Opaque),
        (StaInfo, 32) => Int("NL80211_STA_INFO_RX_DURATION", 8),
        (StaInfo, 33) => Bytes("NL80211_STA_INFO_PAD"),
        (StaInfo, 34) => Int("NL80211_STA_INFO_ACK_SIGNAL", 1),
        (StaInfo, 35) => Int("NL80211_STA_INFO_ACK_SIGNAL_AVG", 1),
        (StaInfo, 36) => Int("NL80211_STA_INFO_RX_MPDUS", 4),
        (StaInfo, 37) => Int("NL80211_STA_INFO_FCS_ERROR_COUNT", 4),
        (StaInfo, 39) => Int("NL80211_STA_INFO_TX_DURATION", 8),
        (StaInfo, 40) => Int("NL80211_STA_INFO_AIRTIME_WEIGHT", 2),
        (StaInfo, 42) => Int("NL80211_STA_INFO_ASSOC_AT_BOOTTIME", 8),

        (Rate, 1) => Int("NL80211_RATE_INFO_BITRATE", 2),
        (Rate, 2) => Int("NL80211_RATE_INFO_MCS", 1),
        (Rate, 3) => Flag("NL80211_RATE_INFO_40_MHZ_WIDTH"),
        (Rate, 4) => Flag("NL80211_RATE_INFO_SHORT_GI"),
        (Rate, 5) => Int("NL80211_RATE_INFO_BITRATE32", 4),
        (Rate, 6) => Int("NL80211_RATE_INFO_VHT_MCS", 1),
        (Rate, 7) => Int("NL80211_RATE_INFO_VHT_NSS", 1),
        (Rate, 8) => Flag("NL80211_RATE_INFO_80_MHZ_WIDTH"),
        (Rate, 9) => Flag("NL80211_RATE_INFO_80P80_MHZ_WIDTH"),
        (Rate, 10) => Flag("NL80211_RATE_INFO_160_MHZ_WIDTH"),
        (Rate, 11) => Flag("NL80211_RATE_INFO_10_MHZ_WIDTH"),
        (Rate, 12) => Flag("NL80211_RATE_INFO_5_MHZ_WIDTH"),
        (Rate, 13) => Int("NL80211_RATE_INFO_HE_MCS", 1),
        (Rate, 14) => Int("NL80211_RATE_INFO_HE_NSS", 1),
        (Rate, 15) => Int("NL80211_RATE_INFO_HE_GI", 1),
        (Rate, 16) => Int("NL80211_RATE_INFO_HE_DCM", 1),
        (Rate, 17) => Int("NL80211_RATE_INFO_HE_RU_ALLOC", 1),
        (Rate, 18) => Flag("NL80211_RATE_INFO_320_MHZ_WIDTH"),
        (Rate, 19) => Int("NL80211_RATE_INFO_EHT_MCS", 1),
        (Rate, 20) => Int("NL80211_RATE_INFO_EHT_NSS", 1),
        (Rate, 21) => Int("NL80211_RATE_INFO_EHT_GI", 1),
        (Rate, 22) => Int("NL80211_RATE_INFO_EHT_RU_ALLOC", 1),

        (BssParam, 1) => Flag("NL80211_STA_BSS_PARAM_CTS_PROT"),
        (BssParam, 2) => Flag("NL80211_STA_BSS_PARAM_SHORT_PREAMBLE"),
        (BssParam, 3) => Flag("NL80211_STA_BSS_PARAM_SHORT_SLOT_TIME"),
        (BssParam, 4) => Int("NL80211_STA_BSS_PARAM_DTIM_PERIOD", 1),
        (BssParam, 5) => Int("NL80211_STA_BSS_PARAM_BEACON_INTERVAL", 2),

        (Chains, _) => Int("chain", 1),

        (Bands, _) => Nest("band", Band),
        (Band, 1) => Nest("NL80211_BAND_ATTR_FREQS", Freqs),
        (Band, 2) => Nest("NL80211_BAND_ATTR_RATES", Opaque),
        (Band, 3) => Bytes("NL80211_BAND_ATTR_HT_MCS_SET"),
        (Band, 4) => Int("NL80211_BAND_ATTR_HT_CAPA", 2),
        (Band, 5) => Int("NL80211_BAND_ATTR_HT_AMPDU_FACTOR", 1),
        (Band, 6) => Int("NL80211_BAND_ATTR_HT_AMPDU_DENSITY", 1),
        (Band, 7) => Bytes("NL80211_BAND_ATTR_VHT_MCS_SET"),
        (Band, 8) => Int("NL80211_BAND_ATTR_VHT_CAPA", 4),
        (Band, 9) => Nest("NL80211_BAND_ATTR_IFTYPE_DATA", Opaque),
        (Freqs, _) => Nest("frequency", Freq),
        (Freq, 1) => Int("NL80211_FREQUENCY_ATTR_FREQ", 4),
        (Freq, 2) => Flag("NL80211_FREQUENCY_ATTR_DISABLED"),
        (Freq, 3) => Flag("NL80211_FREQUENCY_ATTR_NO_IR"),
        (Freq, 5) => Flag("NL80211_FREQUENCY_ATTR_RADAR"),
        (Freq, 6) => Int("NL80211_FREQUENCY_ATTR_MAX_TX_POWER", 4),
        (Freq, 7) => Int("NL80211_FREQUENCY_ATTR_DFS_STATE", 4),
        (Freq, 8) => Int("NL80211_FREQUENCY_ATTR_DFS_TIME", 4),
        (Freq, 13) => Int("NL80211_FREQUENCY_ATTR_DFS_CAC_TIME", 4),
        (Freq, 20) => Int("NL80211_FREQUENCY_ATTR_OFFSET", 4),

        (ErrTlv, 1) => Str("NLMSGERR_ATTR_MSG"),
        (ErrTlv, 2) => Int("NLMSGERR_ATTR_OFFS", 4),
        _ => Unknown,
    }
}

/// The top-level context of a message, from its type and genl command.
pub fn top_ctx(msg_type: u16, cmd: u8) -> Ctx {
    match (msg_type, cmd) {
        (0x10, _) => Ctx::CtrlTop,
        (_, 19 | 20) => Ctx::StaTop,
        (_, 7) => Ctx::IfTop,
        (_, 3) => Ctx::WiphyTop,
        _ => Ctx::Opaque,
    }
}

/// Parses a fixture file: hex digits, whitespace ignored, `#` starts a comment to end of line;
/// a line `== NAME` starts a new datagram. Returns (name, bytes) per datagram.
pub fn load_fixture(text: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        if let Some(name) = line.trim().strip_prefix("== ") {
            out.push((name.trim().to_string(), Vec::new()));
            continue;
        }
        let hex: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if hex.is_empty() {
            continue;
        }
        let cur = &mut out
            .last_mut()
            .expect("hex before the first `== NAME` line")
            .1;
        assert!(hex.len() % 2 == 0, "odd hex digits in {line:?}");
        for i in (0..hex.len()).step_by(2) {
            cur.push(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"));
        }
    }
    out
}

/// Writes the annotated fixture text for one datagram (host-order input `B`).
pub fn annotate<B: ByteOrder>(name: &str, d: &[u8], out: &mut String) {
    out.push_str(&format!("== {name}\n"));
    let mut off = 0;
    while off + 16 <= d.len() {
        let len = B::read_u32(&d[off..off + 4]) as usize;
        let kind = B::read_u16(&d[off + 4..off + 6]);
        let flags = B::read_u16(&d[off + 6..off + 8]);
        let seq = B::read_u32(&d[off + 8..off + 12]);
        if len < 16 || off + len > d.len() {
            line(out, 0, &d[off..], "?? bad nlmsghdr length");
            return;
        }
        line(out, 0, &d[off..off + 4], &format!("nlmsg_len {len}"));
        line(
            out,
            0,
            &d[off + 4..off + 6],
            &format!("nlmsg_type 0x{kind:x}"),
        );
        line(
            out,
            0,
            &d[off + 6..off + 8],
            &format!("nlmsg_flags 0x{flags:x}"),
        );
        line(out, 0, &d[off + 8..off + 12], &format!("nlmsg_seq {seq}"));
        line(out, 0, &d[off + 12..off + 16], "nlmsg_pid");
        let p = &d[off + 16..off + len];
        match kind {
            2 => {
                line(out, 1, &p[..4.min(p.len())], "NLMSG_ERROR error code (s32)");
                if p.len() > 4 {
                    line(
                        out,
                        1,
                        &p[4..],
                        "original request header (+ payload / ext-ack TLVs)",
                    );
                }
            }
            3 => line(out, 1, p, "NLMSG_DONE status (s32)"),
            k if k < 0x10 => line(out, 1, p, "control message payload"),
            _ if p.len() >= 4 => {
                line(
                    out,
                    1,
                    &p[..4],
                    &format!("genlmsghdr cmd {} version {}", p[0], p[1]),
                );
                attrs::<B>(&p[4..], top_ctx(kind, p[0]), 1, out);
            }
            _ => line(out, 1, p, "?? short genl payload"),
        }
        let next = (len + 3) & !3;
        if off + len < d.len() && next > len {
            line(
                out,
                0,
                &d[off + len..(off + next).min(d.len())],
                "message padding",
            );
        }
        off += next;
    }
    if off < d.len() {
        line(out, 0, &d[off..], "?? trailing bytes");
    }
}

fn line(out: &mut String, depth: usize, b: &[u8], comment: &str) {
    let ind = "  ".repeat(depth);
    // at most 32 bytes of hex per line
    for (i, c) in b.chunks(32).enumerate() {
        let hex: String = c.iter().map(|x| format!("{x:02x}")).collect();
        if i == 0 {
            out.push_str(&format!("{ind}{hex:<24} # {comment}\n"));
        } else {
            out.push_str(&format!("{ind}{hex}\n"));
        }
    }
    if b.is_empty() {
        out.push_str(&format!("{ind}{:<24} # {comment} (empty)\n", ""));
    }
}

fn attrs<B: ByteOrder>(mut b: &[u8], ctx: Ctx, depth: usize, out: &mut String) {
    while b.len() >= 4 {
        let len = B::read_u16(&b[0..2]) as usize;
        let raw = B::read_u16(&b[2..4]);
        let kind = raw & 0x3fff;
        if len < 4 || len > b.len() {
            line(out, depth, b, "?? bad nlattr length");
            return;
        }
        let payload = &b[4..len];
        let item = if ctx == Ctx::Opaque {
            Item::Unknown
        } else {
            child(ctx, kind)
        };
        let hdr = format!(
            "nla len {len} type {kind}{}",
            if raw & 0x8000 != 0 { " NESTED" } else { "" }
        );
        match item {
            Item::Nest(n, c) => {
                line(out, depth, &b[..4], &format!("{hdr}: {n}"));
                attrs::<B>(payload, c, depth + 1, out);
            }
            Item::Int(n, sz) => {
                let v = match (sz, payload.len()) {
                    (1, 1) => format!("{} (i8 {})", payload[0], payload[0] as i8),
                    (2, 2) => B::read_u16(payload).to_string(),
                    (4, 4) => format!("{} (i32 {})", B::read_u32(payload), B::read_i32(payload)),
                    (8, 8) => B::read_u64(payload).to_string(),
                    _ => "?? unexpected size".into(),
                };
                line(out, depth, &b[..len], &format!("{hdr}: {n} = {v}"));
            }
            Item::Flag(n) => line(out, depth, &b[..len], &format!("{hdr}: {n} (flag)")),
            Item::U32Pair(n) if payload.len() == 8 => {
                let (m, v) = (B::read_u32(&payload[..4]), B::read_u32(&payload[4..]));
                line(
                    out,
                    depth,
                    &b[..len],
                    &format!("{hdr}: {n} mask 0x{m:x} set 0x{v:x}"),
                );
            }
            Item::U32Pair(n) => line(out, depth, &b[..len], &format!("{hdr}: {n} ?? size")),
            Item::Bytes(n) => line(out, depth, &b[..len], &format!("{hdr}: {n}")),
            Item::Str(n) => {
                let s = String::from_utf8_lossy(payload)
                    .trim_end_matches('\0')
                    .to_string();
                line(out, depth, &b[..len], &format!("{hdr}: {n} = {s:?}"));
            }
            Item::Unknown => line(out, depth, &b[..len], &format!("{hdr}: (not modelled)")),
        }
        let next = ((len + 3) & !3).min(b.len());
        if next > len {
            line(out, depth, &b[len..next], "padding");
        }
        b = &b[next..];
    }
    if !b.is_empty() {
        line(out, depth, b, "?? trailing bytes");
    }
}

/// Converts a little-endian datagram to the big-endian bytes of the same messages: every
/// nlmsghdr, genl/nlattr header and every integer attribute known to [`child`] is swapped;
/// opaque payloads are copied.
pub fn le_to_be(d: &[u8]) -> Vec<u8> {
    let mut out = d.to_vec();
    let mut off = 0;
    while off + 16 <= d.len() {
        let len = LittleEndian::read_u32(&d[off..off + 4]) as usize;
        let kind = LittleEndian::read_u16(&d[off + 4..off + 6]);
        swap(&mut out[off..off + 4]);
        swap(&mut out[off + 4..off + 6]);
        swap(&mut out[off + 6..off + 8]);
        swap(&mut out[off + 8..off + 12]);
        swap(&mut out[off + 12..off + 16]);
        let end = (off + len).min(d.len());
        match kind {
            2 | 3 => {
                if end >= off + 20 {
                    swap(&mut out[off + 16..off + 20]);
                }
                if kind == 2 && end >= off + 36 {
                    // the echoed request header
                    let o = off + 20;
                    for (a, b) in [(0, 4), (4, 6), (6, 8), (8, 12), (12, 16)] {
                        swap(&mut out[o + a..o + b]);
                    }
                }
            }
            k if k >= 0x10 && end >= off + 20 => {
                let cmd = d[off + 16];
                swap_attrs(
                    &d[off + 20..end],
                    &mut out[off + 20..end],
                    top_ctx(kind, cmd),
                );
            }
            _ => {}
        }
        off += (len + 3) & !3;
        if len < 16 {
            break;
        }
    }
    out
}

fn swap(b: &mut [u8]) {
    b.reverse();
}

fn swap_attrs(src: &[u8], dst: &mut [u8], ctx: Ctx) {
    let mut off = 0;
    while off + 4 <= src.len() {
        let len = LittleEndian::read_u16(&src[off..off + 2]) as usize;
        let kind = LittleEndian::read_u16(&src[off + 2..off + 4]) & 0x3fff;
        swap(&mut dst[off..off + 2]);
        swap(&mut dst[off + 2..off + 4]);
        if len < 4 || off + len > src.len() {
            return;
        }
        let (ps, pd) = (&src[off + 4..off + len], &mut dst[off + 4..off + len]);
        if ctx != Ctx::Opaque {
            match child(ctx, kind) {
                Item::Nest(_, c) if c != Ctx::Opaque => swap_attrs(ps, pd, c),
                Item::Int(_, sz) if sz == ps.len() => swap(pd),
                Item::U32Pair(_) if ps.len() == 8 => {
                    swap(&mut pd[..4]);
                    swap(&mut pd[4..]);
                }
                _ => {}
            }
        }
        off += (len + 3) & !3;
    }
}
