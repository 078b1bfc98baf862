#!/usr/bin/env bash
# Every test roamer has. Installs its own prerequisites (Debian packages, rustup targets).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
