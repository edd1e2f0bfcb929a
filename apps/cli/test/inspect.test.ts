import { afterAll, describe, expect, it } from 'vitest';
// Test-only helpers of the VM package: an assembler and an ELF writer.
import { Asm, Reg } from '../../../packages/vm/test/support/asm.js';
import { programElf } from '../../../packages/vm/test/support/elf-writer.js';
import { EXIT } from '../src/exit-codes.js';
import { guest, nexus, tempDir, writeIn } from './support/nexus.js';

const { dir, cleanup } = tempDir('nexus-inspect-');
afterAll(cleanup);

describe('nexus inspect (ELF)', () => {
  it('counts every instruction word of the code by family and mnemonic', async () => {
    const code = new Asm()
      .i('addi', Reg.a0, 0, 1)
      .i('addi', Reg.a1, 0, 2)
      .r('add', Reg.a2, Reg.a0, Reg.a1)
      .r('mul', Reg.a3, Reg.a2, Reg.a2)
      .r('divu', Reg.a4, Reg.a3, Reg.a1)
      .store('sw', Reg.a4, Reg.sp, -4)
      .i('addi', Reg.a7, 0, 93)
      .ecall()
      .word(0) // data in code: not an instruction
      .word(0xffffffff)
      .bytes();
    const elf = writeIn(dir, 'small.elf', programElf(code));
    const r = await nexus(['inspect', elf, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({
      kind: 'elf',
      entry: 0x10000,
      segments: [
        { vaddr: 0x10000, filesz: 40, flags: 'R-X' },
        { flags: 'RW-', filesz: 0 },
      ],
      instructionMix: {
        words: 10,
        notInstructions: 2,
        families: [
          { family: 'add', count: 4, mnemonics: { addi: 3, add: 1 } },
          { family: 'div', count: 1, mnemonics: { divu: 1 } },
          { family: 'ecall', count: 1, mnemonics: { ecall: 1 } },
          { family: 'mul', count: 1, mnemonics: { mul: 1 } },
          { family: 'store', count: 1, mnemonics: { sw: 1 } },
        ],
      },
    });
    expect(j.programCommitment).toMatch(/^[0-9a-f]{64}$/);
  });

  it('puts the instructions no plugin of the build proves under "no plugin"', async () => {
    const code = new Asm()
      .r('mul', Reg.a3, Reg.a2, Reg.a2)
      .r('mulhu', Reg.a3, Reg.a2, Reg.a2)
      .i('addi', Reg.a7, 0, 93)
      .ecall()
      .bytes();
    const elf = writeIn(dir, 'mul.elf', programElf(code));
    const config = writeIn(
      dir,
      'nomul.mjs',
      "export default ({ rv32im }) => ({ plugins: rv32im().filter((p) => p.name !== '@nexus/air-mul') });",
    );
    const r = await nexus(['inspect', elf, '--config', config, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).instructionMix.families).toContainEqual({
      family: 'no plugin',
      count: 2,
      mnemonics: { mul: 1, mulhu: 1 },
    });
  });

  it('describes a bundled guest: entry, segments, symbols, commitment, mix', async () => {
    const r = await nexus(['inspect', guest('fib')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/fib\.elf: RV32 ELF executable, [\d,]+ bytes/);
    expect(r.out).toMatch(/\nentry {15}0x00010000 \(_start\)\n/);
    expect(r.out).toMatch(/\nsymbols {13}\d+ \(\d+ functions\)\n/);
    expect(r.out).toMatch(
      /\nprogram commitment {2}[0-9a-f]{64} \(hash backend blake2s \(blake2s-256\)\)\n/,
    );
    expect(r.out).toMatch(/\n {2}0 +0x00010000 +[\d,]+ +[\d,]+ +R-X +code\n/);
    expect(r.out).toMatch(/\n {2}add +[\d,]+ +addi [\d,]+, add [\d,]+\n/);
    expect(r.out).toMatch(/\n {2}div +[\d,]+ +divu/);
  });

  it('lists the extensions a guest declares, and whether this build has them', async () => {
    const popcount = new URL(
      '../../../examples/precompile-popcount/guest/bin/popcount.elf',
      import.meta.url,
    ).pathname;
    const r = await nexus(['inspect', popcount]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /declares +syscall 0x1800 from @acme\/precompile-popcount: NOT in this build \(add the plugin, --config\)/,
    );
    const j = JSON.parse((await nexus(['inspect', guest('sha256-precompile'), '--json'])).out);
    expect(j.requires).toEqual([
      { kind: 'syscall', number: 0x1001, plugin: '@nexus/precompile-sha256', inBuild: true },
    ]);
  });

  it('different programs have different commitments', async () => {
    const [a, b] = await Promise.all([
      nexus(['inspect', guest('fib'), '--json']),
      nexus(['inspect', guest('sort'), '--json']),
    ]);
    const ca = JSON.parse(a.out).programCommitment;
    expect(ca).not.toBe(JSON.parse(b.out).programCommitment);
    // prove-verify.test.ts checks that a proof of fib claims this same commitment.
  });

  it('an empty file, a malformed ELF, a missing file', async () => {
    const empty = writeIn(dir, 'empty', new Uint8Array(0));
    const badElf = writeIn(dir, 'bad.elf', Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 1, 1));
    const [a, b, c] = await Promise.all([
      nexus(['inspect', empty]),
      nexus(['inspect', badElf]),
      nexus(['inspect', `${dir}/none`]),
    ]);
    expect(a.code).toBe(EXIT.BAD_ELF);
    expect(a.stderr).toMatch(
      /neither an ELF nor a Nexus proof file \(unknown magic number in an empty file\)/,
    );
    expect(b.code).toBe(EXIT.BAD_ELF);
    expect(b.stderr).toMatch(/cannot run this ELF: .*bad\.elf: /);
    expect(c.code).toBe(EXIT.NOT_FOUND);
  });
});
