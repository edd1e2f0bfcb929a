import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { loadElf } from '@nexus/vm';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.js';
import { hasCommand, nexus, root, tempDir } from './support/nexus.js';

const { dir, cleanup } = tempDir('nexus-new-plugin-');
afterAll(cleanup);

const templates = join(root, 'apps', 'cli', 'templates', 'plugin');
const version = (path: string) =>
  JSON.parse(readFileSync(join(root, path, 'package.json'), 'utf8')).version as string;

/** Every file under a directory, relative to it, sorted. */
function filesUnder(base: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(base, p));
    }
  };
  walk(base);
  return out.sort();
}

describe('nexus new --plugin', () => {
  it('writes a precompile plugin package with @nexus ranges from the installed packages', async () => {
    const r = await nexus(['new', '--plugin', '@acme/my-precompile'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const p = join(dir, 'my-precompile');
    expect(filesUnder(p)).toEqual([
      '.gitignore',
      'README.md',
      'guest/bin/main.elf',
      'guest/build.sh',
      'guest/input.bin',
      'guest/main.c',
      'guest/precompile.h',
      'guest/runtime/crt0.S',
      'guest/runtime/zkvm.c',
      'guest/runtime/zkvm.h',
      'guest/runtime/zkvm.ld',
      'nexus.config.mjs',
      'package.json',
      'src/air.ts',
      'src/columns.ts',
      'src/compute.ts',
      'src/index.ts',
      'src/trace.ts',
      'src/version.ts',
      'test/index.test.ts',
      'tsconfig.build.json',
      'tsconfig.json',
      'vitest.config.ts',
    ]);
    const m = JSON.parse(readFileSync(join(p, 'package.json'), 'utf8'));
    expect(m.name).toBe('@acme/my-precompile');
    expect(m.dependencies).toEqual({
      '@nexus/air-common': `^${version('plugins/air-common')}`,
      '@nexus/vm': `^${version('packages/vm')}`,
    });
    expect(m.peerDependencies).toEqual({ '@nexus/kernel': `^${version('packages/kernel')}` });
    expect(m.devDependencies).toMatchObject({
      '@nexus/cli': `^${version('apps/cli')}`,
      '@nexus/sdk': `^${version('packages/sdk')}`,
      '@nexus/kernel': `^${version('packages/kernel')}`,
    });
    // Nothing a user could not install: no workspace or file ranges, no unpublished test kit.
    for (const v of Object.values({ ...m.dependencies, ...m.devDependencies }) as string[])
      expect(v).toMatch(/^\^\d/);
    for (const f of filesUnder(p).filter((f) => !f.endsWith('.elf') && !f.endsWith('.bin')))
      expect(readFileSync(join(p, f), 'utf8'), f).not.toMatch(/\{\{/);
    expect(readFileSync(join(p, 'README.md'), 'utf8')).toMatch(/^# @acme\/my-precompile\n/);
    expect(readFileSync(join(p, 'README.md'), 'utf8')).toMatch(/`my-precompile`/);
    expect(statSync(join(p, 'guest/build.sh')).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(p, 'guest/bin/main.elf'))).toEqual(
      readFileSync(join(templates, 'guest/bin/main.elf')),
    );
    for (const f of ['zkvm.h', 'zkvm.c', 'crt0.S', 'zkvm.ld'])
      expect(readFileSync(join(p, 'guest/runtime', f), 'utf8')).toBe(
        readFileSync(join(root, 'guests', 'runtime', f), 'utf8'),
      );
    expect(r.out).toMatch(/^created my-precompile\/: the precompile plugin @acme\/my-precompile /);
    expect(r.out).toMatch(/\n {2}cd my-precompile\n {2}npm install\n {2}npm test +#/);
  });

  it('refuses names that are not npm names, the @nexus scope, extra arguments and a busy directory', async () => {
    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    const [upper, nexusScope, extra, full] = await Promise.all([
      nexus(['new', '--plugin', 'My-Plugin'], { cwd: dir }),
      nexus(['new', '--plugin', '@nexus/mine'], { cwd: dir }),
      nexus(['new', '--plugin', 'ok', 'a', 'b'], { cwd: dir }),
      nexus(['new', '--plugin', 'ok', busy], { cwd: dir }),
    ]);
    expect(upper.code).toBe(EXIT.USAGE);
    expect(upper.stderr).toMatch(/'My-Plugin' is not an npm package name/);
    expect(nexusScope.code).toBe(EXIT.USAGE);
    expect(nexusScope.stderr).toMatch(/the @nexus scope is the zkVM's own/);
    expect(extra.code).toBe(EXIT.USAGE);
    expect(full.code).toBe(EXIT.CANNOT_WRITE);
    expect(readFileSync(join(busy, 'keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'ok'))).toBe(false);
  });

  it('the package type-checks against the zkVM packages (linked as npm would install them)', async () => {
    const r = await nexus(['new', '--plugin', 'typed-precompile', 'typed'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const p = join(dir, 'typed');
    // node_modules as an install would lay it out, linked to this workspace's packages.
    const link = (name: string, target: string) => {
      mkdirSync(join(p, 'node_modules', name, '..'), { recursive: true });
      symlinkSync(target, join(p, 'node_modules', name), 'dir');
    };
    for (const [name, path] of [
      ['@nexus/air-common', 'plugins/air-common'],
      ['@nexus/kernel', 'packages/kernel'],
      ['@nexus/sdk', 'packages/sdk'],
      ['@nexus/vm', 'packages/vm'],
    ] as const) {
      link(name, join(root, path));
    }
    for (const name of ['@types/node', 'vitest']) link(name, join(root, 'node_modules', name));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const check = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: p,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
  });

  const gcc = hasCommand('riscv64-unknown-elf-gcc');
  it(gcc
    ? "the template's guest ELF is what its build script writes"
    : "the template's guest ELF is what its build script writes (SKIPPED: riscv64-unknown-elf-gcc not found)", {
    skip: !gcc,
  }, async () => {
    const r = await nexus(['new', '--plugin', 'elf-check', 'elf-check'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const p = join(dir, 'elf-check');
    const built = spawnSync(join(p, 'guest', 'build.sh'), { cwd: p, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    // The same program (what is loaded and proven); the rebuilt ELF also declares the new
    // package in .nexus.requires, which the shipped one (copied for any name) leaves out.
    const rebuilt = loadElf(readFileSync(join(p, 'guest/bin/main.elf')));
    const shipped = loadElf(readFileSync(join(templates, 'guest/bin/main.elf')));
    expect(rebuilt.entry).toBe(shipped.entry);
    expect(
      rebuilt.segments.map((s) => [s.vaddr, s.memsz, s.flags, Buffer.from(s.data).toString('hex')]),
    ).toEqual(
      shipped.segments.map((s) => [s.vaddr, s.memsz, s.flags, Buffer.from(s.data).toString('hex')]),
    );
    expect(rebuilt.requires).toEqual([{ kind: 'syscall', number: 0x1800, plugin: 'elf-check' }]);
    expect(shipped.requires).toEqual([]);
  });
});
