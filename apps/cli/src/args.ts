import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ElfError, type ElfProgram, loadElf, MAX_TRACE_CYCLES } from '@nexus/vm';
import { CliError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

/** A command-line mistake: the message says what was wrong; the command prints its usage. */
export class UsageError extends Error {}

/** Options every command that runs a guest takes. */
export const GUEST_OPTIONS = {
  'public-input': { type: 'string' },
  'private-input': { type: 'string' },
  'max-cycles': { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export const GUEST_OPTIONS_HELP = `  --public-input FILE   bytes of the public input tape (fd 3); default empty
  --private-input FILE  bytes of the private input tape (fd 0); default empty
  --max-cycles N        stop with a fault after N instructions (default ${MAX_TRACE_CYCLES})
  --config FILE         the zkVM build whose precompiles the guest may call (see nexus prove
                        --help; default ./nexus.config.mjs when present, else the bundled build)
  --json                machine-readable output`;

type Parsed<O extends NonNullable<ParseArgsConfig['options']>> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/** parseArgs with errors turned into UsageError. */
export function parse<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
): Parsed<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** A non-negative integer option (cycle counts); undefined when absent. */
export function intOption(value: string | undefined, name: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replaceAll('_', ''));
  if (!/^[0-9_]+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} must be an integer >= ${min} (got '${value}')`);
  }
  return n;
}

/**
 * Reads a file named on the command line. A missing file and an unreadable one are different
 * mistakes with different fixes, so they get different exit statuses.
 */
export function readInput(io: CliIo, path: string, what: string): Uint8Array {
  try {
    return io.readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT')
      throw new CliError(`${what} '${path}' not found (ENOENT)`, EXIT.NOT_FOUND);
    const why =
      code === 'EISDIR'
        ? 'it is a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : ((e as Error).message ?? String(e));
    throw new CliError(
      `cannot read ${what} '${path}': ${why}${code === undefined ? '' : ` (${code})`}`,
      EXIT.UNREADABLE,
    );
  }
}

export interface GuestArgs {
  readonly elfPath: string;
  readonly program: ElfProgram;
  readonly publicInput: Uint8Array;
  readonly privateInput: Uint8Array;
  readonly maxCycles: number;
  readonly json: boolean;
}

/** Reads the ELF (positional) and the inputs; ElfError passes through for its own exit code. */
export function guestArgs(
  io: CliIo,
  positionals: string[],
  values: {
    'public-input'?: string;
    'private-input'?: string;
    'max-cycles'?: string;
    json?: boolean;
  },
): GuestArgs {
  if (positionals.length === 0) throw new UsageError('missing the ELF file to run');
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  const elfPath = positionals[0]!;
  const { program } = readElf(io, elfPath);
  const maxCycles = intOption(values['max-cycles'], 'max-cycles', 1) ?? MAX_TRACE_CYCLES;
  return {
    elfPath,
    program,
    publicInput:
      values['public-input'] === undefined
        ? new Uint8Array(0)
        : readInput(io, values['public-input'], 'public input'),
    privateInput:
      values['private-input'] === undefined
        ? new Uint8Array(0)
        : readInput(io, values['private-input'], 'private input'),
    maxCycles,
    json: values.json === true,
  };
}

/** Writes an output file; failures are exit 6 with the reason. */
export function writeOutput(io: CliIo, path: string, data: Uint8Array, what: string): void {
  try {
    io.writeFile(path, data);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'its directory does not exist'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : ((e as Error).message ?? String(e));
    throw new CliError(
      `cannot write ${what} '${path}': ${why}${code === undefined ? '' : ` (${code})`}`,
      EXIT.CANNOT_WRITE,
    );
  }
}

/** Reads and parses an ELF; ElfError passes through (exit 126) with the path in its message. */
export function readElf(io: CliIo, path: string): { bytes: Uint8Array; program: ElfProgram } {
  const bytes = readInput(io, path, 'ELF file');
  try {
    return { bytes, program: loadElf(bytes) };
  } catch (e) {
    if (e instanceof ElfError)
      throw new ElfError(`${path}: ${e.message}`, e.details as Record<string, unknown>);
    throw e;
  }
}

export { grouped } from './format.js';

export function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}
