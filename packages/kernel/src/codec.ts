import { KernelError, ProofFormatError } from './errors.js';

/** Whether typed arrays here are little-endian, as the format is (every engine this runs on). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Little-endian binary writer for the proof format. */
export class ByteWriter {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  private n = 0;

  private reserve(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.reserve(1);
    this.view.setUint8(this.n, v);
    this.n += 1;
  }
  u16(v: number): void {
    this.reserve(2);
    this.view.setUint16(this.n, v, true);
    this.n += 2;
  }
  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.n, v >>> 0, true);
    this.n += 4;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  /** A u32 count followed by the words. */
  words(w: ArrayLike<number>): void {
    this.u32(w.length);
    this.fixedWords(w);
  }
  /** Exactly `w.length` words, no count (fixed-size fields such as digests). */
  fixedWords(w: ArrayLike<number>): void {
    this.reserve(4 * w.length);
    if (w instanceof Uint32Array && LITTLE_ENDIAN) {
      // The words' own bytes are the format's: one copy (a proof's openings are most of it).
      this.buf.set(new Uint8Array(w.buffer, w.byteOffset, 4 * w.length), this.n);
      this.n += 4 * w.length;
      return;
    }
    for (let i = 0; i < w.length; i++) {
      this.view.setUint32(this.n, w[i]! >>> 0, true);
      this.n += 4;
    }
  }
  /** A u8 byte length then the UTF-8 bytes: at most 255 bytes (a longer one is refused). */
  string(s: string): void {
    const b = new TextEncoder().encode(s);
    if (b.length > 0xff)
      throw new KernelError(`a string of ${b.length} bytes does not fit: at most 255`);
    this.u8(b.length);
    this.bytes(b);
  }
  get length(): number {
    return this.n;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

/**
 * Defensive reader: every read checks the remaining length and names the section being read,
 * so a truncated or garbage proof is a ProofFormatError, never a RangeError or a huge
 * allocation.
 */
export class ByteReader {
  private readonly view: DataView;
  private n = 0;
  section = 'header';

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get offset(): number {
    return this.n;
  }
  get remaining(): number {
    return this.bytes.length - this.n;
  }
  private need(k: number): void {
    if (this.n + k > this.bytes.length) {
      throw new ProofFormatError(
        `proof is truncated: reading ${this.section} at byte ${this.n} needs ${k} more bytes, ${this.remaining} left`,
        { section: this.section, offset: this.n },
      );
    }
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.n++);
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.n, true);
    this.n += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.n, true);
    this.n += 4;
    return v;
  }
  bytesOf(k: number): Uint8Array {
    this.need(k);
    const b = this.bytes.slice(this.n, this.n + k);
    this.n += k;
    return b;
  }
  /** A u32 count then that many words; the count is checked against what is left first. */
  words(max = Number.POSITIVE_INFINITY): Uint32Array {
    const count = this.u32();
    if (count > max) {
      throw new ProofFormatError(
        `${this.section}: ${count} words is more than the ${max} allowed`,
        {
          section: this.section,
        },
      );
    }
    return this.fixedWords(count);
  }
  fixedWords(count: number): Uint32Array {
    this.need(4 * count);
    const out = new Uint32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getUint32(this.n + 4 * i, true);
    this.n += 4 * count;
    return out;
  }
  string(): string {
    const len = this.u8();
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(this.bytesOf(len));
    } catch (e) {
      if (e instanceof ProofFormatError) throw e;
      throw new ProofFormatError(`${this.section}: invalid UTF-8 text`, { section: this.section });
    }
  }
  expectEnd(): void {
    if (this.remaining !== 0) {
      throw new ProofFormatError(`${this.remaining} unexpected bytes after the end of the proof`, {
        offset: this.n,
      });
    }
  }
}
