#!/usr/bin/env bash
# The static musl builds, all fully static and stripped, linked by rust-lld (no cross gcc):
#   x86_64   stable toolchain, the size-tuned [profile.release] of Cargo.toml: runs here
#            (help, decode); its size is reported
#   router   the router build (tests/cross/router.sh: nightly, std rebuilt with the same
#            profile, immediate-abort panics) for x86_64: at most SIZE_BUDGET bytes, runs here
#   aarch64  stable, [profile.release]: the binary (help, decode) and the ctrl-proto and
#            nl80211 unit tests run under qemu-aarch64-static
# Binaries: $CARGO_TARGET_DIR/<triple>/{release,router}/roamer (default target dir ./target).
# Sizes and why the budget applies to the router build: bench/RESULTS.md.
#
# Usage: tests/cross/static.sh [x86_64|router|aarch64]...   (default: all three)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. tests/cross/prereq.sh
. tests/cross/flags.sh

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# The footprint budget: 400 KB for the stripped x86_64 musl binary that ships, libc included.
# Checked as 400,000 bytes, so it holds whether KB means 1000 or 1024 bytes.
SIZE_BUDGET="${SIZE_BUDGET:-400000}"
# Over the budget the stage fails ("!!! OVER BUDGET", repeated in tests/all.sh's summary).
# The router build has been under it since the size campaign (380,584 bytes at 09774ac).
# SIZE_BUDGET_STRICT=0 only reports it, and then fails only over SIZE_CEILING bytes (for
# measuring an experiment that is knowingly over).
SIZE_BUDGET_STRICT="${SIZE_BUDGET_STRICT:-1}"
SIZE_CEILING="${SIZE_CEILING:-460000}"

need_debs qemu-user-static binutils
need_stable_rust

# check_static FILE: no program interpreter, no shared libraries, no symbol table.
check_static() {
    local f=$1
    if readelf -lW "$f" | grep -q 'INTERP'; then
        echo "FAIL: $f has a program interpreter (not static)"; readelf -lW "$f" | grep -A1 INTERP; return 1
    fi
    if readelf -dW "$f" 2>/dev/null | grep -q '(NEEDED)'; then
        echo "FAIL: $f needs shared libraries:"; readelf -dW "$f" | grep '(NEEDED)'; return 1
    fi
    if readelf -SW "$f" | grep -q '\.symtab'; then
        echo "FAIL: $f is not stripped (.symtab present)"; return 1
    fi
    echo "$f: static, stripped, $(stat -c %s "$f") bytes"
}

# `roamer decode` on a real beacon report (hostapd's BEACON-RESP-RX hex from the lab capture in
# shared/fixtures/hostapd-2.10-hwsim/capture.log, the first BEACON-RESP-RX line).
DECODE_ARGS=(beacon-report 802c0000000000000000000009a6ff020000000400000000000001d1035ab217156106006400111000066c61626e657401088c129824b048606c03012c070a55532024041795051e0030180100000fac040100000fac040200000fac02000fac040c00460572000000003603e612013b0280002d1a0e001bffff0000000000000000000001000000000000000000003d162c0500000000000000000000000000000000000000007f080400480200000040bf0c00000000aaaa0000aaaa0000c005012a00fcffc304022e2e2eff16230178c81a400004bfce0000000000000000fafffaffff0724f03f008bfcff02020180)

run_binary() {
    "$@" help >/dev/null
    echo "$* help: ok"
    local out rc=0
    out=$("$@" decode "${DECODE_ARGS[@]}" 2>&1) || rc=$?
    if [ "$rc" -ne 0 ] && grep -q "unknown command" <<<"$out"; then
        echo "!!! 'roamer decode' does not exist yet: decode not run"
        return 0
    fi
    echo "$out"
    [ "$rc" -eq 0 ] || { echo "FAIL: $* decode ${DECODE_ARGS[0]} exited $rc"; return 1; }
    echo "$* decode ${DECODE_ARGS[0]}: ok"
}

build_x86_64() {
    local t=x86_64-unknown-linux-musl
    cargo build --release --target "$t" --bin roamer
    local bin="$TARGET_DIR/$t/release/roamer"
    check_static "$bin"
    run_binary "$bin"
}

build_router() {
    local t=x86_64-unknown-linux-musl
    bash tests/cross/router.sh "$t"
    local bin="$TARGET_DIR/$t/router/roamer"
    check_static "$bin"
    local size
    size=$(stat -c %s "$bin")
    if [ "$size" -gt "$SIZE_BUDGET" ]; then
        echo "!!! OVER BUDGET: the x86_64 router build is $size bytes, over the $SIZE_BUDGET byte budget"
        [ "$SIZE_BUDGET_STRICT" != 0 ] && return 1
        if [ "$size" -gt "$SIZE_CEILING" ]; then
            echo "FAIL: the x86_64 router build grew to $size bytes, over the $SIZE_CEILING byte ceiling"
            return 1
        fi
    else
        echo "size budget: router build $size <= $SIZE_BUDGET bytes: ok"
    fi
    run_binary "$bin"
}

build_aarch64() {
    local t=aarch64-unknown-linux-musl
    cargo build --release --target "$t" --bin roamer
    local bin="$TARGET_DIR/$t/release/roamer"
    check_static "$bin"
    readelf -hW "$bin" | grep -q 'AArch64' || { echo "FAIL: $bin is not an AArch64 ELF"; return 1; }
    run_binary qemu-aarch64-static "$bin"
    # the codec unit and fixture tests (captured bytes), on a 64-bit little-endian ARM
    cargo test --target "$t" -p ctrl-proto -p nl80211 --lib --tests
}

if [ "$#" -eq 0 ]; then set -- x86_64 router aarch64; fi
for arch in "$@"; do
    t0=$EPOCHREALTIME
    "build_$arch"
    echo "-- static $arch: $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
done
