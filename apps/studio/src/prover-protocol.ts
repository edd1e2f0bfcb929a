import type { ZkvmPhase } from '@nexus/sdk';

/** What the page asks the proving worker: prove this guest on these tapes. */
export interface ProveRequest {
  readonly elf: Uint8Array;
  readonly publicInput: Uint8Array;
  readonly privateInput: Uint8Array;
}

/** What the worker reports: progress, then the verified proof file or an error. */
export type ProverMessage =
  | { readonly type: 'progress'; readonly phase: ZkvmPhase; readonly fraction: number }
  | {
      readonly type: 'done';
      /** The proof file, in the format `nexus prove` writes and `nexus verify` reads. */
      readonly file: Uint8Array;
      readonly cycles: number;
      readonly exitCode: number;
      readonly publicOutput: Uint8Array;
      readonly proveMs: number;
      readonly verifyMs: number;
    }
  | { readonly type: 'error'; readonly name: string; readonly message: string };
