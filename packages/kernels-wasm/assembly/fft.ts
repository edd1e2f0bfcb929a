import { addV, mulV, P, reduceV, subV } from './m31';

/*
 * Circle FFT butterflies over one column in linear memory: the same layers, in the same order,
 * with the same twiddles as @nexus/field's butterflies.ts (so the results are equal, element
 * for element). `a` is the column's byte address; `tw` the byte address of a table of u32
 * byte addresses, one per layer, each pointing at that layer's twiddles (one per block).
 *
 * Cache blocking: the layers of distance h < 2^BLOCK_LOG only mix elements inside aligned
 * blocks of 2^BLOCK_LOG, so they run block by block (each block stays in L1) instead of one
 * sweep of the whole column per layer; the wider layers sweep the column.
 */

const BLOCK_LOG: u32 = 12; // 16 KiB of u32: fits L1 with the twiddles

// @ts-expect-error: decorator
@inline
function twiddles(tw: usize, layer: u32): usize {
  return <usize>load<u32>(tw + ((<usize>layer) << 2));
}

/** Inverse butterflies (v0, v1) -> (v0 + v1, (v0 - v1)·t) of one layer over [start, end). */
function inverseLayer(a: usize, start: u32, end: u32, layer: u32, tw: usize): void {
  const t = twiddles(tw, layer);
  if (layer >= 2) {
    const h: u32 = 1 << layer;
    const hb = (<usize>h) << 2;
    for (let base = start; base < end; base += 2 * h) {
      const w = i32x4.splat(load<u32>(t + ((<usize>(base >> (layer + 1))) << 2)));
      let p = a + ((<usize>base) << 2);
      const stop = p + hb;
      for (; p < stop; p += 16) {
        const v0 = v128.load(p);
        const v1 = v128.load(p + hb);
        v128.store(p, addV(v0, v1));
        v128.store(p + hb, mulV(subV(v0, v1), w));
      }
    }
  } else if (layer === 1) {
    // pairs (0,2), (1,3) of each block of 4: two blocks per step, regrouped by shuffles
    for (let i = start; i < end; i += 8) {
      const p = a + ((<usize>i) << 2);
      const x = v128.load(p);
      const y = v128.load(p + 16);
      const v0 = i8x16.shuffle(x, y, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
      const v1 = i8x16.shuffle(x, y, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
      const b = t + ((<usize>(i >> 2)) << 2);
      const w = i32x4.shuffle(i32x4.splat(load<u32>(b)), i32x4.splat(load<u32>(b + 4)), 0, 0, 4, 4);
      const s = addV(v0, v1);
      const d = mulV(subV(v0, v1), w);
      v128.store(p, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
      v128.store(p + 16, i8x16.shuffle(s, d, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31));
    }
  } else {
    // pairs (0,1), (2,3), ...: four pairs per step, one twiddle each
    for (let i = start; i < end; i += 8) {
      const p = a + ((<usize>i) << 2);
      const x = v128.load(p);
      const y = v128.load(p + 16);
      const v0 = i32x4.shuffle(x, y, 0, 2, 4, 6);
      const v1 = i32x4.shuffle(x, y, 1, 3, 5, 7);
      const w = v128.load(t + ((<usize>(i >> 1)) << 2));
      const s = addV(v0, v1);
      const d = mulV(subV(v0, v1), w);
      v128.store(p, i32x4.shuffle(s, d, 0, 4, 1, 5));
      v128.store(p + 16, i32x4.shuffle(s, d, 2, 6, 3, 7));
    }
  }
}

/** Forward butterflies (v0, v1) -> (v0 + t·v1, v0 - t·v1) of one layer over [start, end). */
function forwardLayer(a: usize, start: u32, end: u32, layer: u32, tw: usize): void {
  const t = twiddles(tw, layer);
  if (layer >= 2) {
    const h: u32 = 1 << layer;
    const hb = (<usize>h) << 2;
    for (let base = start; base < end; base += 2 * h) {
      const w = i32x4.splat(load<u32>(t + ((<usize>(base >> (layer + 1))) << 2)));
      let p = a + ((<usize>base) << 2);
      const stop = p + hb;
      for (; p < stop; p += 16) {
        const v0 = v128.load(p);
        const m = mulV(v128.load(p + hb), w);
        v128.store(p, addV(v0, m));
        v128.store(p + hb, subV(v0, m));
      }
    }
  } else if (layer === 1) {
    for (let i = start; i < end; i += 8) {
      const p = a + ((<usize>i) << 2);
      const x = v128.load(p);
      const y = v128.load(p + 16);
      const v0 = i8x16.shuffle(x, y, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
      const v1 = i8x16.shuffle(x, y, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
      const b = t + ((<usize>(i >> 2)) << 2);
      const w = i32x4.shuffle(i32x4.splat(load<u32>(b)), i32x4.splat(load<u32>(b + 4)), 0, 0, 4, 4);
      const m = mulV(v1, w);
      const s = addV(v0, m);
      const d = subV(v0, m);
      v128.store(p, i8x16.shuffle(s, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
      v128.store(p + 16, i8x16.shuffle(s, d, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31));
    }
  } else {
    for (let i = start; i < end; i += 8) {
      const p = a + ((<usize>i) << 2);
      const x = v128.load(p);
      const y = v128.load(p + 16);
      const v0 = i32x4.shuffle(x, y, 0, 2, 4, 6);
      const v1 = i32x4.shuffle(x, y, 1, 3, 5, 7);
      const w = v128.load(t + ((<usize>(i >> 1)) << 2));
      const m = mulV(v1, w);
      const s = addV(v0, m);
      const d = subV(v0, m);
      v128.store(p, i32x4.shuffle(s, d, 0, 4, 1, 5));
      v128.store(p + 16, i32x4.shuffle(s, d, 2, 6, 3, 7));
    }
  }
}

/**
 * Runs inverse layers 0 .. layers-1 over a column of 2^logSize elements (logSize >= 3: the
 * narrow layers read 8 elements per step; smaller columns stay on the TypeScript path).
 */
export function inverseLayers(a: usize, logSize: u32, layers: u32, tw: usize): void {
  const n: u32 = 1 << logSize;
  const blocked = min(layers, BLOCK_LOG);
  const block: u32 = 1 << min(BLOCK_LOG, logSize);
  for (let start: u32 = 0; start < n; start += block) {
    for (let l: u32 = 0; l < blocked; l++) inverseLayer(a, start, start + block, l, tw);
  }
  for (let l = blocked; l < layers; l++) inverseLayer(a, 0, n, l, tw);
}

/** Runs forward layers layers-1 .. 0 over a column of 2^logSize elements (logSize >= 3). */
export function forwardLayers(a: usize, logSize: u32, layers: u32, tw: usize): void {
  const n: u32 = 1 << logSize;
  const blocked = min(layers, BLOCK_LOG);
  for (let l = layers; l > blocked; l--) forwardLayer(a, 0, n, l - 1, tw);
  const block: u32 = 1 << min(BLOCK_LOG, logSize);
  for (let start: u32 = 0; start < n; start += block) {
    for (let l = blocked; l > 0; l--) forwardLayer(a, start, start + block, l - 1, tw);
  }
}

/**
 * v·2^-logSize for every element: a rotation by 31 - logSize bits, because 2^31 = 1 (mod p).
 * The interpolation's division by N. n must be a multiple of 4.
 */
export function scaleByInversePow2(a: usize, n: u32, logSize: u32): void {
  const k = 31 - logSize;
  const mask = i32x4.splat(P);
  const end = a + ((<usize>n) << 2);
  for (let p = a; p < end; p += 16) {
    const v = v128.load(p);
    const r = i32x4.add(v128.and(i32x4.shl(v, k), mask), i32x4.shr_u(v, logSize));
    v128.store(p, reduceV(r));
  }
}

/** Fills [a + len, a + total) with copies of [a, a + len): the LDE's repeated coefficients. */
export function repeat(a: usize, len: u32, total: u32): void {
  const bytes = (<usize>len) << 2;
  const end = a + ((<usize>total) << 2);
  for (let p = a + bytes; p < end; p += bytes) memory.copy(p, a, bytes);
}

/**
 * Moves a column from trace row order (canonic-coset rows, at `src`) to bit-reversed storage
 * order (at `dst`): row j goes to bitrev(j/2) for even j and bitrev(N - (j+1)/2) for odd j,
 * @nexus/field's rowToStoragePermutation (domain.ts). logSize >= 1.
 */
export function rowsToStorage(src: usize, dst: usize, logSize: u32): void {
  const n: u32 = 1 << logSize;
  const shift: u32 = 32 - logSize;
  for (let j: u32 = 0; j < n; j++) {
    const d: u32 = (j & 1) === 0 ? j >> 1 : n - ((j + 1) >> 1);
    let x = d;
    x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
    x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
    x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
    x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
    x = (x >>> 16) | (x << 16);
    const s = x >>> shift;
    store<u32>(dst + ((<usize>s) << 2), load<u32>(src + ((<usize>j) << 2)));
  }
}

/** x with its lowest `bits` bits reversed (1 <= bits <= 32). */
// @ts-expect-error: decorator
@inline
function reverseBits(x: u32, bits: u32): u32 {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  x = (x >>> 16) | (x << 16);
  return x >>> (32 - bits);
}

/**
 * @nexus/field's shiftStoragePositions into `out` (2^domainLog i32s): for each storage position
 * s < 2^domainLog of the canonic domain of log size ldeLog >= 1, the storage position of the row
 * `shift` rows later. Storage position s is domain index d = reverse(s); its row is 2d for
 * d < N/2, else 2(N - d) - 1 (rowsToStorage's map, inverted). Returns -1, or the first s whose
 * target lies at or past 2^domainLog (the caller throws).
 */
export function shiftStoragePositions(out: usize, domainLog: u32, ldeLog: u32, shift: u32): i32 {
  const N: u32 = 1 << ldeLog;
  const n: u32 = 1 << domainLog;
  const half = N >> 1;
  for (let s: u32 = 0; s < n; s++) {
    const d = reverseBits(s, ldeLog);
    const j = d < half ? d << 1 : ((N - d) << 1) - 1;
    const k = (j + shift) & (N - 1);
    const e = (k & 1) === 0 ? k >> 1 : N - ((k + 1) >> 1);
    const t = reverseBits(e, ldeLog);
    if (t >= n) return <i32>s;
    store<u32>(out + ((<usize>s) << 2), t);
  }
  return -1;
}
