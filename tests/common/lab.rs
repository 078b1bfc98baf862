//! Rust side of the Wi-Fi lab (tests/lab/README.md): boots `tests/lab/run.sh` on a scenario and
//! parses its structured `@@ KIND key=value ...` lines.
//!
//! Use from an integration test file:
//! ```ignore
//! #[path = "common/lab.rs"]
//! mod lab;
//!
//! #[test]
//! fn my_scenario() {
//!     let run = lab::Lab::script("lab_ap A iface=wlan0\nlab_sta s1 iface=wlan1\n").run();
//!     run.expect_ok("sta-s1-connected-or-whatever");
//!     run.expect_passed();
//! }
//! ```
//! A lab that cannot boot (not prepared, qemu missing) makes `run()` panic with the missing
//! prerequisite and the command that installs it: lab tests never skip silently.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One VM at a time per test binary: the machines have 2 cores.
static ONE_VM: Mutex<()> = Mutex::new(());

/// The repository root (where Cargo.toml of the `roamer` package is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

enum Scenario {
    File(PathBuf),
    Script(String),
}

/// A lab run to be booted: a scenario plus what goes into the VM.
pub struct Lab {
    scenario: Scenario,
    args: Vec<String>,
    envs: Vec<(String, String)>,
}

impl Lab {
    /// A scenario file, relative to the repository root (e.g. `tests/lab/scenarios/smoke.sh`).
    pub fn scenario(path: impl AsRef<Path>) -> Lab {
        Lab {
            scenario: Scenario::File(root().join(path)),
            args: Vec::new(),
            envs: Vec::new(),
        }
    }

    /// A scenario given as text (the same shell as a scenario file, with lib.sh loaded).
    pub fn script(text: impl Into<String>) -> Lab {
        Lab {
            scenario: Scenario::Script(text.into()),
            args: Vec::new(),
            envs: Vec::new(),
        }
    }

    /// Copy a program into the VM's /opt/bin (on PATH) under its file name.
    pub fn bin(mut self, path: impl AsRef<Path>) -> Lab {
        self.args.push("--bin".into());
        self.args.push(path.as_ref().display().to_string());
        self
    }

    /// Copy a file into the VM's /lab/files (the scenario's working directory) as `name`.
    pub fn file(mut self, path: impl AsRef<Path>, name: &str) -> Lab {
        self.args.push("--file".into());
        self.args
            .push(format!("{}:{}", path.as_ref().display(), name));
        self
    }

    /// Set a shell variable for the scenario.
    pub fn env(mut self, key: &str, value: &str) -> Lab {
        self.args.push("--env".into());
        self.args.push(format!("{key}={value}"));
        self
    }

    /// Do not build or copy roamer (for checks of the lab and the daemons alone).
    pub fn no_roamer(mut self) -> Lab {
        self.args.push("--no-roamer".into());
        self
    }

    /// Use this static roamer binary instead of building one.
    pub fn roamer(mut self, path: impl AsRef<Path>) -> Lab {
        self.args.push("--roamer".into());
        self.args.push(path.as_ref().display().to_string());
        self
    }

    /// The scenario's time limit inside the VM, in seconds (default 300).
    pub fn timeout(mut self, secs: u32) -> Lab {
        self.args.push("--timeout".into());
        self.args.push(secs.to_string());
        self
    }

    /// Set an environment variable for run.sh itself (e.g. `LAB_CACHE`).
    pub fn host_env(mut self, key: &str, value: &str) -> Lab {
        self.envs.push((key.into(), value.into()));
        self
    }

    /// Boot the VM and wait for the scenario. Panics if the lab cannot run (with the missing
    /// prerequisite and the install command) or the VM did not finish; a scenario whose
    /// assertions failed still returns, so the test can say which.
    pub fn run(self) -> Run {
        let _one = ONE_VM.lock().unwrap_or_else(|e| e.into_inner());
        let run_sh = root().join("tests/lab/run.sh");
        let mut cmd = Command::new("bash");
        cmd.arg(&run_sh).arg("--quiet").args(&self.args);
        let input = match &self.scenario {
            Scenario::File(p) => {
                cmd.arg(p);
                None
            }
            Scenario::Script(s) => {
                cmd.arg("-");
                Some(s.clone())
            }
        };
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        let name = match &self.scenario {
            Scenario::File(p) => p.display().to_string(),
            Scenario::Script(_) => "<script>".to_string(),
        };
        let out_dir = std::env::temp_dir().join(format!("lab-out-{}", std::process::id()));
        cmd.arg("--out").arg(&out_dir);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let t0 = Instant::now();
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("lab: cannot start {}: {e}", run_sh.display()));
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            if let Some(text) = input {
                stdin
                    .write_all(text.as_bytes())
                    .expect("write the scenario to run.sh");
            }
        }
        let out = child.wait_with_output().expect("wait for run.sh");
        let wall = t0.elapsed();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let console = std::fs::read_to_string(out_dir.join("console.log")).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&out_dir);
        let code = out.status.code().unwrap_or(-1);
        match code {
            0 | 1 => {}
            2 => panic!(
                "lab: the lab VM cannot run {name}:\n{}\nPrepare the lab with: tests/lab/prepare.sh",
                stderr.trim()
            ),
            _ => panic!(
                "lab: the VM did not finish {name} (run.sh exit {code}).\n--- stderr\n{}\n--- console (tail)\n{}\n--- output\n{}",
                tail(&stderr, 3000),
                tail(&console, 6000),
                stdout
            ),
        }
        let records = stdout.lines().filter_map(Record::parse).collect();
        Run {
            name,
            code,
            records,
            stdout,
            console,
            wall,
        }
    }
}

fn tail(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut i = s.len() - n;
    while !s.is_char_boundary(i) {
        i += 1;
    }
    &s[i..]
}

/// Decode a %-encoded value (the lab encodes `%`, space, tab, CR and LF).
pub fn decode(v: &str) -> String {
    fn hex(c: u8) -> Option<u8> {
        (c as char).to_digit(16).map(|d| d as u8)
    }
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One `@@ KIND key=value ...` line.
#[derive(Debug, Clone)]
pub struct Record {
    /// The KIND word (`assert`, `result`, `ap`, `sta`, `proc`, `file`, `chunk`, `end`, ...).
    pub kind: String,
    /// The fields in order, values decoded.
    pub fields: Vec<(String, String)>,
}

impl Record {
    /// Parse one output line; `None` for anything that is not an `@@` line.
    pub fn parse(line: &str) -> Option<Record> {
        let rest = line.strip_prefix("@@ ")?;
        let mut words = rest.split(' ').filter(|w| !w.is_empty());
        let kind = words.next()?.to_string();
        let fields = words
            .map(|w| match w.split_once('=') {
                Some((k, v)) => (k.to_string(), decode(v)),
                None => (w.to_string(), String::new()),
            })
            .collect();
        Some(Record { kind, fields })
    }

    /// The value of field `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The value of field `key`, or a panic naming the record.
    pub fn field(&self, key: &str) -> &str {
        self.get(key)
            .unwrap_or_else(|| panic!("lab: record {self:?} has no field {key}"))
    }
}

/// The outcome of one lab run.
pub struct Run {
    /// The scenario's name (path or `<script>`).
    pub name: String,
    /// run.sh's exit code: 0 passed, 1 the scenario failed.
    pub code: i32,
    /// Every `@@` record, in order.
    pub records: Vec<Record>,
    /// run.sh's stdout (the `@@` lines).
    pub stdout: String,
    /// The VM console (kernel, daemons' failures, logs dumped on failure).
    pub console: String,
    /// Wall-clock time of the run, boot included.
    pub wall: Duration,
}

impl Run {
    /// Records of one kind.
    pub fn of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Record> + 'a {
        self.records.iter().filter(move |r| r.kind == kind)
    }

    /// The last record of `kind` whose `name` field is `name`.
    pub fn named(&self, kind: &str, name: &str) -> Option<&Record> {
        self.records
            .iter()
            .rev()
            .find(|r| r.kind == kind && r.get("name") == Some(name))
    }

    fn context(&self) -> String {
        format!(
            "--- lab output of {}\n{}\n--- console (tail)\n{}",
            self.name,
            self.stdout,
            tail(&self.console, 6000)
        )
    }

    /// Panic (with the run's output) unless assertion `name` exists and passed.
    pub fn expect_ok(&self, name: &str) -> &Record {
        match self.named("assert", name) {
            Some(r) if r.get("ok") == Some("1") => r,
            Some(r) => panic!(
                "lab: assertion {name} failed: {}\n{}",
                r.get("detail").unwrap_or(""),
                self.context()
            ),
            None => panic!("lab: assertion {name} never ran\n{}", self.context()),
        }
    }

    /// The `@@ result name=NAME` record (panics if absent).
    pub fn result(&self, name: &str) -> &Record {
        self.named("result", name)
            .unwrap_or_else(|| panic!("lab: no result {name}\n{}", self.context()))
    }

    /// A file copied out with `lab_file NAME PATH` (or a `lab_bg` log `NAME.log`).
    pub fn file(&self, name: &str) -> Option<Vec<u8>> {
        let head = self.named("file", name)?;
        if head.get("missing").is_some() {
            return None;
        }
        let b64: String = self
            .of("chunk")
            .filter(|r| r.get("name") == Some(name))
            .map(|r| r.get("b64").unwrap_or(""))
            .collect();
        Some(base64_decode(&b64))
    }

    /// The `@@ end` record.
    pub fn end(&self) -> &Record {
        self.of("end")
            .last()
            .unwrap_or_else(|| panic!("lab: no end record\n{}", self.context()))
    }

    /// Panic unless the scenario ended with status 0 and no failed assertion.
    pub fn expect_passed(&self) {
        let failed: Vec<String> = self
            .of("assert")
            .filter(|r| r.get("ok") != Some("1"))
            .map(|r| format!("{}: {}", r.field("name"), r.get("detail").unwrap_or("")))
            .collect();
        let end = self.end();
        if self.code != 0 || end.get("status") != Some("0") || !failed.is_empty() {
            panic!(
                "lab: scenario failed (status {:?}); failed assertions:\n  {}\n{}",
                end.get("status"),
                failed.join("\n  "),
                self.context()
            );
        }
    }

    /// Milliseconds since boot of the `@@ mark name=NAME` record.
    pub fn mark(&self, name: &str) -> Option<u64> {
        self.named("mark", name)?.get("t")?.parse().ok()
    }

    /// All `result` records as name -> record.
    pub fn results(&self) -> HashMap<String, &Record> {
        self.of("result")
            .filter_map(|r| Some((r.get("name")?.to_string(), r)))
            .collect()
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    fn val(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some((c - b'A') as u32),
            b'a'..=b'z' => Some((c - b'a' + 26) as u32),
            b'0'..=b'9' => Some((c - b'0' + 52) as u32),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let Some(v) = val(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Build one example of a workspace package as a static (musl) binary with the lab's build
/// function and return its path, e.g. `static_example("nl80211", "labcheck")`.
pub fn static_example(package: &str, example: &str) -> PathBuf {
    let bins = static_build(&["-p", package, "--example", example]);
    bins.iter()
        .find(|p| p.file_name().is_some_and(|n| n == example))
        .cloned()
        .unwrap_or_else(|| panic!("no {example} binary in {bins:?}"))
}

/// Build static (musl) binaries of this workspace with the lab's build function and return
/// their paths, e.g. `static_build(&["-p", "nl80211", "--example", "capture"])`.
pub fn static_build(cargo_args: &[&str]) -> Vec<PathBuf> {
    let script = format!(
        ". {}/tests/lab/host.sh && lab_ensure_musl_target && lab_build_static \"$@\"",
        root().display()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg("lab")
        .args(cargo_args)
        .stderr(Stdio::inherit())
        .output()
        .expect("run bash");
    assert!(
        out.status.success(),
        "lab: static build failed: cargo build --release --target x86_64-unknown-linux-musl {}",
        cargo_args.join(" ")
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(PathBuf::from)
        .collect()
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn record_parse_and_decode() {
        let r = Record::parse("@@ assert name=x ok=1 detail=a%20b%0Ac%25 flag").unwrap();
        assert_eq!(r.kind, "assert");
        assert_eq!(r.get("name"), Some("x"));
        assert_eq!(r.get("detail"), Some("a b\nc%"));
        assert_eq!(r.get("flag"), Some(""));
        assert!(Record::parse("lab: noise").is_none());
        assert_eq!(decode("%zz%2"), "%zz%2");
    }

    #[test]
    fn base64_roundtrip_known() {
        assert_eq!(base64_decode("aGVsbG8K"), b"hello\n");
        assert_eq!(base64_decode("YQ=="), b"a");
    }
}
