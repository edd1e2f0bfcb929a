// The example guests ship with the studio: Vite copies each ELF into the build as an asset, so a
// static build opens them without a server.
import fibUrl from '../../../guests/bin/fib.elf?url';
import ioUrl from '../../../guests/bin/io.elf?url';
import sha256Url from '../../../guests/bin/sha256-precompile.elf?url';
import sortUrl from '../../../guests/bin/sort.elf?url';

/** A bundled example guest and the inputs it is opened with. */
export interface Example {
  readonly name: string;
  readonly description: string;
  readonly url: string;
  readonly publicInput: Uint8Array;
  readonly privateInput: Uint8Array;
}

const te = new TextEncoder();

export const EXAMPLES: readonly Example[] = [
  {
    name: 'fib',
    description: 'fib(50) mod 2^64 (public input: n as u32 LE)',
    url: fibUrl,
    publicInput: new Uint8Array(0),
    privateInput: new Uint8Array(0),
  },
  {
    name: 'sort',
    description: 'sorts 2000 pseudo-random u32 (public input: n, seed)',
    url: sortUrl,
    publicInput: new Uint8Array(0),
    privateInput: new Uint8Array(0),
  },
  {
    name: 'io',
    description: 'hashes both input tapes (opened with a short text on each)',
    url: ioUrl,
    publicInput: te.encode('public hello'),
    privateInput: te.encode('private hello'),
  },
  {
    name: 'sha256',
    description:
      'SHA-256 of the public input with the sha256_compress precompile (opened with "abc")',
    url: sha256Url,
    publicInput: te.encode('abc'),
    privateInput: new Uint8Array(0),
  },
];
