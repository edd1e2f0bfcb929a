import type { ComponentAir } from './air.js';
import { checkSameKernel } from './brand.js';
import type { BoundaryEntry } from './component.js';
import type { PcsConfig } from './config.js';
import { KernelError } from './errors.js';
import { IS_FIRST } from './leaves.js';
import { MAX_COMPONENT_LOG_SIZE, MIN_COMPONENT_LOG_SIZE } from './size.js';
import type { System } from './system.js';

/** A column as committed: its trace log size and the row offsets at which it is sampled. */
export interface ShapeColumn {
  readonly logSize: number;
  readonly offsets: readonly number[];
}

export interface PresentComponent {
  readonly air: ComponentAir;
  readonly logSize: number;
}

/**
 * Everything about a proof that follows from the system, the config and the claimed component
 * sizes: which columns each tree commits, in which order, and where each is sampled. Prover and
 * verifier both derive it, so neither trusts the other's idea of the layout.
 */
export interface ProofShape {
  readonly config: PcsConfig;
  /** Present components (a component whose instructions never ran is absent), sorted by name. */
  readonly present: readonly PresentComponent[];
  readonly maxLogSize: number;
  /**
   * The ids of the preprocessed tree's columns, sorted. The built-in `is_first` columns are
   * not among them: both sides compute them in closed form (leaves.ts isFirstAt).
   */
  readonly preprocessedIds: readonly string[];
  /** Tree 0 preprocessed, 1 main, 2 interaction, 3 composition. */
  readonly trees: readonly (readonly ShapeColumn[])[];
  /** Per present component, the index of its first column in trees 1 and 2. */
  readonly mainOffset: readonly number[];
  readonly interactionOffset: readonly number[];
  /** Number of composition columns: 2 halves × 4 coordinates. */
  readonly compositionColumns: number;
  /** Total number of constraints (the composition's random-combination length). */
  readonly totalConstraints: number;
}

/** Log size per system component, null when absent. */
export type ComponentSizes = readonly (number | null)[];

export function proofShape(system: System, sizes: ComponentSizes, config: PcsConfig): ProofShape {
  // The prover and the verifier reach the system through here first: a system assembled by
  // another copy of @nexus/kernel than theirs is named, not compiled.
  checkSameKernel(system, 'the system');
  if (sizes.length !== system.components.length) {
    throw new KernelError(
      `the claim lists ${sizes.length} components, the system has ${system.components.length}`,
    );
  }
  const present: PresentComponent[] = [];
  sizes.forEach((s, i) => {
    if (s === null) return;
    const air = system.components[i]!;
    if (!Number.isInteger(s) || s < MIN_COMPONENT_LOG_SIZE || s > MAX_COMPONENT_LOG_SIZE) {
      throw new KernelError(
        `component ${air.name}: log size must be in [${MIN_COMPONENT_LOG_SIZE}, ${MAX_COMPONENT_LOG_SIZE}], got ${s}`,
      );
    }
    present.push({ air, logSize: s });
  });
  if (present.length === 0) throw new KernelError('a proof needs at least one component with rows');
  for (const { air, logSize } of present) {
    if (logSize <= config.logLastLayerDegreeBound) {
      throw new KernelError(
        `component ${air.name}: log size ${logSize} must exceed the FRI last layer bound ${config.logLastLayerDegreeBound}`,
      );
    }
  }
  const maxLogSize = Math.max(...present.map((p) => p.logSize));

  const pre = new Map<string, { logSize: number; offsets: Set<number> }>();
  for (const { air, logSize } of present) {
    for (const [id, offsets] of air.preprocessedMasks) {
      if (id === IS_FIRST) continue;
      // A preprocessed column takes the size of the component reading it.
      const entry = pre.get(id) ?? { logSize, offsets: new Set<number>() };
      if (entry.logSize !== logSize) {
        throw new KernelError(
          `preprocessed column ${id} is read by components of log sizes ${entry.logSize} and ${logSize}`,
        );
      }
      for (const o of offsets) entry.offsets.add(o);
      pre.set(id, entry);
    }
  }
  const preprocessedIds = [...pre.keys()].sort();
  const sortNum = (s: Iterable<number>) => [...s].sort((a, b) => a - b);
  const tree0 = preprocessedIds.map((id) => ({
    logSize: pre.get(id)!.logSize,
    offsets: sortNum(pre.get(id)!.offsets),
  }));

  const tree1: ShapeColumn[] = [];
  const tree2: ShapeColumn[] = [];
  const mainOffset: number[] = [];
  const interactionOffset: number[] = [];
  let totalConstraints = 0;
  for (const { air, logSize } of present) {
    mainOffset.push(tree1.length);
    interactionOffset.push(tree2.length);
    for (const m of air.mainMasks) tree1.push({ logSize, offsets: m });
    for (const m of air.interactionMasks) tree2.push({ logSize, offsets: m });
    // One LogUp constraint per batch (air.ts), counted without building them.
    totalConstraints += air.constraints.length + air.batches.length;
  }
  const compositionColumns = 8;
  const tree3 = Array.from({ length: compositionColumns }, () => ({
    logSize: maxLogSize,
    offsets: [0],
  }));
  return {
    config,
    present,
    maxLogSize,
    preprocessedIds,
    trees: [tree0, tree1, tree2, tree3],
    mainOffset,
    interactionOffset,
    compositionColumns,
    totalConstraints,
  };
}

/**
 * LogUp soundness needs the total of |multiplicity| bounds over every row of every bounded
 * entry to stay below p (a lookup table's count column is bounded by the entries it counts).
 */
export function logupUseBound(shape: ProofShape): number {
  let total = 0;
  for (const { air, logSize } of shape.present) {
    for (const e of air.entries) if (e.bound !== 'table') total += e.bound * 2 ** logSize;
  }
  return total;
}

/**
 * The bus bounds a proof's sizes must meet: the LogUp bound (Σ of every bounded entry's
 * multiplicity bound over its rows, plus the statement's boundary multiplicities, stays below
 * p, so a tuple's uses and yields cancel as integers, not only mod p) and each relation's own
 * `maxUses` (the statement's uses count too).
 *
 * @throws KernelError naming the bound that the claimed sizes exceed.
 */
export function checkBusBounds(
  shapes: ProofShape | readonly ProofShape[],
  boundary: readonly BoundaryEntry[] = [],
): void {
  // The segments of one proof share one LogUp sum: their uses add up (section 10 of
  // SOUNDNESS.md), so the bounds hold over all of them together.
  const all: readonly ProofShape[] = Array.isArray(shapes) ? shapes : [shapes as ProofShape];
  let total = 0;
  for (const shape of all) total += logupUseBound(shape);
  for (const b of boundary) total += Math.abs(b.multiplicity);
  if (total >= 0x7fffffff) {
    throw new KernelError(
      `the claimed sizes put up to ${total} bus entries in the proof; LogUp is sound only below p = 2^31 - 1`,
    );
  }
  const uses = new Map<string, number>();
  for (const b of boundary) {
    if (b.multiplicity > 0)
      uses.set(b.relation.name, (uses.get(b.relation.name) ?? 0) + b.multiplicity);
  }
  for (const shape of all) {
    for (const { air, logSize } of shape.present) {
      for (const e of air.entries) {
        if (e.relation.maxUses === null || e.sign !== 1 || e.bound === 'table') continue;
        uses.set(e.relation.name, (uses.get(e.relation.name) ?? 0) + e.bound * 2 ** logSize);
      }
    }
  }
  for (const rel of all.flatMap((shape) =>
    shape.present.flatMap(({ air }) => air.entries.map((e) => e.relation)),
  )) {
    const n = uses.get(rel.name) ?? 0;
    if (rel.maxUses !== null && n > rel.maxUses) {
      throw new KernelError(
        `the claimed sizes allow ${n} uses of relation ${rel.name}, more than its bound ${rel.maxUses}`,
      );
    }
  }
}
