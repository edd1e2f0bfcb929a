/* The guest of {{name}}: reads x and y (public input, u32 little-endian each), commits x + y
 * computed by the precompile (u32 little-endian). Build it with guest/build.sh. */
#include <stdint.h>
#include <stdio.h>

#include "precompile.h"
#include "zkvm.h"

int main(void) {
  uint32_t xy[2] = {0, 0};
  zkvm_read_public(xy, sizeof xy);
  uint32_t sum = nexus_precompile_add(xy[0], xy[1]);
  zkvm_commit(&sum, sizeof sum);
  printf("%lu + %lu = %lu\n", (unsigned long)xy[0], (unsigned long)xy[1], (unsigned long)sum);
  return 0;
}
