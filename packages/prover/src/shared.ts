/**
 * Columns the prover's worker threads read and write: typed arrays over SharedArrayBuffer. A
 * shared array is posted to a worker as a view of the same memory; a plain one would be
 * copied by every postMessage (and a worker's writes to the copy lost), so what a parallel
 * step writes is allocated shared, and what it reads is shared once (one copy) if it is not.
 */

/** Whether this runtime has SharedArrayBuffer (Node; a browser only when cross-origin isolated). */
export const canShare = typeof SharedArrayBuffer === 'function';

/** A zeroed Uint32Array of `length` elements over shared memory. */
export function sharedU32(length: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(4 * length));
}

/** `a` itself when its memory is shared, else a shared copy. */
export function share<T extends Uint32Array | Int32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = (
    a instanceof Int32Array
      ? new Int32Array(new SharedArrayBuffer(4 * a.length))
      : new Uint32Array(new SharedArrayBuffer(4 * a.length))
  ) as T;
  out.set(a);
  return out;
}

/**
 * Tables cached across proofs (domain.ts: points, index maps): over shared memory where the
 * runtime has it, so a parallel step reads them without copying; plain memory otherwise.
 */
export function tableU32(length: number): Uint32Array {
  return canShare ? sharedU32(length) : new Uint32Array(length);
}

/** As {@link tableU32}, signed. */
export function tableI32(length: number): Int32Array {
  return canShare ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length);
}
