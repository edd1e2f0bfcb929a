/**
 * Segmented proofs through the SDK: a run longer than the segment size is proven in segments
 * (two passes over them, one segment alive at a time), the proof file carries them, and
 * verify / verifyFile accept it and reject it for another claim.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createZkvm, poolSegmentCycles, ZkvmError } from '../src/index.js';

const fib = new Uint8Array(readFileSync(new URL('../../../guests/bin/fib.elf', import.meta.url)));
const u32 = (v: number) => new Uint8Array(Uint32Array.of(v).buffer);

describe('segmented proofs in the SDK', () => {
  it('proves fib in segments, writes the file, and verifies it', () => {
    const zkvm = createZkvm({ security: 'test' });
    const seen: string[] = [];
    const result = zkvm.prove(
      fib,
      { publicInput: u32(30) },
      { segmentCycles: 1024, onSegment: (phase, k, n) => seen.push(`${phase} ${k}/${n}`) },
    );
    expect('segments' in result.proof).toBe(true);
    const n = (result.proof as { segments: unknown[] }).segments.length;
    expect(n).toBe(Math.ceil(result.cycles / 1024));
    expect(seen).toEqual([
      ...Array.from({ length: n }, (_, k) => `commit ${k}/${n}`),
      ...Array.from({ length: n }, (_, k) => `prove ${k}/${n}`),
    ]);
    const opts = { minSecurityBits: 0 };
    zkvm.verify(
      result.proof,
      { elf: fib, publicInput: u32(30), publicOutput: result.claim.publicOutput, exitCode: 0 },
      opts,
    );
    const file = zkvm.proofFile(result);
    expect(zkvm.verifyFile(file, fib, {}, opts).publicOutput).toEqual(result.claim.publicOutput);
    // Another output: the statement differs, the proof does not hold for it.
    const wrong = result.claim.publicOutput.slice();
    wrong[0]! ^= 1;
    expect(() => zkvm.verifyFile(file, fib, { publicOutput: wrong }, opts)).toThrow(/logup-sum/);
  }, 120_000);

  it('the default segment size for a pool shrinks with its threads, down to 2^17', () => {
    expect([1, 2, 3, 4, 8, 64].map(poolSegmentCycles)).toEqual([
      2 ** 19,
      2 ** 18,
      2 ** 17,
      2 ** 17,
      2 ** 17,
      2 ** 17,
    ]);
  });

  it('a run within the segment size gets a single proof; bad sizes are refused', () => {
    const zkvm = createZkvm({ security: 'test' });
    const single = zkvm.prove(fib, { publicInput: u32(10) }, { segmentCycles: 1 << 20 });
    expect('segments' in single.proof).toBe(false);
    expect(() => zkvm.prove(fib, {}, { segmentCycles: 100 })).toThrow(ZkvmError);
  }, 60_000);
});
