import {
  decodeProof,
  decodeSegmentedProof,
  isSegmentedProof,
  type PcsConfig,
  ProofFormatError,
  SECURITY,
  securityBits,
  VerificationError,
} from '@nexus/kernel';
import { decodeProofFile, describeHash, type ProofFile, type Zkvm, ZkvmError } from '@nexus/sdk';
import { intOption, parse, readElf, readInput, UsageError } from '../args.js';
import { CONFIG_HELP, hashForFile, hashOption, loadConfig, zkvmOf } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { bytesPreview, hex, printableText, seconds, terminalSafe } from '../format.js';
import { type CliIo, terminalSafeIo } from '../io.js';
import type { Command } from './command.js';

/** The least security verify accepts without --allow-insecure: the standard preset's, 96 bits. */
const DEFAULT_MIN_SECURITY_BITS = securityBits(SECURITY.standard);

const USAGE = `usage: nexus verify <proof> --elf <elf> [--public-input FILE] [--expect-output FILE]
                    [--expect-exit N] [--allow-insecure] [--hash NAME] [--config FILE] [--json]

Checks that the proof shows this ELF, run on the public input, produced the public output and
exit code, then prints them (the output as text when printable, else hex). Nothing in the proof
file that can be recomputed is trusted: the program commitment comes from --elf, the system
digest from this build's plugins (--config). Without --public-input, --expect-output and
--expect-exit, the values the file claims are checked and printed; with them, the proof must
be for exactly those values.

  --elf FILE            the guest the proof is about (required)
  --public-input FILE   the public input the proof must be for
  --expect-output FILE  the public output the proof must show (exact bytes)
  --expect-exit N       the exit code the proof must show
  --allow-insecure      accept proofs below ${DEFAULT_MIN_SECURITY_BITS} bits of conjectured security (made with
                        --security test): for tests only. Without it they are rejected; with it
                        an insecure proof is accepted with a warning, and --json says
                        "insecure": true.
  --hash NAME           the hash backend the proof must use: blake2s, blake3 or poseidon2;
                        any other is rejected (check 'hash'). Without it, the config's hash if
                        it names one, else the backend the file records; either way the output
                        says which backend the proof used.
${CONFIG_HELP}
  --json                one JSON object on stdout: {"valid": true, "programCommitment",
                        "publicInput", "publicOutput" (hex), "publicOutputText", "exitCode",
                        "securityBits", "security", "insecure", "hash", "timeMs"} or
                        {"valid": false,
                        "check", "message"}

Exit status: 0 valid; 1 invalid, naming the failed check: format (the file does not decode),
hash (made with another hash backend than --hash or the config's), program (proof of another
program), system (proof from another plugin set: use the same
--config that proved), security-level, public-input, expect-output, expect-exit (the proof is
for other values), or a check of the STARK verifier (config: a configuration other than the
presets or --config's; statement, shape, logup-sum, oods, merkle, fri-fold, fri-last-layer,
proof-of-work); 2 usage; 3 file not found; 4 file unreadable; 5 bad
config; 126 --elf is not a runnable ELF; 70 internal error.`;

/** Why a proof was rejected: the check's name and a one-line reason. */
class Rejection extends Error {
  constructor(
    readonly check: string,
    message: string,
  ) {
    super(message);
  }
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function securityText(config: PcsConfig, bits: number): string {
  return `${bits} bits (config '${terminalSafe(config.name)}': log blowup ${config.logBlowup}, ${config.nQueries} queries, ${config.powBits} proof-of-work bits)`;
}

/** `nexus verify`: check a proof file against an ELF and the expected I/O. */
export const verify: Command = {
  name: 'verify',
  summary: 'verify a proof file against an ELF; print the proven output and exit code',
  usage: USAGE,
  async execute(argv: string[], rawIo: CliIo): Promise<number> {
    // Everything printed below may quote the proof file (its config name, a rejection's
    // reason): no terminal control gets through, whatever the file holds.
    const io = terminalSafeIo(rawIo);
    const { values, positionals } = parse(argv, {
      elf: { type: 'string' },
      'public-input': { type: 'string' },
      'expect-output': { type: 'string' },
      'expect-exit': { type: 'string' },
      'allow-insecure': { type: 'boolean', default: false },
      hash: { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('missing the proof file to verify');
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    if (values.elf === undefined)
      throw new UsageError('missing --elf: the guest the proof is about');
    const proofPath = positionals[0]!;
    // Exit codes are unsigned 32-bit in the statement; accept what a shell can pass.
    const expectExit = intOption(values['expect-exit'], 'expect-exit');
    if (expectExit !== undefined && expectExit > 0xffffffff)
      throw new UsageError(`--expect-exit must be below 2^32 (got ${expectExit})`);
    const pinned = hashOption(values.hash);
    const fileBytes = readInput(io, proofPath, 'proof file');
    if (ELF_MAGIC.every((b, i) => fileBytes[i] === b)) {
      throw new UsageError(
        `'${proofPath}' is an ELF, not a proof file: nexus verify <proof> --elf <elf>`,
      );
    }
    const { bytes: elf } = readElf(io, values.elf);
    const publicInput =
      values['public-input'] === undefined
        ? undefined
        : readInput(io, values['public-input'], 'public input');
    const expectOutput =
      values['expect-output'] === undefined
        ? undefined
        : readInput(io, values['expect-output'], 'expected output');
    const config = await loadConfig(values.config, io.cwd());
    if (config.path !== null && !values.json) io.stderr(`nexus verify: config ${config.path}\n`);

    const reject = (r: Rejection): number => {
      if (values.json)
        io.stdout(`${JSON.stringify({ valid: false, check: r.check, message: r.message })}\n`);
      io.stderr(`nexus verify: proof rejected (check '${r.check}'): ${r.message}\n`);
      return EXIT.INVALID;
    };

    const start = io.now();
    let file: ProofFile;
    let zkvm: Zkvm;
    let proofConfig: PcsConfig;
    let segments = 1;
    let bits: number;
    try {
      try {
        file = decodeProofFile(fileBytes);
        // A segmented proof's segments share one config (the verifier checks it).
        const decoded = isSegmentedProof(file.proof)
          ? decodeSegmentedProof(file.proof).segments
          : [decodeProof(file.proof)];
        proofConfig = decoded[0]!.config;
        segments = decoded.length;
      } catch (e) {
        if (e instanceof ProofFormatError) throw new Rejection('format', e.message);
        throw e;
      }
      // The backend: the one pinned (--hash), else the config's, else the file's own. A file
      // from another backend than the pinned or configured one is named as such, first: its
      // program commitment and system digest are hashes of that other backend.
      const hash = pinned ?? hashForFile(config, file.hashId);
      // The security of the proofs this build makes is irrelevant here: the minimum to accept
      // comes from the command line only, never from a config file.
      zkvm = zkvmOf(config, undefined, undefined, hash);
      const own = zkvm.system.hash.id;
      if (file.hashId !== null && file.hashId !== own) {
        throw new Rejection(
          'hash',
          `the proof was made with the ${describeHash(file.hashId)} hash backend, not ${describeHash(own)}${pinned === undefined ? (config.hash === undefined ? '' : ` (the hash of config ${config.path})`) : ' (--hash)'}`,
        );
      }
      // Checks in the order a user would fix them; verifyFile repeats the first two.
      if (!sameBytes(zkvm.programCommitment(elf), file.programCommitment)) {
        throw new Rejection(
          'program',
          `the proof is for a different program than ${values.elf} (program commitments differ)`,
        );
      }
      if (!sameBytes(zkvm.system.digest, file.systemDigest)) {
        throw new Rejection(
          'system',
          `the proof was made by a zkVM with a different plugin set (system digests differ): verify with the same plugins (--config) that proved${config.path === null ? '; this build uses the default RV32IM preset' : ''}`,
        );
      }
      bits = securityBits(proofConfig);
      if (bits < DEFAULT_MIN_SECURITY_BITS && !values['allow-insecure']) {
        throw new Rejection(
          'security-level',
          `the proof has only ${securityText(proofConfig, bits)}, below the ${DEFAULT_MIN_SECURITY_BITS} required; a proof made with --security test is accepted only with --allow-insecure (for tests: it proves nothing against a cheating prover)`,
        );
      }
      if (publicInput !== undefined && !sameBytes(publicInput, file.publicInput)) {
        throw new Rejection(
          'public-input',
          `the proof is for another public input (${bytesPreview(file.publicInput, 16)}) than ${values['public-input']} (${bytesPreview(publicInput, 16)})`,
        );
      }
      if (expectOutput !== undefined && !sameBytes(expectOutput, file.publicOutput)) {
        throw new Rejection(
          'expect-output',
          `the proof is for another public output (${bytesPreview(file.publicOutput, 16)}) than ${values['expect-output']} (${bytesPreview(expectOutput, 16)})`,
        );
      }
      if (expectExit !== undefined && expectExit !== file.exitCode) {
        throw new Rejection(
          'expect-exit',
          `the proof is for exit code ${file.exitCode}, not ${expectExit}`,
        );
      }
      try {
        // The STARK check, for the expected values where given, else for the file's claim:
        // the claim only says what to check; the proof must hold for it.
        zkvm.verifyFile(
          fileBytes,
          elf,
          {
            ...(publicInput === undefined ? {} : { publicInput }),
            ...(expectOutput === undefined ? {} : { publicOutput: expectOutput }),
            ...(expectExit === undefined ? {} : { exitCode: expectExit }),
          },
          { minSecurityBits: values['allow-insecure'] ? 0 : DEFAULT_MIN_SECURITY_BITS },
        );
      } catch (e) {
        if (e instanceof VerificationError)
          throw new Rejection(e.check, e.message.replace(`${e.check}: `, ''));
        if (e instanceof ProofFormatError) throw new Rejection('format', e.message);
        if (e instanceof ZkvmError)
          throw new Rejection(String(e.details.reason ?? 'statement'), e.message);
        throw e;
      }
    } catch (e) {
      if (e instanceof Rejection) return reject(e);
      throw e;
    }
    const ms = io.now() - start;
    const insecure = bits < DEFAULT_MIN_SECURITY_BITS;
    const warning = `WARNING: INSECURE proof accepted because of --allow-insecure: ${bits} bits of conjectured security; a cheating prover can forge such proofs. Never accept it outside tests.`;
    if (values.json) {
      io.stdout(
        `${JSON.stringify({
          valid: true,
          programCommitment: hex(file.programCommitment),
          publicInput: hex(file.publicInput),
          publicOutput: hex(file.publicOutput),
          publicOutputText: printableText(file.publicOutput),
          exitCode: file.exitCode,
          securityBits: bits,
          security: proofConfig.name,
          insecure,
          hash: zkvm.system.hash.id,
          segments,
          timeMs: Number(ms.toFixed(1)),
          config: config.path,
        })}\n`,
      );
      if (insecure) io.stderr(`nexus verify: ${warning}\n`);
      return 0;
    }
    io.stdout(
      `${insecure ? 'INSECURE ' : ''}proof valid: ${values.elf} ran on the public input and produced\n` +
        `  public output  ${bytesPreview(file.publicOutput, Number.POSITIVE_INFINITY)}\n` +
        `  exit code      ${file.exitCode}\n` +
        `  public input   ${bytesPreview(file.publicInput)}\n` +
        `  program        ${hex(file.programCommitment)} (commitment)\n` +
        `  security       ${securityText(proofConfig, bits)}${insecure ? ' INSECURE' : ''}\n` +
        `  hash backend   ${describeHash(zkvm.system.hash.id)}\n` +
        (segments > 1 ? `  segments       ${segments} (one LogUp sum)\n` : '') +
        `  verified in    ${seconds(ms)}\n`,
    );
    if (insecure) io.stderr(`nexus verify: ${warning}\n`);
    return 0;
  },
};
