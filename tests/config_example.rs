//! The shipped example configuration must stay valid and document every option.

use roamer::config::{Config, MAIN_KEYS, POLICY_KEYS};
use std::path::Path;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/packaging/examples/roamer.uci");

#[test]
fn example_parses_to_the_defaults() {
    let c = Config::load(Path::new(EXAMPLE)).unwrap();
    let d = Config {
        file: c.file.clone(),
        ..Config::default()
    };
    assert_eq!(
        c, d,
        "every option in the example is commented out with its default"
    );
}

#[test]
fn example_uncommented_is_valid_and_mentions_every_key() {
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    // Uncomment every option line: the file must still be valid.
    let live: String = text
        .lines()
        .map(|l| {
            let t = l.trim_start();
            let t2 = t.strip_prefix('#').unwrap_or(t).trim_start();
            if ["option ", "list ", "config "]
                .iter()
                .any(|k| t2.starts_with(k))
            {
                format!("{t2}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let c = Config::parse(&live, "example").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.ifaces, ["wlan0", "wlan1"]);
    assert_eq!(c.neighbors.len(), 1);
    assert_eq!(c.policy.clients.len(), 2);
    for k in MAIN_KEYS {
        let needle = format!(" {} '", k.name);
        assert!(text.contains(&needle), "example lacks {}", k.name);
        if k.name != "iface" {
            assert!(
                text.contains(&format!(" {} '{}'", k.name, k.default)),
                "example default of {}",
                k.name
            );
        }
    }
    for k in POLICY_KEYS {
        let line = format!("#option {} '{}'", k.name, k.default_value());
        assert!(text.contains(&line), "example lacks {line}");
    }
}

#[test]
fn check_config_exit_codes() {
    assert_eq!(roamer::config::check_config_cmd(Path::new(EXAMPLE)), 0);
    let dir = std::env::temp_dir().join(format!("roamer-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad");
    std::fs::write(&bad, "config roamer\n\toption poll_interval_ms 'fast'\n").unwrap();
    assert_eq!(roamer::config::check_config_cmd(&bad), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
