# Host-side helpers shared by prepare.sh and run.sh (sourced, not run).
# shellcheck shell=bash

LAB_DIR=${LAB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
LAB_ROOT=$(cd "$LAB_DIR/../.." && pwd)
LAB_CACHE=${LAB_CACHE:-$LAB_DIR/cache}
LAB_TARGET=x86_64-unknown-linux-musl

lab_log() { echo "lab: $*" >&2; }
lab_die() {
  echo "lab: error: $*" >&2
  exit 2
}

lab_ensure_musl_target() {
  if [ -d "$(rustc --print sysroot)/lib/rustlib/$LAB_TARGET/lib" ]; then
    return
  fi
  command -v rustup >/dev/null || lab_die "the Rust target $LAB_TARGET is missing and rustup is not installed"
  lab_log "rustup: adding $LAB_TARGET"
  rustup target add "$LAB_TARGET" >&2
}

# Build static musl binaries of this workspace and print their paths, one a line.
# Arguments are passed to `cargo build` (default: the roamer binary), e.g.
#   lab_build_static -p nl80211 --example capture
# The build is `--release` (the profile roamer ships with) for $LAB_TARGET. A different linker
# can be chosen with CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_LINKER (e.g. rust-lld).
lab_build_static() {
  [ $# -gt 0 ] || set -- -p roamer --bin roamer
  local out
  out=$(cd "$LAB_ROOT" && cargo build --release --target "$LAB_TARGET" --message-format=json-render-diagnostics "$@") ||
    lab_die "static build failed: cargo build --release --target $LAB_TARGET $*"
  printf '%s\n' "$out" | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p'
}

lab_build_roamer() {
  local path
  path=$(lab_build_static -p roamer --bin roamer | grep '/roamer$' | head -n1)
  [ -n "$path" ] || lab_die "the static roamer build produced no binary"
  echo "$path"
}

lab_roamer_path() {
  echo "${CARGO_TARGET_DIR:-$LAB_ROOT/target}/$LAB_TARGET/release/roamer"
}

# Fail with the missing prerequisite and the command that installs it.
lab_check_prereqs() {
  local fix="run: tests/lab/prepare.sh"
  command -v qemu-system-x86_64 >/dev/null ||
    lab_die "qemu-system-x86_64 is not installed; $fix (or apt-get install qemu-system-x86)"
  [ -f "$LAB_CACHE/vmlinuz" ] || lab_die "no lab kernel at $LAB_CACHE/vmlinuz; $fix"
  [ -f "$LAB_CACHE/base.cpio.gz" ] || lab_die "no base initramfs at $LAB_CACHE/base.cpio.gz; $fix"
  command -v cpio >/dev/null || lab_die "cpio is not installed; $fix (or apt-get install cpio)"
}
