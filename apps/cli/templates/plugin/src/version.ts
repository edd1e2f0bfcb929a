import { createRequire } from 'node:module';

/** The package's name and version, read from its package.json (never kept by hand). */
const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

/**
 * The name of the call, of its records table and of the component that proves it: the package
 * name without its scope. Table names are global in a zkVM build: two plugins cannot share one.
 */
export const TABLE: string = NAME.replace(/^@[^/]+\//, '');
