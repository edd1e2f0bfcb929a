/**
 * The release smoke test: the zkVM as a user outside this repository gets it.
 *
 * 1. Every public package is packed with `pnpm pack` (workspace: ranges become the published
 *    versions), the test kit @nexus/air-testing included (the example's own tests import it).
 * 2. The example precompile (examples/precompile-popcount, an outside package depending on
 *    `^0.1.0` ranges) is copied out of the repository as its author has it, installed with every
 *    @nexus/* name mapped to its tarball (dependencies and npm `overrides`, so nothing @nexus
 *    comes from the registry; vitest, typescript, tapable, @noble/hashes do), built,
 *    type-checked, tested (its tests prove, verify and reject forgeries), and packed with `npm
 *    pack`.
 * 3. A fresh application in the temporary directory installs the @nexus tarballs and the
 *    example's, then: a custom zkVM (`createZkvm({ plugins: [...defaultPlugins(), popcount()] })`)
 *    proves and verifies the example's guest at the standard config; the stock build
 *    (`createZkvm()`) refuses that proof (system digests differ) and cannot even run the guest
 *    (its precompile call faults, naming the syscall); the installed `nexus` verifies the proof
 *    with `--config` and refuses it without; `nexus new --plugin` scaffolds a plugin package.
 *
 * Needs the npm registry (third-party dependencies: vitest, typescript and @types/node for the
 * example and the scaffolded package, tapable and @noble/hashes for the zkVM); without it every
 * test is skipped, saying why. About a minute on a 2-core machine with npm's cache warm (more
 * when it first downloads those), three nested test runs that prove included. It is in the
 * default suite so that CI (`pnpm test`) runs it. NEXUS_KEEP_RELEASE_DIR=1 keeps the temporary
 * directory.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  entryPoints,
  examplesDir,
  mustRun,
  type Run,
  registryUnreachable,
  root,
  run,
  tarballName,
  type WorkspacePackage,
  workspacePackages,
} from './support.js';

const EXAMPLE = 'precompile-popcount';
const EXAMPLE_NAME = '@acme/precompile-popcount';

const offline = registryUnreachable();
if (offline !== null) {
  console.warn(`release smoke test SKIPPED: ${offline}`);
}
const title = (t: string) => (offline === null ? t : `${t} (SKIPPED: ${offline})`);

const work = mkdtempSync(join(tmpdir(), 'nexus-release-'));
const tarballs = join(work, 'tarballs');
const exampleDir = join(work, EXAMPLE);
const app = join(work, 'app');
/** Tarball path by package name: the public @nexus packages (the test kit too), the example. */
const packed = new Map<string, string>();
let published: WorkspacePackage[] = [];
/** `npm test` in the example project, kept for its test. */
let exampleTests: Run;

afterAll(() => {
  if (process.env.NEXUS_KEEP_RELEASE_DIR) console.warn(`release test files kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
});

const file = (p: string) => `file:${p}`;
const npm = (args: string[], cwd: string, timeout = 300_000) =>
  mustRun('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, timeout });

/** Every @nexus name mapped to its tarball: as `overrides`, so transitive deps take them too. */
function nexusOverrides(): Record<string, string> {
  const o: Record<string, string> = {};
  for (const [name, path] of packed) if (name.startsWith('@nexus/')) o[name] = file(path);
  return o;
}

/** Every @nexus/* of a package-lock.json came from a tarball of ours, not the registry. */
function expectNothingNexusFromRegistry(dir: string): void {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { resolved?: string; link?: boolean }>;
  };
  const nexus = Object.entries(lock.packages).filter(([k]) => /node_modules\/@nexus\//.test(k));
  expect(nexus.length).toBeGreaterThan(0);
  for (const [k, v] of nexus) expect(v.resolved ?? '', k).toMatch(/^file:/);
}

/**
 * `npm install` in a package directory with every @nexus name it depends on mapped to our
 * tarball (its other dependencies come from the registry). Returns its original package.json.
 */
function installFromTarballs(dir: string): string {
  const manifestPath = join(dir, 'package.json');
  const manifest = readFileSync(manifestPath, 'utf8');
  const pkg = JSON.parse(manifest) as Record<string, Record<string, string>>;
  const overrides = nexusOverrides();
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    for (const name of Object.keys(pkg[field] ?? {})) {
      // npm takes an override of a direct dependency only with the very same spec.
      if (overrides[name] !== undefined) pkg[field]![name] = overrides[name]!;
    }
  }
  pkg.overrides = overrides;
  writeFileSync(manifestPath, `${JSON.stringify(pkg, null, 2)}\n`);
  npm(['install'], dir);
  expectNothingNexusFromRegistry(dir);
  return manifest;
}

beforeAll(() => {
  if (offline !== null) return;
  const all = workspacePackages();
  published = all.filter((p) => !p.private);
  if (!published.some((p) => p.name === '@nexus/air-testing'))
    throw new Error('the test kit @nexus/air-testing is not a published package of the workspace');

  // Packing takes dist/ as it is. The test's turbo task builds the e2e package's
  // dependencies first; build any packed package whose entry points are still missing (the CLI
  // is not one of those dependencies).
  const missing = published.filter((p) => entryPoints(p).some((f) => !existsSync(join(p.dir, f))));
  if (missing.length > 0) {
    mustRun(
      'pnpm',
      ['exec', 'turbo', 'run', 'build', ...missing.map((p) => `--filter=${p.name}`)],
      { cwd: root, timeout: 600_000 },
    );
  }

  // 1. pnpm pack, all at once.
  const toPack = published;
  mustRun(
    'pnpm',
    ['-r', ...toPack.flatMap((p) => ['--filter', p.name]), 'pack', '--pack-destination', tarballs],
    { cwd: root },
  );
  for (const p of toPack) {
    const t = join(tarballs, tarballName(p.name, p.version));
    if (!existsSync(t)) throw new Error(`pnpm pack wrote no ${t}`);
    packed.set(p.name, t);
  }

  // 2. The example, copied out as its author has it (no node_modules, no build output).
  const source = join(examplesDir, EXAMPLE);
  cpSync(source, exampleDir, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist)([/\\]|$)/.test(src.slice(source.length)),
  });
  const manifest = installFromTarballs(exampleDir);
  npm(['run', 'build'], exampleDir);
  npm(['run', 'typecheck'], exampleDir);
  exampleTests = run('npm', ['test'], { cwd: exampleDir, timeout: 600_000 });
  // Packed with the manifest its author publishes (the ^0.1.0 ranges), not the test's rewrite.
  writeFileSync(join(exampleDir, 'package.json'), manifest);
  npm(['pack', '--pack-destination', tarballs], exampleDir);
  packed.set(EXAMPLE_NAME, join(tarballs, tarballName(EXAMPLE_NAME, JSON.parse(manifest).version)));

  // 3. The application: the public packages and the example, nothing else of ours.
  const deps: Record<string, string> = { [EXAMPLE_NAME]: file(packed.get(EXAMPLE_NAME)!) };
  for (const p of published) deps[p.name] = file(packed.get(p.name)!);
  const publicOverrides = Object.fromEntries(published.map((p) => [p.name, deps[p.name]!]));
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'zkvm-app', private: true, type: 'module', dependencies: deps, overrides: publicOverrides }, null, 2)}\n`,
  );
  npm(['install'], app);
  expectNothingNexusFromRegistry(app);
}, 900_000);

/** The application's script: the SDK with and without the example plugin. */
const APP_SCRIPT = `
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { popcount } from '${EXAMPLE_NAME}';
import { createZkvm, defaultPlugins } from '@nexus/sdk';

// The guest ships in the package (guest/bin/popcount.elf).
const pkgDir = dirname(createRequire(import.meta.url).resolve('${EXAMPLE_NAME}/package.json'));
const elfPath = join(pkgDir, 'guest', 'bin', 'popcount.elf');
const elf = readFileSync(elfPath);
const publicInput = Uint8Array.of(0x2c, 0x01, 0, 0); // n = 300
writeFileSync('n.bin', publicInput);

const custom = createZkvm({ plugins: [...defaultPlugins(), popcount()] });
const proved = custom.prove(elf, { publicInput });
const file = custom.proofFile(proved);
writeFileSync('popcount.proof', file);
const claim = custom.verifyFile(file, elf, { publicInput });

const stock = createZkvm();
const failure = (f) => {
  try {
    f();
    return null;
  } catch (e) {
    return { name: e.constructor.name, message: e.message, reason: e.details?.reason ?? e.reason ?? null };
  }
};
console.log(JSON.stringify({
  elf: elfPath,
  components: proved.components,
  output: Buffer.from(claim.publicOutput).toString('hex'),
  exitCode: claim.exitCode,
  digestsDiffer: Buffer.compare(Buffer.from(custom.system.digest), Buffer.from(stock.system.digest)) !== 0,
  stockVerify: failure(() => stock.verifyFile(file, elf, { publicInput })),
  stockRun: failure(() => stock.run(elf, { publicInput })),
}));
`;

/** The application's nexus.config.mjs: the stock plugins and the example's. */
const APP_CONFIG = `import { popcount } from '${EXAMPLE_NAME}';
import { defaultPlugins } from '@nexus/sdk';

export default { plugins: [...defaultPlugins(), popcount()] };
`;

describe('release: the packed packages, outside the repository', () => {
  it(title(
    'the example precompile builds, type-checks and passes its own tests from the tarballs',
  ), {
    skip: offline !== null,
  }, () => {
    expect(exampleTests.status, `${exampleTests.stdout}\n${exampleTests.stderr}`).toBe(0);
    expect(exampleTests.stdout).toMatch(/Tests\s+\S*\s*\d+ passed/);
    expect(exampleTests.stdout).not.toMatch(/failed/);
    expect(existsSync(join(exampleDir, 'dist', 'index.js'))).toBe(true);
  });

  it(title(
    'the packed example holds its build, its guest (sources, header, ELF) and the ^0.1.0 ranges',
  ), {
    skip: offline !== null,
  }, () => {
    const installed = join(app, 'node_modules', EXAMPLE_NAME);
    for (const f of [
      'dist/index.js',
      'dist/index.d.ts',
      'guest/nexus_popcount.h',
      'guest/popcount.c',
      'guest/bin/popcount.elf',
      'README.md',
    ]) {
      expect(existsSync(join(installed, f)), f).toBe(true);
    }
    expect(existsSync(join(installed, 'test'))).toBe(false);
    const m = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    for (const v of Object.values({ ...m.dependencies, ...m.peerDependencies }) as string[])
      expect(v).toMatch(/^\^\d+\.\d+\.\d+$/);
  });

  it(title(
    'a custom build proves and verifies the guest; the stock build refuses the proof and cannot run the guest',
  ), {
    skip: offline !== null,
    timeout: 300_000,
  }, () => {
    writeFileSync(join(app, 'prove.mjs'), APP_SCRIPT);
    const r = mustRun('node', ['prove.mjs'], { cwd: app });
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.components.popcount256).toBe(4);
    expect(out.output).toBe('3e000000'); // 62 primes below 300
    expect(out.exitCode).toBe(0);
    expect(out.digestsDiffer).toBe(true);
    expect(out.stockVerify).toMatchObject({ name: 'ZkvmError' });
    expect(out.stockVerify.message).toMatch(/different plugin set \(system digests differ\)/);
    // The guest's .nexus.requires record names the package the stock build lacks.
    expect(out.stockRun.message).toMatch(
      /unknown syscall a7=6144 \(0x1800\): it is the precompile of @acme\/precompile-popcount/,
    );
  });

  it(title('the installed nexus verifies the proof with --config and refuses it without'), {
    skip: offline !== null,
    timeout: 300_000,
  }, () => {
    writeFileSync(join(app, 'nexus.config.mjs'), APP_CONFIG);
    const nexus = join(app, 'node_modules', '.bin', 'nexus');
    const elf = join(app, 'node_modules', EXAMPLE_NAME, 'guest', 'bin', 'popcount.elf');
    const verify = ['verify', 'popcount.proof', '--elf', elf, '--public-input', 'n.bin'];
    const ok = run(nexus, [...verify, '--config', 'nexus.config.mjs'], { cwd: app });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^proof valid: /);
    expect(ok.stdout).toMatch(/public output +4 bytes \(hex\): 3e000000/);

    // Without the config (from a directory without nexus.config.mjs): the stock build.
    const stock = run(
      nexus,
      verify.map((a) => (a.endsWith('.bin') || a.endsWith('.proof') ? join(app, a) : a)),
      {
        cwd: work,
      },
    );
    expect(stock.status).toBe(1);
    expect(stock.stderr).toMatch(/check 'system'/);

    // The stock build's VM faults on the call (exit 128 + 31, bad syscall), naming it; the
    // config's VM runs it.
    const bad = run(nexus, ['run', elf, '--public-input', join(app, 'n.bin')], { cwd: work });
    expect(bad.status).toBe(159);
    expect(bad.stderr).toMatch(/unknown syscall a7=6144 \(0x1800\)/);
    const good = run(nexus, ['run', elf, '--public-input', 'n.bin', '--json'], { cwd: app });
    expect(good.status, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout).output).toBe('3e000000');
    const inspect = run(nexus, ['inspect', 'popcount.proof'], { cwd: app });
    expect(inspect.status, inspect.stderr).toBe(0);
    expect(inspect.stdout).toMatch(/\n {2}popcount256 +2\^4 = 16\n/);
  });

  it(title(
    'the installed nexus scaffolds a precompile plugin package that installs, tests and builds',
  ), {
    skip: offline !== null,
    timeout: 600_000,
  }, () => {
    const nexus = join(app, 'node_modules', '.bin', 'nexus');
    const r = run(nexus, ['new', '--plugin', 'my-precompile', 'my-precompile'], { cwd: work });
    expect(r.status, r.stderr).toBe(0);
    const dir = join(work, 'my-precompile');
    for (const f of [
      'package.json',
      'README.md',
      'nexus.config.mjs',
      'src/index.ts',
      'test/index.test.ts',
    ])
      expect(existsSync(join(dir, f)), f).toBe(true);
    const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    // The @nexus ranges are those of the CLI that wrote it, as installed.
    const sdk = JSON.parse(
      readFileSync(join(app, 'node_modules', '@nexus', 'sdk', 'package.json'), 'utf8'),
    );
    expect(m.devDependencies['@nexus/sdk']).toBe(`^${sdk.version}`);

    // It installs (its @nexus ranges met by the tarballs), type-checks, passes its tests
    // (which prove and verify its guest) and builds.
    installFromTarballs(dir);
    npm(['run', 'typecheck'], dir);
    const t = run('npm', ['test'], { cwd: dir, timeout: 600_000 });
    expect(t.status, `${t.stdout}\n${t.stderr}`).toBe(0);
    expect(t.stdout).toMatch(/Tests\s+\d+ passed/);
    npm(['run', 'build'], dir);
    expect(existsSync(join(dir, 'dist', 'index.js'))).toBe(true);
  });
});
