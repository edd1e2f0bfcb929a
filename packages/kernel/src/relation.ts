import { KernelError } from './errors.js';

/**
 * A relation (a bus): tuples of `arity` field elements that components put on (yield) and take
 * off (use). LogUp proves that over the whole system every tuple is used exactly as often as
 * it is yielded, counting the statement's boundary entries.
 */
export interface Relation {
  readonly name: string;
  readonly arity: number;
}

/**
 * Declares a relation. Two relations with the same name must have the same arity; the system
 * checks this when it is assembled.
 *
 * @example const memory = defineRelation('memory', 7);
 */
export function defineRelation(name: string, arity: number): Relation {
  if (typeof name !== 'string' || !/^[a-z][a-z0-9_.:-]*$/.test(name)) {
    throw new KernelError(
      `relation name must be lowercase letters, digits and _.:- starting with a letter, got ${JSON.stringify(name)}`,
    );
  }
  if (!Number.isInteger(arity) || arity < 1 || arity > 64) {
    throw new KernelError(`relation ${name}: arity must be an integer in [1, 64], got ${arity}`);
  }
  return Object.freeze({ name, arity });
}
