#!/usr/bin/env bash
# The walking-client demo: boots the lab VM (real hostapd 2.10 and wpa_supplicant 2.10 on
# mac80211_hwsim, in qemu) with two simulated access points, each run by its own
# `roamer run`, and prints a readable timeline: who moved where, why, and how long it took.
# The scenario is tests/lab/scenarios/daemon_steer.sh (band steering, the walk from AP one to
# AP two, an excluded client, a client that refuses). Installs what it needs
# (tests/lab/prepare.sh) on first use; takes about 5 minutes in the emulated VM.
#
# usage: tests/demo.sh [--raw]   (--raw: also print every structured lab line)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
raw=${1:-}

bash "$here/lab/prepare.sh" >&2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "demo: booting the lab VM (about 5 minutes)..." >&2
set +e
LAB_QUIET=1 bash "$here/lab/run.sh" --timeout 500 "$here/lab/scenarios/daemon_steer.sh" >"$out"
rc=$?
set -e
[ "$raw" = --raw ] && grep -v '^@@ chunk' "$out"

dec() { sed 's/%20/ /g; s/%09/\t/g; s/%0D//g; s/%0A/ /g; s/%25/%/g'; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" | dec; }

echo
echo "roamer: the walking client, two access points, one roamer each"
echo "(hostapd 2.10 + wpa_supplicant 2.10 on mac80211_hwsim; times from the first line)"
echo
t0=""
while IFS= read -r line; do
  t=$(printf '%s\n' "$line" | field t)
  clock=$(printf '%s\n' "$line" | field clock)
  text=$(printf '%s\n' "$line" | sed -n 's/.* text=\(.*\)$/\1/p' | dec)
  [ -n "$t0" ] || t0=$t
  printf '  %s  +%6.1fs  %s\n' "$clock" "$(awk "BEGIN { print ($t - $t0) / 1000 }")" "$text"
done < <(grep '^@@ timeline ' "$out" | sort -s -n -t= -k2)
echo
timing=$(grep '^@@ result name=timing ' "$out" || true)
walk=$(grep '^@@ result name=s2_walk ' "$out" || true)
if [ -n "$timing" ]; then
  echo "band steering (s1, 2.4 -> 5 GHz on AP one): $(printf '%s\n' "$timing" | field band_ms) ms after roamer started"
  echo "walk (s2, AP one -> AP two):                 $(printf '%s\n' "$timing" | field walk_ms) ms after the walk began," \
    "$(printf '%s\n' "$walk" | field requests) transition request(s)"
  echo "roamer one resident memory:                  $(printf '%s\n' "$timing" | field rss_one_kb) kB"
fi
grep '^@@ assert .* ok=0' "$out" | sed 's/^@@ assert name=\([^ ]*\) ok=0.*detail=\(.*\)$/FAILED: \1: \2/' | dec || true
end=$(grep '^@@ end ' "$out" || true)
echo "checks: $(printf '%s\n' "$end" | field asserts) run, $(printf '%s\n' "$end" | field failed) failed (lab exit $rc)"
exit "$rc"
