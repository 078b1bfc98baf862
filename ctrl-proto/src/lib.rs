//! hostapd control-interface protocol (work in progress).
#![forbid(unsafe_code)]
