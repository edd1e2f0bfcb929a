/**
 * The plugin's tests, with the public packages only: the guest is proven and verified by a build
 * with the plugin; the stock build refuses the proof and cannot run the guest; the honest rows
 * satisfy every constraint and a wrong result breaks one. For attacks on the whole system (a
 * malicious prover patching cells, sizes and claims, proving with the real prover), see the
 * zkVM's test kit @nexus/air-testing and the example precompile's tests in the zkVM repository.
 */
import { readFileSync } from 'node:fs';
import { decodeProgram, encodeProgram, Lookups, type ZkvmTraceContext } from '@nexus/air-common';
import { analyzeComponent, findConstraintFailures, isFirstColumn } from '@nexus/kernel';
import { createZkvm, defaultPlugins } from '@nexus/sdk';
import { deriveLayout, execute, generateRecords, loadElf } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { component, compute, layout, NUMBER, plugin, syscall, TABLE } from '../src/index.js';

const elf = new Uint8Array(readFileSync(new URL('../guest/bin/main.elf', import.meta.url)));
/** The guest's public input: x and y, u32 little-endian (a carry through every byte). */
const x = 0xffffff80;
const y = 0x00012345;
const publicInput = new Uint8Array(Uint32Array.of(x, y).buffer);
const u32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(0, true);

/** The proofs of these tests use the fast, insecure test config; the verifier is told so. */
const custom = createZkvm({ plugins: [...defaultPlugins(), plugin()], security: 'test' });
const insecure = { minSecurityBits: 0 };

/** A trace context of a real run (both VM passes), what the components' traces come from. */
function traceContext(): ZkvmTraceContext {
  const program = loadElf(elf);
  const options = { publicInput, syscalls: [syscall] };
  const records = generateRecords(program, deriveLayout(execute(program, options).stats), options);
  const decoded = decodeProgram(encodeProgram(program));
  return { program: decoded, records, publicInput, lookups: new Lookups(decoded, 8) };
}

describe(TABLE, () => {
  it('computes', () => {
    const words = Uint32Array.of(x, y, 0);
    compute(words);
    expect(words[2]).toBe((x + y) >>> 0);
  });

  it('a guest making the call is proven and verified by a build with the plugin', () => {
    const r = custom.prove(elf, { publicInput });
    expect(r.components[TABLE]).toBeDefined();
    expect(u32(r.claim.publicOutput)).toBe((x + y) >>> 0);
    const file = custom.proofFile(r);
    expect(u32(custom.verifyFile(file, elf, { publicInput }, insecure).publicOutput)).toBe(
      (x + y) >>> 0,
    );

    // The stock build refuses the proof (another plugin set) and cannot run the guest.
    const stock = createZkvm();
    expect(() => stock.verifyFile(file, elf, { publicInput }, insecure)).toThrow(
      /different plugin set/,
    );
    expect(() => stock.run(elf, { publicInput })).toThrow(
      new RegExp(`unknown syscall a7=${NUMBER} `),
    );
  });

  it('the honest rows satisfy every constraint; a wrong result byte breaks one', () => {
    const air = analyzeComponent(component);
    const trace = component.traceFor(traceContext());
    if (trace === null) throw new Error('the guest made no call');
    const preprocessed = () => isFirstColumn(trace.logSize);
    expect(findConstraintFailures(air, { trace, preprocessed })).toEqual([]);
    const r0 = layout.bind(trace.columns).result[0];
    r0[0] = (r0[0]! + 1) % 256;
    expect(findConstraintFailures(air, { trace, preprocessed }).map((f) => f.label)).toContain(
      'result byte 0 = x + y + carry in',
    );
  });
});
