import {
  type ComponentAir,
  type ComponentTrace,
  type EvaluatedEntry,
  evaluateBusEntries,
  isFirstColumn,
} from '@nexus/kernel';
import type { Lookups, ZkvmTraceContext } from './context.js';
import { BITWISE, IMAGE, PROGRAM, PUBLIC_INPUT, RANGE11, RANGE16, ZERO_PAGE } from './relations.js';

/** The relations whose tables `Lookups` counts for. */
const ZKVM_TABLES: ReadonlySet<unknown> = new Set([
  RANGE16,
  RANGE11,
  BITWISE,
  PROGRAM,
  IMAGE,
  ZERO_PAGE,
  PUBLIC_INPUT,
]);

/**
 * The lookups of a component's rows into the zkVM's tables, counted from its bus entries
 * evaluated on its finished trace: what `buildTraces` does for a rows component with `lookups:
 * 'from-entries'` instead of counting by hand in the order `evaluate` looks things up. Covers
 * the zkVM's tables (range16, range11, bitwise, program, the memory image, zero pages, the
 * public input); a plugin's own tables count their lookups themselves.
 *
 * @throws Error naming the entry when a multiplicity is not a small non-negative integer or a
 *   tuple has no table row (the prover's checks would reject the trace anyway).
 */
export function countLookupsFromEntries(
  ctx: ZkvmTraceContext,
  air: ComponentAir,
  trace: ComponentTrace,
  invalid: 'throw' | 'skip' = 'throw',
): void {
  // Nothing to count (and nothing to evaluate) for a component that uses none of the tables.
  if (
    !air.entries.some((e) => e.sign === 1 && e.bound !== 'table' && ZKVM_TABLES.has(e.relation))
  ) {
    return;
  }
  const evaluated = evaluateBusEntries({
    air,
    trace,
    preprocessed: (id) => {
      if (id === 'is_first') return isFirstColumn(trace.logSize);
      throw new Error(`${air.name}: counting lookups from entries reads no preprocessed ${id}`);
    },
  });
  countLookups(ctx, air.name, evaluated, invalid);
}

/**
 * Adds evaluated bus entries' uses of the zkVM's tables to `ctx.lookups`. `invalid` says what
 * a multiplicity that is no count, or a tuple no table row can hold, does: 'throw' (the
 * prover's trace generation) or 'skip' (the test kit, rebuilding tables from forged traces,
 * where such a tuple is the forgery and stays unbalanced).
 */
export function countLookups(
  ctx: ZkvmTraceContext,
  component: string,
  evaluated: readonly EvaluatedEntry[],
  invalid: 'throw' | 'skip',
): void {
  const lookups: Lookups = ctx.lookups;
  for (const { entry, multiplicity, values } of evaluated) {
    // Uses only: a table's own count column is a yield (bound 'table').
    if (entry.sign !== 1 || entry.bound === 'table') continue;
    const bound = entry.bound;
    const rel = entry.relation;
    // Returns false when the row is skipped.
    const bad = (row: number, why: string): false => {
      if (invalid === 'skip') return false;
      throw new Error(`${component}: ${entry.label} at row ${row}: ${why}`);
    };
    const each = (count: (row: number, m: number) => unknown) => {
      for (let row = 0; row < multiplicity.length; row++) {
        const m = multiplicity[row]!;
        if (m === 0) continue;
        if (m > bound) {
          bad(row, `multiplicity ${m} is not a count`);
          continue;
        }
        count(row, m);
      }
    };
    if (rel === RANGE16 || rel === RANGE11) {
      const table = rel === RANGE16 ? lookups.range16 : lookups.range11;
      each((row, m) => {
        const v = values[0]![row]!;
        if (v >= table.length) return bad(row, `${v} is outside ${rel.name}`);
        table[v]! += m;
      });
    } else if (rel === BITWISE) {
      each((row, m) => {
        const op = values[0]![row]!;
        const a = values[1]![row]!;
        const b = values[2]![row]!;
        if (op > 3 || a > 255 || b > 255) return bad(row, `(${op}, ${a}, ${b}) is no bitwise row`);
        lookups.bitwise[op]![a | (b << 8)]! += m;
      });
    } else if (rel === PROGRAM) {
      each((row, m) => {
        const k = ctx.program.indexOfPc(values[0]![row]!);
        if (k < 0) return bad(row, `no instruction at pc ${values[0]![row]}`);
        lookups.program[k]! += m;
      });
    } else if (rel === IMAGE) {
      each((row, m) => {
        const k = ctx.program.imageIndexOf(values[0]![row]!);
        if (k < 0) return bad(row, `word ${values[0]![row]} is not in the memory image`);
        lookups.image[k]! += m;
      });
    } else if (rel === ZERO_PAGE) {
      each((row, m) => {
        const k = ctx.program.zeroPageIndexOf(values[0]![row]!);
        if (k < 0) return bad(row, `page ${values[0]![row]} is not a zero page`);
        lookups.zeroPage[k]! += m;
      });
    } else if (rel === PUBLIC_INPUT) {
      each((row, m) => {
        const offset = values[0]![row]!;
        if (offset >= lookups.publicInput.length) {
          return bad(row, `offset ${offset} is past the public input's end marker`);
        }
        lookups.publicInput[offset]! += m;
      });
    }
    // Any other relation is a bus, or a plugin's own table, which counts its lookups itself
    // (like sha256-schedule from the number of calls).
  }
}

/**
 * A trace context whose lookup counters are scratch copies: the component's own fillers may
 * count as they like (the gadgets do), and nothing reaches the real tables; `buildTraces` then
 * counts from the bus entries.
 */
export function scratchLookups(ctx: ZkvmTraceContext): ZkvmTraceContext {
  const real = ctx.lookups;
  const scratch = Object.create(real) as Lookups;
  Object.assign(scratch, {
    range16: new Uint32Array(real.range16.length),
    range11: new Uint32Array(real.range11.length),
    bitwise: real.bitwise.map((t) => new Uint32Array(t.length)),
    program: new Uint32Array(real.program.length),
    image: new Uint32Array(real.image.length),
    zeroPage: new Uint32Array(real.zeroPage.length),
    publicInput: new Uint32Array(real.publicInput.length),
  });
  return { ...ctx, lookups: scratch };
}
