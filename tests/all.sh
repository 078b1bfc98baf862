#!/usr/bin/env bash
# Every test roamer has, in stages, each timed:
#   setup    prerequisites (Debian packages, rustup components/targets, nightly, cargo-fuzz)
#   fmt      cargo fmt --check
#   clippy   cargo clippy --workspace --all-targets -D warnings
#   doc      cargo doc --no-deps with RUSTDOCFLAGS=-D warnings
#   test     unit, scenario and offline CLI tests (every test target except tests/lab*.rs)
#   fuzz     tests/fuzz.sh: every fuzz target for FUZZ_SECONDS (default 60) each
#   static   tests/cross/static.sh: x86_64 + aarch64 musl release builds, the x86_64 router
#            build (nightly build-std) against the 400 KB budget,
#            aarch64 binary and ctrl-proto/nl80211 unit tests under qemu-aarch64-static
#   mips     tests/cross/mips.sh: big-endian MIPS (nightly build-std, Zig as linker),
#            ctrl-proto/nl80211 unit tests under qemu-mips-static
#   package  packaging checks: sh -n on the procd init script, systemd-analyze verify on the
#            systemd unit, roamer check-config on the shipped configurations
#   lab      tests/lab/prepare.sh, then the lab tests (tests/lab*.rs) in the qemu VM
#
# Installs what it needs on a fresh Debian 12 machine (as root); running it again installs
# nothing. Usage:
#   tests/all.sh                 every stage
#   tests/all.sh fmt clippy      only these stages
#   SKIP_STAGES="lab fuzz" tests/all.sh
#   FUZZ_SECONDS=10 tests/all.sh fuzz
# Stops at the first failing stage. The exit code is 0 only when every stage ran and passed
# (a stage may say "skipped: <reason>" while the thing it tests has not landed yet).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
export ROAMER_NIGHTLY="${ROAMER_NIGHTLY:-nightly}"
export DEBIAN_FRONTEND=noninteractive

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
LOGDIR="$TARGET_DIR/all-logs"
mkdir -p "$LOGDIR"

ALL_STAGES=(setup fmt clippy doc test fuzz static mips package lab)

# ---------------------------------------------------------------------------------------------
# Installing prerequisites (each helper is idempotent and cheap when nothing is missing).

# shellcheck source=tests/cross/prereq.sh
. "$ROOT/tests/cross/prereq.sh"

# ---------------------------------------------------------------------------------------------
# Stages. Each runs in a subshell with `set -e`; `skip REASON` ends it as skipped.

SKIP_CODE=77
skip() {
    echo "$*" >"$LOGDIR/.skip-reason"
    echo "!!! SKIPPED: $*"
    exit "$SKIP_CODE"
}

stage_setup() {
    need_debs qemu-user-static binutils python3
    need_stable_rust
    need_nightly
    need_cargo_fuzz
    rustc -V
    cargo -V
    rustup run "$ROAMER_NIGHTLY" rustc -V
}

stage_fmt() {
    cargo fmt --all -- --check
}

stage_clippy() {
    cargo clippy --workspace --all-targets -- -D warnings
}

stage_doc() {
    RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
}

# Names of the workspace's test targets (integration tests), one per line.
test_targets() {
    cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
names = set()
for p in json.load(sys.stdin)["packages"]:
    for t in p["targets"]:
        if "test" in t["kind"]:
            names.add(t["name"])
print("\n".join(sorted(names)))
'
}

stage_test() {
    local args=() t
    while read -r t; do
        [ -n "$t" ] || continue
        case "$t" in lab*) ;; *) args+=(--test "$t") ;; esac
    done < <(test_targets)
    cargo test --workspace --lib --bins "${args[@]}"
    cargo test --workspace --doc
}

stage_fuzz() {
    [ -f tests/fuzz.sh ] || skip "tests/fuzz.sh has not landed yet"
    ls tests/fuzz/fuzz_targets/*.rs >/dev/null 2>&1 || skip "no fuzz targets in tests/fuzz/fuzz_targets yet"
    need_nightly
    need_cargo_fuzz
    FUZZ_SECONDS="$FUZZ_SECONDS" bash tests/fuzz.sh
}

stage_static() {
    bash tests/cross/static.sh
}

stage_mips() {
    [ -f tests/cross/mips.sh ] || skip "tests/cross/mips.sh has not landed yet"
    bash tests/cross/mips.sh
}

stage_package() {
    local init=packaging/openwrt/roamer/files/roamer.init
    local unit=packaging/debian/roamer.service
    sh -n "$init"
    echo "sh -n $init: ok"
    grep -q 'procd_add_reload_trigger' "$init" || { echo "$init: no reload trigger"; exit 1; }
    # the static release binary (the static stage built it; this builds it when run alone)
    (. tests/cross/flags.sh && cargo build --release --target x86_64-unknown-linux-musl --bin roamer)
    local bin="$TARGET_DIR/x86_64-unknown-linux-musl/release/roamer"
    # the unit as systemd parses it, with ExecStart pointing at the fresh binary; any
    # complaint (unknown key, bad value) fails the stage
    if command -v systemd-analyze >/dev/null; then
        local tmp out
        tmp=$(mktemp -d)
        sed "s|/usr/bin/roamer|$bin|g" "$unit" >"$tmp/roamer.service"
        out=$(systemd-analyze verify "$tmp/roamer.service" 2>&1) || { echo "$out"; exit 1; }
        [ -z "$out" ] || { echo "$out"; echo "systemd-analyze verify $unit: warnings"; exit 1; }
        systemd-analyze security --offline=yes "$tmp/roamer.service" 2>&1 | tail -n1
        rm -rf "$tmp"
        echo "systemd-analyze verify $unit: ok"
    else
        echo "!!! systemd-analyze not installed: $unit not verified"
    fi
    # the README's configuration reference names every option of the example configuration
    local o missing=()
    for o in $(sed -n 's/^[[:space:]]*#\{0,1\}[[:space:]]*\(option\|list\) \([a-z0-9_]*\) .*/\2/p' \
        packaging/examples/roamer.uci | sort -u); do
        grep -q "\`$o\`" README.md || missing+=("$o")
    done
    [ "${#missing[@]}" -eq 0 ] || { echo "README.md does not document: ${missing[*]}"; exit 1; }
    echo "README.md documents every option of packaging/examples/roamer.uci: ok"
    local conf
    for conf in packaging/openwrt/roamer/files/roamer.config packaging/debian/roamer.conf; do
        "$bin" check-config "$conf"
        echo "roamer check-config $conf: ok"
    done
}

# Each lab test file boots its own VM. Every file runs even when an earlier one failed, so one
# run shows every broken scenario. The VM is emulated (no KVM) and 802.11 timing inside it
# depends on how busy the host is, so a file that fails is run once more: a pass on the second
# try is reported as "!!! LAB RETRY" in the summary (never silently), with the first try's
# output kept in the stage log behind "(attempt 1)" so its result is not counted twice.
stage_lab() {
    local targets=() t failed=()
    while read -r t; do
        case "$t" in lab*) targets+=("$t") ;; esac
    done < <(test_targets)
    [ -f tests/lab/prepare.sh ] || skip "tests/lab/prepare.sh has not landed yet"
    [ "${#targets[@]}" -gt 0 ] || skip "no lab tests (tests/lab*.rs) yet"
    bash tests/lab/prepare.sh
    for t in "${targets[@]}"; do
        local t0=$EPOCHREALTIME
        if cargo test -p roamer --test "$t" >"$LOGDIR/lab-$t.try1" 2>&1; then
            cat "$LOGDIR/lab-$t.try1"
        else
            sed 's/^/(attempt 1) /' "$LOGDIR/lab-$t.try1"
            echo "lab test file $t failed on its first try; running it once more"
            if cargo test -p roamer --test "$t"; then
                echo "!!! LAB RETRY: $t failed once and passed on the second try (first try above, marked '(attempt 1)')"
            else
                failed+=("$t")
            fi
        fi
        echo "-- lab file $t: $(elapsed "$t0" "$EPOCHREALTIME") s"
    done
    [ "${#failed[@]}" -eq 0 ] || { echo "lab test files failed twice: ${failed[*]}"; return 1; }
}

# ---------------------------------------------------------------------------------------------
# Driver: run the chosen stages in order, time each, stop at the first failure, summarise.

if [ "$#" -gt 0 ]; then
    STAGES=("$@")
else
    STAGES=("${ALL_STAGES[@]}")
fi
for s in "${STAGES[@]}"; do
    declare -F "stage_$s" >/dev/null || { echo "tests/all.sh: unknown stage '$s' (stages: ${ALL_STAGES[*]})" >&2; exit 2; }
done

SUMMARY=()
T0=$EPOCHREALTIME
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# CPU seconds (user + system) used so far by the finished children of this shell: unlike wall
# time it hardly depends on what else the machine is doing, so CI-time budgets can be judged
# on a busy machine too.
# (`times` must run in this shell, not in a $(...) subshell, whose own children start at 0.)
CPU=0
cpu_children() {
    times >"$LOGDIR/.times"
    CPU=$(awk 'NR == 2 {
        n = split($0, f, /[ ms]+/); t = 0
        for (i = 1; i + 1 <= n; i += 2) if (f[i] != "") t += f[i] * 60 + f[i + 1]
        printf "%.1f", t }' "$LOGDIR/.times")
}

# Adds up the "test result:" lines cargo test printed in all logs.
count_tests() {
    cat "$LOGDIR"/*.log 2>/dev/null | awk '
        /^test result: / {
            for (i = 1; i <= NF; i++) {
                if ($(i+1) ~ /^passed/) p += $i
                if ($(i+1) ~ /^failed/) f += $i
                if ($(i+1) ~ /^ignored/) g += $i
            }
        }
        END { printf "%d %d %d\n", p, f, g }'
}

summary() {
    local total
    total=$(elapsed "$T0" "$EPOCHREALTIME")
    cpu_children
    echo
    echo "== summary (total ${total} s, cpu $CPU s)"
    printf '   %s\n' "${SUMMARY[@]}"
    local warn
    warn=$(cat "$LOGDIR"/*.log 2>/dev/null | grep -E '^!!! (OVER BUDGET|SKIPPED|LAB RETRY)' || true)
    [ -z "$warn" ] || { echo "   warnings:"; sed 's/^/     /' <<<"$warn"; }
    local p f g
    read -r p f g < <(count_tests)
    echo "tests: $p passed, $f failed, $g skipped"
}

rm -f "$LOGDIR"/*.log
for s in "${STAGES[@]}"; do
    case " ${SKIP_STAGES:-} " in
        *" $s "*)
            echo "== stage $s: skipped (SKIP_STAGES)"
            SUMMARY+=("$s: skipped (SKIP_STAGES)")
            continue
            ;;
    esac
    echo
    echo "== stage $s: start ($(date -u +%H:%M:%S))"
    rm -f "$LOGDIR/.skip-reason"
    t=$EPOCHREALTIME
    cpu_children
    c=$CPU
    set +e
    (set -euo pipefail; "stage_$s") 2>&1 | tee "$LOGDIR/$s.log"
    rc=${PIPESTATUS[0]}
    set -e
    d=$(elapsed "$t" "$EPOCHREALTIME")
    cpu_children
    cpu=$(elapsed "$c" "$CPU")
    if [ "$rc" -eq 0 ]; then
        echo "== stage $s: $d s (cpu $cpu s)"
        SUMMARY+=("$s: ok, $d s (cpu $cpu s)")
    elif [ "$rc" -eq "$SKIP_CODE" ]; then
        reason=$(cat "$LOGDIR/.skip-reason" 2>/dev/null || echo "?")
        echo "== stage $s: $d s (cpu $cpu s) (SKIPPED: $reason)"
        SUMMARY+=("$s: SKIPPED ($reason), $d s")
    else
        echo "== stage $s: $d s (cpu $cpu s)"
        echo "!!! stage '$s' FAILED (exit $rc); its full output: $LOGDIR/$s.log" >&2
        SUMMARY+=("$s: FAILED (exit $rc), $d s")
        summary
        exit 1
    fi
done
summary
