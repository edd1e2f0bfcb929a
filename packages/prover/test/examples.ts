// Example AIRs used by the prover/verifier tests and benchmarks: a wide Fibonacci, a LogUp
// producer/consumer pair, and a component with preprocessed columns and row offsets -1/+1.
import { mul, P } from '@nexus/field';
import {
  type Component,
  type ComponentTrace,
  defineRelation,
  fixedSize,
  freeSize,
  type Plugin,
  type StatementLike,
} from '@nexus/kernel';

const u32le = (b: Uint8Array | undefined, name: string) => {
  if (b?.length !== 4) throw new Error(`statement needs a 4-byte ${name}`);
  return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
};
export const le32 = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
};

// --- Wide Fibonacci -------------------------------------------------------------------------
// Each row is its own sequence: c[i+2] = c[i]^2 + c[i+1]^2. Row r starts from (a + r, b); the
// first row's (a, b) come from the statement through the bus `fib_input`.
export const fibInput = defineRelation('fib_input', 2);

export function wideFibComponent(
  width: number,
): Component<{ logSize: number; a: number; b: number }> {
  const columns = Array.from({ length: width }, (_, i) => `c${i}`);
  return {
    name: 'wide-fib',
    version: '1.0.0',
    columns,
    size: freeSize(),
    evaluate(e) {
      const c = columns.map(() => e.next());
      for (let i = 0; i + 2 < width; i++) {
        e.constraint(
          c[i + 2]!.sub(c[i]!.mul(c[i]!).add(c[i + 1]!.mul(c[i + 1]!))),
          `c${i + 2} = c${i}^2 + c${i + 1}^2`,
        );
      }
      e.use(fibInput, [c[0]!, c[1]!], e.preprocessed('is_first'));
    },
    generateTrace({ logSize, a, b }): ComponentTrace {
      const n = 2 ** logSize;
      const cols = columns.map(() => new Uint32Array(n));
      for (let r = 0; r < n; r++) {
        let x = (a + r) % P;
        let y = b;
        cols[0]![r] = x;
        cols[1]![r] = y;
        for (let i = 2; i < width; i++) {
          const z = (mul(x, x) + mul(y, y)) % P;
          cols[i]![r] = z;
          x = y;
          y = z;
        }
      }
      return { logSize, columns: cols };
    },
  };
}

export function wideFibPlugin(width: number): Plugin {
  const component = wideFibComponent(width);
  return {
    name: 'example-wide-fib',
    version: '1.0.0',
    apply(host) {
      host.hooks.components.tap('example-wide-fib', (r) => r.add(component as Component<unknown>));
      host.hooks.boundary.tap('example-wide-fib', (r) =>
        r.add((s: StatementLike) => [
          {
            relation: fibInput,
            values: [u32le(s.publicData.a, 'a'), u32le(s.publicData.b, 'b')],
            multiplicity: -1,
          },
        ]),
      );
    },
  };
}

// --- LogUp producer / consumer -----------------------------------------------------------------
// The consumer takes pairs (x, x^2) off the bus `squares`; the producer is a table of (x, x^2)
// for x < 2^n that yields each row as often as its multiplicity column says.
export const squares = defineRelation('squares', 2);

export const consumerComponent: Component<{ logSize: number; xs: number[] }> = {
  name: 'square-consumer',
  version: '1.0.0',
  columns: ['selector', 'x', 'y'],
  size: freeSize(),
  evaluate(e) {
    const sel = e.next();
    const x = e.next();
    const y = e.next();
    e.constraint(sel.mul(sel.sub(1)), 'selector is boolean');
    e.use(squares, [x, y], sel);
  },
  generateTrace({ logSize, xs }) {
    const n = 2 ** logSize;
    const cols = [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)];
    xs.forEach((x, r) => {
      cols[0]![r] = 1;
      cols[1]![r] = x;
      cols[2]![r] = mul(x, x);
    });
    return { logSize, columns: cols };
  },
};

export const producerComponent: Component<{ logSize: number; uses: number[] }> = {
  name: 'square-table',
  version: '1.0.0',
  columns: ['x', 'y', 'multiplicity'],
  // Any size: every row's y = x^2 is all the relation means, whatever x the prover puts there.
  size: freeSize(),
  evaluate(e) {
    const x = e.next();
    const y = e.next();
    const m = e.next();
    e.constraint(y.sub(x.mul(x)), 'y = x^2');
    e.yield(squares, [x, y], m, { table: true });
  },
  generateTrace({ logSize, uses }) {
    const n = 2 ** logSize;
    const cols = [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)];
    for (let x = 0; x < n; x++) {
      cols[0]![x] = x;
      cols[1]![x] = mul(x, x);
    }
    for (const x of uses) cols[2]![x]!++;
    return { logSize, columns: cols };
  },
};

export function squaresPlugin(): Plugin {
  return {
    name: 'example-squares',
    version: '1.0.0',
    apply(host) {
      host.hooks.components.tap('example-squares', (r) => {
        r.add(consumerComponent as Component<unknown>);
        r.add(producerComponent as Component<unknown>);
      });
    },
  };
}

// --- Preprocessed columns and offsets -1 / +1 ------------------------------------------------
// s is the running sum of the preprocessed ramp 0, 1, 2, ...: s[r] = s[r-1] + ramp[r] except
// on the first row (s = 0); d[r] = s[r+1] - s[r] (wrapping) reads the next row.
export const RAMP_LOG = 6;
export const rampComponent: Component<Record<string, never>> = {
  name: 'ramp-sum',
  version: '1.0.0',
  columns: ['s', 'd'],
  size: fixedSize(RAMP_LOG),
  evaluate(e) {
    const [s, prev, next] = e.nextAt([0, -1, 1]) as [
      ReturnType<typeof e.next>,
      ReturnType<typeof e.next>,
      ReturnType<typeof e.next>,
    ];
    const d = e.next();
    const first = e.preprocessed('is_first');
    const ramp = e.preprocessed('ramp');
    e.constraint(e.constant(1).sub(first).mul(s.sub(prev).sub(ramp)), 's = s[-1] + ramp');
    e.constraint(first.mul(s), 's starts at 0');
    e.constraint(d.sub(next).add(s), 'd = s[+1] - s');
  },
  generateTrace() {
    const n = 2 ** RAMP_LOG;
    const s = new Uint32Array(n);
    const d = new Uint32Array(n);
    for (let r = 1; r < n; r++) s[r] = (s[r - 1]! + r) % P;
    for (let r = 0; r < n; r++) d[r] = (s[(r + 1) % n]! - s[r]! + P) % P;
    return { logSize: RAMP_LOG, columns: [s, d] };
  },
};

export function rampPlugin(): Plugin {
  return {
    name: 'example-ramp',
    version: '1.0.0',
    apply(host) {
      host.hooks.components.tap('example-ramp', (r) => r.add(rampComponent as Component<unknown>));
      host.hooks.preprocessed.tap('example-ramp', (r) =>
        r.add({
          id: 'ramp',
          generate: (_statement, logSize) =>
            Uint32Array.from({ length: 2 ** logSize }, (_, i) => i),
        }),
      );
    },
  };
}
