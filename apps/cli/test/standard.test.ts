import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, guest, hasCommand, nexus, tempDir, u32le, writeIn } from './support/nexus.js';

const { dir, cleanup } = tempDir('nexus-standard-');
afterAll(cleanup);

// util-linux `script` runs a command on a pseudo-terminal: the only way to see the progress
// bar as a user at a terminal sees it, without a pty library.
const hasScript = process.platform === 'linux' && hasCommand('script', ['--version']);

/** Runs a shell command line under a pseudo-terminal; resolves with everything it printed. */
function onTerminal(command: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    child.on('close', (code) => resolve({ code, output: Buffer.concat(chunks).toString() }));
  });
}

describe('standard security (96 bits), end to end', () => {
  it(`proves fib(10) with a progress bar on a terminal${hasScript ? '' : ' (no `script` command: bar not checked)'}, verifies without --allow-insecure`, async () => {
    const elf = guest('fib');
    const input = writeIn(dir, 'n.bin', u32le(10));
    const proof = join(dir, 'fib.proof');
    const args = ['prove', elf, '--public-input', input, '-o', proof];
    if (hasScript) {
      const quoted = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
      const r = await onTerminal(quoted);
      expect(r.code).toBe(0);
      // Redrawn in place with \r and erase-line, then erased before the summary.
      // (The escape is built from a string: a control character in a regex literal is a lint.)
      const erase = String.raw`\r\x1b\[2K`;
      expect(r.output).toMatch(
        new RegExp(String.raw`${erase}proving \[[#.]+\] +\d+%  [a-z-]+  \d+\.\d s`),
      );
      expect(r.output).toMatch(new RegExp(String.raw`${erase}proving \[[#.]+\] +\d+%  fri`));
      expect(r.output).toMatch(new RegExp(String.raw`${erase}(fib\(10\)|proved)`));
      expect(r.output).toMatch(/security {7}96 bits \(standard\)\r?\n/);
    } else {
      const r = await nexus(args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/security {7}96 bits \(standard\)\n/);
    }
    expect(existsSync(proof)).toBe(true);
    const v = await nexus(['verify', proof, '--elf', elf, '--public-input', input, '--json']);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(JSON.parse(v.out)).toMatchObject({
      valid: true,
      publicOutput: '3700000000000000', // fib(10) = 55
      exitCode: 0,
      securityBits: 96,
      security: 'standard',
      insecure: false,
    });
    const text = await nexus(['verify', proof, '--elf', elf]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^proof valid: /);
    expect(text.out).not.toMatch(/INSECURE/);
  }, 120_000);
});
