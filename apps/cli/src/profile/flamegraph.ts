import type { GuestProfile, ProfileNode } from '@nexus/vm';
import { grouped } from '../format.js';
import type { ProfileWeight } from './stacks.js';

const WIDTH = 1200;
const ROW = 17;
const PAD = 10;
const TOP = 34;

const xmlText = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A warm colour from the name, stable from run to run (flame graphs' usual palette). */
function colour(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return `rgb(${205 + (h % 50)},${80 + ((h >>> 8) % 130)},${40 + ((h >>> 16) % 50)})`;
}

/**
 * A self-contained SVG flame graph of the call tree (root at the bottom, callees above, widths
 * proportional to cycles or cost including callees), with a tooltip per frame: it opens in any
 * browser, no tool installed.
 */
export function flameGraphSvg(profile: GuestProfile, weight: ProfileWeight, title: string): string {
  const inclusive = new Map<ProfileNode, number>();
  let depth = 0;
  const measure = (node: ProfileNode, d: number): number => {
    depth = Math.max(depth, d);
    let v = weight === 'cycles' ? node.cycles : node.cost;
    for (const c of node.children) v += measure(c, d + 1);
    inclusive.set(node, v);
    return v;
  };
  const total = measure(profile.root, 0);
  const height = TOP + (depth + 1) * ROW + PAD;
  const scale = total > 0 ? (WIDTH - 2 * PAD) / total : 0;
  const unit = weight === 'cycles' ? 'cycles' : 'cells';
  const rects: string[] = [];
  const draw = (node: ProfileNode, x: number, d: number) => {
    const v = inclusive.get(node)!;
    const w = v * scale;
    if (w < 0.3) return;
    const name = node.fn < 0 ? 'all' : profile.functions[node.fn]!.name;
    const y = height - PAD - (d + 1) * ROW;
    const pct = ((100 * v) / total).toFixed(2);
    const label = w > 40 ? xmlText(name.slice(0, Math.floor(w / 7))) : '';
    rects.push(
      `<g><title>${xmlText(name)}: ${grouped(v)} ${unit} (${pct}%)${node.fn >= 0 ? `, ${node.calls} calls` : ''}</title>` +
        `<rect x="${(PAD + x).toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${ROW - 1}" fill="${node.fn < 0 ? '#bbb' : colour(name)}" rx="2"/>` +
        (label ? `<text x="${(PAD + x + 3).toFixed(2)}" y="${y + 12}">${label}</text>` : '') +
        '</g>',
    );
    let cx = x;
    for (const c of [...node.children].sort((a, b) => inclusive.get(b)! - inclusive.get(a)!)) {
      draw(c, cx, d + 1);
      cx += inclusive.get(c)! * scale;
    }
  };
  draw(profile.root, 0, 0);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="monospace" font-size="11">`,
    `<title>Flame graph of ${xmlText(title)}: ${grouped(total)} ${unit}</title>`,
    `<rect width="100%" height="100%" fill="#fdfdf6"/>`,
    `<text x="${PAD}" y="20" font-size="14">${xmlText(title)}: ${grouped(total)} ${unit}</text>`,
    ...rects,
    '</svg>',
    '',
  ].join('\n');
}
