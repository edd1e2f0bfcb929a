import { createRequire } from 'node:module';

/** The package's name and version, read from its package.json (never kept by hand). */
const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;
