/**
 * @nexus/sdk/node: what runs on Node.js only (worker threads: a pool for segment jobs, a pool
 * one proof is split over), apart from the main entry so that it stays loadable in a browser.
 *
 * @example
 * import { createSegmentPool } from '@nexus/sdk/node';
 * const pool = createSegmentPool({ threads: 2 });
 * const result = await zkvm.proveAsync(elf, inputs, { runner: pool });
 * await pool.close();
 */
export {
  createProverPool,
  type ProverPoolOptions,
  type ProverThreadPool,
} from './prover-pool.js';
export { createSegmentPool, type SegmentPoolOptions } from './segment-pool.js';
