import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import {
  ElfError,
  type ElfProgram,
  type LineTable,
  lineAt,
  readLineTable,
  type SourceFile,
} from '@nexus/vm';

/** An ELF's DWARF line table and where each source file it names is on this machine. */
export interface SourceLines {
  readonly table: LineTable;
  /** Per file of `table.files`: its absolute path when the file exists, else undefined. */
  readonly found: readonly (string | undefined)[];
}

/**
 * Reads the line table of the ELF at `elfPath` and finds its source files: a file's DWARF path
 * (its compilation directory joined in), and when that does not exist its path without the
 * compilation directory, each taken relative to the ELF's directory when relative. Only regular
 * files that exist count. Undefined when the ELF has no line info; a `string` (why) when the
 * line info cannot be read.
 *
 * @example
 * const lines = sourceLines('guests/bin/fib.elf', bytes, program);
 * // fib's DWARF says ../c/fib.c (built with -fdebug-prefix-map): found as guests/c/fib.c
 */
export function sourceLines(
  elfPath: string,
  bytes: Uint8Array,
  program: ElfProgram,
): SourceLines | string | undefined {
  let table: LineTable | undefined;
  try {
    table = readLineTable(bytes, program);
  } catch (e) {
    if (e instanceof ElfError) return e.message;
    throw e;
  }
  if (table === undefined) return undefined;
  const base = dirname(resolve(elfPath));
  const found = table.files.map((f) =>
    [f.path, f.relative]
      .map((p) => (isAbsolute(p) ? p : resolve(base, p)))
      .find((p) => existsSync(p) && statSync(p).isFile()),
  );
  return { table, found };
}

/**
 * `file:line` of the instruction at `pc` for people: the file as found, relative to `cwd`, or the
 * DWARF path when it is not on this machine. Undefined when no line covers `pc`.
 */
export function sourceLineText(lines: SourceLines, pc: number, cwd: string): string | undefined {
  const where = lineAt(lines.table, pc);
  if (where === undefined) return undefined;
  return `${displayPath(lines, where.file, cwd)}:${where.line}`;
}

function displayPath(lines: SourceLines, file: SourceFile, cwd: string): string {
  const found = lines.found[lines.table.files.indexOf(file)];
  if (found === undefined) return file.path;
  const rel = relative(cwd, found);
  return rel.startsWith('..') ? found : rel;
}
