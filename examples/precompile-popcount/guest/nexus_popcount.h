/* nexus_popcount.h: population counts for zkVM guests, with the popcount256 precompile
 * (syscall 0x1800 of @acme/precompile-popcount) and a software fallback.
 *
 * nexus_popcount256() makes the syscall; Linux (so qemu-riscv32) answers an unknown syscall with
 * -ENOSYS (-38), and then the software routine runs instead. The same ELF hence gives the same
 * result on qemu (software) and on the zkVM (precompile: one proof row per 256 bits instead of
 * over a hundred instructions). A zkVM build without the plugin faults on the call, naming the
 * syscall: a build proves what its plugins say, never silently the slow path.
 *
 * Header-only: include it in one or more .c files (everything is static).
 *
 *   uint32_t words[n];
 *   uint32_t ones = nexus_popcount(words, n);
 */
#ifndef NEXUS_POPCOUNT_H
#define NEXUS_POPCOUNT_H

#include <stddef.h>
#include <stdint.h>

#define NEXUS_SYS_POPCOUNT256 0x1800
#define NEXUS_POPCOUNT_ENOSYS 38

/* Names the package to a zkVM build without it (see zkvm.h ZKVM_REQUIRES_SYSCALL; written out
 * here so this header needs nothing but libc). */
__asm__(".pushsection .nexus.requires,\"\",@progbits\n\t.asciz \"syscall 0x1800 @acme/precompile-popcount\"\n\t.popsection");

/* The precompile: *out = the number of set bits of the 8 words at in (256 bits, 0..256).
 * Both pointers 4-byte aligned, out writable. Returns 0, or -38 where the syscall does not
 * exist (qemu). */
static inline long nexus_popcount256_syscall(uint32_t *out, const uint32_t in[8]) {
  register long a0 __asm__("a0") = (long)out;
  register long a1 __asm__("a1") = (long)in;
  register long a7 __asm__("a7") = NEXUS_SYS_POPCOUNT256;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a7) : "memory");
  return a0;
}

/* The software routine (SWAR popcount of one word). */
static inline uint32_t nexus_popcount32_soft(uint32_t x) {
  x = x - ((x >> 1) & 0x55555555u);
  x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
  x = (x + (x >> 4)) & 0x0f0f0f0fu;
  return (x * 0x01010101u) >> 24;
}

/* The set bits of 8 words: the precompile, or the software routine where it is missing. */
static uint32_t nexus_popcount256(const uint32_t in[8]) {
  static int missing = 0;
  if (!missing) {
    uint32_t out;
    long r = nexus_popcount256_syscall(&out, in);
    if (r == 0) return out;
    if (r != -NEXUS_POPCOUNT_ENOSYS) __builtin_trap();
    missing = 1;
  }
  uint32_t n = 0;
  for (int i = 0; i < 8; i++) n += nexus_popcount32_soft(in[i]);
  return n;
}

/* The set bits of n words (4-byte aligned): 8 words per call, the tail in software. */
static inline uint32_t nexus_popcount(const uint32_t *words, size_t n) {
  uint32_t total = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) total += nexus_popcount256(words + i);
  for (; i < n; i++) total += nexus_popcount32_soft(words[i]);
  return total;
}

#endif
