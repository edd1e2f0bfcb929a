/**
 * What each Rust guest should produce, computed here independently of the VM and of qemu, from
 * the specifications in the guests' doc comments.
 */
import { createHash } from 'node:crypto';
import { keccak256 } from '@nexus/precompile-keccak';
import { bytes, EXIT_OUT_OF_MEMORY, EXIT_PANIC, EXIT_STACK_OVERFLOW, u32le } from './support.js';

export interface Expected {
  readonly output: Uint8Array;
  readonly exitCode: number;
  /** A pattern the whole debug log must match. */
  readonly log: RegExp;
}

export function fib(n: number): Expected {
  let a = 0n;
  let b = 1n;
  for (let i = 0; i < n; i++) [a, b] = [b, (a + b) & 0xffffffffffffffffn];
  const output = new Uint8Array(8);
  new DataView(output.buffer).setBigUint64(0, a, true);
  return { output, exitCode: 0, log: new RegExp(`^fib\\(${n}\\) mod 2\\^64 = ${a}\\n$`) };
}

export function sha256(input: Uint8Array): Expected {
  const digest = createHash('sha256').update(input).digest();
  return {
    output: new Uint8Array(digest),
    exitCode: 0,
    log: new RegExp(`^sha256 of ${input.length} bytes: ${digest.toString('hex')}\\n$`),
  };
}

/**
 * The hash guest: Keccak-256 of the rest when the input starts with 'k' (zkvm::keccak256), else
 * SHA-256 of all of it (zkvm::sha256): the precompiles, or their software fallbacks.
 */
export function hash(input: Uint8Array): Expected {
  if (input[0] === 0x6b) {
    const digest = keccak256(input.subarray(1));
    return {
      output: digest,
      exitCode: 0,
      log: new RegExp(`^keccak256 of ${input.length - 1} bytes through the precompile\\n$`),
    };
  }
  const digest = createHash('sha256').update(input).digest();
  return {
    output: new Uint8Array(digest),
    exitCode: 0,
    log: new RegExp(`^sha256 of ${input.length} bytes through the precompile\\n$`),
  };
}

const DEFAULT_TEXT =
  'the quick brown fox jumps over the lazy dog; the dog sleeps, the fox runs, and the quick fox jumps again over the sleeping dog';

/** Maximal runs of ASCII letters and digits, lowercased (bytes >= 0x80 separate words). */
function words(input: Uint8Array): string[] {
  const out: string[] = [];
  let word = '';
  for (const b of input) {
    const c = String.fromCharCode(b);
    if (b < 0x80 && /[A-Za-z0-9]/.test(c)) word += c.toLowerCase();
    else if (word) {
      out.push(word);
      word = '';
    }
  }
  if (word) out.push(word);
  return out;
}

export function collections(publicInput: Uint8Array, privateInput: Uint8Array): Expected {
  const text = publicInput.length > 0 ? publicInput : bytes(DEFAULT_TEXT);
  const stop = new Set(words(privateInput));
  const all = words(text).filter((w) => !stop.has(w));
  const counts = new Map<string, number>();
  for (const w of all) counts.set(w, (counts.get(w) ?? 0) + 1);
  // Words are ASCII, so JavaScript's string order is Rust's byte order.
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  let out = `words ${all.length}\ndistinct ${counts.size}\n`;
  for (const [w, c] of ranked.slice(0, 10)) out += `${c} ${w}\n`;
  return {
    output: bytes(out),
    exitCode: 0,
    log: new RegExp(
      `^collections: ${all.length} words, ${counts.size} distinct, ${stop.size} stop words, \\d+ heap bytes used\\n$`,
    ),
  };
}

/** The panic guest per mode (see src/panic.rs). */
export function panic(mode: number | undefined): Expected {
  const at = 'src/panic\\.rs:\\d+:\\d+';
  const before = bytes('before\n');
  switch (mode ?? 0) {
    case 0:
      return {
        output: before,
        exitCode: EXIT_PANIC,
        log: new RegExp(
          `^guest panicked at 'the guest was asked to panic \\(mode 0\\)', ${at}\\n$`,
        ),
      };
    case 1:
      return {
        output: before,
        exitCode: EXIT_PANIC,
        log: new RegExp(
          `^guest panicked at 'index out of bounds: the len is 3 but the index is 5', ${at}\\n$`,
        ),
      };
    case 2:
      return {
        output: before,
        exitCode: EXIT_PANIC,
        log: new RegExp(
          `^guest panicked at 'called \`Result::unwrap\\(\\)\` on an \`Err\` value: ParseIntError \\{ kind: InvalidDigit \\}', ${at}\\n$`,
        ),
      };
    case 3:
      return { output: before, exitCode: 7, log: /^$/ };
    default:
      return { output: bytes('before\nafter\n'), exitCode: 0, log: /^$/ };
  }
}

const HEAP = 1 << 20;
const STACK = 256 << 10;

/**
 * The oom guest with blocks of `size` bytes: 768 bytes for the list of blocks (64 Vec headers of
 * 12 bytes), then word-aligned blocks until the next one does not fit (sizes >= 16 KiB, so the
 * list never grows).
 */
export function oom(size: number): Expected {
  const aligned = (size + 3) & ~3;
  let used = 768;
  let blocks = 0;
  while (HEAP - used >= size) {
    blocks++;
    used += aligned;
  }
  const used2 = used - aligned + size; // the last block's own size, without its padding
  const output = new Uint8Array(4 * blocks);
  for (let i = 0; i < blocks; i++) output.set(u32le(i + 1), 4 * i);
  return {
    output,
    exitCode: EXIT_OUT_OF_MEMORY,
    log: new RegExp(
      `^oom: try_reserve of ${HEAP + 1} bytes failed, as it should\\n` +
        `guest ran out of heap memory: an allocation of ${size} bytes \\(align 1\\) does not fit; ${blocks > 0 ? used2 : used} of the heap's ${HEAP} bytes are in use \\(raise __heap_size at link time: HEAP_SIZE=<bytes> guests/rust/build\\.sh\\)\\n$`,
    ),
  };
}

/** The recursion guest: the checksum of `depth + 1` levels, or the stack guard's report. */
export function recursion(depth: number, overflows: boolean): Expected {
  if (overflows) {
    return {
      output: new Uint8Array(0),
      exitCode: EXIT_STACK_OVERFLOW,
      log: new RegExp(
        `^guest overflowed its stack: sp reached 0x[0-9a-f]{8}, within 8192 bytes of the bottom of the ${STACK}-byte stack \\[0x[0-9a-f]{8}, 0x[0-9a-f]{8}\\) \\(deep recursion or large locals; raise __stack_size at link time: STACK_SIZE=<bytes> guests/rust/build\\.sh\\)\\n$`,
      ),
    };
  }
  let sum = 0;
  for (let d = 0; d <= depth; d++) {
    for (let i = 0; i < 16; i++) {
      const v = (Math.imul(d, 31) + i) >>> 0;
      sum = (((sum << 5) | (sum >>> 27)) ^ v) >>> 0;
    }
  }
  return {
    output: u32le(sum),
    exitCode: 0,
    log: new RegExp(
      `^recursion: depth ${depth} checksum 0x${sum.toString(16).padStart(8, '0')}\\n$`,
    ),
  };
}

export const SELFTEST_CHECKS = [
  'zeroed_after_reuse',
  'alignment',
  'growth',
  'free_in_the_middle',
  'strings',
  'boxed_closures',
  'shrink_and_fail',
  'copy_and_fill',
  'overlapping_moves',
  'comparisons',
] as const;

/** The selftest guest with every check in `mask` passing. */
export function selftest(mask = 0xffffffff): Expected {
  const run = SELFTEST_CHECKS.filter((_, i) => (mask >>> i) & 1);
  return {
    output: bytes(run.map((c) => `${c} ok\n`).join('')),
    exitCode: 0,
    log: new RegExp(
      `^selftest: 0 of ${SELFTEST_CHECKS.length} checks failed, \\d+ heap bytes used\\n$`,
    ),
  };
}
