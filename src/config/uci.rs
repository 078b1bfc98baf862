//! A parser for OpenWrt's UCI file syntax (the subset `uci` itself writes and reads).
//!
//! ```text
//! # comment
//! package roamer                 (accepted and ignored)
//! config roamer 'main'           (section: type, optional name)
//!     option ctrl_dir '/var/run/hostapd'
//!     list iface 'wlan0'         (repeatable)
//! ```
//!
//! Words are separated by blanks; a word is any concatenation of bare text, `'single quoted'`
//! (taken literally) and `"double quoted"` text (where `\` escapes the next character), as in
//! libuci. A `#` that starts a word starts a comment. Every item keeps its line number so that
//! the typed layer ([`super::Config`]) can name the file, line and key of any error.
//!
//! The parser never panics: it walks `char`s, and every error is a value.

use std::fmt;

/// One `option` or `list` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// 1-based line number in the file.
    pub line: usize,
    /// `true` for `list NAME VALUE`, `false` for `option NAME VALUE`.
    pub is_list: bool,
    /// The option name.
    pub name: String,
    /// The value after unquoting.
    pub value: String,
}

/// One `config TYPE [NAME]` section with its items in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// 1-based line number of the `config` line.
    pub line: usize,
    /// The section type (`roamer`, `neighbor`, `client`).
    pub kind: String,
    /// The section name, if one was given.
    pub name: Option<String>,
    /// The `option` and `list` lines, in order.
    pub items: Vec<Item>,
}

/// A syntax error: the line it is on and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, in words.
    pub msg: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.msg)
    }
}

/// Splits one line into words, or says why it cannot.
fn words(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.peek() {
            None | Some('#') => return Ok(out),
            Some(_) => {}
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            match c {
                '\'' => loop {
                    match chars.next() {
                        None => return Err("unterminated ' quote".into()),
                        Some('\'') => break,
                        Some(c) => word.push(c),
                    }
                },
                '"' => loop {
                    match chars.next() {
                        None => return Err("unterminated \" quote".into()),
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            None => return Err("unterminated \" quote".into()),
                            Some(c) => word.push(c),
                        },
                        Some(c) => word.push(c),
                    }
                },
                '\\' => match chars.next() {
                    None => return Err("'\\' at the end of the line".into()),
                    Some(c) => word.push(c),
                },
                c => word.push(c),
            }
        }
        out.push(word);
    }
}

fn valid_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses a whole UCI file into its sections.
pub fn parse(text: &str) -> Result<Vec<Section>, SyntaxError> {
    let mut sections: Vec<Section> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let err = |msg: String| SyntaxError { line, msg };
        let w = words(raw).map_err(err)?;
        let Some(keyword) = w.first() else { continue };
        match keyword.as_str() {
            "package" => {
                if w.len() != 2 {
                    return Err(err("expected 'package NAME'".into()));
                }
            }
            "config" => {
                if w.len() < 2 || w.len() > 3 {
                    return Err(err("expected 'config TYPE [NAME]'".into()));
                }
                if !valid_name(&w[1]) {
                    return Err(err(format!("invalid section type '{}'", w[1])));
                }
                if let Some(name) = w.get(2) {
                    if !valid_name(name) {
                        return Err(err(format!("invalid section name '{name}'")));
                    }
                }
                sections.push(Section {
                    line,
                    kind: w[1].clone(),
                    name: w.get(2).cloned(),
                    items: Vec::new(),
                });
            }
            kw @ ("option" | "list") => {
                if w.len() != 3 {
                    return Err(err(format!("expected '{kw} NAME VALUE'")));
                }
                if !valid_name(&w[1]) {
                    return Err(err(format!("invalid {kw} name '{}'", w[1])));
                }
                let Some(section) = sections.last_mut() else {
                    return Err(err(format!("'{kw} {}' before any 'config' line", w[1])));
                };
                section.items.push(Item {
                    line,
                    is_list: kw == "list",
                    name: w[1].clone(),
                    value: w[2].clone(),
                });
            }
            other => {
                return Err(err(format!(
                    "unknown keyword '{other}' (expected config, option, list or package)"
                )))
            }
        }
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_options_lists_and_quotes() {
        let text = "\
# roamer
package roamer

config roamer 'main'
\toption ctrl_dir '/var/run/hostapd'   # trailing comment
\tlist iface wlan0
\tlist iface \"wlan1\"
\toption ssid 'my net'\"work\"x
config neighbor
\toption nr 'a#b'
";
        let s = parse(text).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].kind, "roamer");
        assert_eq!(s[0].name.as_deref(), Some("main"));
        assert_eq!(s[0].line, 4);
        assert_eq!(
            s[0].items[0],
            Item {
                line: 5,
                is_list: false,
                name: "ctrl_dir".into(),
                value: "/var/run/hostapd".into()
            }
        );
        assert!(s[0].items[1].is_list);
        assert_eq!(s[0].items[2].value, "wlan1");
        assert_eq!(s[0].items[3].value, "my networkx");
        assert_eq!(s[1].name, None);
        assert_eq!(s[1].items[0].value, "a#b");
    }

    #[test]
    fn escapes_in_double_quotes_only() {
        let s = parse("config a\noption x \"a\\\"b\"\noption y 'a\\b'\n").unwrap();
        assert_eq!(s[0].items[0].value, "a\"b");
        assert_eq!(s[0].items[1].value, "a\\b");
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("config a\noption x 'abc\n", 2, "unterminated"),
            ("option x y\n", 1, "before any 'config'"),
            ("config a\noption x\n", 2, "expected 'option NAME VALUE'"),
            (
                "config a\noption x y z\n",
                2,
                "expected 'option NAME VALUE'",
            ),
            ("config a\n\nfoo bar\n", 3, "unknown keyword 'foo'"),
            ("config a-b\n", 1, "invalid section type"),
            ("config a\nlist x-y 1\n", 2, "invalid list name"),
            ("config\n", 1, "expected 'config TYPE [NAME]'"),
            ("config a\noption x \"ab\\\n", 2, "unterminated"),
        ];
        for (text, line, needle) in cases {
            let e = parse(text).unwrap_err();
            assert_eq!(e.line, line, "{text:?}");
            assert!(e.msg.contains(needle), "{text:?}: {}", e.msg);
        }
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        for text in [
            "'",
            "\"",
            "\\",
            "config 'a",
            "\u{0}\u{ffff}",
            "config a\noption \u{e9} x",
            "#\n#'",
        ] {
            let _ = parse(text);
        }
    }
}
