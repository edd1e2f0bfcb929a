import { NexusError } from '@nexus/field';
import {
  codeRomFor,
  type ElfProgram,
  type ElfSegment,
  type MemoryMap,
  type MemoryOptions,
  memoryMapFor,
  NOT_CODE,
  Op,
  PAGE_WORDS,
} from '@nexus/vm';

/** A program the zkVM cannot prove (the VM may still run it). */
export class ProgramError extends NexusError {}

/** Mapped memory must lie below 2^31 (word indices and addresses stay below p). */
export const MAX_MEMORY_END = 2 ** 31;
/** Code must lie below 2^30, so a jump target out of range can never alias a real pc mod p. */
export const MAX_CODE_END = 2 ** 30;

/**
 * What the proof is about, derived from the ELF: the decoded instructions (the program table),
 * the initial memory (file-backed words and zero-filled pages) and the initial register state.
 * It travels in the statement as a canonical encoding (`encodeProgram`): only what execution
 * depends on (segments, entry, the VM's stack region), so stripping symbols or debug sections
 * does not change it.
 */
export interface ZkvmProgram {
  readonly elf: ElfProgram;
  readonly memoryOptions: MemoryOptions;
  readonly map: MemoryMap;
  readonly entry: number;
  readonly initialSp: number;
  /** Legal instructions, ascending pc. */
  readonly instructions: {
    readonly pc: Uint32Array;
    readonly op: Uint8Array;
    readonly rd: Uint8Array;
    readonly rs1: Uint8Array;
    readonly rs2: Uint8Array;
    readonly imm: Int32Array;
  };
  /** Instruction index of a pc (-1 if none). */
  indexOfPc(pc: number): number;
  /** Words whose initial value comes from the file (all mapped words of pages with file bytes or partly mapped). */
  readonly image: {
    readonly widx: Uint32Array;
    readonly value: Uint32Array;
    readonly writable: Uint8Array;
  };
  /** Image row of a word index (-1 if none). */
  imageIndexOf(widx: number): number;
  /** Fully mapped pages without file bytes: they start zero-filled. */
  readonly zeroPages: { readonly page: Uint32Array; readonly writable: Uint8Array };
  zeroPageIndexOf(page: number): number;
}

const MAGIC = [0x4e, 0x58, 0x50, 0x47]; // "NXPG"

/** Canonical bytes of a program and the VM memory options it runs under. */
export function encodeProgram(elf: ElfProgram, memoryOptions: MemoryOptions = {}): Uint8Array {
  const parts: number[] = [...MAGIC, 1];
  const u32 = (v: number) =>
    parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  u32(elf.entry);
  const stack = memoryOptions.stack;
  if (stack === false) {
    parts.push(0);
    u32(0);
    u32(0);
  } else {
    parts.push(1);
    u32(stack?.top ?? 0);
    u32(stack?.size ?? 0);
  }
  u32(memoryOptions.maxMemoryBytes ?? 0);
  u32(elf.segments.length);
  const head = Uint8Array.from(parts);
  const chunks: Uint8Array[] = [head];
  for (const s of elf.segments) {
    const h = new Uint8Array(13);
    const v = new DataView(h.buffer);
    v.setUint32(0, s.vaddr, true);
    v.setUint32(4, s.memsz, true);
    v.setUint8(8, s.flags);
    v.setUint32(9, s.filesz, true);
    chunks.push(h, s.data.subarray(0, s.filesz));
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

const cache = new WeakMap<Uint8Array, ZkvmProgram>();

/**
 * Decodes a canonical program encoding and derives its tables (memoized per byte array: every
 * plugin reading the same statement shares one decoding).
 *
 * @throws ProgramError for malformed bytes or a memory map the zkVM cannot prove.
 */
export function decodeProgram(bytes: Uint8Array): ZkvmProgram {
  const hit = cache.get(bytes);
  if (hit) return hit;
  const fail = (m: string): never => {
    throw new ProgramError(`program encoding: ${m}`);
  };
  if (bytes.length < 26 || MAGIC.some((b, i) => bytes[i] !== b) || bytes[4] !== 1)
    fail('not a Nexus program (bad magic or version)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 5;
  const u32 = () => {
    if (o + 4 > bytes.length) fail('truncated');
    const v = view.getUint32(o, true);
    o += 4;
    return v;
  };
  const entry = u32();
  const hasStack = bytes[o++];
  const top = u32();
  const size = u32();
  const maxMemoryBytes = u32();
  const memoryOptions: MemoryOptions = {
    ...(hasStack === 0
      ? { stack: false as const }
      : top || size
        ? { stack: { ...(top ? { top } : {}), ...(size ? { size } : {}) } }
        : {}),
    ...(maxMemoryBytes ? { maxMemoryBytes } : {}),
  };
  const n = u32();
  if (n > 64) fail(`${n} segments`);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < n; i++) {
    const vaddr = u32();
    const memsz = u32();
    if (o >= bytes.length) fail('truncated');
    const flags = bytes[o++]!;
    const filesz = u32();
    if (filesz > memsz || o + filesz > bytes.length) fail('segment sizes');
    segments.push({
      vaddr,
      memsz,
      filesz,
      flags,
      executable: (flags & 1) !== 0,
      writable: (flags & 2) !== 0,
      data: bytes.subarray(o, o + filesz),
    });
    o += filesz;
  }
  if (o !== bytes.length) fail('trailing bytes');
  const elf: ElfProgram = { entry, segments, symbols: [], flags: 0 };
  const program = deriveTables(elf, memoryOptions);
  cache.set(bytes, program);
  return program;
}

function deriveTables(elf: ElfProgram, memoryOptions: MemoryOptions): ZkvmProgram {
  const map = memoryMapFor(elf, memoryOptions);
  for (const r of map.regions) {
    if (r.end > MAX_MEMORY_END) {
      throw new ProgramError(
        `the zkVM proves guests whose memory lies below 2 GiB; region [0x${r.start.toString(16)}, 0x${r.end.toString(16)}) reaches higher (move the stack with stack: { top } or relink)`,
      );
    }
    if (r.executable && r.end > MAX_CODE_END) {
      throw new ProgramError(
        'the zkVM proves guests whose code lies below 1 GiB; relink the guest lower',
      );
    }
  }
  // Instructions: every legal decoded slot of the executable segments.
  const rom = codeRomFor(elf);
  const pcs: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i < rom.length; i++) {
    const op = rom.op[i]!;
    if (op === NOT_CODE || op === Op.ILLEGAL) continue;
    pcs.push(rom.base + 4 * i);
    idx.push(i);
  }
  const instructions = {
    pc: Uint32Array.from(pcs),
    op: Uint8Array.from(idx, (i) => rom.op[i]!),
    rd: Uint8Array.from(idx, (i) => rom.rd[i]!),
    rs1: Uint8Array.from(idx, (i) => rom.rs1[i]!),
    rs2: Uint8Array.from(idx, (i) => rom.rs2[i]!),
    imm: Int32Array.from(idx, (i) => rom.imm[i]!),
  };
  const pcIndex = new Map<number, number>();
  for (let k = 0; k < pcs.length; k++) pcIndex.set(pcs[k]!, k);

  // Memory: pages with file bytes or only partly mapped go word by word into the image.
  const pageInfo = new Map<number, { mapped: number; file: boolean; writable: boolean }>();
  const note = (page: number, words: number, file: boolean, writable: boolean) => {
    const p = pageInfo.get(page) ?? { mapped: 0, file: false, writable };
    p.mapped += words;
    p.file ||= file;
    p.writable = writable;
    pageInfo.set(page, p);
  };
  const wordValue = new Map<number, number>();
  const wordWritable = new Map<number, boolean>();
  for (const r of map.regions) {
    const first = Math.floor(r.start / 4);
    const last = Math.ceil(r.end / 4); // exclusive
    for (let w = first; w < last; w++) {
      note(Math.floor(w / PAGE_WORDS), 1, false, r.writable);
      wordWritable.set(w, r.writable);
      wordValue.set(w, 0);
    }
  }
  for (const s of elf.segments) {
    for (let b = 0; b < s.filesz; b++) {
      const a = s.vaddr + b;
      const w = Math.floor(a / 4);
      const v = wordValue.get(w) ?? 0;
      wordValue.set(w, (v | (s.data[b]! << (8 * (a & 3)))) >>> 0);
      const p = pageInfo.get(Math.floor(w / PAGE_WORDS))!;
      p.file = true;
    }
  }
  const imageWords: number[] = [];
  const zero: number[] = [];
  for (const [page, info] of [...pageInfo.entries()].sort((a, b) => a[0] - b[0])) {
    if (info.file || info.mapped < PAGE_WORDS) {
      for (let w = page * PAGE_WORDS; w < (page + 1) * PAGE_WORDS; w++)
        if (wordValue.has(w)) imageWords.push(w);
    } else {
      zero.push(page);
    }
  }
  const image = {
    widx: Uint32Array.from(imageWords),
    value: Uint32Array.from(imageWords, (w) => wordValue.get(w)!),
    writable: Uint8Array.from(imageWords, (w) => (wordWritable.get(w) ? 1 : 0)),
  };
  const imageIndex = new Map<number, number>();
  for (let k = 0; k < imageWords.length; k++) imageIndex.set(imageWords[k]!, k);
  const zeroPages = {
    page: Uint32Array.from(zero),
    writable: Uint8Array.from(zero, (p) => (pageInfo.get(p)!.writable ? 1 : 0)),
  };
  const zeroIndex = new Map<number, number>();
  for (let k = 0; k < zero.length; k++) zeroIndex.set(zero[k]!, k);
  return {
    elf,
    memoryOptions,
    map,
    entry: elf.entry,
    initialSp: map.initialSp,
    instructions,
    indexOfPc: (pc) => pcIndex.get(pc) ?? -1,
    image,
    imageIndexOf: (w) => imageIndex.get(w) ?? -1,
    zeroPages,
    zeroPageIndexOf: (p) => zeroIndex.get(p) ?? -1,
  };
}
