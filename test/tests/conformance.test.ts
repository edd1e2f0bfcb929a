import { asm, buildElf, exit, li } from '@nexus/air-testing';
import { createZkvm } from '@nexus/sdk';
import { describe, expect, it } from 'vitest';

// ISA conformance: one program per instruction family over its edge values, proven and
// verified. Each program ends by committing a checksum of its results (so a wrong result
// changes the public output) and exiting with it.
const zkvm = createZkvm({ security: 'test' });
const EDGES = [
  0, 1, -1, 2, -2, 0x7fffffff, -0x80000000, 0x12345678, 0xff, 0x80, 0x7fff, 0x8000, 31, 32, 33,
];

/** Loads every (a, b) edge pair into t0/t1, applies `body` (results in t2), folds t2 into s0. */
function pairwise(
  body: (rd: number, rs1: number, rs2: number) => number[],
  pairs = EDGES,
): number[] {
  const code: number[] = [];
  for (const a of pairs) {
    for (const b of pairs) {
      code.push(
        ...li(5, a),
        ...li(6, b),
        ...body(7, 5, 6),
        asm.xor(8, 8, 7),
        asm.slli(9, 8, 5),
        asm.srli(8, 8, 27),
        asm.or(8, 8, 9),
      );
    }
  }
  return code;
}

/** Writes s0 to the public output through the stack and exits with s0's low byte. */
function commitAndExit(): number[] {
  return [
    asm.addi(2, 2, -16),
    asm.sw(8, 2, 0),
    asm.addi(11, 2, 0),
    asm.addi(12, 0, 4),
    asm.addi(10, 0, 1),
    asm.addi(17, 0, 64),
    asm.ecall(),
    asm.andi(10, 8, 0xff),
    ...exit(),
  ];
}

const programs: Record<string, number[]> = {
  add: pairwise((d, a, b) => [asm.add(d, a, b), asm.addi(d, d, -2048), asm.addi(d, d, 2047)]),
  sub: pairwise((d, a, b) => [asm.sub(d, a, b)]),
  slt: pairwise((d, a, b) => [
    asm.slt(d, a, b),
    asm.sltu(10, a, b),
    asm.add(d, d, 10),
    asm.slti(10, a, -1),
    asm.add(d, d, 10),
    asm.sltiu(10, a, -1),
    asm.add(d, d, 10),
  ]),
  logic: pairwise((d, a, b) => [
    asm.and(d, a, b),
    asm.or(10, a, b),
    asm.xor(d, d, 10),
    asm.xori(10, a, -1),
    asm.xor(d, d, 10),
    asm.andi(10, b, 0x7ff),
    asm.xor(d, d, 10),
    asm.ori(10, a, -2048),
    asm.xor(d, d, 10),
  ]),
  shift: pairwise((d, a, b) => [
    asm.sll(d, a, b),
    asm.srl(10, a, b),
    asm.xor(d, d, 10),
    asm.sra(10, a, b),
    asm.xor(d, d, 10),
    asm.slli(10, a, 31),
    asm.xor(d, d, 10),
    asm.srai(10, a, 17),
    asm.xor(d, d, 10),
  ]),
  mul: pairwise((d, a, b) => [
    asm.mul(d, a, b),
    asm.mulh(10, a, b),
    asm.xor(d, d, 10),
    asm.mulhsu(10, a, b),
    asm.xor(d, d, 10),
    asm.mulhu(10, a, b),
    asm.xor(d, d, 10),
  ]),
  div: pairwise((d, a, b) => [
    asm.div(d, a, b),
    asm.divu(10, a, b),
    asm.xor(d, d, 10),
    asm.rem(10, a, b),
    asm.xor(d, d, 10),
    asm.remu(10, a, b),
    asm.xor(d, d, 10),
  ]),
  lui: [0, 1, 0x7ffff, 0x80000, 0xfffff].flatMap((v) => [asm.lui(7, v), asm.xor(8, 8, 7)]),
  auipc: [0, 1, 0x80000, 0xfffff].flatMap((v) => [asm.auipc(7, v), asm.xor(8, 8, 7)]),
  // 0 -> 3 -> 1 -> 2 -> 4 -> 5 -> 6, forward and backward, linking and not
  jal: [
    asm.jal(1, 12),
    asm.addi(8, 8, 1),
    asm.jal(0, 8),
    asm.jal(0, -8),
    asm.xor(8, 8, 1),
    asm.jal(0, 4),
  ],
  // t0 = the address of the xor, plus 1 (JALR clears bit 0); the addi 99 is jumped over.
  jalr: [
    ...li(5, 0x10000 + 4 * 4 + 1),
    asm.jalr(1, 5, 0),
    asm.addi(8, 8, 99),
    asm.xor(8, 8, 1),
    asm.jalr(0, 5, 8),
    asm.addi(8, 8, 7),
  ],
  branch: pairwise(
    (d, a, b) => [
      asm.addi(d, 0, 0),
      asm.beq(a, b, 8),
      asm.addi(d, d, 1),
      asm.bne(a, b, 8),
      asm.addi(d, d, 2),
      asm.blt(a, b, 8),
      asm.addi(d, d, 4),
      asm.bge(a, b, 8),
      asm.addi(d, d, 8),
      asm.bltu(a, b, 8),
      asm.addi(d, d, 16),
      asm.bgeu(a, b, 8),
      asm.addi(d, d, 32),
    ],
    EDGES.slice(0, 8),
  ),
  'load/store': [
    ...li(5, 0x20000),
    ...li(6, 0x8081ff7f),
    asm.sw(6, 5, 0),
    asm.sh(6, 5, 6),
    asm.sb(6, 5, 9),
    asm.sb(6, 5, 11),
    ...[0, 1, 2, 3].flatMap((o) => [
      asm.lb(7, 5, o),
      asm.xor(8, 8, 7),
      asm.lbu(7, 5, o),
      asm.add(8, 8, 7),
    ]),
    ...[0, 2, 4, 6, 8, 10].flatMap((o) => [
      asm.lh(7, 5, o),
      asm.xor(8, 8, 7),
      asm.lhu(7, 5, o),
      asm.add(8, 8, 7),
    ]),
    asm.lw(7, 5, 4),
    asm.xor(8, 8, 7),
    asm.lw(7, 5, 8),
    asm.xor(8, 8, 7),
  ],
  fence: [asm.fence(), asm.addi(8, 8, 3), asm.fence()],
};

describe('ISA conformance programs prove and verify', () => {
  for (const [family, body] of Object.entries(programs)) {
    it(family, () => {
      const elf = buildElf({
        code: [...body, ...commitAndExit()],
        data: new Uint8Array(16),
        dataBase: 0x20000,
      });
      const run = zkvm.run(elf);
      expect(run.publicOutput.length).toBe(4);
      const { proof, claim } = zkvm.prove(elf);
      expect(Array.from(claim.publicOutput)).toEqual(Array.from(run.publicOutput));
      zkvm.verify(
        proof,
        { elf, publicOutput: run.publicOutput, exitCode: run.exitCode },
        { minSecurityBits: 0 },
      );
      const wrong = run.publicOutput.slice();
      wrong[0]! ^= 1;
      expect(() =>
        zkvm.verify(
          proof,
          { elf, publicOutput: wrong, exitCode: run.exitCode },
          { minSecurityBits: 0 },
        ),
      ).toThrow();
    });
  }
});
