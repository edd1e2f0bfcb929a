/** A growable byte buffer (the output tape, the debug log). */
export class ByteSink {
  private buf: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  push(b: number): void {
    if (this.length === this.buf.length) this.grow(this.length + 1);
    this.buf[this.length++] = b;
  }

  append(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buf.length) this.grow(this.length + bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  private grow(min: number): void {
    const next = new Uint8Array(Math.max(min, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** A copy of the bytes written so far. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Validates an input tape argument at the API boundary. */
export function asBytes(
  value: Uint8Array | undefined,
  what: string,
  ErrorClass: new (m: string) => Error,
): Uint8Array {
  if (value === undefined) return new Uint8Array(0);
  if (!(value instanceof Uint8Array))
    throw new ErrorClass(`${what} must be a Uint8Array (got ${typeof value})`);
  return value;
}
