#!/usr/bin/env bash
# Prepare the Wi-Fi lab (see tests/lab/README.md): Debian packages, Debian's 6.1 kernel package,
# the cached base initramfs, the musl target and a static build of roamer.
#
# Idempotent: a second run checks what is there and does nothing else (about a second).
# Environment:
#   LAB_CACHE     cache directory (default tests/lab/cache, gitignored)
#   LAB_NO_BUILD  if set, skip the musl build of roamer
#   LAB_FORCE     if set, rebuild the base initramfs even if it looks current
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lab/host.sh
. "$LAB_DIR/host.sh"

PACKAGES=(qemu-system-x86 hostapd wpasupplicant iw busybox-static cpio)
MODULES=(
  crypto/seqiv crypto/ctr crypto/ccm crypto/gf128mul crypto/ghash-generic crypto/gcm crypto/cmac
  net/rfkill/rfkill lib/crypto/libarc4 drivers/virtio/virtio_ring drivers/virtio/virtio
  net/wireless/cfg80211 net/mac80211/mac80211 drivers/net/wireless/mac80211_hwsim
)
PROGRAMS=(hostapd hostapd_cli wpa_supplicant wpa_cli iw)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    lab_die "need root for: $*"
  fi
}

# apt-get with a long lock timeout: another apt/dpkg may be running (e.g. a machine's own setup).
apt_get() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 "$@"
}

apt_lists_present() {
  compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null
}

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    lab_log "packages: all present (${PACKAGES[*]})"
    return
  fi
  lab_log "packages: installing ${missing[*]}"
  apt_lists_present || apt_get update
  apt_get install -y --no-install-recommends "${missing[@]}" || {
    apt_get update
    apt_get install -y --no-install-recommends "${missing[@]}"
  }
}

# The kernel package linux-image-amd64 depends on, e.g. linux-image-6.1.0-56-amd64.
kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null |
    awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

fetch_kernel() {
  local pkg kdir deb m
  pkg=$(kernel_package || true)
  if [ -z "$pkg" ] && ! apt_lists_present; then
    apt_get update >&2
    pkg=$(kernel_package || true)
  fi
  if [ -z "$pkg" ]; then
    # No package lists but a kernel already in the cache: keep using it.
    if [ -f "$LAB_CACHE/kernel.current" ]; then
      cat "$LAB_CACHE/kernel.current"
      return
    fi
    lab_die "cannot resolve the kernel package of linux-image-amd64 (try: apt-get update)"
  fi
  kdir="$LAB_CACHE/kernel/$pkg"
  if [ ! -f "$kdir/.complete" ]; then
    lab_log "kernel: downloading $pkg"
    rm -rf "$kdir" "$LAB_CACHE/deb"
    mkdir -p "$LAB_CACHE/deb" "$kdir"
    # apt-get download writes to the current directory; _apt may not be able to, hence chmod.
    chmod 777 "$LAB_CACHE/deb"
    (cd "$LAB_CACHE/deb" && apt-get download "$pkg" >&2) || {
      apt_get update >&2
      (cd "$LAB_CACHE/deb" && apt-get download "$pkg" >&2)
    }
    deb=$(ls "$LAB_CACHE"/deb/"$pkg"_*.deb)
    # Only the kernel and the modules the lab loads (dpkg -x of the whole package is 400 MB).
    local members=(./boot/vmlinuz-*)
    for m in "${MODULES[@]}"; do members+=("./lib/modules/*/kernel/$m.ko"); done
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$kdir" --wildcards "${members[@]}"
    rm -rf "$LAB_CACHE/deb"
    basename "$deb" >"$kdir/.deb"
    touch "$kdir/.complete"
  fi
  echo "$pkg" >"$LAB_CACHE/kernel.current"
  echo "$pkg"
}

# Copy a file and every library ldd lists (and the loader) into the root $1.
copy_with_libs() {
  local root=$1 bin=$2 lib
  install -D -m 0755 "$bin" "$root/bin/$(basename "$bin")"
  for lib in $(ldd "$bin" | awk '/=> \// { print $3 } $1 ~ /^\// { print $1 }'); do
    [ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
  done
}

build_base() {
  local pkg=$1 kdir="$LAB_CACHE/kernel/$1" stamp_want stamp_have root m p
  stamp_want=$(
    {
      echo "$pkg"
      dpkg-query -W "${PACKAGES[@]}" 2>/dev/null
      cat "$LAB_DIR/prepare.sh"
    } | sha256sum | cut -d' ' -f1
  )
  stamp_have=$(cat "$LAB_CACHE/base.stamp" 2>/dev/null || true)
  if [ -z "${LAB_FORCE:-}" ] && [ "$stamp_want" = "$stamp_have" ] && [ -f "$LAB_CACHE/base.cpio.gz" ] &&
    [ -f "$LAB_CACHE/vmlinuz" ]; then
    lab_log "base initramfs: current ($LAB_CACHE/base.cpio.gz)"
    return
  fi
  lab_log "base initramfs: building"
  root=$(mktemp -d "$LAB_CACHE/root.XXXXXX")
  mkdir -p "$root"/{bin,lib/modules,lib/firmware,dev,proc,sys,tmp,run,var,etc,opt/bin,lab}
  ln -s bin "$root/sbin"
  mkdir -p "$root/usr"
  ln -s ../bin "$root/usr/bin"
  ln -s ../bin "$root/usr/sbin"
  ln -s /run "$root/var/run"
  install -m 0755 "$(command -v busybox)" "$root/bin/busybox"
  for p in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$p" ] || ln -s busybox "$root/bin/$p"
  done
  for p in "${PROGRAMS[@]}"; do
    copy_with_libs "$root" "$(command -v "$p" || echo "/usr/sbin/$p")"
  done
  # The modules in load order; /init insmods them by this list (no modules.dep needed).
  : >"$root/lib/modules/order"
  for m in "${MODULES[@]}"; do
    install -m 0644 "$kdir"/lib/modules/*/kernel/"$m".ko "$root/lib/modules/"
    basename "$m" >>"$root/lib/modules/order"
  done
  cp -L /lib/firmware/regulatory.db /lib/firmware/regulatory.db.p7s "$root/lib/firmware/"
  echo "root:x:0:0:root:/:/bin/sh" >"$root/etc/passwd"
  echo "root:x:0:" >"$root/etc/group"
  printf '%s\n' "$pkg" >"$root/etc/lab-kernel"
  (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
    gzip -1 >"$LAB_CACHE/base.cpio.gz.tmp"
  mv "$LAB_CACHE/base.cpio.gz.tmp" "$LAB_CACHE/base.cpio.gz"
  install -m 0644 "$kdir"/boot/vmlinuz-* "$LAB_CACHE/vmlinuz"
  rm -rf "$root"
  echo "$stamp_want" >"$LAB_CACHE/base.stamp"
  lab_log "base initramfs: $(du -h "$LAB_CACHE/base.cpio.gz" | cut -f1) ($pkg)"
}

main() {
  mkdir -p "$LAB_CACHE"
  install_packages
  local pkg
  pkg=$(fetch_kernel)
  build_base "$pkg"
  if [ -z "${LAB_NO_BUILD:-}" ]; then
    lab_ensure_musl_target
    if lab_build_roamer >/dev/null; then
      lab_log "roamer: $(lab_roamer_path)"
    else
      lab_log "warning: the static roamer build failed (run.sh builds it again; --no-roamer skips it)"
    fi
  fi
  lab_log "ready: run a scenario with tests/lab/run.sh tests/lab/scenarios/smoke.sh"
}

main "$@"
