//! Hex helpers (hostapd writes binary fields as lower-case hex without separators).

use crate::error::HexError;

/// Value of one ASCII hex digit.
pub(crate) fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes an even-length hex string (either case, no separators).
pub fn decode(s: &str) -> Result<Vec<u8>, HexError> {
    let b = s.as_bytes();
    if b.len() % 2 != 0 {
        return Err(HexError::OddLength(b.len()));
    }
    let mut out = Vec::with_capacity(b.len() / 2);
    for (i, pair) in b.chunks_exact(2).enumerate() {
        let hi = nibble(pair[0]).ok_or(HexError::Digit(2 * i))?;
        let lo = nibble(pair[1]).ok_or(HexError::Digit(2 * i + 1))?;
        out.push((hi << 4) | lo);
    }
    Ok(out)
}

/// Appends the lower-case hex form of `bytes` to `out`.
pub fn encode_into(bytes: &[u8], out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
}

/// Lower-case hex form of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    let mut s = String::new();
    encode_into(bytes, &mut s);
    s
}

/// `Display` adapter writing bytes as lower-case hex.
pub struct Hex<'a>(pub &'a [u8]);

impl core::fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for b in self.0 {
            write!(f, "{:02x}", b)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let v = decode("00ff7Fa0").unwrap();
        assert_eq!(v, [0, 255, 127, 160]);
        assert_eq!(encode(&v), "00ff7fa0");
        assert_eq!(Hex(&v).to_string(), "00ff7fa0");
        assert_eq!(decode("").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn errors() {
        assert_eq!(decode("abc"), Err(HexError::OddLength(3)));
        assert_eq!(decode("0g"), Err(HexError::Digit(1)));
        assert_eq!(decode("é"), Err(HexError::Digit(0)));
    }
}
