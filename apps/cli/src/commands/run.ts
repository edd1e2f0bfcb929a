import { CycleLimitError, Machine, ProfileRecorder, VmFault } from '@nexus/vm';
import { GUEST_OPTIONS, GUEST_OPTIONS_HELP, grouped, guestArgs, parse } from '../args.js';
import { loadConfig, zkvmOf } from '../config.js';
import { exitCodeFor } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { Command } from './command.js';

const USAGE = `usage: nexus run <elf> [--public-input FILE] [--private-input FILE] [--max-cycles N] [--json]

Runs an RV32IM guest (pass 1, no proof). The public output goes to stdout, the debug log to
stderr, then the guest's cycle-tracker regions (cycles and proving cost between
\`cycle-tracker-start: NAME\` and \`cycle-tracker-end: NAME\` lines of its log; nexus profile
--help) and a one-line summary (cycles, time, MIPS) on stderr. The exit status is the guest's
exit code; a fault of the guest prints its cause and exits with 128 + a signal number
(132 illegal instruction, 135 misaligned, 139 unmapped/read-only memory, 152 cycle limit,
159 bad syscall); 126 means the ELF cannot be run, 2 a usage error.

${GUEST_OPTIONS_HELP}
  with --json, stdout is one JSON object: {"exitCode", "cycles", "output" (hex), "error",
  "timeMs", "mips", "regions"} (error: null or {"name", "message", "pc", "clk"}); the debug log still goes
  to stderr.`;

/** `nexus run`: pass 1 of a guest, with its outputs. */
export const run: Command = {
  name: 'run',
  summary: 'run a guest and print its public output (no proof)',
  usage: USAGE,
  async execute(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parse(argv, GUEST_OPTIONS);
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const args = guestArgs(io, positionals, values);
    const zkvm = zkvmOf(await loadConfig(values.config, io.cwd()));
    const { syscalls, instructions, families } = zkvm;
    let regions: ProfileRecorder | undefined;
    const machine = new Machine(args.program, {
      syscalls,
      instructions,
      families,
      publicInput: args.publicInput,
      privateInput: args.privateInput,
      // No pass 2 follows: the accessed words (pass 2's memory layout) are not needed.
      trackTouched: false,
      onLog: (bytes) => {
        io.stderr(bytes);
        regions?.log(bytes);
      },
    });
    // Cycle-tracker regions of the debug log, with their cost (no call stacks: a few operations
    // per block).
    regions = new ProfileRecorder(machine, zkvm.profileWeights(), { stacks: false });
    const start = io.now();
    let error: unknown = null;
    try {
      machine.run(args.maxCycles, regions);
      if (!machine.halted)
        throw Object.assign(new CycleLimitError(machine.pc, args.maxCycles), {
          clk: machine.cycles + 1,
        });
    } catch (e) {
      if (!(e instanceof VmFault)) throw e;
      error = e;
    }
    const ms = io.now() - start;
    const cycles = machine.cycles;
    const mips = ms > 0 ? cycles / ms / 1000 : 0;
    const output = machine.output.bytes();
    const code = error === null ? machine.exitCode & 0xff : exitCodeFor(error);
    const tracked = regions!.finish(new Uint8Array(0));
    if (args.json) {
      const fault = error as VmFault | null;
      io.stdout(
        `${JSON.stringify({
          exitCode: error === null ? machine.exitCode : null,
          cycles,
          output: Buffer.from(output).toString('hex'),
          error:
            fault === null
              ? null
              : { name: fault.name, message: fault.message, pc: fault.pc, clk: fault.clk },
          timeMs: Number(ms.toFixed(3)),
          mips: Number(mips.toFixed(2)),
          regions: tracked.regions,
        })}\n`,
      );
      return code;
    }
    io.stdout(output);
    const timing = `${grouped(cycles)} cycles in ${(ms / 1000).toFixed(3)} s (${mips.toFixed(1)} MIPS)`;
    for (const r of tracked.regions) {
      io.stderr(
        `nexus run: region ${r.name}: ${grouped(r.cycles)} cycles, cost ${grouped(Math.round(r.cost))} cells (${grouped(r.count)}x)\n`,
      );
    }
    for (const e of tracked.regionErrors) io.stderr(`nexus run: warning: ${e}\n`);
    if (error === null) {
      io.stderr(`nexus run: exit ${machine.exitCode}, ${timing}\n`);
    } else {
      const fault = error as VmFault;
      io.stderr(`nexus run: ${fault.name} at cycle ${grouped(fault.clk)}: ${fault.message}\n`);
      io.stderr(`nexus run: stopped after ${timing}, exit status ${code}\n`);
    }
    return code;
  },
};
