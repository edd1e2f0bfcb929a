import { P } from '@nexus/field';
import { describe, expect, it } from 'vitest';
import {
  columnRef,
  constant,
  type Expr,
  ext,
  INTERACTION_TREE,
  KernelError,
  MAIN_TREE,
  param,
  preprocessedRef,
  serializeExprs,
  sum,
  topoOrder,
} from '../src/index.js';

describe('expressions', () => {
  const a = columnRef(MAIN_TREE, 0, 0);
  const b = columnRef(MAIN_TREE, 1, 0);

  it('are hash-consed: the same node is the same object', () => {
    expect(a.mul(b).add(1)).toBe(a.mul(b).add(1));
    expect(columnRef(MAIN_TREE, 0, 1)).not.toBe(a);
  });

  it('fold constants and identities', () => {
    expect(constant(3).mul(constant(5))).toBe(constant(15));
    expect(constant(-1).a).toBe(P - 1);
    expect(constant(2).sub(constant(5))).toBe(constant(P - 3));
    expect(a.mul(1)).toBe(a);
    expect(a.add(0)).toBe(a);
    expect(a.mul(0)).toBe(constant(0));
    expect(() => constant(1.5)).toThrow(KernelError);
  });

  it('track degree and field', () => {
    expect(a.mul(b).mul(a).degree).toBe(3);
    expect(a.add(b).degree).toBe(1);
    expect(constant(7).degree).toBe(0);
    expect(a.isBase).toBe(true);
    expect(param('z').mul(a).isBase).toBe(false);
    const i = columnRef(INTERACTION_TREE, 0, -1);
    expect(ext(i, i, i, i).isBase).toBe(false);
    expect(preprocessedRef('t', 1).degree).toBe(1);
  });

  it('order topologically and serialise independently of construction history', () => {
    const e = sum([a.mul(a), b.mul(b), 5]);
    const order = topoOrder([e]);
    const pos = new Map(order.map((x, i) => [x.id, i]));
    for (const x of order)
      for (const arg of x.args) expect(pos.get(arg.id)!).toBeLessThan(pos.get(x.id)!);
    expect(serializeExprs([e])).toBe(serializeExprs([sum([a.mul(a), b.mul(b), 5])]));
    expect(serializeExprs([e])).not.toBe(serializeExprs([sum([a.mul(a), b.mul(b), 6])]));
    expect(e.toString()).toContain('m0');
  });

  it('serialise the same structure identically whatever order its nodes were built in', () => {
    // Columns no other test touches, so this test decides which node is built first: before the
    // fix the digest's serialization ordered nodes by id, i.e. by construction order.
    const [x, y] = [1000, 1001].map((c) => columnRef(MAIN_TREE, c, 0)) as [Expr, Expr];
    const first = serializeExprs([y.mul(x).add(x)]);
    const [u, v] = [1003, 1002].map((c) => columnRef(MAIN_TREE, c, 0)) as [Expr, Expr];
    expect(u.id).toBeLessThan(v.id); // built in the other order
    const second = serializeExprs([u.mul(v).add(v)]);
    expect(second).toBe(first.replaceAll(';1000;', ';1002;').replaceAll(';1001;', ';1003;'));
    // Shared subexpressions stay shared, and a changed structure still changes the text.
    expect(first).toBe('col(;1;1001;0;) col(;1;1000;0;) mul(0,1;0;0;0;) add(2,1;0;0;0;) => 3');
    expect(serializeExprs([y.mul(x).add(y)])).not.toBe(first);
  });
});
