//! roamer: moves Wi-Fi clients to the best access point and band.
//!
//! The binary (`src/main.rs`) is a thin front end over this library:
//! - [`policy`]: the sans-IO steering engine (no sockets, no clock);
//! - [`config`]: the UCI configuration file;
//! - [`radio`]: what roamer knows of one local BSS (STATUS + nl80211 facts, own neighbor entry);
//! - [`cli`]: the one-shot commands;
//! - [`daemon`]: the single-threaded `mio` event loop behind `roamer run`;
//! - [`logger`]: the `log` backend (stderr or syslog).
#![forbid(unsafe_code)]

pub mod cli;
pub mod config;
pub mod daemon;
pub mod logger;
pub mod policy;
pub mod radio;
