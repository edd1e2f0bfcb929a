// The zkVM build that proves guests making this plugin's call: the stock plugins (RV32IM and the
// bundled precompiles) plus this one. After `npm run build`:
//   npx nexus prove guest/bin/main.elf --public-input guest/input.bin --config nexus.config.mjs
// In an application that installed the package, import the plugin by its package name instead.
import { defaultPlugins } from '@nexus/sdk';
import { plugin } from './dist/index.js';

export default { plugins: [...defaultPlugins(), plugin()] };
