import { blake2s } from '@nexus/hash-blake2s';
import {
  assembleSystem,
  decodeProof,
  encodeProof,
  makeStatement,
  SECURITY,
  type StarkProof,
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

const fibSystem = assembleSystem([blake2s(), wideFibPlugin(8)]);
const fibStatement = makeStatement({ a: le32(3), b: le32(5) });

function fibProof(logSize: number, config: 'test' | 'standard' = 'test'): StarkProof {
  const trace = wideFibComponent(8).generateTrace!({ logSize, a: 3, b: 5 });
  return prove(fibSystem, { statement: fibStatement, traces: { 'wide-fib': trace } }, { config });
}

describe('wide Fibonacci (degree 2, many columns, a public boundary)', () => {
  it('proves and verifies at every log size 1..16 (test config)', () => {
    for (let logSize = 1; logSize <= 16; logSize++) {
      const proof = fibProof(logSize);
      verify(fibSystem, proof, fibStatement, { minSecurityBits: 0 });
      // and through the binary encoding
      verify(fibSystem, encodeProof(proof), fibStatement, { minSecurityBits: 0 });
    }
  });

  it('proves and verifies at the standard config, and the encoding round-trips', () => {
    const proof = fibProof(10, 'standard');
    verify(fibSystem, proof, fibStatement);
    const decoded = decodeProof(encodeProof(proof));
    expect(decoded).toEqual(proof);
  });

  it('works with other FRI shapes: fold steps 1-4, a larger last layer, blowup 2', () => {
    const trace = wideFibComponent(8).generateTrace!({ logSize: 7, a: 3, b: 5 });
    for (const config of [
      { ...SECURITY.test, friFoldStep: 1 },
      { ...SECURITY.test, friFoldStep: 4 },
      { ...SECURITY.test, logLastLayerDegreeBound: 3 },
      { ...SECURITY.test, logBlowup: 2, nQueries: 5 },
    ]) {
      const proof = prove(
        fibSystem,
        { statement: fibStatement, traces: { 'wide-fib': trace } },
        { config },
      );
      // A verifier accepts a configuration other than the presets only where its caller lists it.
      expect(() =>
        verify(fibSystem, encodeProof(proof), fibStatement, { minSecurityBits: 0 }),
      ).toThrow(/^config: /);
      verify(fibSystem, encodeProof(proof), fibStatement, {
        minSecurityBits: 0,
        configs: [config],
      });
    }
  });
});

describe('LogUp producer / consumer (two components of different sizes)', () => {
  const system = assembleSystem([blake2s(), squaresPlugin()]);
  const statement = makeStatement({});
  const xs = [1, 2, 3, 3, 7, 0, 15, 15, 15, 9];
  const traces = (uses = xs, consumed = xs) => ({
    'square-consumer': consumerComponent.generateTrace!({ logSize: 4, xs: consumed }),
    'square-table': producerComponent.generateTrace!({ logSize: 5, uses }),
  });

  it('proves and verifies at the standard config', () => {
    verify(system, prove(system, { statement, traces: traces() }), statement);
  });

  it("the column-wise LogUp evaluation gives the reference path's proof, byte for byte", () => {
    const fast = encodeProof(prove(system, { statement, traces: traces() }));
    const reference = encodeProof(
      prove(system, { statement, traces: traces() }, { reference: true }),
    );
    expect(fast).toEqual(reference);
  });

  it('a consumer-only size change is fine too (components of equal size)', () => {
    const t = {
      'square-consumer': consumerComponent.generateTrace!({ logSize: 5, xs }),
      'square-table': producerComponent.generateTrace!({ logSize: 5, uses: xs }),
    };
    verify(system, prove(system, { statement, traces: t }, { config: 'test' }), statement, {
      minSecurityBits: 0,
    });
  });
});

describe('preprocessed columns and row offsets -1 / +1', () => {
  const system = assembleSystem([blake2s(), rampPlugin()]);
  const statement = makeStatement({});
  it('proves and verifies at the standard config', () => {
    const proof = prove(system, {
      statement,
      traces: { 'ramp-sum': rampComponent.generateTrace!({}) },
    });
    verify(system, proof, statement);
  });
});

describe('a system of all three examples in one proof', () => {
  it('proves and verifies', () => {
    const system = assembleSystem([blake2s(), squaresPlugin(), wideFibPlugin(8), rampPlugin()]);
    const xs = [4, 4, 5];
    const proof = prove(
      system,
      {
        statement: fibStatement,
        traces: {
          'wide-fib': wideFibComponent(8).generateTrace!({ logSize: 9, a: 3, b: 5 }),
          'ramp-sum': rampComponent.generateTrace!({}),
          'square-consumer': consumerComponent.generateTrace!({ logSize: 2, xs }),
          'square-table': producerComponent.generateTrace!({ logSize: 3, uses: xs }),
        },
      },
      { config: 'test' },
    );
    verify(system, encodeProof(proof), fibStatement, { minSecurityBits: 0 });
  });
});
