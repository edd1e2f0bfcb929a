import { basename, extname } from 'node:path';
import { type GuestProfile, VmFault } from '@nexus/vm';
import {
  GUEST_OPTIONS,
  GUEST_OPTIONS_HELP,
  grouped,
  guestArgs,
  parse,
  UsageError,
  writeOutput,
} from '../args.js';
import { loadConfig, zkvmOf } from '../config.js';
import { CliError } from '../errors.js';
import { exitCodeFor } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { flameGraphSvg } from '../profile/flamegraph.js';
import { speedscopeJson } from '../profile/speedscope.js';
import { foldedStacks, functionTotals, type ProfileWeight } from '../profile/stacks.js';
import type { Command } from './command.js';

const FORMATS = ['pprof', 'speedscope', 'folded', 'svg'] as const;
type Format = (typeof FORMATS)[number];
const EXTENSIONS: Record<string, Format> = {
  '.pb': 'pprof',
  '.gz': 'pprof',
  '.pprof': 'pprof',
  '.json': 'speedscope',
  '.folded': 'folded',
  '.txt': 'folded',
  '.svg': 'svg',
};

const USAGE = `usage: nexus profile <elf> [-o FILE] [--format F] [--weight cycles|cost] [--top N]
                     [--public-input FILE] [--private-input FILE] [--config FILE] [--json]

Runs a guest once (pass 1, no proof) and attributes every cycle to a call stack, from the ELF's
function symbols and the calls and returns the guest executes. Every cycle is also weighed by
its proving cost in this build: the trace cells (main and LogUp interaction columns) of the rows
it adds to the component that proves it, so a MUL, a LOAD, an ecall and a precompile call are
priced as the configured plugins prove them. Prints the top functions by self and total cycles
and cost, and the guest's cycle-tracker regions (debug-log lines \`cycle-tracker-start: NAME\` /
\`cycle-tracker-end: NAME\`; zkvm_cycle_tracker_start/end in zkvm.h).

  -o, --output FILE     write the profile to FILE (format from --format or the extension:
                        .pb.gz/.pprof pprof, .json speedscope, .folded folded stacks, .svg)
  --format F            pprof (gzipped profile.proto: go tool pprof, speedscope, IDEs),
                        speedscope (JSON, cycles and cost as two profiles), folded (a;b;c N
                        per line: flamegraph.pl, inferno), svg (a flame graph for any browser)
  --weight W            what folded and svg count: cycles (default) or cost
  --top N               functions in the summary (default 15)
${GUEST_OPTIONS_HELP.replace('machine-readable output', 'the summary as JSON (functions, regions)')}`;

/** `nexus profile`: where a guest's cycles and proving cost go. */
export const profile: Command = {
  name: 'profile',
  summary: "profile a guest's cycles and proving cost by function",
  usage: USAGE,
  async execute(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parse(argv, {
      ...GUEST_OPTIONS,
      output: { type: 'string', short: 'o' },
      format: { type: 'string' },
      weight: { type: 'string', default: 'cycles' },
      top: { type: 'string', default: '15' },
    });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const weight = values.weight as ProfileWeight;
    if (weight !== 'cycles' && weight !== 'cost')
      throw new UsageError(`--weight is cycles or cost (got '${values.weight}')`);
    const top = Number(values.top);
    if (!Number.isInteger(top) || top < 1) throw new UsageError('--top takes a positive integer');
    const format = outputFormat(values.format, values.output);
    const args = guestArgs(io, positionals, values);
    const zkvm = zkvmOf(await loadConfig(values.config, io.cwd()));
    const start = io.now();
    let p: GuestProfile;
    try {
      p = zkvm.profile(args.program, {
        publicInput: args.publicInput,
        privateInput: args.privateInput,
      });
    } catch (e) {
      if (e instanceof VmFault) {
        throw new CliError(
          `the guest stopped with ${e.name} at cycle ${grouped(e.clk)}: ${e.message}; profile a run that exits (see it with nexus run or nexus trace)`,
          exitCodeFor(e),
        );
      }
      throw e;
    }
    const ms = io.now() - start;
    const name = basename(args.elfPath);
    if (values.output !== undefined && format !== undefined) {
      writeOutput(
        io,
        values.output,
        await render(p, format, weight, name),
        `the ${format} profile`,
      );
    }
    const functions = functionTotals(p).sort(
      (a, b) => b.selfCycles - a.selfCycles || (a.name < b.name ? -1 : 1),
    );
    if (values.json) {
      io.stdout(
        `${JSON.stringify({
          cycles: p.cycles,
          cost: p.cost,
          exitCode: p.exitCode,
          functions,
          regions: p.regions,
          regionErrors: p.regionErrors,
        })}\n`,
      );
      return 0;
    }
    io.stdout(summary(p, functions, top));
    const wrote = values.output === undefined ? '' : `; wrote ${values.output} (${format})`;
    io.stderr(
      `nexus profile: exit ${p.exitCode}, ${grouped(p.cycles)} cycles in ${(ms / 1000).toFixed(3)} s${wrote}\n`,
    );
    return 0;
  },
};

function outputFormat(format: string | undefined, output: string | undefined): Format | undefined {
  if (format !== undefined) {
    if (!(FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format is one of ${FORMATS.join(', ')} (got '${format}')`);
    if (output === undefined) throw new UsageError('--format needs -o FILE');
    return format as Format;
  }
  if (output === undefined) return undefined;
  const byExtension = EXTENSIONS[extname(output).toLowerCase()];
  if (byExtension === undefined) {
    throw new UsageError(
      `cannot tell the format of ${output} from its extension: give --format (${FORMATS.join(', ')})`,
    );
  }
  return byExtension;
}

async function render(
  p: GuestProfile,
  format: Format,
  weight: ProfileWeight,
  name: string,
): Promise<Uint8Array> {
  const text = (s: string) => new TextEncoder().encode(s);
  switch (format) {
    case 'pprof':
      // Loaded on use: it brings node:zlib, which no other command needs at start.
      return (await import('../profile/pprof.js')).pprofBytes(p, name);
    case 'speedscope':
      return text(speedscopeJson(p, name));
    case 'folded':
      return text(foldedStacks(p, weight));
    case 'svg':
      return text(flameGraphSvg(p, weight, name));
  }
}

function summary(
  p: GuestProfile,
  functions: ReturnType<typeof functionTotals>,
  top: number,
): string {
  const pct = (v: number, total: number) =>
    total > 0 ? `${((100 * v) / total).toFixed(1)}%` : '-';
  const rows = [['function', 'calls', 'self cycles', '', 'total cycles', '', 'self cost', '']];
  for (const f of functions.slice(0, top)) {
    rows.push([
      f.name,
      grouped(f.calls),
      grouped(f.selfCycles),
      pct(f.selfCycles, p.cycles),
      grouped(f.totalCycles),
      pct(f.totalCycles, p.cycles),
      grouped(Math.round(f.selfCost)),
      pct(f.selfCost, p.cost),
    ]);
  }
  const lines = [
    `${grouped(p.cycles)} cycles, proving cost ${grouped(Math.round(p.cost))} trace cells (${(p.cost / Math.max(1, p.cycles)).toFixed(1)} per cycle)`,
    '',
    `top ${Math.min(top, functions.length)} of ${functions.length} functions by self cycles:`,
    table(rows),
  ];
  if (p.regions.length > 0) {
    lines.push('', 'regions (cycle-tracker):');
    const r = [['region', 'count', 'cycles', '', 'cost', '']];
    for (const g of p.regions) {
      r.push([
        g.name,
        grouped(g.count),
        grouped(g.cycles),
        pct(g.cycles, p.cycles),
        grouped(Math.round(g.cost)),
        pct(g.cost, p.cost),
      ]);
    }
    lines.push(table(r));
  }
  for (const e of p.regionErrors) lines.push(`warning: ${e}`);
  return `${lines.join('\n')}\n`;
}

/** Columns padded to their widest cell; numbers right-aligned. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd(),
    )
    .join('\n');
}
