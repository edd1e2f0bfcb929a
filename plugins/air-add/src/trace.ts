import {
  globalOps,
  READS_IMM,
  READS_RS2,
  startFamilyTrace,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

const OPS = globalOps('add');

/** Rows from the add family's records; null when no ADD/ADDI ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'add', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const { result: res, carry: car } = t.cols;
  const pair = ctx.lookups.bitwise[0]!;
  for (let i = 0; i < n; i++) {
    const op = OPS[R.op[i]!]!;
    const isAdd = op === Op.ADD;
    // The program table holds 0 for the field the op does not have (rs2 of ADDI, imm of ADD).
    cpuRow(i, op, isAdd ? READS_RS2 : READS_IMM);
    access.rs1(i);
    if (isAdd) access.rs2(i);
    access.rd(i);
    const a = R.rs1Val[i]!;
    const b = isAdd ? R.rs2Val[i]! : R.imm[i]! >>> 0;
    let c = 0;
    for (let k = 0; k < 4; k++) {
      const s = ((a >>> (8 * k)) & 0xff) + ((b >>> (8 * k)) & 0xff) + c;
      c = s >>> 8;
      res[k]![i] = s & 0xff;
      car[k]![i] = c;
    }
    pair[res[0]![i]! | (res[1]![i]! << 8)]!++;
    pair[res[2]![i]! | (res[3]![i]! << 8)]!++;
  }
  return t.finish();
}
