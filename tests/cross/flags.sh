# Per-target build settings for the static and cross builds (source this file).
# Per-target variables only: host builds (tests, clippy) keep their cache.

# rust-lld links both musl targets: no cross gcc is needed. rustc finds rust-lld in its own
# sysroot.
export CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_LINKER=rust-lld
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER=rust-lld
# Tests and binaries for foreign CPUs run under qemu-user (Debian qemu-user-static).
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_RUNNER=qemu-aarch64-static
export CARGO_TARGET_MIPS_UNKNOWN_LINUX_MUSL_RUNNER=qemu-mips-static
