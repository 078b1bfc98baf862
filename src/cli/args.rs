//! Hand-written argument parsing (no clap: footprint). Each command declares its options as
//! [`Opt`]s; [`parse`] checks the command line against them.

use super::CliError;
use std::ffi::OsString;

/// One option a command accepts: `--name` (flag) or `--name VALUE` / `--name=VALUE`.
#[derive(Debug, Clone, Copy)]
pub struct Opt {
    /// The long name without dashes.
    pub name: &'static str,
    /// Whether it takes a value.
    pub value: bool,
}

/// A flag option.
pub const fn flag(name: &'static str) -> Opt {
    Opt { name, value: false }
}

/// An option with a value.
pub const fn val(name: &'static str) -> Opt {
    Opt { name, value: true }
}

/// A parsed command line: positional arguments and the options given (last one wins).
#[derive(Debug, Default)]
pub struct Parsed {
    /// The command name used in error messages (`roamer: <cmd>: ...`).
    pub cmd: &'static str,
    /// Positional arguments in order.
    pub pos: Vec<String>,
    opts: Vec<(&'static str, Option<String>)>,
    /// `--help` / `-h` was given.
    pub help: bool,
}

/// Parses `args` (after the command name) against `spec`. Unknown options, missing values and
/// non-UTF-8 arguments are usage errors. `--` ends the options; `-` alone is positional.
pub fn parse(cmd: &'static str, args: &[OsString], spec: &[Opt]) -> Result<Parsed, CliError> {
    let mut p = Parsed {
        cmd,
        ..Parsed::default()
    };
    let mut it = args.iter();
    let mut only_pos = false;
    while let Some(raw) = it.next() {
        let arg = raw.to_str().ok_or_else(|| {
            CliError::usage(cmd, format_args!("argument {raw:?} is not valid UTF-8"))
        })?;
        if only_pos || arg == "-" || !arg.starts_with('-') {
            p.pos.push(arg.to_string());
            continue;
        }
        if arg == "--" {
            only_pos = true;
            continue;
        }
        if arg == "-h" || arg == "--help" {
            p.help = true;
            continue;
        }
        let Some(body) = arg.strip_prefix("--") else {
            // A negative number is a value, never an option here; so "-x" is unknown.
            return Err(CliError::usage(cmd, format_args!("unknown option '{arg}'")));
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let opt = spec
            .iter()
            .find(|o| o.name == name)
            .ok_or_else(|| CliError::usage(cmd, format_args!("unknown option '--{name}'")))?;
        let value = if opt.value {
            match inline {
                Some(v) => Some(v),
                None => {
                    let v = it.next().ok_or_else(|| {
                        CliError::usage(cmd, format_args!("option '--{name}' needs a value"))
                    })?;
                    Some(
                        v.to_str()
                            .ok_or_else(|| {
                                CliError::usage(
                                    cmd,
                                    format_args!("value of '--{name}' is not valid UTF-8"),
                                )
                            })?
                            .to_string(),
                    )
                }
            }
        } else {
            if inline.is_some() {
                return Err(CliError::usage(
                    cmd,
                    format_args!("option '--{name}' takes no value"),
                ));
            }
            None
        };
        p.opts.retain(|(n, _)| *n != opt.name);
        p.opts.push((opt.name, value));
    }
    Ok(p)
}

/// [`parse`] for a command whose help text is `help`: `--help` prints it and ends the command
/// with [`CliError::Done`] (exit 0), so callers see only real runs. Boxed: the commands move
/// the result through `?`, a pointer is cheaper to move than the struct.
#[inline(never)]
pub fn command(
    cmd: &'static str,
    args: &[OsString],
    spec: &[Opt],
    help: &str,
) -> Result<Box<Parsed>, CliError> {
    let p = parse(cmd, args, spec)?;
    if p.help {
        super::out(help);
        return Err(CliError::Done);
    }
    Ok(Box::new(p))
}

/// [`command`] for a command whose first positional argument is an interface: also checks
/// the positionals against `names` ([`Parsed::positionals`]) and the interface name
/// ([`super::common::iface_arg`]), in that order. One call instead of three `?`s in each
/// command.
#[inline(never)]
pub fn iface_command(
    cmd: &'static str,
    args: &[OsString],
    spec: &[Opt],
    help: &str,
    names: &[&str],
) -> Result<Box<Parsed>, CliError> {
    let p = command(cmd, args, spec, help)?;
    p.positionals(names)?;
    super::common::iface_arg(cmd, p.arg(0))?;
    Ok(p)
}

impl Parsed {
    /// Positional argument `i`, `""` if there is none (after [`Parsed::positionals`] checked
    /// the count, it is there).
    #[inline(never)]
    pub fn arg(&self, i: usize) -> &str {
        self.pos.get(i).map_or("", String::as_str)
    }

    /// Whether flag `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.opts.iter().any(|(n, _)| *n == name)
    }

    /// The value of option `name`, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.opts
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// The value of option `name` parsed as a number in `min..=max`.
    pub fn num<T>(&self, name: &str, min: T, max: T) -> Result<Option<T>, CliError>
    where
        T: Into<u32> + TryFrom<u32> + Copy,
    {
        // `parse::<T>()` accepts exactly the texts `parse::<u32>()` accepts with a value up to
        // T::MAX, so one u32 body gives the same results and the same error text.
        Ok(self
            .num_u32(name, min.into(), max.into())?
            .and_then(|v| T::try_from(v).ok()))
    }

    #[inline(never)]
    fn num_u32(&self, name: &str, min: u32, max: u32) -> Result<Option<u32>, CliError> {
        let Some(text) = self.value(name) else {
            return Ok(None);
        };
        match text.trim().parse::<u32>() {
            Ok(v) if v >= min && v <= max => Ok(Some(v)),
            _ => Err(CliError::usage(
                self.cmd,
                format_args!("--{name} '{text}': expected a number from {min} to {max}"),
            )),
        }
    }

    /// A duration in seconds (`--timeout 2.5`), 0 < s <= 3600.
    pub fn seconds(&self, name: &str) -> Result<Option<std::time::Duration>, CliError> {
        let Some(text) = self.value(name) else {
            return Ok(None);
        };
        // exactly `text.trim().parse::<f64>()`, `0 < s <= 3600`, `Duration::from_secs_f64(s)`
        match super::num::parse_secs(text.trim()) {
            Some(d) => Ok(Some(d)),
            None => Err(CliError::usage(
                self.cmd,
                format_args!("--{name} '{text}': expected seconds, more than 0 and at most 3600"),
            )),
        }
    }

    /// Checks the number of positional arguments and returns them.
    pub fn positionals(&self, names: &[&str]) -> Result<&[String], CliError> {
        if self.pos.len() < names.len() {
            let missing = names[self.pos.len()];
            return Err(CliError::usage(
                self.cmd,
                format_args!("missing {missing} (see 'roamer {} --help')", self.cmd),
            ));
        }
        if self.pos.len() > names.len() {
            return Err(CliError::usage(
                self.cmd,
                format_args!(
                    "unexpected argument '{}' (see 'roamer {} --help')",
                    self.pos[names.len()],
                    self.cmd
                ),
            ));
        }
        Ok(&self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    const SPEC: &[Opt] = &[flag("json"), val("timeout"), val("op-class")];

    #[test]
    fn parses_options_and_positionals() {
        let p = parse(
            "x",
            &os(&[
                "wlan0",
                "--json",
                "--timeout",
                "2.5",
                "--op-class=115",
                "sta",
            ]),
            SPEC,
        )
        .unwrap();
        assert_eq!(p.pos, vec!["wlan0", "sta"]);
        assert!(p.flag("json"));
        assert_eq!(p.value("timeout"), Some("2.5"));
        assert_eq!(p.num::<u8>("op-class", 1, 255).unwrap(), Some(115));
        assert_eq!(
            p.seconds("timeout").unwrap(),
            Some(std::time::Duration::from_millis(2500))
        );
    }

    #[test]
    fn rejects_bad_usage() {
        assert!(parse("x", &os(&["--nope"]), SPEC).is_err());
        assert!(parse("x", &os(&["--timeout"]), SPEC).is_err());
        assert!(parse("x", &os(&["--json=1"]), SPEC).is_err());
        assert!(parse("x", &os(&["-q"]), SPEC).is_err());
        let p = parse("x", &os(&["--op-class", "300"]), SPEC).unwrap();
        assert!(p.num::<u8>("op-class", 1, 255).is_err());
        let p = parse("x", &os(&["--timeout", "-1"]), SPEC).unwrap();
        assert!(p.seconds("timeout").is_err());
        let p = parse("x", &os(&["a", "b"]), SPEC).unwrap();
        assert!(p.positionals(&["IFACE"]).is_err());
        assert!(p.positionals(&["A", "B", "C"]).is_err());
        assert_eq!(p.positionals(&["A", "B"]).unwrap().len(), 2);
    }

    #[test]
    fn help_and_double_dash() {
        let p = parse("x", &os(&["-h", "--", "--json"]), SPEC).unwrap();
        assert!(p.help);
        assert!(!p.flag("json"));
        assert_eq!(p.pos, vec!["--json"]);
    }
}
