/**
 * The example precompile (examples/precompile-popcount) is written as an outside package: these
 * fast checks keep it so without installing anything. The release smoke test
 * (release.test.ts) builds, tests and uses it from packed tarballs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesDir, workspacePackages } from './support.js';

const example = join(examplesDir, 'precompile-popcount');
const manifest = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8')) as {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

/** Whether a version satisfies a caret range ^x.y.z (npm's rule, prereleases aside). */
function caret(range: string, version: string): boolean {
  const r = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  const v = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!r || !v) return false;
  const [a, b, c] = r.slice(1).map(Number) as [number, number, number];
  const [x, y, z] = v.slice(1).map(Number) as [number, number, number];
  if (a > 0) return x === a && (y > b || (y === b && z >= c));
  if (b > 0) return x === 0 && y === b && z >= c;
  return x === 0 && y === 0 && z === c;
}

/** The example's own source files (what would be published or run by its author). */
function sources(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      if (e === 'node_modules' || e === 'dist') continue;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mjs|js)$/.test(e)) out.push(p);
    }
  };
  walk(example);
  return out;
}

describe('examples/precompile-popcount is an outside package', () => {
  it('is not a workspace package (pnpm would rewrite and link it)', () => {
    const names = workspacePackages().map((p) => p.name);
    expect(names).not.toContain(manifest.name);
    expect(manifest.name.startsWith('@nexus/')).toBe(false);
  });

  it('depends on published-style ranges of @nexus packages this workspace has', () => {
    const packages = new Map(workspacePackages().map((p) => [p.name, p]));
    const all = {
      ...manifest.dependencies,
      ...manifest.peerDependencies,
      ...manifest.devDependencies,
    };
    const nexus = Object.entries(all).filter(([n]) => n.startsWith('@nexus/'));
    expect(nexus.length).toBeGreaterThan(0);
    for (const [name, range] of nexus) {
      const p = packages.get(name);
      expect(p, name).toBeDefined();
      expect(caret(range, p!.version), `${name}@${range} vs ${p!.version}`).toBe(true);
      // Everything it depends on is published (the test kit too, as a dev dependency).
      expect(p!.private, `${name} is private`).toBe(false);
    }
  });

  it('imports nothing by a path out of its own directory', () => {
    const files = sources();
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]*)['"]/g)) {
        const target = resolve(dirname(f), m[1]!);
        expect(relative(example, target).startsWith('..'), `${f}: ${m[1]}`).toBe(false);
      }
      expect(text, f).not.toMatch(/\/(packages|plugins|apps)\/[a-z0-9-]+\/(src|dist)\//);
    }
  });

  it('the guest header and the plugin claim the same syscall number', () => {
    const ts = readFileSync(join(example, 'src', 'popcount.ts'), 'utf8');
    const h = readFileSync(join(example, 'guest', 'nexus_popcount.h'), 'utf8');
    const tsNumber = /export const POPCOUNT256 = (0x[0-9a-f]+);/.exec(ts)?.[1];
    const hNumber = /#define NEXUS_SYS_POPCOUNT256 (0x[0-9a-f]+)/.exec(h)?.[1];
    expect(tsNumber).toBe('0x1800');
    expect(hNumber).toBe(tsNumber);
  });

  const gcc =
    spawnSync('riscv64-unknown-elf-gcc', ['--version'], { stdio: 'ignore' }).status === 0
      ? null
      : 'riscv64-unknown-elf-gcc not found';
  it(gcc === null
    ? 'the committed guest ELF is what guest/build.sh writes'
    : `the committed guest ELF is what guest/build.sh writes (SKIPPED: ${gcc})`, {
    skip: gcc !== null,
  }, () => {
    const out = mkdtempSync(join(tmpdir(), 'nexus-popcount-elf-'));
    try {
      const r = spawnSync(join(example, 'guest', 'build.sh'), {
        env: { ...process.env, OUT: out },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(join(out, 'popcount.elf'))).toEqual(
        readFileSync(join(example, 'guest', 'bin', 'popcount.elf')),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
