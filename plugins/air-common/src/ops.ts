import { type Family, LOCAL_OPS, MNEMONICS } from '@nexus/vm';

/** The VM's global op ids of a family's local ops (records carry the local id). */
export function globalOps(family: Family): Int32Array {
  return Int32Array.from(LOCAL_OPS[family], (mnemonic) => {
    const id = MNEMONICS.indexOf(mnemonic);
    if (id < 0) throw new Error(`unknown mnemonic ${mnemonic}`);
    return id;
  });
}
