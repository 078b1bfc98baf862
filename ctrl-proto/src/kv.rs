//! Borrowing iterators over hostapd's `key=value` text, and its printf-style string escaping.

/// Iterator over the `key=value` lines of a reply block (STATUS, STA, GET_CONFIG).
///
/// Splits at the first `=`; lines without `=` (the MAC line that opens a STA block) and empty
/// lines are skipped. Nothing is allocated.
#[derive(Debug, Clone)]
pub struct Pairs<'a> {
    lines: core::str::Split<'a, char>,
}

/// Iterates over the `key=value` lines of `text`.
pub fn pairs(text: &str) -> Pairs<'_> {
    Pairs {
        lines: text.split('\n'),
    }
}

impl<'a> Iterator for Pairs<'a> {
    type Item = (&'a str, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        for line in self.lines.by_ref() {
            if let Some(kv) = line.split_once('=') {
                return Some(kv);
            }
        }
        None
    }
}

/// Splits the space-separated arguments of an event into `key=value` pairs and bare words.
///
/// A word without `=` that follows a `key=value` word is taken as the continuation of that
/// value (hostapd prints `ch_width=20 MHz (no HT)` unquoted); other bare words (the MAC and
/// token that open many events) are returned as [`Word::Bare`].
#[derive(Debug, Clone)]
pub(crate) struct Words<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Words<'a> {
    pub(crate) fn new(s: &'a str) -> Words<'a> {
        Words { s, pos: 0 }
    }
}

/// One argument of an event line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Word<'a> {
    /// `key=value`, the value extended over following bare words.
    Pair(&'a str, &'a str),
    /// A word without `=` that opens the argument list (e.g. a MAC).
    Bare(&'a str),
}

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;
    fn next(&mut self) -> Option<Word<'a>> {
        let rest = self.s.get(self.pos..)?;
        let skip = rest.len() - rest.trim_start_matches(' ').len();
        let start = self.pos + skip;
        let rest = self.s.get(start..)?;
        if rest.is_empty() {
            self.pos = self.s.len();
            return None;
        }
        let first_end = rest.find(' ').unwrap_or(rest.len());
        let first = rest.get(..first_end)?;
        match first.split_once('=') {
            None => {
                self.pos = start + first_end;
                Some(Word::Bare(first))
            }
            Some((key, _)) => {
                // Extend the value over following words that contain no '='.
                let mut end = first_end;
                loop {
                    let tail = rest.get(end..).unwrap_or("");
                    let t = tail.trim_start_matches(' ');
                    if t.is_empty() {
                        break;
                    }
                    let w_end = t.find(' ').unwrap_or(t.len());
                    let w = t.get(..w_end).unwrap_or("");
                    if w.contains('=') {
                        break;
                    }
                    end += (tail.len() - t.len()) + w_end;
                }
                self.pos = start + end;
                let value = rest.get(key.len() + 1..end).unwrap_or("");
                Some(Word::Pair(key, value))
            }
        }
    }
}

/// `v` as a decimal integer of type `T`, accepting exactly what `T::from_str` accepts (an
/// optional `+`, or `-` for a signed `T`, then ASCII digits, in range). One parser serves every
/// width: each `from_str` instance is inlined into its caller, which cost code per field.
/// Public so that the binary can parse its own numbers with it too.
pub fn int<T: TryFrom<i64>>(v: &str) -> Option<T> {
    // `u8::from_str("-0")` fails: unsigned types take no minus sign at all.
    if v.starts_with('-') && T::try_from(-1).is_err() {
        return None;
    }
    T::try_from(dec(v)?).ok()
}

#[inline(never)]
fn dec(v: &str) -> Option<i64> {
    v.parse().ok()
}

/// Decodes hostapd's `printf_encode()` form (as used for `ssid[i]=` in STATUS):
/// `\\`, `\"`, `\e`, `\n`, `\r`, `\t` and `\xHH`; other bytes are literal.
/// Returns `None` for a dangling or unknown escape.
pub fn printf_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let e = *b.get(i + 1)?;
        i += 2;
        match e {
            b'\\' => out.push(b'\\'),
            b'"' => out.push(b'"'),
            b'e' => out.push(0x1b),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'x' => {
                let hi = crate::hex::nibble(*b.get(i)?)?;
                let lo = crate::hex::nibble(*b.get(i + 1)?)?;
                out.push((hi << 4) | lo);
                i += 2;
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Encodes bytes as hostapd's `printf_encode()` does (the inverse of [`printf_decode`]).
pub fn printf_encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &c in bytes {
        match c {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            0x1b => s.push_str("\\e"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            32..=126 => s.push(c as char),
            _ => {
                s.push_str("\\x");
                crate::hex::encode_into(&[c], &mut s);
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_accepts_what_from_str_accepts() {
        fn same<T>(v: &str)
        where
            T: TryFrom<i64> + core::str::FromStr + PartialEq + core::fmt::Debug,
        {
            assert_eq!(int::<T>(v), v.parse::<T>().ok(), "{v:?}");
        }
        for v in [
            "0",
            "1",
            "+1",
            "-1",
            "-0",
            "+0",
            "+",
            "-",
            "",
            " 1",
            "1 ",
            "127",
            "128",
            "-128",
            "-129",
            "255",
            "256",
            "65535",
            "65536",
            "-32768",
            "2147483647",
            "2147483648",
            "-2147483648",
            "-2147483649",
            "4294967295",
            "4294967296",
            "0007",
            "1a",
            "0x1",
            "99999999999999999999",
            "--1",
            "+-1",
            "1_0",
        ] {
            same::<u8>(v);
            same::<i8>(v);
            same::<u16>(v);
            same::<i32>(v);
            same::<u32>(v);
            same::<usize>(v);
        }
    }

    #[test]
    fn pairs_skip_bare_lines() {
        let v: Vec<_> = pairs("02:00:00:00:06:00\nflags=[AUTH]\naid=1\n\nx=a=b\n").collect();
        assert_eq!(v, [("flags", "[AUTH]"), ("aid", "1"), ("x", "a=b")]);
    }

    #[test]
    fn words_extend_values() {
        let v: Vec<_> = Words::new(
            "freq=5180 ht_enabled=1 ch_offset=1 ch_width=20 MHz (no HT) cf1=5190 cf2=0 dfs=0",
        )
        .collect();
        assert_eq!(v[3], Word::Pair("ch_width", "20 MHz (no HT)"));
        assert_eq!(v[4], Word::Pair("cf1", "5190"));
        assert_eq!(v.len(), 7);
        let v: Vec<_> = Words::new("02:00:00:00:05:00  1 ack=1 ").collect();
        assert_eq!(
            v,
            [
                Word::Bare("02:00:00:00:05:00"),
                Word::Bare("1"),
                Word::Pair("ack", "1")
            ]
        );
        assert_eq!(Words::new("").count(), 0);
        assert_eq!(Words::new("   ").count(), 0);
        assert_eq!(Words::new("=").collect::<Vec<_>>(), [Word::Pair("", "")]);
    }

    #[test]
    fn printf_round_trip() {
        let raw = b"a\"b\\c\x1b\n\r\t\x00\xffz ".to_vec();
        let enc = printf_encode(&raw);
        assert_eq!(enc, "a\\\"b\\\\c\\e\\n\\r\\t\\x00\\xffz ");
        assert_eq!(printf_decode(&enc).unwrap(), raw);
        assert_eq!(printf_decode("labnet").unwrap(), b"labnet");
        assert_eq!(printf_decode("bad\\"), None);
        assert_eq!(printf_decode("bad\\x4"), None);
        assert_eq!(printf_decode("bad\\q"), None);
    }
}
