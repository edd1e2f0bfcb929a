import { NexusError } from '@nexus/field';
import { makeStatement, type Statement, type StatementLike } from '@nexus/kernel';
import { decodeProgram, type ZkvmProgram } from './program.js';

/**
 * The zkVM statement, as the kernel's named public byte strings: the canonical program (see
 * program.ts), the public input tape, the public output tape and the exit code (4 bytes, LE).
 */
export const STATEMENT_KEYS = {
  program: 'program',
  publicInput: 'publicInput',
  publicOutput: 'publicOutput',
  exitCode: 'exitCode',
} as const;

export interface ZkvmClaim {
  readonly program: Uint8Array;
  readonly publicInput: Uint8Array;
  readonly publicOutput: Uint8Array;
  /** The guest's exit code as an unsigned 32-bit value. */
  readonly exitCode: number;
}

export class StatementError extends NexusError {}

export function zkvmStatement(claim: ZkvmClaim): Statement {
  const code = new Uint8Array(4);
  new DataView(code.buffer).setUint32(0, claim.exitCode >>> 0, true);
  return makeStatement({
    [STATEMENT_KEYS.program]: claim.program,
    [STATEMENT_KEYS.publicInput]: claim.publicInput,
    [STATEMENT_KEYS.publicOutput]: claim.publicOutput,
    [STATEMENT_KEYS.exitCode]: code,
  });
}

/** Reads the zkVM parts of a statement, with a clear error for a statement of another kind. */
export function readZkvmStatement(s: StatementLike): ZkvmClaim & { readonly decoded: ZkvmProgram } {
  const get = (k: string) => {
    const v = s.publicData[k];
    if (!(v instanceof Uint8Array)) {
      throw new StatementError(
        `the statement has no ${k}: it is not a zkVM statement (use zkvmStatement())`,
      );
    }
    return v;
  };
  const code = get(STATEMENT_KEYS.exitCode);
  if (code.length !== 4) throw new StatementError('the statement exit code must be 4 bytes');
  const program = get(STATEMENT_KEYS.program);
  return {
    program,
    publicInput: get(STATEMENT_KEYS.publicInput),
    publicOutput: get(STATEMENT_KEYS.publicOutput),
    exitCode: new DataView(code.buffer, code.byteOffset, 4).getUint32(0, true),
    decoded: decodeProgram(program),
  };
}
