import { describe, expect, it, vi } from 'vitest';
import {
  assembleSystem,
  type Component,
  defineRelation,
  type Expr,
  freeSize,
  KERNEL_VERSION,
  KernelError,
  proofShape,
  type Relation,
  SECURITY,
} from '../src/index.js';
import { plugin, testHashPlugin } from './fixtures.js';

/** The key every copy of the kernel marks its objects under (brand.ts). */
const MARK = Symbol.for('@nexus/kernel.copy');

/** Marks an object as another copy's, as that copy would (version undefined: no mark at all). */
function fromOtherCopy<T extends object>(obj: T, version?: string): T {
  if (version !== undefined) {
    Object.defineProperty(obj, MARK, { value: Symbol(`@nexus/kernel@${version}`) });
  }
  return Object.freeze(obj);
}

/** A relation as another copy's defineRelation makes it. */
const otherRelation = (name: string, arity: number, version?: string) =>
  fromOtherCopy({ name, arity, maxUses: null }, version) as Relation;

/** A column reference as another copy makes it: same fields, its own ids and mark. */
const otherColumn = (version?: string) =>
  fromOtherCopy(
    {
      id: 0,
      kind: 'col',
      args: [],
      a: 1,
      b: 0,
      offset: 0,
      name: '',
      degree: 1,
      isBase: true,
    },
    version,
  ) as unknown as Expr;

const component = (evaluate: Component['evaluate']): Component => ({
  name: 'foreign',
  version: '1.0.0',
  columns: ['x'],
  size: freeSize(),
  evaluate,
});

const assemble = (c: Component) => () => assembleSystem([testHashPlugin(), plugin('p', c)]);

describe('two copies of @nexus/kernel', () => {
  it("names both versions when a relation comes from another copy's defineRelation", () => {
    const rel = otherRelation('bus', 1, '9.9.9');
    const run = assemble(
      component((e) => {
        e.use(rel, [e.next()], 1);
      }),
    );
    expect(run).toThrow(KernelError);
    expect(run).toThrow(
      `component foreign: relation bus was made by another copy of @nexus/kernel (9.9.9) than the one using it (${KERNEL_VERSION}): two copies of @nexus/kernel are loaded`,
    );
    expect(run).toThrow(/peer dependency.*dedupe/);
  });

  it('rejects an expression of another copy, used directly or combined with this one', () => {
    const direct = assemble(
      component((e) => {
        e.next();
        e.constraint(otherColumn('9.9.9'), 'x = 0');
      }),
    );
    expect(direct).toThrow(
      /component foreign: the expression of constraint x = 0 was made by another copy of @nexus\/kernel \(9\.9\.9\)/,
    );
    // Combined: interning by the other copy's ids would silently build another node.
    const combined = assemble(
      component((e) => {
        e.constraint(e.next().mul(otherColumn('9.9.9')), 'x·y = 0');
      }),
    );
    expect(combined).toThrow(
      /component foreign: an expression was made by another copy of @nexus\/kernel \(9\.9\.9\)/,
    );
    const inTuple = assemble(
      component((e) => {
        e.use(defineRelation('bus', 1), [otherColumn('9.9.9')], e.next());
      }),
    );
    expect(inTuple).toThrow(/component foreign: an expression was made by another copy/);
  });

  it('says the version is unknown for an unmarked object (an older copy, or one built by hand)', () => {
    const run = assemble(
      component((e) => {
        e.use(otherRelation('bus', 1), [e.next()], 1);
      }),
    );
    expect(run).toThrow(
      /relation bus was not made by this copy of @nexus\/kernel .*two copies of @nexus\/kernel are loaded.*unknown version/,
    );
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect((error as KernelError).details).toMatchObject({
      component: 'foreign',
      kernelCopies: { this: KERNEL_VERSION, other: null },
    });
  });

  it('rejects a boundary relation of another copy', () => {
    const s = assembleSystem([
      testHashPlugin(),
      plugin(
        'p',
        component((e) => {
          const x = e.next();
          e.constraint(x.mul(x).sub(x), 'x is a bit');
        }),
      ),
      {
        name: 'b',
        version: '1',
        apply(host) {
          host.hooks.boundary.tap('b', (r) =>
            r.add(() => [
              { relation: otherRelation('out', 1, '9.9.9'), values: [1], multiplicity: 1 },
            ]),
          );
        },
      },
    ]);
    expect(() => s.boundary({ publicData: {} })).toThrow(
      /the relation of a boundary entry was made by another copy of @nexus\/kernel \(9\.9\.9\)/,
    );
  });

  it('catches a genuine second copy: a plugin built with one, assembled or proven by the other', async () => {
    // A fresh module registry loads the kernel again: its own mark, ids and interning.
    vi.resetModules();
    const second = (await import('../src/index.js')) as typeof import('../src/index.js');
    expect(second.defineRelation).not.toBe(defineRelation);
    const rel = second.defineRelation('bus', 1);
    const c = component((e) => {
      const x = e.next();
      e.constraint(x.mul(x).sub(x), 'x is a bit');
      e.use(rel, [x], second.constant(1));
    });
    expect(assemble(c)).toThrow(
      `component foreign: relation bus was made by another copy of @nexus/kernel (${KERNEL_VERSION}) than the one using it (${KERNEL_VERSION}): two copies of @nexus/kernel are loaded`,
    );
    // The other way round: a system assembled by the second copy, given to this copy's prover
    // or verifier (both derive the proof shape first).
    const system = second.assembleSystem([
      testHashPlugin(),
      plugin(
        'p',
        component((e) => {
          const x = e.next();
          e.constraint(x.mul(x).sub(x), 'x is a bit');
        }),
      ),
    ]);
    expect(() => proofShape(system, [4], SECURITY.standard)).toThrow(
      /the system was made by another copy of @nexus\/kernel/,
    );
    expect(() => second.proofShape(system, [4], second.SECURITY.standard)).not.toThrow();
  });
});
