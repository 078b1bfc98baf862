//! A tiny JSON writer: a value tree and a correct serializer (strings escaped per RFC 8259).
//!
//! Only output is needed (no parsing), so this stays a few dozen lines instead of a dependency.

use std::fmt::{self, Write as _};

/// One JSON value. Object keys keep their insertion order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number with a fraction (non-finite values are written as `null`).
    Num(f64),
    /// A string (escaped when written).
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object, in insertion order.
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// An empty object, to be filled with [`Json::with`] (out of line: called at every
    /// nested object).
    #[inline(never)]
    pub fn obj() -> Json {
        Json::Obj(Vec::new())
    }

    /// Adds `key: value` to an object (builder style); no effect on other values.
    pub fn with(mut self, key: &str, value: impl Into<Json>) -> Json {
        self.push_json(key, value.into());
        self
    }

    /// Adds `key: value` to an object in place; no effect on other values.
    pub fn push(&mut self, key: &str, value: impl Into<Json>) {
        self.push_json(key, value.into());
    }

    /// The one out-of-line body behind [`Json::with`] / [`Json::push`]: the builders are
    /// called a few hundred times, and inlining the allocation at each call site costs the
    /// router binary tens of kilobytes.
    #[inline(never)]
    fn push_json(&mut self, key: &str, value: Json) {
        if let Json::Obj(fields) = self {
            fields.push((key.to_string(), value));
        }
    }
}

impl From<bool> for Json {
    fn from(v: bool) -> Json {
        Json::Bool(v)
    }
}
macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Json {
            fn from(v: $t) -> Json {
                Json::Int(i64::from(v))
            }
        }
    )*};
}
from_int!(u8, u16, u32, i8, i16, i32, i64);
impl From<u64> for Json {
    fn from(v: u64) -> Json {
        match i64::try_from(v) {
            Ok(i) => Json::Int(i),
            Err(_) => Json::Num(v as f64),
        }
    }
}
impl From<f64> for Json {
    fn from(v: f64) -> Json {
        Json::Num(v)
    }
}
impl From<&str> for Json {
    fn from(v: &str) -> Json {
        Json::Str(v.to_string())
    }
}
impl From<String> for Json {
    fn from(v: String) -> Json {
        Json::Str(v)
    }
}
impl From<Vec<Json>> for Json {
    fn from(v: Vec<Json>) -> Json {
        Json::Arr(v)
    }
}
impl<T: Into<Json>> From<Option<T>> for Json {
    fn from(v: Option<T>) -> Json {
        v.map_or(Json::Null, Into::into)
    }
}

fn write_str(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if (c as u32) < 0x20 || c == '\u{7f}' => write!(f, "\\u{:04x}", c as u32)?,
            // U+2028/2029 are valid JSON but break JavaScript consumers.
            '\u{2028}' | '\u{2029}' => write!(f, "\\u{:04x}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Int(i) => write!(f, "{i}"),
            Json::Num(n) if n.is_finite() => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    write!(f, "{}", *n as i64)
                } else {
                    // `{n}` without core's float formatting (same text)
                    f.write_str(&super::num::shortest(*n))
                }
            }
            Json::Num(_) => f.write_str("null"),
            Json::Str(s) => write_str(f, s),
            Json::Arr(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_char(']')
            }
            Json::Obj(fields) => {
                f.write_char('{')?;
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write_str(f, k)?;
                    write!(f, ":{v}")?;
                }
                f.write_char('}')
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_strings() {
        let v = Json::from("a\"b\\c\nd\u{1}e\u{7f}é");
        assert_eq!(v.to_string(), r#""a\"b\\c\nd\u0001e\u007fé""#);
    }

    #[test]
    fn writes_nested_values() {
        let v = Json::obj()
            .with("n", 5u8)
            .with("dbm", -45.5)
            .with("whole", -45.0)
            .with("none", None::<u8>)
            .with("list", vec![Json::from(true), Json::Null])
            .with("nan", f64::NAN);
        assert_eq!(
            v.to_string(),
            r#"{"n":5,"dbm":-45.5,"whole":-45,"none":null,"list":[true,null],"nan":null}"#
        );
    }
}
