import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLE, CODE_CACHE, loadBundle } from '../dist/bundle-loader.js';

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

  it('is strict code, as the ES modules it bundles are', () => {
    expect(readFileSync(BUNDLE, 'utf8').startsWith("'use strict';")).toBe(true);
  });
});
