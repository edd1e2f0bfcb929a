import type { KernelMemory } from './memory.js';
import type { KernelExports } from './module.js';

/**
 * The column-by-column evaluator of assembly/columnwise.ts over the kernels' memory: the
 * machine @nexus/kernel's columnwise programs run on (its `ColumnwiseMachine`; addresses are
 * u32 word indices, turned into byte addresses here). The kernel side makes the programs,
 * loads the columns into the scratch region and reads the results back.
 */
export class WasmColumnwise {
  readonly #k: KernelExports;
  readonly #mem: KernelMemory;

  constructor(exports: KernelExports, memory: KernelMemory) {
    this.#k = exports;
    this.#mem = memory;
  }

  /** A scratch region of `words` words: valid until the next scratch of any kernel. */
  scratch(words: number): { u32: Uint32Array; at: number } {
    const [address] = this.#mem.scratch(words) as [number];
    return { u32: this.#mem.u32, at: address >>> 2 };
  }

  allCanonical(at: number, words: number): boolean {
    return this.#k.allCanonical(at << 2, words) !== 0;
  }

  run(
    program: number,
    length: number,
    n: number,
    registers: number,
    acc: number,
    coeffs: number,
    flags: number,
  ): void {
    this.#k.columnwiseRun(
      program << 2,
      length,
      n,
      registers << 2,
      acc << 2,
      coeffs << 2,
      flags << 2,
    );
  }

  finish(acc: number, factor: number, out: number, n: number): void {
    this.#k.columnwiseFinish(acc << 2, factor < 0 ? 0 : factor << 2, out << 2, n);
  }
}
