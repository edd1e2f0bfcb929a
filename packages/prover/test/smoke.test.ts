import { blake2s } from '@nexus/hash-blake2s';
import { assembleSystem, decodeProof, encodeProof, makeStatement } from '@nexus/kernel';
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

describe('smoke', () => {
  it('wide fib proves and verifies', () => {
    const system = assembleSystem([blake2s(), wideFibPlugin(8)]);
    const statement = makeStatement({ a: le32(3), b: le32(5) });
    const trace = wideFibComponent(8).generateTrace!({ logSize: 4, a: 3, b: 5 });
    const proof = prove(system, { statement, traces: { 'wide-fib': trace } }, { config: 'test' });
    verify(system, proof, statement, { minSecurityBits: 0 });
    const bytes = encodeProof(proof);
    verify(system, decodeProof(bytes), statement, { minSecurityBits: 0 });
  });
  it('squares prove and verify', () => {
    const system = assembleSystem([blake2s(), squaresPlugin()]);
    const statement = makeStatement({});
    const xs = [1, 2, 3, 3, 7, 0, 15];
    const proof = prove(
      system,
      {
        statement,
        traces: {
          'square-consumer': consumerComponent.generateTrace!({ logSize: 3, xs }),
          'square-table': producerComponent.generateTrace!({ logSize: 4, uses: xs }),
        },
      },
      { config: 'test' },
    );
    verify(system, proof, statement, { minSecurityBits: 0 });
  });
  it('ramp proves and verifies', () => {
    const system = assembleSystem([blake2s(), rampPlugin()]);
    const statement = makeStatement({});
    const proof = prove(
      system,
      { statement, traces: { 'ramp-sum': rampComponent.generateTrace!({}) } },
      { config: 'test' },
    );
    verify(system, proof, statement, { minSecurityBits: 0 });
    expect(true).toBe(true);
  });
});
