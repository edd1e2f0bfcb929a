import { defineConfig } from 'vitest/config';

// Proofs take seconds each (every zkVM proof commits 2^16-row lookup tables) and the rebuild
// test may compile core and alloc first; give them room on a small, busy machine.
//
// The workspace packages are linked outside node_modules, so Vitest would run their built dist/
// through its module transform, which makes the prover about three times slower (every call to
// an imported function goes through a getter). Importing them natively keeps proofs at the speed
// of a plain `node` run.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    server: { deps: { external: [/\/(packages|plugins|apps)\/[^/]+\/dist\//] } },
  },
});
