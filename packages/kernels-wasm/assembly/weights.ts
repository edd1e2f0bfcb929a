import { add, mul, sub } from './m31';
import { mulQ } from './qm31';

/*
 * The circle FFT basis weights at a point (@nexus/field's evalWeights): w_0 = 1 and, level k
 * by level, w_{i + 2^k} = w_i·f_k for i < 2^k, a QM31 column by coordinates (coordinate c
 * at w + 4·n·c). Canonical products, so the same values as the TypeScript.
 */

/** w (n = 2^logSize rows) from the logSize factors f_k at `factors` (4 u32 each). */
export function qm31Weights(w: usize, logSize: u32, factors: usize): void {
  const n: usize = (<usize>1) << logSize;
  const s = n << 2; // bytes per coordinate
  store<u32>(w, 1);
  store<u32>(w + s, 0);
  store<u32>(w + 2 * s, 0);
  store<u32>(w + 3 * s, 0);
  for (let k: u32 = 0; k < logSize; k++) {
    const half: usize = (<usize>1) << k;
    const f = factors + ((<usize>k) << 4);
    const f0 = load<u32>(f);
    const f1 = load<u32>(f + 4);
    const f2 = load<u32>(f + 8);
    const f3 = load<u32>(f + 12);
    if (half < 4) {
      for (let i: usize = 0; i < half; i++) {
        const p = w + (i << 2);
        const x0 = load<u32>(p);
        const x1 = load<u32>(p + s);
        const x2 = load<u32>(p + 2 * s);
        const x3 = load<u32>(p + 3 * s);
        // (x0 + x1 i + (x2 + x3 i) u)(f0 + f1 i + (f2 + f3 i) u), u^2 = 2 + i
        const ac0 = sub(mul(x0, f0), mul(x1, f1));
        const ac1 = add(mul(x0, f1), mul(x1, f0));
        const bd0 = sub(mul(x2, f2), mul(x3, f3));
        const bd1 = add(mul(x2, f3), mul(x3, f2));
        const ad0 = sub(mul(x0, f2), mul(x1, f3));
        const ad1 = add(mul(x0, f3), mul(x1, f2));
        const bc0 = sub(mul(x2, f0), mul(x3, f1));
        const bc1 = add(mul(x2, f1), mul(x3, f0));
        const q = p + (half << 2);
        store<u32>(q, sub(add(ac0, add(bd0, bd0)), bd1));
        store<u32>(q + s, add(add(ac1, bd0), add(bd1, bd1)));
        store<u32>(q + 2 * s, add(ad0, bc0));
        store<u32>(q + 3 * s, add(ad1, bc1));
      }
      continue;
    }
    const y0 = i32x4.splat(f0);
    const y1 = i32x4.splat(f1);
    const y2 = i32x4.splat(f2);
    const y3 = i32x4.splat(f3);
    const bytes = half << 2;
    for (let o: usize = 0; o < bytes; o += 16) {
      const p = w + o;
      mulQ(
        v128.load(p), v128.load(p + s), v128.load(p + 2 * s), v128.load(p + 3 * s),
        y0, y1, y2, y3,
        p + bytes, s,
      );
    }
  }
}
