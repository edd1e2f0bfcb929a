import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.js';
import { expectOneLine, guest, nexus, type Result, tempDir, writeIn } from './support/nexus.js';

// nexus prove --hash: the backend is recorded in the proof file, reported by verify and
// inspect, picked by verify from the file, and pinned by verify --hash (check 'hash').
const { dir, cleanup } = tempDir('nexus-hash-');
afterAll(cleanup);
const fib = guest('fib');
const proofPath = join(dir, 'fib.p2.proof');
let proved: Result;

beforeAll(async () => {
  proved = await nexus(
    ['prove', fib, '--hash', 'poseidon2', '--security', 'test', '-o', proofPath, '--json'],
    { cwd: dir },
  );
  if (proved.code !== 0) throw new Error(`prove failed (${proved.code}): ${proved.stderr}`);
}, 120_000);

const verify = (...more: string[]) =>
  nexus(['verify', proofPath, '--elf', fib, '--allow-insecure', ...more], { cwd: dir });

describe('nexus --hash', () => {
  it('prove records the backend; verify picks it from the file and reports it', async () => {
    expect(JSON.parse(proved.out).hash).toBe('poseidon2-m31-w16');
    const [text, json, pinned] = await Promise.all([
      verify(),
      verify('--json'),
      verify('--hash', 'poseidon2', '--json'),
    ]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/\n {2}hash backend {3}poseidon2 \(poseidon2-m31-w16\)\n/);
    expect(JSON.parse(json.out)).toMatchObject({ valid: true, hash: 'poseidon2-m31-w16' });
    expect(JSON.parse(pinned.out)).toMatchObject({ valid: true, hash: 'poseidon2-m31-w16' });
  }, 120_000);

  it('verify --hash pins the backend: any other is rejected with check hash', async () => {
    for (const other of ['blake2s', 'blake3']) {
      const r = await verify('--hash', other);
      expect(r.code).toBe(EXIT.INVALID);
      expect(r.stderr).toMatch(
        /^nexus verify: proof rejected \(check 'hash'\): the proof was made with the poseidon2 \(poseidon2-m31-w16\) hash backend, not blake[23]s?/,
      );
      expectOneLine(r.stderr);
    }
  }, 120_000);

  it('a config naming a backend pins it too; a bad name is a usage or config error', async () => {
    const config = writeIn(
      dir,
      'b3.config.mjs',
      new TextEncoder().encode(
        "export default { plugins: ['@nexus/rv32im', '@nexus/precompile-sha256'], hash: 'blake3' };\n",
      ),
    );
    const r = await verify('--config', config, '--json');
    expect(r.code).toBe(EXIT.INVALID);
    expect(JSON.parse(r.out)).toMatchObject({ valid: false, check: 'hash' });
    const usage = await nexus(['prove', fib, '--hash', 'sha1']);
    expect(usage.code).toBe(EXIT.USAGE);
    expect(usage.stderr).toMatch(/--hash must be one of blake2s, blake3, poseidon2 \(got 'sha1'\)/);
    const bad = writeIn(
      dir,
      'bad.config.mjs',
      new TextEncoder().encode("export default { plugins: ['@nexus/rv32im'], hash: 'md5' };\n"),
    );
    const c = await nexus(['prove', fib, '--config', bad]);
    expect(c.code).toBe(EXIT.CONFIG);
    expect(c.stderr).toMatch(
      /hash: "md5" is not a bundled hash backend \(blake2s, blake3, poseidon2\)/,
    );
  }, 120_000);

  it('inspect shows the backend and names the components with it', async () => {
    const r = await nexus(['inspect', proofPath, '--json']);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({
      fileVersion: 2,
      hash: 'poseidon2-m31-w16',
      sameHash: true,
      sameSystem: true,
    });
    const text = await nexus(['inspect', proofPath]);
    expect(text.out).toMatch(/\nhash backend {10}poseidon2 \(poseidon2-m31-w16\)\n/);
    expect(readFileSync(proofPath).length).toBe(j.bytes);
  }, 120_000);
});
