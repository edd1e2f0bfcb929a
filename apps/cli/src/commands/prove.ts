import { resolve } from 'node:path';
import { resolveConfig, SECURITY, type SecurityPreset, securityBits } from '@nexus/kernel';
import {
  describeHash,
  MAX_SEGMENT_CYCLES,
  MIN_SEGMENT_CYCLES,
  type SegmentRunner,
  ZkvmError,
  type ZkvmPhase,
} from '@nexus/sdk';
import { VmFault } from '@nexus/vm';
import { grouped, intOption, parse, readElf, readInput, UsageError, writeOutput } from '../args.js';
import { CONFIG_HELP, hashOption, loadConfig, zkvmOf } from '../config.js';
import { CliError } from '../errors.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { bytesPreview, hex, seconds, sizeText } from '../format.js';
import type { CliIo } from '../io.js';
import { ProgressBar } from '../progress.js';
import { connectionOf } from '../queue/connection.js';
import type { Command } from './command.js';

const USAGE = `usage: nexus prove <elf> [--public-input FILE] [--private-input FILE] [-o FILE]
                   [--security standard|fast|compact|test] [--hash blake2s|blake3|poseidon2]
                   [--segment-cycles N] [--workers N | --queue redis://HOST:PORT]
                   [--config FILE] [--max-cycles N] [--json]

Runs an RV32IM guest and proves the run: writes a proof file (default <elf>.proof) holding the
claim (program commitment, public input, public output, exit code) and the STARK proof, then
prints cycles, proving time and proof size. The guest's debug log goes to stderr. A progress
bar is drawn on stderr when it is a terminal (not with --json). The exit status is 0 when the
proof was written, whatever the guest's exit code (the proof records it).

  --public-input FILE   bytes of the public input tape (fd 3): part of the claim
  --private-input FILE  bytes of the private input tape (fd 0): not in the proof
  -o, --output FILE     where to write the proof file (default <elf>.proof)
  --security NAME       standard (default: 96 conjectured bits), fast (96 bits, proofs
                        ~1.7x larger, long runs prove ~1.2x faster), compact (96 bits,
                        proofs about 0.6x the size, several times the proving time) or test (4
                        bits, fast, INSECURE: for tests only; verify rejects it unless
                        --allow-insecure)
  --hash NAME           the hash backend of the Merkle trees, the Fiat-Shamir channel and proof
                        of work: blake2s (default), blake3 (faster to prove in JavaScript) or
                        poseidon2 (Poseidon2 over M31: cheap to verify inside a STARK, for
                        recursion; slower to prove here). The proof file records it; nexus
                        verify needs the same backend (and picks it from the file).
  --segment-cycles N    cut a run longer than N cycles into segments of N, proven under one
                        LogUp sum (memory stays that of one segment per worker). By default
                        runs longer than 2^19 = 524,288 cycles are cut: into 2^19-cycle
                        segments with one worker (~1.7 GiB at peak), 2^18 with two,
                        2^17 with more, so the workers together stay near 2 GiB; larger
                        segments give smaller proofs. N from 1024 to 2^26.
  --workers N           worker threads proving the segments of a segmented run in parallel
                        (default: one per core); each holds one segment at a time. A run
                        proven as one proof (from 2^16 cycles) is split over N threads, this
                        one included. 1 proves in this process. Same proof bytes either way;
                        every worker's result is verified before it is used. A config's plugins reach the threads
                        through the config file, which each thread imports.
  --queue URL           prove the segments on \`nexus worker\` processes, on any machines, through
                        the Redis server at URL (redis://HOST:PORT): the ELF is stored there
                        once, each segment is a job, and every result is verified here before
                        it is used (a bad worker delays the proof, never spoils it). A config
                        file must be at the same path on the workers' machines.
${CONFIG_HELP}
  --max-cycles N        stop with a fault after N instructions
  --json                one JSON object on stdout: {"proof", "bytes", "cycles", "exitCode",
                        "publicOutput" (hex), "programCommitment", "security", "securityBits",
                        "hash", "timeMs", "timings", "components", "segments", "config"}

Exit status: 0 proof written; 2 usage; 3 file not found; 4 file unreadable; 5 bad config or a
plugin set that cannot prove this guest; 6 cannot write the proof; 126 not a runnable ELF;
128+N the guest faulted (as for nexus run: nothing to prove); 7 --queue: Redis not
reachable, or no worker's result accepted for a segment; 70 internal error.`;

/** `nexus prove`: run and prove a guest, write the proof file. */
export const prove: Command = {
  name: 'prove',
  summary: 'prove a run of a guest: writes a proof file (<elf>.proof)',
  usage: USAGE,
  async execute(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parse(argv, {
      'public-input': { type: 'string' },
      'private-input': { type: 'string' },
      output: { type: 'string', short: 'o' },
      security: { type: 'string' },
      hash: { type: 'string' },
      config: { type: 'string' },
      'max-cycles': { type: 'string' },
      'segment-cycles': { type: 'string' },
      workers: { type: 'string' },
      queue: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('missing the ELF file to prove');
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const elfPath = positionals[0]!;
    if (values.security !== undefined && !(values.security in SECURITY)) {
      throw new UsageError(
        `--security must be one of ${Object.keys(SECURITY).join(', ')} (got '${values.security}')`,
      );
    }
    const maxCycles = intOption(values['max-cycles'], 'max-cycles', 1);
    const segmentCycles = intOption(values['segment-cycles'], 'segment-cycles', MIN_SEGMENT_CYCLES);
    if (segmentCycles !== undefined && segmentCycles > MAX_SEGMENT_CYCLES)
      throw new UsageError(`--segment-cycles is at most ${MAX_SEGMENT_CYCLES}`);
    const workers = intOption(values.workers, 'workers', 1);
    if (values.queue !== undefined) {
      if (workers !== undefined) throw new UsageError('give --workers or --queue, not both');
      connectionOf(values.queue);
    }
    const hash = hashOption(values.hash);
    const { bytes: elf } = readElf(io, elfPath);
    const publicInput =
      values['public-input'] === undefined
        ? new Uint8Array(0)
        : readInput(io, values['public-input'], 'public input');
    const privateInput =
      values['private-input'] === undefined
        ? new Uint8Array(0)
        : readInput(io, values['private-input'], 'private input');
    const outPath = values.output ?? `${elfPath}.proof`;
    if (resolve(io.cwd(), outPath) === resolve(io.cwd(), elfPath))
      throw new UsageError(`-o ${outPath} would overwrite the ELF being proven`);

    const config = await loadConfig(values.config, io.cwd());
    const security =
      values.security === undefined
        ? (config.security ?? SECURITY.standard)
        : resolveConfig(values.security as SecurityPreset);
    const zkvm = zkvmOf(config, security, maxCycles, hash ?? config.hash);
    if (config.path !== null && !values.json) io.stderr(`nexus prove: config ${config.path}\n`);

    const bar = new ProgressBar(io, 'proving', io.stderrIsTTY === true && !values.json);
    const timings: Partial<Record<ZkvmPhase, number>> = {};
    const start = io.now();
    let done = 0;
    let result: ReturnType<typeof zkvm.prove>;
    let segment = '';
    let runner: SegmentRunner | undefined;
    // Ctrl-C while workers prove: withdraw the jobs and stop the threads (seen once this
    // thread's own work, pass 1 or a check, yields); a second Ctrl-C ends the process at once.
    const interrupt = new AbortController();
    const onInterrupt = () => {
      if (interrupt.signal.aborted) process.exit(128 + 2);
      io.stderr('\nnexus prove: interrupted, cancelling (Ctrl-C again to quit at once)\n');
      interrupt.abort(new CliError('interrupted: no proof written', 128 + 2));
    };
    try {
      if (values.queue !== undefined) {
        try {
          // BullMQ and its Redis client load only here: ~0.2 s of every other prove.
          const { createQueueRunner } = await import('../queue/runner.js');
          runner = await createQueueRunner(values.queue);
        } catch (e) {
          throw new CliError((e as Error).message, EXIT.QUEUE);
        }
      }
      const options = {
        onProgress: (phase: ZkvmPhase, f: number) =>
          bar.update(segment === '' ? phase : `${segment} ${phase}`, f),
        onSegment: (phase: 'commit' | 'prove', k: number, n: number) => {
          segment = `segment ${k + 1}/${n} (${phase === 'commit' ? 'commit' : 'prove'})`;
        },
        timings,
        ...(segmentCycles === undefined ? {} : { segmentCycles }),
      };
      if (workers !== 1 || runner !== undefined) process.on('SIGINT', onInterrupt);
      result =
        workers === 1 && runner === undefined
          ? zkvm.prove(elf, { publicInput, privateInput }, options)
          : await zkvm.proveAsync(
              elf,
              { publicInput, privateInput },
              {
                ...options,
                // Workers report segments as they finish: the bar counts them.
                onSegment: (phase, k, n) => {
                  done++;
                  segment = `segments ${done}/${2 * n} (${phase} ${k + 1})`;
                },
                onProgress: (phase, f) => bar.update(segment === '' ? phase : segment, f),
                onRefused: (r) =>
                  io.stderr(
                    `nexus prove: refused a worker's ${r.phase} result for segment ${r.index} (try ${r.attempt}): ${r.reason}\n`,
                  ),
                signal: interrupt.signal,
                ...(workers === undefined ? {} : { workers }),
                ...(runner === undefined ? {} : { runner }),
                ...(config.path === null ? {} : { systemModule: resolve(io.cwd(), config.path) }),
              },
            );
    } catch (e) {
      if (e instanceof VmFault) {
        throw new CliError(
          `the guest stopped with ${e.name} at cycle ${grouped(e.clk)}: ${e.message}; a run that faults cannot be proven (see it with nexus run or nexus trace)`,
          exitCodeFor(e),
        );
      }
      // A guest using what no plugin of the build proves: the config is the user's to fix.
      if (e instanceof ZkvmError && e.details.reason === 'coverage') {
        throw new CliError(e.message, EXIT.CONFIG);
      }
      // No worker's result for a segment was accepted (after retries and a recommit).
      if (e instanceof ZkvmError && e.details.reason === 'workers') {
        throw new CliError(e.message, runner === undefined ? EXIT.INTERNAL : EXIT.QUEUE);
      }
      if (e instanceof ZkvmError && e.details.reason === 'system') {
        throw new CliError(e.message, EXIT.CONFIG);
      }
      // @nexus/air-common's ProgramError (matched by name: the CLI does not depend on it): the
      // guest runs, but outside what the zkVM proves (memory above its ceiling, a syscall
      // buffer there). The user's to fix, not a bug of nexus.
      if (e instanceof Error && e.name === 'ProgramError') {
        throw new CliError(`cannot prove this guest: ${e.message}`, EXIT.CONFIG);
      }
      throw e;
    } finally {
      process.off('SIGINT', onInterrupt);
      bar.done();
      await runner?.close();
    }
    const ms = io.now() - start;
    const file = zkvm.proofFile(result);
    writeOutput(io, outPath, file, 'proof file');
    if (result.log.length > 0) io.stderr(result.log);

    const bits = securityBits(security);
    const { claim } = result;
    if (values.json) {
      io.stdout(
        `${JSON.stringify({
          proof: outPath,
          bytes: file.length,
          cycles: result.cycles,
          exitCode: claim.exitCode,
          publicOutput: hex(claim.publicOutput),
          programCommitment: hex(claim.programCommitment),
          security: security.name,
          securityBits: bits,
          hash: zkvm.system.hash.id,
          timeMs: Number(ms.toFixed(1)),
          timings: Object.fromEntries(
            Object.entries(timings).map(([k, v]) => [k, Number((v ?? 0).toFixed(1))]),
          ),
          components: result.components,
          segments: 'segments' in result.proof ? result.proof.segments.length : 1,
          config: config.path,
        })}\n`,
      );
      return 0;
    }
    const insecure =
      bits < 96
        ? ' INSECURE: for tests only; nexus verify rejects it without --allow-insecure'
        : '';
    io.stdout(
      `proved ${elfPath}: exit code ${claim.exitCode}, ${grouped(result.cycles)} cycles\n` +
        `  public output  ${bytesPreview(claim.publicOutput)}\n` +
        `  proof file     ${outPath}: ${sizeText(file.length)}${'segments' in result.proof ? `, ${result.proof.segments.length} segments` : ''}\n` +
        `  security       ${bits} bits (${security.name})${insecure}\n` +
        `  hash backend   ${describeHash(zkvm.system.hash.id)}\n` +
        `  proving time   ${seconds(ms)} (${phaseTimes(timings)})\n`,
    );
    return 0;
  },
};

/** "execute 0.01 s, trace 0.20 s, ..." for the phases that took at least 5% of the time. */
function phaseTimes(timings: Partial<Record<string, number>>): string {
  const entries = Object.entries(timings) as [string, number][];
  const total = entries.reduce((a, [, v]) => a + v, 0);
  const shown = entries.filter(([, v]) => v >= 0.05 * total);
  return shown.map(([k, v]) => `${k} ${seconds(v)}`).join(', ');
}
