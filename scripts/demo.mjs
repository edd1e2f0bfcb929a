// The main job for now: what exists of the proof system, end to end on real numbers.
// (Becomes "prove and verify a bundled guest" once the prover and the VM land.)
import {
  bitReverseIndex,
  circleDomain,
  domainAt,
  evalAtPoint,
  interpolate,
  lde,
  P,
  securePointFromParameter,
} from '@nexus/field';

const logSize = 16;
const n = 2 ** logSize;
const trace = new Uint32Array(n);
// A Fibonacci-like column: t[i] = t[i-1]^2 + t[i-2]^2 over M31.
trace[0] = 1;
trace[1] = 1;
for (let i = 2; i < n; i++) {
  trace[i] = Number((BigInt(trace[i - 1]) ** 2n + BigInt(trace[i - 2]) ** 2n) % BigInt(P));
}
let start = performance.now();
const extended = lde(trace, 1);
const ldeMs = performance.now() - start;
start = performance.now();
const coeffs = interpolate(trace);
const point = securePointFromParameter([7, 11, 13, 17]);
const value = evalAtPoint(coeffs, point);
const oodsMs = performance.now() - start;

// Spot-check: the extension agrees with the polynomial at a point of the big domain.
const big = circleDomain(logSize + 1);
const s = 12345;
const p = domainAt(big, bitReverseIndex(s, logSize + 1));
const check = evalAtPoint(coeffs, { x: [p.x, 0, 0, 0], y: [p.y, 0, 0, 0] })[0];
if (check !== extended[s]) throw new Error('low-degree extension disagrees with the polynomial');

console.log(
  `column of 2^${logSize} M31 values extended to 2^${logSize + 1} in ${ldeMs.toFixed(1)} ms`,
);
console.log(
  `its polynomial at a random QM31 circle point: (${value.join(', ')}) in ${oodsMs.toFixed(1)} ms`,
);
console.log('extension checked against direct evaluation: ok');
