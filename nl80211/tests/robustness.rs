//! "Never panics on any input": every decoder on mutated real captures (bit flips, byte
//! overwrites with boundary values, truncation, length-field edits), both byte orders.
//! The libFuzzer target `tests/fuzz/fuzz_targets/nl80211_decode.rs` runs the same entry point
//! without limits; this test keeps a deterministic slice of it in `cargo test`.

#[path = "support/schema.rs"]
mod schema;

struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hwsim-6.1");
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "hex") {
            let text = std::fs::read_to_string(&p).unwrap();
            v.extend(schema::load_fixture(&text).into_iter().map(|(_, b)| b));
        }
    }
    assert!(v.len() >= 10);
    v
}

#[test]
fn mutated_captures_never_panic() {
    let seeds = seeds();
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for s in &seeds {
        nl80211::fuzz::decode_everything(s);
        nl80211::fuzz::decode_everything(&schema::le_to_be(s));
        for cut in 0..s.len().min(300) {
            nl80211::fuzz::decode_everything(&s[..cut]);
        }
    }
    // the small datagrams get most of the budget; the 22 KB wiphy one a few rounds
    for i in 0..20000 {
        let s = &seeds[i % seeds.len()];
        if s.len() > 4096 && i % 50 != 0 {
            continue;
        }
        let mut d = s.clone();
        for _ in 0..1 + rng.below(4) {
            if d.is_empty() {
                break;
            }
            let at = rng.below(d.len());
            match rng.below(5) {
                0 => d[at] ^= 1 << rng.below(8),
                1 => d[at] = [0, 1, 3, 4, 5, 0x7f, 0x80, 0xff][rng.below(8)],
                2 => d.truncate(at),
                3 => {
                    // an attribute or message length field: 16-bit at a 4-aligned offset
                    let a = at & !3;
                    if a + 2 <= d.len() {
                        let v = [0u16, 3, 4, 5, 0xffff, 0x8000][rng.below(6)];
                        d[a..a + 2].copy_from_slice(&v.to_le_bytes());
                    }
                }
                _ => {
                    let n = rng.below(8).min(d.len() - at);
                    d.drain(at..at + n);
                }
            }
        }
        nl80211::fuzz::decode_everything(&d);
    }
}
