#!/usr/bin/env node
// The `nexus` command. A committed entry point (not dist/) so the bin link exists right after
// `pnpm install`; the code itself comes from `pnpm build`: dist/nexus.cjs, every package in one
// file with its code cache (src/bundle-loader.ts: it loads in a fraction of the time of the
// 285 modules), for verify, inspect, run, trace and prove without a config file (nor prove
// --queue), else dist/main.js on the packages' own modules (src/entry-choice.ts says why).
const argv = process.argv.slice(2);
let cli;
try {
  const { usesBundle } = await import('../dist/entry-choice.js');
  if (usesBundle(argv, process.cwd()))
    cli = (await import('../dist/bundle-loader.js')).loadBundle().cli;
  else cli = await import('../dist/main.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' && e?.code !== 'ENOENT') throw e;
  process.stderr.write(
    'nexus: the CLI is not built yet: run `pnpm build` in the repository root\n',
  );
  process.exit(2);
}
process.exitCode = await cli.main(argv, cli.nodeIo());
