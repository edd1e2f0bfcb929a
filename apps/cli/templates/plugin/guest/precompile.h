/* precompile.h: the guest side of {{name}} (made by `nexus new --plugin`): the precompile call
 * and its software fallback.
 *
 * nexus_precompile_add() makes the syscall; Linux (so qemu-riscv32) answers an unknown syscall
 * with -ENOSYS (-38), and the software routine runs instead: the same ELF gives the same result
 * on qemu and on the zkVM. A zkVM build without the plugin faults on the call: a build proves
 * what its plugins say, never silently the slow path.
 */
#ifndef NEXUS_PRECOMPILE_H
#define NEXUS_PRECOMPILE_H

#include <stdint.h>

/* The syscall number: the same as NUMBER in src/compute.ts (third-party: 0x1800..0x1fff). */
#define NEXUS_PRECOMPILE_NUMBER 0x1800
#define NEXUS_PRECOMPILE_ENOSYS 38

/* Names this package to a zkVM build without it: a record in the ELF's .nexus.requires section
 * (never loaded, not proven). Keep the number equal to NEXUS_PRECOMPILE_NUMBER. */
__asm__(".pushsection .nexus.requires,\"\",@progbits\n\t.asciz \"syscall 0x1800 {{name}}\"\n\t.popsection");

/* The call: *out = in[0] + in[1] (mod 2^32). Pointers 4-byte aligned, out writable. Returns 0,
 * or -38 where the syscall does not exist. */
static inline long nexus_precompile_syscall(uint32_t *out, const uint32_t in[2]) {
  register long a0 __asm__("a0") = (long)out;
  register long a1 __asm__("a1") = (long)in;
  register long a7 __asm__("a7") = NEXUS_PRECOMPILE_NUMBER;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a7) : "memory");
  return a0;
}

/* x + y: the precompile, or the software routine where it is missing. */
static inline uint32_t nexus_precompile_add(uint32_t x, uint32_t y) {
  static int missing = 0;
  if (!missing) {
    uint32_t in[2] = {x, y};
    uint32_t out;
    long r = nexus_precompile_syscall(&out, in);
    if (r == 0) return out;
    if (r != -NEXUS_PRECOMPILE_ENOSYS) __builtin_trap();
    missing = 1;
  }
  return x + y;
}

#endif
