import { defineConfig } from 'vitest/config';

// Slow suite (`pnpm test:slow`): long guests through pass 2, large random campaigns against
// qemu, rebuilding the guests with gcc.
export default defineConfig({
  test: {
    include: ['test/**/*.slow.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
