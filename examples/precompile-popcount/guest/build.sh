#!/usr/bin/env bash
# Builds the example guest: guest/popcount.c -> guest/bin/popcount.elf, with the guest runtime
# in guest/runtime (a copy of the Nexus zkVM's: crt0, linker script, syscall wrappers, stdio
# hooks; `nexus new` writes the same files) and the precompile's header nexus_popcount.h.
# Needs riscv64-unknown-elf-gcc and picolibc (Debian/Ubuntu: apt-get install
# gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf). The build is reproducible: no debug
# info, no build id, so the committed ELF is what this script writes.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-riscv64-unknown-elf-gcc}
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "guest/build.sh: $CC not found; install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf" >&2
  exit 1
fi
CFLAGS=(-march=rv32im -mabi=ilp32 -O2 -g0 -Wall -Wextra -Werror -ffunction-sections -fdata-sections -Iruntime -I.)
LDFLAGS=(--specs=picolibc.specs -nostartfiles -T runtime/zkvm.ld -Wl,--gc-sections -Wl,--strip-debug -Wl,--build-id=none)
OUT=${OUT:-bin}
mkdir -p "$OUT"
"$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -o "$OUT/popcount.elf" runtime/crt0.S runtime/zkvm.c popcount.c
echo "built $OUT/popcount.elf ($(wc -c <"$OUT/popcount.elf") bytes)"
