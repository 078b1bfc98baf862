//! A tiny JSON writer: objects and arrays written straight into their text, strings escaped
//! per RFC 8259.
//!
//! Only output is needed (no parsing), so this stays a few dozen lines instead of a dependency.

use std::fmt::{self, Write as _};

/// Appends `s` as a JSON string (quoted, escaped per RFC 8259).
fn escape_into(out: &mut String, s: &str) {
    out.push('"');
    let _ = Esc(out).write_str(s);
    out.push('"');
}

/// A `fmt::Write` that escapes what is written into it as the inside of a JSON string.
struct Esc<'a>(&'a mut String);

impl fmt::Write for Esc<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let out = &mut *self.0;
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 || c == '\u{7f}' => {
                    super::push_fmt(out, format_args!("\\u{:04x}", c as u32))
                }
                // U+2028/2029 are valid JSON but break JavaScript consumers.
                '\u{2028}' | '\u{2029}' => {
                    super::push_fmt(out, format_args!("\\u{:04x}", c as u32))
                }
                c => out.push(c),
            }
        }
        Ok(())
    }
}

/// Appends a number (non-finite values as `null`; whole numbers below 1e15 without a fraction).
fn num_into(out: &mut String, n: f64) {
    if !n.is_finite() {
        out.push_str("null");
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        super::push_fmt(out, format_args!("{}", n as i64));
    } else {
        // `{n}` without core's float formatting (same text)
        out.push_str(&super::num::shortest(n));
    }
}

/// A JSON object written straight into its text, one out-of-line call per field (no value
/// tree: the value tree it replaced cost the router build several kilobytes; the tests pin
/// the same text it wrote).
#[derive(Debug)]
pub struct Obj(String);

impl Default for Obj {
    fn default() -> Obj {
        Obj::new()
    }
}

impl Obj {
    /// An empty object.
    #[inline(never)]
    pub fn new() -> Obj {
        Obj(String::from("{"))
    }

    /// Starts field `k`: the separator, the key and the colon; returns the text to append the
    /// value to.
    #[inline(never)]
    fn key(&mut self, k: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        escape_into(&mut self.0, k);
        self.0.push(':');
        &mut self.0
    }

    /// `k: null`.
    #[inline(never)]
    pub fn null(&mut self, k: &str) {
        self.key(k).push_str("null");
    }

    /// `k: "v"`.
    #[inline(never)]
    pub fn str(&mut self, k: &str, v: &str) {
        escape_into(self.key(k), v);
    }

    /// `k: "v"` or `k: null`.
    #[inline(never)]
    pub fn opt_str(&mut self, k: &str, v: Option<&str>) {
        match v {
            Some(v) => self.str(k, v),
            None => self.null(k),
        }
    }

    /// `k: "<v's Display text>"` (what `.with(k, v.to_string())` gave).
    #[inline(never)]
    pub fn disp(&mut self, k: &str, v: &dyn fmt::Display) {
        let out = self.key(k);
        out.push('"');
        let _ = write!(Esc(out), "{v}");
        out.push('"');
    }

    /// [`Obj::disp`] or `k: null`.
    #[inline(never)]
    pub fn opt_disp(&mut self, k: &str, v: Option<&dyn fmt::Display>) {
        match v {
            Some(v) => self.disp(k, v),
            None => self.null(k),
        }
    }

    /// `k: v` for an integer.
    #[inline(never)]
    pub fn int(&mut self, k: &str, v: i64) {
        super::push_fmt(self.key(k), format_args!("{v}"));
    }

    /// `k: v` or `k: null` for an integer.
    #[inline(never)]
    pub fn opt_int(&mut self, k: &str, v: Option<i64>) {
        match v {
            Some(v) => self.int(k, v),
            None => self.null(k),
        }
    }

    /// `k: v` for a `u64` (above `i64::MAX` written as the nearest f64, as the value tree did).
    #[inline(never)]
    pub fn uint(&mut self, k: &str, v: u64) {
        match i64::try_from(v) {
            Ok(i) => self.int(k, i),
            Err(_) => self.num(k, v as f64),
        }
    }

    /// [`Obj::uint`] or `k: null`.
    #[inline(never)]
    pub fn opt_uint(&mut self, k: &str, v: Option<u64>) {
        match v {
            Some(v) => self.uint(k, v),
            None => self.null(k),
        }
    }

    /// `k: v` for a number with a fraction (`null` when not finite).
    #[inline(never)]
    pub fn num(&mut self, k: &str, v: f64) {
        num_into(self.key(k), v);
    }

    /// [`Obj::num`] or `k: null`.
    #[inline(never)]
    pub fn opt_num(&mut self, k: &str, v: Option<f64>) {
        match v {
            Some(v) => self.num(k, v),
            None => self.null(k),
        }
    }

    /// `k: true|false`.
    #[inline(never)]
    pub fn bool(&mut self, k: &str, v: bool) {
        self.key(k).push_str(if v { "true" } else { "false" });
    }

    /// `k: true|false|null`.
    #[inline(never)]
    pub fn opt_bool(&mut self, k: &str, v: Option<bool>) {
        match v {
            Some(v) => self.bool(k, v),
            None => self.null(k),
        }
    }

    /// `k: <json>` for a value already written (a nested [`Obj::end`] or [`Arr::end`]).
    #[inline(never)]
    pub fn raw(&mut self, k: &str, json: &str) {
        self.key(k).push_str(json);
    }

    /// The object's text.
    #[inline(never)]
    pub fn end(mut self) -> String {
        self.0.push('}');
        self.0
    }

    /// Prints the object and a newline to stdout, like [`super::out`].
    #[inline(never)]
    pub fn print(mut self) -> bool {
        self.0.push_str("}\n");
        super::out(&self.0)
    }
}

/// A JSON array written straight into its text (see [`Obj`]).
#[derive(Debug)]
pub struct Arr(String);

impl Default for Arr {
    fn default() -> Arr {
        Arr::new()
    }
}

impl Arr {
    /// An empty array.
    #[inline(never)]
    pub fn new() -> Arr {
        Arr(String::from("["))
    }

    /// Starts the next item.
    #[inline(never)]
    fn item(&mut self) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        &mut self.0
    }

    /// Appends a value already written (an [`Obj::end`]).
    #[inline(never)]
    pub fn raw(&mut self, json: &str) {
        self.item().push_str(json);
    }

    /// Appends a string.
    #[inline(never)]
    pub fn str(&mut self, v: &str) {
        escape_into(self.item(), v);
    }

    /// Appends an integer.
    #[inline(never)]
    pub fn int(&mut self, v: i64) {
        super::push_fmt(self.item(), format_args!("{v}"));
    }

    /// The array's text.
    #[inline(never)]
    pub fn end(mut self) -> String {
        self.0.push(']');
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_strings() {
        let mut a = Arr::new();
        a.str("a\"b\\c\nd\u{1}e\u{7f}é");
        assert_eq!(a.end(), r#"["a\"b\\c\nd\u0001e\u007fé"]"#);
    }

    #[test]
    fn writes_nested_values() {
        let mut list = Arr::new();
        list.raw("true");
        list.raw("null");
        let mut o = Obj::new();
        o.int("n", 5);
        o.num("dbm", -45.5);
        o.num("whole", -45.0);
        o.opt_uint("none", None);
        o.raw("list", &list.end());
        o.num("nan", f64::NAN);
        assert_eq!(
            o.end(),
            r#"{"n":5,"dbm":-45.5,"whole":-45,"none":null,"list":[true,null],"nan":null}"#
        );
    }

    /// The text the value tree this writer replaced gave for the same fields (u64 above
    /// `i64::MAX` as the nearest f64, as before).
    #[test]
    fn writer_gives_the_tree_text() {
        let mut o = Obj::new();
        o.str("s", "a\"b\\c\nd\u{1}e\u{7f}\u{2028}é");
        o.int("k\"ey", 1);
        o.int("neg", -45);
        o.uint("big", u64::MAX);
        o.opt_uint("u", Some(7));
        o.num("half", -45.5);
        o.opt_num("whole", Some(-45.0));
        o.num("tiny", 1e-7);
        o.num("huge", 1e300);
        o.num("nan", f64::NAN);
        o.opt_int("none", None);
        o.bool("t", true);
        o.opt_bool("f", Some(false));
        let mut n = Obj::new();
        n.raw("a", &Arr::new().end());
        n.disp("b", &"x");
        o.raw("nested", &n.end());
        let mut a = Arr::new();
        a.int(1);
        a.str("two");
        o.raw("list", &a.end());
        let huge = format!("1{}", "0".repeat(300));
        assert_eq!(
            o.end(),
            format!(
                r#"{{"s":"a\"b\\c\nd\u0001e\u007f\u2028é","k\"ey":1,"neg":-45,"big":18446744073709552000,"u":7,"half":-45.5,"whole":-45,"tiny":0.0000001,"huge":{huge},"nan":null,"none":null,"t":true,"f":false,"nested":{{"a":[],"b":"x"}},"list":[1,"two"]}}"#
            )
        );
        assert_eq!(Obj::new().end(), "{}");
    }
}
