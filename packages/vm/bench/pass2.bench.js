// Pass 2 only: generateRecords over one round of long.elf (1.66 * 10^7 instructions), this
// build against other builds of the VM in the same run, runs interleaved so that load drifts
// hit every build alike. Run from the repository root after pnpm build:
//   pnpm --filter @nexus/vm bench:pass2 [-- --vm=PATH/dist/index.js ...] [--runs=N]
// e.g. `--vm=` a build of main in a worktree (paths from where pnpm was run): before/after
// figures of one session.
//
// Each run is timed as the row times it (pass 2 alone: generateRecords), then again
// with the columns the AIR trace generators read (derived columns are computed on first read,
// derived-columns.ts), so that a column pass 2 leaves for later is still paid for in the figure
// that matters to a proof. CPU time (user + system, process.cpuUsage) is printed beside the wall
// clock: on this shared 2-core machine the wall drifts with the other jobs' load, CPU much less;
// system time is mostly first-touch page faults of the fresh records memory.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const arg = (name) =>
  process.argv.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
const runs = Number(arg('runs')[0] ?? 5);
const builds = [
  { name: 'this build', vm: await import('@nexus/vm') },
  ...(await Promise.all(
    arg('vm').map(async (p) => ({
      name: p,
      vm: await import(pathToFileURL(resolve(process.env.INIT_CWD ?? '.', p)).href),
    })),
  )),
];

const elf = readFileSync(fileURLToPath(new URL('../../../guests/bin/long.elf', import.meta.url)));
const publicInput = Uint8Array.of(1, 0, 0, 0);
const layout = builds[0].vm.deriveLayout(builds[0].vm.execute(elf, { publicInput }).stats);
// What the AIR trace generators of @nexus/air-* read from a family's records (grep R.<column>).
const AIR_COLUMNS = ['clk', 'pc', 'op', 'imm', 'rs1', 'rs2', 'rd', 'rs1Val', 'rs1Ts', 'rs2Val'];
AIR_COLUMNS.push('rs2Ts', 'rdPrev', 'rdPrevTs', 'memPrev', 'memPrevTs');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = (u) => (u.user + u.system) / 1e3;

const results = builds.map(() => ({
  wall: [],
  cpu: [],
  sys: [],
  airWall: [],
  airCpu: [],
  bytes: 0,
  cycles: 0,
}));
const loads = [];
for (let i = 0; i < runs; i++) {
  builds.forEach(({ vm }, b) => {
    globalThis.gc?.();
    loads.push(loadavg()[0]);
    const t0 = performance.now();
    const u0 = process.cpuUsage();
    const rec = vm.generateRecords(elf, layout, { publicInput });
    const u1 = process.cpuUsage(u0);
    const t1 = performance.now();
    let n = 0;
    for (const [name, fam] of Object.entries(rec.families)) {
      for (const c of name === 'branch' ? [...AIR_COLUMNS, 'nextPc'] : AIR_COLUMNS)
        n += fam.columns[c]?.length ?? 0;
    }
    const u2 = process.cpuUsage(u0);
    const t2 = performance.now();
    if (n === 0) throw new Error('no records read');
    const r = results[b];
    r.wall.push(t1 - t0);
    r.cpu.push(cpuMs(u1));
    r.sys.push(u1.system / 1e3);
    r.airWall.push(t2 - t0);
    r.airCpu.push(cpuMs(u2));
    r.bytes = rec.byteLength / rec.cycles;
    r.cycles = rec.cycles;
  });
}

const mips = (cycles, ms) => (cycles / ms / 1e3).toFixed(1);
console.log(
  `pass 2, long.elf one round, median of ${runs} interleaved runs (load ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)})`,
);
console.log(
  'build | M instr/s (wall) | CPU ms (sys) | B/cycle written | + AIR columns: M/s (wall), CPU ms',
);
builds.forEach(({ name }, b) => {
  const r = results[b];
  console.log(
    `${name} | ${mips(r.cycles, median(r.wall))} | ${median(r.cpu).toFixed(0)} (${median(r.sys).toFixed(0)}) | ${r.bytes.toFixed(1)} | ${mips(r.cycles, median(r.airWall))}, ${median(r.airCpu).toFixed(0)}`,
  );
});
