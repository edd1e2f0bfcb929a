import { EXAMPLES } from './examples.js';
import type { ServedBuild } from './served-build.js';
import type { SourceOrigin } from './source-texts.js';

/** The files of a guest to debug, wherever they came from. */
export interface GuestFiles {
  /** Shown in the header; also the example's name in the URL when `example` is set. */
  readonly name: string;
  readonly elf: Uint8Array;
  readonly publicInput: Uint8Array;
  readonly privateInput: Uint8Array;
  /** Set when the guest is a bundled example, so the URL can name it. */
  readonly example?: string;
  /**
   * Where its C source files come from, when they come with the guest (not for a dropped ELF).
   * A name, not the fetching code: the files of a guest are posted to workers.
   */
  readonly sources?: SourceOrigin;
  /**
   * The build `nexus debug` serves the guest with (its config's plugins). Absent: the page's
   * own default build (an example, a dropped ELF, a static host).
   */
  readonly build?: ServedBuild;
}

/**
 * The served build when it is a config's (stepping replays its extensions, the constraint view
 * asks nexus debug); undefined for the page's default build.
 */
export function configBuild(guest: GuestFiles | undefined): ServedBuild | undefined {
  const build = guest?.build;
  return build === undefined || build.config === null ? undefined : build;
}

/** What `nexus debug` serves at guest/manifest.json beside the guest's files. */
interface Manifest {
  readonly name: string;
}

async function fetchBytes(url: string, what: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${what} (${url}: HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * The guest `nexus debug` serves with the page, or undefined when the page comes from a plain
 * static host (no manifest there, or the host's fallback page instead of JSON).
 */
export async function servedGuest(): Promise<GuestFiles | undefined> {
  let manifest: Manifest;
  try {
    const response = await fetch('guest/manifest.json');
    if (!response.ok) return undefined;
    manifest = (await response.json()) as Manifest;
  } catch {
    return undefined;
  }
  if (typeof manifest?.name !== 'string') return undefined;
  const [elf, publicInput, privateInput, build] = await Promise.all([
    fetchBytes('guest/program.elf', 'the ELF'),
    fetchBytes('guest/public-input', 'the public input'),
    fetchBytes('guest/private-input', 'the private input'),
    fetch('guest/build.json').then(async (r) =>
      r.ok ? ((await r.json()) as ServedBuild) : undefined,
    ),
  ]);
  return {
    name: manifest.name,
    elf,
    publicInput,
    privateInput,
    sources: 'served',
    ...(build ? { build } : {}),
  };
}

/** A bundled example by name. */
export async function exampleGuest(name: string): Promise<GuestFiles> {
  const example = EXAMPLES.find((e) => e.name === name);
  if (example === undefined)
    throw new Error(
      `no example named '${name}' (there are ${EXAMPLES.map((e) => e.name).join(', ')})`,
    );
  return {
    name: `${example.name}.elf`,
    elf: await fetchBytes(example.url, `the example ${name}`),
    publicInput: example.publicInput,
    privateInput: example.privateInput,
    example: example.name,
    sources: 'bundled',
  };
}

/** An ELF the user opened or dropped. */
export async function fileGuest(file: File): Promise<GuestFiles> {
  return {
    name: file.name,
    elf: new Uint8Array(await file.arrayBuffer()),
    publicInput: new Uint8Array(0),
    privateInput: new Uint8Array(0),
  };
}
