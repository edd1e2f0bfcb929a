import { asm, exit, li, read, write } from './asm.js';
import { buildElf } from './elf.js';

/**
 * A guest exercising every syscall: reads 3 public and 4 private input bytes (asking for more
 * than the tapes hold, so both reads come up short and a further read returns 0), stores a
 * word, writes the buffers to the output and the log, and exits with code 7.
 */
export function ioProgram(): Uint8Array {
  const buf = 0x20000;
  return buildElf({
    code: [
      ...li(11, buf),
      ...li(12, 16),
      ...read(3), // public input: short
      ...li(11, buf + 5),
      ...li(12, 16),
      ...read(0), // private input: short
      ...li(11, buf + 5),
      ...li(12, 16),
      ...read(0), // private tape ended: 0 bytes
      ...li(5, 0x41424344),
      ...li(6, buf + 12),
      asm.sw(5, 6, 0),
      ...li(11, buf),
      ...li(12, 16),
      ...write(1), // output: 16 bytes
      ...li(11, buf + 1),
      ...li(12, 3),
      ...write(2), // log: 3 bytes
      ...exit(7),
    ],
    data: Uint8Array.of(0xaa, 0xbb),
    dataBase: buf,
    bss: 64,
  });
}

export const IO_PUBLIC_INPUT = Uint8Array.of(1, 2, 3);
export const IO_PRIVATE_INPUT = Uint8Array.of(9, 8, 7, 6);
