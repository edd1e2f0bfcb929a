import { describe, expect, it } from 'vitest';
import { loadKernels, type WebAssemblyApi } from '../src/module.js';

describe('loader', () => {
  it('loads the kernels in Node 20 (WebAssembly with SIMD)', () => {
    const loaded = loadKernels();
    expect(loaded.reason).toBeNull();
    expect(typeof loaded.exports?.inverseLayers).toBe('function');
  });

  it('falls back with a reason where WebAssembly or SIMD is missing', () => {
    expect(loadKernels({} as WebAssemblyApi).reason).toMatch(/no WebAssembly/);
    const real = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
    // A runtime without SIMD rejects the module in validate().
    const noSimd: WebAssemblyApi = {
      ...real,
      validate: () => false,
      Module: real.Module,
      Instance: real.Instance,
    };
    const loaded = loadKernels(noSimd);
    expect(loaded.exports).toBeNull();
    expect(loaded.reason).toMatch(/without SIMD/);
  });
});
