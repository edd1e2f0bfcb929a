#!/usr/bin/env node
// The `nexus` command. A committed entry point (not dist/) so the bin link exists right after
// `pnpm install`; the code itself comes from `pnpm build`: dist/nexus.js, every package in one
// file (loads in a fraction of the time of the ~300 modules), or dist/main.js on the packages'
// own modules when a config file brings plugins that import @nexus/kernel (config-names.ts).
const argv = process.argv.slice(2);
let cli;
try {
  const { usesConfigFile } = await import('../dist/config-names.js');
  cli = await import(usesConfigFile(argv, process.cwd()) ? '../dist/main.js' : '../dist/nexus.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  process.stderr.write(
    'nexus: the CLI is not built yet: run `pnpm build` in the repository root\n',
  );
  process.exit(2);
}
process.exitCode = await cli.main(argv, cli.nodeIo());
