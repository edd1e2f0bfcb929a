import {
  ElfError,
  type ElfProgram,
  type LineTable,
  lineAt,
  readLineTable,
  type SourceFile,
} from '@nexus/vm';
import { hex32 } from './format.js';
import type { GuestFiles } from './guest-source.js';
import { type SourceTexts, sourceTexts } from './source-texts.js';
import { byId, el } from './ui/dom.js';

/** Lines shown before and after the current one. */
const CONTEXT = 7;

/**
 * The C source panel: the lines around the source line of the shown cycle's instruction, that
 * line marked, from the ELF's DWARF line table (`.debug_line`, read by @nexus/vm). The text
 * comes from the guest's `sources` (bundled with the examples, served by `nexus debug`); a file
 * that is not there is named, with the reason.
 */
export class SourcePanel {
  private table: LineTable | undefined;
  private guest: GuestFiles | undefined;
  private sources: SourceTexts | undefined;
  /** Texts by file index: a promise while loading, then the lines or undefined (missing). */
  private readonly texts = new Map<number, Promise<readonly string[] | undefined>>();
  private readonly loaded = new Map<number, readonly string[] | undefined>();
  /** The pc shown last, so a text that arrives late renders only if it is still wanted. */
  private pc: number | undefined;

  /** Reads the line table of a newly opened guest and says in the page what it has. */
  open(guest: GuestFiles, elf: Uint8Array, program: ElfProgram): void {
    this.guest = guest;
    this.sources = sourceTexts(guest.sources);
    this.table = undefined;
    this.texts.clear();
    this.loaded.clear();
    this.pc = undefined;
    let status: string;
    try {
      this.table = readLineTable(elf, program);
      status =
        this.table === undefined
          ? 'C source lines: none (built without -g: no source lines)'
          : `C source lines: from the ELF's DWARF line info (${this.table.files.length} files)`;
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
      status = `C source lines: none (this ELF's DWARF line info cannot be read: ${e.message})`;
    }
    byId('source-lines').textContent = status;
    byId('source-panel').hidden = this.table === undefined;
  }

  /** Shows the source around the line of the instruction at `pc` (undefined: before the first). */
  show(pc: number | undefined): void {
    this.pc = pc;
    const table = this.table;
    if (table === undefined) return;
    const where = pc === undefined ? undefined : lineAt(table, pc);
    const heading = byId('source-where');
    const body = byId('source');
    if (pc === undefined || where === undefined) {
      heading.textContent = pc === undefined ? '' : `no source line for pc ${hex32(pc)}`;
      delete heading.dataset.file;
      delete heading.dataset.line;
      body.replaceChildren();
      return;
    }
    heading.textContent = `${where.file.path}:${where.line}`;
    heading.dataset.file = where.file.path;
    heading.dataset.line = String(where.line);
    const index = table.files.indexOf(where.file);
    if (!this.loaded.has(index)) {
      body.replaceChildren(el('tr', {}, el('td', { class: 'muted' }, 'loading…')));
      void this.load(index, where.file).then(() => {
        if (this.pc === pc) this.show(pc);
      });
      return;
    }
    const lines = this.loaded.get(index);
    if (lines === undefined) {
      const why =
        this.sources?.missing ??
        'no source files come with a dropped ELF (open it with nexus debug to see them)';
      body.replaceChildren(
        el('tr', {}, el('td', { class: 'muted' }, `${where.file.path} is not available: ${why}`)),
      );
      return;
    }
    body.replaceChildren(...renderLines(lines, where.line));
  }

  /** Fetches a file's text once; a failure counts as missing. */
  private load(index: number, file: SourceFile): Promise<readonly string[] | undefined> {
    let text = this.texts.get(index);
    if (text === undefined) {
      const sources = this.sources;
      const guest = this.guest;
      text = (sources === undefined ? Promise.resolve(undefined) : sources.text(file, index))
        .catch(() => undefined)
        .then((t) => {
          const lines = t?.split(/\r?\n/);
          if (this.guest === guest) this.loaded.set(index, lines);
          return lines;
        });
      this.texts.set(index, text);
    }
    return text;
  }
}

/** Rows for the lines around `line` (1-based), that one marked; a line past the end is said. */
function renderLines(lines: readonly string[], line: number): HTMLElement[] {
  if (line === 0)
    return [
      el(
        'tr',
        {},
        el('td', { class: 'muted' }, 'line 0: the compiler attributes this instruction to no line'),
      ),
    ];
  if (line > lines.length)
    return [
      el(
        'tr',
        {},
        el(
          'td',
          { class: 'muted' },
          `the file has no line ${line} (it has ${lines.length}): not the file this ELF was built from?`,
        ),
      ),
    ];
  const from = Math.max(1, line - CONTEXT);
  const to = Math.min(lines.length, line + CONTEXT);
  const rows: HTMLElement[] = [];
  for (let n = from; n <= to; n++)
    rows.push(
      el(
        'tr',
        { class: n === line ? 'current' : undefined, 'data-line': String(n) },
        el('td', { class: 'line-number' }, String(n)),
        el('td', {}, el('code', {}, lines[n - 1]!)),
      ),
    );
  return rows;
}
