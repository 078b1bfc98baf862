//! Neighbor-table synchronisation for one BSS, as a pure planner.
//!
//! The desired table of a BSS is every *other* local BSS's own entry (computed from STATUS +
//! nl80211, never read back) plus the configured remote neighbors. roamer writes what is
//! missing or different with `SET_NEIGHBOR` (which replaces an entry with the same
//! BSSID+SSID key) and removes with `REMOVE_NEIGHBOR` only the entries it added itself and no
//! longer wants; entries others added, and hostapd's own entry, are never removed.
//!
//! When hostapd has `SHOW_NEIGHBOR` (2.10+), the plan compares with the actual table and
//! sends only the differences; without it (2.9, some OpenWrt builds) every desired entry is
//! set again, which is idempotent. The sync runs after every (re)connect, after every channel
//! switch of a local BSS, on a slow timer (someone else may have changed the table), and when
//! the configuration changes.
//!
//! The keys roamer added are kept in `<run_dir>/neighbors-<iface>` (one `<bssid> <ssid hex>`
//! line each, rewritten atomically on change), so a restarted roamer still removes what an
//! earlier run added and the new configuration no longer wants. `run_dir` is on tmpfs on
//! routers, like hostapd's table itself: both start empty after a reboot.

use std::fmt::Write as _;
use std::path::PathBuf;

use ctrl_proto::{Mac, NeighborEntry};

/// The key of a neighbor database entry.
pub type Key = (Mac, Vec<u8>);

/// One step of a sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// `SET_NEIGHBOR` this entry.
    Set(NeighborEntry),
    /// `REMOVE_NEIGHBOR` this key (an entry roamer added).
    Remove(Key),
}

/// What roamer remembers about one BSS's table.
#[derive(Debug, Default, Clone)]
pub struct Table {
    /// Keys roamer set and has not removed (bounded by the number of desired entries
    /// plus those pending removal).
    pub added: Vec<Key>,
    /// `Some(false)` once hostapd answered `UNKNOWN COMMAND` to `SHOW_NEIGHBOR`.
    pub show_supported: Option<bool>,
    /// Entries set / removed so far (for `roamer state`).
    pub sets: u64,
    /// Where `added` is kept between runs (None: memory only).
    pub file: Option<PathBuf>,
    /// Entries removed so far.
    pub removes: u64,
}

/// Plans a sync: `desired` is the wanted set (not including the BSS's own entry), `shown` the
/// table as `SHOW_NEIGHBOR` printed it (`None` if unavailable), `own` the BSS's own BSSID.
pub fn plan(
    table: &Table,
    desired: &[NeighborEntry],
    shown: Option<&[NeighborEntry]>,
    own: Mac,
) -> Vec<Op> {
    let mut ops = Vec::new();
    for d in desired {
        if d.bssid == own {
            continue;
        }
        let present = shown.is_some_and(|s| {
            s.iter()
                .any(|e| e.bssid == d.bssid && e.ssid == d.ssid && e.nr == d.nr)
        });
        if !present {
            ops.push(Op::Set(d.clone()));
        }
    }
    for k in &table.added {
        let wanted = desired.iter().any(|d| d.bssid == k.0 && d.ssid == k.1);
        // Without SHOW_NEIGHBOR we cannot tell whether it is still there: remove anyway
        // (FAIL is harmless). With it, only if it is actually present.
        let there = shown.map_or(true, |s| s.iter().any(|e| e.bssid == k.0 && e.ssid == k.1));
        if !wanted && k.0 != own && there {
            ops.push(Op::Remove(k.clone()));
        }
    }
    ops
}

/// Most keys read back from a state file (a larger file is not roamer's).
const MAX_FILE_KEYS: usize = 1024;

impl Table {
    /// A table whose additions are kept in `file`, starting with what an earlier run left
    /// there. Unreadable lines are ignored.
    pub fn load(file: PathBuf) -> Table {
        let mut added: Vec<Key> = Vec::new();
        if let Ok(text) = std::fs::read_to_string(&file) {
            for line in text.lines().take(MAX_FILE_KEYS) {
                let mut w = line.split(' ');
                let bssid = w.next().and_then(|b| Mac::parse(b).ok());
                let ssid = w.next().and_then(|h| ctrl_proto::hex::decode(h).ok());
                if let (Some(b), Some(s), None) = (bssid, ssid, w.next()) {
                    if !s.is_empty() && s.len() <= 32 && !added.contains(&(b, s.clone())) {
                        added.push((b, s));
                    }
                }
            }
        }
        Table {
            added,
            file: Some(file),
            ..Table::default()
        }
    }

    fn save(&self) {
        let Some(file) = &self.file else { return };
        let mut text = String::new();
        for (b, s) in &self.added {
            let _ = writeln!(text, "{b} {}", ctrl_proto::hex::Hex(s));
        }
        let tmp = file.with_extension("tmp");
        let res = if self.added.is_empty() {
            match std::fs::remove_file(file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        } else {
            std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, file))
        };
        if let Err(e) = res {
            warn!(
                "{}: cannot record roamer's neighbor entries: {e}",
                file.display()
            );
        }
    }

    /// Records hostapd's answer to a `SET_NEIGHBOR`.
    pub fn set_done(&mut self, k: Key, ok: bool) {
        if ok {
            self.sets += 1;
            if !self.added.contains(&k) {
                self.added.push(k);
                self.save();
            }
        }
    }

    /// Records hostapd's answer to a `REMOVE_NEIGHBOR` (either way the entry is not ours any
    /// more: FAIL means it was already gone).
    pub fn remove_done(&mut self, k: &Key, ok: bool) {
        if ok {
            self.removes += 1;
        }
        let before = self.added.len();
        self.added.retain(|a| a != k);
        if self.added.len() != before {
            self.save();
        }
    }

    /// Forgets keys that are gone from the table as `SHOW_NEIGHBOR` printed it (hostapd
    /// restarted, or someone removed them): they are no longer ours to remove.
    pub fn forget_missing(&mut self, shown: &[NeighborEntry]) {
        self.added
            .retain(|k| shown.iter().any(|e| e.bssid == k.0 && e.ssid == k.1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(last: u8, ssid: &str, nr_tail: u8) -> NeighborEntry {
        let bssid = Mac([2, 0, 0, 0, last, 0]);
        let mut nr = bssid.0.to_vec();
        nr.extend_from_slice(&[0xaf, 0x09, 0, 0, 81, 6, 7, nr_tail]);
        NeighborEntry {
            bssid,
            ssid: ssid.as_bytes().to_vec(),
            nr,
            lci: None,
            civic: None,
            stationary: false,
        }
    }

    fn key(e: &NeighborEntry) -> Key {
        (e.bssid, e.ssid.clone())
    }

    const OWN: Mac = Mac([2, 0, 0, 0, 0, 0]);

    #[test]
    fn without_show_sets_everything_and_removes_only_own_additions() {
        let mut t = Table::default();
        let desired = [e(1, "labnet", 0), e(2, "labnet", 0)];
        let ops = plan(&t, &desired, None, OWN);
        assert_eq!(
            ops,
            [Op::Set(desired[0].clone()), Op::Set(desired[1].clone())]
        );
        for op in ops {
            if let Op::Set(x) = op {
                t.set_done(key(&x), true);
            }
        }
        // entry 2 no longer wanted: removed; a foreign entry is never in `added`
        let ops = plan(&t, &desired[..1], None, OWN);
        assert_eq!(
            ops,
            [Op::Set(desired[0].clone()), Op::Remove(key(&desired[1]))]
        );
        t.remove_done(&key(&desired[1]), true);
        assert_eq!(t.added, [key(&desired[0])]);
        assert_eq!((t.sets, t.removes), (2, 1));
    }

    #[test]
    fn with_show_sends_only_differences() {
        let mut t = Table::default();
        let own = e(0, "labnet", 0);
        let foreign = e(9, "other", 0);
        let a = e(1, "labnet", 0);
        let b = e(2, "labnet", 0);
        let b_changed = e(2, "labnet", 1);
        t.set_done(key(&a), true);
        t.set_done(key(&b), true);
        let shown = [own.clone(), foreign.clone(), a.clone(), b.clone()];
        // unchanged: nothing to do
        assert_eq!(plan(&t, &[a.clone(), b.clone()], Some(&shown), OWN), []);
        // b changed channel: set it again; foreign and own entries untouched
        assert_eq!(
            plan(&t, &[a.clone(), b_changed.clone()], Some(&shown), OWN),
            [Op::Set(b_changed)]
        );
        // a gone from the wanted set: removed; the own BSS in `desired` is skipped
        assert_eq!(
            plan(&t, &[own, b.clone()], Some(&shown), OWN),
            [Op::Remove(key(&a))]
        );
        // hostapd restarted: table holds only its own entry; forget our additions, set again
        let fresh = [e(0, "labnet", 0)];
        t.forget_missing(&fresh);
        assert!(t.added.is_empty());
        assert_eq!(
            plan(&t, std::slice::from_ref(&a), Some(&fresh), OWN),
            [Op::Set(a)]
        );
    }

    #[test]
    fn additions_survive_a_restart_through_the_state_file() {
        let dir = std::env::temp_dir().join(format!("roamer-nbr-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("neighbors-wlan0");
        let mut t = Table::load(file.clone());
        assert!(t.added.is_empty());
        t.set_done(key(&e(1, "labnet", 0)), true);
        t.set_done(key(&e(2, "lab net", 0)), true);
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "02:00:00:00:01:00 6c61626e6574\n02:00:00:00:02:00 6c6162206e6574\n"
        );
        // The next run knows what it added, so it removes what is no longer wanted.
        let t2 = Table::load(file.clone());
        assert_eq!(t2.added, t.added);
        assert_eq!(
            plan(&t2, &[e(1, "labnet", 0)], None, OWN)[1],
            Op::Remove(key(&e(2, "lab net", 0)))
        );
        // Garbage lines are ignored; removing the last key removes the file.
        std::fs::write(
            &file,
            "junk\n02:00:00:00:03:00 zz\n02:00:00:00:01:00 6c61626e6574 x\n02:00:00:00:04:00 6c\n",
        )
        .unwrap();
        let mut t3 = Table::load(file.clone());
        assert_eq!(t3.added, [(Mac([2, 0, 0, 0, 4, 0]), b"l".to_vec())]);
        t3.remove_done(&(Mac([2, 0, 0, 0, 4, 0]), b"l".to_vec()), true);
        assert!(!file.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn failed_set_is_not_ours() {
        let mut t = Table::default();
        t.set_done(key(&e(1, "x", 0)), false);
        assert!(t.added.is_empty());
        t.remove_done(&key(&e(1, "x", 0)), false);
        assert_eq!(t.removes, 0);
    }
}
