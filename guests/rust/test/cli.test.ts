/**
 * `nexus run` (the real binary) on Rust guests that end badly: a panic, an exhausted heap, an
 * overflowed stack and a plain non-zero exit each give the guest's own message on stderr, the
 * guest's exit code as the exit status, and never a crash of the host (no status 70, no stack
 * trace, no VM fault).
 */
import { describe, expect, it } from 'vitest';
import {
  EXIT_OUT_OF_MEMORY,
  EXIT_PANIC,
  EXIT_STACK_OVERFLOW,
  type Inputs,
  nexusRun,
  u32le,
} from './support.js';

interface Case {
  readonly guest: string;
  readonly label: string;
  readonly inputs: Inputs;
  readonly status: number;
  /** The line the guest's runtime writes to the debug log (stderr). */
  readonly message: RegExp;
}

const cases: Case[] = [
  {
    guest: 'panic',
    label: 'a panic',
    inputs: {},
    status: EXIT_PANIC,
    message:
      /^guest panicked at 'the guest was asked to panic \(mode 0\)', src\/panic\.rs:\d+:\d+$/m,
  },
  {
    guest: 'panic',
    label: 'an index out of bounds',
    inputs: { publicInput: Uint8Array.of(1) },
    status: EXIT_PANIC,
    message: /^guest panicked at 'index out of bounds: the len is 3 but the index is 5'/m,
  },
  {
    guest: 'oom',
    label: 'heap exhaustion',
    inputs: { publicInput: u32le(65536) },
    status: EXIT_OUT_OF_MEMORY,
    message:
      /^guest ran out of heap memory: an allocation of 65536 bytes \(align 1\) does not fit; 983808 of the heap's 1048576 bytes are in use/m,
  },
  {
    guest: 'recursion',
    label: 'a stack overflow',
    inputs: { publicInput: u32le(100000) },
    status: EXIT_STACK_OVERFLOW,
    message:
      /^guest overflowed its stack: sp reached 0x[0-9a-f]{8}, within 8192 bytes of the bottom of the 262144-byte stack/m,
  },
  {
    guest: 'panic',
    label: 'a non-zero exit',
    inputs: { publicInput: Uint8Array.of(3) },
    status: 7,
    message: /^nexus run: exit 7, /m,
  },
];

describe('nexus run names how a Rust guest ended', () => {
  for (const c of cases) {
    it(c.label, async () => {
      const r = await nexusRun(c.guest, c.inputs);
      expect(r.stderr).toMatch(c.message);
      expect(r.stderr).toMatch(new RegExp(`^nexus run: exit ${c.status}, [\\d,]+ cycles`, 'm'));
      expect(r.code).toBe(c.status);
      // The guest ended on its own terms: no VM fault, no internal error of the host.
      expect(r.stderr).not.toMatch(/Error|at .*\.js:\d+/);
    });
  }

  it('--json reports the exit code and no error', async () => {
    const r = await nexusRun('recursion', { publicInput: u32le(100000) }, ['--json']);
    expect(r.code).toBe(EXIT_STACK_OVERFLOW);
    const json = JSON.parse(r.stdout.toString());
    expect(json.exitCode).toBe(EXIT_STACK_OVERFLOW);
    expect(json.error).toBeNull();
    expect(r.stderr).toMatch(/^guest overflowed its stack: /m);
  });
});
