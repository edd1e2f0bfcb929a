import { defineConfig } from 'vitest/config';

// Proving tests do real work (the 2^16-row tables of every zkVM proof); give them time.
export default defineConfig({ test: { testTimeout: 60_000 } });
