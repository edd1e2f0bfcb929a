// A third-party plugin for the Nexus zkVM, written the way an outside package would write one:
// a factory returning a plain { name, version, apply(host) } object. It imports nothing: a
// plugin's contract with the kernel is structural (see Plugin and Component in @nexus/kernel).
//
// It registers one component, `square-table`: a table of 2^logSize rows (x, x^2) for
// x = 0, 1, 2, ... with constraints that pin every row. A precompile plugin would yield such
// rows on a bus for instruction rows to look up; this one only adds its table, which is enough
// to show how a custom build differs: the component becomes part of every proof, and the system
// digest (a hash of every plugin, component and constraint) changes, so a zkVM assembled without
// this plugin refuses its proofs, and one assembled with it accepts them.

/**
 * @param {{ logSize?: number }} [options] log2 of the table's row count (4..20, default 4)
 */
export function squareTable({ logSize = 4 } = {}) {
  if (!Number.isInteger(logSize) || logSize < 4 || logSize > 20) {
    throw new RangeError(`squareTable: logSize must be an integer in [4, 20], got ${logSize}`);
  }
  const name = '@example/square-table';
  const component = {
    name: 'square-table',
    version: '0.1.0',
    columns: ['x', 'sq'],
    // Its size rule: always exactly 2^logSize rows, which the verifier checks before anything
    // else (the kernel's fixedSize(logSize) makes the same plain object). A table whose values
    // bound something must never let the prover choose its size.
    size: { kind: 'fixed', logSize },
    // The zkVM builds traces in two phases; a table that looks nothing up can go first.
    tracePhase: 'rows',
    /** Every constraint of the table, stated once (the prover and the verifier both run it). */
    evaluate(e) {
      const x = e.col('x');
      const sq = e.col('sq');
      const xNext = e.col('x', 1);
      // `is_first` is built in: 1 on the first row. At offset 1 it is 1 on the last row, whose
      // next row wraps around to the first (trace rows are cyclic).
      const first = e.preprocessed('is_first');
      const last = e.preprocessed('is_first', 1);
      e.constraint(first.mul(x), 'x starts at 0');
      e.constraint(e.constant(1).sub(last).mul(xNext.sub(x).sub(1)), 'x counts up by 1');
      e.constraint(sq.sub(x.mul(x)), 'sq = x * x');
    },
    /** The table's rows: the same for every guest. */
    traceFor() {
      const n = 2 ** logSize;
      const x = new Uint32Array(n);
      const sq = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        x[i] = i;
        // x^2 mod p (p = 2^31 - 1) without overflowing a double: BigInt is fine off the hot path.
        sq[i] = Number((BigInt(i) * BigInt(i)) % 2147483647n);
      }
      return { logSize, columns: [x, sq] };
    },
  };
  return {
    name,
    version: '0.1.0',
    apply(host) {
      // Taps are named with the plugin's name: the host checks it.
      host.hooks.components.tap(name, (registry) => registry.add(component));
    },
  };
}
