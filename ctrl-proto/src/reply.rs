//! Replies to commands (PROTOCOL.md A.3): generic forms and the typed accessors per command.

use crate::error::ReplyError;
use crate::neighbor::NeighborEntry;
use crate::sta::StaInfo;
use crate::status::Status;

/// A reply datagram, classified by its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reply<'a> {
    /// `OK\n`
    Ok,
    /// `FAIL\n`
    Fail,
    /// `UNKNOWN COMMAND\n`
    UnknownCommand,
    /// `PONG\n`
    Pong,
    /// A zero-length datagram (STA-FIRST/STA-NEXT past the end, empty SHOW_NEIGHBOR).
    Empty,
    /// A bare decimal 0-255 without newline: the dialog token of `REQ_BEACON`.
    Token(u8),
    /// Anything else (STATUS, STA, SHOW_NEIGHBOR text...).
    Text(&'a str),
}

impl<'a> Reply<'a> {
    /// Classifies a reply datagram.
    pub fn parse(datagram: &'a [u8]) -> Result<Reply<'a>, ReplyError> {
        let text = core::str::from_utf8(datagram).map_err(|_| ReplyError::NotUtf8)?;
        Ok(Reply::from_text(text))
    }

    /// Classifies reply text.
    pub fn from_text(text: &'a str) -> Reply<'a> {
        match text {
            "" => Reply::Empty,
            "OK\n" => Reply::Ok,
            "FAIL\n" => Reply::Fail,
            "UNKNOWN COMMAND\n" => Reply::UnknownCommand,
            "PONG\n" => Reply::Pong,
            t if t.len() <= 3
                && t.bytes().all(|c| c.is_ascii_digit())
                && (t == "0" || !t.starts_with('0')) =>
            {
                match crate::kv::int(t) {
                    Some(v) => Reply::Token(v),
                    None => Reply::Text(t),
                }
            }
            t => Reply::Text(t),
        }
    }

    /// `FAIL`/`UNKNOWN COMMAND` as errors, everything else passed through.
    pub fn ok_or_err(self) -> Result<Reply<'a>, ReplyError> {
        match self {
            Reply::Fail => Err(ReplyError::Fail),
            Reply::UnknownCommand => Err(ReplyError::UnknownCommand),
            r => Ok(r),
        }
    }

    /// For commands that answer `OK`.
    pub fn expect_ok(self) -> Result<(), ReplyError> {
        match self.ok_or_err()? {
            Reply::Ok => Ok(()),
            _ => Err(ReplyError::Unexpected),
        }
    }

    /// For `PING`.
    pub fn expect_pong(self) -> Result<(), ReplyError> {
        match self.ok_or_err()? {
            Reply::Pong => Ok(()),
            _ => Err(ReplyError::Unexpected),
        }
    }

    /// For `REQ_BEACON`: the dialog token.
    pub fn token(self) -> Result<u8, ReplyError> {
        match self.ok_or_err()? {
            Reply::Token(t) => Ok(t),
            _ => Err(ReplyError::Unexpected),
        }
    }

    /// For `STATUS`.
    pub fn status(self) -> Result<Status, ReplyError> {
        match self.ok_or_err()? {
            Reply::Text(t) => Ok(Status::parse(t)?),
            _ => Err(ReplyError::Unexpected),
        }
    }

    /// For `STA`, `STA-FIRST`, `STA-NEXT`: `None` after the last station.
    pub fn sta(self) -> Result<Option<StaInfo>, ReplyError> {
        match self.ok_or_err()? {
            Reply::Empty => Ok(None),
            Reply::Text(t) => Ok(Some(StaInfo::parse(t)?)),
            _ => Err(ReplyError::Unexpected),
        }
    }

    /// For `SHOW_NEIGHBOR`.
    pub fn neighbors(self) -> Result<Vec<NeighborEntry>, ReplyError> {
        match self.ok_or_err()? {
            Reply::Empty => Ok(Vec::new()),
            Reply::Text(t) => Ok(NeighborEntry::parse_show(t)?),
            _ => Err(ReplyError::Unexpected),
        }
    }
}

impl core::fmt::Display for Reply<'_> {
    /// The datagram text the reply was parsed from.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Reply::Ok => f.write_str("OK\n"),
            Reply::Fail => f.write_str("FAIL\n"),
            Reply::UnknownCommand => f.write_str("UNKNOWN COMMAND\n"),
            Reply::Pong => f.write_str("PONG\n"),
            Reply::Empty => Ok(()),
            Reply::Token(t) => write!(f, "{}", t),
            Reply::Text(t) => f.write_str(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(Reply::parse(b"OK\n"), Ok(Reply::Ok));
        assert_eq!(Reply::parse(b"FAIL\n"), Ok(Reply::Fail));
        assert_eq!(
            Reply::parse(b"UNKNOWN COMMAND\n"),
            Ok(Reply::UnknownCommand)
        );
        assert_eq!(Reply::parse(b"PONG\n"), Ok(Reply::Pong));
        assert_eq!(Reply::parse(b""), Ok(Reply::Empty));
        assert_eq!(Reply::parse(b"1"), Ok(Reply::Token(1)));
        assert_eq!(Reply::parse(b"255"), Ok(Reply::Token(255)));
        assert_eq!(Reply::parse(b"256"), Ok(Reply::Text("256")));
        assert_eq!(Reply::parse(b"1\n"), Ok(Reply::Text("1\n")));
        assert_eq!(Reply::parse(b"0"), Ok(Reply::Token(0)));
        assert_eq!(
            Reply::parse(b"07"),
            Ok(Reply::Text("07")),
            "hostapd prints no leading zero"
        );
        assert_eq!(Reply::parse(b"\xff"), Err(ReplyError::NotUtf8));
        assert_eq!(Reply::Fail.token(), Err(ReplyError::Fail));
        assert_eq!(
            Reply::UnknownCommand.expect_ok(),
            Err(ReplyError::UnknownCommand)
        );
        assert_eq!(Reply::Pong.expect_ok(), Err(ReplyError::Unexpected));
        assert_eq!(Reply::Empty.sta(), Ok(None));
        assert_eq!(Reply::Empty.neighbors(), Ok(vec![]));
        for t in [
            "OK\n",
            "FAIL\n",
            "UNKNOWN COMMAND\n",
            "PONG\n",
            "",
            "7",
            "x=1\n",
        ] {
            assert_eq!(Reply::from_text(t).to_string(), t);
        }
    }
}
