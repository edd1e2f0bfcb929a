import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built studio is: dist/studio of this package (scripts/copy-studio.mjs copies it there
 * at build time). The path is the same from src/ and from dist/, so tests and the built CLI agree.
 */
export const STUDIO_DIR = fileURLToPath(new URL('../dist/studio/', import.meta.url));

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
export function studioServer(root: string, guest: ServedGuest): Server {
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
  return createServer((req, res) => {
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    };
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
