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
