import type { Zkvm } from '@nexus/sdk';
import {
  type ElfProgram,
  execute,
  type InstructionExtension,
  type PrecompileRegion,
  type SyscallExtension,
  VmError,
} from '@nexus/vm';

/**
 * The zkVM build `nexus debug` serves a guest with (guest/build.json), as plain data: which
 * plugins it runs, its system digest, and the VM side of its precompiles and custom instructions
 * with the results every call of this guest's run computed. The page cannot import a config's
 * plugins (they are Node modules of the user's), so it runs their calls from these results
 * (replayedExtensions) and asks the `nexus debug` process, which has the plugins loaded, to build
 * and check traces (api/check).
 */
export interface ServedBuild {
  /** The config file as given to `nexus debug`, or null for the default build. */
  readonly config: string | null;
  /** The system's plugins, in order, with their versions. */
  readonly plugins: readonly { readonly name: string; readonly version: string }[];
  /** The system digest (hex): what a proof with this build is bound to. */
  readonly digest: string;
  readonly syscalls: readonly ServedSyscall[];
  readonly instructions: readonly ServedInstruction[];
}

/** A precompile's declaration, and its calls in this run: the words in, the words out. */
export interface ServedSyscall {
  readonly number: number;
  readonly name: string;
  readonly plugin: string;
  readonly table: string;
  readonly regions: readonly PrecompileRegion[];
  /** [words before the call, words after it], one pair per distinct input seen. */
  readonly calls: readonly (readonly [readonly number[], readonly number[]])[];
}

/** A custom instruction's declaration, and its executions in this run: [rs1, rs2, rd]. */
export interface ServedInstruction {
  readonly opcode: 0x0b | 0x2b;
  readonly funct3: number;
  readonly funct7: number;
  readonly name: string;
  readonly plugin: string;
  readonly table: string;
  readonly calls: readonly (readonly [number, number, number])[];
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Describes `zkvm`'s build for the page, running the guest once (pass 1, the VM's own code) with
 * the build's extensions wrapped to keep what each call computed (for a config's build only:
 * `config` null is the page's own default build). A run that faults keeps the
 * calls made before the fault or the cycle limit (the page stops there too).
 *
 * @example
 * const build = describeBuild(zkvmOf(config), config.path, loadElf(elf), { publicInput });
 */
export function describeBuild(
  zkvm: Zkvm,
  config: string | null,
  program: ElfProgram,
  inputs: { readonly publicInput: Uint8Array; readonly privateInput: Uint8Array },
): ServedBuild {
  const syscalls = zkvm.syscalls.map((ext) => {
    const calls = new Map<string, [number[], number[]]>();
    const wrapped: SyscallExtension = {
      ...ext,
      compute(words) {
        const key = words.join(',');
        const before = Array.from(words);
        ext.compute(words);
        if (!calls.has(key)) calls.set(key, [before, Array.from(words)]);
      },
    };
    return { ext, wrapped, calls };
  });
  const instructions = zkvm.instructions.map((ext) => {
    const calls = new Map<string, [number, number, number]>();
    const wrapped: InstructionExtension = {
      ...ext,
      compute(rs1, rs2) {
        const rd = ext.compute(rs1, rs2) | 0;
        calls.set(`${rs1 | 0},${rs2 | 0}`, [rs1 | 0, rs2 | 0, rd]);
        return rd;
      },
    };
    return { ext, wrapped, calls };
  });
  // The default build (no config) needs no results: the page runs it with its own code.
  if (config !== null)
    try {
      execute(program, {
        ...zkvm.runOptions(inputs),
        syscalls: syscalls.map((s) => s.wrapped),
        instructions: instructions.map((s) => s.wrapped),
      });
    } catch (e) {
      // The page runs into the same fault and shows it; what was computed before it is kept.
      if (!(e instanceof VmError)) throw e;
    }
  return {
    config,
    plugins: zkvm.system.plugins.map((p) => ({ name: p.name, version: p.version })),
    digest: hex(zkvm.system.digest),
    syscalls: syscalls.map(({ ext, calls }) => ({
      number: ext.number,
      name: ext.name,
      plugin: ext.plugin,
      table: ext.table,
      regions: ext.regions.map((r) => ({ arg: r.arg, words: r.words, writes: r.writes })),
      calls: [...calls.values()],
    })),
    instructions: instructions.map(({ ext, calls }) => ({
      opcode: ext.opcode,
      funct3: ext.funct3,
      funct7: ext.funct7,
      name: ext.name,
      plugin: ext.plugin,
      table: ext.table,
      calls: [...calls.values()],
    })),
  };
}

/** Raised when the page's run makes a call the served run did not: the two runs differ. */
export class ReplayMissError extends Error {
  override readonly name = 'ReplayMissError';
}

/**
 * The VM side of a served build for the page's machine: each precompile and custom instruction
 * computes from the results the `nexus debug` process's run recorded (`native` supplies the ones
 * the page has code for, by plugin and number). The page re-runs the same guest on the same
 * tapes, so every call it makes was made there; one that was not throws ReplayMissError, never a
 * made-up result.
 */
export function replayedExtensions(
  build: ServedBuild,
  native: readonly SyscallExtension[],
): { syscalls: SyscallExtension[]; instructions: InstructionExtension[] } {
  const miss = (name: string, plugin: string) =>
    new ReplayMissError(
      `${name} (${plugin}) was called with arguments the nexus debug process's run never saw: the page replays that run's results, so its run differs from the page's (reopen the guest from nexus debug)`,
    );
  const syscalls = build.syscalls.map((s): SyscallExtension => {
    const own = native.find((n) => n.number === s.number && n.plugin === s.plugin);
    if (own !== undefined) return own;
    const results = new Map(s.calls.map(([before, after]) => [before.join(','), after]));
    return {
      number: s.number,
      name: s.name,
      plugin: s.plugin,
      table: s.table,
      regions: s.regions,
      compute(words) {
        const after = results.get(words.join(','));
        if (after === undefined) throw miss(s.name, s.plugin);
        words.set(after);
      },
    };
  });
  const instructions = build.instructions.map((s): InstructionExtension => {
    const results = new Map(s.calls.map(([a, b, rd]) => [`${a},${b}`, rd]));
    return {
      opcode: s.opcode,
      funct3: s.funct3,
      funct7: s.funct7,
      name: s.name,
      plugin: s.plugin,
      table: s.table,
      compute(rs1, rs2) {
        const rd = results.get(`${rs1 | 0},${rs2 | 0}`);
        if (rd === undefined) throw miss(s.name, s.plugin);
        return rd;
      },
    };
  });
  return { syscalls, instructions };
}
