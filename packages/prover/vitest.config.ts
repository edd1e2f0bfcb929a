import { defineConfig } from 'vitest/config';

// Proving tests do real work (up to 2^16-row traces); give them time, but keep each file fast.
export default defineConfig({ test: { testTimeout: 60_000 } });
