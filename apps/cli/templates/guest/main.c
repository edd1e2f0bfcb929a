/*
 * {{name}}: a guest program for the Nexus zkVM.
 *
 * It proves knowledge of a secret without revealing it: the public input holds y, the private
 * input holds x (both u32, little-endian), and the guest commits "I know a square root of y"
 * only when x * x == y. The proof shows the output came from this program on this public input;
 * x stays with the prover (the private input is not part of the proof).
 *
 * The runtime (runtime/zkvm.h) gives you:
 *   zkvm_read_public / zkvm_read_private   read the input tapes
 *   zkvm_commit                            append bytes to the public output (proven)
 *   zkvm_log, printf, puts                 the debug log (shown by nexus, not proven)
 *   zkvm_exit, or return from main         the exit code (proven)
 */
#include <stdint.h>
#include <stdio.h>

#include "zkvm.h"

/* Reads a little-endian u32 from an input tape; `fallback` when the tape has fewer bytes. */
static uint32_t read_u32(size_t (*read)(void *, size_t), uint32_t fallback) {
  uint8_t b[4];
  if (read(b, 4) != 4) return fallback;
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int main(void) {
  uint32_t y = read_u32(zkvm_read_public, 0);
  uint32_t x = read_u32(zkvm_read_private, 0);
  /* 64-bit product: x * x must not wrap around to y. */
  int ok = (uint64_t)x * x == y;

  char message[64];
  int n = snprintf(message, sizeof message, "%s a square root of %lu\n",
                   ok ? "I know" : "I do not know", (unsigned long)y);
  zkvm_commit(message, (size_t)n);
  printf("checked a secret against y = %lu\n", (unsigned long)y);
  return ok ? 0 : 1;
}
