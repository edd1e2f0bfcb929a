import { buildTraces, type ZkvmClaim, zkvmStatement } from '@nexus/air-common';
import {
  type ComponentTrace,
  encodeProof,
  type PcsConfig,
  type SecurityPreset,
  type StarkProof,
  type Statement,
  type System,
  VerificationError,
} from '@nexus/kernel';
import { prove } from '@nexus/prover';
import { type VerifyOptions, verify } from '@nexus/verifier';
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

  constructor(
    readonly system: System,
    elf: Uint8Array,
    inputs: RunInputs = {},
  ) {
    this.run = traceRun(elf, inputs);
    this.traces = buildTraces(system, this.run.context());
    this.claim = {
      publicInput: inputs.publicInput ?? new Uint8Array(0),
      publicOutput: this.run.records.publicOutput,
      exitCode: this.run.records.exitCode,
    };
  }

  /** The statement of the current claim (the program is always the run's own). */
  get statement(): Statement {
    return zkvmStatement({ program: this.run.statement.publicData.program!, ...this.claim });
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

  /** Proves the current traces and claim, with no check of the prover's own. */
  prove(config: SecurityPreset | PcsConfig = 'standard'): StarkProof {
    return prove(
      this.system,
      { statement: this.statement, traces: this.traces },
      { config, checkConstraints: false },
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
): MaliciousProver {
  return new MaliciousProver(system, elf, inputs);
}
