//! The daemon's hostapd side: link outputs and events become policy inputs, policy actions
//! become commands, radio facts are (re-)read, neighbor tables are synced.

use std::time::{Duration, Instant};

use ctrl_proto::event::Event;
use ctrl_proto::rrm::{BeaconRequestSubelement, MeasurementMode};
use ctrl_proto::{Command, Mac, Message, NeighborEntry, Reply};

use super::depart::Step;
use super::link::{Out, Purpose};
use super::neighbors::{self, Op};
use super::{Daemon, NlJob};
use crate::policy::{self, Action, Input};
use crate::radio::{self, LocalBss};

fn pmac(m: Mac) -> policy::Mac {
    policy::Mac(m.0)
}

fn cmac(m: policy::Mac) -> Mac {
    Mac(m.0)
}

/// The radio band in the policy's terms (None: not a band roamer steers on).
fn pband(b: radio::Band) -> Option<policy::Band> {
    match b {
        radio::Band::G2 => Some(policy::Band::G2),
        radio::Band::G5 => Some(policy::Band::G5),
        radio::Band::G6 => Some(policy::Band::G6),
        _ => None,
    }
}

/// A neighbor entry (raw `nr` body) in the policy's terms.
pub(super) fn policy_entry(e: &NeighborEntry) -> policy::NeighborEntry {
    crate::config::Neighbor {
        bssid: e.bssid.0,
        ssid: e.ssid.clone(),
        nr: e.nr.clone(),
    }
    .entry()
}

/// hostapd's version from its `GET version` reply (`2.10`, `2.12-devel`); None when it
/// refused or answered nothing usable.
fn version_from_get(reply: &Reply<'_>) -> Option<ctrl_proto::HostapdVersion> {
    match reply {
        Reply::Text(t) if !t.trim().is_empty() => Some(radio::parse_version(t)),
        _ => None,
    }
}

/// The station of an `AP-STA-POLL-OK <mac>` event (ctrl-proto passes it on as unknown).
fn poll_ok_sta(text: &str) -> Option<Mac> {
    let rest = text.strip_prefix("AP-STA-POLL-OK ")?;
    Mac::parse(rest.split_whitespace().next()?).ok()
}

/// What a REQ_BEACON's outcome tells the policy: `Some(Some(token))` for a dialog token,
/// `Some(None)` only for hostapd's refusal (FAIL: the client lacks the requested mode, so the
/// policy moves it to the next mode), `None` (feed nothing) when no reply came at all: a
/// timeout or an unsent request says nothing about the client, and the policy's measurement
/// deadline ends that measurement without demoting the client's mode.
fn beacon_request_result(reply: Option<&Reply<'_>>) -> Option<Option<u8>> {
    match reply {
        Some(Reply::Token(t)) => Some(Some(*t)),
        Some(_) => Some(None),
        None => None,
    }
}

/// The version a BSS's own entry is computed for: `GET version`'s answer when there was one
/// (the only way to recognise post-2.11 hostapd, whose STATUS looks like 2.11's), else the
/// guess from STATUS's keys.
fn bss_version(
    get: Option<ctrl_proto::HostapdVersion>,
    status_text: &str,
) -> ctrl_proto::HostapdVersion {
    get.unwrap_or_else(|| radio::version_from_status(status_text))
}

impl Daemon {
    /// Readiness of one of a BSS's sockets: drain it.
    #[inline(never)]
    pub(super) fn bss_readable(&mut self, slot: usize, is_evt: bool, now: Instant, buf: &mut [u8]) {
        loop {
            let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) else {
                return;
            };
            let out = if is_evt {
                b.link.recv_evt(buf, now)
            } else {
                b.link.recv_cmd(buf, now)
            };
            let Some(out) = out else { return };
            self.link_out(slot, out, now);
        }
    }

    /// Timer work of one BSS: facts, dumps, neighbor sync.
    #[inline(never)]
    pub(super) fn bss_tick(&mut self, slot: usize, now: Instant) {
        let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        if !b.link.is_up() {
            return;
        }
        if b.facts_at.is_some_and(|t| now >= t) && !b.facts_busy {
            b.facts_at = None;
            b.facts_busy = true;
            if !b.version_asked {
                // Queued before STATUS (one request in flight, FIFO): its answer is in when
                // STATUS's is handled.
                b.version_asked =
                    b.link
                        .request_text("GET version".to_string(), Purpose::Version, now);
            }
            b.link.request(&Command::Status, Purpose::Status, now);
        }
        if now >= b.next_dump {
            b.next_dump = now + self.cfg.poll_interval;
            if b.ifindex.is_none() {
                b.ifindex = nl80211::ifindex_by_name(&b.name).ok();
            }
            if let Some(ifindex) = b.ifindex {
                let busy = self.nl_jobs.iter().any(|(_, j, _)| *j == NlJob::Dump(slot));
                if busy {
                    // Asked for now (a station event, lost events) while a dump is in flight
                    // that may predate what prompted it: dump again right after that one.
                    b.next_dump = super::recheck_at(now, self.cfg.poll_interval);
                } else {
                    self.nl_submit(
                        nl80211::Request::Stations { ifindex },
                        NlJob::Dump(slot),
                        now,
                    );
                }
            }
        }
        let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        if b.nbr_busy == 0 && b.nbr_due.is_some_and(|d| now >= d) {
            b.nbr_due = None;
            if b.table.show_supported == Some(false) {
                self.nbr_apply(slot, None, now);
            } else if let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) {
                b.nbr_busy = 1;
                b.link
                    .request(&Command::ShowNeighbor, Purpose::ShowNeighbor, now);
            }
        }
    }

    /// The entries BSS `slot` should have: the other local BSSs' own entries and the
    /// configured remote neighbors.
    fn desired(&self, slot: usize) -> Vec<NeighborEntry> {
        let mut v: Vec<NeighborEntry> = Vec::new();
        // Only BSSID, SSID and nr: no LCI / civic, not stationary.
        let mut add = |bssid: Mac, ssid: &Vec<u8>, nr: &Vec<u8>| {
            v.push(NeighborEntry {
                bssid,
                ssid: ssid.clone(),
                nr: nr.clone(),
                lci: None,
                civic: None,
                stationary: false,
            })
        };
        for (i, b) in self.bsses.iter().enumerate() {
            if i == slot {
                continue;
            }
            if let Some(own) = b.as_ref().and_then(|b| b.own.as_ref()) {
                add(own.bssid, &own.ssid, &own.nr);
            }
        }
        for n in &self.cfg.neighbors {
            add(Mac(n.bssid), &n.ssid, &n.nr);
        }
        v
    }

    /// Plans and queues one sync of BSS `slot` against `shown` (None: SHOW_NEIGHBOR missing).
    fn nbr_apply(&mut self, slot: usize, shown: Option<Vec<NeighborEntry>>, now: Instant) {
        let desired = self.desired(slot);
        let sync_every = self.cfg.neighbor_sync;
        let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        let own = b
            .local
            .as_ref()
            .map(|l| l.bssid)
            .or_else(|| b.own.as_ref().map(|o| o.bssid))
            .unwrap_or(Mac([0; 6]));
        if let Some(s) = &shown {
            b.table.forget_missing(s);
        }
        let ops = neighbors::plan(&b.table, &desired, shown.as_deref(), own);
        b.nbr_busy = 0;
        for op in ops {
            let (cmd, purpose) = match op {
                Op::Set(e) => {
                    info!(
                        "{}: neighbor table: set {} ssid={} nr={}",
                        b.name,
                        e.bssid,
                        String::from_utf8_lossy(&e.ssid),
                        ctrl_proto::hex::Hex(&e.nr)
                    );
                    let p = Purpose::SetNeighbor(e.bssid, e.ssid.clone());
                    (
                        Command::SetNeighbor {
                            entry: e,
                            bss_parameter: None,
                        },
                        p,
                    )
                }
                Op::Remove((bssid, ssid)) => {
                    info!(
                        "{}: neighbor table: remove {} ssid={}",
                        b.name,
                        bssid,
                        String::from_utf8_lossy(&ssid)
                    );
                    (
                        Command::RemoveNeighbor {
                            bssid,
                            ssid: Some(ssid.clone()),
                        },
                        Purpose::RemoveNeighbor(bssid, ssid),
                    )
                }
            };
            if b.link.request(&cmd, purpose, now) {
                b.nbr_busy += 1;
            }
        }
        b.nbr_due = Some(now + sync_every);
    }

    fn nbr_step_done(&mut self, slot: usize) {
        if let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) {
            b.nbr_busy = b.nbr_busy.saturating_sub(1);
        }
    }

    /// STATUS + nl80211 facts are in (or nl80211 failed): describe the BSS, tell the policy,
    /// re-sync the neighbor tables if the own entry changed.
    pub(super) fn facts_complete(&mut self, slot: usize, now: Instant) {
        let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        b.facts_busy = false;
        let Some(status) = &b.status else { return };
        let conf = radio::find_hostapd_conf(&b.name);
        let local = LocalBss::new(
            &b.name,
            status,
            b.version,
            b.iface.as_ref(),
            b.wiphy.as_ref(),
            conf.as_ref(),
        );
        let (local, own) = match local.and_then(|l| l.own_entry().map(|o| (l, o))) {
            Ok(x) => x,
            Err(e) => {
                warn!("{}: cannot describe this BSS: {e}", b.name);
                b.local = None;
                let id = b.id;
                self.feed(now, Input::RadioGone { radio: id });
                return;
            }
        };
        let changed = b.own.as_ref() != Some(&own);
        if changed {
            info!(
                "{}: {} {} ch {} {} MHz, op class {}, hostapd {:?} ({}), own entry nr={}",
                b.name,
                local.bssid,
                local.band,
                local.channel,
                local.width_mhz,
                super::render::opt(&local.op_class),
                b.version,
                if b.version_get.is_some() {
                    "GET version"
                } else {
                    "guessed from STATUS"
                },
                ctrl_proto::hex::Hex(&own.nr)
            );
        }
        if b.ifindex.is_none() {
            b.ifindex = b.iface.as_ref().map(|i| i.ifindex);
        }
        let info = pband(local.band).map(|band| policy::RadioInfo {
            band,
            ssid: local.ssid.clone(),
            own: policy_entry(&own),
        });
        b.local = Some(local);
        b.own = Some(own);
        let id = b.id;
        match info {
            Some(info) => self.feed(now, Input::Radio { radio: id, info }),
            None => self.feed(now, Input::RadioGone { radio: id }),
        }
        if changed {
            self.mark_all_nbr_due(now);
        }
    }

    /// One output of a link.
    pub(super) fn link_out(&mut self, slot: usize, out: Out<'_>, now: Instant) {
        let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        let id = b.id;
        match out {
            Out::Up | Out::Reattached => {
                if matches!(out, Out::Up) {
                    // A new connection may be a different (upgraded) hostapd.
                    b.version_asked = false;
                    b.version_get = None;
                }
                // Re-read everything: hostapd may have restarted (fresh neighbor table,
                // different stations) or events were lost while we were not attached.
                b.facts_at = Some(now);
                b.facts_busy = false;
                b.next_dump = now;
                b.nbr_due = Some(now);
                b.nbr_busy = 0;
            }
            Out::Down => {
                self.departures.retain(|_, (s, _)| *s != slot);
                self.ghosts.retain(|_, (s, _)| *s != slot);
                b.facts_busy = false;
                b.nbr_busy = 0;
                b.own = None;
                b.local = None;
                b.status = None;
                b.ifindex = None;
                self.feed(now, Input::RadioGone { radio: id });
                // Every client on it left (changed in place, none removed).
                self.clients.retain(|_, c| {
                    if c.radio == Some(slot) {
                        c.radio = None;
                        c.left_at = Some(now);
                    }
                    true
                });
                // The other BSSs must stop advertising this one.
                self.mark_all_nbr_due(now);
            }
            Out::Event(dgram) => self.hostapd_event(slot, dgram, now),
            Out::Reply(purpose, reply) => self.reply(slot, purpose, Some(reply), now),
            Out::Timeout(purpose) | Out::Dropped(purpose) => self.reply(slot, purpose, None, now),
        }
    }

    /// A reply (`None`: timeout or not sent) to a request.
    fn reply(&mut self, slot: usize, purpose: Purpose, reply: Option<Reply<'_>>, now: Instant) {
        let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        let id = b.id;
        match purpose {
            Purpose::Status => match reply {
                Some(Reply::Text(text)) => match ctrl_proto::Status::parse(text) {
                    Ok(st) => {
                        b.version = bss_version(b.version_get, text);
                        b.status = Some(st);
                        if b.ifindex.is_none() {
                            b.ifindex = nl80211::ifindex_by_name(&b.name).ok();
                        }
                        match b.ifindex {
                            Some(ifindex) if self.nl.is_some() => {
                                if !self.nl_submit(
                                    nl80211::Request::Interface { ifindex },
                                    NlJob::Iface(slot),
                                    now,
                                ) {
                                    self.facts_complete(slot, now);
                                }
                            }
                            _ => self.facts_complete(slot, now),
                        }
                    }
                    Err(e) => {
                        warn!("{}: unreadable STATUS: {e}", b.name);
                        b.facts_busy = false;
                    }
                },
                _ => {
                    b.facts_busy = false;
                    // Retried a second later while the link is up (never a busy loop).
                    b.facts_at = Some(now + Duration::from_secs(1));
                }
            },
            Purpose::ShowNeighbor => {
                let shown = match reply {
                    Some(Reply::Text(t)) => match NeighborEntry::parse_show(t) {
                        Ok(v) => Some(v),
                        Err(e) => {
                            debug!(
                                "{}: unreadable SHOW_NEIGHBOR ({e}); setting every entry",
                                b.name
                            );
                            None
                        }
                    },
                    Some(Reply::Empty) => Some(Vec::new()),
                    Some(Reply::UnknownCommand) => {
                        info!("{}: hostapd has no SHOW_NEIGHBOR; neighbor entries are set without reading the table", b.name);
                        b.table.show_supported = Some(false);
                        None
                    }
                    None if !b.link.is_up() => {
                        b.nbr_busy = 0;
                        return;
                    }
                    _ => None,
                };
                if shown.is_some() {
                    b.table.show_supported = Some(true);
                }
                self.nbr_apply(slot, shown, now);
            }
            Purpose::SetNeighbor(bssid, ssid) => {
                let ok = matches!(reply, Some(Reply::Ok));
                if !ok && reply.is_some() {
                    warn!(
                        "{}: SET_NEIGHBOR {bssid} refused (rrm_neighbor_report=1 missing?)",
                        b.name
                    );
                }
                b.table.set_done((bssid, ssid), ok);
                self.nbr_step_done(slot);
            }
            Purpose::RemoveNeighbor(bssid, ssid) => {
                let ok = matches!(reply, Some(Reply::Ok));
                if reply.is_some() || !b.link.is_up() {
                    b.table.remove_done(&(bssid, ssid), ok);
                }
                self.nbr_step_done(slot);
            }
            Purpose::ReqBeacon(sta) => {
                if let Some(token) = beacon_request_result(reply.as_ref()) {
                    self.feed(
                        now,
                        Input::BeaconRequestResult {
                            radio: id,
                            sta: pmac(sta),
                            token,
                        },
                    );
                }
            }
            Purpose::BssTm(sta) => {
                let ok = matches!(reply, Some(Reply::Ok));
                self.feed(
                    now,
                    Input::BtmRequestResult {
                        radio: id,
                        sta: pmac(sta),
                        ok,
                    },
                );
            }
            Purpose::Deauth(sta) => {
                if !matches!(reply, Some(Reply::Ok)) {
                    warn!("{}: DEAUTHENTICATE {sta} failed", b.name);
                }
            }
            Purpose::Ping => {}
            Purpose::PollSta(sta) => match reply {
                // hostapd no longer knows the station: it is gone.
                Some(Reply::Fail) => self.departed(slot, sta.0, "removed by hostapd", now),
                Some(_) => {}
                None => {
                    if let Some((_, w)) = self.departures.get_mut(&sta.0) {
                        w.poll_unsent();
                    }
                }
            },
            Purpose::Version => match reply {
                Some(r) => b.version_get = version_from_get(&r),
                // Not answered: ask again with the next STATUS.
                None => b.version_asked = false,
            },
        }
    }

    /// One event datagram from hostapd.
    #[inline(never)]
    fn hostapd_event(&mut self, slot: usize, dgram: &[u8], now: Instant) {
        let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        let id = b.id;
        let msg = match Message::parse(dgram) {
            Ok(m) => m,
            Err(e) => {
                b.link.counters.garbage += 1;
                debug!(
                    "{}: unparsable event ({e}): {:?}",
                    b.name,
                    String::from_utf8_lossy(&dgram[..dgram.len().min(80)])
                );
                return;
            }
        };
        match msg.event {
            Event::StaConnected { sta, .. } => {
                debug!("{}: {sta} connected", b.name);
                // (Re)associated here: whatever it did, it is not leaving a watched BSS
                // unnoticed any more (a move between local BSSs reaches the policy this way).
                self.departures.remove(&sta.0);
                self.ghosts.remove(&sta.0);
                b.next_dump = b.next_dump.min(now + Duration::from_millis(100));
                self.feed(
                    now,
                    Input::Connected {
                        radio: id,
                        sta: pmac(sta),
                    },
                );
            }
            Event::StaDisconnected { sta, .. } => {
                debug!("{}: {sta} disconnected", b.name);
                self.client_left(slot, sta.0, now);
            }
            Event::BeaconReqTxStatus { sta, token, ack } => {
                self.feed(
                    now,
                    Input::BeaconTxStatus {
                        radio: id,
                        sta: pmac(sta),
                        token,
                        ack,
                    },
                );
            }
            Event::BeaconRespRx {
                sta,
                token,
                mode,
                report,
            } => {
                let body = report.decode();
                let parsed = ctrl_proto::rrm::BeaconReport::parse(&body).ok();
                let report = policy::BeaconReport {
                    token,
                    mode: mode.0,
                    op_class: parsed.as_ref().map_or(0, |r| r.op_class),
                    channel: parsed.as_ref().map_or(0, |r| r.channel),
                    bssid: parsed
                        .as_ref()
                        .map_or(policy::Mac([0; 6]), |r| pmac(r.bssid)),
                    signal: parsed
                        .as_ref()
                        .and_then(|r| policy::Signal::from_rcpi(r.rcpi.0)),
                };
                self.feed(
                    now,
                    Input::BeaconReport {
                        radio: id,
                        sta: pmac(sta),
                        report,
                    },
                );
            }
            Event::BssTmResp {
                sta,
                status,
                target,
                ..
            } => {
                self.feed(
                    now,
                    Input::BtmResponse {
                        radio: id,
                        sta: pmac(sta),
                        status: status.0,
                        target: target.map(pmac),
                    },
                );
                // Accepted and the policy now waits for it to leave: watch it go (see
                // `depart`), a roaming client rarely deauthenticates from this AP.
                let waiting = self.policy.client(&pmac(sta)).is_some_and(|c| {
                    c.radio == Some(id) && matches!(c.phase, policy::ClientPhase::Steering(_))
                });
                if status.0 == 0 && waiting {
                    let leave =
                        Duration::from_millis(u64::from(self.policy.config().leave_timeout_ms));
                    self.departures
                        .insert(sta.0, (slot, super::depart::Watch::new(now, now + leave)));
                }
            }
            Event::Unknown(text) => {
                if let Some(sta) = poll_ok_sta(text) {
                    if let Some((s, w)) = self.departures.get_mut(&sta.0) {
                        if *s == slot {
                            w.poll_ok();
                        }
                    }
                }
            }
            Event::ChannelSwitch(cs) => {
                info!(
                    "{}: channel switch to {} MHz ({}); re-reading radio facts",
                    b.name, cs.freq, cs.ch_width
                );
                b.facts_at = Some(now);
            }
            Event::ApEnabled => {
                info!("{}: AP enabled", b.name);
                b.facts_at = Some(now);
                b.nbr_due = Some(now);
            }
            Event::ApDisabled => {
                info!("{}: AP disabled", b.name);
                b.own = None;
                b.local = None;
                self.feed(now, Input::RadioGone { radio: id });
                self.mark_all_nbr_due(now);
            }
            Event::Terminating => {
                info!("{}: hostapd is terminating", b.name);
                b.link.peer_gone(now, "hostapd terminated");
            }
            _ => {}
        }
    }

    /// Timer work of the departure watches: polls out, departures in.
    #[inline(never)]
    pub(super) fn depart_tick(&mut self, now: Instant) {
        let mut due: Vec<[u8; 6]> = Vec::new();
        for (m, (_, w)) in self.departures.iter() {
            if now >= w.next_deadline() {
                due.push(*m);
            }
        }
        for mac in due {
            let Some((slot, w)) = self.departures.get_mut(&mac) else {
                continue;
            };
            let slot = *slot;
            match w.tick(now) {
                Step::Wait => {}
                Step::Poll => {
                    if let Some(b) = self.bsses.get_mut(slot).and_then(Option::as_mut) {
                        let sta = Mac(mac);
                        b.link
                            .request_text(format!("POLL_STA {sta}"), Purpose::PollSta(sta), now);
                    }
                }
                Step::Left(why) => self.departed(slot, mac, why, now),
                Step::GiveUp => {
                    self.departures.remove(&mac);
                }
            }
        }
    }

    /// A watched client is gone from BSS `slot` without saying so: tell the policy it left.
    fn departed(&mut self, slot: usize, mac: [u8; 6], why: &str, now: Instant) {
        if self.departures.remove(&mac).is_none() {
            return;
        }
        if let Some(b) = self.bsses.get(slot).and_then(Option::as_ref) {
            info!("{}: {} left ({why})", b.name, Mac(mac));
        }
        // The kernel keeps listing it until hostapd's inactivity timeout: that entry must not
        // read as the client arriving again.
        self.ghosts.insert(mac, (slot, now));
        self.client_left(slot, mac, now);
    }

    /// Carries out one policy action.
    #[inline(never)]
    pub(super) fn exec_action(&mut self, action: Action, now: Instant) {
        let (radio, sta, cmd, purpose) = match action {
            Action::Log(rec) => {
                self.record(rec, now);
                return;
            }
            Action::BeaconRequest(r) => {
                let mode = match r.mode {
                    policy::MeasureMode::Passive => MeasurementMode::Passive,
                    policy::MeasureMode::Active => MeasurementMode::Active,
                    policy::MeasureMode::Table => MeasurementMode::Table,
                };
                let mut req = ctrl_proto::rrm::BeaconRequest::new(
                    r.op_class,
                    r.channel,
                    r.duration_tu,
                    mode,
                    cmac(r.bssid),
                );
                if let Some(ssid) = r.ssid {
                    req.subelements.push(BeaconRequestSubelement::Ssid(ssid));
                }
                req.subelements
                    .push(BeaconRequestSubelement::ReportingDetail(0));
                let sta = cmac(r.sta);
                (
                    r.radio,
                    r.sta,
                    Command::ReqBeacon {
                        sta,
                        req_mode: None,
                        request: req,
                    },
                    Purpose::ReqBeacon(sta),
                )
            }
            Action::BssTransition(t) => {
                let sta = cmac(t.sta);
                let mut req = ctrl_proto::BssTmReq::new(sta);
                req.pref = t.pref;
                req.abridged = t.abridged;
                req.disassoc_imminent = t.disassoc_imminent;
                req.disassoc_timer = (t.disassoc_timer != 0).then_some(t.disassoc_timer);
                req.valid_int = Some(t.valid_int);
                for c in &t.candidates {
                    match ctrl_proto::NeighborReport::parse(&c.to_bytes()) {
                        Ok(r) => req.candidates.push(r),
                        Err(e) => warn!("candidate {} unusable: {e}", c.bssid),
                    }
                }
                if let Some(b) = self
                    .bsses
                    .get_mut(t.radio.0 as usize)
                    .and_then(Option::as_mut)
                {
                    b.steer_requests += 1;
                }
                (t.radio, t.sta, Command::BssTmReq(req), Purpose::BssTm(sta))
            }
            Action::Deauth { radio, sta, reason } => {
                let kick = ctrl_proto::Kick {
                    sta: cmac(sta),
                    reason: Some(reason),
                    no_tx: false,
                };
                (
                    radio,
                    sta,
                    Command::Deauthenticate(kick),
                    Purpose::Deauth(cmac(sta)),
                )
            }
        };
        match self
            .bsses
            .get_mut(radio.0 as usize)
            .and_then(Option::as_mut)
        {
            Some(b) => {
                // (Encoded for the log only when debug lines are written.)
                if log::max_level() >= log::LevelFilter::Debug {
                    debug!("{}: -> {}", b.name, cmd.to_text().unwrap_or_default());
                }
                b.link.request(&cmd, purpose, now);
            }
            None => {
                // The radio went away: answer the policy at once.
                // (A REQ_BEACON that was never sent is no FAIL from hostapd: nothing is fed,
                // the policy's measurement deadline ends it without blaming the client.)
                let input = match purpose {
                    Purpose::BssTm(_) => Some(Input::BtmRequestResult {
                        radio,
                        sta,
                        ok: false,
                    }),
                    _ => None,
                };
                if let Some(i) = input {
                    self.feed(now, i);
                }
            }
        }
    }

    /// A policy record: one log line, and the client's view for `roamer state`.
    #[inline(never)]
    fn record(&mut self, rec: policy::Record, now: Instant) {
        let name = self
            .bsses
            .get(rec.radio.0 as usize)
            .and_then(Option::as_ref)
            .map_or("?", |b| b.name.as_str());
        // (`roamer state` shows the policy's own view of the client, see `render::state_text`.)
        let decisive = !matches!(
            rec.event,
            policy::Event::Measuring { .. }
                | policy::Event::ModeFallback { .. }
                | policy::Event::Silent { .. }
        );
        // `<iface>: <sta> <what>` (the policy's radio number says nothing the name does not).
        let line = format!("{name}: {rec}").replacen(&format!(" {} ", rec.radio), " ", 1);
        // A client that stays below a trigger with nothing better around gets "no candidate"
        // after every measurement: log it once, not every measurement.
        let no_candidate = matches!(rec.event, policy::Event::NoCandidate { .. });
        let repeat = no_candidate
            && self
                .clients
                .get(&rec.sta.0)
                .is_some_and(|c| c.no_candidate_logged);
        if decisive && !repeat {
            info!("{line}");
        } else {
            debug!("{line}");
        }
        if let Some(c) = self.clients.get_mut(&rec.sta.0) {
            if decisive {
                c.no_candidate_logged = no_candidate;
            }
            match rec.event {
                policy::Event::Measuring { .. } => c.measurements += 1,
                policy::Event::Decision { .. } => c.decisions += 1,
                policy::Event::Steered { .. } => c.steered += 1,
                policy::Event::Failed { .. } => c.failed += 1,
                _ => {}
            }
            if decisive {
                c.last = Some((now, line));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ctrl_proto::HostapdVersion::{Master, V2_10, V2_11};

    /// A 2.11-style STATUS (has `hw_mode=`); post-2.11 builds print the same keys.
    const STATUS_211: &str = "state=ENABLED\nphy=phy0\nfreq=2437\nhw_mode=g\nchannel=6\n";

    #[test]
    fn get_version_decides_over_status_keys() {
        // Post-2.11 hostapd (OpenWrt snapshot): STATUS alone says 2.11, GET version says more.
        let get = version_from_get(&Reply::from_text("2.12-devel-hostap_2_11-123-gabc"));
        assert_eq!(get, Some(Master));
        assert_eq!(bss_version(get, STATUS_211), Master);
        let get = version_from_get(&Reply::from_text("2.10"));
        assert_eq!(bss_version(get, STATUS_211), V2_10);
    }

    #[test]
    fn beacon_request_timeout_is_not_a_fail() {
        // Timeout / not sent: feed nothing (this used to be fed as FAIL and demoted the mode).
        assert_eq!(beacon_request_result(None), None);
        assert_eq!(
            beacon_request_result(Some(&Reply::from_text("FAIL\n"))),
            Some(None)
        );
        assert_eq!(
            beacon_request_result(Some(&Reply::from_text("7"))),
            Some(Some(7))
        );
    }

    #[test]
    fn poll_ok_event_names_the_station() {
        assert_eq!(
            poll_ok_sta("AP-STA-POLL-OK 02:00:00:00:04:00"),
            Some(Mac([2, 0, 0, 0, 4, 0]))
        );
        assert_eq!(poll_ok_sta("AP-STA-POLL-OK garbage"), None);
        assert_eq!(poll_ok_sta("AP-STA-CONNECTED 02:00:00:00:04:00"), None);
    }

    #[test]
    fn refused_get_version_falls_back_to_status() {
        for r in ["FAIL\n", "UNKNOWN COMMAND\n", ""] {
            let get = version_from_get(&Reply::from_text(r));
            assert_eq!(get, None, "{r:?}");
            assert_eq!(bss_version(get, STATUS_211), V2_11);
        }
    }
}
