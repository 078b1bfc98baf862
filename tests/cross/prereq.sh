# Prerequisite installers shared by tests/all.sh and tests/cross/*.sh (source this file).
# Each function installs only what is missing, so calling it again costs about nothing.
# Fresh Debian 12 machine, as root (sudo is used when not root).

export PATH="$HOME/.cargo/bin:$PATH"
ROAMER_NIGHTLY="${ROAMER_NIGHTLY:-nightly}"

_as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# need_debs PKG...: apt-get install the Debian packages that are not installed yet
# (apt-get update at most once per machine boot of this script family).
need_debs() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    echo "installing Debian packages: ${missing[*]}"
    if [ ! -e /tmp/.roamer-apt-updated ]; then
        _as_root apt-get update -q
        touch /tmp/.roamer-apt-updated
    fi
    _as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# The stable toolchain's lint components and the two musl targets.
need_stable_rust() {
    command -v rustup >/dev/null || { echo "rustup is required (https://rustup.rs)" >&2; return 1; }
    local have
    have=$(rustup component list --installed 2>/dev/null)
    for c in rustfmt clippy; do
        grep -q "^$c" <<<"$have" || rustup component add "$c"
    done
    have=$(rustup target list --installed)
    for t in x86_64-unknown-linux-musl aarch64-unknown-linux-musl; do
        grep -qx "$t" <<<"$have" || rustup target add "$t"
    done
}

# Nightly with rust-src (for -Zbuild-std: the router build and MIPS) and the fuzzers.
need_nightly() {
    if ! rustup run "$ROAMER_NIGHTLY" rustc -V >/dev/null 2>&1; then
        rustup toolchain install "$ROAMER_NIGHTLY" --profile minimal
    fi
    rustup component list --toolchain "$ROAMER_NIGHTLY" --installed | grep -q '^rust-src' \
        || rustup component add rust-src --toolchain "$ROAMER_NIGHTLY"
    # build-std for musl still needs the target's self-contained crt objects from rust-std
    rustup target list --toolchain "$ROAMER_NIGHTLY" --installed | grep -qx x86_64-unknown-linux-musl \
        || rustup target add x86_64-unknown-linux-musl --toolchain "$ROAMER_NIGHTLY"
}

# cargo-fuzz (built once, about 2 minutes on 2 cores; kept in ~/.cargo/bin).
need_cargo_fuzz() {
    cargo fuzz --version >/dev/null 2>&1 && return 0
    # its own target dir: the project's CARGO_TARGET_DIR should not keep cargo-fuzz's objects
    CARGO_TARGET_DIR="${TMPDIR:-/tmp}/roamer-cargo-install" cargo install --locked cargo-fuzz
}

# Zig, from PyPI, as the C compiler/linker for the MIPS musl target.
need_zig() {
    python3 -m ziglang version >/dev/null 2>&1 && return 0
    need_debs python3-pip
    python3 -m pip install --quiet ziglang || python3 -m pip install --quiet --break-system-packages ziglang
}
