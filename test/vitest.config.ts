import { defineConfig } from 'vitest/config';
import { shared } from '../vitest.shared.js';

// End-to-end proofs take seconds each (every zkVM proof commits 2^16-row lookup tables).
export default defineConfig({
  test: {
    ...shared,
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/**/*.slow.test.ts'],
    testTimeout: 300_000,
  },
});
