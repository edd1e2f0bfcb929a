import { gzipSync } from 'node:zlib';
import type { GuestProfile } from '@nexus/vm';
import { stackSamples } from './stacks.js';

/**
 * A minimal protocol-buffers writer for the few message shapes pprof needs: varints,
 * length-delimited fields and packed repeated varints (https://protobuf.dev/programming-guides/encoding/).
 */
class ProtoWriter {
  private readonly bytes: number[] = [];

  varint(v: number): void {
    // Values here are non-negative integers below 2^53; >>> would truncate them to 32 bits.
    let n = v;
    while (n >= 0x80) {
      this.bytes.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.bytes.push(n);
  }

  /** A varint field (wire type 0); zero values are left out, as proto3 does. */
  uint(field: number, v: number): void {
    if (v === 0) return;
    this.varint(field << 3);
    this.varint(v);
  }

  /** A length-delimited field (wire type 2): bytes, a string or an embedded message. */
  bytesField(field: number, data: Uint8Array | number[]): void {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    for (const b of data) this.bytes.push(b);
  }

  message(field: number, build: (w: ProtoWriter) => void): void {
    const inner = new ProtoWriter();
    build(inner);
    this.bytesField(field, inner.bytes);
  }

  packed(field: number, values: readonly number[]): void {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    this.bytesField(field, inner.bytes);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/**
 * The profile as pprof's profile.proto, gzipped (what `go tool pprof`, speedscope and many IDEs
 * open). Two sample types, cycles and cost; one location per function (its entry address), one
 * sample per call path with its self values, leaf first as pprof orders stacks.
 */
export function pprofBytes(profile: GuestProfile, elfName: string): Uint8Array {
  const strings = [''];
  const str = (s: string) => {
    let i = strings.indexOf(s);
    if (i < 0) i = strings.push(s) - 1;
    return i;
  };
  const w = new ProtoWriter();
  const types: [string, string][] = [['cycles', 'count']];
  if (profile.cost > 0) types.push(['cost', 'cells']);
  for (const [type, unit] of types) {
    w.message(1, (m) => {
      m.uint(1, str(type));
      m.uint(2, str(unit));
    });
  }
  for (const s of stackSamples(profile)) {
    w.message(2, (m) => {
      // Location and function ids are 1-based (0 means none): function k is id k + 1.
      m.packed(1, s.stack.map((f) => f + 1).reverse());
      m.packed(2, types.length === 2 ? [s.cycles, Math.round(s.cost)] : [s.cycles]);
    });
  }
  const mapping = 1;
  w.message(3, (m) => {
    m.uint(1, mapping);
    m.uint(5, str(elfName));
  });
  profile.functions.forEach((f, k) => {
    w.message(4, (m) => {
      m.uint(1, k + 1);
      m.uint(2, mapping);
      m.uint(3, f.address);
      m.message(4, (line) => line.uint(1, k + 1));
    });
  });
  profile.functions.forEach((f, k) => {
    w.message(5, (m) => {
      m.uint(1, k + 1);
      m.uint(2, str(f.name));
      m.uint(3, str(f.name));
      m.uint(4, str(elfName));
    });
  });
  for (const s of strings) w.bytesField(6, new TextEncoder().encode(s));
  return gzipSync(w.finish());
}
