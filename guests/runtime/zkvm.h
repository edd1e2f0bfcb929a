/*
 * Guest runtime of the Nexus zkVM (riscv.md section 2).
 *
 * The ABI is Linux's on purpose: ecall with a7 = syscall number, a0..a2 = arguments, a0 = result.
 *   exit(93)  code                 stop; the exit code is part of the public statement
 *   read(63)  fd 0 = private input tape, fd 3 = public input tape; returns bytes read, 0 at end
 *   write(64) fd 1 = public output (committed by the proof), fd 2 = debug log (not proven)
 * so the same ELF runs under qemu-riscv32 (private input on stdin, public input on fd 3).
 *
 * stdio: printf/puts/putchar go to the debug log (line buffered, flushed at exit); getchar and
 * scanf read the private input.
 */
#ifndef NEXUS_ZKVM_H
#define NEXUS_ZKVM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ZKVM_SYS_EXIT 93
#define ZKVM_SYS_READ 63
#define ZKVM_SYS_WRITE 64
#define ZKVM_FD_PRIVATE_INPUT 0
#define ZKVM_FD_PUBLIC_OUTPUT 1
#define ZKVM_FD_DEBUG_LOG 2
#define ZKVM_FD_PUBLIC_INPUT 3

/* Raw syscall: a7 = n, a0..a2 = args; returns a0. */
static inline long zkvm_syscall3(long n, long a0, long a1, long a2) {
  register long r_a0 __asm__("a0") = a0;
  register long r_a1 __asm__("a1") = a1;
  register long r_a2 __asm__("a2") = a2;
  register long r_a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
  return r_a0;
}

/* Reads up to len bytes of the private input (fewer only at its end). Returns bytes read. */
size_t zkvm_read_private(void *buf, size_t len);
/* Reads up to len bytes of the public input (fewer only at its end). Returns bytes read. */
size_t zkvm_read_public(void *buf, size_t len);
/* Appends len bytes to the public output (what the proof commits to). */
void zkvm_commit(const void *buf, size_t len);
/* Writes len bytes to the debug log (shown by the host, not proven). */
void zkvm_log(const void *buf, size_t len);
/* Writes a NUL-terminated string to the debug log. */
void zkvm_log_str(const char *s);
/* Formats v in decimal into out (at least 20 bytes, no NUL); returns the length. Cheap
 * formatting for log lines: printf of a 32-byte digest costs ~15 k cycles. */
size_t zkvm_fmt_u64(char *out, uint64_t v);
/* Formats len bytes as lowercase hex into out (2·len bytes, no NUL); returns 2·len. */
size_t zkvm_fmt_hex(char *out, const void *buf, size_t len);
/* Logs "<what> of <total> bytes: <hex of the len-byte digest>\n" (len at most 64), with the
 * formatters above: a hash guest's result line for the price of one write. */
void zkvm_log_digest(const char *what, uint64_t total, const void *digest, size_t len);
/* Declares in the ELF's .nexus.requires section (never loaded, not proven) that this guest calls
 * syscall NUMBER (or custom instruction KEY) of the npm package PACKAGE, so a zkVM build
 * without that plugin names the package when the guest makes the call. NUMBER and KEY are
 * literals (0x1800), not macros. At file scope:
 *   ZKVM_REQUIRES_SYSCALL(0x1800, "@acme/precompile-popcount"); */
/* Cycle-tracker regions: `nexus profile` reports the cycles and proving cost between a start
 * and the end of the same NAME (a string literal; regions may nest and repeat). Each marker is
 * one debug-log write (fd 2, so qemu runs the same ELF unchanged), counted inside the region. */
#define zkvm_cycle_tracker_start(name) \
  zkvm_log("cycle-tracker-start: " name "\n", sizeof("cycle-tracker-start: " name "\n") - 1)
#define zkvm_cycle_tracker_end(name) \
  zkvm_log("cycle-tracker-end: " name "\n", sizeof("cycle-tracker-end: " name "\n") - 1)

#define ZKVM_REQUIRES_SYSCALL(number, package) ZKVM_REQUIRES_("syscall " #number " " package)
#define ZKVM_REQUIRES_INSTRUCTION(key, package) ZKVM_REQUIRES_("instruction " #key " " package)
#define ZKVM_REQUIRES_(record) \
  __asm__(".pushsection .nexus.requires,\"\",@progbits\n\t.asciz \"" record "\"\n\t.popsection")

/* Flushes stdio and stops the machine with this exit code. */
__attribute__((noreturn)) void zkvm_exit(int code);

#ifdef __cplusplus
}
#endif

#endif
