/* sort: generates n pseudo-random u32 (xorshift32 from a seed; n and seed are u32 LE in the
 * public input, defaults 2000 and 1), sorts them (quicksort, insertion sort below 16), checks
 * the order and commits n, min, max and a position-weighted checksum. Exit code 1 if the result
 * is not sorted. */
#include <stdint.h>
#include <stdio.h>

#include "zkvm.h"

#define MAX_N 100000
static uint32_t data[MAX_N];

static void insertion(uint32_t *a, int lo, int hi) {
  for (int i = lo + 1; i <= hi; i++) {
    uint32_t v = a[i];
    int j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static void quicksort(uint32_t *a, int lo, int hi) {
  while (hi - lo > 16) {
    uint32_t pivot = a[lo + (hi - lo) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        uint32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    /* Recurse into the smaller half, loop on the larger: stack depth O(log n). */
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
  insertion(a, lo, hi);
}

static uint32_t read_u32(uint32_t dflt) {
  uint8_t b[4];
  if (zkvm_read_public(b, 4) != 4) return dflt;
  return b[0] | (b[1] << 8) | (b[2] << 16) | ((uint32_t)b[3] << 24);
}

int main(void) {
  uint32_t n = read_u32(2000);
  uint32_t x = read_u32(1);
  if (n > MAX_N) n = MAX_N;
  if (x == 0) x = 1;
  for (uint32_t i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    data[i] = x;
  }
  if (n > 0) quicksort(data, 0, (int)n - 1);
  int sorted = 1;
  uint32_t sum = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (i > 0 && data[i - 1] > data[i]) sorted = 0;
    sum = sum * 31 + data[i] * (i + 1);
  }
  uint32_t out[4] = {n, n ? data[0] : 0, n ? data[n - 1] : 0, sum};
  zkvm_commit(out, sizeof out);
  printf("sorted %lu values: %s, checksum %08lx\n", (unsigned long)n, sorted ? "ok" : "NOT SORTED",
         (unsigned long)sum);
  return sorted ? 0 : 1;
}
