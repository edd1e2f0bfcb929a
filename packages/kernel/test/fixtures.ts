import { blake2s as noble } from '@noble/hashes/blake2.js';
import type { Component, HashBackend, Plugin } from '../src/index.js';

/**
 * A minimal hash backend for kernel tests (the real one is a plugin package that depends on
 * the kernel, so the kernel's own tests use this small stand-in built on the same primitive).
 */
export function testHash(): HashBackend {
  const enc = new TextEncoder();
  const words = (w: ArrayLike<number>) => {
    const b = new Uint8Array(4 * w.length);
    const v = new DataView(b.buffer);
    for (let i = 0; i < w.length; i++) v.setUint32(4 * i, w[i]! >>> 0, true);
    return b;
  };
  const node = (
    children: readonly [Uint32Array, Uint32Array] | null,
    values: ArrayLike<number>,
  ) => {
    const msg = children
      ? [...children[0], ...children[1], ...Array.from(values)]
      : Array.from(values);
    const d = noble(words(msg), {
      dkLen: 32,
      personalization: enc.encode(children ? 'testnode' : 'testleaf'),
    });
    return new Uint32Array(d.buffer, d.byteOffset, 8).slice();
  };
  return {
    id: 'test-blake2s',
    hash: (data, tag) =>
      noble(data, {
        dkLen: 32,
        personalization: enc.encode(`test${tag}`.padEnd(8, '_').slice(0, 8)),
      }),
    merkleNode: node,
    merkleLayer(count, children, columns) {
      const out = new Uint32Array(8 * count);
      for (let j = 0; j < count; j++) {
        const kids: [Uint32Array, Uint32Array] | null = children
          ? [children.subarray(16 * j, 16 * j + 8), children.subarray(16 * j + 8, 16 * j + 16)]
          : null;
        out.set(
          node(
            kids,
            columns.map((c) => c[j]!),
          ),
          8 * j,
        );
      }
      return out;
    },
  };
}

export const testHashPlugin = (): Plugin => ({
  name: 'test-hash',
  version: '1.0.0',
  apply(host) {
    host.hooks.hashBackend.tap('test-hash', (r) => r.set(testHash()));
  },
});

/** A plugin registering the given components, its taps named with its name. */
export const plugin = (name: string, ...components: Component[]): Plugin => ({
  name,
  version: '1.0.0',
  apply(host) {
    host.hooks.components.tap(name, (r) => {
      for (const c of components) r.add(c);
    });
  },
});
