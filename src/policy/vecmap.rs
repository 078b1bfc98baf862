//! A small map kept as a `Vec` sorted by key: the policy's local radios (a handful per AP) and
//! the per-client overrides of the configuration. Each `BTreeMap` it replaces brought its own
//! B-tree code into the router build (6.7 KB for the radios, 3 KB for the overrides).

use std::fmt;

/// The binary search of `slice::binary_search_by_key` (the same index, found or where it
/// would go) over the keys `key_at(0..len)`: one instance per key type, whatever the values
/// (each map type had its own search, 160 bytes for MAC keys).
fn search<K: Ord>(len: usize, key_at: &dyn Fn(usize) -> Option<K>, k: &K) -> Result<usize, usize> {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match key_at(mid).map(|m| m.cmp(k)) {
            Some(std::cmp::Ordering::Less) => lo = mid + 1,
            Some(std::cmp::Ordering::Greater) => hi = mid,
            Some(std::cmp::Ordering::Equal) => return Ok(mid),
            None => break,
        }
    }
    Err(lo)
}

/// A map in key order, looked up by binary search.
#[derive(Clone, PartialEq, Eq)]
pub struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap(Vec::new())
    }
}

impl<K: Ord + Copy, V> VecMap<K, V> {
    fn find(&self, k: &K) -> Result<usize, usize> {
        search(self.0.len(), &|i| self.0.get(i).map(|e| e.0), k)
    }

    /// Sets the value of `k`; returns the one it replaces.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.find(&k) {
            Ok(i) => self.0.get_mut(i).map(|e| std::mem::replace(&mut e.1, v)),
            Err(i) => {
                self.0.insert(i, (k, v));
                None
            }
        }
    }

    /// The value of `k`, if any.
    pub fn get(&self, k: &K) -> Option<&V> {
        self.find(k).ok().and_then(|i| self.0.get(i)).map(|e| &e.1)
    }

    /// True if `k` has a value.
    pub fn contains_key(&self, k: &K) -> bool {
        self.find(k).is_ok()
    }

    /// The value of `k`, if any, to change in place.
    pub fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.find(k)
            .ok()
            .and_then(|i| self.0.get_mut(i))
            .map(|e| &mut e.1)
    }

    /// Removes `k`; returns its value.
    pub fn remove(&mut self, k: &K) -> Option<V> {
        self.find(k).ok().map(|i| self.0.remove(i).1)
    }
}

impl<K, V> VecMap<K, V> {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True without any entry.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|e| &e.1)
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|e| &e.0)
    }

    /// Keeps only the entries for which `f` is true (in key order; the order stays sorted).
    pub fn retain(&mut self, mut f: impl FnMut(&K, &mut V) -> bool) {
        self.0.retain_mut(|e| f(&e.0, &mut e.1))
    }
}

/// The same text as a `BTreeMap`.
impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::VecMap;

    #[test]
    fn sorted_insert_get_mut_retain_remove() {
        let mut m = VecMap::default();
        for k in [5u8, 1, 9, 3] {
            assert_eq!(m.insert(k, u32::from(k) * 10), None);
        }
        assert_eq!(m.insert(3, 33), Some(30));
        assert_eq!(m.keys().copied().collect::<Vec<_>>(), [1, 3, 5, 9]);
        *m.get_mut(&5).unwrap() += 1;
        assert_eq!(m.get(&5), Some(&51));
        assert_eq!(m.get_mut(&4), None);
        m.retain(|k, v| {
            *v += 1;
            *k != 9
        });
        assert_eq!(
            m.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(),
            [(1, 11), (3, 34), (5, 52)]
        );
        assert_eq!(m.remove(&1), Some(11));
        assert!(!m.contains_key(&1) && m.contains_key(&3) && m.len() == 2);
    }
}
