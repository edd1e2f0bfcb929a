import { defineConfig } from 'vitest/config';

// The slow suite: long-running guests at the standard security config.
export default defineConfig({
  test: { include: ['tests/**/*.slow.test.ts'], testTimeout: 1_800_000 },
});
