import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE, CODE_CACHE, loadBundle } from '../dist/bundle-loader.js';
import * as modules from '../dist/main.js';
import { guest } from './support/nexus.js';

// Over the built dist/, as bin/nexus.js runs it (which is why turbo.json makes typecheck wait for
// build). bin/nexus.js runs the bundle for the default build (src/bundle-loader.ts): what it loads
// must be the CLI, strict like the modules it was built from, with a code cache V8 accepts.
describe('the bundled CLI', () => {
  it('loads with the code cache the build trained, and is the CLI', async () => {
    const { cli, cacheRejected } = loadBundle();
    expect(cacheRejected).toBe(false);
    expect(readFileSync(CODE_CACHE).length).toBeGreaterThan(100_000);
    const out: string[] = [];
    const io = { ...cli.nodeIo(), stdout: (s: Uint8Array | string) => out.push(String(s)) };
    expect(await cli.main(['--version'], io)).toBe(0);
    expect(out.join('')).toMatch(/^nexus \d+\.\d+\.\d+/);
  });

  it('loads without the modules only some commands use (node:http, node:zlib, node:net)', () => {
    // The bundle runs every module's top level at load: the studio server (debug) and the
    // pprof writer (profile) import their Node modules when those commands run, not before,
    // and so does the --queue reachability check.
    const loader = new URL('../dist/bundle-loader.js', import.meta.url).href;
    const script = `const { loadBundle } = await import(${JSON.stringify(loader)});
loadBundle();
console.log(JSON.stringify(process.moduleLoadList));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const loaded = JSON.parse(run.stdout) as string[];
    expect(loaded).toContain('NativeModule vm'); // the list is what it says
    for (const m of ['http', 'zlib', 'net']) expect(loaded).not.toContain(`NativeModule ${m}`);
  });

  it('is strict code, as the ES modules it bundles are', () => {
    expect(readFileSync(BUNDLE, 'utf8').startsWith("'use strict';")).toBe(true);
  });

  it('proves as the modules do, byte for byte, in one thread and with worker threads', async () => {
    // `prove` runs from the bundle; its worker threads load the SDK's own files
    // (@nexus/sdk/node, outside the bundle): the same proof bytes from every path.
    const { cli } = loadBundle();
    const dir = mkdtempSync(join(tmpdir(), 'nexus-bundle-'));
    try {
      const input = join(dir, 'n.bin');
      writeFileSync(input, Uint8Array.of(30, 0, 0, 0));
      const io = { ...cli.nodeIo(), stdout: () => {}, stderr: () => {} };
      const proveWith = async (main: typeof cli.main, out: string, extra: string[]) => {
        const argv = ['prove', guest('fib'), '--public-input', input, '--security', 'test'];
        expect(await main([...argv, '-o', join(dir, out), ...extra], io)).toBe(0);
        return readFileSync(join(dir, out));
      };
      const single = await proveWith(modules.main, 'modules.proof', []);
      expect(await proveWith(cli.main, 'bundle.proof', [])).toEqual(single);
      const segments = ['--segment-cycles', '1024'];
      const segmented = await proveWith(modules.main, 'modules-seg.proof', [
        ...segments,
        '--workers',
        '1',
      ]);
      const threads = await proveWith(cli.main, 'bundle-seg.proof', [
        ...segments,
        '--workers',
        '2',
      ]);
      expect(threads).toEqual(segmented);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
