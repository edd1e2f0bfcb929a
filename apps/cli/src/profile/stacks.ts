import type { GuestProfile, ProfileNode } from '@nexus/vm';

/** What a profile output counts: cycles executed, or their proving cost (trace cells). */
export type ProfileWeight = 'cycles' | 'cost';

/** One call path with what was spent in it (self), root first. */
export interface StackSample {
  readonly stack: readonly number[];
  readonly cycles: number;
  readonly cost: number;
}

/** Every call path with self cycles or cost, root first (the form every output starts from). */
export function stackSamples(profile: GuestProfile): StackSample[] {
  const out: StackSample[] = [];
  const walk = (node: ProfileNode, stack: number[]) => {
    if (node.cycles > 0 || node.cost > 0)
      out.push({ stack: stack.slice(), cycles: node.cycles, cost: node.cost });
    for (const c of node.children) {
      stack.push(c.fn);
      walk(c, stack);
      stack.pop();
    }
  };
  walk(profile.root, []);
  return out;
}

/** Per function: self (in it) and total (in it or its callees, recursion counted once). */
export interface FunctionTotals {
  readonly name: string;
  readonly calls: number;
  readonly selfCycles: number;
  readonly totalCycles: number;
  readonly selfCost: number;
  readonly totalCost: number;
}

export function functionTotals(profile: GuestProfile): FunctionTotals[] {
  const n = profile.functions.length;
  const calls = new Float64Array(n);
  const self = [new Float64Array(n), new Float64Array(n)] as const;
  const total = [new Float64Array(n), new Float64Array(n)] as const;
  const onStack = new Int32Array(n);
  // Returns the node's inclusive [cycles, cost]; a function's total counts only its outermost
  // frames on a path, so recursion does not count a cycle twice.
  const walk = (node: ProfileNode): [number, number] => {
    const inc: [number, number] = [node.cycles, node.cost];
    if (node.fn >= 0) {
      calls[node.fn]! += node.calls;
      self[0][node.fn]! += node.cycles;
      self[1][node.fn]! += node.cost;
      onStack[node.fn]!++;
    }
    for (const c of node.children) {
      const [cy, co] = walk(c);
      inc[0] += cy;
      inc[1] += co;
    }
    if (node.fn >= 0) {
      onStack[node.fn]!--;
      if (onStack[node.fn] === 0) {
        total[0][node.fn]! += inc[0];
        total[1][node.fn]! += inc[1];
      }
    }
    return inc;
  };
  walk(profile.root);
  return profile.functions
    .map((f, i) => ({
      name: f.name,
      calls: calls[i]!,
      selfCycles: self[0][i]!,
      totalCycles: total[0][i]!,
      selfCost: self[1][i]!,
      totalCost: total[1][i]!,
    }))
    .filter((f) => f.totalCycles > 0);
}

/** Folded stacks (`a;b;c 123` per line): flamegraph.pl, inferno and speedscope read them. */
export function foldedStacks(profile: GuestProfile, weight: ProfileWeight): string {
  const names = profile.functions.map((f) => f.name.replace(/[; ]/g, '_'));
  return stackSamples(profile)
    .map((s) => `${s.stack.map((f) => names[f]).join(';')} ${Math.round(s[weight])}`)
    .filter((line) => !line.endsWith(' 0'))
    .join('\n')
    .concat('\n');
}
