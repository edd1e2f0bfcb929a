import { ProofFormatError } from '@nexus/kernel';
import {
  decodeProofFile,
  describeHash,
  describeProofFile,
  type HashName,
  PROOF_FILE_MAGIC,
  type ProofFileInfo,
} from '@nexus/sdk';
import {
  customKey,
  decode,
  describeCustom,
  disassemble,
  type ElfProgram,
  type ElfRequirement,
  type FamilyPartition,
  familyPartition,
  MNEMONICS,
  Op,
  symbolValue,
} from '@nexus/vm';
import { grouped, hex32, parse, readElf, readInput, UsageError } from '../args.js';
import { CONFIG_HELP, hashForFile, hashOption, loadConfig, zkvmOf } from '../config.js';
import { CliError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { bytesPreview, hex, sizeText, terminalSafe } from '../format.js';
import { type CliIo, terminalSafeIo } from '../io.js';
import type { Command } from './command.js';

const USAGE = `usage: nexus inspect <file> [--hash NAME] [--config FILE] [--json]

Describes an ELF or a proof file (the kind is read from the file's magic number).
  ELF: size, entry, segments, symbols, the program commitment proofs of it claim, and the
       static instruction mix (instruction words in executable segments, by family and
       mnemonic).
  proof file: format versions, the hash backend, the claim (program commitment, public input
       and output, exit code), the system digest (and whether it is this build's), the security parameters and
       bits, the components with their sizes, and the bytes taken by each section.
Nothing is verified: a proof file can claim anything; use nexus verify.

  --hash NAME           the hash backend an ELF's program commitment is computed with
                        (blake2s, blake3, poseidon2; default the config's, else blake2s)
${CONFIG_HELP}
                        (used to name a proof's components and to compute an ELF's commitment)
  --json                one JSON object on stdout

Exit status: 0; 1 a proof file that does not decode; 2 usage; 3 file not found; 4 file
unreadable; 5 bad config; 126 neither an ELF nor a proof file, or a malformed ELF.`;

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

/** Static instruction counts of an ELF's executable segments. */
export interface InstructionMix {
  /** 4-byte words scanned (every aligned word of every executable segment's file bytes). */
  readonly words: number;
  /** Words that are not RV32IM instructions (data in code: literal pools, jump tables, ...). */
  readonly notInstructions: number;
  /**
   * Per family (the AIR component that proves it), its total and its mnemonics; `custom`
   * counts the custom-0/custom-1 words (plugins' instructions) by name.
   */
  readonly families: { family: string; count: number; mnemonics: Record<string, number> }[];
}

/**
 * Decodes every aligned word of the executable segments. A static count: how often each
 * instruction appears in the code, not how often it runs (`nexus run --json` counts cycles).
 */
export function instructionMix(
  program: ElfProgram,
  customs: ReadonlyMap<number, { readonly name: string }> = new Map(),
  partition: FamilyPartition = familyPartition(),
): InstructionMix {
  const byOp = new Uint32Array(Op.ILLEGAL + 1);
  // Custom instructions by their name in this build (or as GNU as writes them).
  const custom: Record<string, number> = {};
  let words = 0;
  for (const seg of program.segments) {
    if (!seg.executable) continue;
    const d = seg.data;
    const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
    for (let i = 0; i + 4 <= d.length; i += 4) {
      const ins = decode(view.getUint32(i, true));
      byOp[ins.op]!++;
      words++;
      if (ins.op === Op.CUSTOM) {
        const name = disassemble(ins, 0, customs).split(' ')[0]!;
        const key = name === '.insn' ? describeCustom(ins.imm) : name;
        custom[key] = (custom[key] ?? 0) + 1;
      }
    }
  }
  const families: InstructionMix['families'] = partition.families
    .map(({ name: family }, f) => {
      const mnemonics: Record<string, number> = {};
      let count = 0;
      for (let op = 0; op < Op.ILLEGAL; op++) {
        if (partition.familyOf[op] !== f || byOp[op] === 0) continue;
        mnemonics[MNEMONICS[op]!] = byOp[op]!;
        count += byOp[op]!;
      }
      return { family, count, mnemonics };
    })
    .filter((f) => f.count > 0);
  // Instructions this build has no family for: proving a run that executes them fails.
  const unclaimed: Record<string, number> = {};
  let unclaimedCount = 0;
  for (let op = 0; op < Op.CUSTOM; op++) {
    if (partition.familyOf[op] !== -1 || byOp[op] === 0) continue;
    unclaimed[MNEMONICS[op]!] = byOp[op]!;
    unclaimedCount += byOp[op]!;
  }
  if (unclaimedCount > 0)
    families.push({ family: 'no plugin', count: unclaimedCount, mnemonics: unclaimed });
  if (byOp[Op.CUSTOM]! > 0)
    families.push({ family: 'custom', count: byOp[Op.CUSTOM]!, mnemonics: custom });
  families.sort((a, b) => b.count - a.count || (a.family < b.family ? -1 : 1));
  return { words, notInstructions: byOp[Op.ILLEGAL]!, families };
}

function flagsText(seg: { flags: number }): string {
  return `${seg.flags & 4 ? 'R' : '-'}${seg.flags & 2 ? 'W' : '-'}${seg.flags & 1 ? 'X' : '-'}`;
}

function table(rows: string[][], indent = '  '): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      `${indent}${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd(),
    )
    .join('\n');
}

async function inspectElf(
  io: CliIo,
  path: string,
  configPath: string | undefined,
  json: boolean,
  hash: HashName | undefined,
): Promise<number> {
  const { bytes, program } = readElf(io, path);
  const config = await loadConfig(configPath, io.cwd());
  const zkvm = zkvmOf(config, undefined, undefined, hash ?? config.hash);
  const commitment = hex(zkvm.programCommitment(bytes));
  const mix = instructionMix(
    program,
    new Map(zkvm.instructions.map((i) => [customKey(i.opcode, i.funct3, i.funct7), i])),
    familyPartition(zkvm.families),
  );
  // Whether this build has what the guest declares it calls (`.nexus.requires`).
  const syscalls = new Set(zkvm.syscalls.map((x) => x.number));
  const keys = new Set(zkvm.instructions.map((i) => customKey(i.opcode, i.funct3, i.funct7)));
  const provided = (r: ElfRequirement) =>
    r.kind === 'syscall' ? syscalls.has(r.number) : keys.has(r.number);
  const requiresText = program.requires
    .map(
      (r) =>
        `${r.kind} 0x${r.number.toString(16)} from ${terminalSafe(r.plugin)}${provided(r) ? '' : ': NOT in this build (add the plugin, --config)'}`,
    )
    .join('\n                    ');
  const entrySymbol = program.symbols.find((s) => s.value === program.entry && s.type === 2);
  const functions = program.symbols.filter((s) => s.type === 2).length;
  const stackTop = symbolValue(program, '__stack_top');
  if (json) {
    io.stdout(
      `${JSON.stringify({
        kind: 'elf',
        file: path,
        bytes: bytes.length,
        entry: program.entry,
        entrySymbol: entrySymbol?.name ?? null,
        segments: program.segments.map((s) => ({
          vaddr: s.vaddr,
          memsz: s.memsz,
          filesz: s.filesz,
          flags: flagsText(s),
        })),
        symbols: program.symbols.length,
        functions,
        programCommitment: commitment,
        hash: zkvm.system.hash.id,
        instructionMix: mix,
        requires: program.requires.map((r) => ({
          ...r,
          inBuild: provided(r),
        })),
        config: config.path,
      })}\n`,
    );
    return 0;
  }
  const segRows = [
    ['#', 'vaddr', 'memsz', 'filesz', 'flags', ''],
    ...program.segments.map((s, i) => [
      String(i),
      hex32(s.vaddr),
      grouped(s.memsz),
      grouped(s.filesz),
      flagsText(s),
      s.executable ? 'code' : s.writable ? 'data (heap and stack inside)' : 'read-only data',
    ]),
  ];
  const mixRows = [
    ['family', 'count', 'mnemonics'],
    ...mix.families.map((f) => [
      f.family,
      grouped(f.count),
      Object.entries(f.mnemonics)
        .sort((a, b) => b[1] - a[1])
        .map(([m, n]) => `${m} ${grouped(n)}`)
        .join(', '),
    ]),
  ];
  io.stdout(
    `${path}: RV32 ELF executable, ${sizeText(bytes.length)}\n` +
      `entry               ${hex32(program.entry)}${entrySymbol ? ` (${entrySymbol.name})` : ''}\n` +
      `symbols             ${grouped(program.symbols.length)} (${grouped(functions)} functions)${program.symbols.length === 0 ? ': stripped' : ''}\n` +
      (stackTop === undefined ? '' : `stack top           ${hex32(stackTop)}\n`) +
      (program.requires.length === 0 ? '' : `declares            ${requiresText}\n`) +
      `program commitment  ${commitment} (hash backend ${describeHash(zkvm.system.hash.id)})\n` +
      `                    (what proofs of this ELF claim; nexus inspect on a proof shows its own)\n` +
      `segments\n${table(segRows)}\n` +
      `instruction mix (static, in the executable segments: ${grouped(mix.words - mix.notInstructions)} instructions, and ${grouped(mix.notInstructions)} other words: padding, data in code)\n` +
      `${table(mixRows)}\n`,
  );
  return 0;
}

function securityLine(info: ProofFileInfo): string {
  const c = info.config;
  return `${info.securityBits} bits (config '${terminalSafe(c.name)}': log blowup ${c.logBlowup}, ${c.nQueries} queries, ${c.powBits} proof-of-work bits, FRI fold step ${c.friFoldStep}, last layer degree < 2^${c.logLastLayerDegreeBound})${info.securityBits < 96 ? ' INSECURE: for tests only' : ''}`;
}

async function inspectProof(
  io: CliIo,
  path: string,
  bytes: Uint8Array,
  configPath: string | undefined,
  json: boolean,
  pinned: HashName | undefined,
): Promise<number> {
  const config = await loadConfig(configPath, io.cwd());
  let fileHash: string | null = null;
  try {
    fileHash = decodeProofFile(bytes).hashId;
  } catch {
    // describeProofFile below reports what is wrong with the file.
  }
  // Components are named against the build with the file's own backend (as verify picks it).
  const zkvm = zkvmOf(config, undefined, undefined, pinned ?? hashForFile(config, fileHash));
  let info: ProofFileInfo;
  try {
    info = describeProofFile(bytes, zkvm.system);
  } catch (e) {
    if (e instanceof ProofFormatError) {
      io.stderr(`nexus inspect: ${path}: not a valid proof file: ${e.message}\n`);
      return EXIT.INVALID;
    }
    throw e;
  }
  if (json) {
    io.stdout(
      `${JSON.stringify({
        kind: 'proof',
        file: path,
        bytes: info.size,
        fileVersion: info.fileVersion,
        hash: info.hashId,
        sameHash: info.sameHash,
        proofFormatVersion: info.proofFormatVersion,
        programCommitment: hex(info.programCommitment),
        systemDigest: hex(info.systemDigest),
        sameSystem: info.sameSystem,
        publicInput: hex(info.publicInput),
        publicOutput: hex(info.publicOutput),
        exitCode: info.exitCode,
        security: info.config,
        securityBits: info.securityBits,
        components: info.components,
        segments: info.segments,
        sections: info.sections.map((s) => ({
          name: s.name,
          start: s.start,
          bytes: s.end - s.start,
        })),
        config: config.path,
      })}\n`,
    );
    return 0;
  }
  const present = info.components.filter((c) => c.logSize !== null);
  const compRows = [
    ['component', 'rows'],
    ...present.map((c) => [
      c.name ?? `#${c.index}`,
      `2^${c.logSize} = ${grouped(2 ** c.logSize!)}`,
    ]),
  ];
  // A segmented proof's sections repeat per segment: summed by name over the segments.
  const bySection = new Map<string, number>();
  for (const sec of info.sections) {
    const name = sec.name.replace(/segment \d+(:| length)/, 'segments$1');
    bySection.set(name, (bySection.get(name) ?? 0) + sec.end - sec.start);
  }
  const secRows = [
    ['section', 'bytes', '%'],
    ...[...bySection].map(([name, n]) => [name, grouped(n), ((n / info.size) * 100).toFixed(1)]),
  ];
  const system =
    info.sameSystem === true
      ? "this build's plugins"
      : `NOT this build's plugins${config.path === null ? ' (the default RV32IM preset)' : ` (${config.path})`}: verify needs the config that proved; components are unnamed`;
  io.stdout(
    `${path}: Nexus zkVM proof file, version ${info.fileVersion} (STARK proof format ${info.proofFormatVersion}), ${sizeText(info.size)}\n` +
      'claim (decoded, NOT verified: use nexus verify)\n' +
      `  program commitment  ${hex(info.programCommitment)}\n` +
      `  public input        ${bytesPreview(info.publicInput)}\n` +
      `  public output       ${bytesPreview(info.publicOutput)}\n` +
      `  exit code           ${info.exitCode}\n` +
      `hash backend          ${info.hashId === null ? 'not recorded (a version 1 file)' : `${describeHash(info.hashId)}${info.sameHash === false ? ` (NOT this build's: ${describeHash(zkvm.system.hash.id)})` : ''}`}\n` +
      `system digest         ${hex(info.systemDigest)} (${system})\n` +
      `security              ${securityLine(info)}\n` +
      (info.segments > 1
        ? `segments              ${info.segments} (one LogUp sum; component rows: the largest segment's)\n`
        : '') +
      `components            ${present.length} with rows, of ${info.components.length}\n${table(compRows)}\n` +
      `bytes by section\n${table(secRows)}\n`,
  );
  return 0;
}

/** `nexus inspect`: describe an ELF or a proof file. */
export const inspect: Command = {
  name: 'inspect',
  summary: 'describe an ELF (segments, instruction mix) or a proof file (claim, sizes)',
  usage: USAGE,
  async execute(argv: string[], rawIo: CliIo): Promise<number> {
    // Everything printed below may quote the proof file (its config name, a rejection's
    // reason): no terminal control gets through, whatever the file holds.
    const io = terminalSafeIo(rawIo);
    const { values, positionals } = parse(argv, {
      config: { type: 'string' },
      hash: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const hash = hashOption(values.hash);
    if (positionals.length === 0) throw new UsageError('missing the file to inspect');
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const path = positionals[0]!;
    const bytes = readInput(io, path, 'file');
    if (ELF_MAGIC.every((b, i) => bytes[i] === b))
      return inspectElf(io, path, values.config, values.json === true, hash);
    if (PROOF_FILE_MAGIC.every((b, i) => bytes[i] === b))
      return inspectProof(io, path, bytes, values.config, values.json === true, hash);
    throw new CliError(
      `'${path}' is neither an ELF nor a Nexus proof file (unknown magic number ${hex(bytes.subarray(0, 4)) || 'in an empty file'})`,
      EXIT.BAD_ELF,
    );
  },
};
