import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, UsageError } from '../args.js';
import { CliError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { Command } from './command.js';

const USAGE = `usage: nexus new <dir>
       nexus new --plugin <package-name> [<dir>]

Creates a guest project in <dir> (a new or empty directory): src/main.c (a guest that proves
knowledge of a square root), runtime/ (a copy of the guest runtime: zkvm.h, crt0.S, zkvm.c,
the linker script), a Makefile (riscv64-unknown-elf-gcc -march=rv32im -mabi=ilp32 with
picolibc; targets run, prove, verify) and a README. Prints the commands that build, run,
prove and verify it. The project's name is the directory's name.

With --plugin: creates a precompile plugin package named <package-name> (an npm name such as
my-precompile or @me/my-precompile; not in the @nexus scope) in <dir> (default: the name
without its scope): a working precompile (syscall 0x1800: the sum of two words) with its VM
side, its AIR component and the soundness argument, a test that proves and verifies a guest
with it, the guest side (C header with a software fallback, a guest, its build script and
built ELF), a README and a nexus.config.mjs. Its @nexus/* dependencies are ranges on the
versions this nexus uses. Prints the next steps.

Exit status: 0; 2 usage; 6 <dir> exists and is not empty, or cannot be written.`;

// Where the templates and the runtime copy live: under the package root, the first directory
// above this file whose package.json is this package's (src/commands/new.ts, dist/commands/new.js
// and the bundle dist/nexus.js sit at different depths).
// Found on first use (only `nexus new` needs them), not when the CLI loads.
let where:
  | { root: URL; templates: string; pluginTemplates: string; runtime: string; bin: string }
  | undefined;
function paths() {
  if (where === undefined) {
    const root = packageRoot(import.meta.url);
    where = {
      root,
      templates: fileURLToPath(new URL('templates/guest/', root)),
      pluginTemplates: fileURLToPath(new URL('templates/plugin/', root)),
      runtime: fileURLToPath(new URL('dist/runtime/', root)),
      bin: fileURLToPath(new URL('bin/nexus.js', root)),
    };
  }
  return where;
}
const RUNTIME_FILES = ['crt0.S', 'zkvm.c', 'zkvm.h', 'zkvm.ld'];

/** The directory (as a file URL ending in '/') of the nearest package.json named @nexus/cli above `from`. */
function packageRoot(from: string): URL {
  for (let dir = new URL('./', from); ; dir = new URL('../', dir)) {
    const manifest = new URL('package.json', dir);
    if (existsSync(manifest)) {
      const m = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (m.name === '@nexus/cli') return dir;
    }
    if (dir.pathname === '/') throw new Error(`no @nexus/cli package.json above ${from}`);
  }
}

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
  summary: 'create a guest project, or with --plugin a precompile plugin package',
  usage: USAGE,
  execute(argv: string[], io: CliIo): number {
    const { values, positionals } = parse(argv, {
      help: { type: 'boolean', short: 'h', default: false },
      plugin: { type: 'string' },
    });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (values.plugin !== undefined) return newPlugin(values.plugin, positionals, io);
    if (positionals.length === 0) throw new UsageError('missing the directory to create');
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const arg = positionals[0]!;
    const dir = emptyTarget(arg, io);
    for (const f of RUNTIME_FILES) {
      if (!existsSync(join(paths().runtime, f)))
        throw new Error(`the guest runtime is missing from ${paths().runtime}: rebuild the CLI`);
    }
    const name = projectName(dir);
    // The Makefile runs the CLI that made the project, by absolute path: it works wherever
    // the project is, without nexus on PATH (`make NEXUS=nexus` when it is).
    const nexus = `node ${shellWord(paths().bin)}`;
    const fill = (text: string) => text.replaceAll('{{name}}', name).replaceAll('{{nexus}}', nexus);
    const files: [string, string][] = [
      ['src/main.c', fill(readFileSync(join(paths().templates, 'main.c'), 'utf8'))],
      ['Makefile', fill(readFileSync(join(paths().templates, 'Makefile'), 'utf8'))],
      ['README.md', fill(readFileSync(join(paths().templates, 'README.md'), 'utf8'))],
      // Stored without the dot: a package's .gitignore is dropped by npm when publishing.
      ['.gitignore', readFileSync(join(paths().templates, 'gitignore'), 'utf8')],
      ...RUNTIME_FILES.map((f): [string, string] => [
        `runtime/${f}`,
        readFileSync(join(paths().runtime, f), 'utf8'),
      ]),
    ];
    writeFiles(dir, arg, files);
    const cd = shownDir(dir, io);
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

/** `arg` as an absolute directory that is absent or empty (else exit 6). */
function emptyTarget(arg: string, io: CliIo): string {
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
  return dir;
}

/** A file to write: its path in the project, its contents, whether it is executable. */
type ProjectFile = [path: string, contents: string | Uint8Array, executable?: boolean];

/** Writes the files (none may exist yet); every failure is exit 6. */
function writeFiles(dir: string, arg: string, files: readonly ProjectFile[]): void {
  try {
    for (const [path, contents, executable] of files) {
      const full = join(dir, path);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, contents, { flag: 'wx' });
      if (executable) chmodSync(full, 0o755);
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CliError(
      `cannot create the project in '${arg}': ${(e as Error).message}${code === undefined ? '' : ` (${code})`}`,
      EXIT.CANNOT_WRITE,
    );
  }
}

/** The directory as the printed commands name it: relative when below the current one. */
function shownDir(dir: string, io: CliIo): string {
  const rel = relative(io.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}

/** npm's rule for package names (lower case, URL-safe, an optional scope). */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/**
 * The files of the plugin template, as [template path, project path, placeholders filled].
 * The test is stored as index-test.ts so that the CLI's own test runner does not collect it.
 */
const PLUGIN_FILES: readonly [string, string, boolean][] = [
  ['src/index.ts', 'src/index.ts', false],
  ['src/compute.ts', 'src/compute.ts', false],
  ['src/columns.ts', 'src/columns.ts', false],
  ['src/air.ts', 'src/air.ts', false],
  ['src/trace.ts', 'src/trace.ts', false],
  ['src/version.ts', 'src/version.ts', false],
  ['test/index-test.ts', 'test/index.test.ts', false],
  ['guest/precompile.h', 'guest/precompile.h', true],
  ['guest/main.c', 'guest/main.c', true],
  ['README.md', 'README.md', true],
  ['nexus.config.mjs', 'nexus.config.mjs', false],
  ['tsconfig.json', 'tsconfig.json', false],
  ['tsconfig.build.json', 'tsconfig.build.json', false],
  ['vitest.config.ts', 'vitest.config.ts', false],
  // Stored without the dot: a package's .gitignore is dropped by npm when publishing.
  ['gitignore', '.gitignore', false],
];

/** Versions of the third-party tools the plugin package builds and tests with. */
const TOOL_VERSIONS = { '@types/node': '^20.19.0', typescript: '^5.9.3', vitest: '^4.1.12' };

/** The CLI's own package.json. */
function ownManifest(): { name: string; version: string } {
  return JSON.parse(readFileSync(fileURLToPath(new URL('package.json', paths().root)), 'utf8'));
}

/**
 * The version of a @nexus package as this CLI has it installed: resolved from the CLI, or from
 * the SDK (whose dependencies are the rest), else the CLI's own version (the kernel packages
 * are versioned together).
 */
function installedVersion(name: string): string {
  const require = createRequire(import.meta.url);
  const bases = [fileURLToPath(import.meta.url)];
  try {
    bases.push(require.resolve('@nexus/sdk'));
  } catch {
    // no SDK next to this CLI: the fallback below
  }
  for (const base of bases) {
    let entry: string;
    try {
      entry = createRequire(base).resolve(name);
    } catch {
      continue;
    }
    for (let dir = dirname(entry); ; dir = dirname(dir)) {
      const manifest = join(dir, 'package.json');
      if (existsSync(manifest)) {
        const m = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
        if (m.name === name && typeof m.version === 'string') return m.version;
      }
      if (dirname(dir) === dir) break;
    }
  }
  return ownManifest().version;
}

/** `nexus new --plugin NAME [dir]`: scaffold a precompile plugin package. */
function newPlugin(name: string, positionals: readonly string[], io: CliIo): number {
  if (!PACKAGE_NAME.test(name) || name.length > 214)
    throw new UsageError(
      `'${name}' is not an npm package name (lower case letters, digits, - . _ ~; an optional @scope/)`,
    );
  if (name.startsWith('@nexus/'))
    throw new UsageError(
      `the @nexus scope is the zkVM's own: name your plugin outside it (e.g. @you/${name.slice(7)})`,
    );
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  const table = name.replace(/^@[^/]+\//, '');
  const arg = positionals[0] ?? table;
  const dir = emptyTarget(arg, io);
  for (const f of RUNTIME_FILES) {
    if (!existsSync(join(paths().runtime, f)))
      throw new Error(`the guest runtime is missing from ${paths().runtime}: rebuild the CLI`);
  }
  const range = (pkg: string) => `^${installedVersion(pkg)}`;
  const manifest = {
    name,
    version: '0.1.0',
    description: `A precompile plugin for the Nexus zkVM (syscall 0x1800)`,
    type: 'module',
    sideEffects: false,
    license: 'MIT',
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist', 'src', 'guest', 'nexus.config.mjs'],
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      typecheck: 'tsc -p tsconfig.json --noEmit',
      test: 'vitest run',
      'build:guest': 'guest/build.sh',
    },
    dependencies: {
      '@nexus/air-common': range('@nexus/air-common'),
      '@nexus/vm': range('@nexus/vm'),
    },
    peerDependencies: { '@nexus/kernel': range('@nexus/kernel') },
    devDependencies: {
      '@nexus/cli': `^${ownManifest().version}`,
      '@nexus/kernel': range('@nexus/kernel'),
      '@nexus/sdk': range('@nexus/sdk'),
      ...TOOL_VERSIONS,
    },
    engines: { node: '>=20.19' },
  };
  const fill = (text: string) => text.replaceAll('{{name}}', name).replaceAll('{{table}}', table);
  const files: ProjectFile[] = [
    ['package.json', `${JSON.stringify(manifest, null, 2)}\n`],
    ...PLUGIN_FILES.map(([from, to, filled]): ProjectFile => {
      const text = readFileSync(join(paths().pluginTemplates, from), 'utf8');
      return [to, filled ? fill(text) : text];
    }),
    ['guest/build.sh', readFileSync(join(paths().pluginTemplates, 'guest/build.sh'), 'utf8'), true],
    ['guest/bin/main.elf', readFileSync(join(paths().pluginTemplates, 'guest/bin/main.elf'))],
    // x = 0xffffff80, y = 0x12345 (u32 little-endian): a carry through every byte.
    ['guest/input.bin', new Uint8Array(Uint32Array.of(0xffffff80, 0x12345).buffer)],
    ...RUNTIME_FILES.map(
      (f): ProjectFile => [`guest/runtime/${f}`, readFileSync(join(paths().runtime, f), 'utf8')],
    ),
  ];
  writeFiles(dir, arg, files);
  const cd = shownDir(dir, io);
  io.stdout(
    `created ${cd}/: the precompile plugin ${name} (syscall 0x1800, component '${table}'): ` +
      'src/, test/, guest/ (C header, guest, built ELF), README.md, nexus.config.mjs\n\n' +
      'next steps (the README says how to make the call yours):\n' +
      `  cd ${shellWord(cd)}\n` +
      '  npm install\n' +
      '  npm test         # proves and verifies guest/bin/main.elf with the plugin\n' +
      '  npm run build    # dist/, what nexus.config.mjs and other packages import\n' +
      '  npx nexus run guest/bin/main.elf --public-input guest/input.bin --config nexus.config.mjs\n',
  );
  return 0;
}
