//! The command line survives a reader that went away: `roamer check-config FILE | head -0`
//! closes the pipe before roamer writes. `println!` panics then (Rust ignores SIGPIPE, the
//! write fails with EPIPE); roamer must exit with its normal code and no panic message.

use std::io::Read;
use std::process::{Command, Stdio};

/// Runs roamer with the read end of stdout (`closed_stdout`) or of stderr already dropped;
/// returns (exit code, what the other stream carried).
fn run_closed(args: &[&str], closed_stdout: bool) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_roamer"));
    cmd.args(args).env("LC_ALL", "C");
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run roamer");
    // Drop the read end at once: roamer has not even parsed its arguments yet.
    let (closed, mut open): (Box<dyn Read>, Box<dyn Read>) = if closed_stdout {
        (
            Box::new(child.stdout.take().unwrap()),
            Box::new(child.stderr.take().unwrap()),
        )
    } else {
        (
            Box::new(child.stderr.take().unwrap()),
            Box::new(child.stdout.take().unwrap()),
        )
    };
    drop(closed);
    let mut other = String::new();
    open.read_to_string(&mut other)
        .expect("read the open stream");
    let status = child.wait().expect("wait for roamer");
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
