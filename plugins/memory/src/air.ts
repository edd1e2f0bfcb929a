import { IMAGE as IMAGE_BUS, RAM, RANGE11, RANGE16, ZERO_PAGE } from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { IMAGE, layout, tableLayout, ZERO } from './columns.js';

/**
 * The memory table: every touched word enters the RAM bus once with its initial value at
 * timestamp 0, and leaves it once with its final value and timestamp; accesses in between
 * each take one token and put one back, so per word the bus balances only if the accesses
 * form one chain from the initial to the final value.
 *
 * Soundness:
 * - Addresses strictly increase from row to row (gap = next - this - 1 is a 16-bit limb plus
 *   2^16 times a 13-bit limb, so it lies in [0, 2^29); word indices are below 2^29, so a
 *   decreasing pair would need a gap near p). The limbs are 16 and 13 bits because every
 *   range16 value is below 2^16 (the byte-pair table yields a + 256·b from boolean bits; when
 *   a 2^16-row counter served range16, a counter of 2^24 rows would have let gap_hi reach
 *   2^21 and the gap wrap around p, initialising one address twice); off < 1024 because
 *   off and 2·off are below 2^11 (range-check-11's fixed 2^11 rows). Real rows come first
 *   (sel never goes 0 -> 1), so the chain covers them all: no word is initialised twice,
 *   which would leave a token for a second, fake history.
 * - The initial value is either the program's image word (looked up in the preprocessed image
 *   table, which lists every word of a page that has file bytes or is only partly mapped), or
 *   0 in a page the preprocessed zero-page table lists (fully mapped, no file bytes). The two
 *   tables are disjoint, so a word of the image cannot be claimed zero; unmapped words have no
 *   initial token at all.
 * - The writable flag travels with the tokens; stores require it to be 1.
 */
export function evaluate(e: EvalContext): void {
  const c = layout.exprs(e);
  const next = layout.exprs(e, 1);
  const { sel, widx, page, off, isImage, writable, init, final, chain } = c;
  const nextSel = next.sel;
  const first = e.preprocessed('is_first', 1);

  e.constraint(sel.mul(sel.sub(1)), 'sel is boolean');
  e.constraint(
    e.constant(1).sub(sel).mul(nextSel).mul(e.constant(1).sub(first)),
    'real rows come first',
  );
  e.constraint(isImage.mul(isImage.sub(1)), 'is_image is boolean');
  e.constraint(widx.sub(page.mul(1024)).sub(off), 'widx = 1024·page + off');
  e.use(RANGE11, [off], sel);
  e.use(RANGE11, [off.mul(2)], sel);
  for (let k = 0; k < 4; k++) {
    e.constraint(e.constant(1).sub(isImage).mul(init[k]!), `zero-filled word: init byte ${k} is 0`);
  }
  e.use(IMAGE_BUS, [widx, ...init, writable], sel.mul(isImage));
  e.use(ZERO_PAGE, [page, writable], sel.mul(e.constant(1).sub(isImage)));

  e.yield(RAM, [widx, ...init, 0, writable], sel);
  e.use(RAM, [widx, ...final, c.finalTs, writable], sel);

  // The address chain, checked where the next row is real and not the wrap to row 0.
  e.constraint(
    chain.sub(nextSel.mul(e.constant(1).sub(first))),
    'chain = next row is real and follows',
  );
  e.constraint(
    chain.mul(next.widx.sub(widx).sub(1).sub(c.gapLo).sub(c.gapHi.mul(65536))),
    'addresses strictly increase',
  );
  e.use(RANGE16, [c.gapLo], chain);
  e.use(RANGE16, [c.gapHi.mul(8)], chain);
}

/** The image table yields every file-backed word as often as the memory table looks it up. */
export function evaluateImage(e: EvalContext): void {
  const m = tableLayout.exprs(e).multiplicity;
  e.constraint(e.constant(1).sub(e.preprocessed(IMAGE.valid)).mul(m), 'padding rows yield nothing');
  e.yield(
    IMAGE_BUS,
    [
      e.preprocessed(IMAGE.widx),
      ...IMAGE.bytes.map((b) => e.preprocessed(b)),
      e.preprocessed(IMAGE.writable),
    ],
    m,
    { table: true },
  );
}

/** The zero-page table yields every zero-filled page. */
export function evaluateZeroPages(e: EvalContext): void {
  const m = tableLayout.exprs(e).multiplicity;
  e.constraint(e.constant(1).sub(e.preprocessed(ZERO.valid)).mul(m), 'padding rows yield nothing');
  e.yield(ZERO_PAGE, [e.preprocessed(ZERO.page), e.preprocessed(ZERO.writable)], m, {
    table: true,
  });
}
