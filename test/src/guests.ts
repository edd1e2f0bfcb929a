import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A bundled guest ELF from guests/bin. */
export function guest(name: string): Uint8Array {
  return new Uint8Array(
    readFileSync(fileURLToPath(new URL(`../../guests/bin/${name}.elf`, import.meta.url))),
  );
}

export const u32 = (v: number) =>
  Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
