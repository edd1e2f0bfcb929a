import { defineConfig } from 'vitest/config';

// Proofs take seconds each. The zkVM's packages are imported natively (not through Vitest's
// module transform, which slows the prover down about three times): they are in node_modules
// once installed, and this keeps them native when they are linked from elsewhere too.
export default defineConfig({
  test: { testTimeout: 300_000, server: { deps: { external: [/\/dist\//] } } },
});
