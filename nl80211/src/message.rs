//! Netlink messages (`struct nlmsghdr`), the generic netlink header (`struct genlmsghdr`),
//! NLMSG_ERROR / NLMSG_DONE payloads with extended ack, and request encoding.
//!
//! One `recv()` on a netlink socket returns one datagram that may hold several messages;
//! [`Messages`] walks them with `align4(nlmsg_len)`.

use core::marker::PhantomData;

use byteorder::ByteOrder;

use crate::attr::{align4, attrs, AttrWriter};
use crate::error::{DecodeError, KernelError};

/// Size of `struct nlmsghdr`.
pub const NLMSG_HDRLEN: usize = 16;
/// Size of `struct genlmsghdr`.
pub const GENL_HDRLEN: usize = 4;

/// `NLMSG_NOOP`.
pub const NLMSG_NOOP: u16 = 1;
/// `NLMSG_ERROR`.
pub const NLMSG_ERROR: u16 = 2;
/// `NLMSG_DONE`.
pub const NLMSG_DONE: u16 = 3;
/// `NLMSG_OVERRUN`.
pub const NLMSG_OVERRUN: u16 = 4;

/// `NLM_F_REQUEST`.
pub const NLM_F_REQUEST: u16 = 0x1;
/// `NLM_F_MULTI`.
pub const NLM_F_MULTI: u16 = 0x2;
/// `NLM_F_ACK`.
pub const NLM_F_ACK: u16 = 0x4;
/// `NLM_F_DUMP_INTR`: the dump was interrupted by a change; repeat it.
pub const NLM_F_DUMP_INTR: u16 = 0x10;
/// `NLM_F_DUMP` (`NLM_F_ROOT | NLM_F_MATCH`).
pub const NLM_F_DUMP: u16 = 0x300;
/// `NLM_F_CAPPED` (in NLMSG_ERROR): the original payload was not copied back.
pub const NLM_F_CAPPED: u16 = 0x100;
/// `NLM_F_ACK_TLVS` (in NLMSG_ERROR / NLMSG_DONE): extended-ack attributes follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

/// `NLMSGERR_ATTR_MSG`.
const NLMSGERR_ATTR_MSG: u16 = 1;
/// `NLMSGERR_ATTR_OFFS`.
const NLMSGERR_ATTR_OFFS: u16 = 2;

/// The netlink message header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// `nlmsg_len`: whole message including this header, excluding trailing padding.
    pub len: u32,
    /// `nlmsg_type`: NLMSG_* or a family id.
    pub kind: u16,
    /// `nlmsg_flags`.
    pub flags: u16,
    /// `nlmsg_seq`: echoed by the kernel in every reply part.
    pub seq: u32,
    /// `nlmsg_pid`: port id (0 for the kernel).
    pub pid: u32,
}

impl Header {
    /// Reads a header from the first 16 bytes of `b`.
    pub fn parse<B: ByteOrder>(b: &[u8]) -> Result<Header, DecodeError> {
        let Some((h, _)) = b.split_first_chunk::<NLMSG_HDRLEN>() else {
            return Err(DecodeError::Truncated {
                what: "nlmsghdr",
                need: NLMSG_HDRLEN,
                have: b.len(),
            });
        };
        Ok(Header {
            len: B::read_u32(&h[0..4]),
            kind: B::read_u16(&h[4..6]),
            flags: B::read_u16(&h[6..8]),
            seq: B::read_u32(&h[8..12]),
            pid: B::read_u32(&h[12..16]),
        })
    }

    /// Appends the 16 header bytes to `out`.
    pub fn emit<B: ByteOrder>(&self, out: &mut Vec<u8>) {
        let mut h = [0u8; NLMSG_HDRLEN];
        B::write_u32(&mut h[0..4], self.len);
        B::write_u16(&mut h[4..6], self.kind);
        B::write_u16(&mut h[6..8], self.flags);
        B::write_u32(&mut h[8..12], self.seq);
        B::write_u32(&mut h[12..16], self.pid);
        out.extend_from_slice(&h);
    }
}

/// One netlink message borrowed from a datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    /// The header.
    pub header: Header,
    /// Bytes after the header, up to `nlmsg_len`.
    pub payload: &'a [u8],
}

/// Iterator over the messages of one received datagram. Stops after the first error.
#[derive(Debug, Clone)]
pub struct Messages<'a, B> {
    buf: &'a [u8],
    failed: bool,
    _b: PhantomData<B>,
}

/// Iterates the messages in the datagram `buf` (byte order `B`).
pub fn messages<B: ByteOrder>(buf: &[u8]) -> Messages<'_, B> {
    Messages {
        buf,
        failed: false,
        _b: PhantomData,
    }
}

impl<'a, B: ByteOrder> Iterator for Messages<'a, B> {
    type Item = Result<Message<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.buf.is_empty() {
            return None;
        }
        let header = match Header::parse::<B>(self.buf) {
            Ok(h) => h,
            Err(e) => {
                self.failed = true;
                return Some(Err(e));
            }
        };
        let len = header.len as usize;
        let Some(payload) = self.buf.get(NLMSG_HDRLEN..len) else {
            self.failed = true;
            return Some(Err(DecodeError::BadFrameLength {
                what: "nlmsghdr",
                len,
            }));
        };
        let next = align4(len).min(self.buf.len());
        self.buf = self.buf.get(next..).unwrap_or_default();
        Some(Ok(Message { header, payload }))
    }
}

/// The generic netlink header and the attributes that follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Genl<'a> {
    /// `cmd`.
    pub cmd: u8,
    /// `version`.
    pub version: u8,
    /// Attribute bytes after the 4-byte genl header.
    pub attrs: &'a [u8],
}

impl<'a> Genl<'a> {
    /// Splits a generic netlink message payload.
    pub fn parse(payload: &'a [u8]) -> Result<Genl<'a>, DecodeError> {
        match payload {
            [cmd, version, _, _, attrs @ ..] => Ok(Genl {
                cmd: *cmd,
                version: *version,
                attrs,
            }),
            _ => Err(DecodeError::Truncated {
                what: "genlmsghdr",
                need: GENL_HDRLEN,
                have: payload.len(),
            }),
        }
    }
}

/// What a received message means to a request/response exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply<'a> {
    /// A data message (family id in `header.kind`) with its genl header split off.
    Data(Genl<'a>),
    /// NLMSG_ERROR with code 0: the acknowledgement of a request sent with NLM_F_ACK.
    Ack,
    /// NLMSG_ERROR with a negative code, or NLMSG_DONE carrying one.
    Error(KernelError),
    /// NLMSG_DONE with code 0: the dump is complete.
    Done,
    /// NLMSG_NOOP / NLMSG_OVERRUN / an unknown control type below 0x10: ignore.
    Other,
}

/// Decodes the meaning of `msg` (byte order `B`).
pub fn classify<'a, B: ByteOrder>(msg: &Message<'a>) -> Result<Reply<'a>, DecodeError> {
    match msg.header.kind {
        NLMSG_ERROR => {
            let code = read_code::<B>(msg.payload, "nlmsgerr")?;
            if code == 0 {
                return Ok(Reply::Ack);
            }
            // s32 error, then the original nlmsghdr (its length tells how much payload was
            // echoed back unless NLM_F_CAPPED), then extended-ack TLVs if NLM_F_ACK_TLVS.
            let mut tlvs: &[u8] = &[];
            if msg.header.flags & NLM_F_ACK_TLVS != 0 {
                let orig = msg.payload.get(4..).unwrap_or_default();
                let echoed = if msg.header.flags & NLM_F_CAPPED != 0 {
                    NLMSG_HDRLEN
                } else {
                    Header::parse::<B>(orig)
                        .map(|h| align4(h.len as usize))
                        .unwrap_or(orig.len())
                };
                tlvs = orig.get(echoed..).unwrap_or_default();
            }
            Ok(Reply::Error(kernel_error::<B>(code, tlvs)))
        }
        NLMSG_DONE => {
            // Old kernels may send DONE with an empty payload; treat that as success.
            if msg.payload.is_empty() {
                return Ok(Reply::Done);
            }
            let code = read_code::<B>(msg.payload, "NLMSG_DONE")?;
            if code == 0 {
                return Ok(Reply::Done);
            }
            let tlvs = if msg.header.flags & NLM_F_ACK_TLVS != 0 {
                msg.payload.get(4..).unwrap_or_default()
            } else {
                &[]
            };
            Ok(Reply::Error(kernel_error::<B>(code, tlvs)))
        }
        k if k < 0x10 => Ok(Reply::Other),
        _ => Ok(Reply::Data(Genl::parse(msg.payload)?)),
    }
}

fn read_code<B: ByteOrder>(p: &[u8], what: &'static str) -> Result<i32, DecodeError> {
    match p.first_chunk::<4>() {
        Some(c) => Ok(B::read_i32(c)),
        None => Err(DecodeError::Truncated {
            what,
            need: 4,
            have: p.len(),
        }),
    }
}

fn kernel_error<B: ByteOrder>(code: i32, tlvs: &[u8]) -> KernelError {
    let mut e = KernelError {
        errno: code.checked_neg().unwrap_or(i32::MAX),
        msg: None,
        offset: None,
    };
    // Extended-ack TLVs are advisory: a malformed one is ignored, never fatal.
    for a in attrs::<B>(tlvs).map_while(Result::ok) {
        match a.kind {
            NLMSGERR_ATTR_MSG => e.msg = a.string("NLMSGERR_ATTR_MSG").ok().map(str::to_owned),
            NLMSGERR_ATTR_OFFS => e.offset = a.u32::<B>("NLMSGERR_ATTR_OFFS").ok(),
            _ => {}
        }
    }
    e
}

/// Builds one generic netlink request: header, genl header, attributes (byte order `B`).
///
/// `build` appends the attributes; the length field is filled in afterwards.
pub fn encode_request<B: ByteOrder>(
    family: u16,
    flags: u16,
    seq: u32,
    cmd: u8,
    version: u8,
    build: impl FnOnce(&mut AttrWriter<'_, B>),
) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    Header {
        len: 0,
        kind: family,
        flags,
        seq,
        pid: 0,
    }
    .emit::<B>(&mut out);
    out.extend_from_slice(&[cmd, version, 0, 0]);
    build(&mut AttrWriter::new(&mut out));
    let len = out.len() as u32;
    B::write_u32(&mut out[0..4], len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use byteorder::{BigEndian, LittleEndian};

    #[test]
    fn several_messages_in_one_datagram() {
        // two DONE messages back to back, the first with seq 1, the second seq 2
        let mut d = Vec::new();
        for seq in [1u32, 2] {
            Header {
                len: 20,
                kind: NLMSG_DONE,
                flags: NLM_F_MULTI,
                seq,
                pid: 0,
            }
            .emit::<LittleEndian>(&mut d);
            d.extend_from_slice(&0i32.to_le_bytes());
        }
        let v: Vec<_> = messages::<LittleEndian>(&d)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].header.seq, 2);
        assert_eq!(classify::<LittleEndian>(&v[0]).unwrap(), Reply::Done);
    }

    #[test]
    fn bad_length_stops() {
        let mut d = Vec::new();
        Header {
            len: 400,
            kind: 0x1c,
            flags: 0,
            seq: 1,
            pid: 0,
        }
        .emit::<BigEndian>(&mut d);
        let mut it = messages::<BigEndian>(&d);
        assert_eq!(
            it.next(),
            Some(Err(DecodeError::BadFrameLength {
                what: "nlmsghdr",
                len: 400
            }))
        );
        assert_eq!(it.next(), None);
        assert!(messages::<BigEndian>(&d[..10]).next().unwrap().is_err());
    }

    #[rustfmt::skip]
    fn ext_ack_error<B: ByteOrder>() -> Vec<u8> {
        // NLMSG_ERROR, flags CAPPED|ACK_TLVS, with -EINVAL, the original header and a message
        let mut d = Vec::new();
        Header { len: 0, kind: NLMSG_ERROR, flags: NLM_F_CAPPED | NLM_F_ACK_TLVS, seq: 9, pid: 77 }
            .emit::<B>(&mut d);
        let mut c = [0u8; 4];
        B::write_i32(&mut c, -22);
        d.extend_from_slice(&c);
        Header { len: 28, kind: 0x1c, flags: 0x301, seq: 9, pid: 77 }.emit::<B>(&mut d);
        AttrWriter::<B>::new(&mut d).string(1, "bad ifidx").u32(2, 20);
        let len = d.len() as u32;
        B::write_u32(&mut d[0..4], len);
        d
    }

    #[test]
    fn error_with_extended_ack_both_orders() {
        fn t<B: ByteOrder>() {
            let d = ext_ack_error::<B>();
            let m = messages::<B>(&d).next().unwrap().unwrap();
            let Reply::Error(e) = classify::<B>(&m).unwrap() else {
                panic!()
            };
            assert_eq!(e.errno, 22);
            assert_eq!(e.msg.as_deref(), Some("bad ifidx"));
            assert_eq!(e.offset, Some(20));
        }
        t::<LittleEndian>();
        t::<BigEndian>();
    }

    #[test]
    fn done_with_error_and_empty_done() {
        let mut d = Vec::new();
        Header {
            len: 20,
            kind: NLMSG_DONE,
            flags: NLM_F_MULTI,
            seq: 3,
            pid: 0,
        }
        .emit::<LittleEndian>(&mut d);
        d.extend_from_slice(&(-16i32).to_le_bytes()); // -EBUSY
        let m = messages::<LittleEndian>(&d).next().unwrap().unwrap();
        assert_eq!(
            classify::<LittleEndian>(&m).unwrap(),
            Reply::Error(KernelError {
                errno: 16,
                msg: None,
                offset: None
            })
        );
        let m = Message {
            header: Header {
                len: 16,
                kind: NLMSG_DONE,
                flags: 2,
                seq: 3,
                pid: 0,
            },
            payload: &[],
        };
        assert_eq!(classify::<LittleEndian>(&m).unwrap(), Reply::Done);
        // a truncated NLMSG_ERROR is an error, not a panic
        let m = Message {
            header: Header {
                len: 18,
                kind: NLMSG_ERROR,
                flags: 0,
                seq: 3,
                pid: 0,
            },
            payload: &[1, 2],
        };
        assert!(classify::<LittleEndian>(&m).is_err());
    }

    #[test]
    fn ack_is_recognised() {
        let mut d = Vec::new();
        Header {
            len: 36,
            kind: NLMSG_ERROR,
            flags: 0,
            seq: 1,
            pid: 0,
        }
        .emit::<LittleEndian>(&mut d);
        d.extend_from_slice(&[0; 20]);
        let m = messages::<LittleEndian>(&d).next().unwrap().unwrap();
        assert_eq!(classify::<LittleEndian>(&m).unwrap(), Reply::Ack);
    }
}
