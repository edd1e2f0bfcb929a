/**
 * Writes `.debug_line` units for tests: a header of any DWARF version 2 to 5 (32-bit DWARF,
 * GCC's line_base -5, line_range 14, opcode_base 13) and a program given as raw bytes built with
 * the opcode helpers below. DWARF 5 tables use inline strings (DW_FORM_string), so no other
 * section is needed.
 */

export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

export function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const u16 = (v: number) => [v & 0xff, (v >>> 8) & 0xff];
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const cstr = (s: string) => [...new TextEncoder().encode(s), 0];

/** Opcodes of a line program. */
export const op = {
  setAddress: (a: number) => [0, 5, 2, ...u32(a)],
  endSequence: () => [0, 1, 1],
  copy: () => [1],
  advancePc: (n: number) => [2, ...uleb(n)],
  advanceLine: (n: number) => [3, ...sleb(n)],
  setFile: (n: number) => [4, ...uleb(n)],
  setColumn: (n: number) => [5, ...uleb(n)],
  negateStmt: () => [6],
  constAddPc: () => [8],
  fixedAdvancePc: (n: number) => [9, ...u16(n)],
  /** A special opcode: address += addressDelta, line += lineDelta, append a row. */
  special: (addressDelta: number, lineDelta: number) => {
    const opcode = lineDelta + 5 + 14 * addressDelta + 13;
    if (lineDelta < -5 || lineDelta > 8 || opcode > 255) throw new Error('not a special opcode');
    return [opcode];
  },
  defineFile: (name: string, dir: number) => {
    const body = [3, ...cstr(name), ...uleb(dir), 0, 0];
    return [0, ...uleb(body.length), ...body];
  },
};

export interface UnitSpec {
  readonly version: 2 | 3 | 4 | 5;
  /** DWARF 5: entry 0 is the compilation directory; DWARF 2-4: include directories from 1. */
  readonly directories: readonly string[];
  /** DWARF 5: entry 0 is the primary file; DWARF 2-4: numbered from 1. */
  readonly files: readonly { name: string; dir: number }[];
  readonly program: readonly number[];
  /** DWARF 5: the directory paths in another form than DW_FORM_string, as raw entry bytes. */
  readonly rawDirectories?: { readonly form: number; readonly entries: readonly number[][] };
}

/** One unit: unit_length, the header, the program. */
export function lineUnit(spec: UnitSpec): Uint8Array {
  const { version } = spec;
  const fields: number[] = [1]; // minimum_instruction_length
  if (version >= 4) fields.push(1); // maximum_operations_per_instruction
  fields.push(1, 0xfb /* line_base -5 */, 14, 13, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1);
  if (version >= 5) {
    const raw = spec.rawDirectories;
    fields.push(1, ...uleb(1), ...uleb(raw?.form ?? 0x08)); // directory format: the path
    const entries = raw?.entries ?? spec.directories.map(cstr);
    fields.push(...uleb(entries.length));
    for (const d of entries) fields.push(...d);
    fields.push(2, ...uleb(1), ...uleb(0x08), ...uleb(2), ...uleb(0x0b)); // path, dir index
    fields.push(...uleb(spec.files.length));
    for (const f of spec.files) fields.push(...cstr(f.name), f.dir);
  } else {
    for (const d of spec.directories) fields.push(...cstr(d));
    fields.push(0);
    for (const f of spec.files) fields.push(...cstr(f.name), ...uleb(f.dir), 0, 0);
    fields.push(0);
  }
  const afterLength = [
    ...u16(version),
    ...(version >= 5 ? [4, 0] : []),
    ...u32(fields.length),
    ...fields,
    ...spec.program,
  ];
  return new Uint8Array([...u32(afterLength.length), ...afterLength]);
}

/** Units one after another, as in a linked `.debug_line`. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
