/**
 * The SDK learns the machine's instruction families from the plugins (`vm.family`): the VM
 * records what the listed plugins prove, a guest executing instructions no listed plugin
 * records fails before proving with the package to add, and a plugin claiming an instruction
 * another already claims is refused when the zkVM is built.
 */
import { asm, buildElf, exit, li } from '@nexus/air-testing';
import type { Plugin } from '@nexus/kernel';
import { rv32im } from '@nexus/rv32im';
import { FAMILIES, FAMILY_EXTENSION } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { createZkvm, ZkvmError } from '../src/index.js';

const mulGuest = () => buildElf({ code: [...li(5, 6), ...li(6, 7), asm.mul(10, 5, 6), ...exit()] });

describe('instruction families from the plugins', () => {
  it("the bundled plugins register riscv.md's families, each under its package", () => {
    const zkvm = createZkvm({ plugins: rv32im(), security: 'test' });
    expect(zkvm.families.map((f) => f.name).sort()).toEqual([...FAMILIES].sort());
    expect(zkvm.families.find((f) => f.name === 'mul')?.plugin).toBe('@nexus/air-mul');
    expect(zkvm.run(mulGuest()).stats.familyRows.mul).toBe(1);
  });

  it('a build without a family plugin names it before proving', () => {
    const zkvm = createZkvm({
      plugins: rv32im().filter((p) => p.name !== '@nexus/air-mul'),
      security: 'test',
    });
    expect(zkvm.run(mulGuest()).stats.unclaimed).toEqual({ mul: 1 });
    let error: unknown;
    try {
      zkvm.prove(mulGuest());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ZkvmError);
    expect((error as Error).message).toMatch(
      /the guest executes mul instructions, which no plugin of this zkVM proves: add @nexus\/air-mul to the plugin list/,
    );
  });

  it('a plugin claiming an instruction another family records is refused', () => {
    const rival: Plugin = {
      name: '@acme/air-fast-add',
      version: '1.0.0',
      apply(host) {
        host.hooks.extensions.tap('@acme/air-fast-add', (r) =>
          r.add(FAMILY_EXTENSION, { name: 'fastadd', plugin: '@acme/air-fast-add', ops: ['add'] }),
        );
      },
    };
    expect(() => createZkvm({ plugins: [...rv32im(), rival] })).toThrow(
      /add is claimed by both @nexus\/air-add's family add and @acme\/air-fast-add's family fastadd/,
    );
  });
});
