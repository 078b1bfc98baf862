//! The command line survives a reader that went away: `roamer check-config FILE | head -0`
//! closes the pipe before roamer writes. `println!` panics then (Rust ignores SIGPIPE, the
//! write fails with EPIPE); roamer must exit with its normal code and no panic message.

use std::io::Read;
use std::process::{Command, Stdio};

/// Runs roamer with stdout (`closed_stdout`) or stderr on a pipe whose read end is closed
/// before roamer starts (deterministic EPIPE on its first write); returns (exit code, what
/// the other stream carried).
fn run_closed(args: &[&str], closed_stdout: bool) -> (Option<i32>, String) {
    let (read_end, write_end) = nix::unistd::pipe().expect("pipe");
    drop(read_end);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_roamer"));
    cmd.args(args).env("LC_ALL", "C");
    if closed_stdout {
        cmd.stdout(Stdio::from(write_end)).stderr(Stdio::piped());
    } else {
        cmd.stderr(Stdio::from(write_end)).stdout(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("run roamer");
    let mut other = String::new();
    let open: Option<Box<dyn Read>> = if closed_stdout {
        child.stderr.take().map(|r| Box::new(r) as Box<dyn Read>)
    } else {
        child.stdout.take().map(|r| Box::new(r) as Box<dyn Read>)
    };
    if let Some(mut r) = open {
        r.read_to_string(&mut other).expect("read the open stream");
    }
    let status = child.wait().expect("wait for roamer");
    drop(cmd);
    (status.code(), other)
}

fn example() -> String {
    format!(
        "{}/packaging/examples/roamer.uci",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn check_config_ok_with_closed_stdout() {
    let (code, stderr) = run_closed(&["check-config", &example()], true);
    assert_eq!(code, Some(0), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
}

#[test]
fn check_config_error_with_closed_stderr() {
    let dir = std::env::temp_dir().join(format!("roamer-closed-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.uci");
    std::fs::write(&bad, "config roamer 'global'\n\toption no_such_key '1'\n").unwrap();
    let (code, stdout) = run_closed(&["check-config", bad.to_str().unwrap()], false);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, Some(2), "stdout: {stdout}");
}

#[test]
fn state_config_error_with_closed_stderr() {
    let (code, stdout) = run_closed(&["state", "--config", "/nonexistent/roamer.uci"], false);
    assert_eq!(code, Some(2), "stdout: {stdout}");
}
