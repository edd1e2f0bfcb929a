import type { ElfProgram } from '@nexus/vm';

/** A breakpoint as the user wrote it and the pc it stands for. */
export interface Breakpoint {
  readonly text: string;
  readonly pc: number;
}

/**
 * Parses a breakpoint: a hex address (`0x10074`), a symbol (`main`) or a symbol plus a hex
 * offset (`main+0x8`). Throws an Error whose message says what was wrong.
 */
export function parseBreakpoint(program: ElfProgram, input: string): Breakpoint {
  const text = input.trim();
  if (text === '') throw new Error('type an address (0x10074) or a function name (main)');
  if (/^0x[0-9a-f]+$/i.test(text)) {
    const pc = Number.parseInt(text.slice(2), 16);
    if (pc >= 2 ** 32) throw new Error(`${text} is not a 32-bit address`);
    if (pc % 4 !== 0) throw new Error(`${text} is not 4-byte aligned, so no instruction is there`);
    return { text, pc };
  }
  const match = /^([A-Za-z_.$][\w.$]*)(?:\+0x([0-9a-f]+))?$/i.exec(text);
  if (match === null) throw new Error(`'${text}' is neither an address (0x...) nor a symbol name`);
  const [, name, offset] = match;
  const symbol = program.symbols.find((s) => s.name === name && s.type !== 3 && s.type !== 4);
  if (symbol === undefined)
    throw new Error(
      program.symbols.length === 0
        ? `the ELF has no symbols (stripped): use an address`
        : `no symbol '${name}' in this ELF`,
    );
  const pc = (symbol.value + (offset === undefined ? 0 : Number.parseInt(offset, 16))) >>> 0;
  if (pc % 4 !== 0) throw new Error(`${text} = 0x${pc.toString(16)} is not 4-byte aligned`);
  return { text, pc };
}
