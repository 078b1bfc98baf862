#!/usr/bin/env bash
# Big-endian MIPS (mips-unknown-linux-musl: MIPS32r2, soft float; OpenWrt ath79 / ramips CPUs).
# A tier-3 Rust target: no prebuilt std, so nightly builds std from rust-src (-Zbuild-std), and
# Zig (PyPI `ziglang`, bundled musl) links through tests/cross/zig-cc-mips.
#   1. the ctrl-proto and nl80211 unit and fixture tests run under qemu-mips-static (byte-order
#      bugs in the netlink code show here: the host and aarch64 are little-endian)
#   2. the roamer binary, size-tuned (the router profile of tests/cross/router.sh), is built,
#      checked static and big-endian, and runs `help` under qemu-mips-static
# Usage: tests/cross/mips.sh [tests|binary]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. tests/cross/prereq.sh
. tests/cross/flags.sh

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
T=mips-unknown-linux-musl
export CARGO_TARGET_MIPS_UNKNOWN_LINUX_MUSL_LINKER="$ROOT/tests/cross/zig-cc-mips"

need_debs qemu-user-static binutils
need_nightly
need_zig

mips_tests() {
    cargo "+$ROAMER_NIGHTLY" test --target "$T" -Zbuild-std -p ctrl-proto -p nl80211 --lib --tests
}

mips_binary() {
    bash tests/cross/router.sh "$T"
    local bin="$TARGET_DIR/$T/router/roamer"
    readelf -hW "$bin" | grep -q 'big endian' || { echo "FAIL: $bin is not big-endian"; return 1; }
    readelf -hW "$bin" | grep -q 'MIPS' || { echo "FAIL: $bin is not a MIPS ELF"; return 1; }
    qemu-mips-static "$bin" help >/dev/null
    echo "qemu-mips-static $bin help: ok ($(stat -c %s "$bin") bytes)"
}

if [ "$#" -eq 0 ]; then set -- tests binary; fi
for what in "$@"; do
    t0=$EPOCHREALTIME
    "mips_$what"
    echo "-- mips $what: $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
done
