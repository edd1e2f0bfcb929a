/* nexus_sha256.h: SHA-256 for zkVM guests, with the sha256_compress precompile (syscall 0x1001
 * of @nexus/precompile-sha256) and a software fallback.
 *
 * nexus_sha256_compress() makes the syscall; Linux (so qemu-riscv32) answers an unknown
 * syscall with -ENOSYS (-38), and then the software routine runs instead. The same ELF hence
 * gives the same result on qemu (software) and on the zkVM (precompile, ~20x cheaper to prove).
 * A zkVM build without the plugin faults on the call, naming the plugin: a build proves what its
 * plugins say, never silently the slow path.
 *
 * Header-only: include it in one or more .c files (everything is static).
 *
 *   uint8_t digest[32];
 *   nexus_sha256(data, len, digest);
 */
#ifndef NEXUS_SHA256_H
#define NEXUS_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define NEXUS_SYS_SHA256_COMPRESS 0x1001
#define NEXUS_ENOSYS 38

/* Names the package to a zkVM build without it (see zkvm.h ZKVM_REQUIRES_SYSCALL; written out
 * here so this header needs nothing but libc). */
__asm__(".pushsection .nexus.requires,\"\",@progbits\n\t.asciz \"syscall 0x1001 @nexus/precompile-sha256\"\n\t.popsection");

/* The precompile: state = 8 native words H0..H7 (updated in place), block = 64 message bytes.
 * Both 4-byte aligned. Returns 0, or -38 where the syscall does not exist (qemu). */
static inline long nexus_sha256_compress_syscall(uint32_t state[8], const uint8_t block[64]) {
  register long a0 __asm__("a0") = (long)state;
  register long a1 __asm__("a1") = (long)block;
  register long a7 __asm__("a7") = NEXUS_SYS_SHA256_COMPRESS;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a7) : "memory");
  return a0;
}

static inline uint32_t nexus_sha256_rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/* The software compression (FIPS 180-4), used where the precompile is missing. */
static void nexus_sha256_compress_soft(uint32_t h[8], const uint8_t p[64]) {
  static const uint32_t K[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
      0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
      0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
      0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
      0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
      0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
      0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
      0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2,
  };
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) |
           ((uint32_t)p[4 * i + 2] << 8) | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = nexus_sha256_rotr(w[i - 15], 7) ^ nexus_sha256_rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = nexus_sha256_rotr(w[i - 2], 17) ^ nexus_sha256_rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = hh + (nexus_sha256_rotr(e, 6) ^ nexus_sha256_rotr(e, 11) ^ nexus_sha256_rotr(e, 25)) +
                  ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (nexus_sha256_rotr(a, 2) ^ nexus_sha256_rotr(a, 13) ^ nexus_sha256_rotr(a, 22)) +
                  ((a & b) ^ (a & c) ^ (b & c));
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

/* One compression: the precompile, or the software routine where it is missing. The block is
 * copied to an aligned buffer when it is not 4-byte aligned. */
static void nexus_sha256_compress(uint32_t state[8], const uint8_t block[64]) {
  static int missing = 0;
  if (!missing) {
    uint32_t aligned[16];
    const uint8_t *p = block;
    if (((uintptr_t)block & 3) != 0) {
      memcpy(aligned, block, 64);
      p = (const uint8_t *)aligned;
    }
    long r = nexus_sha256_compress_syscall(state, p);
    if (r == 0) return;
    if (r != -NEXUS_ENOSYS) __builtin_trap();
    missing = 1;
  }
  nexus_sha256_compress_soft(state, block);
}

typedef struct {
  uint32_t h[8];
  uint32_t block[16]; /* word-aligned for the precompile */
  size_t used;
  uint64_t total;
} nexus_sha256_ctx;

static void nexus_sha256_init(nexus_sha256_ctx *c) {
  static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(c->h, iv, sizeof iv);
  c->used = 0;
  c->total = 0;
}

static void nexus_sha256_update(nexus_sha256_ctx *c, const uint8_t *p, size_t n) {
  uint8_t *block = (uint8_t *)c->block;
  c->total += n;
  /* Whole aligned blocks straight from the input, the rest through the buffer. */
  while (n > 0) {
    if (c->used == 0 && n >= 64 && ((uintptr_t)p & 3) == 0) {
      nexus_sha256_compress(c->h, p);
      p += 64;
      n -= 64;
      continue;
    }
    size_t take = 64 - c->used < n ? 64 - c->used : n;
    memcpy(block + c->used, p, take);
    c->used += take;
    p += take;
    n -= take;
    if (c->used == 64) {
      nexus_sha256_compress(c->h, block);
      c->used = 0;
    }
  }
}

static void nexus_sha256_final(nexus_sha256_ctx *c, uint8_t out[32]) {
  uint8_t *block = (uint8_t *)c->block;
  uint64_t bits = c->total * 8;
  block[c->used++] = 0x80;
  if (c->used > 56) {
    memset(block + c->used, 0, 64 - c->used);
    nexus_sha256_compress(c->h, block);
    c->used = 0;
  }
  memset(block + c->used, 0, 56 - c->used);
  for (int i = 0; i < 8; i++) block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
  nexus_sha256_compress(c->h, block);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(c->h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
    out[4 * i + 3] = (uint8_t)c->h[i];
  }
}

/* SHA-256 of len bytes. */
static inline void nexus_sha256(const void *data, size_t len, uint8_t out[32]) {
  nexus_sha256_ctx c;
  nexus_sha256_init(&c);
  nexus_sha256_update(&c, (const uint8_t *)data, len);
  nexus_sha256_final(&c, out);
}

#endif
