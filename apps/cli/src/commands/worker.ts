import { intOption, parse, UsageError } from '../args.js';
import { CliError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { connectionOf } from '../queue/connection.js';
import type { Command } from './command.js';

const USAGE = `usage: nexus worker --queue redis://HOST:PORT [--threads N] [--lock-duration MS]

Proves segment jobs for \`nexus prove --queue\` coordinators, on any machine that reaches the
Redis server: takes a job (an ELF by digest, the inputs, a segment, a phase), rebuilds the
zkVM the job describes (bundled plugins by name, or a config module at the path the
coordinator gave: it must exist here too), checks that its system digest is the
coordinator's, proves, and returns the result, which the coordinator verifies before using it.
A worker sees the guest's private input, and imports the local config file a job names:
whoever can write to the Redis server chooses both, so keep it on a trusted network (bind
address, password). Runs until SIGINT or SIGTERM (running jobs finish);
a worker killed mid-job loses nothing: the job goes to another worker once its lock lapses.

  --queue URL           the Redis server (redis://[:PASSWORD@]HOST:PORT[/DB])
  --threads N           jobs proven at once, one thread each (default 1; one segment of 2^19
                        cycles peaks at ~1.7 GiB)
  --lock-duration MS    how soon a dead worker's job is handed on (default 30000)

Exit status: 0 stopped by a signal; 2 usage; 7 Redis not reachable.`;

/** `nexus worker`: a BullMQ worker proving segments. */
export const worker: Command = {
  name: 'worker',
  summary: 'prove segment jobs from a Redis queue (nexus prove --queue)',
  usage: USAGE,
  async execute(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parse(argv, {
      queue: { type: 'string' },
      threads: { type: 'string' },
      'lock-duration': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values.queue === undefined) throw new UsageError('missing --queue redis://HOST:PORT');
    connectionOf(values.queue); // a bad URL is a usage error before anything starts
    const threads = intOption(values.threads, 'threads', 1) ?? 1;
    const lockDuration = intOption(values['lock-duration'], 'lock-duration', 1000);
    const log = (line: string) => io.stderr(`nexus worker: ${line}\n`);
    // BullMQ loads only for the command that needs it (the CLI's other commands start faster).
    const { startQueueWorker } = await import('../queue/worker.js');
    let running: Awaited<ReturnType<typeof startQueueWorker>>;
    try {
      running = await startQueueWorker(values.queue, {
        threads,
        log,
        ...(lockDuration === undefined ? {} : { lockDuration }),
      });
    } catch (e) {
      throw new CliError((e as Error).message, EXIT.QUEUE);
    }
    log(`waiting for jobs on ${values.queue} (${threads} thread${threads > 1 ? 's' : ''})`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    log('stopping (running jobs finish first)');
    await running.close();
    return 0;
  },
};
