import type { ZkvmPhase } from '@nexus/sdk';

/** What the page asks the worker: prove a guest on its tapes, or verify a proof file. */
export type ProverRequest =
  | {
      readonly kind: 'prove';
      readonly elf: Uint8Array;
      readonly publicInput: Uint8Array;
      readonly privateInput: Uint8Array;
    }
  | { readonly kind: 'verify'; readonly file: Uint8Array; readonly elf: Uint8Array };

/** What a verified proof file claims. */
export interface VerifiedClaim {
  readonly exitCode: number;
  readonly publicInput: Uint8Array;
  readonly publicOutput: Uint8Array;
}

/** What the worker reports: progress, then the result or an error. */
export type ProverMessage =
  | { readonly type: 'progress'; readonly phase: ZkvmPhase; readonly fraction: number }
  | {
      readonly type: 'proved';
      /** The proof file, in the format `nexus prove` writes and `nexus verify` reads. */
      readonly file: Uint8Array;
      readonly cycles: number;
      readonly exitCode: number;
      readonly publicOutput: Uint8Array;
      readonly proveMs: number;
      readonly verifyMs: number;
      /** Threads the proof was split over (the prover's Web Worker and its pool's). */
      readonly threads: number;
      /** Why the proof stayed on one thread, or null when it was split. */
      readonly oneThreadWhy: string | null;
    }
  | { readonly type: 'verified'; readonly claim: VerifiedClaim; readonly verifyMs: number }
  | { readonly type: 'error'; readonly name: string; readonly message: string };
