import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, UsageError } from '../args.js';
import { CliError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { Command } from './command.js';

const USAGE = `usage: nexus new <dir>

Creates a guest project in <dir> (a new or empty directory): src/main.c (a guest that proves
knowledge of a square root), runtime/ (a copy of the guest runtime: zkvm.h, crt0.S, zkvm.c,
the linker script), a Makefile (riscv64-unknown-elf-gcc -march=rv32im -mabi=ilp32 with
picolibc; targets run, prove, verify) and a README. Prints the commands that build, run,
prove and verify it. The project's name is the directory's name.

Exit status: 0; 2 usage; 6 <dir> exists and is not empty, or cannot be written.`;

// Where the templates and the runtime copy live, relative to this file: both src/commands and
// dist/commands are two levels below the package root.
const PACKAGE_ROOT = new URL('../../', import.meta.url);
const TEMPLATE_DIR = fileURLToPath(new URL('templates/guest/', PACKAGE_ROOT));
const RUNTIME_DIR = fileURLToPath(new URL('dist/runtime/', PACKAGE_ROOT));
const BIN = fileURLToPath(new URL('bin/nexus.js', PACKAGE_ROOT));
const RUNTIME_FILES = ['crt0.S', 'zkvm.c', 'zkvm.h', 'zkvm.ld'];

/** A file name and C-friendly project name from the directory: letters, digits, - and _. */
export function projectName(dir: string): string {
  const name = basename(resolve(dir))
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return name === '' ? 'guest' : name;
}

/** A POSIX shell word: unchanged when safe, else single-quoted. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

/** `nexus new`: scaffold a guest project. */
export const newProject: Command = {
  name: 'new',
  summary: 'create a guest project (C source, runtime, Makefile, README)',
  usage: USAGE,
  execute(argv: string[], io: CliIo): number {
    const { values, positionals } = parse(argv, {
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('missing the directory to create');
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const arg = positionals[0]!;
    const dir = isAbsolute(arg) ? arg : resolve(io.cwd(), arg);
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory())
        throw new CliError(`'${arg}' exists and is not a directory`, EXIT.CANNOT_WRITE);
      if (readdirSync(dir).length > 0)
        throw new CliError(
          `'${arg}' is not empty: nexus new creates a project in a new or empty directory`,
          EXIT.CANNOT_WRITE,
        );
    }
    for (const f of RUNTIME_FILES) {
      if (!existsSync(join(RUNTIME_DIR, f)))
        throw new Error(`the guest runtime is missing from ${RUNTIME_DIR}: rebuild the CLI`);
    }
    const name = projectName(dir);
    // The Makefile runs the CLI that made the project, by absolute path: it works wherever
    // the project is, without nexus on PATH (`make NEXUS=nexus` when it is).
    const nexus = `node ${shellWord(BIN)}`;
    const fill = (text: string) => text.replaceAll('{{name}}', name).replaceAll('{{nexus}}', nexus);
    const files: [string, string][] = [
      ['src/main.c', fill(readFileSync(join(TEMPLATE_DIR, 'main.c'), 'utf8'))],
      ['Makefile', fill(readFileSync(join(TEMPLATE_DIR, 'Makefile'), 'utf8'))],
      ['README.md', fill(readFileSync(join(TEMPLATE_DIR, 'README.md'), 'utf8'))],
      // Stored without the dot: a package's .gitignore is dropped by npm when publishing.
      ['.gitignore', readFileSync(join(TEMPLATE_DIR, 'gitignore'), 'utf8')],
      ...RUNTIME_FILES.map((f): [string, string] => [
        `runtime/${f}`,
        readFileSync(join(RUNTIME_DIR, f), 'utf8'),
      ]),
    ];
    try {
      for (const [path, text] of files) {
        const full = join(dir, path);
        mkdirSync(join(full, '..'), { recursive: true });
        writeFileSync(full, text, { flag: 'wx' });
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new CliError(
        `cannot create the project in '${arg}': ${(e as Error).message}${code === undefined ? '' : ` (${code})`}`,
        EXIT.CANNOT_WRITE,
      );
    }
    const rel = relative(io.cwd(), dir);
    const cd = rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
    io.stdout(
      `created ${cd}/: src/main.c, runtime/ (the guest runtime), Makefile, README.md\n\n` +
        'build, run, prove and verify it (needs riscv64-unknown-elf-gcc and picolibc):\n' +
        `  cd ${shellWord(cd)}\n` +
        `  make          # build build/${name}.elf\n` +
        '  make run      # run it without a proof\n' +
        `  make prove    # prove the run: build/${name}.proof\n` +
        '  make verify   # verify the proof: prints the proven output and exit code\n',
    );
    return 0;
  },
};
