//! A tiny table printer: left-aligned columns separated by two spaces, header first.

use std::fmt;

/// Rows of cells under a header; [`Table::render`] pads every column to its widest cell.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column titles.
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends one row (missing cells print empty, extra cells are kept).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Starts an empty row, to be filled with [`Table::cell`].
    #[inline(never)]
    pub fn start_row(&mut self) {
        self.rows.push(Vec::new());
    }

    /// Appends a cell to the last row (one out-of-line call per cell instead of a
    /// `vec![..]` literal of Strings).
    #[inline(never)]
    pub fn cell(&mut self, text: String) {
        if let Some(r) = self.rows.last_mut() {
            r.push(text);
        }
    }

    /// Appends a cell with `v`'s text.
    #[inline(never)]
    pub fn disp(&mut self, v: &dyn fmt::Display) {
        self.cell(v.to_string());
    }

    /// Appends a cell with a number.
    #[inline(never)]
    pub fn num(&mut self, v: u64) {
        self.cell(v.to_string());
    }

    /// Appends a cell with `text`.
    #[inline(never)]
    pub fn text(&mut self, text: &str) {
        self.cell(text.to_string());
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as text, one line per row, each ending in `\n`; trailing spaces trimmed.
    pub fn render(&self) -> String {
        let ncols = self
            .rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(self.header.len()))
            .max()
            .unwrap_or(0);
        let mut widths = vec![0usize; ncols];
        for line in std::iter::once(&self.header).chain(&self.rows) {
            for (i, cell) in line.iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let mut out = String::new();
        for line in std::iter::once(&self.header).chain(&self.rows) {
            let mut text = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = line.get(i).map(String::as_str).unwrap_or("");
                text.push_str(cell);
                if i + 1 < ncols {
                    let pad = width - cell.chars().count() + 2;
                    text.extend(std::iter::repeat(' ').take(pad));
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
        out
    }
}

/// `key: value` lines gathered one at a time, rendered by [`key_values`]. Each addition is one
/// out-of-line call (a `vec![(key, format!(..)), ..]` literal costs far more code per line).
#[derive(Debug, Default)]
pub struct Kv(pub Vec<(&'static str, String)>);

impl Kv {
    /// Adds `key: value`.
    #[inline(never)]
    pub fn add(&mut self, key: &'static str, value: String) {
        self.0.push((key, value));
    }

    /// Adds `key: <formatted args>`.
    #[inline(never)]
    pub fn fmt(&mut self, key: &'static str, args: fmt::Arguments<'_>) {
        self.add(key, fmt::format(args));
    }

    /// Adds `key: <v's Display text>`.
    #[inline(never)]
    pub fn disp(&mut self, key: &'static str, v: &dyn fmt::Display) {
        self.add(key, v.to_string());
    }

    /// Adds `key: value` (copied).
    #[inline(never)]
    pub fn text(&mut self, key: &'static str, value: &str) {
        self.add(key, value.to_string());
    }

    /// Writes the lines to stdout (see [`super::out`]).
    #[inline(never)]
    pub fn print(&self) -> bool {
        super::out(&key_values(&self.0))
    }
}

/// `v` as decimal text, or `none` when absent.
#[inline(never)]
pub fn or_text(v: Option<u32>, none: &str) -> String {
    match v {
        Some(v) => v.to_string(),
        None => none.to_string(),
    }
}

/// Renders `key: value` lines with the values aligned after the longest key.
pub fn key_values(pairs: &[(&str, String)]) -> String {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (k, v) in pairs {
        // what `format!("{:width$}  {v}", format!("{k}:"), width = width + 1)` gives,
        // without the two temporary Strings
        out.push_str(k);
        out.push(':');
        for _ in k.chars().count() + 1..width + 1 {
            out.push(' ');
        }
        out.push_str("  ");
        out.push_str(v);
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_columns() {
        let mut t = Table::new(&["A", "LONGER"]);
        t.row(vec!["xyz".into(), "1".into()]);
        t.row(vec!["é".into()]);
        assert_eq!(t.render(), "A    LONGER\nxyz  1\né\n");
    }

    #[test]
    fn aligns_key_values() {
        let s = key_values(&[("a", "1".into()), ("long", "".into())]);
        assert_eq!(s, "a:     1\nlong:\n");
        // the width counts bytes, the padding characters (as `{:width$}` did)
        let s = key_values(&[("é", "x".into()), ("ab", "y".into())]);
        assert_eq!(s, "é:   x\nab:  y\n");
    }
}
