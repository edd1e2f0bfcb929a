/**
 * Writes minimal static ELF32 little-endian RISC-V executables for tests: an ELF header, one
 * program header per segment, the segment bytes, and optionally a symbol table. Real enough for
 * qemu-riscv32 (segments page-aligned in file and memory) and for the VM's loader.
 */

export interface SegmentSpec {
  readonly vaddr: number;
  readonly data: Uint8Array;
  /** Defaults to data.length. */
  readonly memsz?: number;
  /** PF_X = 1, PF_W = 2, PF_R = 4. */
  readonly flags: number;
}

export interface ElfSpec {
  readonly entry: number;
  readonly segments: readonly SegmentSpec[];
  readonly symbols?: readonly { name: string; value: number; size?: number; type?: number }[];
}

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

const PAGE = 4096;

export function writeElf(spec: ElfSpec): Uint8Array {
  const phoff = 52;
  const phnum = spec.segments.length;
  let offset = phoff + 32 * phnum;
  // Linux (and so qemu) requires p_offset ≡ p_vaddr (mod page size).
  const placed = spec.segments.map((s) => {
    const want = s.vaddr % PAGE;
    offset = offset + ((want - (offset % PAGE) + PAGE) % PAGE);
    const at = offset;
    offset += s.data.length;
    return at;
  });
  // Symbol table: null symbol + entries, string table, section headers (null, symtab, strtab).
  const syms = spec.symbols ?? [];
  let shoff = 0;
  let symtabOff = 0;
  let strtabOff = 0;
  let strtab = new Uint8Array(0);
  const nameOffsets: number[] = [];
  if (syms.length > 0) {
    const enc = new TextEncoder();
    const parts: Uint8Array[] = [new Uint8Array(1)];
    let len = 1;
    for (const s of syms) {
      nameOffsets.push(len);
      const b = enc.encode(`${s.name}\0`);
      parts.push(b);
      len += b.length;
    }
    strtab = new Uint8Array(len);
    let o = 0;
    for (const p of parts) {
      strtab.set(p, o);
      o += p.length;
    }
    offset = (offset + 3) & ~3;
    symtabOff = offset;
    offset += 16 * (syms.length + 1);
    strtabOff = offset;
    offset += strtab.length;
    offset = (offset + 3) & ~3;
    shoff = offset;
    offset += 40 * 3;
  }
  const out = new Uint8Array(offset);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, 243, true); // EM_RISCV
  dv.setUint32(20, 1, true);
  dv.setUint32(24, spec.entry, true);
  dv.setUint32(28, phoff, true);
  dv.setUint32(32, shoff, true);
  dv.setUint32(36, 0, true); // e_flags: soft-float, no RVC
  dv.setUint16(40, 52, true);
  dv.setUint16(42, 32, true);
  dv.setUint16(44, phnum, true);
  dv.setUint16(46, 40, true);
  dv.setUint16(48, syms.length > 0 ? 3 : 0, true);
  dv.setUint16(50, 0, true);
  spec.segments.forEach((s, k) => {
    const o = phoff + 32 * k;
    dv.setUint32(o, 1, true); // PT_LOAD
    dv.setUint32(o + 4, placed[k]!, true);
    dv.setUint32(o + 8, s.vaddr, true);
    dv.setUint32(o + 12, s.vaddr, true);
    dv.setUint32(o + 16, s.data.length, true);
    dv.setUint32(o + 20, s.memsz ?? s.data.length, true);
    dv.setUint32(o + 24, s.flags, true);
    dv.setUint32(o + 28, PAGE, true);
    out.set(s.data, placed[k]!);
  });
  if (syms.length > 0) {
    syms.forEach((s, k) => {
      const o = symtabOff + 16 * (k + 1);
      dv.setUint32(o, nameOffsets[k]!, true);
      dv.setUint32(o + 4, s.value, true);
      dv.setUint32(o + 8, s.size ?? 0, true);
      out[o + 12] = (1 << 4) | (s.type ?? 0); // STB_GLOBAL
      dv.setUint16(o + 14, 1, true);
    });
    out.set(strtab, strtabOff);
    // section 1: .symtab
    let o = shoff + 40;
    dv.setUint32(o + 4, 2, true);
    dv.setUint32(o + 16, symtabOff, true);
    dv.setUint32(o + 20, 16 * (syms.length + 1), true);
    dv.setUint32(o + 24, 2, true); // sh_link -> strtab
    dv.setUint32(o + 28, 1, true);
    dv.setUint32(o + 36, 16, true);
    // section 2: .strtab
    o = shoff + 80;
    dv.setUint32(o + 4, 3, true);
    dv.setUint32(o + 16, strtabOff, true);
    dv.setUint32(o + 20, strtab.length, true);
  }
  return out;
}

export const CODE_BASE = 0x10000;
export const DATA_BASE = 0x40000;

/**
 * The usual test program: code at 0x10000 (R+X), a data segment at 0x40000 (R+W) of `dataSize`
 * bytes whose first bytes are `data`.
 */
export function programElf(
  code: Uint8Array,
  data: Uint8Array = new Uint8Array(0),
  dataSize = 4096,
): Uint8Array {
  return writeElf({
    entry: CODE_BASE,
    segments: [
      { vaddr: CODE_BASE, data: code, flags: PF_R | PF_X },
      { vaddr: DATA_BASE, data, memsz: Math.max(dataSize, data.length), flags: PF_R | PF_W },
    ],
  });
}
