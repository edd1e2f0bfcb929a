import { hexBytes } from '../format.js';
import type { CycleState } from '../session.js';
import { el } from './dom.js';

/** Bytes shown per tape; the rest is counted. */
const SHOWN = 256;

function inputTape(title: string, tape: Uint8Array, position: number, id: string): HTMLElement {
  const shown = tape.subarray(0, SHOWN);
  const consumed = shown.subarray(0, Math.min(position, shown.length));
  const rest = shown.subarray(consumed.length);
  return el(
    'div',
    { class: 'tape', id },
    el('div', {}, `${title}: read ${position} of ${tape.length} bytes`),
    el(
      'div',
      { class: 'bytes' },
      el('span', { class: 'consumed', title: 'already read' }, hexBytes(consumed)),
      consumed.length > 0 && rest.length > 0 ? ' ' : '',
      hexBytes(rest),
      tape.length > SHOWN ? ` … ${tape.length - SHOWN} more` : '',
    ),
  );
}

/** The input tapes with their read positions and the output tape as written so far. */
export function renderTapes(
  container: HTMLElement,
  state: CycleState,
  publicInput: Uint8Array,
  privateInput: Uint8Array,
): void {
  const out = state.output;
  container.replaceChildren(
    inputTape('public input (fd 3)', publicInput, state.publicInput.position, 'tape-public'),
    inputTape('private input (fd 0)', privateInput, state.privateInput.position, 'tape-private'),
    el(
      'div',
      { class: 'tape', id: 'tape-output' },
      el('div', {}, `output (fd 1): ${out.length} bytes written`),
      el(
        'div',
        { class: 'bytes' },
        hexBytes(out.subarray(0, SHOWN)),
        out.length > SHOWN ? ` … ${out.length - SHOWN} more` : '',
      ),
    ),
  );
}
