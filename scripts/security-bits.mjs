// Security level per preset: the conjectured count the code uses, and a provable figure beside
// it. Run after a build (`pnpm install` or `pnpm build`): node scripts/security-bits.mjs
//
// Every number printed here is computed from the assembled RV32IM system (its constraints,
// degrees, sample offsets, relations and size rules) and the presets of @nexus/kernel; nothing
// is typed in by hand. SOUNDNESS.md ("Security level per preset") states the formulas and why
// each constant is chosen the way it is.
//
// Conjectured bits (what `securityBits` in packages/kernel/src/config.ts returns and what the
// verifier's minimum is checked against): nQueries·logBlowup + powBits, capped at 124, the
// ethSTARK-style count (StarkWare, "ethSTARK Documentation", IACR ePrint 2021/582, the
// conjectured-security section). It assumes FRI is as sound as if every query caught a cheat
// with probability 1 - ρ, which no theorem shows.
//
// Provable bits: -log2 of the largest round-by-round soundness error of the protocol (then an
// attacker making Q hash queries succeeds with probability at most about Q·2^-bits under
// Fiat-Shamir). Rounds and the bounds used for each:
//   LogUp       Schwartz-Zippel over the relation challenges (z, α) drawn after the main trace
//   ALI         the composition's powers of α_c over K constraints: (K - 1)/|F|
//   OODS        a nonzero bivariate identity of total degree D has at most 2D zeros on the
//               circle (Bezout with x² + y² = 1); D bounded from the sizes and degrees below
//   FRI batch   the DEEP quotients combined with powers of α_q (a curve of degree J - 1)
//   FRI folds   each committed layer folds 2^s values with α, α², ..., smaller quotients joining
//               with higher powers (a curve of degree up to (s + 1)·2^s - 1, kernel fri.ts)
//   queries     each query is passed by a far word with probability at most θ, grinding adds powBits
// in two regimes, per the unique-decoding and Johnson-bound (list-decoding) analyses of FRI:
//   E. Ben-Sasson, D. Carmon, Y. Ishai, S. Kopparty, S. Saraf, "Proximity Gaps for Reed-Solomon
//     Codes", FOCS 2020, IACR ePrint 2020/654 (Theorems 1.2, 1.5 and the FRI soundness theorem);
//   U. Haböck, "A summary on the FRI low degree test", IACR ePrint 2022/1216 (unique-decoding and
//     list-decoding soundness of batched FRI);
//   StarkWare, "ethSTARK Documentation", IACR ePrint 2021/582 (the DEEP-ALI list-size factors);
//   U. Haböck, D. Levit, S. Papini, "Circle STARKs", IACR ePrint 2024/278 (the same bounds for
//     circle codes and circle FRI, which this project implements).
// Where published variants differ by a constant, the larger error is used (e.g. 1/(2ρ^{3/2})
// instead of 1/(3ρ^{3/2}) in the Johnson-bound proximity-gap term), list sizes are taken to the
// power of the number of trees committed before the challenge, and all components are assumed
// present at the largest size allowed: the figures are lower bounds, not estimates.

const load = async (path) => {
  try {
    return await import(new URL(path, import.meta.url));
  } catch (e) {
    console.error(`cannot load ${path} (${e.message}); build first: pnpm install (or pnpm build)`);
    process.exit(1);
  }
};
const kernel = await load('../packages/kernel/dist/index.js');
const { rv32im } = await load('../plugins/rv32im/dist/index.js');

const P = 2 ** 31 - 1;
/** log2 |QM31| = log2 p^4 (just under 124). */
const FIELD_BITS = 4 * Math.log2(P);
/** Blake2s-256 Merkle trees and channel: 128-bit collision resistance caps everything. */
const HASH_BITS = 128;

const system = kernel.assembleSystem(rv32im());

// What the protocol's rounds depend on, read off the system.
const airs = system.components;
/** Constraints in the composition (own and LogUp), all components present. */
const K = airs.reduce((n, a) => n + a.constraints.length + a.logupConstraints.length, 0);
/** Highest constraint degree (the kernel caps it at MAX_CONSTRAINT_DEGREE). */
const d = Math.max(...airs.map((a) => a.maxDegree));
/** Most sample points of one column (row offsets, e.g. 0 and 1, or -1 and 0 for LogUp sums). */
const kmax = Math.max(
  ...airs.flatMap((a) => [...a.mainMasks, ...a.interactionMasks].map((m) => m.length)),
);
/** Sampled values combined by α_q: every column at each offset, plus the 8 composition columns. */
const J =
  airs.reduce(
    (n, a) =>
      n +
      [...a.mainMasks, ...a.interactionMasks].reduce((m, o) => m + o.length, 0) +
      [...a.preprocessedMasks.entries()]
        .filter(([id]) => id !== kernel.IS_FIRST)
        .reduce((m, [, o]) => m + o.length, 0),
    0,
  ) + 8;

/** A component's log size in a proof whose largest component has 2^M rows. */
function logSizeAt(air, M) {
  const rule = air.size;
  if (rule.kind === 'fixed') return rule.logSize;
  if (rule.kind === 'free') return Math.min(rule.maxLogSize, M);
  return Math.min(kernel.MAX_COMPONENT_LOG_SIZE, M); // statement-sized: at most the kernel's maximum
}

/**
 * The LogUp round. Clearing the denominators of Σ m_i / (Σ_j α^j v_ij - z) over all relations
 * gives a polynomial in the challenges that is nonzero when some tuple does not balance (its
 * net multiplicity is below p in size: the kernel's LogUp bound), of total degree at most
 * Σ_i max(arity_i - 1, 1) over all fraction terms i; a denominator vanishing is another event
 * of the same size. So ε ≤ 2·Σ_i max(arity_i - 1, 1) / |F|. Bounded entries are capped by the
 * kernel's check (total < p); table entries (free counts) and the statement's entries are added
 * on top, with the public output taken at 2^24 bytes.
 */
function logupDegree(M) {
  let bounded = 0;
  let boundedMaxWeight = 1;
  let table = 0;
  for (const air of airs) {
    const rows = 2 ** logSizeAt(air, M);
    for (const e of air.entries) {
      const w = Math.max(e.relation.arity - 1, 1);
      if (e.bound === 'table') table += w * rows;
      else {
        // one fraction per row, whatever its multiplicity: the bound matters only below
        bounded += w * rows;
        boundedMaxWeight = Math.max(boundedMaxWeight, w);
      }
    }
  }
  // The kernel rejects sizes whose Σ bound·rows over bounded entries reaches p.
  bounded = Math.min(bounded, boundedMaxWeight * (P - 1));
  const boundary = 2 ** 24 + 2; // output bytes, the exit code, the entry state
  return bounded + table + boundary;
}

/**
 * The rounds' errors (log2) for a preset and a largest trace of 2^M rows, in one regime:
 * m = null for unique decoding, else the Johnson-bound proximity parameter m >= 3.
 */
function roundErrors(config, M, m) {
  const b = config.logBlowup;
  const rho = 2 ** -b;
  const logD = M + b; // the largest FRI domain
  // The rate a quotient's word is tested against, counting the sample points (ethSTARK's ρ+).
  const rhoPlus = rho + (2 * kmax) / 2 ** logD;
  const unique = m === null;
  // Johnson-bound list size at radius 1 - sqrt(ρ)(1 + 1/(2m)): at most m/ρ (the smaller rate
  // gives the larger list, so ρ rather than ρ+ here).
  const logL = unique ? 0 : Math.log2(m / rho);
  // A curve of degree c through a word of domain 2^logDom: exceptional challenges.
  const gap = (c, logDom) =>
    unique
      ? Math.log2(c) + logDom
      : Math.log2(c) + 7 * Math.log2(m + 0.5) + 2 * logDom - Math.log2(2 * rho ** 1.5);
  const errors = {
    logup: Math.log2(2 * logupDegree(M)) + logL - FIELD_BITS,
    ali: Math.log2(K - 1) + 2 * logL - FIELD_BITS,
    // cleared OODS identity: total degree <= (d/2 + 1)·2^M; (d + 2)·2^M leaves room to spare
    oods: Math.log2(2 * (d + 2)) + M + 3 * logL - Math.log2(2 ** FIELD_BITS - 2),
    'fri batch': gap(J - 1, logD) - FIELD_BITS,
  };
  // The folds: each committed layer's step of up to friFoldStep folds (kernel friSchedule),
  // layer 0's starting with the circle fold on the largest domain. With smaller quotients
  // joining inside a step of s folds, the step is a curve in its challenge of degree up to
  // (s + 1)·2^s - 1 (kernel fri.ts); taken at s = friFoldStep on the largest domain, whatever
  // the sizes and schedule.
  const s = config.friFoldStep;
  errors['fri folds'] = gap((s + 1) * 2 ** s - 1, logD) - FIELD_BITS;
  const theta = unique ? (1 + rhoPlus) / 2 : Math.sqrt(rhoPlus) * (1 + 1 / (2 * m));
  errors.queries = config.nQueries * Math.log2(theta) - config.powBits;
  errors.hash = -HASH_BITS;
  return errors;
}

/** Provable bits in a regime: the worst round, and which round it is. */
function provable(config, M, m) {
  const errors = roundErrors(config, M, m);
  let worst = 'hash';
  for (const [name, e] of Object.entries(errors)) if (e > errors[worst]) worst = name;
  return { bits: Math.max(0, -errors[worst]), worst, errors };
}

/** The Johnson-bound figure at its best m (the query term wants m large, the gaps m small). */
function bestJohnson(config, M) {
  let best = null;
  for (let m = 3; m <= 512; m++) {
    const r = provable(config, M, m);
    if (best === null || r.bits > best.bits) best = { ...r, m };
  }
  return best;
}

const fmt = (x) => x.toFixed(1);
const SIZES = [16, 20, kernel.MAX_COMPONENT_LOG_SIZE];

console.log(
  `RV32IM system: ${airs.length} components, K = ${K} constraints, degree ${d}, up to ${kmax} samples per column, J = ${J} sampled values`,
);
console.log(
  `|F| = |QM31| = 2^${FIELD_BITS.toFixed(3)}; Blake2s-256 caps every figure at ${HASH_BITS} bits`,
);
for (const [name, config] of Object.entries(kernel.SECURITY)) {
  const conjectured = kernel.securityBits(config);
  console.log(
    `\npreset ${name}: log blowup ${config.logBlowup}, ${config.nQueries} queries, ${config.powBits} proof-of-work bits, fold step ${config.friFoldStep}`,
  );
  console.log(
    '| largest trace | conjectured | provable | unique decoding (worst round) | Johnson bound (worst round, m) |',
  );
  console.log('|---|---|---|---|---|');
  for (const M of SIZES) {
    const udr = provable(config, M, null);
    const ldr = bestJohnson(config, M);
    // Both regimes are valid lower bounds: the provable figure is the better one.
    const best = Math.max(udr.bits, ldr.bits);
    console.log(
      `| 2^${M} rows | ${fmt(conjectured)} | ${fmt(best)} | ${fmt(udr.bits)} (${udr.worst}) | ${fmt(ldr.bits)} (${ldr.worst}, m = ${ldr.m}) |`,
    );
  }
  const M = kernel.MAX_COMPONENT_LOG_SIZE;
  const udr = provable(config, M, null);
  const ldr = bestJohnson(config, M);
  // What the query count alone can buy: the other rounds do not depend on it, so they cap
  // the provable figure whatever nQueries is.
  const cap = Math.min(
    ...Object.entries(udr.errors)
      .filter(([round]) => round !== 'queries')
      .map(([, e]) => -e),
  );
  const perQuery = (-udr.errors.queries - config.powBits) / config.nQueries;
  const need = Math.ceil((96 - config.powBits) / perQuery);
  console.log(
    `\nunique decoding at 2^${M} rows: ${perQuery.toFixed(3)} bits per query; the other rounds cap the figure at ${fmt(cap)} bits, so ${cap >= 96 ? `${need} queries (with ${config.powBits} grinding bits) would give 96` : 'no number of queries gives 96 at this size'}`,
  );
  console.log(`\nper round at 2^${M} rows, bits = -log2 of the round's error:`);
  console.log(`| round | unique decoding | Johnson bound (m = ${ldr.m}) |`);
  console.log('|---|---|---|');
  for (const round of Object.keys(udr.errors)) {
    console.log(`| ${round} | ${fmt(-udr.errors[round])} | ${fmt(-ldr.errors[round])} |`);
  }
}
