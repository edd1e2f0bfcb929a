import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckService } from '@nexus/studio/server';
import { loadElf } from '@nexus/vm';
import { GUEST_OPTIONS, guestArgs, intOption, parse } from '../args.js';
import { loadConfig, zkvmOf } from '../config.js';
import { CliError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { sourceLines } from '../source-files.js';
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
  --config FILE         the zkVM build (see nexus prove --help): the page steps through the
                        config's precompiles and custom instructions (their results computed
                        here) and this process builds and checks the constraint view's traces
                        with its plugins; proving in the page keeps the default build
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
    // Loaded here, not with the CLI: it brings node:http, ~5 ms of every other command's start
    // (the bundle runs every module's top level at load).
    const { STUDIO_CHECK, STUDIO_DIR, studioServer } = await import('../studio-server.js');
    if (!existsSync(join(STUDIO_DIR, 'index.html')))
      throw new CliError(
        'the studio is not built: run `pnpm build` in the repository root (it builds apps/studio and copies it into the CLI)',
        EXIT.NOT_FOUND,
      );
    if (!existsSync(STUDIO_CHECK))
      throw new CliError(
        'the studio is not built: run `pnpm build` in the repository root (it builds apps/studio and bundles its checks into the CLI)',
        EXIT.NOT_FOUND,
      );
    const { CheckService, callCheck, describeBuild } = (await import(
      pathToFileURL(STUDIO_CHECK).href
    )) as typeof import('@nexus/studio/server');
    const config = await loadConfig(values.config, io.cwd());
    const zkvm = zkvmOf(config);
    const elf = new Uint8Array(io.readFile(args.elfPath));
    const guest = {
      elf,
      publicInput: args.publicInput,
      privateInput: args.privateInput,
    };
    // The page cannot load the config's plugins (Node modules): it gets the build as data, runs
    // the extensions' calls from the results this run computed, and has this process build and
    // check traces with the plugins (apps/studio/README.md, "A config's plugins").
    const build = describeBuild(zkvm, config.path, loadElf(elf), guest);
    let service: CheckService | undefined;
    let stopped = false;
    const api = {
      build,
      check(body: unknown) {
        if (service === undefined) {
          try {
            const opened = new CheckService(zkvm, guest);
            service = opened;
            // Pass 2's checkpoints through the run while idle, a step between requests, so a
            // jump deep into a long run re-runs a few windows (as the page's check worker does).
            const step = () => {
              if (!stopped && opened.prepareAhead()) setImmediate(step);
            };
            setImmediate(step);
          } catch (e) {
            // A run that does not exit has no traces: the page shows why, as the worker's error.
            const error = e instanceof Error ? e : new Error(String(e));
            return { ok: false as const, name: error.name, message: error.message };
          }
        }
        return callCheck(service, body);
      },
    };
    // The C sources the line table names, where they are on this machine (the page reads the
    // table itself, and says so when it cannot).
    const lines = sourceLines(resolve(io.cwd(), args.elfPath), elf, args.program);
    const sources = typeof lines === 'object' ? lines.found : undefined;
    const server = studioServer(
      STUDIO_DIR,
      { name: basename(args.elfPath), ...guest, sources },
      api,
    );
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
    if (config.path !== null)
      io.stdout(
        `  build: ${config.path}: ${build.plugins.map((p) => p.name).join(', ')} (system digest ${build.digest.slice(0, 16)}…)\n`,
      );
    // Serve until interrupted; then close and exit 0 (a deliberate stop, not a failure).
    await new Promise<void>((resolve) => {
      const stop = () => {
        stopped = true;
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
