/**
 * The reference line table: binutils' `objdump --dwarf=decodedline`, read into "which file
 * (base name) and line is the instruction at each address", independently of the reader under
 * test. (addr2line is not the reference: binutils 2.40's BFD answers `??` for functions of units
 * with DW_AT_ranges, and names the wrong file for some DWARF 5 file indices that objdump decodes
 * correctly.)
 */
import { execFileSync } from 'node:child_process';

const ROW = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+)(?:\s+\d+)?(?:\s+x)?\s*$/;

/**
 * address -> "basename:line" for every 4-byte address covered by a sequence starting in `code`.
 */
export function objdumpLines(
  elfPath: string,
  code: readonly { start: number; end: number }[],
): Map<number, string> {
  const text = execFileSync('riscv64-unknown-elf-objdump', ['--dwarf=decodedline', elfPath], {
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();
  const out = new Map<number, string>();
  let rows: { address: number; where: string }[] = [];
  for (const lineText of text.split('\n')) {
    const m = ROW.exec(lineText);
    if (m === null) continue;
    const address = Number.parseInt(m[3]!, 16);
    if (m[2] !== '-') {
      rows.push({ address, where: `${m[1]!.split('/').pop()}:${m[2]}` });
      continue;
    }
    // End of a sequence: each row covers the addresses up to the next row's.
    const start = rows[0]?.address;
    if (start !== undefined && code.some((c) => start >= c.start && start < c.end)) {
      rows.forEach((row, i) => {
        const next = rows[i + 1]?.address ?? address;
        for (let a = row.address; a < next; a += 4) out.set(a, row.where);
      });
    }
    rows = [];
  }
  return out;
}
