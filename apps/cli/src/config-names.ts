/**
 * Where a config comes from: its own module, with no imports but Node's, so bin/nexus.js can
 * tell before loading anything else whether a config file is in play (entry-choice.ts).
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Config file names looked up in the current directory, in this order, when --config is absent. */
export const DEFAULT_CONFIG_NAMES = ['nexus.config.mjs', 'nexus.config.js', 'nexus.config.ts'];

/**
 * True when the command line names a config (`--config`) or the current directory holds one
 * of DEFAULT_CONFIG_NAMES. bin/nexus.js then runs the CLI on the packages' own modules instead
 * of the bundle (entry-choice.ts).
 *
 * @example
 * usesConfigFile(['verify', 'fib.proof', '--config', 'my.mjs'], process.cwd()); // true
 */
export function usesConfigFile(argv: readonly string[], cwd: string): boolean {
  if (argv.some((a) => a === '--config' || a.startsWith('--config='))) return true;
  return DEFAULT_CONFIG_NAMES.some((n) => existsSync(join(cwd, n)));
}
