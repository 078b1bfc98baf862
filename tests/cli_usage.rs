//! The command line's contract without hostapd: help texts, usage errors and exit codes.
//! Runs the real binary (`CARGO_BIN_EXE_roamer`).

use std::process::{Command, Output};

fn roamer(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roamer"))
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .expect("run roamer")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Every named command of issue 7 exists and answers `--help` with its usage, exit 0.
#[test]
fn every_command_has_help() {
    for cmd in [
        "stations",
        "status",
        "own-nr",
        "neighbors",
        "beacon-report",
        "steer",
        "events",
        "decode",
        "state",
        "check-config",
        "run",
    ] {
        let o = roamer(&[cmd, "--help"]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{cmd} --help: {}",
            text(&o.stderr)
        );
        let out = text(&o.stdout);
        assert!(
            out.starts_with(&format!("usage: roamer {cmd}")),
            "{cmd} --help starts with its usage line: {out}"
        );
        let o2 = roamer(&["help", cmd]);
        assert_eq!(o2.status.code(), Some(0));
        assert_eq!(
            text(&o2.stdout),
            out,
            "roamer help {cmd} == roamer {cmd} --help"
        );
    }
}

/// `roamer help` names every command and the exit codes.
#[test]
fn main_help_is_complete() {
    let o = roamer(&["help"]);
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    for word in [
        "stations IFACE",
        "status IFACE",
        "own-nr IFACE",
        "neighbors IFACE",
        "beacon-report IFACE STA",
        "steer IFACE STA BSSID",
        "events IFACE",
        "decode beacon-report HEX",
        "decode nr HEX",
        "decode event 'LINE'",
        "run",
        "state",
        "check-config FILE",
        "--json",
        "--ctrl-dir DIR",
        "/var/run/hostapd",
        "0 success, 1",
        "2 bad usage",
    ] {
        assert!(out.contains(word), "roamer help mentions '{word}'");
    }
    assert_eq!(text(&roamer(&["--help"]).stdout), out);
}

fn assert_usage_error(args: &[&str], needle: &str) {
    let o = roamer(args);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: stderr {err}");
    assert!(o.stdout.is_empty(), "{args:?}: nothing on stdout");
    assert_eq!(err.lines().count(), 1, "{args:?}: one stderr line: {err}");
    assert!(err.starts_with("roamer: "), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: '{needle}' in {err}");
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    assert_usage_error(&[], "missing COMMAND");
    assert_usage_error(&["frobnicate"], "unknown command");
    assert_usage_error(&["help", "frobnicate"], "unknown command");
    assert_usage_error(&["check-config"], "missing FILE");
}

/// Bad input to every command is caught before anything is sent: exit 2, one line.
#[test]
fn bad_input_to_each_command() {
    assert_usage_error(&["stations"], "missing IFACE");
    assert_usage_error(&["stations", "wlan0", "wlan1"], "unexpected argument");
    assert_usage_error(&["stations", "bad/name"], "not a valid interface name");
    assert_usage_error(
        &["status", "a very long interface name"],
        "not a valid interface name",
    );
    assert_usage_error(&["status", "wlan0", "--bogus"], "unknown option '--bogus'");
    assert_usage_error(&["own-nr", "wlan0", "--ctrl-dir"], "needs a value");
    assert_usage_error(&["own-nr", "wlan0", "--check=1"], "takes no value");
    assert_usage_error(
        &["own-nr", "wlan0", "--hostapd-conf", "/nonexistent/h.conf"],
        "--hostapd-conf /nonexistent/h.conf",
    );
    assert_usage_error(&["beacon-report", "wlan0"], "missing STA");
    assert_usage_error(
        &["beacon-report", "wlan0", "02:00:00:00:05"],
        "STA '02:00:00:00:05'",
    );
    assert_usage_error(
        &["beacon-report", "wlan0", "zz:00:00:00:05:00"],
        "bad hex digit",
    );
    let sta = "02:00:00:00:05:00";
    assert_usage_error(
        &["beacon-report", "wlan0", sta, "--mode", "loud"],
        "--mode 'loud'",
    );
    assert_usage_error(
        &["beacon-report", "wlan0", sta, "--op-class", "0"],
        "--op-class '0'",
    );
    assert_usage_error(
        &["beacon-report", "wlan0", sta, "--channel", "-1"],
        "--channel '-1'",
    );
    assert_usage_error(
        &["beacon-report", "wlan0", sta, "--bssid", "x"],
        "--bssid 'x'",
    );
    assert_usage_error(
        &["beacon-report", "wlan0", sta, "--ssid", &"x".repeat(33)],
        "--ssid must be 1 to 32 bytes",
    );
    assert_usage_error(
        &["beacon-report", "wlan0", sta, "--duration", "70000"],
        "--duration",
    );
    assert_usage_error(
        &["beacon-report", "wlan0", sta, "--timeout", "0"],
        "--timeout '0'",
    );
    assert_usage_error(&["steer", "wlan0", sta], "missing TARGET_BSSID");
    assert_usage_error(&["steer", "wlan0", sta, "02:00:00:00:01"], "TARGET_BSSID");
    assert_usage_error(&["steer", "wlan0", sta, "ff:ff:ff:ff:ff:ff"], "unicast");
    let b = "02:00:00:00:01:00";
    assert_usage_error(&["steer", "wlan0", sta, b, "--pref", "0"], "--pref '0'");
    assert_usage_error(
        &["steer", "wlan0", sta, b, "--valid-int", "256"],
        "--valid-int",
    );
    assert_usage_error(
        &["steer", "wlan0", sta, b, "--disassoc-timer", "x"],
        "--disassoc-timer",
    );
    assert_usage_error(
        &["steer", "wlan0", sta, b, "--config", "/nonexistent/roamer"],
        "/nonexistent/roamer",
    );
    assert_usage_error(&["events"], "missing IFACE");
    assert_usage_error(
        &["neighbors", "wlan0", "--config", "/nonexistent/roamer"],
        "/nonexistent/roamer",
    );
}

fn assert_failed(args: &[&str], needle: &str) {
    let o = roamer(args);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{args:?}: stderr {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: one stderr line: {err}");
    assert!(err.contains(needle), "{args:?}: '{needle}' in {err}");
}

/// hostapd not reachable (no control directory, no socket): exit 1 with the reason, never a
/// hang. (The same with a real hostapd, stopped or refusing, is checked in the lab.)
#[test]
fn hostapd_not_running_exits_1() {
    let empty = std::env::temp_dir().join(format!("roamer-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let dir = empty.to_str().unwrap();
    let sta = "02:00:00:00:05:00";
    assert_failed(
        &["status", "wlan0", "--ctrl-dir", "/nonexistent/hostapd"],
        "no control directory /nonexistent/hostapd",
    );
    assert_failed(
        &["own-nr", "nosuch0", "--ctrl-dir", dir],
        "no such interface",
    );
    assert_failed(
        &["events", "nosuch0", "--ctrl-dir", dir],
        "no such interface",
    );
    assert_failed(
        &["beacon-report", "nosuch0", sta, "--ctrl-dir", dir],
        "no such interface",
    );
    assert_failed(
        &[
            "steer",
            "nosuch0",
            sta,
            "02:00:00:00:01:00",
            "--ctrl-dir",
            dir,
        ],
        "no such interface",
    );
    assert_failed(
        &["neighbors", "nosuch0", "--ctrl-dir", dir],
        "no such interface",
    );
    assert_failed(&["stations", "nosuch0"], "no such network interface");
    std::fs::remove_dir_all(&empty).unwrap();
}
