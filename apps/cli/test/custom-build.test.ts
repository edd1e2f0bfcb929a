import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.js';
import {
  exampleConfig,
  expectOneLine,
  guest,
  nexus,
  pool,
  type Result,
  tempDir,
  u32le,
  writeIn,
} from './support/nexus.js';

const { dir, cleanup } = tempDir('nexus-custom-');
afterAll(cleanup);
const fib = guest('fib');
const input = writeIn(dir, 'n.bin', u32le(20));
const proof = join(dir, 'custom.proof');
let proved: Result;

beforeAll(async () => {
  proved = await nexus([
    'prove',
    fib,
    '--public-input',
    input,
    '--config',
    exampleConfig,
    '--security',
    'test',
    '-o',
    proof,
    '--json',
  ]);
  if (proved.code !== 0) throw new Error(`prove failed (${proved.code}): ${proved.stderr}`);
}, 120_000);

describe('a custom build (examples/custom-plugin: RV32IM + a third-party plugin)', () => {
  it('proves with the extra component in the proof', () => {
    const j = JSON.parse(proved.out);
    expect(j.config).toBe(exampleConfig);
    expect(j.components['square-table']).toBe(4);
    expect(j.publicOutput).toBe('6d1a000000000000'); // fib(20) = 6765
  });

  it('the default build refuses its proofs (system digests differ); the same config verifies them', async () => {
    const base = ['verify', proof, '--elf', fib, '--allow-insecure'];
    const [dflt, same] = await Promise.all([
      nexus([...base, '--json']),
      nexus([...base, '--config', exampleConfig, '--json']),
    ]);
    expect(dflt.code).toBe(EXIT.INVALID);
    expect(JSON.parse(dflt.out)).toMatchObject({ valid: false, check: 'system' });
    expect(dflt.stderr).toMatch(
      /different plugin set .* this build uses the default RV32IM preset/,
    );
    expect(same.code).toBe(0);
    expect(JSON.parse(same.out)).toMatchObject({ valid: true, publicOutput: '6d1a000000000000' });

    // And the other way round: a default proof is refused by the custom build.
    const plainProof = join(dir, 'plain.proof');
    const plain = await nexus([
      'prove',
      fib,
      '--public-input',
      input,
      '--security',
      'test',
      '-o',
      plainProof,
    ]);
    expect(plain.code).toBe(0);
    const r = await nexus([
      'verify',
      plainProof,
      '--elf',
      fib,
      '--allow-insecure',
      '--config',
      exampleConfig,
    ]);
    expect(r.code).toBe(EXIT.INVALID);
    expect(r.stderr).toMatch(/check 'system'/);
  }, 120_000);

  it('nexus.config.mjs in the current directory is the default config', async () => {
    const { dir: cwd, cleanup: done } = tempDir('nexus-cwd-');
    try {
      const example = join(exampleConfig, '..');
      copyFileSync(join(example, 'square-table.mjs'), join(cwd, 'square-table.mjs'));
      copyFileSync(exampleConfig, join(cwd, 'nexus.config.mjs'));
      const r = await nexus(['verify', proof, '--elf', fib, '--allow-insecure'], { cwd });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^nexus verify: config nexus\.config\.mjs\n/);
      const i = await nexus(['inspect', proof], { cwd });
      expect(i.out).toMatch(/\n {2}square-table +2\^4 = 16\n/);
      expect(i.out).toMatch(/\(this build's plugins\)/);
    } finally {
      done();
    }
  }, 60_000);

  it('inspect without the config says the proof is not from this build and leaves components unnamed', async () => {
    const r = await nexus(['inspect', proof]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/NOT this build's plugins/);
    expect(r.out).toMatch(/\n {2}#0 +2\^\d+/);
    expect(r.out).not.toMatch(/square-table/);
  });
});

describe('config errors', () => {
  it('bad configs are exit 5 with a one-line reason; a missing --config file is exit 3', async () => {
    const cfg = (name: string, text: string) => writeIn(dir, name, text);
    const cases: [string, string[], number, RegExp][] = [
      [
        'unknown plugin name',
        [
          '--config',
          cfg('unknown.mjs', "export default { plugins: ['@nexus/rv32im', '@acme/nope'] };"),
        ],
        EXIT.CONFIG,
        /unknown plugin '@acme\/nope': built-in plugins are @nexus\/rv32im, @nexus\/hash-blake2s/,
      ],
      [
        'syntax error',
        ['--config', cfg('syntax.mjs', 'export default { plugins: [ };')],
        EXIT.CONFIG,
        /config .*syntax\.mjs: cannot load it: .*/,
      ],
      [
        'no plugins',
        ['--config', cfg('empty.mjs', 'export const x = 1;')],
        EXIT.CONFIG,
        /export a config object/,
      ],
      [
        'misspelt key',
        ['--config', cfg('typo.mjs', "export default { plugin: ['@nexus/rv32im'] };")],
        EXIT.CONFIG,
        /unknown key 'plugin'/,
      ],
      [
        'not a plugin',
        ['--config', cfg('notplugin.mjs', "export default { plugins: ['@nexus/rv32im', 42] };")],
        EXIT.CONFIG,
        /plugins must hold plugin objects.*not number/,
      ],
      [
        'a plugin listed twice',
        [
          '--config',
          cfg('twice.mjs', "export default { plugins: ['@nexus/rv32im', '@nexus/air-add'] };"),
        ],
        EXIT.CONFIG,
        /plugin @nexus\/air-add is listed twice/,
      ],
      [
        'a plugin that throws',
        [
          '--config',
          cfg(
            'throws.mjs',
            "export default { plugins: ['@nexus/rv32im', { name: 'x', version: '1', apply() { throw new Error('boom'); } }] };",
          ),
        ],
        EXIT.CONFIG,
        /a plugin failed: Error: boom/,
      ],
      [
        'bad security',
        [
          '--config',
          cfg('security.mjs', "export default { plugins: ['@nexus/rv32im'], security: 'max' };"),
        ],
        EXIT.CONFIG,
        /security: unknown security preset "max"/,
      ],
      [
        'missing file',
        ['--config', join(dir, 'none.mjs')],
        EXIT.NOT_FOUND,
        /config file .* not found/,
      ],
    ];
    const results = await pool(cases, 3, ([, args]) => nexus(['inspect', fib, ...args]));
    cases.forEach(([what, , code, message], i) => {
      const r = results[i]!;
      expect({ what, code: r.code }).toEqual({ what, code });
      expect(r.stderr).toMatch(message);
      expectOneLine(r.stderr);
    });
  }, 60_000);

  it('a plugin set without a family the guest needs cannot prove it (exit 5, names the plugin)', async () => {
    // The function form: the config gets the preset without importing any package.
    const config = writeIn(
      dir,
      'nodiv.mjs',
      "export default ({ rv32im }) => ({ plugins: rv32im().filter((p) => p.name !== '@nexus/air-div') });",
    );
    const r = await nexus([
      'prove',
      fib,
      '--config',
      config,
      '--security',
      'test',
      '-o',
      join(dir, 'x.proof'),
    ]);
    expect(r.code).toBe(EXIT.CONFIG);
    expect(r.stderr).toMatch(
      /executes (div|rem)\w*(, \w+)* instructions, which no plugin of this zkVM proves: add @nexus\/air-div to the plugin list/,
    );
  }, 60_000);

  it('a TypeScript config needs a Node.js with type stripping, and says so instead of being skipped', async () => {
    const { dir: cwd, cleanup: done } = tempDir('nexus-ts-');
    try {
      writeIn(cwd, 'nexus.config.ts', "export default { plugins: ['@nexus/rv32im'] as string[] };");
      const r = await nexus(['inspect', fib], { cwd });
      const strips = Boolean((process.features as { typescript?: unknown }).typescript);
      if (strips) {
        expect(r.code).toBe(0);
      } else {
        expect(r.code).toBe(EXIT.CONFIG);
        expect(r.stderr).toMatch(
          /needs a Node\.js that strips types .* rename it to nexus\.config\.mjs/,
        );
      }
    } finally {
      done();
    }
  });
});
