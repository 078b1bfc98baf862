//! Errors of the codec and the sockets.

use std::fmt;

/// Everything that can go wrong decoding netlink / generic netlink / nl80211 bytes.
///
/// Attribute errors carry the kernel name of the attribute (`NL80211_STA_INFO_SIGNAL`) so that
/// a log line says exactly which field of which message was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A fixed-size structure (netlink header, genl header, error payload, attribute header)
    /// did not fit in the bytes left. `what` names the structure.
    Truncated {
        /// The structure being read (`"nlmsghdr"`, `"nlattr"`, ...).
        what: &'static str,
        /// Bytes needed.
        need: usize,
        /// Bytes available.
        have: usize,
    },
    /// A length field points outside its container or is smaller than its own header.
    BadFrameLength {
        /// The structure whose length field is wrong (`"nlmsghdr"`, `"nlattr"`).
        what: &'static str,
        /// The length field's value.
        len: usize,
    },
    /// An attribute's payload length does not match its type.
    BadLength {
        /// Kernel name of the attribute.
        attr: &'static str,
        /// Payload length found.
        len: usize,
        /// Payload length the type requires.
        want: usize,
    },
    /// The same attribute appeared twice in one attribute set.
    Duplicate {
        /// Kernel name of the attribute.
        attr: &'static str,
    },
    /// A required attribute was absent.
    Missing {
        /// Kernel name of the attribute.
        attr: &'static str,
    },
    /// An attribute value is outside the range its type allows (e.g. a MAC that is not 6 bytes
    /// is a `BadLength`; a string without valid content is `BadValue`).
    BadValue {
        /// Kernel name of the attribute.
        attr: &'static str,
    },
    /// A message had a generic netlink command other than the one expected.
    UnexpectedCommand {
        /// Command expected (`NL80211_CMD_*` / `CTRL_CMD_*` value).
        want: u8,
        /// Command found.
        got: u8,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated { what, need, have } => {
                write!(f, "{what}: truncated ({have} bytes, need {need})")
            }
            DecodeError::BadFrameLength { what, len } => {
                write!(f, "{what}: bad length field {len}")
            }
            DecodeError::BadLength { attr, len, want } => {
                write!(f, "{attr}: bad length {len} (want {want})")
            }
            DecodeError::Duplicate { attr } => write!(f, "{attr}: duplicate attribute"),
            DecodeError::Missing { attr } => write!(f, "{attr}: missing required attribute"),
            DecodeError::BadValue { attr } => write!(f, "{attr}: bad value"),
            DecodeError::UnexpectedCommand { want, got } => {
                write!(f, "unexpected generic netlink command {got} (want {want})")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// An error reported by the kernel (NLMSG_ERROR with a negative code, or NLMSG_DONE carrying
/// a negative code at the end of a dump).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelError {
    /// Positive errno (`ENOENT` = 2, `ENODEV` = 19, ...).
    pub errno: i32,
    /// Extended-ack message (`NLMSGERR_ATTR_MSG`), if the kernel sent one.
    pub msg: Option<String>,
    /// Extended-ack offset of the offending attribute in the request (`NLMSGERR_ATTR_OFFS`).
    pub offset: Option<u32>,
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "kernel error {}",
            std::io::Error::from_raw_os_error(self.errno)
        )?;
        if let Some(m) = &self.msg {
            write!(f, ": {m}")?;
        }
        if let Some(o) = self.offset {
            write!(f, " (at request offset {o})")?;
        }
        Ok(())
    }
}

impl std::error::Error for KernelError {}

/// Errors of the socket layer: I/O, the kernel's answer, or undecodable bytes.
#[derive(Debug)]
pub enum Error {
    /// A system call failed.
    Io(std::io::Error),
    /// The kernel answered with an error.
    Kernel(KernelError),
    /// The kernel's answer could not be decoded.
    Decode(DecodeError),
    /// A received datagram was larger than the receive buffer (MSG_TRUNC): data was lost.
    RecvTruncated {
        /// Real datagram size.
        len: usize,
    },
    /// The `nl80211` generic netlink family does not exist (cfg80211 not loaded).
    NoFamily,
    /// The `mlme` multicast group is not offered by the family.
    NoGroup(&'static str),
    /// A dump was interrupted (NLM_F_DUMP_INTR or a generation change) more times in a row
    /// than the retry limit allows.
    Interrupted,
    /// `GET_INTERFACE` / `GET_WIPHY` for one object returned no object.
    NotFound,
    /// An interface name was not found (if_nametoindex failed).
    NoSuchInterface(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => write!(f, "netlink I/O: {e}"),
            Error::Kernel(e) => e.fmt(f),
            Error::Decode(e) => write!(f, "nl80211 decode: {e}"),
            Error::RecvTruncated { len } => {
                write!(
                    f,
                    "netlink datagram of {len} bytes truncated by the receive buffer"
                )
            }
            Error::NoFamily => write!(
                f,
                "generic netlink family nl80211 not found (cfg80211 loaded?)"
            ),
            Error::NoGroup(g) => write!(f, "nl80211 multicast group {g:?} not found"),
            Error::Interrupted => {
                write!(f, "nl80211 dump interrupted repeatedly (NLM_F_DUMP_INTR)")
            }
            Error::NotFound => write!(f, "nl80211: no such object"),
            Error::NoSuchInterface(n) => write!(f, "no such network interface {n:?}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            Error::Kernel(e) => Some(e),
            Error::Decode(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl From<KernelError> for Error {
    fn from(e: KernelError) -> Self {
        Error::Kernel(e)
    }
}
