/**
 * Where a config comes from: its own module, with no imports, so bin/nexus.js can tell before
 * loading anything else whether a config file is in play (see `usesConfigFile`).
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Config file names looked up in the current directory, in this order, when --config is absent. */
export const DEFAULT_CONFIG_NAMES = ['nexus.config.mjs', 'nexus.config.js', 'nexus.config.ts'];

/**
 * True when the command line names a config (`--config`) or the current directory holds one
 * of DEFAULT_CONFIG_NAMES. bin/nexus.js then runs the CLI on the packages' own modules instead
 * of the bundle: a config's plugins import @nexus/kernel themselves, and the kernel accepts only
 * the objects of its own copy (brand.ts), which a bundled copy is not.
 *
 * @example
 * usesConfigFile(['verify', 'fib.proof', '--config', 'my.mjs'], process.cwd()); // true
 */
export function usesConfigFile(argv: readonly string[], cwd: string): boolean {
  if (argv.some((a) => a === '--config' || a.startsWith('--config='))) return true;
  return DEFAULT_CONFIG_NAMES.some((n) => existsSync(join(cwd, n)));
}
