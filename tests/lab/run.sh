#!/usr/bin/env bash
# Boot the lab VM on one scenario and print its structured output (`@@ ...` lines) on stdout;
# the VM's console goes to stderr. See tests/lab/README.md.
#
# usage: tests/lab/run.sh [options] SCENARIO.sh|-
#   -                   read the scenario from stdin
#   --bin PATH[:NAME]   copy a program into the VM's /opt/bin (on PATH); dynamic ones get
#                       their libraries too. Repeatable. Env LAB_BINS="PATH ..." adds more.
#   --file PATH[:NAME]  copy a file into the VM's /lab/files (the scenario's working directory)
#   --roamer PATH       use this static roamer as /bin/roamer instead of building one (env LAB_ROAMER)
#   --no-roamer         do not build or copy roamer (env LAB_NO_ROAMER=1)
#   --env KEY=VALUE     set a variable for the scenario. Repeatable.
#   --radios N          load mac80211_hwsim with N radios at boot (default: 8, on first use)
#   --timeout S         scenario time limit inside the VM (default 300); the host kills qemu
#                       at S+60 (env LAB_TIMEOUT)
#   --out DIR           keep console.log, channel.log and initrd of this run in DIR
#   --quiet             do not copy the console to stderr (env LAB_QUIET=1)
# Exit: 0 scenario passed (status 0, no failed assertion); 1 scenario failed; 2 the lab is not
# prepared (the message names what is missing and the command that installs it); 3 the VM did
# not finish (timeout, crash).
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lab/host.sh
. "$LAB_DIR/host.sh"

scenario=""
bins=()
files=()
envs=()
roamer=${LAB_ROAMER:-}
no_roamer=${LAB_NO_ROAMER:-}
timeout_s=${LAB_TIMEOUT:-300}
radios=""
out=""
quiet=${LAB_QUIET:-}

while [ $# -gt 0 ]; do
  case $1 in
    --bin) bins+=("$2"); shift 2 ;;
    --file) files+=("$2"); shift 2 ;;
    --roamer) roamer=$2; shift 2 ;;
    --no-roamer) no_roamer=1; shift ;;
    --env) envs+=("$2"); shift 2 ;;
    --radios) radios=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --quiet) quiet=1; shift ;;
    -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -) scenario=-; shift ;;
    -*) lab_die "unknown option $1 (see --help)" ;;
    *) [ -z "$scenario" ] || lab_die "one scenario per run (got $scenario and $1)"; scenario=$1; shift ;;
  esac
done
[ -n "$scenario" ] || lab_die "usage: tests/lab/run.sh [options] SCENARIO.sh|- (see --help)"
for b in ${LAB_BINS:-}; do bins+=("$b"); done

lab_check_prereqs

run=$(mktemp -d "${TMPDIR:-/tmp}/lab-run.XXXXXX")
cleanup() {
  [ -n "${qpid:-}" ] && kill "$qpid" 2>/dev/null || true
  if [ -n "$out" ]; then
    mkdir -p "$out"
    cp -f "$run"/console.log "$run"/channel.log "$run"/initrd "$out"/ 2>/dev/null || true
  fi
  rm -rf "$run"
}
trap cleanup EXIT

root=$run/root
mkdir -p "$root"/lab/files "$root"/lab/bin "$root"/opt/bin "$root"/bin
if [ "$scenario" = - ]; then
  cat >"$root/lab/scenario.sh"
  echo stdin >"$root/lab/scenario.name"
else
  [ -f "$scenario" ] || lab_die "no scenario file $scenario"
  cp "$scenario" "$root/lab/scenario.sh"
  basename "$scenario" .sh >"$root/lab/scenario.name"
fi
install -m 0755 "$LAB_DIR/vm/init" "$root/init"
install -m 0644 "$LAB_DIR/vm/lib.sh" "$root/lab/lib.sh"
install -m 0755 "$LAB_DIR/vm/evlog" "$root/lab/bin/evlog"
{
  for e in "${envs[@]+"${envs[@]}"}"; do printf 'export %q\n' "$e"; done
  [ -z "$radios" ] || printf 'lab_radios %s\n' "$radios"
} >"$root/lab/env.sh"

copy_bin() {
  local spec=$1 src name lib
  src=${spec%%:*}
  name=${spec#*:}
  [ "$name" != "$spec" ] || name=$(basename "$src")
  [ -f "$src" ] || lab_die "--bin $src: no such file"
  install -m 0755 "$src" "$root/opt/bin/$name"
  # A dynamically linked program also needs its libraries (from this host).
  for lib in $(ldd "$src" 2>/dev/null | awk '/=> \// { print $3 } $1 ~ /^\// { print $1 }'); do
    [ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
  done
}
for b in "${bins[@]+"${bins[@]}"}"; do copy_bin "$b"; done
for f in "${files[@]+"${files[@]}"}"; do
  src=${f%%:*}
  name=${f#*:}
  [ "$name" != "$f" ] || name=$(basename "$src")
  [ -f "$src" ] || lab_die "--file $src: no such file"
  install -m 0644 "$src" "$root/lab/files/$name"
done
if [ -z "$no_roamer" ]; then
  if [ -z "$roamer" ]; then
    lab_ensure_musl_target
    roamer=$(lab_build_roamer)
  fi
  [ -f "$roamer" ] || lab_die "no roamer binary at $roamer"
  install -m 0755 "$roamer" "$root/bin/roamer"
fi

(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$run/run.cpio.gz"
cat "$LAB_CACHE/base.cpio.gz" "$run/run.cpio.gz" >"$run/initrd"

hard=$((timeout_s + 60))
: >"$run/channel.log"
t0=$(date +%s.%N)
set +e
# No KVM (see LAB.md): plain TCG emulation. ttyS0 = console, ttyS1 = the `@@` channel.
timeout -k 5 "$hard" qemu-system-x86_64 -m 1024 -smp 2 -nographic -no-reboot -nic none \
  -serial stdio -serial "file:$run/channel.log" -monitor none \
  -kernel "$LAB_CACHE/vmlinuz" -initrd "$run/initrd" \
  -append "console=ttyS0 quiet loglevel=1 panic=-1 lab_timeout=$timeout_s" \
  </dev/null 2>&1 | tr -d '\r' | if [ -n "$quiet" ]; then cat >"$run/console.log"; else tee "$run/console.log" >&2; fi
qrc=${PIPESTATUS[0]}
set -e
t1=$(date +%s.%N)

tr -d '\r' <"$run/channel.log"
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
endline=$(tr -d '\r' <"$run/channel.log" | grep '^@@ end ' | tail -n 1 || true)
if [ -z "$endline" ]; then
  if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then why=host-timeout; else why=no-end; fi
  echo "@@ end status=$why qemu_rc=$qrc wall_ms=$wall"
  lab_log "the VM did not finish the scenario ($why, qemu exit $qrc); console: see above${out:+ or $out/console.log}"
  exit 3
fi
echo "@@ run wall_ms=$wall qemu_rc=$qrc"
case $endline in
  *" status=0 "*" failed=0 "*) exit 0 ;;
  *) exit 1 ;;
esac
