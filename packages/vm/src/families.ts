import { storedColumns } from './derived-columns.js';
import { VmConfigError } from './errors.js';
import { FAMILIES, type Family, LOCAL_OPS, MNEMONICS, OP_COUNT, Op } from './isa.js';
import { familyColumns } from './records.js';

/**
 * Instruction families: how the machine's RV32IM instructions are grouped into records tables,
 * one AIR component each. The grouping comes from the assembled system: every family plugin
 * registers its family under FAMILY_EXTENSION, the bundled `@nexus/air-*` plugins exactly as a
 * third party would, and both passes build their tables from that list. A build may regroup
 * instructions (say ADD, ADDI and SUB in one component) by registering other families.
 */
export const FAMILY_EXTENSION = 'vm.family';

/** One instruction family, as a plugin registers it. */
export interface FamilyExtension {
  /** The records table, and so the component that proves it (a component proves its name). */
  readonly name: string;
  /** The npm package that provides it: named in errors on builds without it. */
  readonly plugin: string;
  /**
   * The instructions it proves, by mnemonic (`MNEMONICS`). The position of each is the `op`
   * value its records carry: the encoding the component's `evaluate` reads. The `ecall` family
   * is the one whose op is chosen at run time (by a7: exit 0, read 1, write 2), so `ecall`
   * stands alone in its family.
   */
  readonly ops: readonly string[];
}

/** A checked list of families, indexed for the hot loops of both passes. */
export interface FamilyPartition {
  readonly families: readonly FamilyExtension[];
  /** Family index of every global op id; -1 where no family of the machine claims the op. */
  readonly familyOf: Int8Array;
  /** The `op` value records carry, per global op id. */
  readonly localOpOf: Int8Array;
  /** The records columns of each family (familyColumns of its ops). */
  readonly columns: readonly (readonly string[])[];
  /** The columns pass 2 writes of each family (storedColumns); the others are derived. */
  readonly stored: readonly (readonly string[])[];
  /** Identifies the grouping (compiled pass-2 blocks bake it in and are cached under it). */
  readonly key: string;
}

/**
 * A family of riscv.md's RV32IM grouping (`FAMILIES`, `LOCAL_OPS`), as its plugin registers it:
 * `extensions: [{ kind: FAMILY_EXTENSION, value: rv32imFamily('add', NAME) }]`.
 */
export function rv32imFamily(name: Family, plugin: string): FamilyExtension {
  // The ecall family's local ops (exit, read, write) are syscalls, not instructions.
  return { name, plugin, ops: name === 'ecall' ? ['ecall'] : LOCAL_OPS[name] };
}

/**
 * The RV32IM grouping: what a machine without registered families uses (`nexus run`, tests of
 * the VM alone).
 */
export const RV32IM_FAMILY_LIST: readonly FamilyExtension[] = FAMILIES.map((name) =>
  rv32imFamily(name, 'the RV32IM preset (@nexus/rv32im)'),
);

/** Names the families may not take: tables the machine fills itself. */
const RESERVED = new Set(['io']);

const cache = new WeakMap<readonly FamilyExtension[], FamilyPartition>();

/**
 * Checks a list of families and indexes it; an absent or empty list is the RV32IM grouping.
 *
 * @throws VmConfigError for a malformed family, a name used twice or reserved, an unknown
 *   mnemonic, an instruction claimed by two families, or `ecall` sharing its family
 */
export function familyPartition(list?: readonly FamilyExtension[]): FamilyPartition {
  const families = list === undefined || list.length === 0 ? RV32IM_FAMILY_LIST : list;
  const known = cache.get(families);
  if (known !== undefined) return known;
  if (families.length > 127) throw new VmConfigError('a machine has at most 127 families');
  const familyOf = new Int8Array(OP_COUNT + 1).fill(-1);
  const localOpOf = new Int8Array(OP_COUNT + 1).fill(-1);
  const names = new Map<string, string>();
  families.forEach((fam, f) => {
    const who = `${fam?.plugin ?? '?'}'s family ${fam?.name ?? '?'}`;
    if (typeof fam?.name !== 'string' || !/^[a-z][a-z0-9_-]*$/i.test(fam.name))
      throw new VmConfigError(`${who}: a family is named by a word (letters, digits, - and _)`);
    if (RESERVED.has(fam.name)) throw new VmConfigError(`${who}: '${fam.name}' is reserved`);
    const owner = names.get(fam.name);
    if (owner !== undefined)
      throw new VmConfigError(
        `family ${fam.name} is registered by both ${owner} and ${fam.plugin}`,
      );
    names.set(fam.name, fam.plugin);
    if (!Array.isArray(fam.ops) || fam.ops.length === 0 || fam.ops.length > 127)
      throw new VmConfigError(`${who}: a family proves 1..127 instructions`);
    fam.ops.forEach((mnemonic, local) => {
      const op = MNEMONICS.indexOf(mnemonic);
      if (op < 0 || op >= Op.CUSTOM) {
        throw new VmConfigError(
          `${who}: '${mnemonic}' is not an RV32IM instruction (custom instructions are vm.instruction extensions)`,
        );
      }
      if (familyOf[op] !== -1) {
        const other = families[familyOf[op]!]!;
        throw new VmConfigError(
          `${mnemonic} is claimed by both ${other.plugin}'s family ${other.name} and ${who}`,
        );
      }
      familyOf[op] = f;
      localOpOf[op] = local;
    });
    if (fam.ops.includes('ecall') && fam.ops.length > 1)
      throw new VmConfigError(`${who}: ecall stands alone in its family (its op is the syscall)`);
  });
  const columns = families.map((fam) => familyColumns(fam.ops));
  const partition: FamilyPartition = {
    families,
    familyOf,
    localOpOf,
    columns,
    stored: families.map((fam, f) =>
      storedColumns(
        columns[f]!,
        fam.ops.map((m) => MNEMONICS.indexOf(m)),
      ),
    ),
    key: families.map((fam) => `${fam.name}:${fam.ops.join(',')}`).join(';'),
  };
  cache.set(families, partition);
  return partition;
}

/**
 * Checks that no family takes the name of an extension's records table (a component proves the
 * table of its name, so two tables of one name would be proven by one component).
 */
export function checkFamilyNames(
  partition: FamilyPartition,
  extensions: Iterable<{ readonly table: string; readonly plugin: string }>,
): void {
  for (const ext of extensions) {
    const fam = partition.families.find((f) => f.name === ext.table);
    if (fam !== undefined) {
      throw new VmConfigError(
        `records table ${ext.table} is used by both ${fam.plugin}'s family and ${ext.plugin}`,
      );
    }
  }
}

/**
 * Executions of instructions no family of the partition claims, by mnemonic: what a build
 * lacks to prove a run (the ecall's count is its syscalls').
 */
export function unclaimedOps(
  partition: FamilyPartition,
  opCounts: Float64Array,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (let op = 0; op < Op.CUSTOM; op++) {
    if (partition.familyOf[op] === -1 && opCounts[op]! > 0) out[MNEMONICS[op]!] = opCounts[op]!;
  }
  return out;
}
