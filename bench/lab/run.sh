#!/usr/bin/env bash
# Lab benchmarks: boots the lab VM (tests/lab/run.sh) on bench/lab/scenario.sh with 3 APs and
# 64 clients, then prints the figures bench/RESULTS.md quotes (medians and ratios of one run).
#
# usage: bench/lab/run.sh [--runs N] [--stations N] [--daemon-s S] [--poll-ms MS]
#                         [--roamer PATH] [--router PATH | --build-router] [--out DIR]
#   --runs N       repetitions of each one-shot command (default 30)
#   --stations N   clients (default 64)
#   --daemon-s S   seconds the daemon's CPU is measured over (default 60)
#   --poll-ms MS   the daemon's poll_interval_ms (default 1000, roamer's default)
#   --roamer PATH  a static roamer to use (default: tests/lab builds the release musl binary)
#   --router PATH  also measure this roamer (the router build, tests/cross/router.sh) in the
#                  same VM run, as /opt/bin/roamer-router
#   --build-router build it first with tests/cross/router.sh (nightly, -Zbuild-std) and use it
#   --out DIR      keep channel.log / console.log of the run in DIR
# Needs the lab (tests/lab/prepare.sh once) and the x86_64-unknown-linux-musl target.
# Takes about 5-8 minutes on the 2-core machine (the VM is emulated, no KVM).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=30
stations=64
daemon_s=60
poll_ms=1000
roamer=""
router=""
build_router=""
out=""
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --stations) stations=$2; shift 2 ;;
    --daemon-s) daemon_s=$2; shift 2 ;;
    --poll-ms) poll_ms=$2; shift 2 ;;
    --roamer) roamer=$2; shift 2 ;;
    --router) router=$2; shift 2 ;;
    --build-router) build_router=1; shift ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/lab/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "${CARGO_TARGET_DIR:-}" ]; then
  if [ -d /work ]; then export CARGO_TARGET_DIR=/work/target-bench; else export CARGO_TARGET_DIR=$root/target; fi
fi
[ -n "$out" ] || out=$(mktemp -d "${TMPDIR:-/tmp}/roamer-lab-bench.XXXXXX")
mkdir -p "$out"

# the measuring tool: std only, built with plain rustc, static (musl)
tool=$CARGO_TARGET_DIR/lab-bench/spawntime
mkdir -p "$(dirname "$tool")"
if [ ! -x "$tool" ] || [ "$here/spawntime.rs" -nt "$tool" ]; then
  rustc --edition 2021 -O -C panic=abort --target x86_64-unknown-linux-musl \
    "$here/spawntime.rs" -o "$tool"
fi
# WPA2 PSK of (labpassphrase, labnet), so that 64 clients need not each run PBKDF2 emulated
psk=$(python3 -c 'import hashlib; print(hashlib.pbkdf2_hmac("sha1", b"labpassphrase", b"labnet", 4096, 32).hex())')

args=(--radios 6 --timeout $((daemon_s + 600)) --bin "$tool" --quiet --out "$out"
  --env "BENCH_RUNS=$runs" --env "BENCH_STATIONS=$stations" --env "BENCH_DAEMON_S=$daemon_s"
  --env "BENCH_POLL_MS=$poll_ms" --env "BENCH_PSK=$psk")
[ -z "$roamer" ] || args+=(--roamer "$roamer")
if [ -n "$build_router" ]; then
  echo "# building the router binary: tests/cross/router.sh (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
  "$root/tests/cross/router.sh" >"$out/router-build.log" 2>&1 || {
    tail -n 20 "$out/router-build.log" >&2
    exit 1
  }
  router=$CARGO_TARGET_DIR/x86_64-unknown-linux-musl/router/roamer
fi
[ -z "$router" ] || args+=(--bin "$router:roamer-router")
echo "# lab: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), host load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# tests/lab/run.sh ${args[*]} bench/lab/scenario.sh"
set +e
"$root/tests/lab/run.sh" "${args[@]}" "$here/scenario.sh" >"$out/records.txt"
rc=$?
set -e
echo "# VM exit $rc; records: $out/records.txt; console: $out/console.log; host load at end $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E '^@@ (assert|end|run) ' "$out/records.txt" | grep -v ' ok=1 ' || true

# figures
awk '
function val(k,    i, kv) {
  for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return substr($i, length(k) + 2) }
  return ""
}
$1 == "@@" && $2 == "spawn" {
  l = val("label"); wall[l] = val("wall_med_us"); cpu[l] = val("cpu_med_us")
  printf "%-28s runs %3s fails %s  wall median %8.2f ms [%.2f .. %.2f]  cpu median %8.2f ms  peak RSS %s KiB\n",
    l, val("runs"), val("fails"), wall[l] / 1000, val("wall_min_us") / 1000, val("wall_max_us") / 1000,
    cpu[l] / 1000, val("maxrss_kb")
}
$1 == "@@" && $2 == "result" && val("name") == "binary" { bins[++nb] = val("path"); printf "binary %s: %s bytes\n", val("path"), val("bytes") }
$1 == "@@" && $2 == "result" && val("name") == "clients" {
  printf "clients: %s of %s associated (wlan0 %s, wlan1 %s, wlan2 %s) in %.1f s\n",
    val("associated"), val("want"), val("wlan0"), val("wlan1"), val("wlan2"), val("ms") / 1000
}
$1 == "@@" && $2 == "result" && val("name") == "cli-rows" {
  printf "rows: roamer stations %s, iw station dump %s\n", val("roamer_stations"), val("iw_stations")
}
$1 == "@@" && $2 == "result" && val("name") == "daemon" {
  b = val("binary"); dcpu[b] = val("cpu_ns"); period = val("period_ms"); poll = val("poll_ms"); dclients[b] = val("clients")
  cycles[b] = period / poll
  printf "daemon %s: %s clients, 3 BSS, poll %s ms: %.3f s CPU in %.1f s (%s ticks) = %.2f ms per poll cycle (%.2f%% of one CPU)\n",
    b, dclients[b], poll, dcpu[b] / 1e9, period / 1000, val("cpu_ticks") " of which system " val("sys_ticks"), dcpu[b] / cycles[b] / 1e6, dcpu[b] / (period * 1e6) * 100
  printf "daemon %s memory: VmRSS %s KiB (at settle %s), VmHWM %s KiB; RssAnon %s, RssFile %s, RssShmem %s; VmData %s, VmExe %s KiB\n",
    b, val("vmrss_kb"), val("rss_settled_kb"), val("vmhwm_kb"), val("rss_anon_kb"), val("rss_file_kb"), val("rss_shmem_kb"), val("vmdata_kb"), val("vmexe_kb")
}
$1 == "@@" && $2 == "result" && val("name") == "hostapd-rss" { printf "hostapd pid %s VmRSS %s KiB\n", val("pid"), val("vmrss_kb") }
END {
  for (i = 1; i <= nb; i++) {
    v = bins[i]; sub(/.*\//, "", v)
    if (cpu["iw-station-dump"] && cpu[v "-stations"])
      printf "ratio stations (%s): iw / roamer  wall %.2f x, cpu %.2f x\n", v, wall["iw-station-dump"] / wall[v "-stations"], cpu["iw-station-dump"] / cpu[v "-stations"]
    if (cpu["hostapd_cli-status"] && cpu[v "-status"])
      printf "ratio status (%s): hostapd_cli / roamer  wall %.2f x, cpu %.2f x (with --hostapd-conf: wall %.2f x, cpu %.2f x)\n", v,
        wall["hostapd_cli-status"] / wall[v "-status"], cpu["hostapd_cli-status"] / cpu[v "-status"],
        wall["hostapd_cli-status"] / wall[v "-status-conf"], cpu["hostapd_cli-status"] / cpu[v "-status-conf"]
    if (cpu["iw-station-get"] && cpu["hostapd_cli-sta"] && dcpu[v]) {
      script = dclients[v] * (cpu["iw-station-get"] + cpu["hostapd_cli-sta"])
      printf "original script per cycle, %s clients: %s x (iw station get %.2f ms + hostapd_cli %.2f ms) = %.0f ms CPU in spawned processes alone\n",
        dclients[v], dclients[v], cpu["iw-station-get"] / 1000, cpu["hostapd_cli-sta"] / 1000, script / 1000
      printf "ratio per poll cycle (%s): script spawns / roamer daemon = %.0f x\n", v, script * 1000 / (dcpu[v] / cycles[v])
    }
  }
}' "$out/records.txt" | tee "$out/figures.txt"
exit $rc
