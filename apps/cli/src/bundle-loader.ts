/**
 * Loads the bundled CLI (dist/nexus.cjs, scripts/bundle.mjs) with V8's code cache: the
 * bytecode of every function a training run at build time compiled (dist/nexus.cjs.cache), so
 * a command starts without compiling the ~0.8 MB of JavaScript it runs (measured: `nexus
 * verify` 0.46-0.48 s CPU without, 0.42-0.44 s with). Node 20 has no compile cache for ES
 * modules (module.enableCompileCache is Node 22), hence a CommonJS bundle run through vm.Script.
 *
 * V8 checks the cache against the source and its own version and flags, and ignores a cache
 * that does not match (a different Node.js, a rebuilt bundle): then the code compiles as usual.
 * The cache is written only by the build, never by a command.
 */
import { isAscii } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, Script } from 'node:vm';

/** What the bundle exports: the CLI's entry points (see main.ts). */
export type CliModule = typeof import('./main.js');

/** The bundle and its code cache, next to this file in dist/. */
export const BUNDLE = fileURLToPath(new URL('./nexus.cjs', import.meta.url));
export const CODE_CACHE = `${BUNDLE}.cache`;

/**
 * Runs the bundle and returns its exports, with its code cache when one matches.
 * `produceCache` (the build's training run) returns a function that writes the cache of what
 * has been compiled by the time it is called.
 */
export function loadBundle(options: { produceCache?: boolean } = {}): {
  cli: CliModule;
  cacheRejected: boolean | undefined;
  writeCache: () => void;
} {
  // esbuild writes ASCII (its default charset escapes every other character), and ASCII read
  // as Latin-1 is the same text without UTF-8 decoding: 1.6-2.8 ms instead of 5-6 ms for the
  // 1.8 MB, at every start. A bundle that were not ASCII is decoded as UTF-8.
  const bytes = readFileSync(BUNDLE);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  let cachedData: Buffer | undefined;
  if (options.produceCache !== true) {
    try {
      cachedData = readFileSync(CODE_CACHE);
    } catch {
      cachedData = undefined; // no cache built: compile as usual
    }
  }
  // CommonJS's own wrapper: the bundle sees exports, require, module, __filename, __dirname.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, {
    filename: BUNDLE,
    ...(cachedData === undefined ? {} : { cachedData }),
    // The bundle imports config files with import(): as an ES module of the main context would.
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} as CliModule };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return {
    cli: module.exports,
    cacheRejected: cachedData === undefined ? undefined : script.cachedDataRejected,
    writeCache: () => writeFileSync(CODE_CACHE, script.createCachedData()),
  };
}
