/* mext: every M-extension instruction on every pair of edge values (0, +-1, +-2, INT_MIN,
 * INT_MAX, ...), division by zero and INT_MIN / -1 included. Inline assembly so the compiler
 * cannot fold or replace the instructions. Commits all results as u32 little-endian, in the order
 * (a, b) over EDGE x EDGE, then mul, mulh, mulhsu, mulhu, div, divu, rem, remu. */
#include <stdint.h>

#include "zkvm.h"

static const uint32_t EDGE[] = {
    0,          1,          0xffffffff, 2,          0xfffffffe, 0x80000000, 0x7fffffff, 0x80000001,
    0x12345678, 0xdeadbeef, 3,          7,          0xffff,     0x10000,    0xfffffff9,
};
#define N (sizeof EDGE / sizeof EDGE[0])

#define OP(name, a, b)                                              \
  ({                                                                \
    uint32_t r_;                                                    \
    __asm__ volatile(#name " %0, %1, %2" : "=r"(r_) : "r"(a), "r"(b)); \
    r_;                                                             \
  })

int main(void) {
  static uint32_t out[N * N * 8];
  int k = 0;
  for (unsigned i = 0; i < N; i++) {
    for (unsigned j = 0; j < N; j++) {
      uint32_t a = EDGE[i], b = EDGE[j];
      out[k++] = OP(mul, a, b);
      out[k++] = OP(mulh, a, b);
      out[k++] = OP(mulhsu, a, b);
      out[k++] = OP(mulhu, a, b);
      out[k++] = OP(div, a, b);
      out[k++] = OP(divu, a, b);
      out[k++] = OP(rem, a, b);
      out[k++] = OP(remu, a, b);
    }
  }
  zkvm_commit(out, sizeof out);
  /* The two cases the spec singles out, as the exit code: 0 when both hold. */
  int32_t min = (int32_t)0x80000000, m1 = -1, zero = 0, seven = 7;
  int bad = 0;
  if ((int32_t)OP(div, min, m1) != min || OP(rem, min, m1) != 0) bad |= 1;
  if ((int32_t)OP(div, seven, zero) != -1 || OP(divu, seven, zero) != 0xffffffff ||
      OP(rem, seven, zero) != 7 || OP(remu, seven, zero) != 7)
    bad |= 2;
  return bad;
}
