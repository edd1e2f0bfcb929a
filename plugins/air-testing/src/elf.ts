/**
 * Writes a minimal static ELF32 little-endian RISC-V executable: a text segment (R+X) holding
 * the code words at `textBase` and, optionally, a data segment (R+W) with initial bytes and
 * zero-filled space after them. The entry point is the first instruction.
 */
export interface ElfSpec {
  readonly code: readonly number[];
  readonly textBase?: number;
  readonly data?: Uint8Array;
  readonly dataBase?: number;
  /** Bytes of zero-filled memory after the data (bss). */
  readonly bss?: number;
}

export function buildElf(spec: ElfSpec): Uint8Array {
  const textBase = spec.textBase ?? 0x10000;
  const text = new Uint8Array(spec.code.length * 4);
  const tv = new DataView(text.buffer);
  for (let k = 0; k < spec.code.length; k++) tv.setUint32(4 * k, spec.code[k]! >>> 0, true);
  const data = spec.data ?? new Uint8Array(0);
  const hasData = data.length > 0 || (spec.bss ?? 0) > 0;
  const dataBase = spec.dataBase ?? 0x20000;
  const phnum = hasData ? 2 : 1;
  const ehsize = 52;
  const phentsize = 32;
  const textOff = 0x1000;
  const dataOff = textOff + Math.ceil(text.length / 0x1000 + 1) * 0x1000;
  const size = hasData ? dataOff + data.length : textOff + text.length;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 243, true); // EM_RISCV
  v.setUint32(20, 1, true);
  v.setUint32(24, textBase, true); // entry
  v.setUint32(28, ehsize, true); // phoff
  v.setUint32(32, 0, true); // shoff
  v.setUint32(36, 0, true); // flags
  v.setUint16(40, ehsize, true);
  v.setUint16(42, phentsize, true);
  v.setUint16(44, phnum, true);
  v.setUint16(46, 40, true);
  v.setUint16(48, 0, true);
  v.setUint16(50, 0, true);
  const ph = (
    k: number,
    off: number,
    vaddr: number,
    filesz: number,
    memsz: number,
    flags: number,
  ) => {
    const o = ehsize + k * phentsize;
    v.setUint32(o, 1, true); // PT_LOAD
    v.setUint32(o + 4, off, true);
    v.setUint32(o + 8, vaddr, true);
    v.setUint32(o + 12, vaddr, true);
    v.setUint32(o + 16, filesz, true);
    v.setUint32(o + 20, memsz, true);
    v.setUint32(o + 24, flags, true);
    v.setUint32(o + 28, 0x1000, true);
  };
  ph(0, textOff, textBase, text.length, text.length, 5);
  out.set(text, textOff);
  if (hasData) {
    ph(1, dataOff, dataBase, data.length, data.length + (spec.bss ?? 0), 6);
    out.set(data, dataOff);
  }
  return out;
}
