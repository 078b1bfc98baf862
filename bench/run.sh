#!/usr/bin/env bash
# Runs roamer's benchmarks and prints the figures bench/RESULTS.md quotes.
#
# usage: bench/run.sh [--o3] [--lab] [--lab-only] [--out DIR]
#   (default)   host benchmarks: nl80211 station-dump decode vs wl-nl80211, hostapd event and
#               beacon-report decode, policy step; built with the workspace's release profile
#               (what ships: opt-level z, LTO, 1 CGU, panic=abort), under cargo's `bench`
#               profile, which inherits it.
#   --o3        also build and run the decode benchmarks with opt-level 3 (a separate target
#               dir), to show the ratio does not come from the size-optimised profile.
#   --lab       then the lab benchmarks (bench/lab/run.sh --build-router: builds the router
#               binary with tests/cross/router.sh, boots the qemu + mac80211_hwsim VM with 3 APs
#               and 64 clients; needs tests/lab/prepare.sh once; 10-15 minutes).
#   --lab-only  only the lab benchmarks.
#   --out DIR   also keep the raw outputs in DIR (default: a temporary directory, printed).
# Environment: CARGO_TARGET_DIR (default /work/target-bench if /work exists, else target/),
#   BENCH_SAMPLES (31), BENCH_SAMPLE_MS (10): see bench/benches/support/mod.rs.
# Host part: about 1 minute of running on 2 cores once built (the first build takes minutes).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
o3=""
lab=""
host=1
out=""
while [ $# -gt 0 ]; do
  case $1 in
    --o3) o3=1; shift ;;
    --lab) lab=1; shift ;;
    --lab-only) lab=1; host=""; shift ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "${CARGO_TARGET_DIR:-}" ]; then
  if [ -d /work ]; then export CARGO_TARGET_DIR=/work/target-bench; else export CARGO_TARGET_DIR=$root/target; fi
fi
[ -n "$out" ] || out=$(mktemp -d "${TMPDIR:-/tmp}/roamer-bench.XXXXXX")
mkdir -p "$out"
cd "$root"

machine() {
  echo "# date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "# commit:  $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes in the tree)')"
  echo "# cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
  echo "# memory:  $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "# kernel:  $(uname -sr)"
  echo "# rustc:   $(rustc --version)"
  echo "# load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at start"
}

# run_bench NAME [cargo args...]: build one bench target, then run its executable once (so
# that edits others make to the shared tree meanwhile cannot trigger a rebuild mid-run), keep
# its output and print its lines.
run_bench() {
  local name=$1 exe
  shift
  exe=$(cargo bench -q -p roamer-bench --bench "$name" --no-run --message-format=json "$@" 2>"$out/$name$suffix.err" |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
  if [ -z "$exe" ]; then
    echo "!! $name did not build: see $out/$name$suffix.err" >&2
    tail -n 20 "$out/$name$suffix.err" >&2
    return 1
  fi
  "$exe" --bench >"$out/$name$suffix.txt" 2>>"$out/$name$suffix.err" || {
    echo "!! $name failed: see $out/$name$suffix.err" >&2
    tail -n 20 "$out/$name$suffix.err" >&2
    return 1
  }
  grep -v '^RESULT ' "$out/$name$suffix.txt"
}

rc=0
if [ -n "$host" ]; then
  machine | tee "$out/machine.txt"
  suffix=""
  for b in nl80211_decode ctrl_decode policy; do
    [ -f "$here/benches/$b.rs" ] || { echo "# (no bench/benches/$b.rs)"; continue; }
    echo
    echo "## $b (profile: workspace release, opt-level z)"
    run_bench "$b" || rc=1
  done
  if [ -n "$o3" ]; then
    suffix=".o3"
    for b in nl80211_decode ctrl_decode; do
      echo
      echo "## $b (opt-level 3)"
      CARGO_TARGET_DIR=$CARGO_TARGET_DIR/o3 run_bench "$b" --config 'profile.bench.opt-level=3' || rc=1
    done
  fi
  echo
  echo "# load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at end"
fi
if [ -n "$lab" ]; then
  echo
  echo "## lab (bench/lab/run.sh)"
  "$here/lab/run.sh" --build-router --out "$out/lab" || rc=1
fi
echo "# raw outputs: $out"
exit $rc
