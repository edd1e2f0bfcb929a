import { NexusError } from '@nexus/field';

export { NexusError };

/** A component, relation, plugin or system definition that cannot be assembled or proven. */
export class KernelError extends NexusError {}

/** A trace that does not satisfy its constraints (found by the assert evaluator). */
export class ConstraintError extends NexusError {}

/** A proof that does not decode: truncated, wrong magic, unknown version, bad lengths. */
export class ProofFormatError extends NexusError {}

/**
 * A proof that decodes but does not verify. `check` names the failed check: one of 'config',
 * 'security-level', 'system', 'shape', 'statement', 'logup-sum', 'oods', 'merkle', 'fri-fold',
 * 'fri-last-layer', 'proof-of-work'.
 */
export class VerificationError extends NexusError {
  readonly check: string;
  constructor(check: string, message: string, details: Record<string, unknown> = {}) {
    super(`${check}: ${message}`, { check, ...details });
    this.check = check;
  }
}
