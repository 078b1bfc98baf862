//! nl80211 over generic netlink: roamer's window into the kernel.
//!
//! It replaces `iw dev X station dump` / `iw dev X info` / `iw phy X info` with direct
//! generic-netlink requests (`/work/shared/PROTOCOL.md` section B is the reference).
//!
//! # Layout
//! - Pure codec, no I/O, every decoder generic over [`byteorder::ByteOrder`] so that tests
//!   run the same bytes as little- and big-endian (big-endian MIPS routers):
//!   [`attr`] (attribute iterator, typed getters, emitter), [`message`] (nlmsghdr, genl header,
//!   NLMSG_ERROR/DONE with extended ack, request encoding), [`family`] (nlctrl GETFAMILY),
//!   [`station`] ([`Station`], GET_STATION), [`interface`] ([`Interface`], GET_INTERFACE),
//!   [`wiphy`] ([`WiphyFacts`], split GET_WIPHY), [`event`] ([`StationEvent`]).
//! - Sans-IO request engine: [`exchange`] (sequence matching, dump termination, DUMP_INTR /
//!   generation restarts, read-to-the-end).
//! - [`socket`], the only I/O: [`Nl80211`] (blocking), [`Client`] (non-blocking, a
//!   `mio::event::Source`), [`EventSocket`] (`mlme` group, ENOBUFS → [`Event::Lost`]).
//!
//! In production the byte order is [`Host`] (`NativeEndian`).
//!
//! # Quick use
//! ```no_run
//! let mut nl = nl80211::Nl80211::connect()?;
//! let ifindex = nl80211::ifindex_by_name("wlan0")?;
//! for s in nl.stations(ifindex)? {
//!     println!("{:02x?} {:?} dBm", s.mac, s.signal_dbm);
//! }
//! # Ok::<(), nl80211::Error>(())
//! ```
//!
//! # Dependency decision (neli / netlink-packet-core / own codec)
//!
//! - **Socket: `neli`** (`neli::socket::NlSocket`, no default features). It is the only crate
//!   of the design card that offers `NETLINK_ADD_MEMBERSHIP` by group id and
//!   `NETLINK_EXT_ACK` without `unsafe` in this crate (`nix` 0.32 has neither option), so it
//!   keeps `#![forbid(unsafe_code)]`. Only the raw socket is used, not neli's message types.
//! - **Framing and attributes: own codec on `byteorder`, not `netlink-packet-core`.**
//!   Correctness reason: `netlink-packet-core` 0.9 reads every header and NLA with
//!   `from_ne_bytes` (native order hard-wired), so its decoders cannot be fed big-endian bytes
//!   on an x86 test machine, and the issue requires the decoder to be tested with
//!   big-endian input. Its `NlaBuffer` accessors also `unwrap()` internally (safe only after
//!   `check_buffer_length`). The own codec is ~250 lines (attr.rs + message.rs).
//! - Size (static musl, release profile, `size` text over a hello world): framing + attributes
//!   with the own codec +1.1 KB, the same with netlink-packet-core +5.6 KB; neli socket
//!   +7.7 KB (nix +8.0 KB without membership support); the whole crate as the CLI uses it
//!   +79 KB. Details and method: README.md "Dependency decision and size".
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod attr;
mod consts;
pub mod error;
pub mod event;
pub mod exchange;
pub mod family;
#[doc(hidden)]
pub mod fuzz;
pub mod interface;
pub mod message;
pub mod socket;
pub mod station;
pub mod wiphy;

pub use error::{DecodeError, Error, KernelError};
pub use event::StationEvent;
pub use exchange::{Request, Response};
pub use family::Family;
pub use interface::{ChannelWidth, IfType, Interface};
pub use socket::{ifindex_by_name, Client, Completion, Event, EventSocket, Host, Nl80211, Ticket};
pub use station::{BssParam, RateInfo, RateWidth, StaFlags, Station};
pub use wiphy::{Band, BandId, Frequency, WiphyFacts};
