//! One local BSS: STATUS + nl80211 facts and its own neighbor entry (work in progress).
