import { evalTimestampIncrease, RAM } from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { PRECOMPILE_WRITE_SLOT } from '@nexus/vm';
import { PI_TARGET, RC_BIT_POSITIONS, ROTATION, ROUNDS } from './keccak.js';
import { KECCAK_CALL, KECCAK_ROUND } from './relations.js';
import { roundsLayout } from './rounds-columns.js';

const xor2 = (x: Expr, y: Expr) => x.add(y).sub(x.mul(y).mul(2));
const xor3 = (x: Expr, y: Expr, z: Expr) => xor2(xor2(x, y), z);

/** PI_SOURCE[L]: the lane that π moves to lane L. */
const PI_SOURCE: readonly number[] = (() => {
  const s = new Array<number>(25);
  PI_TARGET.forEach((t, i) => {
    s[t] = i;
  });
  return s;
})();

/** Σ_i 2^i·bits[i] (at most 16 bits: below 2^16, far below p). */
function pack(bits: readonly Expr[]): Expr {
  let v = bits[0]!;
  for (let i = 1; i < bits.length; i++) v = v.add(bits[i]!.mul(2 ** i));
  return v;
}

/**
 * `keccak-rounds`: Keccak-f[1600] of each keccakf call, 25 rows per call (see
 * rounds-columns.ts for the row plan). Why every value is pinned, constraint group by group:
 *
 * - Row kinds. Each real row looks (idx, start, round, rc0..rc6) up in the fixed round table,
 *   so its kind and round-constant bits match its idx in 0..24. A row that is not a start
 *   continues the row before: same clk and ptr, idx one more, a real row. A start row takes
 *   (clk, ptr) off the call bus, which only the call's ecall row yields, once. Each start row
 *   also sees, 24 rows on, a real row of the same clk with idx 24: that row is no start (a
 *   start has idx 0), so it continues the row before, and so on back: every call has all 25
 *   rows, consecutive (cyclically), and no row exists outside a call.
 * - Bits. A', C and C' are bits (x(x - 1) = 0); every other value is a sum of bit terms.
 * - θ (every row, ungated: padding rows are zero, which satisfies it). Let A = A' xor C xor C'
 *   bitwise (a bit, as xor3 of bits). The bytes S are defined as A's: S = Σ 2^j·xor3(A', C,
 *   C'), so S are proven bytes and A is S's bits. C' = C xor D(C), D(C)[x, z] = C[x - 1, z]
 *   xor C[x + 1, z - 1], so A' = A xor D(C). And Σ_y A'[x, y, z] - C'[x, z] ∈ {0, 2, 4}
 *   (d(d - 2)(d - 4) = 0, d in [-1, 5] since all are bits) says C' = xor_y A'[x, y, ·]
 *   = (xor_y A[x, y, ·]) xor D(C) (five copies of D: odd), hence C = xor_y A[x, y, ·]: C is
 *   θ's column parity of A, D(C) θ's D, and A' = θ(A). Every θ cell is a function of S.
 * - χ (every row): X[lane][l] = Σ_z 2^(z - 16l)·χ(B)[lane, z] over the limb's 16 bits, with
 *   B = π(ρ(A')) a re-indexing of A' columns and χ(B)[x, y] = B[x, y] xor (1 - B[x + 1, y])·
 *   B[x + 2, y] of degree 3; at lane 0's round-constant positions the limb takes the bit from
 *   the helper column iota_j, itself defined as that χ bit. X is pinned.
 * - ι and the transition (round rows, idx < 24): S of the next row, as 16-bit limbs
 *   S[2l] + 2^8·S[2l + 1], equals X's limb with lane 0's bits z_j = 2^j - 1 xored with rc_j
 *   (iota_j + rc_j - 2·iota_j·rc_j, degree 3 with the round gate). Both sides are sums of
 *   16 weighted bits, below 2^16 < p, so the field equation is the integer one and each bit
 *   matches: A_r+1 = ι(χ(π(ρ(θ(A_r))))). Hence row 24's S is Keccak-f of row 0's.
 * - Memory (start rows): state word k (0..49: lane k >> 1, half k & 1) at ptr + k is read
 *   with the bytes S of row 0 and written with the bytes S of row +24 (proven bytes), at
 *   4·clk + 3 with writable = 1 (read-only memory cannot be written), after its previous
 *   access (evalTimestampIncrease: gap in [0, 2^29 + 2^16) from two range16 lookups).
 */
export function evaluate(e: EvalContext): void {
  const layout = roundsLayout();
  // The AIR reads rows -1, 0, 1 and 24 on: the layout bound at each offset it reads, once.
  const at = layout.exprsAt(e);
  const row = at(0);
  const one = e.constant(1);
  const bool = (x: Expr, label: string) => e.constraint(x.mul(x.sub(1)), `${label} is boolean`);

  const { SEL: sel, CLK: clk, PTR: ptr, IDX: idx, START: start, ROUND: round } = row;
  const { RCB: rc, AP: ap, C: c, CP: cp, H: h } = row;

  bool(sel, 'sel');
  for (const [prefix, bits] of [
    ['ap', ap],
    ['c', c],
    ['cp', cp],
  ] as const) {
    for (const [i, row] of bits.entries()) {
      for (const [z, b] of row.entries()) bool(b, `${prefix}${i}_${z}`);
    }
  }

  // Row kinds from the round table; padding rows have none.
  e.use(KECCAK_ROUND, [idx, start, round, ...rc], sel);
  e.constraint(start.mul(one.sub(sel)), 'start only on real rows');
  e.constraint(round.mul(one.sub(sel)), 'round only on real rows');

  // One call's rows are consecutive: a row that is not a start continues the row before.
  const cont = sel.sub(start);
  e.constraint(cont.mul(one.sub(at(-1).SEL)), 'a continuing row follows a real row');
  e.constraint(cont.mul(idx.sub(at(-1).IDX).sub(1)), 'idx counts up within a call');
  for (const n of ['CLK', 'PTR'] as const)
    e.constraint(
      cont.mul(row[n].sub(at(-1)[n])),
      `${layout.shape[n].name} is constant within a call`,
    );
  e.use(KECCAK_CALL, [clk, ptr], start);
  // ... and reach 24 rows past the start (so all 25 exist).
  const last = ROUNDS;
  e.constraint(start.mul(one.sub(at(last).SEL)), 'the output row 24 on exists');
  e.constraint(start.mul(at(last).CLK.sub(clk)), 'the row 24 on belongs to the same call');
  e.constraint(start.mul(at(last).IDX.sub(last)), 'the row 24 on is the output row');

  // θ, on every row.
  for (let x = 0; x < 5; x++) {
    for (let z = 0; z < 64; z++) {
      e.constraint(
        cp[x]![z]!.sub(xor3(c[x]![z]!, c[(x + 4) % 5]![z]!, c[(x + 1) % 5]![(z + 63) % 64]!)),
        `theta: c'${x}_${z} = c xor d`,
      );
      let sum: Expr = ap[x]![z]!;
      for (let y = 1; y < 5; y++) sum = sum.add(ap[x + 5 * y]![z]!);
      const d = sum.sub(cp[x]![z]!);
      e.constraint(
        d.mul(d.sub(2)).mul(d.sub(4)),
        `theta: c'${x}_${z} is the parity of column ${x} of A'`,
      );
    }
  }
  // The bytes of A = A' xor C xor C', on every row.
  const aBit = (lane: number, z: number) =>
    xor3(ap[lane]![z]!, c[lane % 5]![z]!, cp[lane % 5]![z]!);
  for (let lane = 0; lane < 25; lane++) {
    for (let b = 0; b < 8; b++) {
      const bits = Array.from({ length: 8 }, (_, j) => aBit(lane, 8 * b + j));
      e.constraint(row.S[lane]![b]!.sub(pack(bits)), `s${lane}_${b} is byte ${b} of A`);
    }
  }

  // χ(π(ρ(A'))) before ι, on every row.
  const bBit = (lane: number, z: number) => {
    const src = PI_SOURCE[lane]!;
    return ap[src]![(z - ROTATION[src]! + 64) % 64]!;
  };
  const chiBit = (lane: number, z: number) => {
    const x = lane % 5;
    const y = (lane - x) / 5;
    const b1 = bBit(((x + 1) % 5) + 5 * y, z);
    const b2 = bBit(((x + 2) % 5) + 5 * y, z);
    return xor2(bBit(lane, z), one.sub(b1).mul(b2));
  };
  RC_BIT_POSITIONS.forEach((z, j) => {
    e.constraint(h[j]!.sub(chiBit(0, z)), `iota${j}: chi bit ${z} of lane 0`);
  });
  for (let lane = 0; lane < 25; lane++) {
    for (let l = 0; l < 4; l++) {
      const bits = Array.from({ length: 16 }, (_, i) => {
        const z = 16 * l + i;
        const j = lane === 0 ? RC_BIT_POSITIONS.indexOf(z) : -1;
        return j >= 0 ? h[j]! : chiBit(lane, z);
      });
      e.constraint(row.X[lane]![l]!.sub(pack(bits)), `chi${lane}_${l} is limb ${l} of chi`);
    }
  }

  // ι and the step to the next row (round rows).
  for (let lane = 0; lane < 25; lane++) {
    for (let l = 0; l < 4; l++) {
      const next = at(1).S[lane]![2 * l]!.add(at(1).S[lane]![2 * l + 1]!.mul(256));
      let out = row.X[lane]![l]!;
      if (lane === 0) {
        RC_BIT_POSITIONS.forEach((z, j) => {
          if (z >> 4 !== l) return;
          // The bit becomes iota_j xor rc_j: add rc_j - 2·iota_j·rc_j at its weight.
          out = out.add(rc[j]!.sub(h[j]!.mul(rc[j]!).mul(2)).mul(2 ** (z & 15)));
        });
      }
      e.constraint(
        round.mul(next.sub(out)),
        `round: limb ${l} of lane ${lane} of the next state is iota(chi)`,
      );
    }
  }

  // Memory (start rows): the 50 state words, read with row 0's bytes, written with row 24's.
  const ts = clk.mul(4).add(PRECOMPILE_WRITE_SLOT);
  for (let k = 0; k < 50; k++) {
    const lane = k >> 1;
    const bytes = [0, 1, 2, 3].map((b) => 4 * (k & 1) + b);
    const m = row.MEM[k]!;
    const widx = ptr.add(k);
    const prevTs = m.prevTs;
    e.use(RAM, [widx, ...bytes.map((b) => row.S[lane]![b]!), prevTs, one], start);
    e.yield(RAM, [widx, ...bytes.map((b) => at(last).S[lane]![b]!), ts, one], start);
    evalTimestampIncrease(
      e,
      { ts, prevTs, lo: m.lo, hi: m.hi, multiplicity: start },
      `state word ${k}`,
    );
  }
}
