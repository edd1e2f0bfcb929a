/**
 * Whether an ELF32 file has DWARF line info (a `.debug_line` section): what `-g` adds and what
 * C source lines would come from. The studio does not read DWARF: no small, well-kept DWARF
 * parser is on npm (the ones there are for WebAssembly or unmaintained), so the page says which
 * case the guest is in instead of showing source lines. Reads only the section headers and their
 * names, bounds-checked; a file it cannot read has no line info as far as it is concerned (the
 * VM's loader has already judged it as an executable).
 *
 * @example
 * hasDwarfLineInfo(readFileSync('guests/bin/fib.elf')); // false: built without -g
 */
export function hasDwarfLineInfo(elf: Uint8Array): boolean {
  if (elf.length < 52) return false;
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const shoff = view.getUint32(32, true);
  const shentsize = view.getUint16(46, true);
  const shnum = view.getUint16(48, true);
  const shstrndx = view.getUint16(50, true);
  if (shoff === 0 || shentsize < 40 || shstrndx >= shnum || shoff + shnum * shentsize > elf.length)
    return false;
  const names = shoff + shstrndx * shentsize;
  const namesOffset = view.getUint32(names + 16, true);
  const namesSize = view.getUint32(names + 20, true);
  if (namesOffset + namesSize > elf.length) return false;
  const wanted = new TextEncoder().encode('.debug_line\0');
  for (let i = 0; i < shnum; i++) {
    const at = view.getUint32(shoff + i * shentsize, true);
    if (at + wanted.length > namesSize) continue;
    const start = namesOffset + at;
    if (wanted.every((b, k) => elf[start + k] === b)) return true;
  }
  return false;
}
