import {
  bitReverseIndex,
  cosetRowToDomainIndex,
  evaluateUnchecked,
  interpolateInPlace,
} from '@nexus/field';
import { type ProofShape, type Statement, type System, VerificationError } from '@nexus/kernel';

const cache = new Map<string, Uint32Array>();

/**
 * The root of the preprocessed tree the statement implies: the verifier commits the
 * preprocessed columns (lookup tables, program ROM) itself instead of trusting the proof.
 * Memoized by the columns' contents, so verifying many proofs of one program pays it once.
 */
export function expectedPreprocessedRoot(
  system: System,
  statement: Statement,
  shape: ProofShape,
): Uint32Array {
  const b = shape.config.logBlowup;
  const columns = shape.preprocessedIds.map((id, i) => {
    const logSize = shape.trees[0]![i]!.logSize;
    let col: Uint32Array;
    try {
      col = system.preprocessed.get(id)!.generate(statement, logSize);
    } catch (e) {
      throw new VerificationError(
        'statement',
        `preprocessed column ${id}: ${(e as Error).message}`,
      );
    }
    if (
      !(col instanceof Uint32Array) ||
      col.length !== 2 ** logSize ||
      col.some((v) => v >= 0x7fffffff)
    ) {
      throw new VerificationError(
        'statement',
        `preprocessed column ${id} cannot be built from this statement`,
      );
    }
    return col;
  });
  const contentKey = system.hash.hash(concat(columns), 'system');
  const key = `${hex(system.digest)}|${b}|${shape.preprocessedIds.join(',')}|${hex(contentKey)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const height = Math.max(0, ...columns.map((c) => Math.log2(c.length) + b));
  const byLayer: Uint32Array[][] = Array.from({ length: height + 1 }, () => []);
  for (const rows of columns) {
    const logSize = Math.log2(rows.length);
    const storage = new Uint32Array(rows.length);
    for (let j = 0; j < rows.length; j++)
      storage[bitReverseIndex(cosetRowToDomainIndex(j, logSize), logSize)] = rows[j]!;
    byLayer[logSize + b]!.push(evaluateUnchecked(interpolateInPlace(storage), logSize + b));
  }
  let below: Uint32Array | null = null;
  for (let h = height; h >= 0; h--) below = system.hash.merkleLayer(2 ** h, below, byLayer[h]!);
  const root = below!.slice(0, 8);
  if (cache.size > 64) cache.clear();
  cache.set(key, root);
  return root;
}

function concat(columns: readonly Uint32Array[]): Uint8Array {
  const total = columns.reduce((n, c) => n + c.length, 0);
  const out = new Uint32Array(total);
  let o = 0;
  for (const c of columns) {
    out.set(c, o);
    o += c.length;
  }
  return new Uint8Array(out.buffer);
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
