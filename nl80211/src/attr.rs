//! Netlink attributes (`struct nlattr`): a borrowing iterator, typed getters that check the
//! payload length, and an emitter.
//!
//! Layout: `len: u16` (header + payload, without padding), `type: u16` (bit 15 NLA_F_NESTED,
//! bit 14 NLA_F_NET_BYTEORDER), payload, padding to 4 bytes. All integers are in the byte order
//! `B` (host order in production; nl80211 never sets NLA_F_NET_BYTEORDER).

use core::marker::PhantomData;

use byteorder::ByteOrder;

use crate::error::DecodeError;

/// `NLA_F_NESTED`.
pub const NLA_F_NESTED: u16 = 0x8000;
/// `NLA_F_NET_BYTEORDER`.
pub const NLA_F_NET_BYTEORDER: u16 = 0x4000;
/// Mask that removes both flag bits from the attribute type.
pub const NLA_TYPE_MASK: u16 = 0x3fff;
/// Size of `struct nlattr`.
pub const NLA_HDRLEN: usize = 4;

/// Rounds `len` up to the netlink alignment (4).
pub const fn align4(len: usize) -> usize {
    (len + 3) & !3
}

/// One attribute, borrowed from the receive buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr<'a> {
    /// Attribute type with NLA_F_NESTED / NLA_F_NET_BYTEORDER masked off.
    pub kind: u16,
    /// Raw type field including the flag bits.
    pub raw_kind: u16,
    /// Payload (without header and padding).
    pub payload: &'a [u8],
}

impl<'a> Attr<'a> {
    fn want(&self, name: &'static str, want: usize) -> Result<&'a [u8], DecodeError> {
        if self.payload.len() == want {
            Ok(self.payload)
        } else {
            Err(DecodeError::BadLength {
                attr: name,
                len: self.payload.len(),
                want,
            })
        }
    }

    /// A flag attribute (no payload).
    pub fn flag(&self, name: &'static str) -> Result<(), DecodeError> {
        self.want(name, 0).map(|_| ())
    }

    /// A `u8` attribute.
    pub fn u8(&self, name: &'static str) -> Result<u8, DecodeError> {
        Ok(self.want(name, 1)?[0])
    }

    /// An `s8` attribute, or a `u8` the kernel uses for dBm (`SIGNAL`, `SIGNAL_AVG`, ...).
    pub fn i8(&self, name: &'static str) -> Result<i8, DecodeError> {
        Ok(self.u8(name)? as i8)
    }

    /// A `u16` attribute in byte order `B`.
    pub fn u16<B: ByteOrder>(&self, name: &'static str) -> Result<u16, DecodeError> {
        Ok(B::read_u16(self.want(name, 2)?))
    }

    /// A `u32` attribute in byte order `B`.
    pub fn u32<B: ByteOrder>(&self, name: &'static str) -> Result<u32, DecodeError> {
        Ok(B::read_u32(self.want(name, 4)?))
    }

    /// An `s32` attribute in byte order `B`.
    pub fn i32<B: ByteOrder>(&self, name: &'static str) -> Result<i32, DecodeError> {
        Ok(B::read_i32(self.want(name, 4)?))
    }

    /// A `u64` attribute in byte order `B` (read unaligned: the payload is only 4-aligned).
    pub fn u64<B: ByteOrder>(&self, name: &'static str) -> Result<u64, DecodeError> {
        Ok(B::read_u64(self.want(name, 8)?))
    }

    /// A 6-byte MAC address.
    pub fn mac(&self, name: &'static str) -> Result<[u8; 6], DecodeError> {
        let p = self.want(name, 6)?;
        let mut m = [0u8; 6];
        m.copy_from_slice(p);
        Ok(m)
    }

    /// A NUL-terminated string (`NLA_NUL_STRING` / `NLA_STRING`): trailing NULs are removed;
    /// invalid UTF-8 is an error naming the attribute.
    pub fn string(&self, name: &'static str) -> Result<&'a str, DecodeError> {
        let mut p = self.payload;
        while let [rest @ .., 0] = p {
            p = rest;
        }
        core::str::from_utf8(p).map_err(|_| DecodeError::BadValue { attr: name })
    }

    /// Iterates the attributes nested in this one (the schema, not NLA_F_NESTED, decides).
    pub fn nested<B: ByteOrder>(&self) -> Attrs<'a, B> {
        Attrs::new(self.payload)
    }
}

/// Iterator over a buffer of attributes whose headers are in byte order `B`. It yields `Err`
/// once for the first malformed header and then stops (the rest of the buffer cannot be
/// trusted). The last attribute may lack its padding.
#[derive(Debug, Clone)]
pub struct Attrs<'a, B> {
    buf: &'a [u8],
    failed: bool,
    _b: PhantomData<B>,
}

impl<'a, B: ByteOrder> Attrs<'a, B> {
    /// Iterates `buf`, which holds a sequence of attributes.
    pub fn new(buf: &'a [u8]) -> Self {
        Attrs {
            buf,
            failed: false,
            _b: PhantomData,
        }
    }
}

impl<'a, B: ByteOrder> Iterator for Attrs<'a, B> {
    type Item = Result<Attr<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.buf.is_empty() {
            return None;
        }
        let Some((hdr, _)) = self.buf.split_first_chunk::<NLA_HDRLEN>() else {
            self.failed = true;
            return Some(Err(DecodeError::Truncated {
                what: "nlattr",
                need: NLA_HDRLEN,
                have: self.buf.len(),
            }));
        };
        let len = B::read_u16(&hdr[0..2]) as usize;
        let raw_kind = B::read_u16(&hdr[2..4]);
        let Some(payload) = self.buf.get(NLA_HDRLEN..len) else {
            self.failed = true;
            return Some(Err(DecodeError::BadFrameLength {
                what: "nlattr",
                len,
            }));
        };
        let next = align4(len).min(self.buf.len());
        self.buf = self.buf.get(next..).unwrap_or_default();
        Some(Ok(Attr {
            kind: raw_kind & NLA_TYPE_MASK,
            raw_kind,
            payload,
        }))
    }
}

/// Iterates `buf` as attributes in byte order `B`.
pub fn attrs<B: ByteOrder>(buf: &[u8]) -> Attrs<'_, B> {
    Attrs::new(buf)
}

/// Stores `v` in `slot`, or reports a duplicate of attribute `name`.
pub(crate) fn put<T>(slot: &mut Option<T>, v: T, name: &'static str) -> Result<(), DecodeError> {
    if slot.is_some() {
        return Err(DecodeError::Duplicate { attr: name });
    }
    *slot = Some(v);
    Ok(())
}

/// One row of a decoding table for [`walk`]: attribute type, its name (for errors) and the
/// payload length it must have ([`ANY_LEN`]: any; [`SPECIAL`]: handed to the caller).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub(crate) kind: u16,
    pub(crate) want: u8,
    pub(crate) name: &'static str,
}

/// [`Field::want`]: the payload may have any length (the value is then 1, like a flag).
pub(crate) const ANY_LEN: u8 = 0xfe;
/// [`Field::want`]: the attribute is passed to the caller's closure, which checks and stores
/// it itself.
pub(crate) const SPECIAL: u8 = 0xff;

/// A [`Field`] row. `want` must be a length [`walk`] can read (0, 1, 2, 4, 6 or 8) or
/// [`ANY_LEN`]/[`SPECIAL`]: the tables are `const`, so another value fails the build instead
/// of being stored as zeros.
pub(crate) const fn field(kind: u16, want: u8, name: &'static str) -> Field {
    assert!(matches!(want, 0 | 1 | 2 | 4 | 6 | 8 | ANY_LEN | SPECIAL));
    Field { kind, want, name }
}

/// One attribute walk for every decoder: each attribute whose type is in `table` has its
/// payload length checked (`BadLength`), then is stored in the `vals` slot of the same index
/// (`Duplicate` if already set): flags (length 0) as 1, integers of 1, 2, 4 or 8 bytes read in
/// byte order `B` and zero-extended (a signed field is cast back by its reader), a 6-byte MAC
/// as [`mac_slot`] packs it. [`SPECIAL`] rows go to `special(row, attr)`. Unknown types are
/// skipped; the first malformed header or failed row ends the walk with its error.
pub(crate) fn walk<'a, B: ByteOrder>(
    buf: &'a [u8],
    table: &[Field],
    vals: &mut [Option<u64>],
    special: &mut dyn FnMut(usize, Attr<'a>) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    for a in attrs::<B>(buf) {
        let a = a?;
        let Some(i) = table.iter().position(|f| f.kind == a.kind) else {
            continue;
        };
        let Some(f) = table.get(i) else { continue };
        let p = a.payload;
        let v = match f.want {
            SPECIAL => {
                special(i, a)?;
                continue;
            }
            ANY_LEN => 1,
            want => {
                a.want(f.name, usize::from(want))?;
                match p.len() {
                    0 => 1,
                    1 => u64::from(p[0]),
                    2 => u64::from(B::read_u16(p)),
                    4 => u64::from(B::read_u32(p)),
                    8 => B::read_u64(p),
                    // 6, the only other length `field` admits: a MAC
                    _ => {
                        let mut m = [0u8; 8];
                        m[..6].copy_from_slice(p.get(..6).unwrap_or(&[0; 6]));
                        u64::from_le_bytes(m)
                    }
                }
            }
        };
        if let Some(slot) = vals.get_mut(i) {
            put(slot, v, f.name)?;
        }
    }
    Ok(())
}

/// The MAC address [`walk`] packed into a slot (the packing is internal, not a byte order
/// of the wire: the six bytes are kept in order).
pub(crate) fn mac_slot(v: u64) -> [u8; 6] {
    let b = v.to_le_bytes();
    [b[0], b[1], b[2], b[3], b[4], b[5]]
}

/// Appends attributes to a message being built, in byte order `B`.
#[derive(Debug)]
pub struct AttrWriter<'v, B> {
    buf: &'v mut Vec<u8>,
    _b: PhantomData<B>,
}

impl<'v, B: ByteOrder> AttrWriter<'v, B> {
    /// Writes attributes at the end of `buf` (which must already be 4-aligned).
    pub fn new(buf: &'v mut Vec<u8>) -> Self {
        AttrWriter {
            buf,
            _b: PhantomData,
        }
    }

    /// Appends one attribute with `payload`, padded to 4 bytes.
    pub fn put(&mut self, kind: u16, payload: &[u8]) -> &mut Self {
        let len = NLA_HDRLEN + payload.len();
        let mut hdr = [0u8; 4];
        B::write_u16(&mut hdr[0..2], len as u16);
        B::write_u16(&mut hdr[2..4], kind);
        self.buf.extend_from_slice(&hdr);
        self.buf.extend_from_slice(payload);
        self.buf.resize(self.buf.len() + (align4(len) - len), 0);
        self
    }

    /// Appends a flag attribute.
    pub fn flag(&mut self, kind: u16) -> &mut Self {
        self.put(kind, &[])
    }

    /// Appends a u32 attribute.
    pub fn u32(&mut self, kind: u16, v: u32) -> &mut Self {
        let mut b = [0u8; 4];
        B::write_u32(&mut b, v);
        self.put(kind, &b)
    }

    /// Appends a NUL-terminated string attribute.
    pub fn string(&mut self, kind: u16, s: &str) -> &mut Self {
        let mut v = Vec::with_capacity(s.len() + 1);
        v.extend_from_slice(s.as_bytes());
        v.push(0);
        self.put(kind, &v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use byteorder::{BigEndian, LittleEndian};

    #[rustfmt::skip]
    const LE: &[u8] = &[
        0x05, 0x00, 0x07, 0x00,  0xd9, 0x00, 0x00, 0x00, // len 5, type 7 (u8 -39), 3 pad
        0x08, 0x00, 0x19, 0x80,  0x01, 0x02, 0x03, 0x04, // len 8, type 25|NESTED, 4 bytes
        0x04, 0x00, 0x04, 0x00,                          // len 4, type 4: flag
    ];

    #[test]
    fn iterates_and_masks() {
        let v: Vec<_> = attrs::<LittleEndian>(LE).collect::<Result<_, _>>().unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!((v[0].kind, v[0].i8("X").unwrap()), (7, -39));
        assert_eq!((v[1].kind, v[1].raw_kind), (25, 0x8019));
        assert_eq!(v[1].payload, &[1, 2, 3, 4]);
        assert_eq!(v[2].kind, 4);
        v[2].flag("F").unwrap();
    }

    #[test]
    fn big_endian_headers() {
        let be: Vec<u8> = vec![0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00, 0x2a];
        let a = attrs::<BigEndian>(&be).next().unwrap().unwrap();
        assert_eq!((a.kind, a.u32::<BigEndian>("IFINDEX").unwrap()), (3, 42));
    }

    #[test]
    fn errors_stop_iteration() {
        // len 12 but only 8 bytes
        let bad = [0x0c, 0x00, 0x01, 0x00, 0, 0, 0, 0];
        let mut it = attrs::<LittleEndian>(&bad);
        assert_eq!(
            it.next(),
            Some(Err(DecodeError::BadFrameLength {
                what: "nlattr",
                len: 12
            }))
        );
        assert_eq!(it.next(), None);
        // len 2 < header
        let bad = [0x02, 0x00, 0x01, 0x00];
        assert!(attrs::<LittleEndian>(&bad).next().unwrap().is_err());
        // three stray bytes
        let bad = [0x01, 0x00, 0x01];
        assert!(matches!(
            attrs::<LittleEndian>(&bad).next(),
            Some(Err(DecodeError::Truncated { .. }))
        ));
    }

    #[test]
    fn last_attribute_without_padding_is_accepted() {
        // a 5-byte attribute at the very end whose padding was cut by the container length
        let b = [0x05, 0x00, 0x07, 0x00, 0xd9];
        let a = attrs::<LittleEndian>(&b).next().unwrap().unwrap();
        assert_eq!(a.i8("S").unwrap(), -39);
    }

    #[test]
    fn typed_getters_check_length() {
        let a = Attr {
            kind: 7,
            raw_kind: 7,
            payload: &[1, 2],
        };
        assert_eq!(
            a.u8("NL80211_STA_INFO_SIGNAL").unwrap_err().to_string(),
            "NL80211_STA_INFO_SIGNAL: bad length 2 (want 1)"
        );
        assert!(a.u32::<LittleEndian>("X").is_err());
        assert!(a.mac("X").is_err());
        assert_eq!(a.u16::<BigEndian>("X").unwrap(), 0x0102);
        assert_eq!(a.u16::<LittleEndian>("X").unwrap(), 0x0201);
    }

    #[test]
    fn strings() {
        let a = Attr {
            kind: 4,
            raw_kind: 4,
            payload: b"wlan0\0",
        };
        assert_eq!(a.string("IFNAME").unwrap(), "wlan0");
        let a = Attr {
            kind: 4,
            raw_kind: 4,
            payload: &[0xff, 0],
        };
        assert_eq!(
            a.string("IFNAME"),
            Err(DecodeError::BadValue { attr: "IFNAME" })
        );
    }

    #[test]
    fn writer_round_trip_both_orders() {
        fn rt<B: ByteOrder>() {
            let mut v = Vec::new();
            AttrWriter::<B>::new(&mut v)
                .u32(3, 7)
                .string(2, "nl80211")
                .flag(174);
            assert_eq!(v.len(), 8 + 12 + 4);
            let a: Vec<_> = attrs::<B>(&v).collect::<Result<_, _>>().unwrap();
            assert_eq!(a[0].u32::<B>("I").unwrap(), 7);
            assert_eq!(a[1].string("N").unwrap(), "nl80211");
            assert_eq!(a[2].kind, 174);
        }
        rt::<LittleEndian>();
        rt::<BigEndian>();
    }
}
