import { bundledPlugins, createZkvm, HASH_NAMES } from '@nexus/sdk';
import { describe, expect, it } from 'vitest';
import { guest, u32 } from '../src/guests.js';

// The slow suite (pnpm test:slow): every bundled guest proves and verifies at the standard
// config with every hash backend, and the proof file carries it. long.elf is left out as in
// guests.test.ts (one round is 16.5 M cycles, beyond one proof on this machine).
const abc = new TextEncoder().encode('abc');
const cases: [string, { publicInput?: Uint8Array; privateInput?: Uint8Array }][] = [
  ['fib', { publicInput: u32(30) }],
  ['sort', { publicInput: Uint8Array.of(...u32(300), ...u32(7)) }],
  ['factorial', { publicInput: u32(25) }],
  ['io', { publicInput: Uint8Array.of(1, 2, 3, 4), privateInput: Uint8Array.of(5, 6, 7) }],
  ['mext', {}],
  ['sha256', { publicInput: abc }],
  ['sha256-precompile', { publicInput: abc }],
  ['keccak256', { publicInput: abc }],
  ['keccak256-precompile', { publicInput: abc }],
];

for (const hash of HASH_NAMES) {
  describe(`every bundled guest with ${hash}`, () => {
    const zkvm = createZkvm({ plugins: bundledPlugins(), hash });
    for (const [name, inputs] of cases) {
      it(name, () => {
        const elf = guest(name);
        const run = zkvm.run(elf, inputs);
        const result = zkvm.prove(elf, inputs);
        expect(Array.from(result.claim.publicOutput)).toEqual(Array.from(run.publicOutput));
        const claim = zkvm.verifyFile(zkvm.proofFile(result), elf);
        expect(claim.exitCode).toBe(run.exitCode >>> 0);
      });
    }
  });
}
