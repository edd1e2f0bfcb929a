/* long: the benchmark guest, about 3*10^7 instructions per round (rounds = u32 LE from the
 * public input, default 1). Each round mixes the main kinds of work: a sieve of Eratosthenes
 * (byte stores, branches), an integer matrix product (loads, mul), and a xorshift/multiply hash
 * chain (ALU). Commits one checksum per round. */
#include <stdint.h>
#include <stdio.h>

#include "zkvm.h"

#define SIEVE 300000
#define M 64
static uint8_t composite[SIEVE];
static int32_t A[M][M], B[M][M], C[M][M];

static uint32_t sieve(void) {
  for (int i = 0; i < SIEVE; i++) composite[i] = 0;
  uint32_t count = 0;
  for (int i = 2; i < SIEVE; i++) {
    if (composite[i]) continue;
    count++;
    for (int j = 2 * i; j < SIEVE; j += i) composite[j] = 1;
  }
  return count;
}

static uint32_t matmul(uint32_t seed) {
  uint32_t x = seed | 1;
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      A[i][j] = (int32_t)(x & 0xffff) - 0x8000;
      B[j][i] = (int32_t)(x >> 16) - 0x8000;
    }
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) {
      int32_t s = 0;
      for (int k = 0; k < M; k++) s += A[i][k] * B[k][j];
      C[i][j] = s;
    }
  uint32_t h = 0;
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) h = h * 31 + (uint32_t)C[i][j];
  return h;
}

static uint32_t chain(uint32_t x, int n) {
  for (int i = 0; i < n; i++) {
    x ^= x << 7;
    x ^= x >> 9;
    x = x * 0x9e3779b1u + (uint32_t)i;
  }
  return x;
}

int main(void) {
  uint32_t rounds = 1;
  uint8_t in[4];
  if (zkvm_read_public(in, 4) == 4) rounds = in[0] | (in[1] << 8) | (in[2] << 16) | ((uint32_t)in[3] << 24);
  for (uint32_t r = 0; r < rounds; r++) {
    uint32_t primes = sieve();
    uint32_t m = matmul(r + 1);
    uint32_t c = chain(primes ^ m, 1000000);
    uint32_t out = primes ^ m ^ c;
    zkvm_commit(&out, 4);
    printf("round %lu: %lu primes, checksum %08lx\n", (unsigned long)r, (unsigned long)primes, (unsigned long)out);
  }
  return 0;
}
