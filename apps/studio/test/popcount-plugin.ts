// The example precompile (examples/precompile-popcount) ready for `nexus debug --config`, with no
// install and no manual step: its TypeScript sources transpiled into a copy of the package laid
// out as published (package.json, dist/, its own nexus.config.mjs, unchanged), placed under this
// package's node_modules so that the @nexus packages its files import resolve to the workspace's.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const example = fileURLToPath(new URL('../../../examples/precompile-popcount/', import.meta.url));

/** The example's guest: counts the primes below n (public input, u32 little-endian). */
export const POPCOUNT_ELF = join(example, 'guest', 'bin', 'popcount.elf');

/** Lays the example package out and returns the path of its nexus.config.mjs. */
export function popcountConfig(): string {
  const dir = fileURLToPath(
    new URL('../node_modules/.cache/precompile-popcount/', import.meta.url),
  );
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  for (const f of readdirSync(join(example, 'src'))) {
    const { outputText } = ts.transpileModule(readFileSync(join(example, 'src', f), 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    writeFileSync(join(dir, 'dist', f.replace(/\.ts$/, '.js')), outputText);
  }
  for (const f of ['package.json', 'nexus.config.mjs'])
    copyFileSync(join(example, f), join(dir, f));
  return join(dir, 'nexus.config.mjs');
}
