import type { SourceFile } from '@nexus/vm';
import { EXAMPLE_SOURCES } from './example-sources.js';

/** Where a guest's C source files come from: `nexus debug`'s server, or the page's bundle. */
export type SourceOrigin = 'served' | 'bundled';

/** How the source panel gets the text of the files the ELF's line table names. */
export interface SourceTexts {
  /** The text of file `index` of the line table, or undefined when it is not available. */
  text(file: SourceFile, index: number): Promise<string | undefined>;
  /** Why a file may be missing, said in the page beside its name. */
  readonly missing: string;
}

/** `nexus debug` serves the files the line table names at guest/source/INDEX, when it found them. */
const SERVED_SOURCES: SourceTexts = {
  async text(_file, index) {
    const response = await fetch(`guest/source/${index}`);
    return response.ok ? response.text() : undefined;
  },
  missing:
    'nexus debug found no such file (it looks in the compilation directory the DWARF names, then relative to the ELF’s directory)',
};

/** The texts of a guest's sources, by origin; a dropped ELF (no origin) has none. */
export function sourceTexts(origin: SourceOrigin | undefined): SourceTexts | undefined {
  if (origin === 'served') return SERVED_SOURCES;
  if (origin === 'bundled') return EXAMPLE_SOURCES;
  return undefined;
}
