import type { ElfProgram } from '@nexus/vm';

/** A function symbol of the ELF. */
export interface FunctionSymbol {
  readonly address: number;
  readonly name: string;
}

/** Function symbols (STT_FUNC) sorted by address, for "pc is in f + offset". */
export function functionIndex(program: ElfProgram): FunctionSymbol[] {
  return program.symbols
    .filter((s) => s.type === 2 && s.name !== '')
    .map((s) => ({ address: s.value >>> 0, name: s.name }))
    .sort((a, b) => a.address - b.address);
}

/** `f` or `f+0x1c` for the function `pc` is in (by the last symbol at or below it), else ''. */
export function functionAt(index: readonly FunctionSymbol[], pc: number): string {
  let lo = 0;
  let hi = index.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (index[mid]!.address <= pc) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best < 0) return '';
  const f = index[best]!;
  return pc === f.address ? f.name : `${f.name}+0x${(pc - f.address).toString(16)}`;
}

/** The names of the symbols at each address (functions and labels, for the disassembly). */
export function labelsByAddress(program: ElfProgram): Map<number, string> {
  const labels = new Map<number, string>();
  for (const s of program.symbols) {
    // Functions win over other symbols at the same address; sections and files are not labels.
    if (s.name === '' || s.type === 3 || s.type === 4) continue;
    const a = s.value >>> 0;
    if (!labels.has(a) || s.type === 2) labels.set(a, s.name);
  }
  return labels;
}
