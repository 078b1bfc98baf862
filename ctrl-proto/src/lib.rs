//! hostapd's UNIX control-socket protocol, spoken directly (no `hostapd_cli`).
//!
//! Reference: `shared/PROTOCOL.md` section A (control interface) and C (operating classes).
//! Everything except [`socket`] is a codec without I/O:
//!
//! * [`command`]: typed [`Command`]s that emit their exact text;
//! * [`reply`]: [`Reply`] forms (`OK`, `FAIL`, tokens, empty datagrams, text) and typed
//!   accessors; [`status`] ([`Status`]) and [`sta`] ([`StaInfo`]) parse the key=value blocks;
//! * [`event`]: [`Message`] / [`Event`], split from the `<N>` prefix, with `Unknown` kept raw;
//! * [`rrm`]: 802.11k beacon request / report bodies, RCPI;
//! * [`neighbor`]: Neighbor Report element, `SHOW_NEIGHBOR` lines, and the AP's own entry
//!   computed as hostapd computes it;
//! * [`opclass`]: frequency <-> operating class as hostapd computes it, per version;
//! * [`btm`]: BSS Transition Management status codes;
//! * [`socket`]: the client datagram sockets (blocking one-shot use, and non-blocking under mio).
//!
//! Parsers never panic on any input (fuzzed: `tests/fuzz`), borrow where natural, and return
//! small error enums ([`error`]).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod btm;
pub mod command;
pub mod error;
pub mod event;
pub mod hex;
pub mod ie;
pub mod kv;
mod mac;
pub mod neighbor;
pub mod opclass;
pub mod reply;
pub mod rrm;
pub mod socket;
pub mod sta;
pub mod status;

pub use command::{BssTmReq, Command, Kick, Mbo};
pub use error::{
    CommandError, ElementError, EventError, FieldError, HexError, MacError, OwnEntryError,
    ReplyError,
};
pub use event::{Event, Message};
pub use mac::Mac;
pub use neighbor::{NeighborEntry, NeighborReport, OwnFacts, OwnInput};
pub use reply::Reply;
pub use socket::{CtrlSocket, EventSocket, SocketError};
pub use sta::StaInfo;
pub use status::Status;

/// hostapd release whose behaviour to reproduce where releases differ (own neighbor entry,
/// operating classes; PROTOCOL.md D).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum HostapdVersion {
    /// 2.9 (2019-08): no 6 GHz classes, no HE bit in the own entry, no SHOW_NEIGHBOR.
    V2_9,
    /// 2.10 (2022-01): 6 GHz 131-136; HE bit only together with HT; class 124 for 149-161.
    #[default]
    V2_10,
    /// 2.11 (2024-07): class 137 (320 MHz), 125 for 149-177 @20 MHz, HE bit alone, EHT bit.
    V2_11,
    /// Upstream after 2.11 (as described in PROTOCOL.md A.14 "HM changes"; best effort): no
    /// Delayed-BA bit, PHY type 14 with HE, segment fixes.
    Master,
}
