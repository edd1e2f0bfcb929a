import type { StatementLike } from './component.js';
import { KernelError } from './errors.js';

/**
 * What a proof claims, beyond "this system accepts some trace": named public byte strings
 * (for the zkVM: program commitment, public input, public output, exit code). Plugins turn it
 * into boundary bus entries and preprocessed columns; the channel absorbs all of it.
 */
export interface Statement extends StatementLike {
  readonly publicData: Readonly<Record<string, Uint8Array>>;
}

/** A statement from named byte strings (copied, keys validated). */
export function makeStatement(publicData: Record<string, Uint8Array> = {}): Statement {
  const out: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(publicData)) {
    if (!/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(k)) {
      throw new KernelError(
        `statement key ${JSON.stringify(k)} must be 1-64 letters, digits or _.- starting with a letter`,
      );
    }
    if (!(v instanceof Uint8Array))
      throw new KernelError(`statement value ${k} must be a Uint8Array`);
    out[k] = v.slice();
  }
  return Object.freeze({ publicData: Object.freeze(out) });
}

/** Canonical bytes: keys sorted, each as (u32 len, utf8 key, u32 len, bytes). */
export function encodeStatement(s: Statement): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const keys = Object.keys(s.publicData).sort();
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    return b;
  };
  parts.push(u32(keys.length));
  for (const k of keys) {
    const kb = enc.encode(k);
    const v = s.publicData[k]!;
    parts.push(u32(kb.length), kb, u32(v.length), v);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function statementsEqual(a: Statement, b: Statement): boolean {
  const x = encodeStatement(a);
  const y = encodeStatement(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
