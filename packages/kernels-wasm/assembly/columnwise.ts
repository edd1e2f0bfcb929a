import { addV, mulV, subV } from './m31';

/*
 * A column-by-column evaluator of constraint expressions (the kernel's columnwise.ts, as a
 * program): each instruction runs one M31 operation over whole registers, columns of n words
 * (4 rows per v128 step), so a DAG node costs one tight SIMD loop instead of a cold JavaScript
 * one. The program is made and its registers allocated on the TypeScript side
 * (@nexus/kernel's columnwise-program.ts); inputs are canonical, so every result is.
 *
 * An instruction is four u32 words [op, dst, a, b]:
 *   op & 3: 0 add, 1 sub, 2 mul, 3 a special instruction (op >> 2 says which);
 *   op & 4: a is a constant (the word itself), else a register; op & 8: likewise for b.
 *   special 1 (accumulate): acc += coeffs[b]·register a (a QM31 coefficient, 4 words);
 *   special 2 (check): flags[b] |= register a has a non-zero row.
 * Register r is at regs + 4·n·r; acc is 4 coordinate columns of n words; flags u32 each.
 */

const ACCUMULATE: u32 = 1;
const CHECK: u32 = 2;

// @ts-expect-error: decorator
@inline
function operand(flag: bool, word: u32, regs: usize, bytes: usize, o: usize): v128 {
  return flag ? i32x4.splat(word) : v128.load(regs + <usize>word * bytes + o);
}

/** Runs `len` instructions at `prog` over n rows (n a multiple of 4). */
export function columnwiseRun(
  prog: usize, len: u32, n: u32, regs: usize, acc: usize, coeffs: usize, flags: usize,
): void {
  const bytes = (<usize>n) << 2;
  for (let i: u32 = 0; i < len; i++) {
    const at = prog + ((<usize>i) << 4);
    const op = load<u32>(at);
    const dst = load<u32>(at + 4);
    const a = load<u32>(at + 8);
    const b = load<u32>(at + 12);
    const kind = op & 3;
    if (kind === 3) {
      const src = regs + <usize>a * bytes;
      if (op >> 2 === ACCUMULATE) {
        const k = coeffs + ((<usize>b) << 4);
        const k0 = i32x4.splat(load<u32>(k));
        const k1 = i32x4.splat(load<u32>(k + 4));
        const k2 = i32x4.splat(load<u32>(k + 8));
        const k3 = i32x4.splat(load<u32>(k + 12));
        for (let o: usize = 0; o < bytes; o += 16) {
          const v = v128.load(src + o);
          const p = acc + o;
          v128.store(p, addV(v128.load(p), mulV(v, k0)));
          v128.store(p + bytes, addV(v128.load(p + bytes), mulV(v, k1)));
          v128.store(p + 2 * bytes, addV(v128.load(p + 2 * bytes), mulV(v, k2)));
          v128.store(p + 3 * bytes, addV(v128.load(p + 3 * bytes), mulV(v, k3)));
        }
      } else if (op >> 2 === CHECK) {
        let any = i32x4.splat(0);
        for (let o: usize = 0; o < bytes; o += 16) any = v128.or(any, v128.load(src + o));
        if (v128.any_true(any)) store<u32>(flags + ((<usize>b) << 2), 1);
      } else unreachable();
      continue;
    }
    const ca = (op & 4) !== 0;
    const cb = (op & 8) !== 0;
    const out = regs + <usize>dst * bytes;
    if (kind === 0) {
      for (let o: usize = 0; o < bytes; o += 16) {
        v128.store(out + o, addV(operand(ca, a, regs, bytes, o), operand(cb, b, regs, bytes, o)));
      }
    } else if (kind === 1) {
      for (let o: usize = 0; o < bytes; o += 16) {
        v128.store(out + o, subV(operand(ca, a, regs, bytes, o), operand(cb, b, regs, bytes, o)));
      }
    } else {
      for (let o: usize = 0; o < bytes; o += 16) {
        v128.store(out + o, mulV(operand(ca, a, regs, bytes, o), operand(cb, b, regs, bytes, o)));
      }
    }
  }
}

/** True when every one of `words` words at `a` is below p (canonical). words a multiple of 4. */
export function allCanonical(a: usize, words: u32): bool {
  const bytes = (<usize>words) << 2;
  // x < p for every lane: min_u(x, p - 1) == x
  const top = i32x4.splat(0x7ffffffe);
  let ok = i32x4.splat(-1);
  for (let o: usize = 0; o < bytes; o += 16) {
    const x = v128.load(a + o);
    ok = v128.and(ok, i32x4.eq(i32x4.min_u(x, top), x));
  }
  return i32x4.all_true(ok);
}

/**
 * out[c][r] = out[c][r] + acc[c][r]·factor[r] (factor 0: no factor) for the 4 coordinates,
 * each n words: the accumulation's last step.
 */
export function columnwiseFinish(acc: usize, factor: usize, out: usize, n: u32): void {
  const bytes = (<usize>n) << 2;
  for (let c: usize = 0; c < 4; c++) {
    const pa = acc + c * bytes;
    const po = out + c * bytes;
    for (let o: usize = 0; o < bytes; o += 16) {
      let v = v128.load(pa + o);
      if (factor !== 0) v = mulV(v, v128.load(factor + o));
      v128.store(po + o, addV(v128.load(po + o), v));
    }
  }
}
