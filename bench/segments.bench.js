// Segmented proving with local worker threads (issue 13): wall time, cycles/s, peak RSS, proof
// size and verify time of `nexus prove` for several (workers, segment size) pairs, each in its
// own process under /usr/bin/time -v (the peak RSS of a process includes its worker threads).
//
// Usage (after `pnpm build`, from the repository root or bench/):
//   node bench/segments.bench.js [--elf guests/bin/long.elf] [--public-input FILE | --sort N]
//                                [--runs 1x19,2x19,2x18,2x20] [--security standard]
// A run "WxL" proves with --workers W and --segment-cycles 2^L. Prints a Markdown table.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const nexus = join(root, 'apps/cli/bin/nexus.js');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

if (!existsSync('/usr/bin/time')) {
  console.error(
    'segments.bench: needs /usr/bin/time (GNU time, Debian package "time") for peak RSS',
  );
  process.exit(2);
}
const elf = resolve(root, arg('elf', 'guests/bin/long.elf'));
const security = arg('security', 'standard');
const runs = arg('runs', '1x19,2x19,2x18,2x20')
  .split(',')
  .map((r) => {
    const [w, l] = r.split('x').map(Number);
    if (!Number.isInteger(w) || !Number.isInteger(l)) throw new Error(`bad run '${r}' (want WxL)`);
    return { workers: w, log: l };
  });
const dir = mkdtempSync(join(tmpdir(), 'nexus-segments-bench-'));
let input = arg('public-input');
const sortN = arg('sort');
if (sortN !== undefined) {
  input = join(dir, 'sort.bin');
  writeFileSync(input, new Uint8Array(Uint32Array.of(Number(sortN), 1).buffer));
}

/** Runs a command under GNU time; returns stdout and the peak RSS in bytes. */
function timed(args) {
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, nexus, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`nexus ${args.join(' ')} failed:\n${r.stderr}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  return { stdout: r.stdout, rss: rss ? Number(rss[1]) * 1024 : Number.NaN };
}

const gib = (b) => `${(b / 2 ** 30).toFixed(2)} GiB`;
const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const load = () => execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ')[0];

console.log(
  `# ${elf.replace(root, '')} ${input ? `(public input ${arg('public-input') ?? `sort n = ${sortN}`})` : ''}, security ${security}, Node ${process.versions.node}`,
);
console.log(
  '| workers | segment cycles | cycles | segments | prove (wall) | cycles/s | peak RSS (prove process) | proof file | verify | load avg |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
try {
  for (const { workers, log } of runs) {
    const proof = join(dir, `w${workers}-l${log}.proof`);
    const before = load();
    const start = performance.now();
    const proved = timed([
      'prove',
      elf,
      ...(input ? ['--public-input', input] : []),
      '--segment-cycles',
      String(2 ** log),
      '--workers',
      String(workers),
      '--security',
      security,
      '-o',
      proof,
      '--json',
    ]);
    const wall = performance.now() - start;
    const p = JSON.parse(proved.stdout);
    const vStart = performance.now();
    const verified = timed([
      'verify',
      proof,
      '--elf',
      elf,
      ...(input ? ['--public-input', input] : []),
      ...(security === 'test' ? ['--allow-insecure'] : []),
      '--json',
    ]);
    const verifyWall = performance.now() - vStart;
    const v = JSON.parse(verified.stdout);
    console.log(
      `| ${workers} | 2^${log} | ${p.cycles.toLocaleString('en')} | ${p.segments} | ${(wall / 1000).toFixed(1)} s | ${Math.round(p.cycles / (wall / 1000)).toLocaleString('en')} | ${gib(proved.rss)} | ${mib(p.bytes)} | ${(v.timeMs / 1000).toFixed(2)} s (process ${(verifyWall / 1000).toFixed(1)} s, ${gib(verified.rss)}) | ${before} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
