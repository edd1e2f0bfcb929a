import { add, addV, mulV, subV } from './m31';

/*
 * QM31 column kernels. A QM31 column is stored "by coordinates" (as in @nexus/field's
 * qm31-column.ts): four M31 columns of n elements, here laid out back to back at one byte
 * address, coordinate c at a + 4·n·c. Four rows per step, one v128 per coordinate.
 *
 * QM31 = CM31[u]/(u^2 - 2 - i), CM31 = M31[i]/(i^2 + 1); x = (x0 + x1·i) + (x2 + x3·i)·u.
 */

// (x0 + x1 i + (x2 + x3 i) u)(y0 + y1 i + (y2 + y3 i) u): the 16-product schoolbook form of
// field's qm31MulInto, each product reduced, the sums taken mod p. Results are canonical, so
// they equal the TypeScript ones exactly whatever the order of the additions.
// @ts-expect-error: decorator
@inline
export function mulQ(
  x0: v128, x1: v128, x2: v128, x3: v128,
  y0: v128, y1: v128, y2: v128, y3: v128,
  out: usize, stride: usize,
): void {
  const ac0 = subV(mulV(x0, y0), mulV(x1, y1));
  const ac1 = addV(mulV(x0, y1), mulV(x1, y0));
  const bd0 = subV(mulV(x2, y2), mulV(x3, y3));
  const bd1 = addV(mulV(x2, y3), mulV(x3, y2));
  const ad0 = subV(mulV(x0, y2), mulV(x1, y3));
  const ad1 = addV(mulV(x0, y3), mulV(x1, y2));
  const bc0 = subV(mulV(x2, y0), mulV(x3, y1));
  const bc1 = addV(mulV(x2, y1), mulV(x3, y0));
  // ac + (2 + i)·bd + (ad + bc)·u
  v128.store(out, subV(addV(ac0, addV(bd0, bd0)), bd1));
  v128.store(out + stride, addV(addV(ac1, bd0), addV(bd1, bd1)));
  v128.store(out + 2 * stride, addV(ad0, bc0));
  v128.store(out + 3 * stride, addV(ad1, bc1));
}

/** out = a ⊙ b row by row; out may be a or b. n a multiple of 4. */
export function qm31Mul(a: usize, b: usize, out: usize, n: u32): void {
  const s = (<usize>n) << 2;
  for (let o: usize = 0; o < s; o += 16) {
    const pa = a + o;
    const pb = b + o;
    mulQ(
      v128.load(pa), v128.load(pa + s), v128.load(pa + 2 * s), v128.load(pa + 3 * s),
      v128.load(pb), v128.load(pb + s), v128.load(pb + 2 * s), v128.load(pb + 3 * s),
      out + o, s,
    );
  }
}

/** out = a ⊙ m for a base-field column m row by row; out may be a. n a multiple of 4. */
export function qm31MulM31(a: usize, m: usize, out: usize, n: u32): void {
  const s = (<usize>n) << 2;
  for (let o: usize = 0; o < s; o += 16) {
    const w = v128.load(m + o);
    const pa = a + o;
    const po = out + o;
    v128.store(po, mulV(v128.load(pa), w));
    v128.store(po + s, mulV(v128.load(pa + s), w));
    v128.store(po + 2 * s, mulV(v128.load(pa + 2 * s), w));
    v128.store(po + 3 * s, mulV(v128.load(pa + 3 * s), w));
  }
}

/** acc += k·a row by row, k a QM31 constant (k0..k3). n a multiple of 4. */
export function qm31ScaleAdd(acc: usize, a: usize, n: u32, k0: u32, k1: u32, k2: u32, k3: u32): void {
  const s = (<usize>n) << 2;
  const w0 = i32x4.splat(k0);
  const w1 = i32x4.splat(k1);
  const w2 = i32x4.splat(k2);
  const w3 = i32x4.splat(k3);
  const tmp = memory.data(64, 16);
  for (let o: usize = 0; o < s; o += 16) {
    const pa = a + o;
    mulQ(w0, w1, w2, w3, v128.load(pa), v128.load(pa + s), v128.load(pa + 2 * s), v128.load(pa + 3 * s), tmp, 16);
    const po = acc + o;
    v128.store(po, addV(v128.load(po), v128.load(tmp)));
    v128.store(po + s, addV(v128.load(po + s), v128.load(tmp + 16)));
    v128.store(po + 2 * s, addV(v128.load(po + 2 * s), v128.load(tmp + 32)));
    v128.store(po + 3 * s, addV(v128.load(po + 3 * s), v128.load(tmp + 48)));
  }
}

/**
 * First half of a batch inversion (Montgomery's trick) run as four interleaved chains, one per
 * lane (rows ≡ j mod 4 in lane j), so the products are independent SIMD work:
 * prefix[g] = v[g]·prefix[g-1] lane by lane (QM31), prefix stored at `prefix` (4 coordinate
 * columns of n). Returns -1, or the first row holding 0 (the caller reports it).
 * The four lane totals (the last group of prefix) are inverted by the caller.
 */
export function qm31BatchInversePrefix(a: usize, prefix: usize, n: u32): i32 {
  const s = (<usize>n) << 2;
  let p0 = i32x4.splat(1);
  let p1 = i32x4.splat(0);
  let p2 = i32x4.splat(0);
  let p3 = i32x4.splat(0);
  let zero = i32x4.splat(0);
  for (let o: usize = 0; o < s; o += 16) {
    const pa = a + o;
    const v0 = v128.load(pa);
    const v1 = v128.load(pa + s);
    const v2 = v128.load(pa + 2 * s);
    const v3 = v128.load(pa + 3 * s);
    zero = v128.or(zero, i32x4.eq(v128.or(v128.or(v0, v1), v128.or(v2, v3)), i32x4.splat(0)));
    mulQ(p0, p1, p2, p3, v0, v1, v2, v3, prefix + o, s);
    p0 = v128.load(prefix + o);
    p1 = v128.load(prefix + o + s);
    p2 = v128.load(prefix + o + 2 * s);
    p3 = v128.load(prefix + o + 3 * s);
  }
  if (!v128.any_true(zero)) return -1;
  for (let i: u32 = 0; i < n; i++) {
    const p = a + ((<usize>i) << 2);
    if ((load<u32>(p) | load<u32>(p + s) | load<u32>(p + 2 * s) | load<u32>(p + 3 * s)) === 0) {
      return <i32>i;
    }
  }
  return -1;
}

/**
 * Second half: given the inverses of the four lane totals at `inv` (4 coordinates x 4 lanes),
 * writes v[i]^-1 into a (in place), walking the groups backwards.
 */
export function qm31BatchInverseFinish(a: usize, prefix: usize, n: u32, inv: usize): void {
  const s = (<usize>n) << 2;
  const tmp = memory.data(64, 16);
  let i0 = v128.load(inv);
  let i1 = v128.load(inv + 16);
  let i2 = v128.load(inv + 32);
  let i3 = v128.load(inv + 48);
  for (let o: usize = s - 16; o > 0; o -= 16) {
    const pa = a + o;
    const v0 = v128.load(pa);
    const v1 = v128.load(pa + s);
    const v2 = v128.load(pa + 2 * s);
    const v3 = v128.load(pa + 3 * s);
    // v[g]^-1 = prefix[g-1]·(prefix[g])^-1
    const pp = prefix + o - 16;
    mulQ(i0, i1, i2, i3, v128.load(pp), v128.load(pp + s), v128.load(pp + 2 * s), v128.load(pp + 3 * s), pa, s);
    // (prefix[g-1])^-1 = (prefix[g])^-1·v[g]
    mulQ(i0, i1, i2, i3, v0, v1, v2, v3, tmp, 16);
    i0 = v128.load(tmp);
    i1 = v128.load(tmp + 16);
    i2 = v128.load(tmp + 32);
    i3 = v128.load(tmp + 48);
  }
  v128.store(a, i0);
  v128.store(a + s, i1);
  v128.store(a + 2 * s, i2);
  v128.store(a + 3 * s, i3);
}

/**
 * out = c + Σ_i α_i·v_i by coordinates, for base-field columns v_i: out_c[r] = c_c +
 * Σ_i α_i[c]·v_i[r] (with `accumulate`, out += that instead, so long sums run in chunks of
 * columns). `cols` holds the count byte addresses of the v_i, `alphas` 4 u32 per column, `c`
 * 4 u32. The LogUp denominators and the DEEP quotients' column sums are this.
 */
export function qm31LinearCombination(
  out: usize, n: u32, cols: usize, alphas: usize, count: u32, c: usize, accumulate: bool,
): void {
  const s = (<usize>n) << 2;
  const c0 = i32x4.splat(load<u32>(c));
  const c1 = i32x4.splat(load<u32>(c + 4));
  const c2 = i32x4.splat(load<u32>(c + 8));
  const c3 = i32x4.splat(load<u32>(c + 12));
  for (let o: usize = 0; o < s; o += 16) {
    let r0 = c0;
    let r1 = c1;
    let r2 = c2;
    let r3 = c3;
    if (accumulate) {
      r0 = addV(r0, v128.load(out + o));
      r1 = addV(r1, v128.load(out + o + s));
      r2 = addV(r2, v128.load(out + o + 2 * s));
      r3 = addV(r3, v128.load(out + o + 3 * s));
    }
    for (let i: u32 = 0; i < count; i++) {
      const v = v128.load(<usize>load<u32>(cols + ((<usize>i) << 2)) + o);
      const al = alphas + ((<usize>i) << 4);
      r0 = addV(r0, mulV(v, i32x4.splat(load<u32>(al))));
      r1 = addV(r1, mulV(v, i32x4.splat(load<u32>(al + 4))));
      r2 = addV(r2, mulV(v, i32x4.splat(load<u32>(al + 8))));
      r3 = addV(r3, mulV(v, i32x4.splat(load<u32>(al + 12))));
    }
    v128.store(out + o, r0);
    v128.store(out + o + s, r1);
    v128.store(out + o + 2 * s, r2);
    v128.store(out + o + 3 * s, r3);
  }
}

/**
 * Σ_i c_i·w_i for each of `count` base-field columns c (addresses in `cols`) against one QM31
 * column of weights w (n rows, by coordinates): a polynomial's value at the point the weights
 * were made for. Writes 4 u32 per column at `out`. Lanes accumulate mod p; the four lane sums
 * are added at the end.
 */
export function qm31DotWeights(cols: usize, count: u32, w: usize, n: u32, out: usize): void {
  const s = (<usize>n) << 2;
  for (let i: u32 = 0; i < count; i++) {
    const col = <usize>load<u32>(cols + ((<usize>i) << 2));
    let r0 = i32x4.splat(0);
    let r1 = i32x4.splat(0);
    let r2 = i32x4.splat(0);
    let r3 = i32x4.splat(0);
    for (let o: usize = 0; o < s; o += 16) {
      const c = v128.load(col + o);
      const pw = w + o;
      r0 = addV(r0, mulV(c, v128.load(pw)));
      r1 = addV(r1, mulV(c, v128.load(pw + s)));
      r2 = addV(r2, mulV(c, v128.load(pw + 2 * s)));
      r3 = addV(r3, mulV(c, v128.load(pw + 3 * s)));
    }
    const po = out + ((<usize>i) << 4);
    store<u32>(po, sumLanes(r0));
    store<u32>(po + 4, sumLanes(r1));
    store<u32>(po + 8, sumLanes(r2));
    store<u32>(po + 12, sumLanes(r3));
  }
}

// @ts-ignore: decorator
@inline
function sumLanes(v: v128): u32 {
  return add(
    add(i32x4.extract_lane(v, 0), i32x4.extract_lane(v, 1)),
    add(i32x4.extract_lane(v, 2), i32x4.extract_lane(v, 3)),
  );
}

/**
 * out = a ⊙ m + b ⊙ l for QM31 columns a, b and base-field columns m, l (n a multiple of 4):
 * the numerator n0·d1 + n1·d0 of a LogUp batch of two fractions.
 */
export function qm31MulM31Pair(a: usize, m: usize, b: usize, l: usize, out: usize, n: u32): void {
  const s = (<usize>n) << 2;
  for (let o: usize = 0; o < s; o += 16) {
    const x = v128.load(m + o);
    const y = v128.load(l + o);
    const pa = a + o;
    const pb = b + o;
    const po = out + o;
    v128.store(po, addV(mulV(v128.load(pa), x), mulV(v128.load(pb), y)));
    v128.store(po + s, addV(mulV(v128.load(pa + s), x), mulV(v128.load(pb + s), y)));
    v128.store(po + 2 * s, addV(mulV(v128.load(pa + 2 * s), x), mulV(v128.load(pb + 2 * s), y)));
    v128.store(po + 3 * s, addV(mulV(v128.load(pa + 3 * s), x), mulV(v128.load(pb + 3 * s), y)));
  }
}

/** out = a ⊙ b - c row by row (out may be a, b or c). n a multiple of 4. */
export function qm31MulSub(a: usize, b: usize, c: usize, out: usize, n: u32): void {
  const s = (<usize>n) << 2;
  const tmp = memory.data(64, 16);
  for (let o: usize = 0; o < s; o += 16) {
    const pa = a + o;
    const pb = b + o;
    mulQ(
      v128.load(pa), v128.load(pa + s), v128.load(pa + 2 * s), v128.load(pa + 3 * s),
      v128.load(pb), v128.load(pb + s), v128.load(pb + 2 * s), v128.load(pb + 3 * s),
      tmp, 16,
    );
    const pc = c + o;
    const po = out + o;
    v128.store(po, subV(v128.load(tmp), v128.load(pc)));
    v128.store(po + s, subV(v128.load(tmp + 16), v128.load(pc + s)));
    v128.store(po + 2 * s, subV(v128.load(tmp + 32), v128.load(pc + 2 * s)));
    v128.store(po + 3 * s, subV(v128.load(tmp + 48), v128.load(pc + 3 * s)));
  }
}

/** acc += a ⊙ m row by row for a base-field column m. n a multiple of 4. */
export function qm31MulM31Add(acc: usize, a: usize, m: usize, n: u32): void {
  const s = (<usize>n) << 2;
  for (let o: usize = 0; o < s; o += 16) {
    const w = v128.load(m + o);
    const pa = a + o;
    const po = acc + o;
    v128.store(po, addV(v128.load(po), mulV(v128.load(pa), w)));
    v128.store(po + s, addV(v128.load(po + s), mulV(v128.load(pa + s), w)));
    v128.store(po + 2 * s, addV(v128.load(po + 2 * s), mulV(v128.load(pa + 2 * s), w)));
    v128.store(po + 3 * s, addV(v128.load(po + 3 * s), mulV(v128.load(pa + 3 * s), w)));
  }
}

/**
 * One FRI fold: out[j] = (v[2j] + v[2j+1]) + k·((v[2j] - v[2j+1])·t[j]) for j < half, k a
 * QM31 constant (k0..k3), t a base-field column (the pairs' inverse twiddles). v holds 4
 * coordinate columns of 2·half, out 4 of half (out may not overlap v). half a multiple of 4.
 * As @nexus/field's qm31ColumnFoldPairs.
 */
export function qm31FoldPairs(
  v: usize, t: usize, out: usize, half: u32, k0: u32, k1: u32, k2: u32, k3: u32,
): void {
  const s = (<usize>half) << 2;
  const sv = s << 1;
  const w0 = i32x4.splat(k0);
  const w1 = i32x4.splat(k1);
  const w2 = i32x4.splat(k2);
  const w3 = i32x4.splat(k3);
  for (let o: usize = 0; o < s; o += 16) {
    const tw = v128.load(t + o);
    // Rows 2j..2j+7 of each coordinate: evens and odds of four pairs.
    const p = v + (o << 1);
    let x = v128.load(p);
    let y = v128.load(p + 16);
    const e0 = i32x4.shuffle(x, y, 0, 2, 4, 6);
    const d0 = mulV(subV(e0, i32x4.shuffle(x, y, 1, 3, 5, 7)), tw);
    const s0 = addV(e0, i32x4.shuffle(x, y, 1, 3, 5, 7));
    x = v128.load(p + sv);
    y = v128.load(p + sv + 16);
    const e1 = i32x4.shuffle(x, y, 0, 2, 4, 6);
    const d1 = mulV(subV(e1, i32x4.shuffle(x, y, 1, 3, 5, 7)), tw);
    const s1 = addV(e1, i32x4.shuffle(x, y, 1, 3, 5, 7));
    x = v128.load(p + 2 * sv);
    y = v128.load(p + 2 * sv + 16);
    const e2 = i32x4.shuffle(x, y, 0, 2, 4, 6);
    const d2 = mulV(subV(e2, i32x4.shuffle(x, y, 1, 3, 5, 7)), tw);
    const s2 = addV(e2, i32x4.shuffle(x, y, 1, 3, 5, 7));
    x = v128.load(p + 3 * sv);
    y = v128.load(p + 3 * sv + 16);
    const e3 = i32x4.shuffle(x, y, 0, 2, 4, 6);
    const d3 = mulV(subV(e3, i32x4.shuffle(x, y, 1, 3, 5, 7)), tw);
    const s3 = addV(e3, i32x4.shuffle(x, y, 1, 3, 5, 7));
    const po = out + o;
    mulQ(w0, w1, w2, w3, d0, d1, d2, d3, po, s);
    v128.store(po, addV(v128.load(po), s0));
    v128.store(po + s, addV(v128.load(po + s), s1));
    v128.store(po + 2 * s, addV(v128.load(po + 2 * s), s2));
    v128.store(po + 3 * s, addV(v128.load(po + 3 * s), s3));
  }
}
