import {
  type Column,
  FieldError,
  columnRunningSum as runningSumTs,
  columnSum as sumTs,
} from '@nexus/field';
import type { KernelMemory } from './memory.js';
import type { KernelExports } from './module.js';

/**
 * Sums along one column (assembly/sums.ts): the signatures and results of @nexus/field's
 * columnSum and columnRunningSum. A short sequential loop that cold JavaScript runs
 * interpreted, once per LogUp component and coordinate.
 */
export class WasmSums {
  readonly #k: KernelExports;
  readonly #mem: KernelMemory;

  constructor(exports: KernelExports, memory: KernelMemory) {
    this.#k = exports;
    this.#mem = memory;
  }

  sum(a: Column): number {
    const n = a.length;
    if (n % 4 !== 0) return sumTs(a);
    const [at] = this.#mem.scratch(n) as [number];
    this.#mem.u32.set(a, at >>> 2);
    return this.#k.m31Sum(at, n) >>> 0;
  }

  runningSum(a: Column, step: number, out?: Column): Column {
    const n = a.length;
    if (out !== undefined && out.length !== n) {
      throw new FieldError(`out has ${out.length} elements, ${n} needed`, { argument: 'out' });
    }
    if (n === 0) return runningSumTs(a, step, out);
    const [at] = this.#mem.scratch(n) as [number];
    const u32 = this.#mem.u32;
    u32.set(a, at >>> 2);
    this.#k.m31RunningSum(at, n, step, at);
    const result = out ?? new Uint32Array(n);
    result.set(u32.subarray(at >>> 2, (at >>> 2) + n));
    return result;
  }
}
