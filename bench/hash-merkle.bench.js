// Merkle leaf hashing per hash backend, isolated from the rest of the prover: one layer of
// 2^14 rows x 64 M31 columns (the shape of a main-trace commitment), median of 5. Run from the
// repository root after `pnpm build`: node bench/hash-merkle.bench.js

import { assembleSystem } from '@nexus/kernel';
import { HASH_BACKENDS, HASH_NAMES } from '@nexus/sdk';

const rows = 1 << 14;
const columns = Array.from({ length: 64 }, (_, c) =>
  Uint32Array.from(
    { length: rows },
    (_, j) => (Math.imul(j + 1, 2654435761 + c) >>> 1) % 2147483647,
  ),
);
for (const name of HASH_NAMES) {
  const hash = assembleSystem([HASH_BACKENDS[name].plugin()]).hash;
  hash.merkleLayer(rows, null, columns); // warm-up
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    hash.merkleLayer(rows, null, columns);
    times.push(performance.now() - t);
  }
  const ms = times.sort((a, b) => a - b)[2];
  const cells = rows * columns.length;
  console.log(
    `${name}: ${ms.toFixed(0)} ms for 2^14 leaves x 64 columns = ${(((cells / ms) * 1000) / 1e6).toFixed(1)} M cells/s`,
  );
}
