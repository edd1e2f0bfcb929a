// Bundles the compiled CLI (dist/main.js) and every package it imports into one file,
// dist/nexus.js, which bin/nexus.js loads for the default build. Node resolves, reads and
// compiles the ~300 ES modules of the workspace packages one by one: ~130-170 ms of a
// `nexus verify` that is itself ~250 ms; one file loads in ~25-45 ms (bench/README.md).
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../dist/main.js', import.meta.url).pathname],
  outfile: new URL('../dist/nexus.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Error and class names appear in messages (`e.name`): no renaming of colliding names.
  keepNames: true,
  // tapable is CommonJS and requires Node built-ins: give the bundle a `require`.
  banner: {
    js: "import { createRequire as __nexusCreateRequire } from 'node:module';\nconst require = __nexusCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
