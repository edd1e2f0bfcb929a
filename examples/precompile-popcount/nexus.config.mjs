// The zkVM build that proves guests calling popcount256: the stock plugins (RV32IM and the
// bundled precompiles, `defaultPlugins()` of @nexus/sdk) plus this package's plugin. After
// `npm run build`:
//   npx nexus prove guest/bin/popcount.elf --config nexus.config.mjs
//   npx nexus verify guest/bin/popcount.elf.proof --elf guest/bin/popcount.elf --config nexus.config.mjs
// In an application that installed the package, import it by name instead:
//   import { popcount } from '@acme/precompile-popcount';
import { defaultPlugins } from '@nexus/sdk';
import { popcount } from './dist/index.js';

export default { plugins: [...defaultPlugins(), popcount()] };
