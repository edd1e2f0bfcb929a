import { KERNELS_WASM_BASE64 } from './generated/kernels-wasm.js';

/** The part of a WebAssembly memory used here (typed locally: the project's lib has no DOM). */
export interface LinearMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The part of the global `WebAssembly` object used here. */
export interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}

/** The exports of assembly/index.ts: kernels over byte addresses in `memory`. */
export interface KernelExports {
  readonly memory: LinearMemory;
  heapBase(): number;
  inverseLayers(a: number, logSize: number, layers: number, tw: number): void;
  forwardLayers(a: number, logSize: number, layers: number, tw: number): void;
  scaleByInversePow2(a: number, n: number, logSize: number): void;
  repeat(a: number, len: number, total: number): void;
  rowsToStorage(src: number, dst: number, logSize: number): void;
  shiftStoragePositions(out: number, domainLog: number, ldeLog: number, shift: number): number;
  qm31Mul(a: number, b: number, out: number, n: number): void;
  qm31MulM31(a: number, m: number, out: number, n: number): void;
  qm31MulSub(a: number, b: number, c: number, out: number, n: number): void;
  qm31MulM31Add(acc: number, a: number, m: number, n: number): void;
  qm31MulM31Pair(a: number, m: number, b: number, l: number, out: number, n: number): void;
  qm31ScaleAdd(
    acc: number,
    a: number,
    n: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
  ): void;
  qm31FoldPairs(
    v: number,
    t: number,
    out: number,
    half: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
  ): void;
  qm31BatchInversePrefix(a: number, prefix: number, n: number): number;
  qm31BatchInverseFinish(a: number, prefix: number, n: number, inv: number): void;
  blake2sLayer(
    count: number,
    children: number,
    cols: number,
    nCols: number,
    iv: number,
    out: number,
    work: number,
  ): void;
  blake2sBytes(data: number, len: number, iv: number, out: number, work: number): void;
  blake2sGrind(
    seed: number,
    bits: number,
    start: number,
    limit: number,
    iv: number,
    work: number,
  ): number;
  qm31DotWeights(cols: number, count: number, w: number, n: number, out: number): void;
  qm31LinearCombination(
    out: number,
    n: number,
    cols: number,
    alphas: number,
    count: number,
    c: number,
    accumulate: boolean,
  ): void;
  columnwiseRun(
    program: number,
    length: number,
    n: number,
    registers: number,
    acc: number,
    coeffs: number,
    flags: number,
  ): void;
  /** 1 when every word is below p, else 0. */
  allCanonical(a: number, words: number): number;
  columnwiseFinish(acc: number, factor: number, out: number, n: number): void;
  m31Sum(a: number, n: number): number;
  qm31Weights(w: number, logSize: number, factors: number): void;
  m31RunningSum(a: number, n: number, step: number, out: number): void;
}

/** Node's Buffer, where the runtime has one (not in a browser). */
const NodeBuffer = (
  globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array } }
).Buffer;

/**
 * Base64 to bytes: Node's Buffer where there is one (native; the loop below runs cold over
 * ~44 KB in every process and thread that loads the kernels, ~3 ms), else `atob`, which
 * browsers (and Node >= 16) have.
 */
function decodeBase64(text: string): Uint8Array {
  if (typeof NodeBuffer?.from === 'function') return NodeBuffer.from(text, 'base64');
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Compiles and instantiates the kernels synchronously, or says why it cannot. The feature
 * check is `WebAssembly.validate` of the module itself: it uses SIMD (v128) instructions
 * throughout, so a runtime without SIMD rejects it, and the prover stays on TypeScript.
 * Synchronous compilation is fine in Node and in a Web Worker (where the prover runs in a
 * browser); a browser's main thread limits it to small modules.
 */
export function loadKernels(
  wasm: WebAssemblyApi | undefined = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly,
): { exports: KernelExports; reason: null } | { exports: null; reason: string } {
  if (typeof wasm !== 'object' || typeof wasm.Module !== 'function') {
    return { exports: null, reason: 'this runtime has no WebAssembly' };
  }
  const bytes = decodeBase64(KERNELS_WASM_BASE64);
  if (!wasm.validate(bytes)) {
    return { exports: null, reason: 'this runtime has WebAssembly without SIMD (v128)' };
  }
  try {
    const instance = new wasm.Instance(new wasm.Module(bytes), {});
    return { exports: instance.exports as unknown as KernelExports, reason: null };
  } catch (e) {
    return { exports: null, reason: `the kernels failed to load: ${(e as Error).message}` };
  }
}

const loaded = loadKernels();

/** The kernels' exports, or null where the runtime cannot run them (see {@link unavailableReason}). */
export const kernelExports: KernelExports | null = loaded.exports;

/** Why the kernels are not available, or null when they are. */
export const unavailableReason: string | null = loaded.reason;
