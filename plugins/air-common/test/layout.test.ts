import {
  analyzeComponent,
  type Component,
  type EvalContext,
  type Expr,
  freeSize,
} from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type Col,
  col,
  cols,
  cpuColumns,
  cpuExprs,
  defineLayout,
  type ExprCols,
  readColumns,
  type TraceCols,
  writeColumns,
} from '../src/index.js';

/** A family-like layout: the instruction row, two register accesses, its own columns. */
const layout = defineLayout({
  cpu: cpuColumns({ is_add: Op.ADD, is_addi: Op.ADDI }, { rd: true, rs1: true, imm: true }),
  rs1: readColumns('rs1'),
  rd: writeColumns('rd'),
  result: cols('r', 4),
  carry: col('c'),
  nested: { words: [cols('w0_', 2), cols('w1_', 2)] },
});

/** A component over the layout running `body` (the kernel wants every column read: one sum). */
function component(body: (e: EvalContext) => void): Component {
  const evaluate = (e: EvalContext) => {
    body(e);
    let all: Expr = e.constant(0);
    for (const name of layout.names) all = all.add(e.col(name));
    e.constraint(all, 'every column is read');
  };
  return { name: 't', version: '0', columns: layout.names, size: freeSize(), evaluate };
}

describe('defineLayout', () => {
  it('names the columns in declaration order, depth first', () => {
    expect(layout.names).toEqual([
      'sel',
      'clk',
      'pc',
      'is_add',
      'is_addi',
      'rd',
      'rd_nz',
      'rs1',
      'imm0',
      'imm1',
      'imm2',
      'imm3',
      'imm_f',
      'rs1_v0',
      'rs1_v1',
      'rs1_v2',
      'rs1_v3',
      'rs1_prev_ts',
      'rs1_lo',
      'rs1_hi',
      'rd_prev0',
      'rd_prev1',
      'rd_prev2',
      'rd_prev3',
      'rd_prev_ts',
      'rd_lo',
      'rd_hi',
      'r0',
      'r1',
      'r2',
      'r3',
      'c',
      'w0_0',
      'w0_1',
      'w1_0',
      'w1_1',
    ]);
  });

  it('binds the same shape to the columns of a trace, in layout order', () => {
    const t = layout.trace(2);
    expect(t.columns).toHaveLength(layout.names.length);
    expect(t.columns.every((c) => c.length === 4)).toBe(true);
    t.cols.result[2][3] = 7;
    t.cols.nested.words[1][0][1] = 9;
    t.cols.cpu.flag.is_addi[0] = 1;
    expect(t.columns[layout.names.indexOf('r2')]![3]).toBe(7);
    expect(t.columns[layout.names.indexOf('w1_0')]![1]).toBe(9);
    expect(t.columns[layout.names.indexOf('is_addi')]![0]).toBe(1);
    // Constants in the shape (the op ids) stay constants.
    expect(t.cols.cpu.op).toEqual({ is_add: Op.ADD, is_addi: Op.ADDI });
    expect(t.finish()).toEqual({ logSize: 2, columns: t.columns });
    // bind reads an existing trace through the shape.
    expect(layout.bind(t.columns).result[2][3]).toBe(7);
  });

  it('binds the shape to expressions of the right columns and offsets in evaluate', () => {
    const air = analyzeComponent(
      component((e) => {
        const c = layout.exprs(e);
        const at = layout.exprsAt(e);
        e.constraint(c.result[3].sub(c.nested.words[0][1]), 'r3 = w0_1');
        e.constraint(c.cpu.flag.is_addi.sub(at(1).carry), 'is_addi = next c');
        expect(at(1)).toBe(at(1)); // bound once per offset
      }),
    );
    const reads = (label: string) => {
      const out: string[] = [];
      const walk = (x: Expr) => {
        if (x.kind === 'col') out.push(`${layout.names[x.b]}@${x.offset}`);
        for (const a of x.args) walk(a);
      };
      walk(air.constraints.find((c) => c.label === label)!.expr);
      return out.sort();
    };
    expect(reads('r3 = w0_1')).toEqual(['r3@0', 'w0_1@0']);
    expect(reads('is_addi = next c')).toEqual(['c@1', 'is_addi@0']);
  });

  it('cpuExprs keys the flags by op id and fills the fields the family has no column for', () => {
    analyzeComponent(
      component((e) => {
        const c = cpuExprs(e, layout.exprs(e).cpu);
        expect(c.flags.get(Op.ADDI)).toBe(c.flag.is_addi);
        expect([...c.flags.keys()]).toEqual([Op.ADD, Op.ADDI]);
        expect(c.rs2).toBe(e.constant(0)); // no rs2 column: the program tuple's 0
      }),
    );
  });

  it('freezes the shape, whose names it has read', () => {
    expect(Object.isFrozen(layout.shape.nested.words[1])).toBe(true);
    expect(() => {
      (layout.shape.cpu as { sel: Col }).sel = col('other');
    }).toThrow(TypeError);
  });

  it('refuses a column declared twice', () => {
    expect(() => defineLayout({ a: col('x'), b: { c: col('x') } })).toThrow(
      'column x is declared twice',
    );
  });

  it('refuses integer keys, which JavaScript would enumerate out of declaration order', () => {
    expect(() => defineLayout({ b: col('b'), 0: col('a') })).toThrow(/the key 0 is an integer/);
  });

  it('refuses containers that are not plain objects or arrays', () => {
    expect(() => defineLayout({ m: new Map([[1, col('a')]]) })).toThrow(/only column handles/);
    expect(() => defineLayout({ f: () => col('a') })).toThrow(/a function is not a column/);
  });

  it('refuses bad names, counts, log sizes and traces of another layout', () => {
    expect(() => col('')).toThrow(/non-empty string/);
    expect(() => cols('r', -1)).toThrow(/non-negative integer/);
    expect(() => cols('r', 1.5)).toThrow(/non-negative integer/);
    expect(() => layout.trace(-1)).toThrow(/integer in \[0, 30\]/);
    expect(() => layout.bind([new Uint32Array(4)])).toThrow(/not a trace of this layout/);
  });
});

// The compile-time guarantee. `pnpm typecheck` (part of `pnpm test`) compiles this file: each
// `@ts-expect-error` below must meet an error, so a layout that stopped catching a misspelt or
// missing column would fail the typecheck ("unused @ts-expect-error directive").
describe('the layout types', () => {
  it('gives handles literal and template-literal names', () => {
    expectTypeOf(layout.shape.carry).toEqualTypeOf<Col<'c'>>();
    expectTypeOf(layout.shape.result[3]).toEqualTypeOf<Col<'r3'>>();
    expectTypeOf(layout.shape.rs1.prevTs).toEqualTypeOf<Col<'rs1_prev_ts'>>();
    expectTypeOf(layout.shape.rd.prev[0]).toEqualTypeOf<Col<'rd_prev0'>>();
    expectTypeOf(layout.shape.cpu.flag.is_addi).toEqualTypeOf<Col<'is_addi'>>();
    expectTypeOf(layout.shape.cpu.immField).toEqualTypeOf<Col<'imm_f'>>();
    expectTypeOf(cols('bit', 100)[99]!).toEqualTypeOf<Col<`bit${number}`>>();
  });

  it('binds to Expr in evaluate and Uint32Array in trace generation, shape for shape', () => {
    expectTypeOf<ExprCols<typeof layout>['result']>().toEqualTypeOf<
      readonly [Expr, Expr, Expr, Expr]
    >();
    expectTypeOf<TraceCols<typeof layout>['rs1']['lo']>().toEqualTypeOf<Uint32Array>();
    expectTypeOf<TraceCols<typeof layout>['cpu']['op']['is_add']>().toEqualTypeOf<typeof Op.ADD>();
  });

  it('makes a misspelt or missing column a compile error', () => {
    // Never called: only compiled.
    const inEvaluate = (e: EvalContext) => {
      const c = layout.exprs(e);
      // @ts-expect-error misspelt column group
      c.reslt;
      // @ts-expect-error a fifth byte the layout does not have
      c.result[4];
      // @ts-expect-error no flag is_sub in this family
      c.cpu.flag.is_sub;
      // @ts-expect-error the family declared no rs2 field
      c.cpu.rs2;
      // @ts-expect-error a read access has no `prev`
      c.rs1.prev;
      // @ts-expect-error misspelt field of an access
      c.rd.prevTS;
      // @ts-expect-error an Expr is not a trace column
      const column: Uint32Array = c.carry;
      return column;
    };
    const inTrace = () => {
      const t = layout.trace(4).cols;
      // @ts-expect-error misspelt column
      t.cary[0] = 1;
      // @ts-expect-error misspelt nested column group
      t.nested.word[0];
      // @ts-expect-error a trace column is not an Expr
      const expr: Expr = t.carry;
      return expr;
    };
    expect([typeof inEvaluate, typeof inTrace]).toEqual(['function', 'function']);
  });
});
