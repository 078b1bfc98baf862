//! SIGTERM, SIGINT and SIGHUP as readable events on a `signalfd`, so the `mio` loop handles
//! them like any other input (no handler runs asynchronously, no `unsafe`).
//!
//! The three signals are blocked in the calling thread before the descriptor is created; the
//! daemon is single-threaded and creates no thread afterwards, so they are only ever delivered
//! through the descriptor.

use std::os::fd::{AsRawFd, RawFd};

use nix::sys::signal::{SigSet, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};

/// What a signal asks the daemon to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// SIGTERM / SIGINT: stop cleanly.
    Stop(Signal),
    /// SIGHUP: reload the configuration.
    Reload,
}

/// The signal descriptor.
#[derive(Debug)]
pub struct Signals {
    fd: SignalFd,
    mask: SigSet,
}

impl Signals {
    /// Blocks SIGTERM, SIGINT and SIGHUP and opens a non-blocking signalfd for them.
    pub fn new() -> nix::Result<Signals> {
        let mut mask = SigSet::empty();
        for s in [Signal::SIGTERM, Signal::SIGINT, Signal::SIGHUP] {
            mask.add(s);
        }
        mask.thread_block()?;
        let fd = SignalFd::with_flags(&mask, SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC)?;
        Ok(Signals { fd, mask })
    }

    /// The descriptor to register with `mio` (readable when a signal is pending).
    pub fn raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// The next pending request, if any (call until `None`).
    pub fn pending(&mut self) -> Option<Request> {
        loop {
            let info = match self.fd.read_signal() {
                Ok(Some(info)) => info,
                Ok(None) => return None,
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => {
                    error!("reading the signal descriptor failed: {e}");
                    return None;
                }
            };
            match Signal::try_from(info.ssi_signo as i32) {
                Ok(Signal::SIGHUP) => return Some(Request::Reload),
                Ok(s @ (Signal::SIGTERM | Signal::SIGINT)) => return Some(Request::Stop(s)),
                _ => continue,
            }
        }
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        let _ = self.mask.thread_unblock();
    }
}
