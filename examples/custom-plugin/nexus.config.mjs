// A custom build: the full RV32IM preset plus a third-party plugin. Use it with
//   pnpm exec nexus prove guests/bin/fib.elf --config examples/custom-plugin/nexus.config.mjs
//   pnpm exec nexus verify guests/bin/fib.elf.proof --elf guests/bin/fib.elf \
//     --config examples/custom-plugin/nexus.config.mjs
// (or name it nexus.config.mjs in the directory you run nexus from).
import { squareTable } from './square-table.mjs';

export default {
  // '@nexus/rv32im' names the built-in preset; plugins from elsewhere are listed as objects.
  plugins: ['@nexus/rv32im', squareTable()],
};
