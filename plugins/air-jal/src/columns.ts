import { addCpuColumns, addWriteColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a JAL row. */
export const layout = new ColumnLayout();
/** JAL reads rd and the immediate (the jump offset); it has no source registers. */
export const cpu = addCpuColumns(layout, { is_jal: Op.JAL }, { rd: true, imm: true });
export const rd = addWriteColumns(layout, 'rd');
/** The bytes of the link value pc + 4 written to rd. */
export const result = layout.addMany('r', 4);
