// The C sources of the bundled examples, for the source panel: Vite inlines each file's text.
// Keyed by the path the ELFs' DWARF names without the compilation directory (guests/build.sh
// compiles in guests/: c/fib.c, runtime/zkvm.c, ...).

import fibC from '../../../guests/c/fib.c?raw';
import ioC from '../../../guests/c/io.c?raw';
import sortC from '../../../guests/c/sort.c?raw';
import zkvmC from '../../../guests/runtime/zkvm.c?raw';
import zkvmH from '../../../guests/runtime/zkvm.h?raw';
import type { SourceTexts } from './source-texts.js';

const TEXTS: ReadonlyMap<string, string> = new Map([
  ['c/fib.c', fibC],
  ['c/sort.c', sortC],
  ['c/io.c', ioC],
  ['runtime/zkvm.c', zkvmC],
  ['runtime/zkvm.h', zkvmH],
]);

/** The bundled examples' own sources; libc's and libgcc's files are not bundled. */
export const EXAMPLE_SOURCES: SourceTexts = {
  text: async (file) => TEXTS.get(file.relative),
  missing: 'the studio bundles the examples’ own C files, not those of picolibc or libgcc',
};
