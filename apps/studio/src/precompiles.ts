import { keccakSyscall } from '@nexus/precompile-keccak';
import { sha256Syscall } from '@nexus/precompile-sha256';
import type { SyscallExtension } from '@nexus/vm';

/**
 * The precompiles the debugger's machine runs: the VM side of every precompile this distribution
 * ships (SHA-256 compression, in the default build; Keccak-f, which builds name), so a guest
 * calling either opens and steps. Only the VM side: the page does not assemble a zkVM for
 * stepping. Proving and the constraint view use the default build, as `nexus prove` does.
 */
export const PAGE_SYSCALLS: readonly SyscallExtension[] = [sha256Syscall, keccakSyscall];
