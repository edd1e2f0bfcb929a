/**
 * Independent checks of pass-2 records, written from the records' documentation (README.md)
 * rather than from the tracer's code:
 * - the memory argument: every access consumes (space, addr, prev value, prev ts) and produces
 *   (space, addr, new value, ts); init rows produce (addr, init value, 0); final rows consume
 *   (addr, final value, final ts). The multiset must balance exactly, and prev ts < ts always.
 * - the execution chain: clk runs 1..T once each, pc(1) = entry, pc(k+1) = nextPc(k),
 *   nextPc(T) = finalPc.
 * - the tapes: io bytes equal the inputs at their offsets and make up the outputs.
 */
import { type FamilyExtension, type Records, RV32IM_FAMILY_LIST } from '../../src/index.js';

const REG = 0;
const RAM = 1;

/** The instructions that read rs2 (R-type ALU, M extension, branches, stores), by mnemonic. */
const READS_RS2 = new Set(
  'add sub sll slt sltu xor srl sra or and mul mulh mulhsu mulhu div divu rem remu beq bne blt bge bltu bgeu sb sh sw'.split(
    ' ',
  ),
);

/** The records tables of the families, each with its mnemonics (the `op` column indexes them). */
function familyTables(rec: Records, families: readonly FamilyExtension[]) {
  return families.map(({ name, ops }) => {
    const t = rec.families[name];
    if (t === undefined) throw new Error(`records check failed: no table for family ${name}`);
    const c = t.columns as unknown as Record<string, Uint32Array>;
    const has = (col: string) => c[col] !== undefined;
    return {
      name,
      length: t.length,
      c,
      isEcall: ops[0] === 'ecall',
      readsRs2: (op: number) => READS_RS2.has(ops[op]!),
      hasRs1: has('rs1'),
      hasRs2: has('rs2'),
      hasRd: has('rd'),
      hasMem: has('memAddr'),
    };
  });
}

export interface ReplaySummary {
  accesses: number;
  cycles: number;
}

export function replayRecords(
  rec: Records,
  families: readonly FamilyExtension[] = RV32IM_FAMILY_LIST,
): ReplaySummary {
  const bag = new Map<string, number>();
  let accesses = 0;
  const errors: string[] = [];
  const fail = (m: string) => {
    if (errors.length < 10) errors.push(m);
  };
  const put = (space: number, addr: number, value: number, ts: number, n: number) => {
    const key = `${space}:${addr >>> 0}:${value >>> 0}:${ts}`;
    const c = (bag.get(key) ?? 0) + n;
    if (c === 0) bag.delete(key);
    else bag.set(key, c);
  };
  const access = (
    space: number,
    addr: number,
    prev: number,
    prevTs: number,
    value: number,
    ts: number,
    where: string,
  ) => {
    accesses++;
    if (!(prevTs < ts)) fail(`${where}: prev ts ${prevTs} is not < ts ${ts}`);
    put(space, addr, prev, prevTs, -1);
    put(space, addr, value, ts, +1);
  };

  // Init and final.
  for (let r = 0; r < 32; r++) put(REG, r, rec.registersInit[r]!, 0, +1);
  for (let r = 0; r < 32; r++)
    put(REG, r, rec.registersFinal.value[r]!, rec.registersFinal.ts[r]!, -1);
  const mi = rec.memoryInit;
  const mf = rec.memoryFinal;
  for (let k = 0; k < mi.address.length; k++) {
    if (k > 0 && mi.address[k]! <= mi.address[k - 1]!)
      fail(`memory init addresses not increasing at ${k}`);
    put(RAM, mi.address[k]!, mi.value[k]!, 0, +1);
    put(RAM, mf.address[k]!, mf.value[k]!, mf.ts[k]!, -1);
  }

  // Execution chain.
  const T = rec.cycles;
  const pcAt = new Float64Array(T + 2).fill(-1);
  const nextAt = new Float64Array(T + 2).fill(-1);

  for (const t of familyTables(rec, families)) {
    const { c, name: f, hasRs1, hasRs2, hasRd, hasMem } = t;
    for (let r = 0; r < t.length; r++) {
      const clk = c.clk![r]!;
      const where = `${f}[${r}] clk ${clk}`;
      if (clk < 1 || clk > T) fail(`${where}: clk out of range`);
      else {
        if (pcAt[clk] !== -1) fail(`${where}: clk used twice`);
        pcAt[clk] = c.pc![r]!;
        nextAt[clk] = c.nextPc![r]!;
      }
      const ts = 4 * clk;
      if (t.isEcall) {
        access(REG, 17, c.a7![r]!, c.a7Ts![r]!, c.a7![r]!, ts, `${where} a7`);
        access(REG, 10, c.a0![r]!, c.a0Ts![r]!, c.a0![r]!, ts, `${where} a0`);
        access(REG, 11, c.a1![r]!, c.a1Ts![r]!, c.a1![r]!, ts, `${where} a1`);
        access(REG, 12, c.a2![r]!, c.a2Ts![r]!, c.a2![r]!, ts, `${where} a2`);
        if (c.op![r] !== 0)
          access(REG, 10, c.a0![r]!, ts, c.rdVal![r]!, ts + 2, `${where} a0 write`);
        continue;
      }
      if (hasRs1)
        access(REG, c.rs1![r]!, c.rs1Val![r]!, c.rs1Ts![r]!, c.rs1Val![r]!, ts, `${where} rs1`);
      if (hasRs2 && t.readsRs2(c.op![r]!)) {
        access(REG, c.rs2![r]!, c.rs2Val![r]!, c.rs2Ts![r]!, c.rs2Val![r]!, ts + 1, `${where} rs2`);
      }
      if (hasRd) {
        const rd = c.rd![r]!;
        if (rd === 0 && (c.rdVal![r] !== 0 || c.rdPrev![r] !== 0)) fail(`${where}: x0 write not 0`);
        // a write to x0 is dropped: no access
        if (rd !== 0)
          access(REG, rd, c.rdPrev![r]!, c.rdPrevTs![r]!, c.rdVal![r]!, ts + 2, `${where} rd`);
      }
      if (hasMem) {
        if (c.memAddr![r]! % 4 !== 0) fail(`${where}: memAddr not word aligned`);
        access(
          RAM,
          c.memAddr![r]!,
          c.memPrev![r]!,
          c.memPrevTs![r]!,
          c.memVal![r]!,
          ts + 3,
          `${where} mem`,
        );
      }
    }
  }
  const io = rec.io.columns;
  const tapes: Record<number, Uint8Array> = {
    0: rec.privateInput,
    1: rec.publicOutput,
    2: rec.log,
    3: rec.publicInput,
  };
  for (let r = 0; r < rec.io.length; r++) {
    const where = `io[${r}] clk ${io.clk[r]}`;
    if (io.ts[r] !== 4 * io.clk[r]! + (io.addr[r]! & 3))
      fail(`${where}: ts is not 4*clk + (addr & 3)`);
    if (io.memAddr[r] !== (io.addr[r]! & ~3) >>> 0) fail(`${where}: memAddr mismatch`);
    const shift = (io.addr[r]! & 3) * 8;
    if (((io.memVal[r]! >>> shift) & 0xff) !== io.byte[r])
      fail(`${where}: byte not in the new word`);
    const tape = tapes[io.fd[r]!];
    if (tape !== undefined && tape.length > 0 && tape[io.offset[r]!] !== io.byte[r])
      fail(`${where}: byte differs from tape`);
    access(RAM, io.memAddr[r]!, io.memPrev[r]!, io.memPrevTs[r]!, io.memVal[r]!, io.ts[r]!, where);
  }

  // Chain.
  if (T > 0 && pcAt[1] !== rec.entryPc) fail(`pc at clk 1 is ${pcAt[1]}, entry is ${rec.entryPc}`);
  for (let k = 1; k <= T; k++) {
    if (pcAt[k] === -1) {
      fail(`no row for clk ${k}`);
      break;
    }
    if (k < T && nextAt[k] !== pcAt[k + 1]) fail(`chain broken between clk ${k} and ${k + 1}`);
  }
  if (T > 0 && nextAt[T] !== rec.finalPc) fail('last nextPc is not finalPc');

  if (bag.size !== 0) {
    const sample = [...bag.entries()].slice(0, 5).map(([k, v]) => `${k} x${v}`);
    fail(`memory multiset unbalanced (${bag.size} tuples), e.g. ${sample.join(', ')}`);
  }
  if (errors.length > 0) throw new Error(`records check failed:\n${errors.join('\n')}`);
  return { accesses, cycles: T };
}

/**
 * The memory argument as a fingerprint, for traces too large for `replayRecords`: every tuple
 * (space, addr, value, ts) is hashed to 64 bits (two independent 32-bit mixes); produced tuples
 * add, consumed ones subtract, mod 2^32 each. Balanced multisets give 0; an unbalanced one gives
 * 0 with probability about 2^-64. Also checks prev ts < ts for every access.
 */
export function fingerprintRecords(
  rec: Records,
  families: readonly FamilyExtension[] = RV32IM_FAMILY_LIST,
): { accesses: number } {
  let s1 = 0;
  let s2 = 0;
  let accesses = 0;
  let badTs = 0;
  const mix = (x: number, k: number) => {
    let h = Math.imul(x ^ k, 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca77);
    h ^= h >>> 13;
    return h;
  };
  const hash = (seed: number, space: number, addr: number, value: number, ts: number) => {
    let h = mix(space, seed);
    h = mix(h ^ addr, seed + 1);
    h = mix(h ^ value, seed + 2);
    return mix(h ^ ts, seed + 3);
  };
  const tuple = (sign: number, space: number, addr: number, value: number, ts: number) => {
    s1 = (s1 + sign * hash(0x1234567, space, addr, value, ts)) | 0;
    s2 = (s2 + sign * hash(0x7654321, space, addr, value, ts)) | 0;
  };
  const access = (
    space: number,
    addr: number,
    prev: number,
    prevTs: number,
    value: number,
    ts: number,
  ) => {
    accesses++;
    if (!(prevTs < ts)) badTs++;
    tuple(-1, space, addr, prev, prevTs);
    tuple(+1, space, addr, value, ts);
  };
  for (let r = 0; r < 32; r++) {
    tuple(+1, REG, r, rec.registersInit[r]!, 0);
    tuple(-1, REG, r, rec.registersFinal.value[r]!, rec.registersFinal.ts[r]!);
  }
  for (let k = 0; k < rec.memoryInit.address.length; k++) {
    tuple(+1, RAM, rec.memoryInit.address[k]!, rec.memoryInit.value[k]!, 0);
    tuple(-1, RAM, rec.memoryFinal.address[k]!, rec.memoryFinal.value[k]!, rec.memoryFinal.ts[k]!);
  }
  for (const t of familyTables(rec, families)) {
    const c = t.c;
    for (let r = 0; r < t.length; r++) {
      const ts = 4 * c.clk![r]!;
      if (t.isEcall) {
        access(REG, 17, c.a7![r]!, c.a7Ts![r]!, c.a7![r]!, ts);
        access(REG, 10, c.a0![r]!, c.a0Ts![r]!, c.a0![r]!, ts);
        access(REG, 11, c.a1![r]!, c.a1Ts![r]!, c.a1![r]!, ts);
        access(REG, 12, c.a2![r]!, c.a2Ts![r]!, c.a2![r]!, ts);
        if (c.op![r] !== 0) access(REG, 10, c.a0![r]!, ts, c.rdVal![r]!, ts + 2);
        continue;
      }
      if (t.hasRs1) access(REG, c.rs1![r]!, c.rs1Val![r]!, c.rs1Ts![r]!, c.rs1Val![r]!, ts);
      if (t.hasRs2 && t.readsRs2(c.op![r]!))
        access(REG, c.rs2![r]!, c.rs2Val![r]!, c.rs2Ts![r]!, c.rs2Val![r]!, ts + 1);
      if (t.hasRd && c.rd![r] !== 0)
        access(REG, c.rd![r]!, c.rdPrev![r]!, c.rdPrevTs![r]!, c.rdVal![r]!, ts + 2);
      if (t.hasMem)
        access(RAM, c.memAddr![r]!, c.memPrev![r]!, c.memPrevTs![r]!, c.memVal![r]!, ts + 3);
    }
  }
  const io = rec.io.columns;
  for (let r = 0; r < rec.io.length; r++)
    access(RAM, io.memAddr[r]!, io.memPrev[r]!, io.memPrevTs[r]!, io.memVal[r]!, io.ts[r]!);
  if (badTs > 0) throw new Error(`records check failed: ${badTs} accesses with prev ts >= ts`);
  if (s1 !== 0 || s2 !== 0)
    throw new Error(`records check failed: memory fingerprint unbalanced (${s1}, ${s2})`);
  return { accesses };
}
