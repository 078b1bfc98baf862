//! Departure watch after an accepted transition (BSS-TM-RESP status 0).
//!
//! A client that roams to another AP rarely tells the old one: mac80211 reassociates with the
//! target without deauthenticating from the old AP, so `AP-STA-DISCONNECTED` may only come
//! with hostapd's inactivity timeout (minutes), long after the policy's `leave_timeout_ms`,
//! and the policy would count a successful roam as "accepted but did not leave". The daemon
//! therefore polls the client (`POLL_STA`, once per [`POLL_EVERY`]) and watches for
//! `AP-STA-POLL-OK <mac>` on the event socket; [`MISSES`] unanswered polls in a row, or
//! hostapd refusing `POLL_STA` (it no longer knows the station), mean the client left. This
//! is what `roamer steer` does on the command line. A client that shows up on another local
//! BSS, disconnects, or vanishes from the nl80211 station dump ends the watch as well (the
//! daemon's existing paths handle those).
//!
//! [`Watch`] is sans-IO: the daemon sends the polls and feeds the answers.

use std::time::{Duration, Instant};

/// How often an accepted client is polled.
pub const POLL_EVERY: Duration = Duration::from_secs(1);
/// Unanswered polls in a row that mean the client left.
pub const MISSES: u32 = 2;

/// What [`Watch::tick`] asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Nothing now.
    Wait,
    /// Send one `POLL_STA`.
    Poll,
    /// The client left (why).
    Left(&'static str),
    /// The policy's leave deadline passed: stop watching, the policy decides.
    GiveUp,
}

/// The watch of one accepted client.
#[derive(Debug, Clone)]
pub struct Watch {
    next_poll: Instant,
    until: Instant,
    polls: u32,
    acked: bool,
    misses: u32,
}

impl Watch {
    /// Starts watching at `now`; the first poll goes out at once. `until`: the policy's leave
    /// deadline (nothing is concluded after it).
    pub fn new(now: Instant, until: Instant) -> Watch {
        Watch {
            next_poll: now,
            until,
            polls: 0,
            acked: false,
            misses: 0,
        }
    }

    /// `AP-STA-POLL-OK` for this client.
    pub fn poll_ok(&mut self) {
        self.acked = true;
    }

    /// The last poll was not sent or got no reply from hostapd: it proves nothing.
    pub fn poll_unsent(&mut self) {
        self.acked = true;
    }

    /// When [`Watch::tick`] has work next.
    pub fn next_deadline(&self) -> Instant {
        self.next_poll.min(self.until)
    }

    /// Timer work at `now`.
    pub fn tick(&mut self, now: Instant) -> Step {
        if now >= self.until {
            return Step::GiveUp;
        }
        if now < self.next_poll {
            return Step::Wait;
        }
        if self.polls > 0 {
            self.misses = if self.acked { 0 } else { self.misses + 1 };
            if self.misses >= MISSES {
                return Step::Left("no longer acknowledges polls");
            }
        }
        self.acked = false;
        self.polls += 1;
        self.next_poll = now + POLL_EVERY;
        Step::Poll
    }
}

/// A small map by station MAC for the few clients under a departure watch (or found gone): a
/// `Vec` in insertion order. Two `HashMap`s here each brought their own hash table code.
#[derive(Debug)]
pub struct MacMap<V>(Vec<([u8; 6], V)>);

impl<V> Default for MacMap<V> {
    fn default() -> Self {
        MacMap(Vec::new())
    }
}

impl<V> MacMap<V> {
    fn pos(&self, mac: &[u8; 6]) -> Option<usize> {
        self.0.iter().position(|e| e.0 == *mac)
    }

    /// The value of `mac`.
    pub fn get(&self, mac: &[u8; 6]) -> Option<&V> {
        self.0.iter().find(|e| e.0 == *mac).map(|e| &e.1)
    }

    /// The value of `mac`, mutable.
    pub fn get_mut(&mut self, mac: &[u8; 6]) -> Option<&mut V> {
        self.0.iter_mut().find(|e| e.0 == *mac).map(|e| &mut e.1)
    }

    /// Sets the value of `mac` (replacing it in place if present).
    pub fn insert(&mut self, mac: [u8; 6], v: V) {
        match self.get_mut(&mac) {
            Some(old) => *old = v,
            None => self.0.push((mac, v)),
        }
    }

    /// Removes `mac`; returns its value.
    pub fn remove(&mut self, mac: &[u8; 6]) -> Option<V> {
        let i = self.pos(mac)?;
        Some(self.0.remove(i).1)
    }

    /// Keeps the entries for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&[u8; 6], &mut V) -> bool) {
        self.0.retain_mut(|(m, v)| keep(m, v));
    }

    /// The entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8; 6], &V)> {
        self.0.iter().map(|(m, v)| (m, v))
    }

    /// The values in insertion order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|e| &e.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t0: Instant, ms: u64) -> Instant {
        t0 + Duration::from_millis(ms)
    }

    /// A client that roamed away (no more poll ACKs) is declared gone after two missed polls,
    /// well before a 5 s leave deadline.
    #[test]
    fn mac_map_insert_replace_remove_retain() {
        let (a, b, c) = ([1; 6], [2; 6], [3; 6]);
        let mut m = MacMap::default();
        m.insert(a, 1);
        m.insert(b, 2);
        m.insert(c, 3);
        m.insert(a, 10);
        assert_eq!(m.get(&a), Some(&10));
        assert_eq!(
            m.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(),
            [(a, 10), (b, 2), (c, 3)]
        );
        assert_eq!(m.remove(&b), Some(2));
        assert_eq!(m.remove(&b), None);
        if let Some(v) = m.get_mut(&c) {
            *v += 1;
        }
        m.retain(|k, v| *k != a && *v == 4);
        assert_eq!(m.values().copied().collect::<Vec<_>>(), [4]);
        assert_eq!(m.get(&a), None);
    }

    #[test]
    fn silent_client_left_after_two_missed_polls() {
        let t0 = Instant::now();
        let mut w = Watch::new(t0, at(t0, 5000));
        assert_eq!(w.tick(t0), Step::Poll);
        assert_eq!(w.tick(at(t0, 500)), Step::Wait);
        assert_eq!(w.next_deadline(), at(t0, 1000));
        assert_eq!(w.tick(at(t0, 1000)), Step::Poll);
        assert_eq!(
            w.tick(at(t0, 2000)),
            Step::Left("no longer acknowledges polls")
        );
    }

    /// A client that still answers is never declared gone; the watch ends at the deadline.
    #[test]
    fn answering_client_is_not_left() {
        let t0 = Instant::now();
        let mut w = Watch::new(t0, at(t0, 5000));
        let mut t = 0;
        loop {
            match w.tick(at(t0, t)) {
                Step::Poll => w.poll_ok(),
                Step::Wait => {}
                Step::GiveUp => break,
                Step::Left(why) => panic!("declared gone at {t} ms: {why}"),
            }
            t += 250;
        }
        assert!(t >= 5000);
    }

    /// The client answers the first poll (still there), then roams: gone two polls later.
    #[test]
    fn client_leaving_after_first_poll() {
        let t0 = Instant::now();
        let mut w = Watch::new(t0, at(t0, 5000));
        assert_eq!(w.tick(t0), Step::Poll);
        w.poll_ok();
        assert_eq!(w.tick(at(t0, 1000)), Step::Poll);
        assert_eq!(w.tick(at(t0, 2000)), Step::Poll);
        assert!(matches!(w.tick(at(t0, 3000)), Step::Left(_)));
    }

    /// A poll that could not be sent (queue full, link trouble) is no missed answer.
    #[test]
    fn unsent_poll_is_not_a_miss() {
        let t0 = Instant::now();
        let mut w = Watch::new(t0, at(t0, 5000));
        assert_eq!(w.tick(t0), Step::Poll);
        w.poll_unsent();
        assert_eq!(w.tick(at(t0, 1000)), Step::Poll);
        w.poll_unsent();
        assert_eq!(w.tick(at(t0, 2000)), Step::Poll);
    }
}
