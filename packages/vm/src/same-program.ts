import { bytesEqual } from '@nexus/field';
import type { ElfProgram, ElfSegment } from './elf.js';

/**
 * Programs with the same segments have the same decoded ROM and memory map, so those are built
 * once per segment contents, not once per `ElfProgram` object. A prove builds both twice
 * otherwise: for the ELF it loads and runs, and for the program its statement decodes to (the
 * same segments, a new object), ~3 ms of every cold proof of a small guest. The objects built
 * are pure functions of the segments compared here (addresses, sizes, flags and file bytes),
 * so sharing them changes nothing but the time.
 */
const representativeOf = new WeakMap<ElfProgram, ElfProgram>();
/** The last programs seen with distinct segments (a few: they keep their bytes alive). */
const recent: ElfProgram[] = [];
const RECENT = 4;

/**
 * The first program seen (among the last few) whose segments equal `program`'s, or `program`
 * itself: the key under which `codeRomFor` and `memoryMapFor` cache what they build.
 */
export function representativeProgram(program: ElfProgram): ElfProgram {
  const known = representativeOf.get(program);
  if (known !== undefined) return known;
  let same = recent.find((p) => sameSegments(p.segments, program.segments));
  if (same === undefined) {
    same = program;
    recent.push(program);
    if (recent.length > RECENT) recent.shift();
  }
  representativeOf.set(program, same);
  return same;
}

function sameSegments(a: readonly ElfSegment[], b: readonly ElfSegment[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const s = a[k]!;
    const t = b[k]!;
    if (
      s.vaddr !== t.vaddr ||
      s.memsz !== t.memsz ||
      s.filesz !== t.filesz ||
      s.flags !== t.flags ||
      s.executable !== t.executable ||
      s.writable !== t.writable ||
      !bytesEqual(s.data, t.data)
    )
      return false;
  }
  return true;
}
