import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.js';
import { hasCommand, nexus, root, tempDir, writeIn } from './support/nexus.js';

const { dir, cleanup } = tempDir('nexus-new-');
afterAll(cleanup);

// The toolchain is needed to build the scaffolded guest; without it the build test is skipped
// and says why in its name.
const toolchain =
  hasCommand('riscv64-unknown-elf-gcc') && hasCommand('make')
    ? null
    : 'riscv64-unknown-elf-gcc or make not found';

describe('nexus new', () => {
  it('creates the project files, with a copy of the guest runtime', async () => {
    const r = await nexus(['new', 'hello-world'], { cwd: dir });
    expect(r.code).toBe(0);
    const p = join(dir, 'hello-world');
    for (const f of [
      'src/main.c',
      'Makefile',
      'README.md',
      '.gitignore',
      'runtime/zkvm.h',
      'runtime/zkvm.c',
      'runtime/crt0.S',
      'runtime/zkvm.ld',
    ]) {
      expect(existsSync(join(p, f)), f).toBe(true);
    }
    for (const f of ['zkvm.h', 'zkvm.c', 'crt0.S', 'zkvm.ld']) {
      expect(readFileSync(join(p, 'runtime', f), 'utf8')).toBe(
        readFileSync(join(root, 'guests', 'runtime', f), 'utf8'),
      );
    }
    const makefile = readFileSync(join(p, 'Makefile'), 'utf8');
    expect(makefile).toMatch(/^NAME +:= hello-world$/m);
    expect(makefile).toMatch(/-march=rv32im -mabi=ilp32/);
    expect(makefile).toMatch(/-T runtime\/zkvm\.ld/);
    expect(makefile).not.toMatch(/\{\{/);
    expect(readFileSync(join(p, 'src/main.c'), 'utf8')).toMatch(/#include "zkvm\.h"/);
    expect(r.out).toMatch(/^created hello-world\/: /);
    expect(r.out).toMatch(/\n {2}cd hello-world\n {2}make +#/);
  });

  it('refuses a directory that is not empty, and needs a directory', async () => {
    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeIn(busy, 'keep.txt', 'mine');
    const [a, b] = await Promise.all([nexus(['new', busy]), nexus(['new'])]);
    expect(a.code).toBe(EXIT.CANNOT_WRITE);
    expect(a.stderr).toMatch(/is not empty/);
    expect(readFileSync(join(busy, 'keep.txt'), 'utf8')).toBe('mine');
    expect(b.code).toBe(EXIT.USAGE);
  });

  it(toolchain === null
    ? 'the printed commands build, run, prove and verify the guest'
    : `the printed commands build, run, prove and verify the guest (SKIPPED: ${toolchain})`, {
    skip: toolchain !== null,
    timeout: 180_000,
  }, async () => {
    const r = await nexus(['new', 'square'], { cwd: dir });
    expect(r.code).toBe(0);
    // Exactly the command lines nexus printed, comments stripped, in one shell.
    const commands = r.out
      .split('\n')
      .filter((l) => /^ {2}\S/.test(l))
      .map((l) => l.replace(/#.*$/, '').trim());
    expect(commands).toEqual(['cd square', 'make', 'make run', 'make prove', 'make verify']);
    const run = spawnSync('sh', ['-c', commands.join(' && ')], {
      cwd: dir,
      // The insecure preset keeps the test fast; the Makefile adds --allow-insecure for it.
      env: { ...process.env, NEXUS_SECURITY: 'test' },
      encoding: 'utf8',
      timeout: 170_000,
    });
    const all = `${run.stdout}\n${run.stderr}`;
    expect(run.status, all).toBe(0);
    // make run: the committed text on stdout; the debug log on stderr.
    expect(run.stdout).toMatch(/^I know a square root of 1764$/m);
    expect(run.stderr).toMatch(/checked a secret against y = 1764/);
    // make prove + make verify
    expect(run.stdout).toMatch(/proved build\/square\.elf: exit code 0/);
    expect(run.stdout).toMatch(
      /INSECURE proof valid: build\/square\.elf[\s\S]*public output {2}29 bytes \(text\): "I know a square root of 1764\\n"\n {2}exit code {6}0\n/,
    );
    expect(existsSync(join(dir, 'square', 'build', 'square.proof'))).toBe(true);

    // A wrong secret: the guest says so and exits 1, and the proof records both.
    const project = join(dir, 'square');
    writeIn(project, 'build/private.bin', Uint8Array.of(43, 0, 0, 0));
    const wrong = spawnSync('sh', ['-c', 'make prove verify'], {
      cwd: project,
      env: { ...process.env, NEXUS_SECURITY: 'test' },
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(wrong.status, `${wrong.stdout}\n${wrong.stderr}`).toBe(0);
    expect(wrong.stdout).toMatch(/"I do not know a square root of 1764\\n"\n {2}exit code {6}1\n/);
  });
});
