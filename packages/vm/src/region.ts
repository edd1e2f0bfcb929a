import type { CodeRom } from './code.js';
import { Op } from './isa.js';

/** Most basic blocks one region holds (the dispatch `switch` stays a small jump table). */
export const MAX_REGION_BLOCKS = 48;

/**
 * Most instructions one region holds: V8 stops optimising functions past a bytecode size, and
 * a region's function must stay under it (measured: ~600 instructions of generated code
 * optimise like a small block).
 */
export const MAX_REGION_INSTRUCTIONS = 600;

/**
 * The ROM indices of the blocks a control transfer at the end of the block at `wi` (length
 * `len`) can statically go to: a branch's target and fall-through, a jump's target, the next
 * instruction after a custom instruction or a block cut at its maximum length. A jalr's target
 * is known only at run time and an ecall leaves to the machine, so they have none. Misaligned
 * or out-of-ROM targets are left out (the block faults there, or the dispatcher does).
 */
export function staticSuccessors(rom: CodeRom, wi: number, len: number): number[] {
  const last = wi + len - 1;
  const op = rom.op[last]!;
  const pc = (rom.base + 4 * last) >>> 0;
  const out: number[] = [];
  const add = (target: number) => {
    const i = rom.indexOf(target >>> 0);
    if (i >= 0) out.push(i);
  };
  if (op >= Op.BEQ && op <= Op.BGEU) {
    add(pc + rom.imm[last]!);
    add(pc + 4);
  } else if (op === Op.JAL) add(pc + rom.imm[last]!);
  else if (op !== Op.JALR && op !== Op.ECALL) add(pc + 4);
  return out;
}

/**
 * The blocks of the region rooted at the (hot) block `root`: the loop around it, i.e. the
 * blocks that have already run (`ran`), have no region of their own yet (`free`), and lie on a
 * cycle through the root by static control transfers (reachable from it and reaching it back),
 * within the region's size limits. A region runs as one function (see `compileRegion`), so its
 * loop never returns to the dispatcher.
 *
 * Why loops and not everything reachable: V8 optimises a function from the type feedback its
 * code has collected, and deoptimises it when it reaches code that has never run in it. One
 * region holding a whole program runs its later parts unoptimised again and again; a region per
 * loop (an inner loop already compiled is an exit of the outer one) is optimised once, early.
 * Returned sorted by address, the root among them, so fall-through edges are adjacent.
 */
export function selectRegion(
  rom: CodeRom,
  root: number,
  ran: (wi: number) => boolean,
  free: (wi: number) => boolean = () => true,
  maxBlocks = MAX_REGION_BLOCKS,
): number[] {
  // Forward: blocks reachable from the root.
  const succ = new Map<number, number[]>();
  const forward = new Set<number>([root]);
  const queue = [root];
  for (let q = 0; q < queue.length && forward.size < 4 * maxBlocks; q++) {
    const wi = queue[q]!;
    const next = staticSuccessors(rom, wi, rom.blockLength(wi)).filter(
      (n) => rom.blockLength(n) > 0 && ran(n) && (n === root || free(n)),
    );
    succ.set(wi, next);
    for (const n of next) {
      if (forward.has(n)) continue;
      forward.add(n);
      queue.push(n);
    }
  }
  // Backward: those of them from which the root is reachable again.
  const pred = new Map<number, number[]>();
  for (const [wi, next] of succ) {
    for (const n of next) {
      const list = pred.get(n);
      if (list === undefined) pred.set(n, [wi]);
      else list.push(wi);
    }
  }
  const chosen = new Set<number>([root]);
  const back = [root];
  let instructions = rom.blockLength(root);
  for (let q = 0; q < back.length && chosen.size < maxBlocks; q++) {
    for (const p of pred.get(back[q]!) ?? []) {
      if (chosen.has(p) || chosen.size >= maxBlocks) continue;
      const len = rom.blockLength(p);
      if (instructions + len > MAX_REGION_INSTRUCTIONS) continue;
      instructions += len;
      chosen.add(p);
      back.push(p);
    }
  }
  return [...chosen].sort((a, b) => a - b);
}
