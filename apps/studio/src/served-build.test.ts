import { readFileSync } from 'node:fs';
import { keccak, keccakSyscall } from '@nexus/precompile-keccak';
import { createZkvm, defaultPlugins } from '@nexus/sdk';
import { loadElf } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { BadCheckRequest, callCheck } from './check-api.js';
import { CheckService } from './check-service.js';
import { describeBuild, ReplayMissError, replayedExtensions } from './served-build.js';
import { DebugSession } from './session.js';

const elfOf = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url)));
const inputs = { publicInput: new Uint8Array(0), privateInput: new Uint8Array(0) };
// A config's build: the default plugins plus Keccak-f (not in the default build), a plugin the
// page is told about only through the served description.
const zkvm = createZkvm({ plugins: [...defaultPlugins(), keccak()] });

describe('a served build (nexus debug --config)', () => {
  const program = loadElf(elfOf('keccak256-precompile'));
  const build = describeBuild(zkvm, 'nexus.config.mjs', program, inputs);

  it('names the plugins and the digest, and keeps each distinct call of the run as plain data', () => {
    expect(build.plugins.map((p) => p.name)).toContain('@nexus/precompile-keccak');
    expect(build.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(build.digest).not.toBe(describeBuild(createZkvm(), null, program, inputs).digest);
    const k = build.syscalls.find((s) => s.name === 'keccakf')!;
    expect(k.calls.length).toBeGreaterThan(0);
    // JSON round trip: what the page receives.
    expect(JSON.parse(JSON.stringify(build))).toEqual(build);
  });

  it('the page replaying the calls steps through the same states as the plugin itself', () => {
    const served = JSON.parse(JSON.stringify(build));
    const replayed = new DebugSession(program, { ...inputs, ...replayedExtensions(served, []) });
    const native = new DebugSession(program, { ...inputs, syscalls: zkvm.syscalls });
    replayed.recordAll();
    native.recordAll();
    expect(replayed.end).toEqual(native.end);
    expect(replayed.lastCycle).toBe(native.lastCycle);
    for (const c of [0, 1, replayed.lastCycle >> 1, replayed.lastCycle]) {
      const a = replayed.stateAt(c);
      const b = native.stateAt(c);
      expect(a.registers).toEqual(b.registers);
      expect(a.output).toEqual(b.output);
    }
    // The page's own code for a bundled plugin is used as is.
    expect(replayedExtensions(served, [keccakSyscall]).syscalls).toContain(keccakSyscall);
  });

  it('a call the served run never made is an error, not a made-up result', () => {
    const { syscalls } = replayedExtensions(build, []);
    const k = syscalls.find((s) => s.name === 'keccakf')!;
    expect(() => k.compute(new Uint32Array(50).fill(7))).toThrow(ReplayMissError);
  });
});

describe('api/check (the constraint view answered by nexus debug)', () => {
  const service = new CheckService(zkvm, { elf: elfOf('keccak256-precompile'), ...inputs });

  it('answers the worker protocol: open, check, rows, honest, with the service errors by name', () => {
    const opened = callCheck(service, { method: 'open', args: [] });
    expect(opened).toEqual({ ok: true, value: { cycles: service.cycles, windowCount: 1 } });
    const checked = callCheck(service, { method: 'check', args: [10, []] });
    expect(checked.ok && (checked.value as { failures: unknown[] }).failures).toEqual([]);
    const rows = callCheck(service, { method: 'rows', args: [10, null] });
    expect(rows.ok).toBe(true);
    const bad = callCheck(service, {
      method: 'honest',
      args: [{ component: 'add', column: 'zz', row: 0 }],
    });
    expect(bad).toMatchObject({ ok: false, message: expect.stringMatching(/no column zz/) });
  });

  it('refuses malformed requests at the boundary', () => {
    for (const body of [
      null,
      { method: 'check' },
      { method: 'open', args: {} },
      { method: 'constructor', args: [] },
      { method: 'check', args: [-1, []] },
      { method: 'check', args: [1.5, []] },
      { method: 'check', args: [1, 'x'] },
      { method: 'check', args: [1, [{ component: 'add', column: 'r0', row: 0 }]] },
      { method: 'rows', args: [1, { component: 3, row: 0 }] },
      { method: 'honest', args: [{ component: 'add', column: '', row: 0 }] },
      { method: 'checkRunBuses', args: [0] },
    ])
      expect(() => callCheck(service, body), JSON.stringify(body)).toThrow(BadCheckRequest);
  });
});
