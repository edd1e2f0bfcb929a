import { inv, P, type QM31, qm31Add, qm31Inv, qm31MulM31 } from '@nexus/field';
import { combineExpr } from './air.js';
import type { Channel } from './channel.js';
import type { BoundaryEntry } from './component.js';
import type { PcsConfig } from './config.js';
import { constant } from './expr.js';
import { evaluateExprs } from './interpret.js';
import type { ComponentSizes } from './shape.js';
import { encodeStatement, type Statement } from './statement.js';
import { PROTOCOL_VERSION, type System } from './system.js';

/**
 * The opening of the transcript, identical in prover and verifier: protocol version and PCS
 * config, the system digest, the statement, and the claimed component sizes. Every later
 * challenge depends on all of it.
 */
export function mixHeader(
  channel: Channel,
  system: System,
  config: PcsConfig,
  statement: Statement,
  sizes: ComponentSizes,
): void {
  channel.mixU32s([
    PROTOCOL_VERSION,
    config.logBlowup,
    config.nQueries,
    config.powBits,
    config.logLastLayerDegreeBound,
    config.friFoldStep,
  ]);
  channel.mixBytes(new TextEncoder().encode(config.name));
  channel.mixBytes(system.digest);
  channel.mixBytes(encodeStatement(statement));
  channel.mixU32s(sizes.map((s) => (s === null ? 0 : s)));
}

/**
 * The statement's share of the LogUp sum: Σ multiplicity / combine(values) over its boundary
 * entries. The verifier computes it itself from the statement it was given, never from the
 * proof; claimed sums plus this must be zero.
 */
export function boundarySum(
  entries: readonly BoundaryEntry[],
  params: (name: string) => QM31,
): QM31 {
  let total: QM31 = [0, 0, 0, 0];
  for (const e of entries) {
    const [d] = evaluateExprs(
      [
        combineExpr(
          e.relation,
          e.values.map((v) => constant(v)),
        ),
      ],
      () => {
        throw new Error('boundary tuples are constants');
      },
      params,
    );
    const m = ((e.multiplicity % P) + P) % P;
    total = qm31Add(total, qm31MulM31(qm31Inv(d!), m));
  }
  return total;
}

/** 1/N for a component of log size n, as used by the `claimed/n` parameter. */
export function inverseRowCount(logSize: number): number {
  return inv(2 ** logSize % P);
}
