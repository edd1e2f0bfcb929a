import { formatEdit, parseEdit } from './cell-edit.js';
import type { CellEdit } from './constraint-check.js';

/** The part of the view the URL keeps, so that a link opens the same view. */
export interface UrlState {
  readonly guest?: string;
  readonly cycle?: number;
  /** Address of the memory view. */
  readonly mem?: number;
  /** Breakpoints as typed (addresses or symbols). */
  readonly breakpoints?: readonly string[];
  /** The constraint view is open. */
  readonly constraints?: boolean;
  /** Cells edited to make a broken trace (`break=add.r0@7=5`); they open the constraint view. */
  readonly breaks?: readonly CellEdit[];
  /**
   * The window of a long run whose rows `breaks` name (0-based; `window=` in the URL counts
   * from 1, as the page does), when it is not the first.
   */
  readonly breakWindow?: number;
}

/**
 * Reads `#guest=fib&cycle=1200&mem=0x0001f000&bp=main,0x10080&constraints=1&break=add.r0@7=5`;
 * ignores what it cannot read.
 */
export function parseHash(hash: string): UrlState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state: { -readonly [K in keyof UrlState]: UrlState[K] } = {};
  const guest = params.get('guest');
  if (guest !== null && guest !== '') state.guest = guest;
  const cycle = params.get('cycle');
  if (cycle !== null && /^\d+$/.test(cycle)) state.cycle = Number(cycle);
  const mem = params.get('mem');
  if (mem !== null && /^0x[0-9a-f]{1,8}$/i.test(mem)) state.mem = Number.parseInt(mem, 16);
  const bp = params.get('bp');
  if (bp !== null && bp !== '') state.breakpoints = bp.split(',').filter((b) => b !== '');
  if (params.get('constraints') === '1') state.constraints = true;
  const breaks = (params.get('break') ?? '').split(',').map(parseEdit);
  if (breaks.length > 0 && breaks.every((e) => e !== undefined)) {
    state.breaks = breaks as CellEdit[];
    const window = params.get('window');
    if (window !== null && /^[1-9]\d*$/.test(window)) state.breakWindow = Number(window) - 1;
  }
  return state;
}

/** Writes the state as a hash (without empty parts), addresses as 8-digit hex. */
export function formatHash(state: UrlState): string {
  const parts: string[] = [];
  if (state.guest !== undefined) parts.push(`guest=${encodeURIComponent(state.guest)}`);
  if (state.cycle !== undefined) parts.push(`cycle=${state.cycle}`);
  if (state.mem !== undefined) parts.push(`mem=0x${state.mem.toString(16).padStart(8, '0')}`);
  if (state.breakpoints !== undefined && state.breakpoints.length > 0)
    parts.push(`bp=${state.breakpoints.map(encodeURIComponent).join(',')}`);
  if (state.constraints === true) parts.push('constraints=1');
  if (state.breaks !== undefined && state.breaks.length > 0)
    parts.push(`break=${state.breaks.map(formatEdit).join(',')}`);
  if (state.breaks !== undefined && state.breaks.length > 0 && (state.breakWindow ?? 0) > 0)
    parts.push(`window=${state.breakWindow! + 1}`);
  return `#${parts.join('&')}`;
}
