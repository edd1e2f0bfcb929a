import {
  buildTraces,
  countLookups,
  encodeProgram,
  isZkvmComponent,
  Lookups,
  type ZkvmClaim,
  type ZkvmComponent,
  zkvmStatement,
} from '@nexus/air-common';
import type { QM31 } from '@nexus/field';
import {
  type BusInput,
  type ComponentTrace,
  encodeProof,
  evaluateBusEntries,
  findConstraintFailures,
  findUnbalancedTuples,
  isFirstColumn,
  MAIN_TREE,
  type PcsConfig,
  type SecurityPreset,
  type StarkProof,
  type Statement,
  type System,
  type UnbalancedTuple,
  VerificationError,
} from '@nexus/kernel';
import { prove } from '@nexus/prover';
import { type VerifyOptions, verify } from '@nexus/verifier';
import {
  INSTRUCTION_EXTENSION,
  type InstructionExtension,
  loadElf,
  SYSCALL_EXTENSION,
  type SyscallExtension,
} from '@nexus/vm';
import { type RunInputs, type TracedRun, traceRun } from './run.js';

const P = 0x7fffffff;

/**
 * A malicious prover, for tests of the verifier. It starts from the honest traces of a real
 * run and the honest claim; a test then patches whatever a dishonest prover controls (any cell,
 * a whole component's trace at any size, the claimed output or exit code) and proves with the
 * real prover, its own constraint, size and bus checks off, at the standard config. `verdict`
 * runs the real verifier on the encoded proof and returns what it says.
 *
 * @example
 * const m = maliciousProver(system, elf, { publicInput });
 * m.set('add', 'r0', 3, 256);                         // a result byte out of range
 * expect(m.verdict()?.check).toBe('logup-sum');
 */
export class MaliciousProver {
  readonly run: TracedRun;
  /** The traces to prove, by component name: honest until a test patches them. */
  readonly traces: Map<string, ComponentTrace>;
  /** The claim to prove; honest until a test changes it. */
  claim: Omit<ZkvmClaim, 'program'>;
  /**
   * Claimed LogUp sums chosen after the challenges (the prover's `forgeClaimedSums`): given
   * the honest sums, by present component name, and the statement's boundary sum.
   */
  claimedSums?: (honest: ReadonlyMap<string, QM31>, boundary: QM31) => ReadonlyMap<string, QM31>;

  /** The canonical program the statement names: the run's own, or `claimedElf`'s. */
  private readonly claimedProgram: Uint8Array;

  /**
   * @param claimedElf the program the statement claims, when it is not the one that ran: an
   *   attacker runs a sibling program (one instruction different, which the VM runs where the
   *   claimed one would fault or go elsewhere) for consistent traces, patches the rows that
   *   differ, and claims the original. The verifier builds the program table from the claim.
   */
  constructor(
    readonly system: System,
    elf: Uint8Array,
    inputs: RunInputs = {},
    claimedElf?: Uint8Array,
  ) {
    // The VM gets the system's precompiles, as the SDK gives them.
    this.run = traceRun(elf, {
      syscalls: system.extensions(SYSCALL_EXTENSION) as SyscallExtension[],
      instructions: system.extensions(INSTRUCTION_EXTENSION) as InstructionExtension[],
      ...inputs,
    });
    this.claimedProgram =
      claimedElf === undefined
        ? this.run.statement.publicData.program!
        : encodeProgram(loadElf(claimedElf), inputs.memory ?? {});
    this.traces = buildTraces(system, this.run.context());
    this.claim = {
      publicInput: inputs.publicInput ?? new Uint8Array(0),
      publicOutput: this.run.records.publicOutput,
      exitCode: this.run.records.exitCode,
    };
  }

  /** The statement of the current claim (the program is always the run's own). */
  get statement(): Statement {
    return zkvmStatement({ program: this.claimedProgram, ...this.claim });
  }

  /** A component's trace, which must be present. */
  trace(component: string): ComponentTrace {
    const t = this.traces.get(component);
    if (t === undefined) throw new Error(`component ${component} has no rows in this run`);
    return t;
  }

  /** A column of a component's trace, by its layout name, to read or patch in place. */
  column(component: string, name: string): Uint32Array {
    const air = this.system.components.find((c) => c.name === component);
    if (air === undefined) throw new Error(`no component ${component} in this system`);
    const i = air.component.columns.indexOf(name);
    if (i < 0) throw new Error(`component ${component} has no column ${name}`);
    return this.trace(component).columns[i]! as Uint32Array;
  }

  /** Reads a cell. */
  get(component: string, name: string, row: number): number {
    return this.column(component, name)[row]!;
  }

  /** Writes a cell: any integer, taken mod p (so -1 is p - 1). */
  set(component: string, name: string, row: number, value: number): this {
    this.column(component, name)[row] = ((value % P) + P) % P;
    return this;
  }

  /** The first row at which `predicate` holds for a component's cells, or an error. */
  findRow(component: string, predicate: (cell: (name: string) => number) => boolean): number {
    const n = 2 ** this.trace(component).logSize;
    for (let r = 0; r < n; r++) if (predicate((name) => this.get(component, name, r))) return r;
    throw new Error(`no row of ${component} matches`);
  }

  /**
   * Replaces a component's whole trace: any size, any columns (null removes the component
   * from the proof).
   */
  replace(component: string, trace: ComponentTrace | null): this {
    if (trace === null) this.traces.delete(component);
    else this.traces.set(component, trace);
    return this;
  }

  /**
   * The component's trace at another log size: its rows copied (cut off or padded with rows of
   * zeros), then `fill(column, row)` for every row past the honest ones, if given.
   */
  resize(component: string, logSize: number, fill?: (column: string, row: number) => number): this {
    const t = this.trace(component);
    const air = this.system.components.find((c) => c.name === component)!;
    const n = 2 ** logSize;
    const old = 2 ** t.logSize;
    const columns = t.columns.map((c, i) => {
      const out = new Uint32Array(n);
      out.set(c.subarray(0, Math.min(n, old)));
      if (fill) {
        for (let r = old; r < n; r++) {
          out[r] = ((fill(air.component.columns[i]!, r) % P) + P) % P;
        }
      }
      return out;
    });
    return this.replace(component, { logSize, columns });
  }

  /** What the bus-balance checker sees for the current traces and claim. */
  busInputs(): BusInput[] {
    const statement = this.statement;
    const built = new Map<string, Uint32Array>();
    return this.system.components.flatMap((air) => {
      const trace = this.traces.get(air.name);
      if (trace === undefined) return [];
      const preprocessed = (id: string): Uint32Array => {
        if (id === 'is_first') return isFirstColumn(trace.logSize);
        const key = `${id}:${trace.logSize}`;
        let col = built.get(key);
        if (col === undefined) {
          col = this.system.preprocessed.get(id)!.generate(statement, trace.logSize);
          built.set(key, col);
        }
        return col;
      };
      return [{ air, trace, preprocessed }];
    });
  }

  /**
   * What the prover's own checks (off here) would report: every failing constraint, as
   * `component: label`, sorted and each once, and every unbalanced tuple. A test asserts it
   * before asking the verifier, so that a rejection is known to come from the mechanism the
   * forgery targets.
   */
  diagnose(): { constraints: string[]; tuples: UnbalancedTuple[] } {
    const inputs = this.busInputs();
    const constraints = new Set<string>();
    for (const input of inputs) {
      for (const f of findConstraintFailures(input.air, input, Number.POSITIVE_INFINITY)) {
        constraints.add(`${input.air.name}: ${f.label}`);
      }
    }
    return {
      constraints: [...constraints].sort(),
      tuples: this.unbalanced(Number.POSITIVE_INFINITY),
    };
  }

  /** The tuples whose uses and yields do not cancel (empty when every bus balances). */
  unbalanced(limit = 100): UnbalancedTuple[] {
    return findUnbalancedTuples(this.busInputs(), this.system.boundary(this.statement), limit);
  }

  /**
   * Recounts the lookup tables after a patch, as a malicious prover would: a table's count
   * column is the prover's to fill, so a lookup moved to another tuple of the table is
   * absorbed by the counts. Only tuples that no table row holds (a byte of 256, a gap above
   * the range) stay unbalanced: an attack test then shows the table's bound, not a stale
   * count, is what rejects it. Tables of free size (the byte-pair table, which holds only the
   * pairs a run looks up) are rebuilt from the current uses when a tuple is left that they
   * yield, so a patched use gets a row wherever a row can hold it; a hand edit of such a table
   * made before the call is then lost (edit tables after `rebalance`). Returns the tuples it
   * could not place.
   */
  rebalance(): UnbalancedTuple[] {
    const left = this.recount();
    // A free table that yields on a relation with a tuple left is rebuilt, then recounted.
    const relations = new Set(left.map((t) => t.relation));
    return this.rebuildFreeTables(relations) ? this.recount() : left;
  }

  /** One pass of rebalance: the tuples the current table rows hold get their counts fixed. */
  private recount(): UnbalancedTuple[] {
    const inputs = this.busInputs();
    // Where each table tuple lives: its count column and row (the first row holding it).
    const rows = new Map<string, { counts: Uint32Array; row: number }>();
    for (const input of inputs) {
      for (const { entry, values } of evaluateBusEntries(input)) {
        const m = entry.multiplicity;
        if (entry.bound !== 'table') continue;
        if (m.kind !== 'col' || m.a !== MAIN_TREE || m.offset !== 0) {
          throw new Error(`${input.air.name}: a table whose count is not a plain column`);
        }
        const counts = input.trace.columns[m.b]! as Uint32Array;
        const n = counts.length;
        for (let r = 0; r < n; r++) {
          const key = `${entry.relation.name}|${values.map((v) => v[r]).join(',')}`;
          if (!rows.has(key)) rows.set(key, { counts, row: r });
        }
      }
    }
    const left: UnbalancedTuple[] = [];
    const tuples = findUnbalancedTuples(
      inputs,
      this.system.boundary(this.statement),
      Number.POSITIVE_INFINITY,
    );
    for (const t of tuples) {
      const at = rows.get(`${t.relation}|${t.values.join(',')}`);
      if (at === undefined) {
        left.push(t);
        continue;
      }
      at.counts[at.row] = (((at.counts[at.row]! + t.net) % P) + P) % P;
    }
    return left;
  }

  /**
   * Regenerates the present tables of free size that yield on one of `relations` from the
   * lookups of the current traces; false when there is none.
   */
  private rebuildFreeTables(relations: ReadonlySet<string>): boolean {
    const tables = this.system.components.filter(
      (air) =>
        air.size.kind === 'free' &&
        isZkvmComponent(air.component) &&
        air.component.tracePhase === 'tables' &&
        this.traces.has(air.name) &&
        air.entries.some((e) => e.bound === 'table' && relations.has(e.relation.name)),
    );
    if (tables.length === 0) return false;
    const honest = this.run.context();
    const ctx = {
      ...honest,
      lookups: new Lookups(honest.program, honest.publicInput.length),
    };
    for (const input of this.busInputs()) {
      if (isZkvmComponent(input.air.component) && input.air.component.tracePhase === 'tables') {
        continue;
      }
      countLookups(ctx, input.air.name, evaluateBusEntries(input), 'skip');
    }
    for (const air of tables) {
      const trace = (air.component as ZkvmComponent).traceFor(ctx);
      if (trace === null) this.traces.delete(air.name);
      else this.traces.set(air.name, trace);
    }
    return true;
  }

  /** Proves the current traces and claim, with no check of the prover's own. */
  prove(config: SecurityPreset | PcsConfig = 'standard'): StarkProof {
    const present = this.system.components
      .map((c) => c.name)
      .filter((name) => this.traces.has(name));
    const forge = this.claimedSums;
    return prove(
      this.system,
      { statement: this.statement, traces: this.traces },
      {
        config,
        checkConstraints: false,
        ...(forge && {
          forgeClaimedSums: (honest: readonly QM31[], boundary: QM31) => {
            const sums = forge(new Map(present.map((name, i) => [name, honest[i]!])), boundary);
            return present.map((name) => sums.get(name)!);
          },
        }),
      },
    );
  }

  /**
   * Proves (standard config unless given), encodes, and runs the real verifier against the
   * current claim: null when it accepts, else its VerificationError.
   */
  verdict(
    options: VerifyOptions & { config?: SecurityPreset | PcsConfig } = {},
  ): VerificationError | null {
    const bytes = encodeProof(this.prove(options.config));
    try {
      verify(this.system, bytes, this.statement, options);
      return null;
    } catch (e) {
      if (e instanceof VerificationError) return e;
      throw e;
    }
  }
}

/** A malicious prover over the honest run of `elf` (see MaliciousProver). */
export function maliciousProver(
  system: System,
  elf: Uint8Array,
  inputs: RunInputs = {},
  claimedElf?: Uint8Array,
): MaliciousProver {
  return new MaliciousProver(system, elf, inputs, claimedElf);
}
