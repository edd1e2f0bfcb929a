import type { KernelMemory } from './memory.js';
import type { KernelExports } from './module.js';

/** Words of scratch per chunk of rows: 4 MiB, so a layer of any width streams through L2/L3. */
const CHUNK_WORDS = 1 << 20;

/**
 * Blake2s Merkle layers on the kernels, four nodes per SIMD step. Rows go through linear
 * memory in chunks: each chunk copies the columns' slices and the children in and the
 * digests out, so a layer of hundreds of columns of 2^20 rows needs only CHUNK_WORDS of
 * scratch, and every value is copied once.
 */
export class WasmBlake2s {
  readonly #k: KernelExports;
  readonly #mem: KernelMemory;

  constructor(exports: KernelExports, memory: KernelMemory) {
    this.#k = exports;
    this.#mem = memory;
  }

  /**
   * The digests (8 words per node) of `count` nodes: node j hashes
   * children[16j .. 16j + 16) (when given) then columns[c][j] for every column, from the
   * chaining value `iv` (8 words: Blake2s' IV with the parameter block, personalization
   * included). A count that is not a multiple of 4 (the top layers of a tree) runs its last
   * step with lanes past the count hashing stale scratch, whose digests are not read: the
   * four lanes are independent, and the first calls of the JavaScript compression ran cold
   * (~6 ms of a small proof).
   */
  merkleLayer(
    count: number,
    children: Uint32Array | null,
    columns: readonly Uint32Array[],
    iv: Uint32Array,
  ): Uint32Array {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`blake2s layer: ${count} nodes`);
    const nCols = columns.length;
    const perRow = nCols + (children ? 16 : 0) + 8;
    const rows = Math.max(4, Math.min(count, Math.floor(CHUNK_WORDS / perRow) & ~3));
    const [pcols, pdata, pkids, pout, piv, pwork] = this.#mem.scratch(
      nCols,
      nCols * rows,
      children ? 16 * rows : 0,
      8 * rows,
      8,
      96,
    ) as [number, number, number, number, number, number];
    const u32 = this.#mem.u32;
    u32.set(iv, piv >>> 2);
    for (let c = 0; c < nCols; c++) u32[(pcols >>> 2) + c] = pdata + 4 * c * rows;
    const out = new Uint32Array(8 * count);
    for (let r0 = 0; r0 < count; r0 += rows) {
      const r = Math.min(rows, count - r0);
      for (let c = 0; c < nCols; c++) {
        u32.set(columns[c]!.subarray(r0, r0 + r), (pdata >>> 2) + c * rows);
      }
      if (children) u32.set(children.subarray(16 * r0, 16 * (r0 + r)), pkids >>> 2);
      // rows is a multiple of 4, so the rounded-up step stays inside the scratch.
      this.#k.blake2sLayer((r + 3) & ~3, children ? pkids : 0, pcols, nCols, piv, pout, pwork);
      out.set(u32.subarray(pout >>> 2, (pout >>> 2) + 8 * r), 8 * r0);
    }
    return out;
  }

  /**
   * Blake2s-256 of `data` from the chaining value `iv` (8 words: Blake2s' IV with the
   * parameter block, personalization included), as @nexus/hash-blake2s hashes bytes: the 8
   * digest words. Messages of at least 2^32 bytes are refused (the kernel's byte counter is
   * one word).
   */
  hashBytes(data: Uint8Array, iv: Uint32Array): Uint32Array {
    if (data.length >= 2 ** 32) throw new RangeError('blake2s: a message of 2^32 bytes or more');
    const padded = Math.max(64, (data.length + 63) & ~63);
    const [pdata, piv, pout, pwork] = this.#mem.scratch(padded / 4, 8, 8, 96) as [
      number,
      number,
      number,
      number,
    ];
    const u32 = this.#mem.u32;
    const bytes = new Uint8Array(u32.buffer, pdata, padded);
    bytes.set(data);
    bytes.fill(0, data.length); // the last block's padding: scratch holds an earlier call's data
    u32.set(iv, piv >>> 2);
    this.#k.blake2sBytes(pdata, data.length, piv, pout, pwork);
    return u32.slice(pout >>> 2, (pout >>> 2) + 8);
  }

  /**
   * Proof of work: the first nonce in [start, start + limit) whose Blake2s-256 of seed (8
   * words) || nonce (8 little-endian bytes), from `iv`, has `bits` trailing zero bits in its
   * first word; null if none. As @nexus/hash-blake2s's grind, four nonces per step.
   */
  grind(
    seed: Uint32Array,
    bits: number,
    start: number,
    limit: number,
    iv: Uint32Array,
  ): number | null {
    if (!Number.isSafeInteger(start + limit) || start < 0 || limit < 0)
      throw new RangeError(`blake2s grind: nonces [${start}, ${start} + ${limit}) out of range`);
    const [pseed, piv, pwork] = this.#mem.scratch(8, 8, 96) as [number, number, number];
    const u32 = this.#mem.u32;
    u32.set(seed, pseed >>> 2);
    u32.set(iv, piv >>> 2);
    const n = this.#k.blake2sGrind(pseed, bits, start, limit, piv, pwork);
    return n < 0 ? null : n;
  }
}
