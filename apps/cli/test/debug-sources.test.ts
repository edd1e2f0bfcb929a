import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadElf } from '@nexus/vm';
import { afterAll, describe, expect, it } from 'vitest';
import { type SourceLines, sourceLines } from '../src/source-files.js';
import { studioServer } from '../src/studio-server.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fibPath = join(root, 'guests', 'bin', 'fib.elf');
const dir = mkdtempSync(join(tmpdir(), 'nexus-debug-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const linesOf = (path: string): SourceLines => {
  const bytes = new Uint8Array(readFileSync(path));
  const lines = sourceLines(path, bytes, loadElf(bytes));
  if (typeof lines !== 'object') throw new Error(`no line table: ${lines}`);
  return lines;
};
const foundFor = (lines: SourceLines, relative: string) =>
  lines.found[lines.table.files.findIndex((f) => f.relative === relative)];

describe('the source files nexus debug serves', () => {
  it('found from the compilation directory the DWARF names, relative to the ELF', () => {
    const lines = linesOf(fibPath);
    expect(foundFor(lines, 'c/fib.c')).toBe(join(root, 'guests', 'c', 'fib.c'));
    expect(foundFor(lines, 'runtime/zkvm.c')).toBe(join(root, 'guests', 'runtime', 'zkvm.c'));
    // picolibc's sources are not on this machine (only its headers are).
    const vfprintf = lines.table.files.findIndex((f) => f.path.endsWith('tinystdio/vfprintf.c'));
    expect(vfprintf).toBeGreaterThanOrEqual(0);
    expect(lines.found[vfprintf]).toBeUndefined();
  });

  it('then by their path without the compilation directory, relative to the ELF', () => {
    // An ELF beside a c/ folder, away from guests/: ../c/fib.c is not there, c/fib.c is.
    mkdirSync(join(dir, 'moved', 'c'), { recursive: true });
    copyFileSync(fibPath, join(dir, 'moved', 'fib.elf'));
    writeFileSync(join(dir, 'moved', 'c', 'fib.c'), 'int main(void) { return 0; }\n');
    const lines = linesOf(join(dir, 'moved', 'fib.elf'));
    expect(foundFor(lines, 'c/fib.c')).toBe(join(dir, 'moved', 'c', 'fib.c'));
    expect(foundFor(lines, 'runtime/zkvm.c')).toBeUndefined();
  });

  it('the server gives only the listed files, read-only, and 404 for the rest', async () => {
    const site = join(dir, 'site');
    mkdirSync(site, { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html>');
    const listed = join(dir, 'listed.c');
    writeFileSync(listed, 'int x;\n');
    const server = studioServer(site, {
      name: 'fib.elf',
      elf: new Uint8Array(readFileSync(fibPath)),
      publicInput: new Uint8Array(0),
      privateInput: new Uint8Array(0),
      sources: [listed, undefined, join(dir, 'gone.c')],
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ok = await fetch(`${base}/guest/source/0`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/text\/plain/);
      expect(await ok.text()).toBe('int x;\n');
      for (const bad of ['1', '2', '3', '-1', '0x0', '..%2F..%2Fetc%2Fpasswd', '99999999999'])
        expect((await fetch(`${base}/guest/source/${bad}`)).status, bad).toBe(404);
      expect((await fetch(`${base}/guest/source/0`, { method: 'PUT' })).status).toBe(405);
    } finally {
      server.close();
    }
  });
});
