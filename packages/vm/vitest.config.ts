import { defineConfig } from 'vitest/config';

// Default suite: everything but *.slow.test.ts (those run with `pnpm test:slow`).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.slow.test.ts', '**/node_modules/**'],
    // As vitest.shared.ts: generous, because a 2-core machine running the whole suite is
    // busy (the fuzz test takes 7 s alone and took 72 s inside `pnpm test` at load 12).
    testTimeout: 120_000,
  },
});
