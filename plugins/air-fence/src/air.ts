import { cpuExprs, evalCpu } from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * FENCE is a no-op on this single-hart machine, but it takes a cycle: the row takes its decoded
 * instruction from the program table (so it runs only where the program holds a FENCE; the
 * table holds 0 for FENCE's immediate, whose bits change nothing) and moves the execution state
 * from (pc, clk) to (pc + 4, clk + 1). It touches no register and no memory.
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  evalCpu(e, c, c.pc.add(4));
}
