#!/usr/bin/env node
// The `nexus` command. A committed entry point (not dist/) so the bin link exists right after
// `pnpm install`; the code itself comes from `pnpm build`.
let cli;
try {
  cli = await import('../dist/main.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  process.stderr.write(
    'nexus: the CLI is not built yet: run `pnpm build` in the repository root\n',
  );
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2), cli.nodeIo());
