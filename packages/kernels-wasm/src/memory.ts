import type { KernelExports } from './module.js';

/**
 * The layout of the kernels' linear memory, owned on this side:
 *
 *   [static data][resident tables: twiddles, layer tables ...][scratch for the current call]
 *
 * Resident tables are uploaded once and stay for the life of the process (the twiddles of a
 * domain are read by every FFT of that size). Scratch starts where the tables end and is
 * reused by every call: a kernel call copies its columns in, runs and copies the results
 * out, so nothing in scratch outlives the call. Memory only grows (WebAssembly cannot shrink
 * it); a call's scratch is its columns, at most a few columns of the largest domain.
 */
export class KernelMemory {
  readonly #exports: KernelExports;
  #top: number;
  #view: Uint32Array;

  constructor(exports: KernelExports) {
    this.#exports = exports;
    this.#top = exports.heapBase();
    this.#view = new Uint32Array(exports.memory.buffer);
  }

  /** The memory as u32 words; valid until the next {@link reserve} or {@link scratch}. */
  get u32(): Uint32Array {
    return this.#view;
  }

  /** Grows the memory so that bytes [0, end) exist; refreshes the view. */
  #ensure(end: number): void {
    const memory = this.#exports.memory;
    const have = memory.buffer.byteLength;
    if (end > have) {
      memory.grow(Math.ceil((end - have) / 65536));
    }
    if (this.#view.buffer !== memory.buffer) this.#view = new Uint32Array(memory.buffer);
  }

  /** Reserves `words` u32 for the rest of the process; returns the byte address (64-aligned). */
  reserve(words: number): number {
    const address = this.#top;
    this.#top = (address + 4 * words + 63) & ~63;
    this.#ensure(this.#top);
    return address;
  }

  /**
   * Byte addresses of scratch regions of the given sizes in u32 words (each 64-aligned), for
   * one call. Reserving a table invalidates them, so callers take tables first.
   */
  scratch(...words: number[]): number[] {
    const out: number[] = [];
    let at = this.#top;
    for (const w of words) {
      out.push(at);
      at = (at + 4 * w + 63) & ~63;
    }
    this.#ensure(at);
    return out;
  }
}
