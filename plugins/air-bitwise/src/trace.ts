import {
  BITWISE_AND,
  BITWISE_OR,
  BITWISE_XOR,
  globalOps,
  READS_IMM,
  READS_RS2,
  startFamilyTrace,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

const OPS = globalOps('logic');

/** The bitwise table's op of each global op id of the family (-1 elsewhere). */
const TABLE_OP = new Int8Array(Op.ILLEGAL + 1).fill(-1);
TABLE_OP[Op.AND] = TABLE_OP[Op.ANDI] = BITWISE_AND;
TABLE_OP[Op.OR] = TABLE_OP[Op.ORI] = BITWISE_OR;
TABLE_OP[Op.XOR] = TABLE_OP[Op.XORI] = BITWISE_XOR;

/** Rows from the logic family's records; null when no XOR/OR/AND (or immediate form) ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'logic', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const cols = t.cols;
  const res = cols.result;
  for (let i = 0; i < n; i++) {
    const op = OPS[R.op[i]!]!;
    const readsRs2 = op === Op.XOR || op === Op.OR || op === Op.AND;
    cpuRow(i, op, readsRs2 ? READS_RS2 : READS_IMM);
    const a = R.rs1Val[i]!;
    const b = readsRs2 ? R.rs2Val[i]! : R.imm[i]! >>> 0;
    access.rs1(i);
    if (readsRs2) access.rs2(i);
    else access.immediateAsRs2(i);
    const t = TABLE_OP[op]!;
    const v = t === BITWISE_AND ? a & b : t === BITWISE_OR ? a | b : a ^ b;
    const counts = ctx.lookups.bitwise[t]!;
    for (let k = 0; k < 4; k++) {
      const ak = (a >>> (8 * k)) & 0xff;
      const bk = (b >>> (8 * k)) & 0xff;
      res[k]![i] = (v >>> (8 * k)) & 0xff;
      counts[ak | (bk << 8)]!++;
    }
    access.rd(i);
  }
  return t.finish();
}
