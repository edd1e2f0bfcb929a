import { compress4 } from './blake2s-compress';

/*
 * One layer of a Blake2s Merkle tree, four nodes at a time (one per v128 lane): the same
 * messages and digests as @nexus/hash-blake2s's merkleLayer. Node j's message is its two
 * children's digests (16 words, inner layers only) followed by the values of the layer's
 * columns at row j; it is hashed as Blake2s-256 with a personalized initial chaining value.
 */

/** Writes the 4x4 transpose of rows a, b, c, d at dst, dst + stride, ... */
// @ts-ignore: decorator
@inline
function transposeStore(a: v128, b: v128, c: v128, d: v128, dst: usize, stride: usize): void {
  const t0 = i32x4.shuffle(a, b, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(c, d, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(c, d, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

/**
 * Hashes nodes [0, count) (count a multiple of 4). `children`: 16 words per node, or 0 for
 * leaves; `cols`: nCols column addresses (row j at col + 4j); `iv`: the 8-word initial
 * chaining value; `out`: 8 words per node; `work`: 384 bytes of scratch.
 */
export function blake2sLayer(
  count: u32,
  children: usize,
  cols: usize,
  nCols: u32,
  iv: usize,
  out: usize,
  work: usize,
): void {
  const m = work; // 16 message vectors
  const h = work + 256; // 8 chaining-value vectors
  const head: u32 = children !== 0 ? 16 : 0;
  const words = head + nCols;
  const blocks: u32 = words === 0 ? 1 : (words + 15) >> 4;
  const total = words << 2;
  for (let j: u32 = 0; j < count; j += 4) {
    for (let k: usize = 0; k < 8; k++) v128.store(h + 16 * k, i32x4.splat(load<u32>(iv + 4 * k)));
    let w: u32 = 0;
    for (let b: u32 = 0; b < blocks; b++) {
      if (w < head) {
        // the children of nodes j..j+3, word by word across the four lanes
        const c = children + ((<usize>j) << 6);
        for (let k: usize = 0; k < 16; k += 4) {
          transposeStore(
            v128.load(c + 4 * k),
            v128.load(c + 64 + 4 * k),
            v128.load(c + 128 + 4 * k),
            v128.load(c + 192 + 4 * k),
            m + 16 * k,
            16,
          );
        }
        w = 16;
      } else {
        for (let k: usize = 0; k < 16; k++, w++) {
          const c = w - head;
          const v =
            c < nCols
              ? v128.load(<usize>load<u32>(cols + ((<usize>c) << 2)) + ((<usize>j) << 2))
              : i32x4.splat(0);
          v128.store(m + 16 * k, v);
        }
      }
      const last = b + 1 === blocks;
      compress4(h, m, last ? total : (b + 1) << 6, last);
    }
    const o = out + ((<usize>j) << 5);
    transposeStore(v128.load(h), v128.load(h + 16), v128.load(h + 32), v128.load(h + 48), o, 32);
    transposeStore(
      v128.load(h + 64),
      v128.load(h + 80),
      v128.load(h + 96),
      v128.load(h + 112),
      o + 16,
      32,
    );
  }
}

/**
 * Blake2s of one message of `len` bytes at `data` (zero-padded by the caller to whole 64-byte
 * blocks) from the chaining value `iv`, digest (8 words) to `out`; `work`: 384 bytes of
 * scratch. A sequential hash has one lane of work: every lane computes it (the message words
 * splatted), lane 0 is stored. It runs as compiled code from the first call, where the
 * JavaScript compression runs interpreted until V8 optimises it (the system digest hashes
 * ~0.3 MB once per process: 25-60 ms cold in JavaScript).
 */
export function blake2sBytes(data: usize, len: u32, iv: usize, out: usize, work: usize): void {
  const m = work;
  const h = work + 256;
  for (let k: usize = 0; k < 8; k++) v128.store(h + 16 * k, i32x4.splat(load<u32>(iv + 4 * k)));
  // Every block but the last is full; the last holds 1..64 bytes (none for an empty message).
  const blocks: u32 = len === 0 ? 1 : (len + 63) >> 6;
  for (let b: u32 = 0; b < blocks; b++) {
    const block = data + ((<usize>b) << 6);
    for (let k: usize = 0; k < 16; k++) v128.store(m + 16 * k, i32x4.splat(load<u32>(block + 4 * k)));
    const last = b + 1 === blocks;
    compress4(h, m, last ? len : (b + 1) << 6, last);
  }
  for (let k: usize = 0; k < 8; k++) store<u32>(out + 4 * k, i32x4.extract_lane(v128.load(h + 16 * k), 0));
}

/**
 * Proof of work: the first nonce n in [start, start + limit) whose Blake2s-256 of the 40-byte
 * message seed (8 words at `seed`) || n (8 little-endian bytes), from the chaining value `iv`,
 * has a first word with `bits` trailing zeros; -1 if none. Four consecutive nonces per step,
 * one per lane, checked in order, so the nonce is the one a one-by-one search finds.
 * `work`: 384 bytes of scratch. Nonces travel as f64 (integers below 2^53), not as i64,
 * which JavaScript would see as BigInt.
 */
export function blake2sGrind(
  seed: usize,
  bits: u32,
  from: f64,
  count: f64,
  iv: usize,
  work: usize,
): f64 {
  const start = <u64>from;
  const m = work;
  const h = work + 256;
  for (let k: usize = 0; k < 8; k++) v128.store(m + 16 * k, i32x4.splat(load<u32>(seed + 4 * k)));
  for (let k: usize = 10; k < 16; k++) v128.store(m + 16 * k, i32x4.splat(0));
  const mask: u32 = bits >= 32 ? 0xffffffff : (<u32>1 << bits) - 1;
  const end = start + <u64>count;
  for (let n = start; n < end; n += 4) {
    // lanes n, n + 1, n + 2, n + 3 (the high word may differ between lanes at a 2^32 edge)
    v128.store(m + 128, i32x4(<i32>n, <i32>(n + 1), <i32>(n + 2), <i32>(n + 3)));
    v128.store(
      m + 144,
      i32x4(<i32>(n >> 32), <i32>((n + 1) >> 32), <i32>((n + 2) >> 32), <i32>((n + 3) >> 32)),
    );
    for (let k: usize = 0; k < 8; k++) v128.store(h + 16 * k, i32x4.splat(load<u32>(iv + 4 * k)));
    compress4(h, m, 40, true);
    const first = v128.and(v128.load(h), i32x4.splat(mask));
    if (!i32x4.all_true(first)) {
      for (let lane: u64 = 0; lane < 4; lane++) {
        if (n + lane < end && load<u32>(h + <usize>(4 * lane)) & mask) continue;
        if (n + lane < end) return <f64>(n + lane);
      }
    }
  }
  return -1;
}
