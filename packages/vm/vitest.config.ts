import { defineConfig } from 'vitest/config';

// Default suite: everything but *.slow.test.ts (those run with `pnpm test:slow`).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.slow.test.ts', '**/node_modules/**'],
    testTimeout: 60_000,
  },
});
