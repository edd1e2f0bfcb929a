import { configBuild, type GuestFiles } from '../guest-source.js';
import { byId, el } from './dom.js';

/**
 * The header's line on the build the opened guest runs with: a config's (served by
 * `nexus debug --config`: its file, plugins and system digest, and where each part runs) or the
 * page's default build.
 */
export function renderBuildInfo(guest: GuestFiles): void {
  const box = byId('build-info');
  const build = configBuild(guest);
  if (build === undefined) {
    box.replaceChildren('default build (as nexus prove without a config)');
    box.title = '';
    return;
  }
  const plugins = build.plugins.map((p) => `${p.name} ${p.version}`).join(', ');
  box.replaceChildren(
    'build ',
    el('code', {}, build.config ?? ''),
    `: ${build.plugins.length} plugins, system digest `,
    el('code', { id: 'build-digest' }, build.digest.slice(0, 16)),
    '…',
  );
  box.title =
    `plugins: ${plugins}.\n` +
    'Stepping runs the precompiles and custom instructions with the results nexus debug computed with these plugins; ' +
    'the constraint view is built and checked by nexus debug with them. ' +
    `Proving and verifying in the page use the default build: prove with nexus prove --config ${build.config}.`;
  box.dataset.plugins = build.plugins.map((p) => p.name).join(' ');
}
