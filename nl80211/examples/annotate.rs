//! Fixture maker: turns the `RECV <label> <hex>` lines of `capture` output (stdin) into
//! annotated fixture files (one per label, written to the directory given as argument), with
//! one line per header field / attribute and the kernel name of each attribute.
//!
//! usage: annotate OUTDIR [LABEL...] < capture.txt   (all labels if none given)

use std::collections::BTreeMap;
use std::io::Read;

#[path = "../tests/support/schema.rs"]
mod schema;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.first().expect("usage: annotate OUTDIR [LABEL...]");
    let want = &args[1..];
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("stdin");
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for l in input.lines() {
        let mut it = l.split_whitespace();
        let (Some("RECV"), Some(label), Some(hex)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        if !want.is_empty() && !want.iter().any(|w| w == label) {
            continue;
        }
        let bytes: Vec<u8> = (0..hex.len() / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex"))
            .collect();
        let n = counts.entry(label.to_string()).or_default();
        *n += 1;
        let text = files.entry(label.to_string()).or_default();
        schema::annotate::<byteorder::LittleEndian>(&format!("{label} datagram {n}"), &bytes, text);
    }
    for (label, text) in files {
        let path = format!("{dir}/{label}.hex");
        std::fs::write(&path, text).expect("write");
        eprintln!("wrote {path}");
    }
}
