import type { ConnectionOptions } from 'bullmq';
import { UsageError } from '../args.js';

/** The BullMQ queue segment jobs go through (one per Redis database). */
export const QUEUE_NAME = 'nexus-segments';

/** The Redis key an ELF's bytes are stored under, once, by its digest. */
export const elfKey = (digest: string) => `nexus:elf:${digest}`;

/**
 * BullMQ's connection options from a `--queue` URL: redis://[:PASSWORD@]HOST:PORT[/DB].
 *
 * @throws UsageError for anything else
 */
export function connectionOf(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--queue must be a URL such as redis://127.0.0.1:6379 (got '${url}')`);
  }
  if (u.protocol !== 'redis:' || u.hostname === '') {
    throw new UsageError(`--queue must be a redis://HOST:PORT URL (got '${url}')`);
  }
  const port = u.port === '' ? 6379 : Number(u.port);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new UsageError(`--queue: bad database in '${url}'`);
  return {
    host: u.hostname,
    port,
    db,
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    // BullMQ's workers block on Redis; it requires this to be null.
    maxRetriesPerRequest: null,
  };
}

/**
 * Checks that the Redis server accepts connections before BullMQ connects: its client retries
 * forever, so an unreachable server would be a silent hang instead of an error.
 *
 * @throws Error naming the server when it refuses or does not answer in `ms`
 */
export async function checkReachable(url: string, ms = 5000): Promise<void> {
  const { host, port } = connectionOf(url) as { host: string; port: number };
  // node:net loads here: prove imports this module for connectionOf, and a prove without
  // --queue (whose stdout is a file) never needs the network (~2 ms of its start).
  const { connect } = await import('node:net');
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`cannot reach Redis at ${url}: ${why}`));
    };
    socket.setTimeout(ms, () => fail(`no answer in ${ms / 1000} s`));
    socket.once('error', (e) => fail(e.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}
