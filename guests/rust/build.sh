#!/usr/bin/env bash
# Builds the Rust guests: src/NAME.rs (or src/NAME/main.rs) -> bin/NAME.elf, with the `zkvm`
# runtime crate in runtime/ and the project's C crt0, syscall wrappers and linker script
# (../runtime). Usage: guests/rust/build.sh [NAME | PATH.rs ...] (every guest in src/ by default;
# a path to a .rs file builds a guest kept elsewhere: DIR/NAME.rs or DIR/NAME/main.rs). Run it
# with `pnpm --filter @nexus/guests-rust build:rust [NAME...]`.
#
# Needs Debian's Rust compiler and library sources (apt-get install -y rustc rust-src) and the
# RISC-V GCC toolchain with picolibc (apt-get install -y gcc-riscv64-unknown-elf
# picolibc-riscv64-unknown-elf). No rustup target is needed: core and alloc are compiled here
# from the library sources, once per toolchain (cached under target/, which git ignores).
#
# Environment: RUSTC (default /usr/bin/rustc: the rustup toolchains on PATH have no RISC-V
# library), CC (default riscv64-unknown-elf-gcc), OUT (the ELFs' directory, relative to the
# current one; default guests/rust/bin), HEAP_SIZE / STACK_SIZE
# (bytes; default 1 MiB / 256 KiB, the linker script's), STACK_GUARD=0 to build without the stack
# overflow check (saves a few cycles per function call; see README.md).
set -euo pipefail
CALLER=$PWD
cd "$(dirname "$0")"

RUSTC=${RUSTC:-/usr/bin/rustc}
CC=${CC:-riscv64-unknown-elf-gcc}
OUT=${OUT:-$PWD/bin}
[[ "$OUT" = /* ]] || OUT="$CALLER/$OUT"
STACK_GUARD=${STACK_GUARD:-1}
TARGET=riscv32im-unknown-none-elf

fail() {
  echo "guests/rust/build.sh: $*" >&2
  exit 1
}

# --- arguments (checked before anything is built) ----------------------------------------------
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for src in src/*.rs src/*/main.rs; do
    [ -e "$src" ] || continue
    name=${src#src/}
    name=${name%.rs}
    name=${name%/main}
    names+=("$name")
  done
fi
LINK_SIZES=()
for var in HEAP_SIZE STACK_SIZE; do
  value=${!var:-}
  [ -n "$value" ] || continue
  [[ "$value" =~ ^(0x[0-9a-fA-F]+|[0-9]+)$ ]] || fail "$var=$value is not a number of bytes"
  symbol=__$(tr '[:upper:]' '[:lower:]' <<<"$var")
  LINK_SIZES+=("-Wl,--defsym=$symbol=$value")
done
declare -A sources remaps
guests=()
for arg in "${names[@]}"; do
  if [[ "$arg" = *.rs ]]; then
    # A guest elsewhere: its directory is remapped to src/ so its panic messages and the ELF do
    # not depend on where it lives.
    [[ "$arg" = /* ]] || arg="$CALLER/$arg"
    [ -f "$arg" ] || fail "no such file: $arg"
    file=$(realpath "$arg")
    if [ "$(basename "$file")" = main.rs ]; then
      name=$(basename "$(dirname "$file")")
      remaps[$name]=$(dirname "$(dirname "$file")")
    else
      name=$(basename "$file" .rs)
      remaps[$name]=$(dirname "$file")
    fi
  else
    name=$arg
    if [ -f "src/$name.rs" ]; then
      file="src/$name.rs"
    elif [ -f "src/$name/main.rs" ]; then
      file="src/$name/main.rs"
    else
      file=
    fi
  fi
  if ! [[ "$name" =~ ^[a-z][a-z0-9_]*$ ]]; then
    fail "bad guest name '$name': use lowercase letters, digits and _ (it is the crate name)"
  fi
  [ -n "$file" ] || fail "no guest '$name': expected src/$name.rs or src/$name/main.rs"
  [ -z "${sources[$name]:-}" ] || fail "guest '$name' named twice"
  sources[$name]=$file
  guests+=("$name")
done

# --- toolchain ---------------------------------------------------------------------------------
if ! command -v "$RUSTC" >/dev/null 2>&1; then
  fail "no Rust compiler at $RUSTC: install Debian's (apt-get install -y rustc rust-src) or set RUSTC to a rustc with its library sources"
fi
SYSROOT_HOST=$("$RUSTC" --print sysroot) || fail "$RUSTC does not run"
LIBRARY="$SYSROOT_HOST/lib/rustlib/src/rust/library"
if [ ! -f "$LIBRARY/core/src/lib.rs" ] || [ ! -f "$LIBRARY/alloc/src/lib.rs" ]; then
  fail "the Rust library sources are missing ($LIBRARY): apt-get install -y rust-src"
fi
# (The list is captured first: grep -q exiting early would fail the pipe under pipefail.)
TARGETS=$("$RUSTC" --print target-list)
if ! grep -qx "$TARGET" <<<"$TARGETS"; then
  fail "$RUSTC does not know the target $TARGET"
fi
if ! command -v "$CC" >/dev/null 2>&1; then
  fail "$CC not found: apt-get install -y gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf"
fi
if ! "$CC" --specs=picolibc.specs -march=rv32im -mabi=ilp32 -E -x c /dev/null >/dev/null 2>&1; then
  fail "picolibc for $CC not found: apt-get install -y picolibc-riscv64-unknown-elf"
fi

# core and alloc use unstable features internally, and the runtime needs #[alloc_error_handler]
# (stable Rust 1.63 has no default for no_std + alloc): RUSTC_BOOTSTRAP lets this stable compiler
# build them. Guests themselves need no feature gates.
export RUSTC_BOOTSTRAP=1

# Paths are remapped so the ELFs do not depend on where the sources are (panic messages name
# files: a guest's own as src/NAME.rs, the library's under /rustc/library).
RUSTFLAGS=(--target "$TARGET" --edition 2021 -C opt-level=3 -C panic=abort -C codegen-units=1
  -C debuginfo=0 --remap-path-prefix "$LIBRARY=/rustc/library" --remap-path-prefix "$PWD=.")
# The stack guard (see runtime/src/lib.rs): every guest function calls `mcount` on entry. The
# entry hook is LLVM's post-inlining instrumenter, which this toolchain's default (new) pass
# manager never runs, hence the legacy one with the pass named explicitly.
GUARD_FLAGS=()
if [ "$STACK_GUARD" != 0 ]; then
  GUARD_FLAGS=(-Z instrument-mcount -Z new-llvm-pass-manager=no -C passes=post-inline-ee-instrument)
fi

# --- core, compiler_builtins, alloc: once per toolchain and flags -------------------------------
KEY=$( (
  "$RUSTC" -vV
  echo "${RUSTFLAGS[@]}"
  echo sysroot-v1
) | sha256sum | cut -c1-16)
mkdir -p target
SYSROOT="$PWD/target/sysroot-$KEY"
if [ ! -f "$SYSROOT/done" ]; then
  echo "building core and alloc for $TARGET with $("$RUSTC" --version) (once per toolchain)..."
  # Built in a private directory and renamed into place: other builds may run at the same time.
  tmp=$(mktemp -d "$PWD/target/sysroot-tmp.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  lib="$tmp/lib/rustlib/$TARGET/lib"
  mkdir -p "$lib"
  "$RUSTC" "${RUSTFLAGS[@]}" --crate-type rlib --crate-name core -Z force-unstable-if-unmarked \
    --out-dir "$lib" "$LIBRARY/core/src/lib.rs"
  # rustc links every no_std crate against a `compiler_builtins`; the intrinsics themselves come
  # from libgcc at link time, so an empty crate with the marker is enough.
  printf '#![feature(no_core, compiler_builtins)]\n#![no_core]\n#![compiler_builtins]\n' >"$tmp/compiler_builtins.rs"
  "$RUSTC" "${RUSTFLAGS[@]}" --crate-type rlib --crate-name compiler_builtins --sysroot "$tmp" \
    --out-dir "$lib" "$tmp/compiler_builtins.rs"
  "$RUSTC" "${RUSTFLAGS[@]}" --crate-type rlib --crate-name alloc -Z force-unstable-if-unmarked \
    --sysroot "$tmp" --out-dir "$lib" "$LIBRARY/alloc/src/lib.rs"
  touch "$tmp/done"
  if ! mv -T "$tmp" "$SYSROOT" 2>/dev/null; then
    rm -rf "$tmp" # another build got there first; its copy is identical
  fi
  trap - EXIT
fi

# --- the runtime: once per toolchain and runtime source ------------------------------------------
RUNTIME_KEY=$( (
  echo "$KEY"
  cat runtime/src/*.rs ../../plugins/precompile-*/guest/*.rs
) | sha256sum | cut -c1-16)
RUNTIME="$PWD/target/runtime-$RUNTIME_KEY"
if [ ! -f "$RUNTIME/libzkvm.rlib" ]; then
  tmp=$(mktemp -d "$PWD/target/runtime-tmp.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  "$RUSTC" "${RUSTFLAGS[@]}" --crate-type rlib --crate-name zkvm --sysroot "$SYSROOT" \
    --out-dir "$tmp" runtime/src/lib.rs
  if ! mv -T "$tmp" "$RUNTIME" 2>/dev/null; then
    rm -rf "$tmp"
  fi
  trap - EXIT
fi

# --- the guests ----------------------------------------------------------------------------------
WORK=$(mktemp -d "$PWD/target/work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
for name in "${guests[@]}"; do
  src=${sources[$name]}
  remap=()
  [ -z "${remaps[$name]:-}" ] || remap=(--remap-path-prefix "${remaps[$name]}=src")
  if ! "$RUSTC" "${RUSTFLAGS[@]}" "${remap[@]}" "${GUARD_FLAGS[@]}" --crate-type staticlib \
    --crate-name "$name" --sysroot "$SYSROOT" --extern zkvm="$RUNTIME/libzkvm.rlib" \
    -o "$WORK/lib$name.a" "$src"; then
    fail "compiling $src failed (see above; a guest is #![no_std] and calls zkvm::entry!(main))"
  fi
  # The same crt0, C wrappers, picolibc and linker script as the C guests.
  # --undefined keeps the runtime's marker in .rodata: a guest with no read-only data would
  # otherwise get an empty, NOBITS .rodata in the text segment, which qemu-riscv32 cannot load.
  if ! "$CC" -march=rv32im -mabi=ilp32 -O2 -g0 -ffunction-sections -fdata-sections -I../runtime \
    --specs=picolibc.specs -nostartfiles -T ../runtime/zkvm.ld -Wl,--gc-sections \
    -Wl,--strip-debug -Wl,--build-id=none -Wl,--undefined=__zkvm_rust_runtime "${LINK_SIZES[@]}" \
    -o "$OUT/$name.elf" ../runtime/crt0.S ../runtime/zkvm.c "$WORK/lib$name.a" -lgcc; then
    fail "linking $name failed (see above; an undefined 'main' means $src lacks zkvm::entry!(main))"
  fi
  if [ ${#GUARD_FLAGS[@]} -gt 0 ] && ! grep -q mcount "$OUT/$name.elf"; then
    echo "guests/rust/build.sh: warning: $name has no stack guard ($RUSTC did not instrument function entries)" >&2
  fi
  echo "built $OUT/$name.elf ($(wc -c <"$OUT/$name.elf") bytes)"
done
