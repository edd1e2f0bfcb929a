/**
 * @nexus/sdk/node: what runs segment jobs on Node.js only (worker threads; later a job queue),
 * apart from the main entry so that it stays loadable in a browser.
 *
 * @example
 * import { createSegmentPool } from '@nexus/sdk/node';
 * const pool = createSegmentPool({ threads: 2 });
 * const result = await zkvm.proveAsync(elf, inputs, { runner: pool });
 * await pool.close();
 */
export { createSegmentPool, type SegmentPoolOptions } from './segment-pool.js';
