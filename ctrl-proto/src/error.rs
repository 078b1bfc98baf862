//! Error types. Each parser has a small enum naming what failed; none of them allocates.

use core::fmt;

/// A MAC address did not have the `xx:xx:xx:xx:xx:xx` form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacError {
    /// Not exactly 17 bytes long (the length found).
    Length(usize),
    /// A non-hex digit at this byte offset.
    Digit(usize),
    /// Not a `:` at this byte offset.
    Separator(usize),
}

impl fmt::Display for MacError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MacError::Length(n) => write!(f, "MAC address must be 17 characters, got {}", n),
            MacError::Digit(at) => write!(f, "bad hex digit in MAC address at offset {}", at),
            MacError::Separator(at) => write!(f, "expected ':' in MAC address at offset {}", at),
        }
    }
}

impl std::error::Error for MacError {}

/// A hex string could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HexError {
    /// Odd number of digits (the length found).
    OddLength(usize),
    /// A non-hex digit at this offset.
    Digit(usize),
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HexError::OddLength(n) => write!(f, "hex string has odd length {}", n),
            HexError::Digit(at) => write!(f, "bad hex digit at offset {}", at),
        }
    }
}

impl std::error::Error for HexError {}

/// A binary 802.11 element or element body could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementError {
    /// Fewer bytes than the fixed part of `what` needs.
    Truncated {
        /// The structure being parsed.
        what: &'static str,
        /// Bytes needed.
        need: usize,
        /// Bytes present.
        have: usize,
    },
    /// A subelement whose length field runs past the end of the buffer.
    SubelementOverrun {
        /// Subelement ID.
        id: u8,
        /// Byte offset of the subelement header.
        at: usize,
    },
    /// A known subelement with a length its definition does not allow.
    SubelementLength {
        /// Subelement ID.
        id: u8,
        /// The length found.
        len: usize,
    },
    /// The element ID was not the expected one.
    ElementId {
        /// Expected element ID.
        expected: u8,
        /// Element ID found.
        found: u8,
    },
    /// The element (or body) is longer than the 255 bytes a length octet can carry.
    TooLong(usize),
    /// The hex text carrying the element was not valid hex.
    Hex(HexError),
}

impl fmt::Display for ElementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ElementError::Truncated { what, need, have } => {
                write!(f, "{} truncated: need {} bytes, have {}", what, need, have)
            }
            ElementError::SubelementOverrun { id, at } => {
                write!(f, "subelement {} at offset {} runs past the end", id, at)
            }
            ElementError::SubelementLength { id, len } => {
                write!(f, "subelement {} has invalid length {}", id, len)
            }
            ElementError::ElementId { expected, found } => {
                write!(f, "expected element ID {}, found {}", expected, found)
            }
            ElementError::TooLong(n) => write!(f, "element body of {} bytes exceeds 255", n),
            ElementError::Hex(e) => write!(f, "bad hex: {}", e),
        }
    }
}

impl std::error::Error for ElementError {}

impl From<HexError> for ElementError {
    fn from(e: HexError) -> Self {
        ElementError::Hex(e)
    }
}

/// A `key=value` text block (STATUS, STA, SHOW_NEIGHBOR line) could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    /// A required key is absent.
    Missing(&'static str),
    /// A key has a value that does not parse.
    Bad(&'static str),
    /// A key appears twice.
    Duplicate(&'static str),
    /// The text is empty.
    Empty,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldError::Missing(k) => write!(f, "missing field {}", k),
            FieldError::Bad(k) => write!(f, "bad value for field {}", k),
            FieldError::Duplicate(k) => write!(f, "duplicate field {}", k),
            FieldError::Empty => f.write_str("empty text"),
        }
    }
}

impl std::error::Error for FieldError {}

/// An event datagram could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventError {
    /// The datagram is not valid UTF-8.
    NotUtf8,
    /// The datagram does not start with a `<N>` level prefix.
    NoLevel,
    /// The level between `<` and `>` is not a small decimal number.
    BadLevel,
    /// A required argument of a known event is missing.
    Missing {
        /// Event name, e.g. `BSS-TM-RESP`.
        event: &'static str,
        /// Argument name.
        field: &'static str,
    },
    /// An argument of a known event does not parse.
    Bad {
        /// Event name.
        event: &'static str,
        /// Argument name.
        field: &'static str,
    },
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::NotUtf8 => f.write_str("event is not UTF-8"),
            EventError::NoLevel => f.write_str("event lacks the <N> level prefix"),
            EventError::BadLevel => f.write_str("event has a bad <N> level prefix"),
            EventError::Missing { event, field } => write!(f, "{}: missing {}", event, field),
            EventError::Bad { event, field } => write!(f, "{}: bad {}", event, field),
        }
    }
}

impl std::error::Error for EventError {}

/// A reply was not what the command expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyError {
    /// hostapd answered `FAIL`.
    Fail,
    /// hostapd answered `UNKNOWN COMMAND` (compiled out, or too old).
    UnknownCommand,
    /// The reply is not valid UTF-8.
    NotUtf8,
    /// The reply has a form this command never produces.
    Unexpected,
    /// The reply text could not be parsed.
    Field(FieldError),
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyError::Fail => f.write_str("hostapd replied FAIL"),
            ReplyError::UnknownCommand => f.write_str("hostapd replied UNKNOWN COMMAND"),
            ReplyError::NotUtf8 => f.write_str("reply is not UTF-8"),
            ReplyError::Unexpected => f.write_str("unexpected reply"),
            ReplyError::Field(e) => write!(f, "bad reply: {}", e),
        }
    }
}

impl std::error::Error for ReplyError {}

impl From<FieldError> for ReplyError {
    fn from(e: FieldError) -> Self {
        ReplyError::Field(e)
    }
}

/// A command cannot be written as hostapd would accept it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandError {
    /// A text value contains a space, NUL or newline, or a substring hostapd searches for.
    BadText(&'static str),
    /// A value is out of the range hostapd accepts.
    OutOfRange(&'static str),
    /// The whole command exceeds the 4095 bytes hostapd reads.
    TooLong(usize),
    /// The text is not a command this crate knows (when parsing a command).
    Unknown,
    /// A parameter could not be parsed (when parsing a command).
    Bad(&'static str),
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::BadText(k) => write!(f, "{} contains a character hostapd cannot take", k),
            CommandError::OutOfRange(k) => write!(f, "{} out of range", k),
            CommandError::TooLong(n) => write!(f, "command of {} bytes exceeds hostapd's 4095", n),
            CommandError::Unknown => f.write_str("unknown command"),
            CommandError::Bad(k) => write!(f, "bad parameter {}", k),
        }
    }
}

impl std::error::Error for CommandError {}

/// hostapd would not have built an own neighbor entry for this configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnEntryError {
    /// STATUS lists no BSS with the requested index.
    NoBss(usize),
    /// `ieee80211_freq_to_channel_ext()` fails for this frequency/secondary/width.
    NoChannel {
        /// Operating frequency, MHz.
        freq: u32,
        /// Secondary channel offset.
        sec: i8,
        /// Channel width code.
        width: u8,
    },
}

impl fmt::Display for OwnEntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OwnEntryError::NoBss(i) => write!(f, "STATUS has no bss[{}]", i),
            OwnEntryError::NoChannel { freq, sec, width } => write!(
                f,
                "no operating class for freq {} sec {} width code {}: hostapd builds no own entry",
                freq, sec, width
            ),
        }
    }
}

impl std::error::Error for OwnEntryError {}
