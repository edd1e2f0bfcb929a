// Copies the built studio (apps/studio/dist) into dist/studio at build time, so `nexus debug`
// serves it from next to the compiled CLI: in this repository and in a published package alike.
// turbo builds @nexus/studio first (it is a devDependency); built alone, the CLI says how to
// build the studio when `nexus debug` runs.
//
// The studio's Node side (apps/studio/lib/server.js: the constraint view's checks and the build
// description `nexus debug --config` runs here, for the config's plugins) is bundled into
// dist/studio-check.js with the @nexus packages left as imports: the studio is a private app, so
// a published CLI carries its code, while the zkVM packages stay the ones the config's plugins
// use (one @nexus/kernel for both).
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const from = fileURLToPath(new URL('../../studio/dist/', import.meta.url));
const to = fileURLToPath(new URL('../dist/studio/', import.meta.url));
rmSync(to, { recursive: true, force: true });
if (existsSync(`${from}index.html`)) cpSync(from, to, { recursive: true });
else console.warn('copy-studio: apps/studio is not built; `nexus debug` needs `pnpm build` first');

const server = fileURLToPath(new URL('../../studio/lib/server.js', import.meta.url));
const check = fileURLToPath(new URL('../dist/studio-check.js', import.meta.url));
rmSync(check, { force: true });
if (existsSync(server))
  await build({
    entryPoints: [server],
    outfile: check,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@nexus/*'],
    keepNames: true,
    logLevel: 'warning',
  });
