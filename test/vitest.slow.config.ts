import { defineConfig } from 'vitest/config';
import { shared } from '../vitest.shared.js';

// The slow suite: long-running guests at the standard security config.
export default defineConfig({
  test: { ...shared, include: ['tests/**/*.slow.test.ts'], testTimeout: 1_800_000 },
});
