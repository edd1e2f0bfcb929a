import { NexusError } from '@nexus/field';

/** Formats a 32-bit value as `0x` + 8 hex digits, the way every VM message names addresses. */
export function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Base class of every error the VM throws: bad ELF files, bad options, and faults of the guest.
 *
 * @example
 * try { runProgram(elf) } catch (e) { if (e instanceof VmError) console.error(e.message) }
 */
export class VmError extends NexusError {}

/**
 * The ELF file cannot be run: not ELF, wrong class/endianness/machine/type, truncated, or with
 * segments the VM cannot map. The message says what was found and what to build instead.
 */
export class ElfError extends VmError {}

/** A caller passed invalid options (inputs, limits, a layout that does not fit the program). */
export class VmConfigError extends VmError {}

/**
 * A fault of the guest program: the machine stopped at `pc` because of `cause`. `clk` is the
 * cycle number (1-based) of the instruction that faulted, or of the instruction that would have
 * run when the cycle limit stopped the run.
 */
export class VmFault extends VmError {
  /** Address of the instruction that faulted. */
  readonly pc: number;
  /** 1-based cycle of the faulting instruction; filled in by the runner (0 until then). */
  clk: number;

  constructor(pc: number, message: string, details: Record<string, unknown> = {}) {
    super(`${message} (pc ${hex32(pc)})`, { pc, ...details });
    this.pc = pc >>> 0;
    this.clk = 0;
  }
}

/** The word at pc is not an RV32IM instruction (or is EBREAK, a CSR access, FENCE.I, ...). */
export class IllegalInstructionError extends VmFault {
  readonly word: number;
  constructor(pc: number, word: number, reason: string) {
    super(pc, `illegal instruction ${hex32(word)}: ${reason}`, { word: word >>> 0, reason });
    this.word = word >>> 0;
  }
}

/** Kind of memory access that faulted. */
export type AccessKind = 'fetch' | 'load' | 'store';

/**
 * A load/store whose address is not a multiple of its size (LW/SW need 4, LH/LHU/SH need 2), or
 * a jump/branch to an address that is not a multiple of 4 (RV32IM has no compressed
 * instructions, so the fault is reported on the jump itself, as the RISC-V spec says).
 */
export class MisalignedAccessError extends VmFault {
  readonly address: number;
  readonly access: AccessKind;
  constructor(pc: number, address: number, access: AccessKind, size: number) {
    const what =
      access === 'fetch'
        ? `jump to misaligned target ${hex32(address)} (instructions are 4-byte aligned)`
        : `misaligned ${size}-byte ${access} at ${hex32(address)} (needs ${size}-byte alignment)`;
    super(pc, what, { address: address >>> 0, access, size });
    this.address = address >>> 0;
    this.access = access;
  }
}

/** An access (or an instruction fetch) outside every mapped segment and the stack region. */
export class UnmappedAddressError extends VmFault {
  readonly address: number;
  readonly access: AccessKind;
  constructor(pc: number, address: number, access: AccessKind, size: number) {
    const what =
      access === 'fetch'
        ? `instruction fetch from ${hex32(address)}, which is not in an executable segment`
        : `${size}-byte ${access} at unmapped address ${hex32(address)}`;
    super(pc, what, { address: address >>> 0, access, size });
    this.address = address >>> 0;
    this.access = access;
  }
}

/** A store (or a read syscall) into a segment that is not writable: code or read-only data. */
export class CodeWriteError extends VmFault {
  readonly address: number;
  constructor(pc: number, address: number, segment: string) {
    super(pc, `write to ${hex32(address)} in read-only ${segment} segment`, {
      address: address >>> 0,
      segment,
    });
    this.address = address >>> 0;
  }
}

/** `ecall` with a syscall number (a7) the guest ABI does not define. */
export class UnknownSyscallError extends VmFault {
  readonly syscall: number;
  /**
   * @param known the package that implements a7 when riscv.md assigns it (a precompile this
   *   build lacks); @param available the precompiles this build has, by number
   */
  constructor(pc: number, a7: number, known?: string, available: readonly number[] = []) {
    const have =
      available.length === 0
        ? ''
        : `, and the precompiles ${available.map((n) => `0x${n.toString(16)}`).join(', ')}`;
    const hint =
      known !== undefined
        ? `: it is the precompile of ${known}, which this zkVM build does not include; add that plugin to the plugin list (--config)`
        : `: the guest ABI has only exit (93), read (63) and write (64)${have}`;
    super(pc, `unknown syscall a7=${a7 | 0} (0x${(a7 >>> 0).toString(16)})${hint}`, {
      a7: a7 | 0,
    });
    this.syscall = a7 | 0;
  }
}

/** A precompile call whose memory regions of one kind (read or written) overlap. */
export class PrecompileArgumentError extends VmFault {
  constructor(pc: number, name: string, message: string) {
    super(pc, `${name}: ${message}`, { precompile: name });
  }
}

/** read/write on a file descriptor the guest ABI does not define for that call. */
export class BadFileDescriptorError extends VmFault {
  readonly fd: number;
  constructor(pc: number, call: 'read' | 'write', fd: number) {
    const allowed =
      call === 'read'
        ? 'fd 0 (private input) or 3 (public input)'
        : 'fd 1 (public output) or 2 (debug log)';
    super(
      pc,
      `${call} on bad fd ${fd | 0} (a7=${call === 'read' ? 63 : 64}): ${call} takes ${allowed}`,
      {
        fd: fd | 0,
        call,
      },
    );
    this.fd = fd | 0;
  }
}

/** The guest did not exit within the cycle limit. `pc` is the next instruction it would run. */
export class CycleLimitError extends VmFault {
  readonly limit: number;
  constructor(pc: number, limit: number) {
    super(
      pc,
      `cycle limit reached: the guest did not exit within ${limit} cycles (raise the limit, e.g. --max-cycles)`,
      { limit },
    );
    this.limit = limit;
  }
}

/**
 * Pass 2 met something its fixed layout does not cover: a memory word outside the layout's
 * address list, or more rows in a family than the layout allows.
 */
export class LayoutError extends VmFault {}
