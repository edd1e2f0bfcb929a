import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// Test-only helpers of the VM package: an assembler and an ELF writer for faulting guests.
import { Asm, Reg } from '../../../packages/vm/test/support/asm.js';
import { programElf } from '../../../packages/vm/test/support/elf-writer.js';
import { EXIT } from '../src/main.js';
import { nexusInProcess } from './support/in-process.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const guest = (name: string) => join(root, 'guests', 'bin', `${name}.elf`);
const dir = mkdtempSync(join(tmpdir(), 'nexus-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = (bytes: Uint8Array) => {
  const p = join(dir, `f${files++}`);
  writeFileSync(p, bytes);
  return p;
};
const u32le = (...xs: number[]) => new Uint8Array(Uint32Array.from(xs).buffer);

const nexus = (...argv: string[]) => nexusInProcess(dir, argv);

describe('nexus run', () => {
  it('prints the public output on stdout, the log and a summary on stderr, exits with the guest code', async () => {
    const r = await nexus('run', guest('fib'), '--public-input', file(u32le(10)));
    expect(r.code).toBe(0);
    expect(r.stdout.toString('hex')).toBe('3700000000000000');
    expect(r.stderr).toMatch(
      /^fib\(10\) mod 2\^64 = 55\nnexus run: exit 0, [\d,]+ cycles in \d+\.\d{3} s \([\d.]+ MIPS\)\n$/,
    );
  });
  it('passes both inputs and returns the guest exit code', async () => {
    const r = await nexus(
      'run',
      guest('io'),
      '--private-input',
      file(Uint8Array.of(200, 1, 2)),
      '--public-input',
      file(Uint8Array.of(7)),
    );
    expect(r.code).toBe(200);
    expect(Array.from(new Uint32Array(new Uint8Array(r.stdout).buffer.slice(0, 8)))).toEqual([
      3, 1,
    ]);
  });
  it('--json prints one JSON object', async () => {
    const r = await nexus('run', guest('factorial'), '--public-input', file(u32le(10)), '--json');
    const j = JSON.parse(r.stdout.toString());
    expect(j).toMatchObject({
      exitCode: 0,
      output: Buffer.from('3628800').toString('hex'),
      error: null,
    });
    expect(j.cycles).toBeGreaterThan(100);
    expect(typeof j.timeMs).toBe('number');
    expect(r.stdout.toString().trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe('10! has 7 digits\n');
  });
  it('a fault prints its cause and exits with 128 + signal', async () => {
    const cases: [Asm, number, RegExp][] = [
      [
        new Asm().word(0x00100073),
        EXIT.ILLEGAL_INSTRUCTION,
        /IllegalInstructionError at cycle 1: illegal instruction 0x00100073: EBREAK/,
      ],
      [
        new Asm().li(Reg.t0, 0x40002).load('lw', Reg.a0, Reg.t0, 0),
        EXIT.MISALIGNED,
        /misaligned 4-byte load at 0x00040002/,
      ],
      [
        new Asm().load('lw', Reg.a0, 0, 16),
        EXIT.SEGFAULT,
        /unmapped address 0x00000010 \(pc 0x00010000\)/,
      ],
      [
        new Asm().li(Reg.t0, 0x10000).store('sw', 0, Reg.t0, 0),
        EXIT.SEGFAULT,
        /read-only code segment/,
      ],
      [new Asm().li(Reg.a7, 1).ecall(), EXIT.BAD_SYSCALL, /unknown syscall a7=1/],
      [new Asm().li(Reg.a0, 5).li(Reg.a7, 64).ecall(), EXIT.BAD_SYSCALL, /write on bad fd 5/],
    ];
    for (const [asm, code, msg] of cases) {
      const r = await nexus('run', file(programElf(asm.bytes())));
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).toMatch(/stopped after \d+ cycles/);
    }
    const r = await nexus('run', guest('long'), '--max-cycles', '1000', '--json');
    expect(r.code).toBe(EXIT.CYCLE_LIMIT);
    const j = JSON.parse(r.stdout.toString());
    expect(j).toMatchObject({
      exitCode: null,
      cycles: 1000,
      error: { name: 'CycleLimitError', clk: 1001 },
    });
  });
  it('bad ELFs, missing files and bad options are clear errors', async () => {
    let r = await nexus('run', file(new TextEncoder().encode('not an elf')));
    expect(r.code).toBe(EXIT.BAD_ELF);
    expect(r.stderr).toMatch(/cannot run this ELF: .*not an ELF file/);
    r = await nexus('run', join(dir, 'missing.elf'));
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stderr).toMatch(/ELF file '.*missing\.elf' not found \(ENOENT\)\n$/);
    r = await nexus('run', guest('fib'), '--public-input', join(dir, 'nope'));
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stderr).toMatch(/public input '.*nope' not found/);
    r = await nexus('run', guest('fib'), '--public-input', dir);
    expect(r.code).toBe(EXIT.UNREADABLE);
    expect(r.stderr).toMatch(/cannot read public input '.*': it is a directory \(EISDIR\)\n$/);
    r = await nexus('run', guest('fib'), '--max-cycles', 'lots');
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/--max-cycles must be an integer >= 1 \(got 'lots'\)/);
    r = await nexus('run', guest('fib'), '--frobnicate');
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/Unknown option '--frobnicate'[\s\S]*usage: nexus run/);
    r = await nexus('run');
    expect(r.stderr).toMatch(/missing the ELF file/);
  });
});

describe('nexus trace', () => {
  it('prints the selected cycles with disassembly and effects', async () => {
    const r = await nexus('trace', guest('fib'), '--from', '9', '--to', '11');
    expect(r.code).toBe(0);
    const lines = r.stdout.toString().trim().split('\n');
    expect(lines[0]).toMatch(/cycle\s+pc\s+word\s+instruction/);
    const rows = lines.filter((l) => /^\s+\d+ /.test(l));
    expect(rows.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual([9, 10, 11]);
    expect(lines.some((l) => /^<__riscv_save_0>:$/.test(l))).toBe(true);
    expect(r.stdout.toString()).toMatch(/sw s2, 0\(sp\)\s+store 4 @ 0x[0-9a-f]{8}: word/);
    expect(r.stderr).toMatch(/stopped after cycle 11 \(--to\)/);
  });
  it('--json gives one object per cycle and an end record; runs to the exit by default', async () => {
    const r = await nexus('trace', guest('fib'), '--public-input', file(u32le(3)), '--json');
    expect(r.code).toBe(0);
    const objs = r.stdout
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const end = objs.pop();
    expect(end).toMatchObject({ end: 'exit', exitCode: 0, output: '0200000000000000' });
    expect(objs.map((o) => o.clk)).toEqual(Array.from({ length: end.cycles }, (_, i) => i + 1));
    expect(objs.at(-1)).toMatchObject({ asm: 'ecall', syscall: { name: 'exit', a7: 93 } });
    const writes = objs.filter((o) => o.syscall?.name === 'write');
    expect(writes.length).toBeGreaterThan(0);
    const load = objs.find((o) => o.memory.length > 0 && o.memory[0].kind === 'load');
    expect(load.memory[0]).toHaveProperty('wordBefore');
  });
  it('reports faults in range', async () => {
    const r = await nexus(
      'trace',
      file(programElf(new Asm().i('addi', Reg.a0, 0, 1).word(0).bytes())),
    );
    expect(r.code).toBe(EXIT.ILLEGAL_INSTRUCTION);
    expect(r.stderr).toMatch(/IllegalInstructionError at cycle 2/);
    expect(r.stdout.toString()).toMatch(
      /1\s+0x00010000\s+00100513\s+addi a0, zero, 1\s+a0 = 0x00000001/,
    );
  });
  it('checks its range options', async () => {
    const r = await nexus('trace', guest('fib'), '--from', '10', '--to', '5');
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/--to 5 is before --from 10/);
  });
});

describe('nexus', () => {
  it('lists its commands, prints versions, rejects unknown commands', async () => {
    let r = await nexus('--help');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(
      /run\s+run a guest[\s\S]*trace\s+run a guest cycle by cycle/,
    );
    r = await nexus();
    expect(r.code).toBe(EXIT.USAGE);
    r = await nexus('frobnicate');
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    r = await nexus('run', '--help');
    expect(r.stdout.toString()).toMatch(/usage: nexus run <elf>/);
    expect((await nexus('--version')).stdout.toString()).toMatch(/^nexus \d+\.\d+\.\d+\n$/);
  });
  it('the installed bin runs (built dist, real process exit code)', () => {
    const bin = fileURLToPath(new URL('../bin/nexus.js', import.meta.url));
    const r = spawnSync(
      process.execPath,
      [bin, 'run', guest('io'), '--private-input', file(Uint8Array.of(42))],
      { encoding: 'buffer' },
    );
    expect(r.status).toBe(42);
    expect(r.stdout.length).toBe(20);
    expect(r.stderr.toString()).toMatch(/nexus run: exit 42/);
  });
  it('stops quietly when its reader goes away (nexus trace | head)', async () => {
    const bin = fileURLToPath(new URL('../bin/nexus.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'trace', guest('fib')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // Read the first chunk, then close the pipe as `head -1` would.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(128 + 13);
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
  });
});
