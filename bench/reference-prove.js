// The all-TypeScript, one-thread yardstick of bench/targets.bench.js, as a process of its own
// (so its wall time includes Node's start and module loading, like the `nexus` command it is
// compared with, and its peak RSS is its own): proves one guest on the prover's reference path
// (no WebAssembly kernels, every constraint compiled) with the JS Blake2s, as one STARK proof.
//
//   node bench/reference-prove.js ELF [PUBLIC_INPUT_FILE] [--security NAME]
//
// Prints one JSON line: cycles, proving milliseconds (in process), proof file bytes, and the
// SHA-256 of the proof file (the fast path's proof of the same statement has the same bytes).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { NAME as BLAKE2S, blake2s } from '@nexus/hash-blake2s';
import { createZkvm, defaultPlugins } from '@nexus/sdk';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { security: { type: 'string', default: 'standard' } },
});
const [elfPath, inputPath] = positionals;
if (elfPath === undefined) throw new Error('usage: reference-prove.js ELF [PUBLIC_INPUT_FILE]');
const elf = readFileSync(elfPath);
const publicInput = inputPath === undefined ? new Uint8Array(0) : readFileSync(inputPath);
const zkvm = createZkvm({
  security: values.security,
  plugins: defaultPlugins().map((p) =>
    p.name === BLAKE2S ? blake2s({ kernels: 'typescript' }) : p,
  ),
});
const start = performance.now();
const result = zkvm.prove(
  elf,
  { publicInput },
  { reference: true, kernels: 'typescript', segmentCycles: 2 ** 26 },
);
const ms = performance.now() - start;
const file = zkvm.proofFile(result);
console.log(
  JSON.stringify({
    cycles: result.cycles,
    ms,
    bytes: file.length,
    sha256: createHash('sha256').update(file).digest('hex'),
  }),
);
