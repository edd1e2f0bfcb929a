/**
 * One proof on several threads with the TypeScript kernels on a guest large enough for every
 * kind of job (slow: ~20-40 s here). parallel-prover.test.ts has the rest.
 */
import { createZkvm } from '@nexus/sdk';
import { createProverPool } from '@nexus/sdk/node';
import { describe, expect, it } from 'vitest';
import { guest, u32 } from '../../src/guests.js';
import { watched } from '../../src/watched-pool.js';

describe('one proof on a pool of threads, TypeScript kernels', () => {
  it('sort (68 k cycles): the same proof bytes on 2 threads with the TypeScript kernels as on one with WebAssembly', async () => {
    const zkvm = createZkvm({ security: 'test' });
    const sort = guest('sort');
    const inputs = { publicInput: Uint8Array.of(...u32(581), ...u32(7)) };
    const one = zkvm.proofFile(zkvm.prove(sort, inputs));
    const pool = await createProverPool({ threads: 2 });
    try {
      // Without the WebAssembly machine, the compiled constraint code is split over the pool.
      const { pool: seen, kinds } = watched(pool);
      const two = zkvm.proofFile(zkvm.prove(sort, inputs, { pool: seen, kernels: 'typescript' }));
      expect(Buffer.from(two).equals(one)).toBe(true);
      expect(kinds.has('compose') && kinds.has('entries')).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
