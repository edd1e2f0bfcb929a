/* primes: how many primes lie below n (public input, u32 little-endian; 1000 when absent)?
 * A sieve of Eratosthenes over a bitmap, then nexus_popcount over the bitmap: the popcount256
 * precompile (syscall 0x1800) for each 256 bits, the software routine for the tail. On qemu the
 * call answers -ENOSYS and the header's fallback runs, with the same count.
 *
 *   public output: the count, u32 little-endian; exit code 0 (2 when n is too large).
 */
#include <stdint.h>
#include <stdio.h>

#include "nexus_popcount.h"
#include "zkvm.h"

#define MAX_N 65536u

static uint32_t sieve[MAX_N / 32];

int main(void) {
  uint32_t n = 1000;
  if (zkvm_read_public(&n, sizeof n) != sizeof n) n = 1000;
  if (n > MAX_N) {
    printf("n = %lu is above %u\n", (unsigned long)n, MAX_N);
    return 2;
  }
  uint32_t words = (n + 31) / 32;
  for (uint32_t w = 0; w < words; w++) sieve[w] = 0xffffffffu;
  /* Bits at n and above (in the last word) and the non-primes 0 and 1 are cleared. */
  if (n % 32 != 0) sieve[words - 1] &= (1u << (n % 32)) - 1;
  for (uint32_t k = 0; k < 2 && k < n; k++) sieve[0] &= ~(1u << k);
  for (uint32_t i = 2; i * i < n; i++) {
    if (!(sieve[i / 32] >> (i % 32) & 1)) continue;
    for (uint32_t j = i * i; j < n; j += i) sieve[j / 32] &= ~(1u << (j % 32));
  }
  uint32_t primes = nexus_popcount(sieve, words);
  zkvm_commit(&primes, sizeof primes);
  printf("%lu primes below %lu\n", (unsigned long)primes, (unsigned long)n);
  return 0;
}
