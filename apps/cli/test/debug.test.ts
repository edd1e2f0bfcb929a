import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createZkvm } from '@nexus/sdk';
import { CheckService, callCheck, describeBuild } from '@nexus/studio/server';
import { loadElf } from '@nexus/vm';
import { afterAll, describe, expect, it } from 'vitest';
import { STUDIO_DIR, studioServer } from '../src/studio-server.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fib = join(root, 'guests', 'bin', 'fib.elf');
const dir = mkdtempSync(join(tmpdir(), 'nexus-debug-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the studio server', () => {
  it('serves the build and the guest, nothing outside the build, with isolation headers', async () => {
    const site = join(dir, 'site');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>studio</title>');
    writeFileSync(join(site, 'assets', 'app.js'), 'export {};');
    writeFileSync(join(dir, 'secret.txt'), 'not for the page');
    const elf = new Uint8Array(readFileSync(fib));
    const server = studioServer(site, {
      name: 'fib.elf',
      elf,
      publicInput: new Uint8Array([1, 2]),
      privateInput: new Uint8Array([3]),
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const index = await fetch(`${base}/`);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toMatch(/text\/html/);
      expect(index.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(index.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect((await fetch(`${base}/assets/app.js`)).headers.get('content-type')).toMatch(
        /javascript/,
      );
      expect(await (await fetch(`${base}/guest/manifest.json`)).json()).toEqual({
        name: 'fib.elf',
      });
      const served = new Uint8Array(await (await fetch(`${base}/guest/program.elf`)).arrayBuffer());
      expect(served).toEqual(elf);
      const pub = await (await fetch(`${base}/guest/public-input`)).arrayBuffer();
      expect(new Uint8Array(pub)).toEqual(new Uint8Array([1, 2]));
      expect((await fetch(`${base}/..%2Fsecret.txt`)).status).toBe(404);
      expect((await fetch(`${base}/nope.js`)).status).toBe(404);
      expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
    } finally {
      server.close();
    }
  });
});

describe('the studio server with a build (nexus debug --config)', () => {
  it('serves build.json and answers api/check; refuses other hosts, origins and content types', async () => {
    const elf = new Uint8Array(readFileSync(fib));
    const inputs = { publicInput: new Uint8Array(0), privateInput: new Uint8Array(0) };
    const zkvm = createZkvm();
    const service = new CheckService(zkvm, { elf, ...inputs });
    const build = describeBuild(zkvm, 'nexus.config.mjs', loadElf(elf), inputs);
    const server = studioServer(
      STUDIO_DIR,
      { name: 'fib.elf', elf, ...inputs },
      {
        build,
        check: (body) => callCheck(service, body),
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${base}/api/check`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
      });
    try {
      expect(await (await fetch(`${base}/guest/build.json`)).json()).toEqual(build);
      const opened = await post(JSON.stringify({ method: 'open', args: [] }));
      expect(await opened.json()).toEqual({
        ok: true,
        value: { cycles: service.cycles, windowCount: 1 },
      });
      const checked = (await (await post('{"method":"check","args":[40,[]]}')).json()) as {
        value: { failures: unknown[]; busScope: string };
      };
      expect(checked.value).toMatchObject({ failures: [], busScope: 'whole' });
      const bad = await post('{"method":"check","args":[-1,[]]}');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: 'cycle must be a non-negative integer (got -1)' });
      expect((await post('not json')).status).toBe(400);
      expect((await post(`[${'0,'.repeat(600_000)}0]`)).status).toBe(413);
      expect((await post('{}', { 'Content-Type': 'text/plain' })).status).toBe(415);
      // Another site's page (its Origin) or a name rebound to 127.0.0.1 (its Host) gets nothing.
      expect((await post('{}', { Origin: 'https://example.com' })).status).toBe(403);
      const rebound = await new Promise<number>((resolve, reject) =>
        get(
          {
            host: '127.0.0.1',
            port,
            path: '/guest/private-input',
            headers: { Host: `evil.example:${port}` },
          },
          (r) => resolve(r.statusCode ?? 0),
        ).on('error', reject),
      );
      expect(rebound).toBe(403);
    } finally {
      server.close();
    }
  });
});

describe('nexus debug', () => {
  const bin = join(root, 'apps', 'cli', 'bin', 'nexus.js');

  it('rejects a file that is not an ELF with exit 126', async () => {
    const notElf = join(dir, 'not.elf');
    writeFileSync(notElf, 'hello');
    const child = spawn(process.execPath, [bin, 'debug', notElf, '--port', '0']);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(126);
    expect(err).toMatch(/cannot run this ELF/);
  });

  it.skipIf(!existsSync(join(STUDIO_DIR, 'index.html')))(
    'serves the studio with the guest, prints the URL, stops on SIGINT with exit 0',
    async () => {
      const child = spawn(process.execPath, [bin, 'debug', fib, '--port', '0']);
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (m) resolve(m[0]);
        });
        child.on('close', (c) => reject(new Error(`exited ${c} before printing a URL`)));
      });
      expect(await (await fetch(url)).text()).toMatch(/Nexus Studio/);
      expect(await (await fetch(`${url}guest/manifest.json`)).json()).toEqual({ name: 'fib.elf' });
      child.kill('SIGINT');
      expect(await new Promise((r) => child.on('close', r))).toBe(0);
    },
  );
});
