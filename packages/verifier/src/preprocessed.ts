import {
  bytesEqual,
  evaluateUnchecked as evaluateTs,
  interpolateRows as interpolateRowsTs,
  P,
} from '@nexus/field';
import {
  encodeStatement,
  type ProofShape,
  type Statement,
  type System,
  VerificationError,
} from '@nexus/kernel';
import { wasmKernels } from '@nexus/kernels-wasm';

// The circle FFT of the preprocessed columns (the program ROM and memory image: 2^12-2^13 rows
// for small guests) is the first verification's largest cost: the WebAssembly kernels where
// the runtime has them (identical results, tested in @nexus/kernels-wasm), else @nexus/field's.
const interpolateRows = wasmKernels?.interpolateRows ?? interpolateRowsTs;
const evaluateUnchecked = wasmKernels?.evaluateUnchecked ?? evaluateTs;

/** Roots already computed, per system object (its generators), by layout and statement. */
const cache = new WeakMap<System, Map<string, { statement: Uint8Array; root: Uint32Array }>>();
/** Entries kept per system: a verifier of many programs recomputes, it never grows. */
const CACHE_ENTRIES = 64;

/**
 * The root of the preprocessed tree the statement implies: the verifier commits the
 * preprocessed columns (lookup tables, program ROM) itself instead of trusting the proof.
 * Memoized by everything the columns are a function of: the system object (whose generators
 * build them; not only its digest), the blowup and the columns' sizes, and the statement's
 * canonical bytes, compared in full on a hit (a hash of them was the warm verification's
 * largest cost), so verifying many proofs of one program pays it once.
 */
export function expectedPreprocessedRoot(
  system: System,
  statement: Statement,
  shape: ProofShape,
): Uint32Array {
  const b = shape.config.logBlowup;
  const sizes = shape.preprocessedIds.map((id, i) => `${id}:${shape.trees[0]![i]!.logSize}`);
  const encoded = encodeStatement(statement);
  const key = `${b}|${sizes.join(',')}|${encoded.length}:${fnv1a(encoded)}`;
  let entries = cache.get(system);
  if (entries === undefined) {
    entries = new Map();
    cache.set(system, entries);
  }
  const hit = entries.get(key);
  if (hit !== undefined && bytesEqual(hit.statement, encoded)) return hit.root.slice();
  // Each column is built, checked, then extended (moved to storage order with its
  // interpolation: in linear memory on the WebAssembly kernels).
  let height = 0;
  for (const t of shape.trees[0]!) height = Math.max(height, t.logSize + b);
  const byLayer: Uint32Array[][] = Array.from({ length: height + 1 }, () => []);
  shape.preprocessedIds.forEach((id, i) => {
    const logSize = shape.trees[0]![i]!.logSize;
    let rows: Uint32Array;
    try {
      rows = system.preprocessed.get(id)!.generate(statement, logSize);
    } catch (e) {
      throw new VerificationError(
        'statement',
        `preprocessed column ${id}: ${(e as Error).message}`,
      );
    }
    if (!(rows instanceof Uint32Array) || rows.length !== 2 ** logSize || !canonical(rows)) {
      throw new VerificationError(
        'statement',
        `preprocessed column ${id} cannot be built from this statement`,
      );
    }
    byLayer[logSize + b]!.push(evaluateUnchecked(interpolateRows(rows), logSize + b));
  });
  let below: Uint32Array | null = null;
  for (let h = height; h >= 0; h--) below = system.hash.merkleLayer(2 ** h, below, byLayer[h]!);
  const root = below!.slice(0, 8);
  if (entries.size >= CACHE_ENTRIES) entries.clear();
  entries.set(key, { statement: encoded, root: root.slice() });
  return root;
}

/** Chunk of values one Math.max call takes (its arguments): well below engines' limits. */
const MAX_CHUNK = 1 << 13;

/**
 * Every value below p. The maximum through Math.max, chunk by chunk: a built-in, where a loop
 * of JavaScript over every value of every column runs interpreted in a short process.
 */
function canonical(values: Uint32Array): boolean {
  for (let at = 0; at < values.length; at += MAX_CHUNK) {
    const chunk = values.subarray(at, at + MAX_CHUNK) as unknown as number[];
    if (Math.max.apply(null, chunk) >= P) return false;
  }
  return true;
}

/** FNV-1a over bytes: a cache key only, every hit is confirmed byte by byte. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 16777619);
  return h >>> 0;
}
