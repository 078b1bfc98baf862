//! The sans-IO request/response engine: one [`Exchange`] per request, fed every received
//! message, answers when the request is complete.
//!
//! It implements the netlink rules that bite (PROTOCOL.md B.7): replies are matched by
//! sequence number (stale ones are ignored); a dump ends with NLMSG_DONE, which may carry an
//! error; errors at dump start arrive as NLMSG_ERROR; a dump flagged NLM_F_DUMP_INTR, or whose
//! station generation changes between parts, must be repeated; and a dump is always read to
//! its end (even after a decode error), because the kernel refuses a new dump on the socket
//! (EBUSY) while the old one is unread.

use byteorder::ByteOrder;

use crate::consts::*;
use crate::error::{DecodeError, Error};
use crate::family::{decode_family, Family};
use crate::interface::{decode_interface, Interface};
use crate::message::{
    classify, encode_request, Message, Reply, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST,
};
use crate::station::{decode_station, Station};
use crate::wiphy::WiphyFacts;

const IFINDEX: u16 = NL80211_ATTR_IFINDEX;

/// A request roamer sends to the kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `CTRL_CMD_GETFAMILY` for the named family.
    Family(String),
    /// `GET_STATION` dump for an interface.
    Stations {
        /// Interface index.
        ifindex: u32,
    },
    /// `GET_STATION` for one station.
    Station {
        /// Interface index.
        ifindex: u32,
        /// Station address.
        mac: [u8; 6],
    },
    /// `GET_INTERFACE` for one interface.
    Interface {
        /// Interface index.
        ifindex: u32,
    },
    /// `GET_INTERFACE` dump.
    Interfaces,
    /// Split `GET_WIPHY` dump narrowed to one phy.
    Wiphy {
        /// Phy index (`Interface::wiphy`).
        index: u32,
    },
}

impl Request {
    /// True if the request is a dump (ends with NLMSG_DONE).
    pub fn is_dump(&self) -> bool {
        matches!(
            self,
            Request::Stations { .. } | Request::Interfaces | Request::Wiphy { .. }
        )
    }

    /// Encodes the request with `seq` for the nl80211 family `family` (ignored for
    /// [`Request::Family`], which goes to nlctrl).
    ///
    /// The same bytes as the `encode_get_*` function of each request (unit test
    /// `encode_matches_the_per_request_encoders`), written by one path: the nl80211
    /// requests differ only in flags, command and attributes.
    pub fn encode<B: ByteOrder>(&self, family: u16, seq: u32) -> Vec<u8> {
        const REQ: u16 = NLM_F_REQUEST;
        const DUMP: u16 = NLM_F_REQUEST | NLM_F_DUMP;
        let (kind, flags, cmd, version, attr, v) = match *self {
            Request::Family(_) => (GENL_ID_CTRL, REQ, CTRL_CMD_GETFAMILY, 1, 0, 0),
            Request::Stations { ifindex } => {
                (family, DUMP, NL80211_CMD_GET_STATION, 0, IFINDEX, ifindex)
            }
            Request::Station { ifindex, .. } => {
                (family, REQ, NL80211_CMD_GET_STATION, 0, IFINDEX, ifindex)
            }
            Request::Interface { ifindex } => {
                (family, REQ, NL80211_CMD_GET_INTERFACE, 0, IFINDEX, ifindex)
            }
            Request::Interfaces => (family, DUMP, NL80211_CMD_GET_INTERFACE, 0, 0, 0),
            Request::Wiphy { index } => (
                family,
                DUMP,
                NL80211_CMD_GET_WIPHY,
                0,
                NL80211_ATTR_WIPHY,
                index,
            ),
        };
        encode_request::<B>(kind, flags, seq, cmd, version, |w| {
            if let Request::Family(name) = self {
                w.string(CTRL_ATTR_FAMILY_NAME, name);
            }
            if attr != 0 {
                w.u32(attr, v);
            }
            match self {
                Request::Station { mac, .. } => {
                    w.put(NL80211_ATTR_MAC, mac);
                }
                Request::Wiphy { .. } => {
                    w.flag(NL80211_ATTR_SPLIT_WIPHY_DUMP);
                }
                _ => {}
            }
        })
    }
}

/// The decoded answer to a [`Request`] (same variant names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// Answer to [`Request::Family`].
    Family(Family),
    /// Answer to [`Request::Stations`] (possibly empty).
    Stations(Vec<Station>),
    /// Answer to [`Request::Station`].
    Station(Box<Station>),
    /// Answer to [`Request::Interface`].
    Interface(Interface),
    /// Answer to [`Request::Interfaces`] (wdevs without netdev are left out).
    Interfaces(Vec<Interface>),
    /// Answer to [`Request::Wiphy`], merged over the split parts.
    Wiphy(WiphyFacts),
}

/// What feeding a message produced.
#[derive(Debug)]
pub enum Step {
    /// Not finished (or the message belonged to another sequence number).
    Pending,
    /// Finished: the answer or the error (kernel error, decode error, nothing found).
    Done(Result<Response, Error>),
    /// The dump was interrupted (NLM_F_DUMP_INTR or a generation change) and has been read
    /// to its end: send the request again with a fresh sequence number.
    Restart,
}

#[derive(Debug)]
enum Acc {
    None,
    Stations(Vec<Station>),
    Interfaces(Vec<Interface>),
    Wiphy(Option<WiphyFacts>),
}

/// One request in flight.
#[derive(Debug)]
pub struct Exchange {
    req: Request,
    seq: u32,
    acc: Acc,
    generation: Option<u32>,
    interrupted: bool,
    failed: Option<Error>,
}

impl Exchange {
    /// Starts tracking `req` sent with sequence number `seq`.
    pub fn new(req: Request, seq: u32) -> Exchange {
        let acc = match req {
            Request::Stations { .. } => Acc::Stations(Vec::new()),
            Request::Interfaces => Acc::Interfaces(Vec::new()),
            Request::Wiphy { .. } => Acc::Wiphy(None),
            _ => Acc::None,
        };
        Exchange {
            req,
            seq,
            acc,
            generation: None,
            interrupted: false,
            failed: None,
        }
    }

    /// The request.
    pub fn request(&self) -> &Request {
        &self.req
    }

    /// The sequence number replies must carry.
    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// Feeds one received message (byte order `B`). Messages with another sequence number
    /// are ignored (`Step::Pending`).
    #[inline(never)]
    pub fn feed<B: ByteOrder>(&mut self, msg: &Message<'_>) -> Step {
        if msg.header.seq != self.seq {
            return Step::Pending;
        }
        if msg.header.flags & NLM_F_DUMP_INTR != 0 {
            self.interrupted = true;
        }
        let reply = match classify::<B>(msg) {
            Ok(r) => r,
            Err(e) => return self.fail(e.into()),
        };
        match reply {
            Reply::Other => Step::Pending,
            // We never ask for ACKs; one for our seq ends a non-dump request without answer.
            Reply::Ack => self.finish(),
            Reply::Error(e) => {
                // Both NLMSG_ERROR and an error in NLMSG_DONE end the exchange.
                self.failed.get_or_insert(Error::Kernel(e));
                self.finish()
            }
            Reply::Done => self.finish(),
            Reply::Data(g) => {
                if self.failed.is_some() {
                    return self.pending_or_finish();
                }
                let r: Result<Option<Response>, DecodeError> = match (&self.req, &mut self.acc) {
                    (Request::Family(_), _) => {
                        decode_family::<B>(&g).map(|f| Some(Response::Family(f)))
                    }
                    (Request::Station { .. }, _) => {
                        decode_station::<B>(&g).map(|s| Some(Response::Station(Box::new(s))))
                    }
                    (Request::Interface { .. }, _) => {
                        decode_interface::<B>(&g).map(|i| i.map(Response::Interface))
                    }
                    (_, Acc::Stations(v)) => match decode_station::<B>(&g) {
                        Ok(s) => {
                            if let (Some(old), Some(new)) = (self.generation, s.generation) {
                                if old != new {
                                    self.interrupted = true;
                                }
                            }
                            self.generation = self.generation.or(s.generation);
                            v.push(s);
                            Ok(None)
                        }
                        Err(e) => Err(e),
                    },
                    (_, Acc::Interfaces(v)) => decode_interface::<B>(&g).map(|i| {
                        v.extend(i);
                        None
                    }),
                    (_, Acc::Wiphy(w)) => {
                        let r = match w {
                            Some(w) => w.merge_message::<B>(&g).map(|_| ()),
                            None => crate::wiphy::decode_wiphy_part::<B>(&g).map(|p| *w = Some(p)),
                        };
                        r.map(|_| None)
                    }
                    (_, Acc::None) => Ok(None),
                };
                match r {
                    Ok(Some(resp)) if !self.req.is_dump() => Step::Done(Ok(resp)),
                    Ok(_) => self.pending_or_finish(),
                    Err(e) => self.fail(e.into()),
                }
            }
        }
    }

    fn pending_or_finish(&mut self) -> Step {
        if self.req.is_dump() {
            Step::Pending
        } else {
            self.finish()
        }
    }

    fn fail(&mut self, e: Error) -> Step {
        self.failed.get_or_insert(e);
        self.pending_or_finish()
    }

    fn finish(&mut self) -> Step {
        if let Some(e) = self.failed.take() {
            return Step::Done(Err(e));
        }
        if self.interrupted {
            return Step::Restart;
        }
        let acc = core::mem::replace(&mut self.acc, Acc::None);
        Step::Done(match acc {
            Acc::Stations(v) => Ok(Response::Stations(v)),
            Acc::Interfaces(v) => Ok(Response::Interfaces(v)),
            Acc::Wiphy(Some(w)) => Ok(Response::Wiphy(w)),
            Acc::Wiphy(None) | Acc::None => Err(Error::NotFound),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::encode_get_family;
    use crate::interface::{encode_get_interface, encode_get_interfaces};
    use crate::station::{encode_get_station, encode_get_stations};
    use crate::wiphy::encode_get_wiphy;
    use byteorder::{BigEndian, LittleEndian};

    #[test]
    fn encode_matches_the_per_request_encoders() {
        fn t<B: ByteOrder>() {
            let (f, s, mac) = (0x1c, 0x1234_5678, [2, 0, 0, 0, 5, 0]);
            let cases = [
                (
                    Request::Family("nl80211".into()),
                    encode_get_family::<B>(s, "nl80211"),
                ),
                (
                    Request::Stations { ifindex: 7 },
                    encode_get_stations::<B>(f, s, 7),
                ),
                (
                    Request::Station { ifindex: 7, mac },
                    encode_get_station::<B>(f, s, 7, mac),
                ),
                (
                    Request::Interface { ifindex: 9 },
                    encode_get_interface::<B>(f, s, 9),
                ),
                (Request::Interfaces, encode_get_interfaces::<B>(f, s)),
                (Request::Wiphy { index: 3 }, encode_get_wiphy::<B>(f, s, 3)),
            ];
            for (req, want) in cases {
                assert_eq!(req.encode::<B>(f, s), want, "{req:?}");
            }
        }
        t::<LittleEndian>();
        t::<BigEndian>();
    }
}
