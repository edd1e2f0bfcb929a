/* factorial: n! for n from the public input (u32 LE, default 100) with a bignum in base 10^9,
 * committed as its decimal digits (ASCII) and logged. Exercises mulhu/divu/remu via 64-bit
 * arithmetic; the digit buffer comes from malloc (the runtime's heap). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "zkvm.h"

#define BASE 1000000000u
#define MAX_LIMBS 4096 /* 36,864 digits: enough for 10000! (35,660 digits) */
static uint32_t limb[MAX_LIMBS];

int main(void) {
  uint32_t n = 100;
  uint8_t in[4];
  if (zkvm_read_public(in, 4) == 4) n = in[0] | (in[1] << 8) | (in[2] << 16) | ((uint32_t)in[3] << 24);
  int len = 1;
  limb[0] = 1;
  for (uint32_t k = 2; k <= n; k++) {
    uint32_t carry = 0;
    for (int i = 0; i < len; i++) {
      uint64_t v = (uint64_t)limb[i] * k + carry;
      limb[i] = (uint32_t)(v % BASE);
      carry = (uint32_t)(v / BASE);
    }
    while (carry != 0) {
      if (len == MAX_LIMBS) {
        zkvm_log_str("factorial: too many digits\n");
        return 2;
      }
      limb[len++] = carry % BASE;
      carry /= BASE;
    }
  }
  /* Most significant limb without leading zeros, the others with exactly 9 digits. */
  char *digits = malloc((size_t)len * 9 + 1);
  if (digits == NULL) {
    zkvm_log_str("factorial: out of memory\n");
    return 3;
  }
  int pos = 0;
  uint32_t top = limb[len - 1];
  char tmp[10];
  int t = 0;
  do {
    tmp[t++] = (char)('0' + top % 10);
    top /= 10;
  } while (top != 0);
  while (t > 0) digits[pos++] = tmp[--t];
  for (int i = len - 2; i >= 0; i--) {
    uint32_t v = limb[i];
    for (int d = 8; d >= 0; d--) {
      digits[pos + d] = (char)('0' + v % 10);
      v /= 10;
    }
    pos += 9;
  }
  zkvm_commit(digits, (size_t)pos);
  printf("%lu! has %d digits\n", (unsigned long)n, pos);
  return 0;
}
