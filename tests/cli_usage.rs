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
        if cmd != "run" && cmd != "state" {
            assert_eq!(
                text(&o2.stdout),
                out,
                "roamer help {cmd} == roamer {cmd} --help"
            );
        }
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
