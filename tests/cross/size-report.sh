#!/usr/bin/env bash
# Reproduces the size figures of bench/RESULTS.md: the stripped static roamer binary under
# each build choice, then `cargo bloat` (crates and largest functions) of the router build.
# Slow (every variant rebuilds; the router variants rebuild std): about 15 minutes on 2 idle
# cores for the default set.
# Uses its own target dir ($CARGO_TARGET_DIR/size-report, default target/size-report).
#
# Usage: tests/cross/size-report.sh [sizes] [bloat] [more]   (default: sizes bloat); prints
# Markdown.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. tests/cross/prereq.sh
. tests/cross/flags.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/size-report"
T=x86_64-unknown-linux-musl
LOG="$CARGO_TARGET_DIR/size-report.log"
mkdir -p "$CARGO_TARGET_DIR"
: >"$LOG"

need_stable_rust
need_nightly

ROUTER_BASE="-Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort"

row() { # row LABEL BINARY
    printf '| %s | %s |\n' "$1" "$(stat -c %s "$2")"
}

stable() { # stable LABEL OPT [RUSTFLAGS]
    CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="${3:-}" \
        cargo build --release --target "$T" --bin roamer --config "profile.release.opt-level=$2" >>"$LOG" 2>&1
    row "$1" "$CARGO_TARGET_DIR/$T/release/roamer"
}

router() { # router LABEL OPT RUSTFLAGS [STD_FEATURES [RELR]] (defaults: as router.sh ships)
    ROUTER_RUSTFLAGS="$3" ROUTER_STD_FEATURES="${4-optimize_for_size}" ROUTER_RELR="${5--Clink-arg=-zpack-relative-relocs}" \
        ROUTER_CARGO_ARGS="--config profile.router.opt-level=$2" \
        bash tests/cross/router.sh "$T" >>"$LOG" 2>&1
    row "$1" "$CARGO_TARGET_DIR/$T/router/roamer"
}

sizes() {
    echo "| x86_64 musl build, stripped | bytes |"
    echo "|---|---|"
    stable 'stable, `[profile.release]` (opt-level "z")' '"z"'
    stable 'stable, opt-level "s"' '"s"'
    stable 'stable, opt-level 3' '3'
    router 'router build as shipped (`tests/cross/router.sh`, opt-level "z")' '"z"' "$ROUTER_BASE -Cforce-unwind-tables=no"
    router 'router without DT_RELR packing (`ROUTER_RELR=`)' '"z"' "$ROUTER_BASE -Cforce-unwind-tables=no" optimize_for_size ''
    router 'router without std `optimize_for_size` (`ROUTER_STD_FEATURES=`)' '"z"' "$ROUTER_BASE -Cforce-unwind-tables=no" ''
    router 'router + `-Crelocation-model=static` (no PIE: not shipped)' '"z"' "$ROUTER_BASE -Cforce-unwind-tables=no -Crelocation-model=static"
}

# Further variants measured once (see bench/RESULTS.md); each costs a std rebuild.
more() {
    echo "| x86_64 musl build, stripped | bytes |"
    echo "|---|---|"
    router 'router without `-Cforce-unwind-tables=no`' '"z"' "$ROUTER_BASE"
    router 'router, opt-level "s"' '"s"' "$ROUTER_BASE -Cforce-unwind-tables=no"
    router 'router + `--icf=all`' '"z"' "$ROUTER_BASE -Cforce-unwind-tables=no -Clink-arg=--icf=all"
    router 'router + x86 machine outliner (not shipped)' '"z"' "$ROUTER_BASE -Cforce-unwind-tables=no -Cllvm-args=-enable-machine-outliner=always"
    router 'router + `-Zfmt-debug=none` (Debug output empty: not shipped)' '"z"' "$ROUTER_BASE -Cforce-unwind-tables=no -Zfmt-debug=none"
}

bloat() {
    command -v cargo-bloat >/dev/null || CARGO_TARGET_DIR="${TMPDIR:-/tmp}/roamer-cargo-install" cargo install --locked cargo-bloat
    export CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="$ROUTER_BASE -Cforce-unwind-tables=no -Clink-arg=-zpack-relative-relocs"
    local args=(+"$ROAMER_NIGHTLY" bloat --profile router --target "$T" --bin roamer
        -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size
        --config profile.router.strip=false)
    echo
    echo '```'
    echo "\$ cargo ${args[*]} --crates -n 12"
    cargo "${args[@]}" --crates -n 12 2>>"$LOG" | grep -v '^ *\(Compiling\|Finished\|Analyzing\)'
    echo "\$ cargo ${args[*]} -n 30"
    cargo "${args[@]}" -n 30 2>>"$LOG" | grep -v '^ *\(Compiling\|Finished\|Analyzing\)'
    echo '```'
}

if [ "$#" -eq 0 ]; then set -- sizes bloat; fi
for what in "$@"; do "$what"; done
