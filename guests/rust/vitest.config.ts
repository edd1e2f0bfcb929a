import { defineConfig } from 'vitest/config';

// Proofs take seconds each (every zkVM proof commits 2^16-row lookup tables) and the rebuild
// test may compile core and alloc first; give them room on a small, busy machine.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 300_000 },
});
