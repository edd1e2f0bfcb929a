#!/usr/bin/env bash
# Rebuilds every C guest: guests/c/NAME.c -> guests/bin/NAME.elf, with the runtime in
# guests/runtime (crt0, linker script, syscall wrappers, picolibc stdio hooks).
# Needs: riscv64-unknown-elf-gcc and picolibc (Debian: gcc-riscv64-unknown-elf
# picolibc-riscv64-unknown-elf). Usage: guests/build.sh [NAME...]
# Output goes to guests/bin unless OUT names another directory.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-riscv64-unknown-elf-gcc}
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "guests/build.sh: $CC not found; install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf" >&2
  exit 1
fi
CFLAGS=(-march=rv32im -mabi=ilp32 -O2 -Wall -Wextra -Werror -ffunction-sections -fdata-sections -Iruntime -I../plugins/precompile-sha256/guest -I../plugins/precompile-keccak/guest)
# Our own crt0 and linker script, picolibc for libc; no build id (reproducible).
LDFLAGS=(--specs=picolibc.specs -nostartfiles -T runtime/zkvm.ld -Wl,--gc-sections -Wl,--build-id=none)
# The studio's C examples keep DWARF line info (-g: source lines in the studio and nexus trace);
# the others are built without, to keep them small. -g changes no code or data, only debug
# sections. Paths are written relative to bin/ (the compilation directory becomes ..), so a
# build does not depend on where the repository is and the ELF finds its sources beside it.
WITH_LINES=" fib sort io "
DEBUG_FLAGS=(-g -fdebug-prefix-map="$PWD"=..)
NO_DEBUG_FLAGS=(-Wl,--strip-debug)
OUT=${OUT:-bin}
mkdir -p "$OUT"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for src in c/*.c; do names+=("$(basename "$src" .c)"); done
fi
for name in "${names[@]}"; do
  if [[ "$WITH_LINES" == *" $name "* ]]; then debug=("${DEBUG_FLAGS[@]}"); else debug=("${NO_DEBUG_FLAGS[@]}"); fi
  "$CC" "${CFLAGS[@]}" "${debug[@]}" "${LDFLAGS[@]}" -o "$OUT/$name.elf" runtime/crt0.S runtime/zkvm.c "c/$name.c"
  echo "built $OUT/$name.elf ($(wc -c <"$OUT/$name.elf") bytes)"
done
