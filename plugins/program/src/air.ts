import { PROGRAM } from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { layout, PROGRAM_FIELDS, preId, VALID } from './columns.js';

/**
 * The program table yields every decoded instruction of the ELF, as often as it ran. Its tuple
 * columns are preprocessed (the verifier builds them from the ELF), so a row can only execute
 * what the program holds at that pc. Padding rows must have multiplicity 0: their all-zero
 * tuple is not an instruction.
 */
export function evaluate(e: EvalContext): void {
  const m = layout.exprs(e).multiplicity;
  const valid = e.preprocessed(VALID);
  e.constraint(e.constant(1).sub(valid).mul(m), 'padding rows yield nothing');
  e.yield(
    PROGRAM,
    PROGRAM_FIELDS.map((f) => e.preprocessed(preId(f))),
    m,
    { table: true },
  );
}
