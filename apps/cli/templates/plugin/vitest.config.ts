import { defineConfig } from 'vitest/config';

// Proofs take seconds each. The zkVM's packages are imported natively (not through Vitest's
// module transform, which slows the prover down about three times).
export default defineConfig({
  test: { testTimeout: 300_000, server: { deps: { external: [/\/dist\//] } } },
});
