import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ZkvmError } from './errors.js';

/**
 * What a worker-thread pool of this package starts from: its thread count (default one per
 * core, checked) and the built module each thread runs (`entry`, next to this file in dist/).
 * Running from the sources (a test importing src/) there is no built entry: a clear error.
 */
export function threadEntry(
  threads: number | undefined,
  entry: string,
  what: string,
): { readonly threads: number; readonly filename: string } {
  const count = threads ?? availableParallelism();
  if (!Number.isInteger(count) || count < 1)
    throw new ZkvmError(`threads must be a positive integer (got ${count})`, {
      reason: 'options',
    });
  const filename = fileURLToPath(new URL(`./${entry}`, import.meta.url));
  if (!existsSync(filename)) {
    throw new ZkvmError(
      `the ${what}'s thread entry ${filename} is missing: build @nexus/sdk (pnpm build) to use worker threads`,
      { reason: 'workers' },
    );
  }
  return { threads: count, filename };
}
