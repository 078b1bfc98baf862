//! The command line: `roamer CMD ...`.

use std::ffi::OsString;

/// Runs one command line and returns the process exit code
/// (0 success, 1 the operation failed or was refused, 2 bad usage or input).
pub fn main(args: Vec<OsString>) -> i32 {
    match args.first().and_then(|a| a.to_str()) {
        None | Some("help") | Some("--help") | Some("-h") => {
            println!("usage: roamer COMMAND [ARGS...]");
            0
        }
        Some(other) => {
            eprintln!("roamer: unknown command '{other}' (see 'roamer help')");
            2
        }
    }
}
