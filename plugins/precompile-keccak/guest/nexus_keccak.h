/* nexus_keccak.h: Keccak-256 for zkVM guests, with the keccakf precompile (syscall 0x1002 of
 * @nexus/precompile-keccak) and a software fallback.
 *
 * nexus_keccakf() makes the syscall; Linux (so qemu-riscv32) answers an unknown syscall with
 * -ENOSYS (-38), and then the software permutation runs instead. The same ELF hence gives the
 * same result on qemu (software) and on the zkVM (precompile). A zkVM build without the plugin
 * faults on the call, naming the plugin: a build proves what its plugins say, never silently
 * the slow path.
 *
 * The state is 25 lanes A[x + 5y], each a uint64_t (on RV32 a little-endian u64, low word
 * first: exactly the 200 bytes the precompile permutes), 8-byte aligned as uint64_t is.
 *
 * Header-only: include it in one or more .c files (everything is static).
 *
 *   uint8_t digest[32];
 *   nexus_keccak256(data, len, digest);   // Keccak-256 as Ethereum uses it
 */
#ifndef NEXUS_KECCAK_H
#define NEXUS_KECCAK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define NEXUS_SYS_KECCAKF 0x1002

/* Names the package to a zkVM build without it (see zkvm.h ZKVM_REQUIRES_SYSCALL; written out
 * here so this header needs nothing but libc). */
__asm__(".pushsection .nexus.requires,\"\",@progbits\n\t.asciz \"syscall 0x1002 @nexus/precompile-keccak\"\n\t.popsection");
#ifndef NEXUS_ENOSYS
#define NEXUS_ENOSYS 38
#endif

/* The precompile: the 25 lanes permuted in place (4-byte aligned at least). Returns 0, or -38
 * where the syscall does not exist (qemu). */
static inline long nexus_keccakf_syscall(uint64_t state[25]) {
  register long a0 __asm__("a0") = (long)state;
  register long a7 __asm__("a7") = NEXUS_SYS_KECCAKF;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
  return a0;
}

static inline uint64_t nexus_keccak_rotl(uint64_t x, int n) {
  return n == 0 ? x : (x << n) | (x >> (64 - n));
}

/* The software permutation (FIPS 202 Keccak-f[1600]), used where the precompile is missing. */
static void nexus_keccakf_soft(uint64_t a[25]) {
  static const uint64_t RC[24] = {
      0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
      0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
      0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
      0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
      0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
      0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
  };
  /* Rotation offsets r[x + 5y] (FIPS 202 Table 2). */
  static const uint8_t R[25] = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                                25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};
  uint64_t b[25], c[5], d;
  for (int round = 0; round < 24; round++) {
    for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (int x = 0; x < 5; x++) {
      d = c[(x + 4) % 5] ^ nexus_keccak_rotl(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) a[x + y] ^= d;
    }
    /* ρ and π: B[y, 2x + 3y] = rotl(A[x, y], r[x, y]). */
    for (int x = 0; x < 5; x++)
      for (int y = 0; y < 5; y++)
        b[y + 5 * ((2 * x + 3 * y) % 5)] = nexus_keccak_rotl(a[x + 5 * y], R[x + 5 * y]);
    /* χ */
    for (int y = 0; y < 25; y += 5)
      for (int x = 0; x < 5; x++) a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
    /* ι */
    a[0] ^= RC[round];
  }
}

/* One permutation: the precompile, or the software routine where it is missing. */
static void nexus_keccakf(uint64_t state[25]) {
  static int missing = 0;
  if (!missing) {
    long r = nexus_keccakf_syscall(state);
    if (r == 0) return;
    if (r != -NEXUS_ENOSYS) __builtin_trap();
    missing = 1;
  }
  nexus_keccakf_soft(state);
}

/* Keccak-256 (rate 136 bytes, padding 0x01 ... 0x80), absorbed incrementally. */
#define NEXUS_KECCAK256_RATE 136

typedef struct {
  uint64_t a[25];
  size_t used; /* bytes absorbed into the current block */
  uint64_t total;
} nexus_keccak256_ctx;

static void nexus_keccak256_init(nexus_keccak256_ctx *c) {
  memset(c->a, 0, sizeof c->a);
  c->used = 0;
  c->total = 0;
}

/* Xors byte v into byte i of the state (lane i / 8, bits 8·(i % 8)): portable to any host. */
static inline void nexus_keccak_xor_byte(uint64_t a[25], size_t i, uint8_t v) {
  a[i >> 3] ^= (uint64_t)v << (8 * (i & 7));
}

static void nexus_keccak256_update(nexus_keccak256_ctx *c, const void *data, size_t n) {
  const uint8_t *p = (const uint8_t *)data;
  c->total += n;
  while (n > 0) {
    /* Whole lanes at a time where the block position is lane-aligned. */
    if ((c->used & 7) == 0 && n >= 8 && c->used + 8 <= NEXUS_KECCAK256_RATE) {
      uint64_t v = 0;
      for (int k = 7; k >= 0; k--) v = (v << 8) | p[k];
      c->a[c->used >> 3] ^= v;
      c->used += 8;
      p += 8;
      n -= 8;
    } else {
      nexus_keccak_xor_byte(c->a, c->used++, *p++);
      n--;
    }
    if (c->used == NEXUS_KECCAK256_RATE) {
      nexus_keccakf(c->a);
      c->used = 0;
    }
  }
}

static void nexus_keccak256_final(nexus_keccak256_ctx *c, uint8_t out[32]) {
  nexus_keccak_xor_byte(c->a, c->used, 0x01);
  nexus_keccak_xor_byte(c->a, NEXUS_KECCAK256_RATE - 1, 0x80);
  nexus_keccakf(c->a);
  for (int i = 0; i < 32; i++) out[i] = (uint8_t)(c->a[i >> 3] >> (8 * (i & 7)));
}

/* Keccak-256 of len bytes (Ethereum's keccak256). */
static inline void nexus_keccak256(const void *data, size_t len, uint8_t out[32]) {
  nexus_keccak256_ctx c;
  nexus_keccak256_init(&c);
  nexus_keccak256_update(&c, data, len);
  nexus_keccak256_final(&c, out);
}

#endif
