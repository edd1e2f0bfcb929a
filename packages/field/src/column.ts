import { FieldError } from './errors.js';
import { inv, P } from './m31.js';

/**
 * A column: a `Uint32Array` of canonical M31 values. Columns are the unit every hot loop works
 * on, so they are plain typed arrays: a WebAssembly kernel can later run over the same bytes.
 */
export type Column = Uint32Array;

/**
 * Where new columns come from. The default allocates a fresh `Uint32Array`; a WebAssembly or
 * SharedArrayBuffer backend installs an allocator that carves columns out of one memory, so
 * kernels and workers read them without copying.
 */
export type ColumnAllocator = (length: number) => Column;

const defaultAllocator: ColumnAllocator = (length) => new Uint32Array(length);
let allocator: ColumnAllocator = defaultAllocator;

/**
 * Installs the allocator used by {@link allocColumn}; returns the previous one so a caller can
 * restore it. Pass `undefined` to go back to plain `Uint32Array`s.
 */
export function setColumnAllocator(next: ColumnAllocator | undefined): ColumnAllocator {
  const previous = allocator;
  allocator = next ?? defaultAllocator;
  return previous;
}

/** A zero-filled column of `length` elements from the current allocator. */
export function allocColumn(length: number): Column {
  if (!Number.isInteger(length) || length < 0) {
    throw new FieldError(`column length must be a non-negative integer, got ${length}`, {
      argument: 'length',
    });
  }
  const column = allocator(length);
  if (column.length !== length) {
    throw new FieldError(`column allocator returned ${column.length} elements, ${length} asked`);
  }
  return column;
}

/**
 * Builds a column from untrusted values, validating each one.
 *
 * @example columnFrom([1, 2, 3])
 * @throws FieldError naming the argument and the first bad index.
 */
export function columnFrom(values: ArrayLike<number>, name = 'values'): Column {
  const column = allocColumn(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= P) {
      throw new FieldError(
        `${name}[${i}] must be a canonical M31 element (an integer in [0, 2^31 - 1)), got ${v}`,
        { argument: name, index: i, value: v },
      );
    }
    column[i] = v;
  }
  return column;
}

/** Throws a FieldError naming `name` and the first index holding a value >= p. */
export function assertCanonical(column: Column, name = 'column'): void {
  for (let i = 0; i < column.length; i++) {
    if (column[i]! >= P) {
      throw new FieldError(
        `${name}[${i}] = ${column[i]} is not a canonical M31 element (must be < 2^31 - 1)`,
        { argument: name, index: i, value: column[i] },
      );
    }
  }
}

/** Throws unless `n` is a power of two (1, 2, 4, ...). */
export function assertPowerOfTwo(n: number, name: string): void {
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) {
    throw new FieldError(`${name} must be a power of two, got ${n}`, { argument: name, value: n });
  }
}

/** Throws unless every column has the length of the first. */
export function assertSameLength(columns: Record<string, ArrayLike<unknown>>): number {
  let length = -1;
  let first = '';
  for (const [name, column] of Object.entries(columns)) {
    if (length < 0) {
      length = column.length;
      first = name;
    } else if (column.length !== length) {
      throw new FieldError(
        `column lengths differ: ${first} has ${length} elements, ${name} has ${column.length}`,
        { argument: name, expected: length, actual: column.length },
      );
    }
  }
  return length;
}

function output(out: Column | undefined, length: number): Column {
  if (out === undefined) return allocColumn(length);
  if (out.length !== length) {
    throw new FieldError(`out has ${out.length} elements, ${length} needed`, { argument: 'out' });
  }
  return out;
}

/** Σ_i a[i] mod p. */
export function columnSum(a: Column): number {
  // Float sums of values below p are exact below 2^53: reduced every 2^20 terms.
  let acc = 0;
  for (let i = 0; i < a.length; i++) {
    acc += a[i]!;
    if ((i & 0xfffff) === 0xfffff) acc %= P;
  }
  return acc % P;
}

/**
 * out[i] = Σ_{j <= i} (a[j] - step) mod p: a running sum with a constant taken off every term
 * (the LogUp running-sum column). `out` may alias the input.
 */
export function columnRunningSum(a: Column, step: number, out?: Column): Column {
  const n = a.length;
  const r = output(out, n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const s = (acc + a[i]! - P) | 0;
    const t = (s + ((s >> 31) & P) - step) | 0;
    acc = t + ((t >> 31) & P);
    r[i] = acc;
  }
  return r;
}

/** out[i] = a[i] + b[i]. `out` may alias an input. */
export function columnAdd(a: Column, b: Column, out?: Column): Column {
  const n = assertSameLength({ a, b });
  const r = output(out, n);
  for (let i = 0; i < n; i++) {
    const t = (a[i]! + b[i]! - P) | 0;
    r[i] = t + ((t >> 31) & P);
  }
  return r;
}

/** out[i] = a[i] - b[i]. `out` may alias an input. */
export function columnSub(a: Column, b: Column, out?: Column): Column {
  const n = assertSameLength({ a, b });
  const r = output(out, n);
  for (let i = 0; i < n; i++) {
    const t = (a[i]! - b[i]!) | 0;
    r[i] = t + ((t >> 31) & P);
  }
  return r;
}

/** out[i] = -a[i]. `out` may alias the input. */
export function columnNeg(a: Column, out?: Column): Column {
  const n = a.length;
  const r = output(out, n);
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    r[i] = v === 0 ? 0 : P - v;
  }
  return r;
}

/** out[i] = a[i] * b[i]. `out` may alias an input. The branchless `mul` of m31.ts, inlined. */
export function columnMul(a: Column, b: Column, out?: Column): Column {
  const n = assertSameLength({ a, b });
  const r = output(out, n);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const lo = Math.imul(x, y) & P;
    const t = (lo + (Math.round((x * y - lo) * 4.656612873077393e-10) | 0) - P) | 0;
    r[i] = t + ((t >> 31) & P);
  }
  return r;
}

/** out[i] = a[i] * s for a scalar s. `out` may alias the input. */
export function columnScale(a: Column, s: number, out?: Column): Column {
  const n = a.length;
  const r = output(out, n);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const lo = Math.imul(x, s) & P;
    const t = (lo + (Math.round((x * s - lo) * 4.656612873077393e-10) | 0) - P) | 0;
    r[i] = t + ((t >> 31) & P);
  }
  return r;
}

/**
 * out[i] = a[i]^-1 for every i, with Montgomery's trick: one inversion and 3(n-1)
 * multiplications for the whole column. `out` may alias the input.
 *
 * @throws FieldError naming the first index holding 0.
 */
export function batchInverse(a: Column, out?: Column): Column {
  const n = a.length;
  const r = output(out, n);
  if (n === 0) return r;
  // prefix[i] = a[0] * ... * a[i]; kept in a scratch column so `out` may alias `a`.
  const prefix = new Uint32Array(n);
  let acc = 1;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    if (x === 0) {
      throw new FieldError(`cannot invert 0 at index ${i}`, { argument: 'a', index: i });
    }
    const lo = Math.imul(acc, x) & P;
    const t = (lo + (Math.round((acc * x - lo) * 4.656612873077393e-10) | 0) - P) | 0;
    acc = t + ((t >> 31) & P);
    prefix[i] = acc;
  }
  let invAcc = inv(acc);
  for (let i = n - 1; i > 0; i--) {
    const x = a[i]!;
    const before = prefix[i - 1]!;
    // a[i]^-1 = (a[0..i-1] product) * (a[0..i] product)^-1
    let lo = Math.imul(invAcc, before) & P;
    let t = (lo + (Math.round((invAcc * before - lo) * 4.656612873077393e-10) | 0) - P) | 0;
    r[i] = t + ((t >> 31) & P);
    lo = Math.imul(invAcc, x) & P;
    t = (lo + (Math.round((invAcc * x - lo) * 4.656612873077393e-10) | 0) - P) | 0;
    invAcc = t + ((t >> 31) & P);
  }
  r[0] = invAcc;
  return r;
}

/** out[i] = a[i]^e. */
export function columnPow(a: Column, exponent: number, out?: Column): Column {
  if (!Number.isSafeInteger(exponent) || exponent < 0) {
    throw new FieldError(`exponent must be a non-negative safe integer, got ${exponent}`, {
      argument: 'exponent',
    });
  }
  const n = a.length;
  const r = output(out, n);
  const base = Uint32Array.from(a);
  r.fill(1);
  let e = exponent;
  while (e > 0) {
    if (e % 2 === 1) columnMul(r, base, r);
    e = Math.floor(e / 2);
    if (e > 0) columnMul(base, base, base);
  }
  return r;
}
