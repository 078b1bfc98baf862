//! The 48-bit MAC address type used throughout roamer.

use core::fmt;
use core::str::FromStr;

use crate::error::MacError;

/// A 48-bit IEEE MAC address (station address or BSSID).
///
/// Parses from and displays as hostapd prints it: six lower-case hex octets separated by colons
/// (`02:00:00:00:05:00`). Parsing also accepts upper-case digits, as hostapd's `hwaddr_aton()`
/// does, but nothing else (no other separators, no trailing text).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    /// `ff:ff:ff:ff:ff:ff`, the wildcard BSSID of a beacon request.
    pub const BROADCAST: Mac = Mac([0xff; 6]);
    /// `00:00:00:00:00:00`.
    pub const ZERO: Mac = Mac([0; 6]);

    /// The six octets.
    pub const fn octets(&self) -> [u8; 6] {
        self.0
    }

    /// Takes the first six bytes of `bytes`; `None` if there are fewer than six.
    pub fn from_slice(bytes: &[u8]) -> Option<Mac> {
        let b: [u8; 6] = bytes.get(..6)?.try_into().ok()?;
        Some(Mac(b))
    }

    /// Parses exactly `xx:xx:xx:xx:xx:xx` (hex digits of either case).
    pub fn parse(s: &str) -> Result<Mac, MacError> {
        let b = s.as_bytes();
        if b.len() != 17 {
            return Err(MacError::Length(b.len()));
        }
        let mut out = [0u8; 6];
        for (i, o) in out.iter_mut().enumerate() {
            let at = i * 3;
            if i > 0 && b[at - 1] != b':' {
                return Err(MacError::Separator(at - 1));
            }
            let hi = crate::hex::nibble(b[at]).ok_or(MacError::Digit(at))?;
            let lo = crate::hex::nibble(b[at + 1]).ok_or(MacError::Digit(at + 1))?;
            *o = (hi << 4) | lo;
        }
        Ok(Mac(out))
    }

    /// True for a group (multicast/broadcast) address.
    pub const fn is_multicast(&self) -> bool {
        self.0[0] & 1 == 1
    }
}

impl FromStr for Mac {
    type Err = MacError;
    fn from_str(s: &str) -> Result<Mac, MacError> {
        Mac::parse(s)
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            m[0], m[1], m[2], m[3], m[4], m[5]
        )
    }
}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<[u8; 6]> for Mac {
    fn from(b: [u8; 6]) -> Mac {
        Mac(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_lower_case_and_ignores_width() {
        let m = Mac([0x02, 0xab, 0x0c, 0xff, 0x10, 0x09]);
        assert_eq!(m.to_string(), "02:ab:0c:ff:10:09");
        assert_eq!(
            format!("{:>20}|{:<20}|", m, m),
            "02:ab:0c:ff:10:09|02:ab:0c:ff:10:09|"
        );
        assert_eq!(crate::hex::Hex(&[0, 0xab, 0x0f]).to_string(), "00ab0f");
        assert_eq!(format!("{:>8}", crate::hex::Hex(&[1])), "01");
    }

    #[test]
    fn parses_and_displays_hostapd_form() {
        let m: Mac = "02:00:00:00:05:00".parse().unwrap();
        assert_eq!(m.0, [2, 0, 0, 0, 5, 0]);
        assert_eq!(m.to_string(), "02:00:00:00:05:00");
        let u: Mac = "AA:bb:CC:dd:EE:0F".parse().unwrap();
        assert_eq!(u.to_string(), "aa:bb:cc:dd:ee:0f");
        assert_eq!(format!("{:?}", u), "aa:bb:cc:dd:ee:0f");
    }

    #[test]
    fn rejects_malformed() {
        assert_eq!(Mac::parse(""), Err(MacError::Length(0)));
        assert_eq!(Mac::parse("02:00:00:00:05:00 "), Err(MacError::Length(18)));
        assert_eq!(Mac::parse("02-00-00-00-05-00"), Err(MacError::Separator(2)));
        assert_eq!(Mac::parse("02:00:00:00:05:0g"), Err(MacError::Digit(16)));
        assert_eq!(Mac::parse("é2:00:00:00:05:0"), Err(MacError::Digit(0)));
        assert!(Mac::parse("020000000500ffffff").is_err());
    }

    #[test]
    fn slices() {
        assert_eq!(Mac::from_slice(&[1, 2, 3, 4, 5]), None);
        assert_eq!(
            Mac::from_slice(&[1, 2, 3, 4, 5, 6, 7]),
            Some(Mac([1, 2, 3, 4, 5, 6]))
        );
        assert!(Mac::BROADCAST.is_multicast());
        assert!(!Mac::ZERO.is_multicast());
    }
}
