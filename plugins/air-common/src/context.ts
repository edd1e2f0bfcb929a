import type {
  BoundaryEntry,
  Component,
  ComponentTrace,
  Plugin,
  PreprocessedColumn,
  StatementLike,
} from '@nexus/kernel';
import { FAMILIES, FAMILY_EXTENSION, type Family, type Records, rv32imFamily } from '@nexus/vm';
import type { ZkvmProgram } from './program.js';

/**
 * What the zkVM components' trace generation reads and writes: the program, the pass-2
 * records, and the lookup counters. Components that look values up (range checks, byte pairs,
 * program rows, memory image words) count them here as they fill their rows; the table
 * components run last and turn the counts into their multiplicity columns.
 */
export interface ZkvmTraceContext {
  readonly program: ZkvmProgram;
  readonly records: Records;
  readonly publicInput: Uint8Array;
  readonly lookups: Lookups;
}

/**
 * The high limb (bits 16..28) of a timestamp gap, looked up in range16 as 8·hi
 * (evalTimestampIncrease); a gap of 2^29 or more (a word or register untouched for 2^27
 * cycles) cannot be proven.
 */
function gapHigh(diff: number): number {
  const hi = diff >>> 16;
  if (diff < 0 || hi >= 1 << 13)
    throw new RangeError(
      `timestamp gap ${diff} is not in [0, 2^29): a word or register left untouched for 2^27 cycles or more cannot be proven`,
    );
  return hi;
}

/** When a component's trace is generated: rows first, then the tables that count lookups. */
export type TracePhase = 'rows' | 'tables';

export class Lookups {
  readonly range16 = new Uint32Array(1 << 16);
  readonly range11 = new Uint32Array(1 << 11);
  /** Per bitwise op (pair, and, or, xor): counts indexed by a | (b << 8). */
  readonly bitwise = [0, 1, 2, 3].map(() => new Uint32Array(1 << 16));
  readonly program: Uint32Array;
  readonly image: Uint32Array;
  readonly zeroPage: Uint32Array;
  readonly publicInput: Uint32Array;

  constructor(program: ZkvmProgram, publicInputLength: number) {
    this.program = new Uint32Array(program.instructions.pc.length);
    this.image = new Uint32Array(program.image.widx.length);
    this.zeroPage = new Uint32Array(program.zeroPages.page.length);
    // one more for the end-of-tape marker row
    this.publicInput = new Uint32Array(publicInputLength + 1);
  }

  /** Counts the range checks of a timestamp difference split as lo + 2^16·hi; returns them. */
  timestamp(diff: number): [number, number] {
    const lo = diff & 0xffff;
    const hi = gapHigh(diff);
    this.range16[lo]!++;
    this.range16[hi << 3]!++;
    return [lo, hi];
  }

  /**
   * timestamp() writing the limbs straight into row `row` of the columns: the form for the
   * access fillers, which run for every access of the trace (no tuple to allocate).
   */
  timestampInto(diff: number, lo: Uint32Array, hi: Uint32Array, row: number): void {
    const l = diff & 0xffff;
    const h = gapHigh(diff);
    this.range16[l]!++;
    this.range16[h << 3]!++;
    lo[row] = l;
    hi[row] = h;
  }

  bytePair(a: number, b: number): void {
    this.bitwise[0]![a | (b << 8)]!++;
  }
}

/**
 * A component of the zkVM: its trace comes from the trace context, in its phase; `traceFor`
 * returns null when the component has no rows (it is then left out of the proof).
 */
export interface ZkvmComponent extends Component<ZkvmTraceContext> {
  readonly tracePhase: TracePhase;
  traceFor(ctx: ZkvmTraceContext): ComponentTrace | null;
  /**
   * How a rows component's lookups into the zkVM's tables are counted: 'by-hand' (the default:
   * its fillers count them in `ctx.lookups` as they write the looked-up cells, in the order
   * `evaluate` looks them up), or 'from-entries' (`buildTraces` evaluates its bus entries on
   * the finished trace and counts every use of the zkVM's tables: range16, range11, bitwise,
   * program, the memory image, zero pages and the public input; whatever its fillers count goes
   * to a scratch copy). From entries is simpler to get right and slower on long traces (every
   * entry on every row; build.ts). Tables ignore it: they read the counts.
   */
  readonly lookups?: 'by-hand' | 'from-entries';
  /**
   * How many rows this component spends per row of a records table, for cost estimates (the
   * profiler weighs every cycle by the trace cells it adds). Default: one row per row of the
   * table the component is named after. A precompile's rounds component that spends 68 rows per
   * call says `{ table: 'sha256', rows: 68 }`. Not part of what is proven.
   */
  readonly rowsPerRecord?: { readonly table: string; readonly rows: number };
}

export function isZkvmComponent(c: Component<unknown>): c is ZkvmComponent & Component<unknown> {
  return typeof (c as Partial<ZkvmComponent>).traceFor === 'function';
}

/** What a zkVM plugin registers. */
export interface ZkvmPluginParts {
  readonly components?: readonly ZkvmComponent[];
  readonly preprocessed?: readonly PreprocessedColumn[];
  readonly boundary?: (statement: StatementLike) => readonly BoundaryEntry[];
  /**
   * What the plugin adds to the machine: `{ kind: SYSCALL_EXTENSION, value: syscall }` for a
   * precompile's VM side, `{ kind: INSTRUCTION_EXTENSION, value }` for a custom instruction,
   * `{ kind: FAMILY_EXTENSION, value: family }` for the instructions a component proves.
   */
  readonly extensions?: readonly { readonly kind: string; readonly value: unknown }[];
}

/**
 * A plugin from its parts, every tap named with the plugin's name: the common shape of the
 * zkVM's AIR plugins.
 */
export function zkvmPlugin(name: string, version: string, parts: ZkvmPluginParts): Plugin {
  return {
    name,
    version,
    apply(host) {
      if (parts.components?.length) {
        host.hooks.components.tap(name, (r) => {
          for (const c of parts.components!) r.add(c as Component<unknown>);
        });
      }
      if (parts.preprocessed?.length) {
        host.hooks.preprocessed.tap(name, (r) => {
          for (const p of parts.preprocessed!) r.add(p);
        });
      }
      if (parts.boundary) host.hooks.boundary.tap(name, (r) => r.add(parts.boundary!));
      if (parts.extensions?.length) {
        host.hooks.extensions.tap(name, (r) => {
          for (const x of parts.extensions!) r.add(x.kind, x.value);
        });
      }
    },
  };
}

/**
 * The plugin of one of riscv.md's instruction families: its component, and the family
 * registered for the VM under the component's name (`rv32imFamily`), so the machine records
 * those instructions in the component's table. The bundled `@nexus/air-*` plugins are built so;
 * a plugin grouping instructions otherwise registers its own `FamilyExtension`.
 */
export function familyPlugin(name: string, version: string, component: ZkvmComponent): Plugin {
  const family = component.name as Family;
  if (!FAMILIES.includes(family))
    throw new Error(`${name}: ${component.name} is not one of riscv.md's instruction families`);
  return zkvmPlugin(name, version, {
    components: [component],
    extensions: [{ kind: FAMILY_EXTENSION, value: rv32imFamily(family, name) }],
  });
}
