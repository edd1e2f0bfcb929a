import { KernelError } from './errors.js';

/**
 * Parameters of the polynomial commitment scheme (FRI) and hence of the proof's security.
 * Conjectured security bits = nQueries·logBlowup + powBits, capped by the field.
 */
export interface PcsConfig {
  /**
   * Name of a preset, or 'custom': 1 to 32 characters of [a-z0-9._-], starting with a letter or
   * digit (CONFIG_NAME). It travels in every proof and tools print it, so it may hold nothing a
   * terminal would act on.
   */
  readonly name: string;
  /** log2 of the blowup factor: committed evaluations are 2^logBlowup times the trace size. */
  readonly logBlowup: number;
  readonly nQueries: number;
  /** Proof-of-work bits ground before the queries are drawn. */
  readonly powBits: number;
  /** FRI stops folding at line polynomials of degree < 2^logLastLayerDegreeBound. */
  readonly logLastLayerDegreeBound: number;
  /**
   * Most line folds per committed FRI layer (1-4). Folding 2^k values per opened leaf trades a
   * few more values per query for k times fewer Merkle paths; kernel's friSchedule picks each
   * step's count up to this bound.
   */
  readonly friFoldStep: number;
}

/**
 * What a config name may be. A proof carries its config's name and the verifier accepts only
 * the configs it knows, but tools print a proof's name before verifying it (`nexus inspect`,
 * or a rejection that says why): with any 32 characters, escape codes in a name could rewrite
 * the lines printed after it (issue 16). Lower-case letters, digits, '.', '_' and '-' only.
 */
export const CONFIG_NAME = /^[a-z0-9][a-z0-9._-]{0,31}$/;

/** QM31 has ~124 bits; no configuration claims more. */
export const MAX_SECURITY_BITS = 124;

/**
 * The presets. `standard` is the default wherever a user does not choose (96 conjectured
 * bits): blowup 4 and 40 queries. Half the queries of blowup 2 with 80 halve the opened
 * trace values, most of a proof: sort at ~2^20 cycles as one proof, 672 KiB -> 402 KiB (both
 * with FRI's joins inside fold steps), for ~1.15-1.3x the proving time of long runs (the
 * composition is evaluated on the extension the prover already holds, prover/src/domain.ts)
 * and ~1.4x the memory (bench/README.md "Blowup 4 as the standard"). `fast` is the standard before that (blowup 2, 80 queries): the same 96
 * conjectured bits, ~1.7x larger proofs, ~1.15-1.3x less proving time on long runs.
 * `compact` gives the same 96 conjectured bits with proofs about 0.6x standard's, for
 * several times the proving time (blowup 16); `test` is tiny and insecure, for unit tests
 * only, and every verifier rejects it unless the caller lowers its minimum explicitly.
 */
export const SECURITY = {
  standard: {
    name: 'standard',
    logBlowup: 2,
    nQueries: 40,
    powBits: 16,
    logLastLayerDegreeBound: 0,
    friFoldStep: 3,
  },
  fast: {
    name: 'fast',
    logBlowup: 1,
    nQueries: 80,
    powBits: 16,
    logLastLayerDegreeBound: 0,
    friFoldStep: 3,
  },
  compact: {
    name: 'compact',
    logBlowup: 4,
    nQueries: 19,
    powBits: 20,
    logLastLayerDegreeBound: 2,
    friFoldStep: 4,
  },
  test: {
    name: 'test',
    logBlowup: 1,
    nQueries: 3,
    powBits: 1,
    logLastLayerDegreeBound: 0,
    friFoldStep: 2,
  },
} as const satisfies Record<string, PcsConfig>;

export type SecurityPreset = keyof typeof SECURITY;

export function securityBits(c: PcsConfig): number {
  return Math.min(c.nQueries * c.logBlowup + c.powBits, MAX_SECURITY_BITS);
}

/** Resolves a preset name or validates a custom config. */
export function resolveConfig(config: SecurityPreset | PcsConfig | undefined): PcsConfig {
  if (config === undefined) return SECURITY.standard;
  if (typeof config === 'string') {
    const c = (SECURITY as Record<string, PcsConfig>)[config];
    if (c === undefined) {
      throw new KernelError(
        `unknown security preset ${JSON.stringify(config)}; use one of ${Object.keys(SECURITY).join(', ')}`,
      );
    }
    return c;
  }
  validateConfig(config);
  return config;
}

export function validateConfig(c: PcsConfig): void {
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new KernelError(`invalid PCS config: ${what}`, { config: c });
  };
  check(
    Number.isInteger(c.logBlowup) && c.logBlowup >= 1 && c.logBlowup <= 8,
    'logBlowup must be in [1, 8]',
  );
  check(
    Number.isInteger(c.nQueries) && c.nQueries >= 1 && c.nQueries <= 512,
    'nQueries must be in [1, 512]',
  );
  check(
    Number.isInteger(c.powBits) && c.powBits >= 0 && c.powBits <= 32,
    'powBits must be in [0, 32]',
  );
  check(
    Number.isInteger(c.logLastLayerDegreeBound) &&
      c.logLastLayerDegreeBound >= 0 &&
      c.logLastLayerDegreeBound <= 10,
    'logLastLayerDegreeBound must be in [0, 10]',
  );
  check(
    Number.isInteger(c.friFoldStep) && c.friFoldStep >= 1 && c.friFoldStep <= 4,
    'friFoldStep must be in [1, 4]',
  );
  // The message names the rule, never the name: it may be a hostile proof's.
  check(
    typeof c.name === 'string' && CONFIG_NAME.test(c.name),
    'name must be 1 to 32 characters of a-z, 0-9, ".", "_" and "-", starting with a letter or digit',
  );
}
