import { resolve } from 'node:path';
import {
  CycleLimitError,
  type ElfProgram,
  lineAt,
  Machine,
  type StepEffects,
  stepWithEffects,
  VmFault,
} from '@nexus/vm';
import {
  GUEST_OPTIONS,
  GUEST_OPTIONS_HELP,
  grouped,
  guestArgs,
  hex32,
  intOption,
  parse,
  UsageError,
} from '../args.js';
import { loadConfig, zkvmOf } from '../config.js';
import { exitCodeFor } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { type SourceLines, sourceLines, sourceLineText } from '../source-files.js';
import type { Command } from './command.js';

const USAGE = `usage: nexus trace <elf> [--public-input FILE] [--private-input FILE] [--from N] [--to M]
                   [--max-cycles N] [--no-source] [--json]

Runs a guest and prints cycles N..M (default: all), one line per cycle: the cycle, the pc (and the
function it is in), the instruction word and its disassembly, then its effects: registers
written, the memory word a load or store touched (with its value before a store), the syscall.
Cycles before --from run at full speed. The exit status is as for \`nexus run\`; stopping at --to
before the guest exits is status 0.

When the ELF has DWARF line info (built with -g), a line "@ FILE:LINE" comes before each
instruction whose C source line differs from the previous one's (the file as found from the
ELF's directory, else as the DWARF names it).

  --from N              first cycle to print (1-based; default 1)
  --to M                last cycle to print (default: until the guest exits)
  --no-source           no source lines, even when the ELF has line info
${GUEST_OPTIONS_HELP}
  with --json, stdout is JSON Lines: one object per cycle {"clk", "pc", "word", "asm",
  "function", "writes": [{"reg", "name", "value"}], "memory": [{"kind", "address", "size",
  "value", "wordBefore", "wordAfter"}], "syscall"?, "source"?: {"file", "line", "column"}},
  then one {"end": ...} object ("source": the DWARF path, line and column, when known).`;

/** Function symbols sorted by address, for "pc is in function f + offset". */
function functionIndex(program: ElfProgram): { addr: number; name: string }[] {
  return program.symbols
    .filter((s) => s.type === 2 && s.name !== '')
    .map((s) => ({ addr: s.value, name: s.name }))
    .sort((a, b) => a.addr - b.addr);
}

function functionAt(index: { addr: number; name: string }[], pc: number): string {
  let lo = 0;
  let hi = index.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (index[mid]!.addr <= pc) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best < 0) return '';
  const f = index[best]!;
  return pc === f.addr ? f.name : `${f.name}+0x${(pc - f.addr).toString(16)}`;
}

function effectsText(e: StepEffects): string {
  const parts: string[] = [];
  if (e.syscall !== undefined) {
    const [a0, a1, a2] = e.syscall.args;
    const s = e.syscall;
    if (s.name === 'exit') parts.push(`exit(${a0 | 0})`);
    else if (s.name === 'read')
      parts.push(`read(fd ${a0 | 0}, ${hex32(a1)}, ${a2 >>> 0}) = ${s.result}`);
    else if (s.name === 'write')
      parts.push(`write(fd ${a0 | 0}, ${hex32(a1)}, ${a2 >>> 0}) = ${s.result}`);
    // A precompile of this build: its name and pointer arguments.
    else parts.push(`${s.name}(${hex32(a0)}, ${hex32(a1)}, ${hex32(a2)}) = ${s.result}`);
  } else {
    for (const w of e.writes) parts.push(`${w.name} = ${hex32(w.value)}`);
  }
  for (const m of e.memory) {
    const word = hex32(m.address & ~3);
    if (m.kind === 'load')
      parts.push(`load ${m.size} @ ${hex32(m.address)} (word ${word} = ${hex32(m.wordBefore)})`);
    else
      parts.push(
        `store ${m.size} @ ${hex32(m.address)}: word ${word} ${hex32(m.wordBefore)} -> ${hex32(m.wordAfter)}`,
      );
  }
  return parts.join('  ');
}

/** The ELF's line info for trace lines; unreadable line info is a note, not a failure. */
function traceLines(io: CliIo, elfPath: string, program: ElfProgram): SourceLines | undefined {
  const lines = sourceLines(resolve(io.cwd(), elfPath), io.readFile(elfPath), program);
  if (typeof lines !== 'string') return lines;
  io.stderr(`nexus trace: note: no source lines: ${lines}\n`);
  return undefined;
}

/** `nexus trace`: cycle-by-cycle execution. */
export const trace: Command = {
  name: 'trace',
  summary: 'run a guest cycle by cycle: pc, disassembly, register writes, memory accesses',
  usage: USAGE,
  async execute(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parse(argv, {
      ...GUEST_OPTIONS,
      from: { type: 'string' },
      to: { type: 'string' },
      'no-source': { type: 'boolean', default: false },
    });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const from = intOption(values.from, 'from', 1) ?? 1;
    const to = intOption(values.to, 'to', 1);
    if (to !== undefined && to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
    const args = guestArgs(io, positionals, values);
    const functions = functionIndex(args.program);
    const lines = values['no-source'] ? undefined : traceLines(io, args.elfPath, args.program);
    let lastSource: string | undefined;
    const logs: Uint8Array[] = [];
    const { syscalls, instructions, families } = zkvmOf(await loadConfig(values.config, io.cwd()));
    const machine = new Machine(args.program, {
      syscalls,
      instructions,
      families,
      publicInput: args.publicInput,
      privateInput: args.privateInput,
      // Keep the log apart from the trace lines in text mode; it follows the trace at the end.
      onLog: (b) => logs.push(b.slice()),
    });
    const last = Math.min(to ?? Number.POSITIVE_INFINITY, args.maxCycles);
    let error: VmFault | null = null;
    let currentFunction = '';
    try {
      machine.run(Math.min(from - 1, args.maxCycles));
      if (!args.json)
        io.stdout(
          `${'cycle'.padStart(10)}  ${'pc'.padEnd(10)}  ${'word'.padEnd(8)}  instruction\n`,
        );
      while (!machine.halted && machine.cycles < last) {
        const e = stepWithEffects(machine);
        const fn = functionAt(functions, e.pc);
        if (args.json) {
          const where = lines === undefined ? undefined : lineAt(lines.table, e.pc);
          const source =
            where === undefined
              ? {}
              : { source: { file: where.file.path, line: where.line, column: where.column } };
          io.stdout(`${JSON.stringify({ ...e, function: fn, ...source })}\n`);
        } else {
          // A label line whenever execution enters another function, as objdump prints them.
          const fnName = fn.replace(/\+0x[0-9a-f]+$/, '');
          if (fnName !== currentFunction) {
            currentFunction = fnName;
            if (fnName !== '') io.stdout(`<${fn}>:\n`);
          }
          const source = lines && sourceLineText(lines, e.pc, io.cwd());
          if (source !== undefined && source !== lastSource) io.stdout(`@ ${source}\n`);
          lastSource = source;
          const text = effectsText(e);
          io.stdout(
            `${String(e.clk).padStart(10)}  ${hex32(e.pc)}  ${e.word.toString(16).padStart(8, '0')}  ${e.asm.padEnd(30)}${text === '' ? '' : `  ${text}`}\n`,
          );
        }
      }
      if (!machine.halted && to === undefined && machine.cycles >= args.maxCycles) {
        throw Object.assign(new CycleLimitError(machine.pc, args.maxCycles), {
          clk: machine.cycles + 1,
        });
      }
    } catch (e) {
      if (!(e instanceof VmFault)) throw e;
      error = e;
    }
    for (const b of logs) io.stderr(b);
    const code = error !== null ? exitCodeFor(error) : machine.halted ? machine.exitCode & 0xff : 0;
    const end = error !== null ? 'fault' : machine.halted ? 'exit' : 'stopped';
    if (args.json) {
      io.stdout(
        `${JSON.stringify({
          end,
          cycles: machine.cycles,
          exitCode: machine.halted ? machine.exitCode : null,
          output: Buffer.from(machine.output.bytes()).toString('hex'),
          error:
            error === null
              ? null
              : { name: error.name, message: error.message, pc: error.pc, clk: error.clk },
        })}\n`,
      );
    } else if (error !== null) {
      io.stderr(`nexus trace: ${error.name} at cycle ${grouped(error.clk)}: ${error.message}\n`);
    } else if (machine.halted) {
      io.stderr(`nexus trace: exit ${machine.exitCode} after ${grouped(machine.cycles)} cycles\n`);
    } else {
      io.stderr(`nexus trace: stopped after cycle ${grouped(machine.cycles)} (--to)\n`);
    }
    return code;
  },
};
