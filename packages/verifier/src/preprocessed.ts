import { evaluateUnchecked, interpolateInPlace, rowToStoragePermutation } from '@nexus/field';
import {
  encodeStatement,
  type ProofShape,
  type Statement,
  type System,
  VerificationError,
} from '@nexus/kernel';

const cache = new Map<string, Uint32Array>();

/**
 * The root of the preprocessed tree the statement implies: the verifier commits the
 * preprocessed columns (lookup tables, program ROM) itself instead of trusting the proof.
 * Memoized by what the columns are a function of (the system, the statement, their sizes), so
 * verifying many proofs of one program pays it once.
 */
export function expectedPreprocessedRoot(
  system: System,
  statement: Statement,
  shape: ProofShape,
): Uint32Array {
  const b = shape.config.logBlowup;
  const sizes = shape.preprocessedIds.map((id, i) => `${id}:${shape.trees[0]![i]!.logSize}`);
  const statementKey = hex(system.hash.hash(encodeStatement(statement), 'system'));
  const key = `${hex(system.digest)}|${b}|${sizes.join(',')}|${statementKey}`;
  const hit = cache.get(key);
  if (hit) return hit;
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
  const height = Math.max(0, ...columns.map((c) => Math.log2(c.length) + b));
  const byLayer: Uint32Array[][] = Array.from({ length: height + 1 }, () => []);
  for (const rows of columns) {
    const logSize = Math.log2(rows.length);
    const perm = rowToStoragePermutation(logSize);
    const storage = new Uint32Array(rows.length);
    for (let j = 0; j < rows.length; j++) storage[perm[j]!] = rows[j]!;
    byLayer[logSize + b]!.push(evaluateUnchecked(interpolateInPlace(storage), logSize + b));
  }
  let below: Uint32Array | null = null;
  for (let h = height; h >= 0; h--) below = system.hash.merkleLayer(2 ** h, below, byLayer[h]!);
  const root = below!.slice(0, 8);
  if (cache.size > 64) cache.clear();
  cache.set(key, root);
  return root;
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
