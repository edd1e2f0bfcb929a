/**
 * `nexus prove --segment-cycles`: a segmented proof file that `nexus verify` accepts, that
 * `nexus inspect` describes, and that is rejected with a segment removed from its bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSegmentedProof, encodeSegmentedProof } from '@nexus/kernel';
import { decodeProofFile, encodeProofFile } from '@nexus/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleConfig, guest, nexus, tempDir, u32le, writeIn } from './support/nexus.js';

const { dir, cleanup } = tempDir('nexus-segments-');
afterAll(cleanup);

describe('nexus prove --segment-cycles', () => {
  it('proves in segments; verify accepts, inspect counts them, a dropped segment is rejected', async () => {
    const input = writeIn(dir, 'n.bin', u32le(30));
    const proof = join(dir, 'fib.proof');
    const fib = guest('fib');
    const proved = await nexus([
      'prove',
      fib,
      '--public-input',
      input,
      '--segment-cycles',
      '1024',
      '--security',
      'test',
      '-o',
      proof,
      '--json',
    ]);
    expect(proved.code, proved.stderr).toBe(0);
    const p = JSON.parse(proved.out);
    expect(p.segments).toBe(Math.ceil(p.cycles / 1024));
    const [verified, inspected] = await Promise.all([
      nexus(['verify', proof, '--elf', fib, '--allow-insecure', '--json']),
      nexus(['inspect', proof, '--json']),
    ]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.out).segments).toBe(p.segments);
    expect(JSON.parse(inspected.out).segments).toBe(p.segments);

    // The same file with its second segment taken out.
    const file = decodeProofFile(new Uint8Array(readFileSync(proof)));
    const { segments } = decodeSegmentedProof(file.proof);
    const dropped = join(dir, 'dropped.proof');
    writeFileSync(
      dropped,
      encodeProofFile({
        ...file,
        proof: encodeSegmentedProof({ segments: segments.filter((_, k) => k !== 1) }),
      }),
    );
    const rejected = await nexus(['verify', dropped, '--elf', fib, '--allow-insecure']);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/proof rejected \(check '(logup-sum|shape)'\)/);
  }, 120_000);

  it("--workers 2 writes the same proof file as --workers 1, with a config's plugins too", async () => {
    const input = writeIn(dir, 'n30.bin', u32le(30));
    const fib = guest('fib');
    const proveWith = (workers: string, out: string, extra: string[] = []) =>
      nexus([
        'prove',
        fib,
        '--public-input',
        input,
        '--segment-cycles',
        '1024',
        '--security',
        'test',
        '--workers',
        workers,
        '-o',
        join(dir, out),
        ...extra,
      ]);
    const one = await proveWith('1', 'one.proof');
    const two = await proveWith('2', 'two.proof');
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).not.toMatch(/refused/);
    expect(readFileSync(join(dir, 'two.proof'))).toEqual(readFileSync(join(dir, 'one.proof')));
    // A config's plugin objects reach the threads through the config file they import.
    const custom = await proveWith('2', 'custom.proof', ['--config', exampleConfig]);
    expect(custom.code, custom.stderr).toBe(0);
    const verified = await nexus([
      'verify',
      join(dir, 'custom.proof'),
      '--elf',
      fib,
      '--config',
      exampleConfig,
      '--allow-insecure',
    ]);
    expect(verified.code, verified.stderr).toBe(0);
  }, 240_000);

  it('a segment size out of range is a usage error', async () => {
    const r = await nexus(['prove', guest('fib'), '--segment-cycles', '100']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--segment-cycles/);
  });
});
