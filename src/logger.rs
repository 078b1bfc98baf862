//! The `log` backend: stderr or syslog (work in progress).
