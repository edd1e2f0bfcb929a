import {
  FD_PRIVATE_INPUT,
  FD_PUBLIC_INPUT,
  type Machine,
  Op,
  REGISTER_NAMES,
  SYS_EXIT,
  SYS_READ,
  writesRd,
} from '@nexus/vm';

/** What "previous/next write" looks for: a register, or the memory word holding an address. */
export type WriteTarget =
  | { readonly kind: 'register'; readonly reg: number }
  | { readonly kind: 'memory'; readonly address: number };

/** `a0` or `word 0x0001f000`. */
export function describeTarget(t: WriteTarget): string {
  return t.kind === 'register'
    ? REGISTER_NAMES[t.reg]!
    : `word 0x${((t.address & ~3) >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Whether the instruction `m` is about to execute writes `target`, decided from the decoded ROM
 * and the registers before it runs (so a write of the value already there counts too, which
 * comparing states before and after would miss). The ecalls that write are read (the buffer,
 * and a0), write (a0) and the machine's precompiles (a0, and the words of their written regions).
 */
export function writesTarget(m: Machine, target: WriteTarget): boolean {
  const wi = m.rom.indexOf(m.pc);
  if (wi < 0) return false;
  const op = m.rom.op[wi]!;
  const x = m.x;
  if (target.kind === 'register') {
    if (target.reg === 0) return false;
    if (op === Op.ECALL) return target.reg === 10 && x[17] !== SYS_EXIT;
    return writesRd(op) && m.rom.rd[wi] === target.reg;
  }
  const word = (target.address & ~3) >>> 0;
  if (op >= Op.SB && op <= Op.SW) {
    return ((x[m.rom.rs1[wi]!]! + m.rom.imm[wi]!) & ~3) >>> 0 === word;
  }
  if (op === Op.ECALL && x[17] === SYS_READ) {
    const fd = x[10]!;
    const tape =
      fd === FD_PUBLIC_INPUT ? m.publicInput : fd === FD_PRIVATE_INPUT ? m.privateInput : undefined;
    if (tape === undefined) return false;
    const pos = fd === FD_PUBLIC_INPUT ? m.publicInputPos : m.privateInputPos;
    const n = Math.min(x[12]! >>> 0, tape.length - pos);
    const start = x[11]! >>> 0;
    // Bytes [start, start + n) overlap the word [word, word + 4).
    return n > 0 && start < word + 4 && word < start + n;
  }
  const precompile = op === Op.ECALL ? m.precompiles.get(x[17]!) : undefined;
  if (precompile !== undefined) {
    // Each written region is `words` words at the (aligned) address in argument register a<arg>.
    return precompile.regions.some((r) => {
      if (!r.writes) return false;
      const start = x[10 + r.arg]! >>> 0;
      return word >= start && word < start + 4 * r.words;
    });
  }
  return false;
}
