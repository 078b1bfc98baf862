#!/usr/bin/env bash
# The router build: what goes onto an access point's flash. Nightly, std rebuilt from source
# with the same size-tuned settings as roamer (-Zbuild-std), panic location strings dropped
# (-Zlocation-detail=none) and panics that abort at once without formatting a message
# (-Cpanic=immediate-abort): procd/systemd restart the daemon, and a panic is a bug the
# development build (tests, `cargo build`) reports with its message. Measured in
# bench/RESULTS.md.
#
# Usage: tests/cross/router.sh [TRIPLE]...   (default: x86_64-unknown-linux-musl)
#   e.g. tests/cross/router.sh aarch64-unknown-linux-musl mips-unknown-linux-musl
# Output: $CARGO_TARGET_DIR/TRIPLE/router/roamer (default target dir ./target).
# ROUTER_RUSTFLAGS overrides the flags (e.g. to measure without immediate-abort),
# ROUTER_STD_FEATURES the std features and ROUTER_RELR the rust-lld relocation packing
# (empty turns each off).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. tests/cross/prereq.sh
. tests/cross/flags.sh
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

# -Cforce-unwind-tables=no: nothing unwinds with immediate-abort; .eh_frame was 90 KB.
ROUTER_RUSTFLAGS="${ROUTER_RUSTFLAGS:--Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort -Cforce-unwind-tables=no}"
# std's own size-over-speed variants (small sorts, integer and escape formatting; same results):
# 519,176 -> 490,184 bytes.
ROUTER_STD_FEATURES="${ROUTER_STD_FEATURES-optimize_for_size}"
# Packed relative relocations (DT_RELR) keep the static PIE (ASLR) but shrink .rela.dyn from
# 18.7 KB to 224 bytes: 537,704 -> 519,176 bytes. The start code of the self-contained musl
# rustc ships (1.2.5; DT_RELR since 1.2.4) applies them. x86_64 only: the one verified here
# (the nightly aarch64 musl std did not download here; MIPS links with Zig).
ROUTER_RELR="${ROUTER_RELR--Clink-arg=-zpack-relative-relocs}"

need_nightly
if [ "$#" -eq 0 ]; then set -- x86_64-unknown-linux-musl; fi
for t in "$@"; do
    tv=$(echo "$t" | tr 'a-z-' 'A-Z_')
    flags=$ROUTER_RUSTFLAGS
    case "$t" in
        mips*) need_zig; export "CARGO_TARGET_${tv}_LINKER=$ROOT/tests/cross/zig-cc-mips" ;;
        *) rustup target list --toolchain "$ROAMER_NIGHTLY" --installed | grep -qx "$t" \
            || rustup target add "$t" --toolchain "$ROAMER_NIGHTLY" ;;
    esac
    case "$t" in x86_64-*) flags="$flags${ROUTER_RELR:+ $ROUTER_RELR}" ;; esac
    # per-target flags: they reach the rebuilt std too, and leave host builds alone
    export "CARGO_TARGET_${tv}_RUSTFLAGS=$flags"
    cargo "+$ROAMER_NIGHTLY" build --profile router --target "$t" --bin roamer \
        -Zbuild-std=std,panic_abort ${ROUTER_STD_FEATURES:+-Zbuild-std-features=$ROUTER_STD_FEATURES} \
        ${ROUTER_CARGO_ARGS:-}
    bin="$TARGET_DIR/$t/router/roamer"
    echo "$bin: $(stat -c %s "$bin") bytes (RUSTFLAGS: $flags; std features: ${ROUTER_STD_FEATURES:-none})"
done
