#!/usr/bin/env bash
# Builds the guest: guest/main.c -> guest/bin/main.elf, with the zkVM's guest runtime in
# guest/runtime and the precompile's header guest/precompile.h. Needs riscv64-unknown-elf-gcc
# and picolibc (Debian/Ubuntu: apt-get install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf).
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-riscv64-unknown-elf-gcc}
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "guest/build.sh: $CC not found; install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf" >&2
  exit 1
fi
CFLAGS=(-march=rv32im -mabi=ilp32 -O2 -g0 -Wall -Wextra -Werror -ffunction-sections -fdata-sections -Iruntime -I.)
LDFLAGS=(--specs=picolibc.specs -nostartfiles -T runtime/zkvm.ld -Wl,--gc-sections -Wl,--strip-debug -Wl,--build-id=none)
mkdir -p bin
"$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -o bin/main.elf runtime/crt0.S runtime/zkvm.c main.c
echo "built guest/bin/main.elf ($(wc -c <bin/main.elf) bytes)"
