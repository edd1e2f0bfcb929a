import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { elfSection, lineAt, loadElf, readLineTable } from '@nexus/vm';
import { afterAll, describe, expect, it } from 'vitest';
import { nexusInProcess } from './support/in-process.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const guest = (name: string) => join(root, 'guests', 'bin', `${name}.elf`);
const dir = mkdtempSync(join(tmpdir(), 'nexus-trace-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function nexus(cwd: string, ...argv: string[]) {
  const r = await nexusInProcess(cwd, argv);
  return { ...r, stdout: r.stdout.toString() };
}

/** The source line of each printed cycle: the last "@ file:line" line before it. */
function sourceOfCycles(stdout: string): Map<number, string> {
  const out = new Map<number, string>();
  let current = '';
  for (const line of stdout.split('\n')) {
    if (line.startsWith('@ ')) current = line.slice(2);
    const m = /^\s+(\d+)\s+0x/.exec(line);
    if (m !== null) out.set(Number(m[1]), current);
  }
  return out;
}

describe('nexus trace: C source lines from DWARF', () => {
  it('prints file:line when the line changes, the file as found from the ELF directory', async () => {
    const r = await nexus(root, 'trace', guest('fib'), '--from', '80', '--to', '120');
    expect(r.code).toBe(0);
    const marks = r.stdout.split('\n').filter((l) => l.startsWith('@ '));
    expect(marks.length).toBeGreaterThan(2);
    // Never the same line twice in a row: a mark only where the line changes.
    for (let i = 1; i < marks.length; i++) expect(marks[i]).not.toBe(marks[i - 1]);
    // Every cycle's mark is what the line table says for its pc (guests/c/fib.c, relative to cwd).
    const json = await nexus(root, 'trace', guest('fib'), '--from', '80', '--to', '120', '--json');
    const cycles = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((o) => o.clk !== undefined);
    const bytes = new Uint8Array(readFileSync(guest('fib')));
    const table = readLineTable(bytes, loadElf(bytes))!;
    const shown = sourceOfCycles(r.stdout);
    for (const c of cycles) {
      const where = lineAt(table, c.pc)!;
      expect(c.source).toEqual({ file: where.file.path, line: where.line, column: where.column });
      const file = where.file.relative === 'c/fib.c' ? 'guests/c/fib.c' : undefined;
      if (file !== undefined) expect(shown.get(c.clk)).toBe(`${file}:${where.line}`);
    }
    expect(cycles.some((c) => c.source.file === '../c/fib.c')).toBe(true);
  });

  it('an ELF away from its sources: the DWARF path; --no-source: none', async () => {
    const away = join(dir, 'fib.elf');
    copyFileSync(guest('fib'), away);
    const r = await nexus(dir, 'trace', away, '--from', '90', '--to', '95');
    expect(r.stdout).toMatch(/^@ \.\.\/c\/fib\.c:\d+$/m);
    const none = await nexus(dir, 'trace', away, '--from', '90', '--to', '95', '--no-source');
    expect(none.stdout).not.toMatch(/^@ /m);
    const json = await nexus(dir, 'trace', away, '--to', '3', '--json', '--no-source');
    expect(json.stdout).not.toMatch(/"source"/);
  });

  it('without -g: no source lines; unreadable line info: a note, and the trace still runs', async () => {
    const plain = await nexus(root, 'trace', guest('mext'), '--to', '20');
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toMatch(/^@ /m);
    expect(plain.stderr).not.toMatch(/note/);
    // fib.elf with the first unit's version set to 9.
    const bytes = new Uint8Array(readFileSync(guest('fib')));
    const line = elfSection(bytes, '.debug_line')!;
    line[4] = 9;
    const broken = join(dir, 'broken.elf');
    writeFileSync(broken, bytes);
    const r = await nexus(dir, 'trace', broken, '--to', '20');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /nexus trace: note: no source lines: DWARF \.debug_line .*line table version 9 is not supported/,
    );
    expect(r.stdout).toMatch(/^\s+20\s+0x/m);
  });
});
