import type { Column } from './column.js';
import { P } from './m31.js';

/*
 * The two butterfly loops every FFT in the project is made of (circle FFT, line FFT). Kept in
 * one file so a WebAssembly kernel can replace exactly these two functions. The M31 arithmetic
 * is written inline and branchless (see m31.ts for why).
 */

/**
 * Inverse butterflies of one layer: (v0, v1) -> (v0 + v1, (v0 - v1)·t) for pairs at distance
 * 2^layer, with twiddle tw[b] for block b.
 */
export function inverseLayer(a: Column, layer: number, tw: Column): void {
  const h = 1 << layer;
  const n = a.length;
  for (let base = 0, b = 0; base < n; base += 2 * h, b++) {
    const t = tw[b]!;
    const end = base + h;
    for (let i = base; i < end; i++) {
      const v0 = a[i]!;
      const v1 = a[i + h]!;
      const s = (v0 + v1 - P) | 0;
      a[i] = s + ((s >> 31) & P);
      let d = (v0 - v1) | 0;
      d += (d >> 31) & P;
      const lo = Math.imul(d, t) & P;
      const r = (lo + (Math.round((d * t - lo) * 4.656612873077393e-10) | 0) - P) | 0;
      a[i + h] = r + ((r >> 31) & P);
    }
  }
}

/** Forward butterflies of one layer: (v0, v1) -> (v0 + t·v1, v0 - t·v1). */
export function forwardLayer(a: Column, layer: number, tw: Column): void {
  const h = 1 << layer;
  const n = a.length;
  for (let base = 0, b = 0; base < n; base += 2 * h, b++) {
    const t = tw[b]!;
    const end = base + h;
    for (let i = base; i < end; i++) {
      const v0 = a[i]!;
      const v1 = a[i + h]!;
      const lo = Math.imul(v1, t) & P;
      let m = (lo + (Math.round((v1 * t - lo) * 4.656612873077393e-10) | 0) - P) | 0;
      m += (m >> 31) & P;
      const s = (v0 + m - P) | 0;
      a[i] = s + ((s >> 31) & P);
      const d = (v0 - m) | 0;
      a[i + h] = d + ((d >> 31) & P);
    }
  }
}
