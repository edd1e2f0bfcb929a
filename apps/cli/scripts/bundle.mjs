// Bundles the compiled CLI (dist/main.js) and every package it imports into one CommonJS file,
// dist/nexus.cjs, which bin/nexus.js runs for the default build (src/bundle-loader.ts), then
// trains its code cache. Node resolves, reads and compiles the 285 ES modules of the workspace
// packages one by one: 160-220 ms of a `nexus verify`; one file loads in 25-56 ms
// (bench/README.md, "Fixed cost").
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../dist/main.js', import.meta.url).pathname],
  outfile: new URL('../dist/nexus.cjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Error and class names appear in messages (`e.name`): no renaming of colliding names.
  keepNames: true,
  // Whitespace and comments out (identifiers kept, so stack traces still name functions): a
  // third of the bytes, and all ASCII (comments held the only non-ASCII characters, which made
  // the source a two-byte string): reading and loading it took 42-80 ms, 37-50 ms so.
  minifyWhitespace: true,
  minifySyntax: true,
  // The sources are ES modules, strict by definition: so is the bundle. import.meta.url is the
  // bundle's own URL (nexus new finds its templates from it, the studio its files).
  banner: {
    js: "'use strict';\nconst __nexusImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
  },
  define: { 'import.meta.url': '__nexusImportMetaUrl' },
  // Worker threads start from files of the SDK (segment-thread.js next to segment-pool.js,
  // found from their own import.meta.url): the pool is imported from the package at run time.
  external: ['@nexus/sdk/node'],
  // import() in code run from V8's code cache fails in Node 20 ("A dynamic import callback was
  // not specified"): the bundle requires instead (Node >= 20.19 requires ES modules too).
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
});

// The code cache: the bundle run on a small proof and its verification, then the bytecode of
// every function compiled so far saved next to it. Without the repository's guests (a copy of
// the package elsewhere), or if the run fails, there is no cache and commands compile as usual.
const train = spawnSync(
  process.execPath,
  [new URL('./train-code-cache.mjs', import.meta.url).pathname],
  { encoding: 'utf8' },
);
if (train.status !== 0) {
  process.stderr.write(`bundle: no code cache (${train.stderr.trim().split('\n').at(-1)})\n`);
}
