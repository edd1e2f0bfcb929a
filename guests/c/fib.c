/* fib: reads n (u32 little-endian) from the public input (default 50), commits fib(n) mod 2^64
 * as 8 little-endian bytes, logs it. Exercises 64-bit arithmetic on a 32-bit machine (carries
 * through sltu) and a tight loop. */
#include <stdint.h>
#include <stdio.h>

#include "zkvm.h"

int main(void) {
  uint32_t n = 50;
  uint8_t in[4];
  if (zkvm_read_public(in, 4) == 4) n = in[0] | (in[1] << 8) | (in[2] << 16) | ((uint32_t)in[3] << 24);
  uint64_t a = 0, b = 1;
  for (uint32_t i = 0; i < n; i++) {
    uint64_t t = a + b;
    a = b;
    b = t;
  }
  uint8_t out[8];
  for (int i = 0; i < 8; i++) out[i] = (uint8_t)(a >> (8 * i));
  zkvm_commit(out, 8);
  printf("fib(%lu) mod 2^64 = %llu\n", (unsigned long)n, (unsigned long long)a);
  return 0;
}
