//! roamer: moves Wi-Fi clients to the best access point and band.
//!
//! The binary (`src/main.rs`) is a thin front end over this library:
//! - [`policy`]: the sans-IO steering engine (no sockets, no clock);
//! - [`config`]: the UCI configuration file;
//! - [`cli`]: the one-shot commands;
//! - [`daemon`]: the single-threaded `mio` event loop behind `roamer run`.
#![forbid(unsafe_code)]

pub mod cli;
pub mod config;
pub mod daemon;
pub mod policy;
