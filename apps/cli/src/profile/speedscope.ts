import type { GuestProfile } from '@nexus/vm';
import { stackSamples } from './stacks.js';

/**
 * The profile in speedscope's file format (https://www.speedscope.app/file-format-schema.json):
 * two sampled profiles over the same frames, one weighted by cycles and one by proving cost, so
 * the viewer switches between them.
 */
export function speedscopeJson(profile: GuestProfile, name: string): string {
  const samples = stackSamples(profile);
  const sampled = (weight: 'cycles' | 'cost', total: number) => {
    const kept = samples.filter((s) => s[weight] > 0);
    return {
      type: 'sampled',
      name: `${name} (${weight === 'cycles' ? 'cycles' : 'proving cost, trace cells'})`,
      unit: 'none',
      startValue: 0,
      endValue: total,
      samples: kept.map((s) => s.stack),
      weights: kept.map((s) => s[weight]),
    };
  };
  const profiles = [sampled('cycles', profile.cycles)];
  if (profile.cost > 0) profiles.push(sampled('cost', profile.cost));
  return JSON.stringify({
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames: profile.functions.map((f) => ({ name: f.name })) },
    profiles,
    name,
    activeProfileIndex: 0,
    exporter: 'nexus profile',
  });
}
