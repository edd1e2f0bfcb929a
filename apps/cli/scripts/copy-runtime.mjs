// Copies the guest runtime (guests/runtime) into dist/runtime at build time, so `nexus new`
// finds it next to the compiled CLI: in this repository and in a published package alike
// (which ships dist/ but not the repository's guests/).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../../../guests/runtime/', import.meta.url));
const to = fileURLToPath(new URL('../dist/runtime/', import.meta.url));
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) copyFileSync(from + name, to + name);
