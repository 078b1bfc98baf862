//! The command line: `roamer CMD ...`.
//!
//! Every one-shot command parses its arguments with [`args`], talks to hostapd (ctrl-proto's
//! blocking socket, every wait with a deadline) and to the kernel (nl80211), and prints a
//! table ([`table`]) or JSON ([`json`]). Errors are one line on stderr,
//! `roamer: <what>: <why>`, and the exit code says what kind of failure it was:
//! 0 success, 1 the operation failed or was refused, 2 bad usage or input.

pub mod args;
pub mod beacon;
pub mod bss;
pub mod common;
pub mod decode;
pub mod events;
pub mod help;
pub mod hostapd;
pub mod json;
pub mod local;
pub mod neighbors;
pub mod num;
pub mod render;
pub mod stations;
pub mod steer;
pub mod table;

use std::ffi::OsString;
use std::fmt;
use std::io::Write;

/// The text of a [`CliError`]: one heap pointer, so that `Result<T, CliError>` stays small
/// (every `?` of the commands moves it; a 32-byte error cost the router build kilobytes).
#[derive(Clone, PartialEq, Eq)]
#[allow(clippy::box_collection)] // deliberate: a thin pointer, see above
pub struct Msg(Box<String>);

impl Msg {
    /// The message text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Appends `text` to the message.
    pub fn push_str(&mut self, text: &str) {
        self.0.push_str(text);
    }

    /// The message text, for in-place additions.
    pub fn string(&mut self) -> &mut String {
        &mut self.0
    }
}

impl From<String> for Msg {
    fn from(s: String) -> Msg {
        Msg(Box::new(s))
    }
}

impl From<&str> for Msg {
    fn from(s: &str) -> Msg {
        Msg(Box::new(s.to_string()))
    }
}

impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Why a command did not succeed; decides the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// Bad usage or input (exit 2): `<what>: <why>`.
    Usage(Msg),
    /// The operation failed or was refused (exit 1): `<what>: <why>`.
    Failed(Msg),
    /// The output already said why (exit 1, nothing more on stderr).
    Reported,
    /// Bad input and the output already said why (exit 2, nothing more on stderr).
    UsageReported,
    /// The command already finished successfully (it printed its `--help`): exit 0.
    Done,
}

impl CliError {
    /// Bad usage or input in `what`.
    pub fn usage(what: &str, why: impl fmt::Display) -> CliError {
        CliError::Usage(format!("{what}: {why}").into())
    }

    /// `what` failed or was refused.
    pub fn failed(what: &str, why: impl fmt::Display) -> CliError {
        CliError::Failed(format!("{what}: {why}").into())
    }

    /// `what: <why>` as a usage error, from any error value (one non-generic body for the
    /// `map_err(|e| ..)` of every parser's error).
    #[inline(never)]
    pub fn usage_of(what: &str, why: &dyn fmt::Display) -> CliError {
        CliError::usage(what, why)
    }

    /// The process exit code: 2 for usage, 0 for [`CliError::Done`], 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Done => 0,
            CliError::Usage(_) | CliError::UsageReported => 2,
            CliError::Failed(_) | CliError::Reported => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) | CliError::Failed(m) => f.write_str(m.as_str()),
            CliError::Reported | CliError::UsageReported => f.write_str("failed (see output)"),
            CliError::Done => Ok(()),
        }
    }
}

/// Writes `text` to stdout. A closed pipe (`roamer events | head`) is not an error worth a
/// panic: it returns `false` so streaming commands can stop.
pub fn out(text: &str) -> bool {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .is_ok()
}

/// Appends formatted text to `s` (instead of `s.push_str(&format!(..))`: no temporary
/// String at each call site).
#[inline(never)]
pub fn push_fmt(s: &mut String, args: fmt::Arguments<'_>) {
    let _ = fmt::Write::write_fmt(s, args);
}

/// Writes `value` and a newline to stdout, like [`out`] (one out-of-line copy of the
/// `format!` the JSON outputs need).
#[inline(never)]
pub fn out_line(value: &dyn fmt::Display) -> bool {
    out(&format!("{value}\n"))
}

/// Runs one command line and returns the process exit code
/// (0 success, 1 the operation failed or was refused, 2 bad usage or input).
pub fn main(args: Vec<OsString>) -> i32 {
    match run(&args) {
        Ok(()) => 0,
        Err(e @ (CliError::Reported | CliError::UsageReported | CliError::Done)) => e.exit_code(),
        Err(e) => {
            // Not eprintln!: a closed stderr must not turn into a panic.
            let _ = writeln!(std::io::stderr(), "roamer: {e}");
            e.exit_code()
        }
    }
}

fn run(args: &[OsString]) -> Result<(), CliError> {
    let Some(first) = args.first() else {
        return Err(CliError::Usage(
            "missing COMMAND (see 'roamer help')".into(),
        ));
    };
    let Some(cmd) = first.to_str() else {
        return Err(CliError::Usage(
            format!("{first:?}: unknown command (see 'roamer help')").into(),
        ));
    };
    let rest = &args[1..];
    let cmd = match cmd {
        "--help" | "-h" => "help",
        c => c,
    };
    match COMMANDS.iter().find(|c| c.0 == cmd) {
        Some(&(_, _, run)) => run(rest),
        None => Err(CliError::Usage(
            format!("'{cmd}': unknown command (see 'roamer help')").into(),
        )),
    }
}

/// A command's entry point.
type Run = fn(&[OsString]) -> Result<(), CliError>;

/// Every command: its name, help text and entry point (one table for dispatch and `help`).
const COMMANDS: &[(&str, &str, Run)] = &[
    ("stations", help::STATIONS, stations::run),
    ("status", help::STATUS, bss::status),
    ("own-nr", help::OWN_NR, bss::own_nr),
    ("neighbors", help::NEIGHBORS, neighbors::run),
    ("beacon-report", help::BEACON_REPORT, beacon::run),
    ("steer", help::STEER, steer::run),
    ("events", help::EVENTS, events::run),
    ("decode", help::DECODE, decode::run),
    ("run", help::RUN, run_cmd),
    ("state", help::STATE, state_cmd),
    ("check-config", help::CHECK_CONFIG, check_config),
    ("help", help::MAIN, help_cmd),
];

/// The help text of command `name`, if it exists.
pub fn help_text(name: &str) -> Option<&'static str> {
    COMMANDS.iter().find(|c| c.0 == name).map(|c| c.1)
}

fn run_cmd(rest: &[OsString]) -> Result<(), CliError> {
    daemon_cmd("run", rest, help::RUN, crate::daemon::run)
}

fn state_cmd(rest: &[OsString]) -> Result<(), CliError> {
    daemon_cmd("state", rest, help::STATE, crate::daemon::state::state_cmd)
}

/// `roamer help [CMD]`.
fn help_cmd(rest: &[OsString]) -> Result<(), CliError> {
    match rest.first().map(|a| a.to_string_lossy()) {
        None => {
            out(help::MAIN);
            Ok(())
        }
        Some(name) => match help_text(&name) {
            Some(text) => {
                out(text);
                Ok(())
            }
            None => Err(CliError::usage(
                "help",
                format_args!("unknown command '{name}' (see 'roamer help')"),
            )),
        },
    }
}

/// `roamer check-config FILE`: the configuration engineer's checker.
fn check_config(rest: &[OsString]) -> Result<(), CliError> {
    let p = args::command("check-config", rest, &[], help::CHECK_CONFIG)?;
    let pos = p.positionals(&["FILE"])?;
    match crate::config::check_config_cmd(std::path::Path::new(&pos[0])) {
        0 => Ok(()),
        // It printed every error itself; an invalid file is bad input.
        _ => Err(CliError::UsageReported),
    }
}

/// `roamer run` / `roamer state`: the daemon engineer's entry points (which print their own
/// errors); `--help` is answered here so every help text lives in [`help`].
fn daemon_cmd(
    name: &str,
    rest: &[OsString],
    help_text: &str,
    f: fn(&[String]) -> i32,
) -> Result<(), CliError> {
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        out(help_text);
        return Ok(());
    }
    let mut args = Vec::with_capacity(rest.len());
    for a in rest {
        match a.to_str() {
            Some(s) => args.push(s.to_string()),
            None => {
                return Err(CliError::usage(
                    name,
                    format_args!("argument {a:?} is not valid UTF-8"),
                ))
            }
        }
    }
    match f(&args) {
        0 => Ok(()),
        2 => Err(CliError::UsageReported),
        _ => Err(CliError::Reported),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_command_messages() {
        assert_eq!(
            run(&[OsString::from("frobnicate")]),
            Err(CliError::Usage(
                "'frobnicate': unknown command (see 'roamer help')".into()
            ))
        );
        assert_eq!(
            run(&["decode".into(), "nr".into()]),
            Err(CliError::Usage(
                "decode nr: missing input (see 'roamer decode --help')".into()
            ))
        );
    }
}
