import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { GUEST_OPTIONS, guestArgs, intOption, parse } from '../args.js';
import { loadConfig, zkvmOf } from '../config.js';
import { CliError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { sourceLines } from '../source-files.js';
import { STUDIO_DIR, studioServer } from '../studio-server.js';
import type { Command } from './command.js';

const DEFAULT_PORT = 7357;

const USAGE = `usage: nexus debug <elf> [--public-input FILE] [--private-input FILE] [--config FILE]
                   [--port N]

Serves Nexus Studio, the visual debugger, on http://127.0.0.1:PORT/ with the guest and its input
tapes, and prints the URL; it opens nothing by itself. Step through the run cycle by cycle (pc,
disassembly, registers, memory, tapes, debug log), backwards too, run to breakpoints. Stop it
with Ctrl-C. Only this machine can connect: the page receives the private input.

When the ELF has DWARF line info (built with -g), the page shows the C source around each
instruction: it is served the files the line table names (only those, read-only, where they
exist), looked for in the compilation directory the DWARF names, then relative to the ELF's
directory.

  --public-input FILE   bytes of the public input tape (fd 3); default empty
  --private-input FILE  bytes of the private input tape (fd 0); default empty
  --config FILE         the zkVM build (see nexus prove --help); the studio does not run
                        precompiles or custom instructions yet, and says so when it has some
  --port N              the port (default ${DEFAULT_PORT}; 0 picks a free one)`;

/** `nexus debug`: the studio, served locally with one guest. */
export const debug: Command = {
  name: 'debug',
  summary: 'serve Nexus Studio (a visual, cycle-by-cycle debugger) with a guest on localhost',
  usage: USAGE,
  async execute(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parse(argv, {
      'public-input': GUEST_OPTIONS['public-input'],
      'private-input': GUEST_OPTIONS['private-input'],
      config: GUEST_OPTIONS.config,
      help: GUEST_OPTIONS.help,
      port: { type: 'string' },
    });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const args = guestArgs(io, positionals, values);
    const port = intOption(values.port, 'port', 0) ?? DEFAULT_PORT;
    if (port > 65535) throw new CliError(`--port ${port} is not a TCP port (0..65535)`, EXIT.USAGE);
    if (!existsSync(join(STUDIO_DIR, 'index.html')))
      throw new CliError(
        'the studio is not built: run `pnpm build` in the repository root (it builds apps/studio and copies it into the CLI)',
        EXIT.NOT_FOUND,
      );
    const config = await loadConfig(values.config, io.cwd());
    const zkvm = zkvmOf(config);
    // Families only group rows for proving; precompiles and custom instructions change what the
    // guest computes, and the page runs RV32IM with the bundled precompiles (SHA-256, Keccak-f).
    const bundled = new Set(['@nexus/precompile-sha256', '@nexus/precompile-keccak']);
    const extensions =
      zkvm.syscalls.filter((s) => !bundled.has(s.plugin)).length + zkvm.instructions.length;
    if (extensions > 0)
      io.stderr(
        `nexus debug: note: ${config.path ?? 'this build'} adds ${extensions} precompile(s) or custom instruction(s) besides the bundled SHA-256 and Keccak ones; the studio does not run them yet, so a guest that calls one stops there with a fault naming it\n`,
      );
    const elf = new Uint8Array(io.readFile(args.elfPath));
    // The C sources the line table names, where they are on this machine (the page reads the
    // table itself, and says so when it cannot).
    const lines = sourceLines(resolve(io.cwd(), args.elfPath), elf, args.program);
    const server = studioServer(STUDIO_DIR, {
      name: basename(args.elfPath),
      elf,
      publicInput: args.publicInput,
      privateInput: args.privateInput,
      sources: typeof lines === 'object' ? lines.found : undefined,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          e.code === 'EADDRINUSE'
            ? new CliError(
                `port ${port} is in use: pick another with --port N (0: any free port)`,
                EXIT.USAGE,
              )
            : e,
        ),
      );
      server.listen(port, '127.0.0.1', resolve);
    });
    const address = server.address();
    const actual = typeof address === 'object' && address !== null ? address.port : port;
    io.stdout(
      `Nexus Studio: http://127.0.0.1:${actual}/ (${basename(args.elfPath)}; Ctrl-C stops it)\n`,
    );
    // Serve until interrupted; then close and exit 0 (a deliberate stop, not a failure).
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        server.close(() => resolve());
        server.closeAllConnections();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};
