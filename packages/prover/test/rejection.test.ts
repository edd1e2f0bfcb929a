import { type QM31, qm31Add, qm31Neg } from '@nexus/field';
import { blake2s } from '@nexus/hash-blake2s';
import {
  assembleSystem,
  ByteChannel,
  ConstraintError,
  decodeProof,
  encodeProof,
  encodeProofWithLayout,
  KernelError,
  makeStatement,
  NexusError,
  ProofFormatError,
  type StarkProof,
  VerificationError,
} from '@nexus/kernel';
import { verify } from '@nexus/verifier';
import { describe, expect, it } from 'vitest';
import { prove } from '../src/index.js';
import {
  consumerComponent,
  le32,
  producerComponent,
  rampComponent,
  rampPlugin,
  squaresPlugin,
  wideFibComponent,
  wideFibPlugin,
} from './examples.js';

const P = 2147483647;
const fibSystem = assembleSystem([blake2s(), wideFibPlugin(8)]);
const statement = makeStatement({ a: le32(3), b: le32(5) });
const fibTrace = (logSize = 4) => wideFibComponent(8).generateTrace!({ logSize, a: 3, b: 5 });
const honest = prove(
  fibSystem,
  { statement, traces: { 'wide-fib': fibTrace(6) } },
  { config: 'test' },
);
const lenient = { minSecurityBits: 0 };

function expectRejected(fn: () => void): NexusError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NexusError);
    expect(e instanceof VerificationError || e instanceof ProofFormatError).toBe(true);
    return e as NexusError;
  }
  throw new Error('the verifier accepted');
}

describe('a malicious prover (constraint checks off) cannot prove a wrong trace', () => {
  it('any single flipped cell of the wide Fibonacci trace is rejected', () => {
    const t = fibTrace(4);
    for (let col = 0; col < 8; col++) {
      for (const row of [0, 1, 7, 15]) {
        const bad = { logSize: 4, columns: t.columns.map((c) => c.slice()) };
        bad.columns[col]![row] = (bad.columns[col]![row]! + 1) % P;
        const proof = prove(
          fibSystem,
          { statement, traces: { 'wide-fib': bad } },
          { config: 'test', checkConstraints: false },
        );
        expectRejected(() => verify(fibSystem, proof, statement, lenient));
      }
    }
  });

  it('with checks on, the prover names the failing row and constraint instead', () => {
    const bad = fibTrace(4);
    bad.columns[5]![3] = 7;
    expect(() =>
      prove(fibSystem, { statement, traces: { 'wide-fib': bad } }, { config: 'test' }),
    ).toThrow(ConstraintError);
    expect(() =>
      prove(fibSystem, { statement, traces: { 'wide-fib': bad } }, { config: 'test' }),
    ).toThrow(/row 3: c5 = c3\^2 \+ c4\^2/);
  });

  it('a missing or extra bus tuple is rejected (LogUp producer / consumer)', () => {
    const system = assembleSystem([blake2s(), squaresPlugin()]);
    const st = makeStatement({});
    const xs = [1, 2, 3];
    const cases = [
      { consumed: [...xs, 4], uses: xs }, // extra use
      { consumed: xs.slice(1), uses: xs }, // missing use
      { consumed: xs, uses: [...xs, 3] }, // table multiplicity too high
    ];
    for (const { consumed, uses } of cases) {
      const traces = {
        'square-consumer': consumerComponent.generateTrace!({ logSize: 3, xs: consumed }),
        'square-table': producerComponent.generateTrace!({ logSize: 4, uses }),
      };
      expect(() => prove(system, { statement: st, traces }, { config: 'test' })).toThrow(
        /buses do not balance/,
      );
      const proof = prove(
        system,
        { statement: st, traces },
        { config: 'test', checkConstraints: false },
      );
      expect(expectRejected(() => verify(system, proof, st, lenient)).message).toMatch(/logup-sum/);
    }
    // a consumer row claiming (3, 10) with 3^2 != 10 is a tuple the table never yields
    const t = consumerComponent.generateTrace!({ logSize: 3, xs });
    t.columns[2]![0] = 10;
    const proof = prove(
      system,
      {
        statement: st,
        traces: {
          'square-consumer': t,
          'square-table': producerComponent.generateTrace!({ logSize: 4, uses: xs }),
        },
      },
      { config: 'test', checkConstraints: false },
    );
    expectRejected(() => verify(system, proof, st, lenient));
  });

  it('offsets and preprocessed columns are bound: a shifted ramp is rejected', () => {
    const system = assembleSystem([blake2s(), rampPlugin()]);
    const st = makeStatement({});
    const t = rampComponent.generateTrace!({});
    t.columns[0]![10] = (t.columns[0]![10]! + 1) % P;
    const proof = prove(
      system,
      { statement: st, traces: { 'ramp-sum': t } },
      { config: 'test', checkConstraints: false },
    );
    expectRejected(() => verify(system, proof, st, lenient));
  });
});

describe('the verifier builds the preprocessed columns itself', () => {
  // The same plugin (name, components: the same system digest) with another generator: what a
  // verifier gets from a plugin whose generator misbehaves for some statement.
  const rampWith = (generate: (logSize: number) => unknown) => ({
    ...rampPlugin(),
    apply(host: Parameters<ReturnType<typeof rampPlugin>['apply']>[0]) {
      host.hooks.components.tap('example-ramp', (r) => r.add(rampComponent as never));
      host.hooks.preprocessed.tap('example-ramp', (r) =>
        r.add({ id: 'ramp', generate: (_s, logSize) => generate(logSize) as Uint32Array }),
      );
    },
  });
  const system = assembleSystem([blake2s(), rampPlugin()]);
  const st = makeStatement({});
  const proof = prove(
    system,
    { statement: st, traces: { 'ramp-sum': rampComponent.generateTrace!({}) } },
    { config: 'test' },
  );
  const ramp = (logSize: number) => Uint32Array.from({ length: 2 ** logSize }, (_, i) => i);

  it('accepts the honest proof with a generator of the same column', () => {
    expect(() =>
      verify(assembleSystem([blake2s(), rampWith(ramp)]), proof, st, lenient),
    ).not.toThrow();
  });

  it("rejects ('statement') a column with a non-canonical value, the wrong length or type", () => {
    const bad: [string, (logSize: number) => unknown][] = [
      ['p itself', (n) => ramp(n).fill(P, 5, 6)],
      ['2^32 - 1 in the last chunk', (n) => ramp(n).fill(0xffffffff, 2 ** n - 1)],
      ['one row short', (n) => ramp(n).subarray(1)],
      ['a plain array', (n) => [...ramp(n)]],
    ];
    for (const [name, generate] of bad) {
      const e = expectRejected(() =>
        verify(assembleSystem([blake2s(), rampWith(generate)]), proof, st, lenient),
      );
      expect({ name, check: (e as VerificationError).check }).toEqual({ name, check: 'statement' });
      expect(e.message).toMatch(/preprocessed column ramp cannot be built from this statement/);
    }
  });
});

describe('LogUp sums a malicious prover chooses', () => {
  // squares + wide-fib + ramp-sum: ramp-sum has constraints but no bus entries, so no LogUp
  // constraint ties a sum to its trace. Before the fix a prover chose its sum after the
  // challenges to cancel any imbalance, and a wrong public input was accepted.
  const system = assembleSystem([blake2s(), squaresPlugin(), wideFibPlugin(8), rampPlugin()]);
  const xs = [1, 2, 3, 3, 7];
  const traces = {
    'square-consumer': consumerComponent.generateTrace!({ logSize: 3, xs }),
    'square-table': producerComponent.generateTrace!({ logSize: 4, uses: xs }),
    'wide-fib': fibTrace(4),
    'ramp-sum': rampComponent.generateTrace!({}),
  };
  const names = system.components.map((c) => c.name);
  const lie = makeStatement({ a: le32(4), b: le32(5) }); // the trace starts from a = 3

  /** Proves the lie with `component`'s sum chosen, after the challenges, to balance the rest. */
  const coveredBy = (component: string) =>
    prove(
      system,
      { statement: lie, traces },
      {
        config: 'standard',
        checkConstraints: false,
        forgeClaimedSums: (honestSums, boundary) => {
          const at = names.indexOf(component);
          let others = boundary;
          honestSums.forEach((s, i) => {
            if (i !== at) others = qm31Add(others, s);
          });
          return honestSums.map((s, i) => (i === at ? qm31Neg(others) : s));
        },
      },
    );

  it('an entry-less component cannot take the sum that covers a wrong public input', () => {
    verify(system, prove(system, { statement, traces }, { config: 'standard' }), statement);
    const proof = coveredBy('ramp-sum');
    const e = expectRejected(() => verify(system, encodeProof(proof), lie)) as VerificationError;
    expect(e.check).toBe('logup-sum');
    expect(e.message).toMatch(/ramp-sum has no bus entries/);
  });

  it('a component with entries cannot: its last LogUp constraint pins the sum to its trace', () => {
    const proof = coveredBy('wide-fib');
    const e = expectRejected(() => verify(system, encodeProof(proof), lie)) as VerificationError;
    expect(e.check).toBe('oods');
  });

  it('a proof object with an extra claimed sum is checked as its bytes would be', () => {
    // Before: verify() took a StarkProof object as it was, and added every claimed sum it held
    // into the balance; one extra sum, mixed into the transcript like the others, covered a
    // wrong public input. Now an object is encoded and decoded first.
    let extra: QM31 = [0, 0, 0, 0];
    // The first QM31s the prover mixes are the claimed sums: append the extra one there.
    const original = ByteChannel.prototype.mixQM31s;
    let armed = true;
    ByteChannel.prototype.mixQM31s = function (this: ByteChannel, values: readonly QM31[]) {
      if (armed) {
        armed = false;
        (values as QM31[]).push(extra);
      }
      return original.call(this, values);
    };
    let proof: StarkProof;
    try {
      proof = prove(
        system,
        { statement: lie, traces },
        {
          config: 'standard',
          checkConstraints: false,
          forgeClaimedSums: (honestSums, boundary) => {
            let total = boundary;
            for (const s of honestSums) total = qm31Add(total, s);
            extra = qm31Neg(total);
            return honestSums;
          },
        },
      );
    } finally {
      ByteChannel.prototype.mixQM31s = original;
    }
    expect(proof.claimedSums).toHaveLength(names.length + 1);
    const e = expectRejected(() => verify(system, proof, lie));
    expect(e).toBeInstanceOf(ProofFormatError);
  });

  it('the prover refuses to forge sums with its checks on', () => {
    expect(() =>
      prove(system, { statement, traces }, { config: 'test', forgeClaimedSums: (s) => s }),
    ).toThrow(/turn checkConstraints off/);
  });
});

describe('the verifier rejects tampered proofs', () => {
  it('accepts the honest proof', () => {
    verify(fibSystem, encodeProof(honest), statement, lenient);
  });

  it('rejects a flipped byte at sampled positions in every section', () => {
    const { bytes, sections } = encodeProofWithLayout(honest);
    expect(sections.map((s) => s.name)).toContain('FRI last layer');
    let checked = 0;
    for (const s of sections) {
      const len = s.end - s.start;
      if (len === 0) continue;
      const picks = new Set([s.start, s.start + Math.floor(len / 2), s.end - 1]);
      for (const pos of picks) {
        for (const mask of [0x01, 0x80]) {
          const tampered = bytes.slice();
          tampered[pos]! ^= mask;
          const e = expectRejected(() => verify(fibSystem, tampered, statement, lenient));
          expect(e.message.length).toBeGreaterThan(0);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('rejects a changed claimed sum, sampled value, FRI value or proof-of-work nonce', () => {
    const mutate = (f: (p: StarkProof) => StarkProof) =>
      expectRejected(() => verify(fibSystem, f(honest), statement, lenient));
    const bump = (v: readonly number[]) =>
      [(v[0]! + 1) % P, v[1], v[2], v[3]] as [number, number, number, number];
    mutate((p) => ({ ...p, claimedSums: p.claimedSums.map(bump) }));
    mutate((p) => ({
      ...p,
      sampledValues: p.sampledValues.map((v, i) => (i === 3 ? bump(v) : v)),
    }));
    mutate((p) => ({ ...p, lastLayer: p.lastLayer.map(bump) }));
    mutate((p) => ({ ...p, powNonce: p.powNonce + 1 }));
    mutate((p) => ({
      ...p,
      friOpenings: p.friOpenings.map((o, i) =>
        i === 1 ? { ...o, values: o.values.map((v, j) => (j === 0 ? (v + 1) % P : v)) } : o,
      ),
    }));
  });

  it('rejects a wrong public value', () => {
    for (const st of [
      makeStatement({ a: le32(4), b: le32(5) }),
      makeStatement({ a: le32(3), b: le32(6) }),
    ]) {
      expectRejected(() => verify(fibSystem, honest, st, lenient));
    }
    expect(() => verify(fibSystem, honest, makeStatement({ a: le32(3) }), lenient)).toThrow(
      /4-byte b/,
    );
  });

  it('rejects proofs below the caller security level, by default 96 bits', () => {
    expect(() => verify(fibSystem, honest, statement)).toThrow(/security-level/);
    expect(() => verify(fibSystem, honest, statement, { minSecurityBits: 5 })).toThrow(
      /security-level/,
    );
    const standard = prove(fibSystem, { statement, traces: { 'wide-fib': fibTrace(4) } });
    verify(fibSystem, standard, statement);
    expect(() => verify(fibSystem, standard, statement, { minSecurityBits: 100 })).toThrow(
      /security-level.*96/,
    );
  });

  it('rejects a proof made by another system (different plugins)', () => {
    const other = assembleSystem([blake2s(), wideFibPlugin(9)]);
    const e = expectRejected(() => verify(other, honest, statement, lenient));
    expect((e as VerificationError).check).toBe('system');
  });

  it('gives a decoding error, never a crash, for truncated or garbage bytes', () => {
    const bytes = encodeProof(honest);
    for (const len of [0, 3, 6, 20, 60, 200, bytes.length >> 1, bytes.length - 1]) {
      expect(() => verify(fibSystem, bytes.slice(0, len), statement, lenient)).toThrow(
        ProofFormatError,
      );
    }
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(() => verify(fibSystem, longer, statement, lenient)).toThrow(/unexpected bytes/);
    let seed = 12345;
    for (let i = 0; i < 50; i++) {
      const garbage = new Uint8Array(1 + ((i * 37) % 3000)).map(() => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return seed >>> 24;
      });
      expectRejected(() => verify(fibSystem, garbage, statement, lenient));
    }
    // a proof with a valid header but absurd lengths does not allocate or hang
    const huge = bytes.slice();
    const { sections } = encodeProofWithLayout(honest);
    const sampled = sections.find((s) => s.name === 'sampled values')!;
    new DataView(huge.buffer).setUint32(sampled.start, 0xffffffff, true);
    expect(() => decodeProof(huge)).toThrow(ProofFormatError);
  });

  it('rejects traces given for components the system does not have', () => {
    expect(() =>
      prove(fibSystem, { statement, traces: { nope: fibTrace(2) } }, { config: 'test' }),
    ).toThrow(KernelError);
    expect(() => prove(fibSystem, { statement, traces: {} }, { config: 'test' })).toThrow(
      /at least one component/,
    );
  });
});
