// Copies the built studio (apps/studio/dist) into dist/studio at build time, so `nexus debug`
// serves it from next to the compiled CLI: in this repository and in a published package alike.
// turbo builds @nexus/studio first (it is a devDependency); built alone, the CLI says how to
// build the studio when `nexus debug` runs.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../../studio/dist/', import.meta.url));
const to = fileURLToPath(new URL('../dist/studio/', import.meta.url));
rmSync(to, { recursive: true, force: true });
if (existsSync(`${from}index.html`)) cpSync(from, to, { recursive: true });
else console.warn('copy-studio: apps/studio is not built; `nexus debug` needs `pnpm build` first');
