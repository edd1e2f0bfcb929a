import { pointAt } from './circle.js';
import { batchInverse, type Column } from './column.js';
import { cosetIndexAt } from './coset.js';
import { assertDomainLogSize, bitReverseIndex, circleDomain } from './domain.js';
import { add, mul, P, sub } from './m31.js';

/**
 * Twiddle factors of the canonic circle domain of one log size n, in the order the FFT layers
 * read them (bit-reversed, one entry per butterfly block).
 *
 * Let H be the domain's half coset. Storage pair (2j, 2j+1) holds (h, conj(h)) for
 * h = H[bitrev(j)], so the circle layer's twiddle is h.y. The line layer above pairs x with -x
 * (h and its antipode h + G_1, which sit at j and j + 1 for even j), so its twiddle is h.x for
 * the first quarter of H; deeper layers live on doubled domains, whose first line layer is that
 * of the canonic domain one size smaller. So each size owns one line layer and one circle layer,
 * and a domain of size n reads line layers n, n-1, ..., 2.
 */
export interface DomainTwiddles {
  /** circle[j] = y of the point paired at storage (2j, 2j+1); length N/2. */
  readonly circle: Column;
  readonly circleInverse: Column;
  /** line[k] = x of the first-quarter half-coset point bitrev(k); length N/4 (n >= 2). */
  readonly line: Column;
  readonly lineInverse: Column;
}

const cache = new Map<number, DomainTwiddles>();

/**
 * The twiddles owned by the canonic circle domain of log size n, computed once and cached.
 * Cost: N/4 group additions and two batch inversions.
 */
export function domainTwiddles(logSize: number): DomainTwiddles {
  let t = cache.get(logSize);
  if (t === undefined) {
    t = computeTwiddles(logSize);
    cache.set(logSize, t);
  }
  return t;
}

/** Forgets every cached twiddle table (they are large for big domains). */
export function clearTwiddleCache(): void {
  cache.clear();
}

/**
 * A domain's twiddles with the inverses computed on first use: an evaluation (a low-degree
 * extension) reads only the forward ones, and a blowup's larger domains are only evaluated on
 * (a verifier's preprocessed columns at blowup 4: the two largest sizes' batch inversions
 * were wasted).
 */
class Twiddles implements DomainTwiddles {
  #circleInverse: Column | null = null;
  #lineInverse: Column | null = null;

  constructor(
    readonly circle: Column,
    readonly line: Column,
  ) {}

  get circleInverse(): Column {
    this.#circleInverse ??= batchInverse(this.circle);
    return this.#circleInverse;
  }

  get lineInverse(): Column {
    this.#lineInverse ??= this.line.length === 0 ? new Uint32Array(0) : batchInverse(this.line);
    return this.#lineInverse;
  }
}

function computeTwiddles(logSize: number): DomainTwiddles {
  assertDomainLogSize(logSize);
  const domain = circleDomain(logSize);
  const half = 2 ** (logSize - 1);
  const circle = new Uint32Array(half);
  if (logSize === 1) {
    // One conjugate pair, no line layer: the half coset is the single point G_2 = (0, p - 1).
    circle[0] = pointAt(domain.halfCoset.initialIndex).y;
    return new Twiddles(circle, new Uint32Array(0));
  }
  const quarter = half / 2;
  const bits = logSize - 2;
  const line = new Uint32Array(quarter);
  const step = pointAt(domain.halfCoset.stepIndex);
  const first = pointAt(cosetIndexAt(domain.halfCoset, 0));
  // circleAdd(p, step) on two locals: no point object per step in this cold loop.
  let x = first.x;
  let y = first.y;
  for (let m = 0; m < quarter; m++) {
    const k = bitReverseIndex(m, bits);
    line[k] = x;
    // H[m + N/4] is the antipode of H[m]: it sits right after it in storage, with y negated.
    circle[2 * k] = y;
    circle[2 * k + 1] = y === 0 ? 0 : P - y;
    const nx = sub(mul(x, step.x), mul(y, step.y));
    y = add(mul(x, step.y), mul(y, step.x));
    x = nx;
  }
  return new Twiddles(circle, line);
}
