//! The help texts: `roamer help` and `roamer CMD --help`.

/// `roamer help`.
pub const MAIN: &str = "\
usage: roamer COMMAND [ARGS...]

roamer steers Wi-Fi clients between access points and bands with 802.11k beacon reports and
802.11v BSS transition requests. The one-shot commands below talk to hostapd's control socket
and to the kernel (nl80211) directly; they do not need the daemon.

Inspect:
  stations IFACE          the kernel's station dump (signal, rates, counters, flags)
  status IFACE            hostapd STATUS decoded, plus this BSS's own neighbor entry
  own-nr IFACE            this BSS's own neighbor entry as one SHOW_NEIGHBOR line
  neighbors IFACE         the neighbor table roamer wants next to what hostapd holds
  events IFACE            print hostapd's events, decoded, until interrupted
Act:
  beacon-report IFACE STA ask a client to measure (802.11k) and print what it saw
  steer IFACE STA BSSID   ask a client to move to BSSID (802.11v) and wait for it
Decode (offline, what hostapd prints):
  decode beacon-report HEX | decode nr HEX | decode event 'LINE'
Daemon:
  run                     run the steering daemon
  state                   ask the running daemon for its state
  check-config FILE       check a configuration file

Common options (hostapd/kernel commands):
  --json                  print JSON instead of a table
  --ctrl-dir DIR          hostapd's control directory (default /var/run/hostapd)
  -h, --help              help for a command: 'roamer CMD --help'

Exit status: 0 success, 1 the operation failed or was refused (the output says why),
2 bad usage or input.
";

/// `roamer stations --help`.
pub const STATIONS: &str = "\
usage: roamer stations IFACE [--json]

The kernel's (nl80211) station table of the access-point interface IFACE, one row per
station, like 'iw dev IFACE station dump':
  STATION   the client's MAC address
  SIGNAL    signal of the last received frame, dBm; AVG its running average
  CHAINS    per-antenna signal, dBm (average in JSON as chains_avg)
  INACTIVE  milliseconds since the last frame; CONNECTED seconds associated
  RX/TX     bytes and packets; RX-RATE/TX-RATE the last bitrate (Mbit/s, MCS/NSS/width)
  FLAGS     AUTH ASSOC AUTHORIZED WMM MFP SHORT-PREAMBLE TDLS

Options:
  --json             one JSON object: {\"iface\", \"stations\": [...]}, all raw values
  --ctrl-dir DIR     accepted for symmetry; not used (nl80211 only)

Exit status: 0 the table was read (even if empty); 1 IFACE does not exist, is not a
wireless interface, or nl80211 failed; 2 bad usage.
";

/// `roamer status --help`.
pub const STATUS: &str = "\
usage: roamer status IFACE [--json] [--ctrl-dir DIR] [--hostapd-conf FILE]

hostapd's STATUS for the BSS IFACE, decoded: state, BSSID, SSID, band, primary channel and
frequency, channel width and centre segment(s), global operating class, enabled standards
(802.11n/ac/ax/be), beacon interval, station count; plus this BSS's own neighbor report
entry as roamer computes it (see 'roamer own-nr --help').

Options:
  --json               JSON object with every decoded field and the raw STATUS keys
  --ctrl-dir DIR       hostapd's control directory (default /var/run/hostapd)
  --hostapd-conf FILE  hostapd configuration to read wmm_enabled, uapsd_advertisement_enabled
                       and spectrum_mgmt_required from (default: found automatically)

Exit status: 0 success; 1 hostapd is not running for IFACE, refused, or no permission;
2 bad usage.
";

/// `roamer own-nr --help`.
pub const OWN_NR: &str = "\
usage: roamer own-nr IFACE [--check] [--json] [--ctrl-dir DIR] [--hostapd-conf FILE]

This BSS's own neighbor report entry, computed the way hostapd computes its own entry
(STATUS + nl80211 + the few hostapd settings STATUS does not show), without SHOW_NEIGHBOR.
Printed exactly as one SHOW_NEIGHBOR line, ready for a peer's configuration or
'hostapd_cli set_neighbor':
  <bssid> ssid=<hex> nr=<hex>

The BSSID Information bits QoS, APSD and Spectrum Management depend on wmm_enabled,
uapsd_advertisement_enabled (and the driver's AP U-APSD support), spectrum_mgmt_required
and DFS. They are read from the hostapd configuration file of IFACE: --hostapd-conf FILE,
else the files named on the running hostapd's command line, else /var/run/hostapd-*.conf
(OpenWrt). Without a file the hostapd defaults are assumed (WMM on with 802.11n/ax,
U-APSD advertisement off, spectrum management only on DFS channels).

Options:
  --check              also read SHOW_NEIGHBOR (hostapd 2.10+) and compare: exit 1 and show
                       both entries, decoded, if they differ; a note if hostapd has no
                       SHOW_NEIGHBOR or no own entry
  --json               {\"bssid\", \"ssid\", \"ssid_hex\", \"nr\", \"line\", \"check\"}
  --ctrl-dir DIR       hostapd's control directory (default /var/run/hostapd)
  --hostapd-conf FILE  the hostapd configuration to read the settings above from

Exit status: 0 success (and, with --check, equal or not checkable); 1 hostapd not
running, no own entry possible for this channel, or --check found a difference; 2 bad usage.
";

/// `roamer neighbors --help`.
pub const NEIGHBORS: &str = "\
usage: roamer neighbors IFACE [--config FILE] [--json] [--ctrl-dir DIR] [--hostapd-conf FILE]

The neighbor table roamer wants hostapd to hold for the BSS IFACE (its own entry plus the
'config neighbor' sections of roamer's configuration with the same SSID) next to what
hostapd holds (SHOW_NEIGHBOR, hostapd 2.10+), decoded side by side: BSSID, SSID, operating
class, channel, PHY type, BSSID information, and whether the two agree
(same / differs / missing / extra).

Options:
  --config FILE        roamer's configuration (default /etc/config/roamer)
  --json               {\"iface\", \"show_neighbor\": bool, \"entries\": [...]}
  --ctrl-dir DIR       hostapd's control directory (default /var/run/hostapd)
  --hostapd-conf FILE  see 'roamer own-nr --help'

Exit status: 0 success (differences are reported, not failures); 1 hostapd not running or
refused; 2 bad usage or a configuration that does not parse.
";

/// `roamer beacon-report --help`.
pub const BEACON_REPORT: &str = "\
usage: roamer beacon-report IFACE STA [--mode active|passive|table] [--op-class N]
                            [--channel N] [--bssid BSSID] [--ssid S] [--duration TU]
                            [--timeout S] [--json] [--ctrl-dir DIR]

Asks the client STA (associated to IFACE) for an 802.11k beacon report (hostapd REQ_BEACON),
waits for its answer and prints one row per reported BSS: BSSID, operating class, channel,
RCPI, signal in dBm (RCPI/2 - 110), RSNI, SSID (when the report carries the frame body),
measurement duration and the frame's PHY type.

What is measured (defaults in brackets):
  --mode M        active (probe requests) | passive (listen) | table (the client's scan
                  cache, no new scan)  [active]
  --channel N     channel to measure; 0 = every channel of the operating class
                  [the serving BSS's primary channel]
  --op-class N    global operating class [the 20 MHz class of --channel in the serving BSS's
                  band; stations refuse 40/80 MHz classes named with a primary channel]
  --bssid BSSID   only this BSS [any: ff:ff:ff:ff:ff:ff]
  --ssid S        only this SSID (1-32 bytes) [any]
  --duration TU   measurement duration, time units of 1.024 ms [100]
Waiting:
  --timeout S     give up after S seconds [5]. Reports are collected until 1 s passes
                  without another one, or the client marks the last one.

Exit status: 0 the client answered (even with zero BSSs); 1 unknown or unassociated
station, hostapd refused the request (no 802.11k support announced by the client),
the client refused (report mode 'refused') or is incapable, did not acknowledge,
or no answer before the timeout; 2 bad usage (malformed MAC, option values).
";

/// `roamer steer --help`.
pub const STEER: &str = "\
usage: roamer steer IFACE STA TARGET_BSSID [--imminent] [--disassoc-timer N]
                    [--valid-int N] [--pref N] [--nr HEX] [--config FILE]
                    [--timeout S] [--json] [--ctrl-dir DIR]

Asks the client STA to move to TARGET_BSSID with an 802.11v BSS transition management
request (hostapd BSS_TM_REQ with pref=1 abridged=1 and one candidate), waits for the
client's BSS-TM-RESP, and, if it accepted, for it to leave IFACE.

The candidate's full neighbor report entry (BSSID information, operating class, channel,
PHY type, wide-bandwidth subelement) comes from, in order: --nr HEX; a BSS of a local
hostapd in the control directory (computed like 'roamer own-nr'); the 'config neighbor'
sections of roamer's configuration; hostapd's SHOW_NEIGHBOR table. A BSS Transition
Candidate Preference subelement (03 01 <pref>) is appended.

Options:
  --imminent           set Disassociation Imminent (many clients only move then)
  --disassoc-timer N   disassociation timer in beacon intervals (0-65535); hostapd then
                       disassociates the client itself when it expires
  --valid-int N        validity interval in beacon intervals (1-255) [hostapd: 1]
  --pref N             candidate preference 1-255 [255]
  --nr HEX             the target's neighbor report body (as SHOW_NEIGHBOR's nr=)
  --config FILE        roamer's configuration (default /etc/config/roamer)
  --timeout S          overall deadline in seconds [10]
  --json               {\"sta\", \"target\", \"status_code\", \"status\", \"left\", ...}

Exit status: 0 the client accepted and left IFACE; 1 unknown station, hostapd refused the
request, the client rejected (status printed, e.g. 7 'no suitable candidates'), no answer
(is bss_transition=1 set?), or it accepted but stayed; 2 bad usage or input.
";

/// `roamer events --help`.
pub const EVENTS: &str = "\
usage: roamer events IFACE [--json] [--ctrl-dir DIR]

Attaches to hostapd's control socket of IFACE and prints every event, decoded, one line
each with a timestamp (station connected/disconnected, beacon reports with their BSS rows,
BSS transition responses with the status name, channel switches...), until SIGINT or
SIGTERM; then detaches and removes its socket.

Options:
  --json           one JSON object per line (JSON Lines)
  --ctrl-dir DIR   hostapd's control directory (default /var/run/hostapd)

Exit status: 0 interrupted; 1 hostapd not running, refused ATTACH, or went away;
2 bad usage.
";

/// `roamer decode --help`.
pub const DECODE: &str = "\
usage: roamer decode beacon-report HEX [--json]
       roamer decode nr HEX [--json]
       roamer decode event 'LINE' [--json]

Offline decoding of what hostapd prints:
  beacon-report HEX  the hex at the end of a BEACON-RESP-RX event (the Beacon Report body):
                     operating class, channel, RCPI and dBm, RSNI, BSSID, frame body
                     elements (SSID...), fragment and last-report subelements
  nr HEX             a neighbor report element body: SET_NEIGHBOR/SHOW_NEIGHBOR's nr=
                     value (an 'nr=' prefix is accepted): BSSID, BSSID information bits,
                     operating class, channel, band and frequency, PHY type, subelements
  event 'LINE'       one event line as hostapd sends it ('<3>BEACON-RESP-RX ...'), as
                     hostapd_cli prints it, or as an action script gets it
                     ('wlan0 AP-STA-CONNECTED ...')

Exit status: 0 decoded; 2 malformed input (bad hex, truncated element, unknown line).
";

/// `roamer run --help`.
pub const RUN: &str = "\
usage: roamer run [--config FILE]

Runs the steering daemon in the foreground: it attaches to every hostapd BSS of the
configuration (or every control socket in its ctrl_dir), reads signal from nl80211, keeps
hostapd's neighbor tables in sync, asks clients for beacon reports and sends BSS transition
requests when the configured thresholds say so. SIGHUP reloads the configuration (a bad file
keeps the old one); SIGINT/SIGTERM stop it cleanly.

Options:
  --config FILE, -c FILE   the UCI configuration (default /etc/config/roamer); checked
                           completely before anything is touched

Exit status: 0 stopped cleanly; 1 could not start; 2 bad usage or invalid configuration.
";

/// `roamer state --help`.
pub const STATE: &str = "\
usage: roamer state [--config FILE] [--json]

Asks the running daemon, over its state socket in the configured run_dir
(default /var/run/roamer), for its state: BSSs, clients, pending measurements and
transitions, counters.

Options:
  --config FILE   the configuration the daemon runs with (for its run_dir)
  --json          the state as JSON

Exit status: 0 printed; 1 no daemon answered; 2 bad usage or configuration.
";

/// `roamer check-config --help`.
pub const CHECK_CONFIG: &str = "\
usage: roamer check-config FILE

Parses and checks roamer's configuration FILE completely, as 'roamer run' would, and prints
a summary, or every problem as FILE:LINE: KEY: what is wrong.

Exit status: 0 valid; 2 invalid or unreadable.
";
