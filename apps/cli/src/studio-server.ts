import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckAnswer, ServedBuild } from '@nexus/studio/server';

/**
 * Where the built studio is: dist/studio of this package (scripts/copy-studio.mjs copies it there
 * at build time). The path is the same from src/ and from dist/, so tests and the built CLI agree.
 */
export const STUDIO_DIR = fileURLToPath(new URL('../dist/studio/', import.meta.url));

/**
 * The studio's Node side, bundled at build time (scripts/copy-studio.mjs): what `nexus debug`
 * runs for the page (the build's description, the constraint view's checks).
 */
export const STUDIO_CHECK = fileURLToPath(new URL('../dist/studio-check.js', import.meta.url));

/** The guest `nexus debug` hands to the page, at guest/... beside it. */
export interface ServedGuest {
  readonly name: string;
  readonly elf: Uint8Array;
  readonly publicInput: Uint8Array;
  readonly privateInput: Uint8Array;
  /**
   * The source files of the ELF's DWARF line table, by file index: an absolute path where the
   * file was found, undefined where not. Served read-only at guest/source/INDEX, and nothing else.
   */
  readonly sources?: readonly (string | undefined)[];
}

/**
 * What the page asks the `nexus debug` process for, beside the files: the build it serves the
 * guest with (guest/build.json) and, with a config, the constraint view's checks (POST
 * api/check), which need the config's plugins and so run here.
 */
export interface StudioApi {
  readonly build: ServedBuild;
  /** Answers a check request's parsed JSON body; throws BadCheckRequest for a malformed one. */
  check(body: unknown): CheckAnswer;
}

/** Largest api/check body accepted (the page sends a method and a few cells). */
const MAX_BODY = 1 << 20;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
};

/**
 * A static server of the built studio plus the guest's files, on 127.0.0.1 only: it serves the
 * private input, which must not leave the machine. It sends the cross-origin isolation headers
 * (see apps/studio/README.md), so the page may use SharedArrayBuffer.
 */
export function studioServer(root: string, guest: ServedGuest, api?: StudioApi): Server {
  const guestFiles = new Map<string, { body: Uint8Array; type: string }>([
    [
      '/guest/manifest.json',
      {
        body: new TextEncoder().encode(JSON.stringify({ name: guest.name })),
        type: TYPES['.json']!,
      },
    ],
    ['/guest/program.elf', { body: guest.elf, type: 'application/octet-stream' }],
    ['/guest/public-input', { body: guest.publicInput, type: 'application/octet-stream' }],
    ['/guest/private-input', { body: guest.privateInput, type: 'application/octet-stream' }],
  ]);
  if (api !== undefined)
    guestFiles.set('/guest/build.json', {
      body: new TextEncoder().encode(JSON.stringify(api.build)),
      type: TYPES['.json']!,
    });
  return createServer((req, res) => {
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    };
    // Only pages of this server: a Host naming another name (DNS rebinding: a web site whose
    // name resolves to 127.0.0.1) or an Origin of another site is refused, so no other page in
    // the browser reads the private input or drives the checks.
    const port = req.socket.localPort;
    const own = [`127.0.0.1:${port}`, `localhost:${port}`];
    const origin = req.headers.origin;
    if (
      !own.includes(req.headers.host ?? '') ||
      (origin !== undefined && !own.some((h) => origin === `http://${h}`))
    ) {
      res.writeHead(403, { ...headers, 'Content-Type': 'text/plain' }).end('not this server\n');
      return;
    }
    if (req.method === 'POST' && req.url === '/api/check' && api !== undefined) {
      answerCheck(req, res, headers, api);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400, headers).end();
      return;
    }
    const source = /^\/guest\/source\/(\d{1,9})$/.exec(path);
    if (source !== null) {
      const text = readSource(guest.sources?.[Number(source[1])]);
      if (text === undefined) res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      else res.writeHead(200, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(text ?? 'no such source file\n');
      return;
    }
    const served = guestFiles.get(path);
    if (served !== undefined) {
      res.writeHead(200, { ...headers, 'Content-Type': served.type }).end(served.body);
      return;
    }
    // Files of the build only: a normalized path that stays inside root.
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep) || !isFile(file)) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res
      .writeHead(200, {
        ...headers,
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      })
      .end(readFileSync(file));
  });
}

/**
 * POST api/check: a JSON body (the content type is required, so a cross-site form or a
 * preflight-free request cannot send one), answered with the check's JSON, or 400 with the reason.
 */
function answerCheck(
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
  api: StudioApi,
): void {
  const reply = (status: number, body: unknown) =>
    res
      .writeHead(status, { ...headers, 'Content-Type': TYPES['.json']! })
      .end(JSON.stringify(body));
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    reply(415, { error: 'api/check takes Content-Type: application/json' });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    if (size > MAX_BODY) return; // refused already
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
    else {
      // Answered at once; the connection closes rather than read the rest.
      res.setHeader('Connection', 'close');
      reply(413, { error: `a check request is at most ${MAX_BODY} bytes` });
      req.resume();
    }
  });
  req.on('end', () => {
    if (size > MAX_BODY) return;
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      reply(400, { error: 'the body is not JSON' });
      return;
    }
    try {
      reply(200, api.check(body));
    } catch (e) {
      // A malformed request (BadCheckRequest), or the guest failing to run: the reason, as text.
      reply(400, { error: e instanceof Error ? e.message : String(e) });
    }
  });
}

/** A listed source file's bytes, read when asked (it may have changed or gone since). */
function readSource(path: string | undefined): Uint8Array | undefined {
  if (path === undefined || !isFile(path)) return undefined;
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
