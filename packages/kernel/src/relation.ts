import { brand } from './brand.js';
import { KernelError } from './errors.js';

/**
 * A relation (a bus): tuples of `arity` field elements that components put on (yield) and take
 * off (use). LogUp proves that over the whole system every tuple is used exactly as often as
 * it is yielded, counting the statement's boundary entries.
 */
export interface Relation {
  readonly name: string;
  readonly arity: number;
  /**
   * The most tuples one proof may take off this relation: Σ over its use entries of the
   * per-row multiplicity bound times the rows of the component (null: only the kernel's
   * LogUp bound applies). For an argument that counts steps, such as an execution chain whose
   * clock must stay far below p; the verifier checks it against the claimed sizes.
   */
  readonly maxUses: number | null;
}

export interface RelationOptions {
  /** See Relation.maxUses. */
  readonly maxUses?: number;
}

/**
 * Declares a relation. Two relations with the same name must have the same arity and bound;
 * the system checks this when it is assembled. Relations come only from here: the system
 * rejects any other object (a relation of a second copy of @nexus/kernel, one built by hand).
 *
 * @example const memory = defineRelation('memory', 7);
 * @example const exec = defineRelation('exec', 2, { maxUses: 2 ** 28 });
 */
export function defineRelation(
  name: string,
  arity: number,
  options: RelationOptions = {},
): Relation {
  if (typeof name !== 'string' || !/^[a-z][a-z0-9_.:-]*$/.test(name)) {
    throw new KernelError(
      `relation name must be lowercase letters, digits and _.:- starting with a letter, got ${JSON.stringify(name)}`,
    );
  }
  if (!Number.isInteger(arity) || arity < 1 || arity > 64) {
    throw new KernelError(`relation ${name}: arity must be an integer in [1, 64], got ${arity}`);
  }
  const maxUses = options.maxUses ?? null;
  if (
    maxUses !== null &&
    (!Number.isSafeInteger(maxUses) || maxUses < 1 || maxUses >= 0x7fffffff)
  ) {
    throw new KernelError(
      `relation ${name}: maxUses must be an integer in [1, p), got ${options.maxUses}`,
    );
  }
  // Marked as this copy's (brand.ts): the system rejects relations of another kernel copy.
  return Object.freeze(brand({ name, arity, maxUses }));
}
