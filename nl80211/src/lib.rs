//! nl80211 over generic netlink (work in progress).
#![forbid(unsafe_code)]
