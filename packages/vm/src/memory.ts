import type { ElfProgram } from './elf.js';
import {
  type AccessKind,
  CodeWriteError,
  hex32,
  MisalignedAccessError,
  UnmappedAddressError,
  VmConfigError,
} from './errors.js';
import { representativeProgram } from './same-program.js';

/** One mapped address range [start, end) of the guest's memory. */
export interface MemoryRegion {
  readonly start: number;
  /** Exclusive end (may be 2^32). */
  readonly end: number;
  readonly writable: boolean;
  readonly executable: boolean;
  /** 'code', 'rodata', 'data' (ELF segments) or 'stack' (the VM's default stack region). */
  readonly kind: 'code' | 'rodata' | 'data' | 'stack';
}

/** Where the VM maps its default stack (riscv.md section 2). */
export interface StackOptions {
  /** Initial sp; the region is [top - size, top). Must be 16-byte aligned. Default 0x7f000000. */
  readonly top?: number;
  /** Bytes. Default 1 MiB. */
  readonly size?: number;
}

/** Options that fix the guest's memory map. */
export interface MemoryOptions {
  /**
   * The default stack region the VM maps for guests that do not bring their own (sp starts at
   * its top). `false` maps none and starts sp at 0. Guests built with the project's runtime set
   * sp from a linker symbol and never touch this region.
   */
  readonly stack?: StackOptions | false;
  /** Upper bound on mapped memory (segments + stack), bytes. Default 1 GiB. */
  readonly maxMemoryBytes?: number;
}

/**
 * The default stack ends at 0x7f000000 = 2^31 - 2^24, the top of the memory the zkVM proves
 * (MAX_MEMORY_END in @nexus/air-common): its AIRs take byte addresses as elements of the field
 * of p = 2^31 - 1, where 0x7fffffff is 0, so no mapped byte may reach p - 1. The VM itself
 * allows any map below 2^32.
 */
export const DEFAULT_STACK_TOP = 0x7f00_0000;
export const DEFAULT_STACK_SIZE = 1 << 20;
const DEFAULT_MAX_MEMORY = 1 << 30;

/** Pages of 4 KiB: 1024 words, 2^20 pages cover the 32-bit space. */
export const PAGE_SHIFT = 12;
export const PAGE_WORDS = 1024;
const PAGE_BYTES = 4096;
const PAGE_COUNT = 1 << 20;

/**
 * The memory map of a program: regions and page tables, immutable and shared by every run of the
 * same program. Storage is per run (`allocWords`): mapped pages are packed into one flat
 * `Int32Array` in address order, so the hot paths of both passes are two typed-array loads:
 * `p = ~readPage[a >>> 12]; words[(p << 10) | ((a >>> 2) & 1023)]`.
 *
 * The page tables hold the complement of a storage page (`~p`, negative) and 0 where the page is
 * not on the path they serve, so that `~entry` is the page or -1. A fresh table is then all
 * zeros, which the OS hands out without touching it: filling three 2^20-entry tables with -1
 * wrote 12 MiB, ~12 ms of every cold run of a small guest.
 *
 * A page is on the fast path only when the whole page is mapped (and, for `writePage`, writable);
 * pages a segment covers partially go through `checkAccess`, which checks every byte, so an
 * access past the end of a segment faults exactly as the spec says even inside a host page.
 */
export class MemoryMap {
  readonly regions: readonly MemoryRegion[];
  /** Page number of each storage page (ascending). */
  readonly pageNumbers: Int32Array;
  /** Bytes of each page covered by any region / by writable regions, until the tables exist. */
  #covered: Map<number, number> | null;
  #coveredWritable: Map<number, number> | null;
  #tables: { pageOf: Int32Array; readPage: Int32Array; writePage: Int32Array } | null = null;
  /** Initial sp (0 when no stack region is mapped). */
  readonly initialSp: number;
  readonly stackRegion: MemoryRegion | undefined;
  private readonly program: ElfProgram;

  constructor(program: ElfProgram, options: MemoryOptions = {}) {
    this.program = program;
    const regions: MemoryRegion[] = program.segments.map((s) => ({
      start: s.vaddr,
      end: s.vaddr + s.memsz,
      writable: s.writable,
      executable: s.executable,
      kind: s.executable ? 'code' : s.writable ? 'data' : 'rodata',
    }));
    let stackRegion: MemoryRegion | undefined;
    const stack = options.stack;
    if (stack !== false) {
      const top = stack?.top ?? DEFAULT_STACK_TOP;
      const size = stack?.size ?? DEFAULT_STACK_SIZE;
      if (!Number.isInteger(top) || top <= 0 || top > 2 ** 32 || top % 16 !== 0) {
        throw new VmConfigError(`stack top ${top} must be a 16-byte aligned address in (0, 2^32]`, {
          top,
        });
      }
      if (!Number.isInteger(size) || size <= 0 || size > top || size % 4 !== 0) {
        throw new VmConfigError(
          `stack size ${size} must be a positive multiple of 4 no larger than the stack top`,
          { size },
        );
      }
      stackRegion = {
        start: top - size,
        end: top,
        writable: true,
        executable: false,
        kind: 'stack',
      };
      for (const r of regions) {
        if (r.start < stackRegion.end && stackRegion.start < r.end) {
          throw new VmConfigError(
            `the VM's stack region [${hex32(stackRegion.start)}, ${hex32(top)}) overlaps the ELF segment [${hex32(r.start)}, ${hex32(r.end)}): move it with stack: { top } or disable it with stack: false`,
          );
        }
      }
      regions.push(stackRegion);
      regions.sort((a, b) => a.start - b.start);
    }
    this.regions = regions;
    this.stackRegion = stackRegion;
    this.initialSp = stackRegion === undefined ? 0 : stackRegion.end >>> 0;

    let total = 0;
    for (const r of regions) total += r.end - r.start;
    const max = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY;
    if (total > max) {
      throw new VmConfigError(
        `the program maps ${total} bytes (segments + stack), more than the VM's limit of ${max}: raise maxMemoryBytes or shrink the guest's segments`,
        { total, max },
      );
    }
    // Bytes of each page covered by any region / by writable regions (regions never overlap,
    // so sums are exact and "== 4096" means "fully covered").
    const covered = new Map<number, number>();
    const coveredW = new Map<number, number>();
    for (const r of regions) {
      for (let pn = Math.floor(r.start / PAGE_BYTES); pn * PAGE_BYTES < r.end; pn++) {
        const lo = Math.max(r.start, pn * PAGE_BYTES);
        const hi = Math.min(r.end, (pn + 1) * PAGE_BYTES);
        covered.set(pn, (covered.get(pn) ?? 0) + hi - lo);
        if (r.writable) coveredW.set(pn, (coveredW.get(pn) ?? 0) + hi - lo);
      }
    }
    this.pageNumbers = Int32Array.from([...covered.keys()].sort((a, b) => a - b));
    this.#covered = covered;
    this.#coveredWritable = coveredW;
  }

  /** `~` the storage page of every page number touched by a region, else 0 (`~entry`: -1). */
  get pageOf(): Int32Array {
    return this.#pageTables().pageOf;
  }

  /** `~` the storage page when the whole page is mapped, else 0 (`~entry`: -1, the slow path). */
  get readPage(): Int32Array {
    return this.#pageTables().readPage;
  }

  /** `~` the storage page when the whole page is mapped writable, else 0 (-1: slow path). */
  get writePage(): Int32Array {
    return this.#pageTables().writePage;
  }

  /**
   * The page tables, built on first use: three tables of 2^20 entries, which what only reads
   * the regions (the verifier decoding a program) never needs.
   */
  #pageTables(): { pageOf: Int32Array; readPage: Int32Array; writePage: Int32Array } {
    if (this.#tables !== null) return this.#tables;
    const covered = this.#covered!;
    const coveredW = this.#coveredWritable!;
    const pageOf = new Int32Array(PAGE_COUNT);
    const readPage = new Int32Array(PAGE_COUNT);
    const writePage = new Int32Array(PAGE_COUNT);
    this.pageNumbers.forEach((pn, i) => {
      pageOf[pn] = ~i;
      if (covered.get(pn) === PAGE_BYTES) readPage[pn] = ~i;
      if (coveredW.get(pn) === PAGE_BYTES) writePage[pn] = ~i;
    });
    this.#tables = { pageOf, readPage, writePage };
    this.#covered = null;
    this.#coveredWritable = null;
    return this.#tables;
  }

  /** Words of storage a run needs (all mapped pages). */
  get storageWords(): number {
    return this.pageNumbers.length * PAGE_WORDS;
  }

  /**
   * Fresh storage for one run: zeroes everywhere, then every segment's file bytes. Only the file
   * bytes are copied, so a large zero-filled heap costs nothing until the guest touches it.
   */
  allocWords(): Int32Array {
    const words = new Int32Array(this.storageWords);
    const bytes = new Uint8Array(words.buffer);
    for (const s of this.program.segments) {
      // Pages of one segment are consecutive page numbers, hence consecutive storage pages.
      if (s.filesz === 0) continue;
      const first = ~this.pageOf[s.vaddr >>> PAGE_SHIFT]!;
      bytes.set(s.data, first * PAGE_BYTES + (s.vaddr % PAGE_BYTES));
    }
    return words;
  }

  /** The region holding byte address `a`, or undefined. */
  regionAt(a: number): MemoryRegion | undefined {
    const rs = this.regions;
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = rs[mid]!;
      if (a < r.start) hi = mid - 1;
      else if (a >= r.end) lo = mid + 1;
      else return r;
    }
    return undefined;
  }

  /** Storage word index of the (mapped) word holding byte address `a`, or -1. */
  wordIndex(a: number): number {
    const p = ~this.pageOf[a >>> PAGE_SHIFT]!;
    return p < 0 ? -1 : (p << 10) | ((a >>> 2) & 1023);
  }

  /**
   * The slow path of every access: checks alignment and that every byte is mapped (and writable
   * for a store), throws the fault naming pc otherwise, and returns the storage word index.
   */
  checkAccess(pc: number, a: number, size: number, kind: AccessKind): number {
    a >>>= 0;
    if ((a & (size - 1)) !== 0) throw new MisalignedAccessError(pc, a, kind, size);
    for (let b = 0; b < size; b++) {
      const r = this.regionAt(a + b);
      if (r === undefined) throw new UnmappedAddressError(pc, a + b, kind, size);
      if (kind === 'store' && !r.writable) throw new CodeWriteError(pc, a + b, r.kind);
    }
    return this.wordIndex(a);
  }

  /**
   * Checks a syscall's buffer [a, a + len) before any byte moves: every byte mapped (and
   * writable when `kind` is 'store'); throws the fault for the first bad byte. Walking regions
   * (not bytes) keeps a huge bogus length from costing time or memory.
   */
  checkRange(pc: number, a: number, len: number, kind: AccessKind): void {
    let cur = a >>> 0;
    const end = cur + len;
    while (cur < end) {
      if (cur >= 2 ** 32) throw new UnmappedAddressError(pc, cur, kind, 1);
      const r = this.regionAt(cur);
      if (r === undefined) throw new UnmappedAddressError(pc, cur, kind, 1);
      if (kind === 'store' && !r.writable) throw new CodeWriteError(pc, cur, r.kind);
      cur = r.end;
    }
  }

  /** Byte address of storage word index `i`. */
  addressOf(i: number): number {
    return ((this.pageNumbers[i >>> 10]! << PAGE_SHIFT) | ((i & 1023) << 2)) >>> 0;
  }
}

const mapCache = new WeakMap<ElfProgram, Map<string, MemoryMap>>();

/**
 * The (cached) memory map of a program under the given options: one per segment contents
 * (`representativeProgram`) and options.
 */
export function memoryMapFor(program: ElfProgram, options: MemoryOptions = {}): MemoryMap {
  const key = JSON.stringify([options.stack ?? null, options.maxMemoryBytes ?? null]);
  let byKey = mapCache.get(program);
  if (byKey === undefined) {
    const same = representativeProgram(program);
    byKey = mapCache.get(same) ?? new Map<string, MemoryMap>();
    mapCache.set(same, byKey);
    mapCache.set(program, byKey);
  }
  let map = byKey.get(key);
  if (map === undefined) {
    map = new MemoryMap(program, options);
    byKey.set(key, map);
  }
  return map;
}
