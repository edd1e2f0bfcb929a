import { defaultPlugins, type PluginInput } from '@nexus/sdk';

/**
 * The plugins the constraint view builds and checks traces with: the default build, as the
 * prover in the page and `nexus prove` without a config use. A plugin author debugging a
 * component adds it here and runs the dev server (`pnpm --filter @nexus/studio dev`): the panel
 * then lists what its rows fail, by label, at their cycles. (Proving in the page keeps the
 * default build, so its proofs verify with `nexus verify`.)
 *
 * @example
 * export const studioPlugins = (): PluginInput => [...defaultPlugins(), myPrecompile()];
 */
export const studioPlugins = (): PluginInput => defaultPlugins();
