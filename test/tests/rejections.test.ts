import { add } from '@nexus/air-add';
import {
  buildTraces,
  decodeProgram,
  encodeProgram,
  Lookups,
  zkvmStatement,
} from '@nexus/air-common';
import { type ComponentTrace, encodeProof, type Plugin, VerificationError } from '@nexus/kernel';
import { prove } from '@nexus/prover';
import { rv32im } from '@nexus/rv32im';
import { createZkvm } from '@nexus/sdk';
import { verify } from '@nexus/verifier';
import { deriveLayout, execute, generateRecords, loadElf } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { guest, u32 } from '../src/guests.js';

const zkvm = createZkvm({ security: 'test' });
const lenient = { minSecurityBits: 0 };
const elf = guest('fib');
const input = u32(12);
const honest = zkvm.prove(elf, { publicInput: input });
const expected = {
  elf,
  publicInput: input,
  publicOutput: honest.claim.publicOutput,
  exitCode: honest.claim.exitCode,
};

describe('the verifier rejects wrong claims', () => {
  it('accepts the honest claim, at the standard security config too', () => {
    zkvm.verify(honest.proof, expected, lenient);
    const standard = createZkvm();
    const proof = standard.prove(elf, { publicInput: input });
    standard.verify(proof.proof, expected);
    expect(() => standard.verify(honest.proof, expected)).toThrow(/security-level/);
  });

  it('rejects a different public output, exit code or public input', () => {
    const out = honest.claim.publicOutput.slice();
    out[0]! ^= 1;
    expect(() => zkvm.verify(honest.proof, { ...expected, publicOutput: out }, lenient)).toThrow(
      VerificationError,
    );
    expect(() =>
      zkvm.verify(honest.proof, { ...expected, publicOutput: out.subarray(1) }, lenient),
    ).toThrow(VerificationError);
    expect(() => zkvm.verify(honest.proof, { ...expected, exitCode: 1 }, lenient)).toThrow(
      VerificationError,
    );
    expect(() => zkvm.verify(honest.proof, { ...expected, publicInput: u32(13) }, lenient)).toThrow(
      VerificationError,
    );
  });

  it('rejects a proof checked against another ELF', () => {
    expect(() => zkvm.verify(honest.proof, { ...expected, elf: guest('sort') }, lenient)).toThrow(
      VerificationError,
    );
    const file = zkvm.proofFile(honest);
    expect(() => zkvm.verifyFile(file, guest('sort'), {}, lenient)).toThrow(/different program/);
    expect(zkvm.verifyFile(file, elf, {}, lenient).exitCode).toBe(honest.claim.exitCode);
  });

  it('rejects a proof from a build with a different plugin set', () => {
    const extra: Plugin = {
      name: 'example-extra',
      version: '1.0.0',
      apply() {},
    };
    const other = createZkvm({ security: 'test', plugins: [...rv32im(), extra] });
    const e = (() => {
      try {
        other.verify(honest.proof, expected, lenient);
      } catch (err) {
        return err as VerificationError;
      }
      return null;
    })();
    expect(e?.check).toBe('system');
    expect(() => other.verifyFile(zkvm.proofFile(honest), elf, {}, lenient)).toThrow(
      /different plugin set/,
    );
  });
});

describe('a malicious prover cannot prove a wrong execution', () => {
  // Build the traces of an honest run, corrupt the add component's result on one row (the
  // register write then carries a wrong value), prove with the constraint checks off.
  function maliciousProof(mutate: (traces: Map<string, ComponentTrace>) => void) {
    const loaded = loadElf(elf);
    const opts = { publicInput: input, privateInput: new Uint8Array(0) };
    const run = execute(loaded, opts);
    const records = generateRecords(loaded, deriveLayout(run.stats), opts);
    const encoded = encodeProgram(loaded);
    const program = decodeProgram(encoded);
    const traces = buildTraces(zkvm.system, {
      program,
      records,
      publicInput: input,
      lookups: new Lookups(program, input.length),
    });
    mutate(traces);
    const statement = zkvmStatement({
      program: encoded,
      publicInput: input,
      publicOutput: records.publicOutput,
      exitCode: records.exitCode,
    });
    return {
      proof: prove(zkvm.system, { statement, traces }, { config: 'test', checkConstraints: false }),
      statement,
    };
  }

  it('a wrong ADD result (one byte) is rejected', () => {
    const { proof, statement } = maliciousProof((t) => {
      const add = t.get('add')!;
      const r0 = zkvm.system.components
        .find((c) => c.name === 'add')!
        .component.columns.indexOf('r0');
      add.columns[r0]![3] = (add.columns[r0]![3]! + 1) % 256;
    });
    expect(() => verify(zkvm.system, encodeProof(proof), statement, lenient)).toThrow(
      VerificationError,
    );
  });

  it('a skipped instruction (a row removed) is rejected', () => {
    const { proof, statement } = maliciousProof((t) => {
      const add = t.get('add')!;
      const sel = zkvm.system.components
        .find((c) => c.name === 'add')!
        .component.columns.indexOf('sel');
      add.columns[sel]![5] = 0;
    });
    expect(() => verify(zkvm.system, proof, statement, lenient)).toThrow(VerificationError);
  });

  it('a wrong claimed output with an honest trace is rejected', () => {
    const { proof, statement } = maliciousProof(() => {});
    verify(zkvm.system, proof, statement, lenient);
    const out = honest.claim.publicOutput.slice();
    out[2]! ^= 0x10;
    const lie = zkvmStatement({
      program: encodeProgram(loadElf(elf)),
      publicInput: input,
      publicOutput: out,
      exitCode: honest.claim.exitCode,
    });
    expect(() => verify(zkvm.system, proof, lie, lenient)).toThrow(VerificationError);
  });

  it('only the add plugin in a custom build: missing families are named', () => {
    const tiny = createZkvm({ security: 'test', plugins: [rv32im()[0]!, add()] });
    expect(() => tiny.prove(elf, { publicInput: input })).toThrow(/add @nexus\/air-/);
  });
});
