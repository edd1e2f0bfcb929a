import {
  BadFileDescriptorError,
  CodeWriteError,
  CycleLimitError,
  ElfError,
  IllegalInstructionError,
  MisalignedAccessError,
  UnknownSyscallError,
  UnmappedAddressError,
  VmConfigError,
  VmFault,
} from '@nexus/vm';

/**
 * Exit codes of the `nexus` command. A guest that exits returns its own code (the low 8 bits of
 * a0, as on Linux). Faults of the guest exit with 128 + the signal a Linux process would have died
 * of, so shells and CI report them the way they report a crashed native program.
 */
export const EXIT = {
  /** `verify`: the proof is not valid for this statement (the failed check is named). */
  INVALID: 1,
  /** Bad command line: unknown option, missing argument, bad value. */
  USAGE: 2,
  /** A file named on the command line does not exist. */
  NOT_FOUND: 3,
  /** A file exists but cannot be read (permissions, a directory, an I/O error). */
  UNREADABLE: 4,
  /**
   * The zkVM configuration: a config file that does not load or has no `plugins`, an unknown
   * plugin name, plugins that do not assemble, or a plugin set that cannot prove this guest.
   */
  CONFIG: 5,
  /** An output cannot be written (the proof file, a `nexus new` directory that is not empty). */
  CANNOT_WRITE: 6,
  /**
   * `--queue` / `nexus worker`: the Redis server does not answer, or the segments could not
   * be proven by the queue's workers (every result refused).
   */
  QUEUE: 7,
  /** The ELF file cannot be run (not RV32 ELF, malformed, ...); `inspect`: an unknown file kind. */
  BAD_ELF: 126,
  /** Illegal instruction (SIGILL). */
  ILLEGAL_INSTRUCTION: 128 + 4,
  /** Any other VM error, e.g. a layout error (SIGABRT). */
  VM_ERROR: 128 + 6,
  /** Misaligned access or jump (SIGBUS). */
  MISALIGNED: 128 + 7,
  /** Unmapped address or write into code / read-only data (SIGSEGV). */
  SEGFAULT: 128 + 11,
  /** Cycle limit (SIGXCPU). */
  CYCLE_LIMIT: 128 + 24,
  /** Unknown syscall or bad file descriptor (SIGSYS). */
  BAD_SYSCALL: 128 + 31,
  /** A bug in nexus itself. */
  INTERNAL: 70,
} as const;

/** The process exit code for an error thrown while loading or running a guest. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof IllegalInstructionError) return EXIT.ILLEGAL_INSTRUCTION;
  if (e instanceof MisalignedAccessError) return EXIT.MISALIGNED;
  if (e instanceof UnmappedAddressError || e instanceof CodeWriteError) return EXIT.SEGFAULT;
  if (e instanceof CycleLimitError) return EXIT.CYCLE_LIMIT;
  if (e instanceof UnknownSyscallError || e instanceof BadFileDescriptorError)
    return EXIT.BAD_SYSCALL;
  if (e instanceof VmFault) return EXIT.VM_ERROR;
  // An ELF the VM cannot map (e.g. too large, or in the way of the default stack) is a bad ELF too.
  if (e instanceof ElfError || e instanceof VmConfigError) return EXIT.BAD_ELF;
  return EXIT.INTERNAL;
}
