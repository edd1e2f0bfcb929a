import { createZkvm } from '@nexus/sdk';
import { describe, expect, it } from 'vitest';
import { guest, u32 } from '../src/guests.js';

// Every bundled guest proves and verifies at the standard security config (96 bits), and the
// proven output equals what the VM prints. (long.elf is the exception: one round is 16.5 M
// cycles, beyond what one proof holds on this machine; see bench/README.md.)
const zkvm = createZkvm();

const cases: [string, { publicInput?: Uint8Array; privateInput?: Uint8Array }][] = [
  ['fib', { publicInput: u32(30) }],
  ['sort', { publicInput: Uint8Array.of(...u32(300), ...u32(7)) }],
  ['factorial', { publicInput: u32(25) }],
  ['io', { publicInput: Uint8Array.of(1, 2, 3, 4), privateInput: Uint8Array.of(5, 6, 7) }],
  ['mext', {}],
  ['sha256', { publicInput: new TextEncoder().encode('abc') }],
  [
    'forth',
    { publicInput: new TextEncoder().encode('0 i! begin i@ 3 * . i@ 1 + dup i! 5 = until') },
  ],
];

describe('bundled guests prove and verify', () => {
  for (const [name, inputs] of cases) {
    it(name, () => {
      const elf = guest(name);
      const run = zkvm.run(elf, inputs);
      const result = zkvm.prove(elf, inputs);
      expect(result.claim.exitCode).toBe(run.exitCode >>> 0);
      expect(Array.from(result.claim.publicOutput)).toEqual(Array.from(run.publicOutput));
      zkvm.verify(result.proof, {
        elf,
        publicInput: inputs.publicInput ?? new Uint8Array(0),
        publicOutput: run.publicOutput,
        exitCode: run.exitCode,
      });
    });
  }
});
