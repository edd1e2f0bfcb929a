// Independent BigInt reference arithmetic for tests: slow, obviously correct.
export const Pn = 2n ** 31n - 1n;
export const P = 2 ** 31 - 1;

export function modn(v: bigint): bigint {
  const r = v % Pn;
  return r < 0n ? r + Pn : r;
}

export function refMul(a: number, b: number): number {
  return Number(modn(BigInt(a) * BigInt(b)));
}

export function refPow(a: number, e: bigint): number {
  let r = 1n;
  let b = BigInt(a);
  while (e > 0n) {
    if (e & 1n) r = modn(r * b);
    b = modn(b * b);
    e >>= 1n;
  }
  return Number(r);
}

type Q = [bigint, bigint, bigint, bigint];

export function refQMul(x: readonly number[], y: readonly number[]): number[] {
  const [a0, a1, b0, b1] = x.map(BigInt) as Q;
  const [c0, c1, d0, d1] = y.map(BigInt) as Q;
  const cm = (p0: bigint, p1: bigint, q0: bigint, q1: bigint) => [
    p0 * q0 - p1 * q1,
    p0 * q1 + p1 * q0,
  ];
  const [ac0, ac1] = cm(a0, a1, c0, c1) as [bigint, bigint];
  const [bd0, bd1] = cm(b0, b1, d0, d1) as [bigint, bigint];
  const [ad0, ad1] = cm(a0, a1, d0, d1) as [bigint, bigint];
  const [bc0, bc1] = cm(b0, b1, c0, c1) as [bigint, bigint];
  // u^2 = 2 + i
  const [e0, e1] = cm(bd0, bd1, 2n, 1n) as [bigint, bigint];
  return [ac0 + e0, ac1 + e1, ad0 + bc0, ad1 + bc1].map((v) => Number(modn(v)));
}

/** Circle point k·G by BigInt double-and-add from G = (2, 1268011823). */
export function refPoint(k: bigint): [bigint, bigint] {
  let rx = 1n;
  let ry = 0n;
  let bx = 2n;
  let by = 1268011823n;
  let e = ((k % 2n ** 31n) + 2n ** 31n) % 2n ** 31n;
  while (e > 0n) {
    if (e & 1n) [rx, ry] = [modn(rx * bx - ry * by), modn(rx * by + ry * bx)];
    [bx, by] = [modn(bx * bx - by * by), modn(2n * bx * by)];
    e >>= 1n;
  }
  return [rx, ry];
}

/** The FFT-basis value Σ c_i Π_{k in bits(i)} f_k at an M31 point, f = (y, x, π(x), ...). */
export function refEvalCircle(coeffs: readonly number[], x: bigint, y: bigint): number {
  const n = Math.log2(coeffs.length);
  const factors: bigint[] = [];
  if (n >= 1) factors.push(y);
  let fx = x;
  for (let k = 1; k < n; k++) {
    factors.push(fx);
    fx = modn(2n * fx * fx - 1n);
  }
  let sum = 0n;
  for (let i = 0; i < coeffs.length; i++) {
    let term = BigInt(coeffs[i]!);
    for (let k = 0; k < n; k++) if ((i >> k) & 1) term = modn(term * factors[k]!);
    sum += term;
  }
  return Number(modn(sum));
}
