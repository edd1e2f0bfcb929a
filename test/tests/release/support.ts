/**
 * Support for the release tests: the workspace's packages as they would be published (packed
 * with `pnpm pack`, which turns workspace: ranges into the published versions), and commands run
 * the way a user runs them, in directories outside the repository.
 */
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const examplesDir = join(root, 'examples');

export interface WorkspacePackage {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly private: boolean;
  readonly manifest: Record<string, unknown>;
}

/** The globs of pnpm-workspace.yaml's `packages:` list (the file's simple block form). */
export function workspaceGlobs(): string[] {
  const text = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs: string[] = [];
  let inPackages = false;
  for (const line of text.split('\n')) {
    if (/^packages:\s*$/.test(line)) {
      inPackages = true;
      continue;
    }
    if (inPackages) {
      const m = /^\s+-\s+['"]?([^'"#\s]+)['"]?\s*$/.exec(line);
      if (m) globs.push(m[1]!);
      else if (/^\S/.test(line)) inPackages = false;
    }
  }
  return globs;
}

/** Every package of the workspace (globs `dir/*` and plain directories; no negations used). */
export function workspacePackages(): WorkspacePackage[] {
  const dirs: string[] = [];
  for (const g of workspaceGlobs()) {
    if (g.endsWith('/*')) {
      const base = join(root, g.slice(0, -2));
      if (!existsSync(base)) continue;
      for (const d of readdirSync(base).sort()) dirs.push(join(base, d));
    } else dirs.push(join(root, g));
  }
  return dirs
    .filter((d) => existsSync(join(d, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return {
        name: manifest.name as string,
        version: manifest.version as string,
        dir,
        private: manifest.private === true,
        manifest,
      };
    });
}

/** The tarball name npm and pnpm give a package: @scope/name@1.0.0 -> scope-name-1.0.0.tgz. */
export function tarballName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/** The entry points a package's manifest names (main, bin, exports' default/types). */
export function entryPoints(p: WorkspacePackage): string[] {
  const m = p.manifest as {
    main?: string;
    bin?: string | Record<string, string>;
    exports?: Record<string, unknown>;
  };
  const out = new Set<string>();
  if (m.main) out.add(m.main);
  if (typeof m.bin === 'string') out.add(m.bin);
  else for (const b of Object.values(m.bin ?? {})) out.add(b);
  const walk = (x: unknown) => {
    if (typeof x === 'string') {
      if (x.startsWith('./') && !x.includes('*')) out.add(x);
    } else if (x && typeof x === 'object') for (const v of Object.values(x)) walk(v);
  };
  walk(m.exports);
  return [...out].filter((f) => f !== './package.json');
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command (no shell, no colours in its output) and returns its status and output. */
export function run(cmd: string, args: readonly string[], options: SpawnSyncOptions = {}): Run {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 300_000,
    ...options,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
  });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Runs a command that must succeed; throws with its output's tail otherwise. */
export function mustRun(cmd: string, args: readonly string[], options: SpawnSyncOptions = {}): Run {
  const r = run(cmd, args, options);
  if (r.status !== 0) {
    const tail = (s: string) => s.split('\n').slice(-40).join('\n');
    throw new Error(
      `${cmd} ${args.join(' ')} (in ${String(options.cwd ?? '.')}) exited ${r.status}\n--- stdout\n${tail(r.stdout)}\n--- stderr\n${tail(r.stderr)}`,
    );
  }
  return r;
}

/**
 * Why the npm registry cannot be used, or null when it answers: asked through npm itself, so
 * the user's registry, proxy and certificate settings apply as they do to `npm install`.
 */
export function registryUnreachable(): string | null {
  const r = spawnSync(
    'npm',
    ['view', 'tapable@2', 'version', '--json', '--fetch-retries=0', '--fetch-timeout=30000'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (r.error) return `npm view did not answer: ${r.error.message}`;
  if (r.status !== 0) {
    const why = String(r.stderr)
      .split('\n')
      .find((l) => /npm (error|ERR!)/.test(l));
    return `the npm registry is unreachable (${why?.trim() ?? `npm view exited ${r.status}`})`;
  }
  return null;
}
