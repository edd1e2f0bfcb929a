/**
 * Instruction families come from the machine's options (the system's `vm.family` extensions):
 * riscv.md's grouping is one list among others, a regrouped machine records the same
 * executions in its own tables, a machine without a family says which instructions it cannot
 * record, and malformed lists are clear errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  deriveLayout,
  execute,
  FAMILIES,
  FAMILY_COLUMNS,
  type FamilyExtension,
  familyColumns,
  familyPartition,
  generateRecords,
  RV32IM_FAMILY_LIST,
  rv32imFamily,
  type SyscallExtension,
  VmConfigError,
} from '../src/index.js';
import { runAllPaths } from './support/run.js';

const guest = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url)));
const u32le = (...xs: number[]) => new Uint8Array(Uint32Array.from(xs).buffer);
const SORT = { publicInput: u32le(60, 7) };

/** riscv.md's families with add, addi and sub regrouped into one 'arith' family. */
const REGROUPED: readonly FamilyExtension[] = [
  { name: 'arith', plugin: '@acme/air-arith', ops: ['sub', 'add', 'addi'] },
  ...RV32IM_FAMILY_LIST.filter((f) => f.name !== 'add' && f.name !== 'sub'),
];

describe('instruction families', () => {
  it("riscv.md's records columns are those their instructions access", () => {
    for (const f of FAMILIES)
      expect(familyColumns(rv32imFamily(f, 'x').ops)).toEqual(FAMILY_COLUMNS[f]);
  });

  it('a regrouped machine records the same executions in its own table, in both pass-2 modes', () => {
    const elf = guest('sort');
    const plain = runAllPaths(elf, SORT);
    const regrouped = runAllPaths(elf, { ...SORT, families: REGROUPED });
    expect(regrouped.run.stats.familyRows.arith).toBe(
      plain.run.stats.familyRows.add! + plain.run.stats.familyRows.sub!,
    );
    expect(regrouped.run.stats.familyRows.add).toBeUndefined();
    const arith = regrouped.records.families.arith!;
    const { add, sub } = plain.records.families;
    expect(arith.length).toBe(add.length + sub.length);
    expect(sub.length).toBeGreaterThan(0);
    expect(regrouped.records.families.add.length).toBe(0);
    // Row by row in clk order: the same cells, with the op as this family numbers it.
    const byClk = new Map<number, { cols: Record<string, Uint32Array>; row: number; op: number }>();
    const addCols = add.columns as unknown as Record<string, Uint32Array>;
    const subCols = sub.columns as unknown as Record<string, Uint32Array>;
    for (let i = 0; i < add.length; i++)
      byClk.set(addCols.clk![i]!, { cols: addCols, row: i, op: 1 + addCols.op![i]! });
    for (let i = 0; i < sub.length; i++)
      byClk.set(subCols.clk![i]!, { cols: subCols, row: i, op: 0 });
    const cols = arith.columns;
    for (let i = 0; i < arith.length; i++) {
      const want = byClk.get(cols.clk![i]!)!;
      expect(cols.op![i]).toBe(want.op);
      for (const c of Object.keys(want.cols)) {
        if (c !== 'op')
          expect(cols[c]![i], `${c} at clk ${cols.clk![i]}`).toBe(want.cols[c]![want.row]);
      }
    }
    // Every other table is untouched.
    for (const f of FAMILIES) {
      if (f === 'add' || f === 'sub') continue;
      expect(regrouped.records.families[f].length).toBe(plain.records.families[f].length);
    }
  });

  it('a machine without a family reports the instructions it cannot record, and pass 2 names them', () => {
    const elf = guest('mext');
    const withoutMul = RV32IM_FAMILY_LIST.filter((f) => f.name !== 'mul');
    const run = execute(elf, { families: withoutMul });
    expect(Object.keys(run.stats.unclaimed).sort()).toEqual(
      Object.keys(execute(elf).stats.mix)
        .filter((m) => m.startsWith('mul'))
        .sort(),
    );
    expect(execute(elf).stats.unclaimed).toEqual({});
    expect(() => generateRecords(elf, deriveLayout(run.stats), { families: withoutMul })).toThrow(
      /executes mul\w* at 0x[0-9a-f]+, which no instruction family of this machine records/,
    );
    const noEcall = RV32IM_FAMILY_LIST.filter((f) => f.name !== 'ecall');
    expect(execute(guest('fib'), { families: noEcall }).stats.unclaimed.ecall).toBeGreaterThan(0);
  });

  it('malformed family lists are clear errors', () => {
    const bad = (list: unknown[], message: RegExp) =>
      expect(() => familyPartition(list as FamilyExtension[])).toThrow(
        expect.objectContaining({
          constructor: VmConfigError,
          message: expect.stringMatching(message),
        }),
      );
    const fam = (name: string, ops: unknown, plugin = '@x/p') => ({ name, plugin, ops });
    bad([fam('a', ['add']), fam('b', ['addi', 'add'])], /add is claimed by both @x\/p's family a/);
    bad([fam('a', ['add']), fam('a', ['sub'])], /family a is registered by both/);
    bad([fam('a', ['frobnicate'])], /'frobnicate' is not an RV32IM instruction/);
    bad([fam('a', ['custom'])], /vm.instruction extensions/);
    bad([fam('a', ['ecall', 'add'])], /ecall stands alone/);
    bad([fam('io', ['add'])], /'io' is reserved/);
    bad([fam('a', [])], /1..127 instructions/);
    bad([fam('a', 'add')], /1..127 instructions/);
    bad([fam('a b', ['add'])], /named by a word/);
    bad([null], /named by a word/);
    const sha: SyscallExtension = {
      number: 0x1001,
      name: 'sha',
      plugin: '@x/sha',
      table: 'add',
      regions: [{ arg: 0, words: 8, writes: true }],
      compute() {},
    };
    expect(() => execute(guest('fib'), { syscalls: [sha] })).toThrow(
      /records table add is used by both the RV32IM preset \(@nexus\/rv32im\)'s family and @x\/sha/,
    );
  });
});
