import { defineConfig } from 'vitest/config';

/**
 * The Vitest settings every package shares. Workspace packages are linked outside
 * node_modules, so Vitest would run their built dist/ through its module transform, which
 * makes the prover about three times slower (every call to an imported function goes through
 * a getter): importing them natively keeps tests at the speed of a plain `node` run. Timeouts
 * are generous because this 2-core machine is often busy; tests never assert on time.
 */
export const shared = {
  testTimeout: 120_000,
  server: { deps: { external: [/\/(packages|plugins|apps)\/[^/]+\/dist\//] } },
};

export default defineConfig({ test: shared });
