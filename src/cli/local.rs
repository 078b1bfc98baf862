//! The local hostapd BSSs: every control socket in the control directory, described.

use super::bss;
use super::hostapd::Ctrl;
use crate::radio::LocalBss;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

/// The names of the sockets in `dir` (hostapd's per-BSS control sockets), sorted.
pub fn socket_names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<String> = Vec::new();
    for e in entries.flatten() {
        if !e.file_type().is_ok_and(|t| t.is_socket()) {
            continue;
        }
        if let Ok(n) = e.file_name().into_string() {
            if n != "global" && !n.contains("_link") {
                v.push(n);
            }
        }
    }
    v.sort();
    v
}

/// Every local BSS that answers STATUS (those that do not are skipped: stale sockets,
/// stopped hostapds, hostapd's global socket).
pub fn local_bsses(dir: &Path) -> Vec<LocalBss> {
    let mut out = Vec::new();
    for name in socket_names(dir) {
        let Ok(mut ctrl) = Ctrl::open(dir, &name) else {
            continue;
        };
        let conf = crate::radio::find_hostapd_conf(&name);
        if let Ok(l) = bss::load(&mut ctrl, &name, conf.as_ref()) {
            out.push(l.bss);
        }
    }
    out
}
