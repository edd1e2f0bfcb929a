/* Syscall wrappers and the stdio hooks of the guest runtime (see zkvm.h). */
#include "zkvm.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static size_t read_fully(int fd, void *buf, size_t len) {
  size_t done = 0;
  while (done < len) {
    long n = zkvm_syscall3(ZKVM_SYS_READ, fd, (long)((char *)buf + done), (long)(len - done));
    if (n <= 0) break;
    done += (size_t)n;
  }
  return done;
}

static void write_fully(int fd, const void *buf, size_t len) {
  size_t done = 0;
  while (done < len) {
    long n = zkvm_syscall3(ZKVM_SYS_WRITE, fd, (long)((const char *)buf + done), (long)(len - done));
    if (n <= 0) break;
    done += (size_t)n;
  }
}

size_t zkvm_read_private(void *buf, size_t len) { return read_fully(ZKVM_FD_PRIVATE_INPUT, buf, len); }
size_t zkvm_read_public(void *buf, size_t len) { return read_fully(ZKVM_FD_PUBLIC_INPUT, buf, len); }
void zkvm_commit(const void *buf, size_t len) { write_fully(ZKVM_FD_PUBLIC_OUTPUT, buf, len); }
void zkvm_log(const void *buf, size_t len) { write_fully(ZKVM_FD_DEBUG_LOG, buf, len); }

void zkvm_log_str(const char *s) {
  size_t n = 0;
  while (s[n] != 0) n++;
  zkvm_log(s, n);
}

size_t zkvm_fmt_u64(char *out, uint64_t v) {
  char digits[20];
  size_t n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (size_t i = 0; i < n; i++) out[i] = digits[n - 1 - i];
  return n;
}

size_t zkvm_fmt_hex(char *out, const void *buf, size_t len) {
  static const char hex[] = "0123456789abcdef";
  const uint8_t *b = buf;
  for (size_t i = 0; i < len; i++) {
    out[2 * i] = hex[b[i] >> 4];
    out[2 * i + 1] = hex[b[i] & 15];
  }
  return 2 * len;
}

void zkvm_log_digest(const char *what, uint64_t total, const void *digest, size_t len) {
  char line[256];
  size_t k = 0;
  for (; what[k] != 0 && k < 64; k++) line[k] = what[k];
  for (const char *s = " of "; *s != 0; s++) line[k++] = *s;
  k += zkvm_fmt_u64(line + k, total);
  for (const char *s = " bytes: "; *s != 0; s++) line[k++] = *s;
  k += zkvm_fmt_hex(line + k, digest, len < 64 ? len : 64);
  line[k++] = '\n';
  zkvm_log(line, k);
}

/* stdio: one stream for stdin/stdout/stderr. Output is line buffered into the debug log, so a
 * printf costs one ecall per line instead of one per character. */
static char log_buf[256];
static size_t log_len;

static int log_flush(FILE *f) {
  (void)f;
  if (log_len > 0) zkvm_log(log_buf, log_len);
  log_len = 0;
  return 0;
}

static int log_putc(char c, FILE *f) {
  log_buf[log_len++] = c;
  if (c == '\n' || log_len == sizeof log_buf) log_flush(f);
  return (unsigned char)c;
}

static int private_getc(FILE *f) {
  (void)f;
  unsigned char c;
  return zkvm_read_private(&c, 1) == 1 ? c : EOF;
}

static FILE zkvm_stdio = FDEV_SETUP_STREAM(log_putc, private_getc, log_flush, _FDEV_SETUP_RW);
FILE *const stdin = &zkvm_stdio;
FILE *const stdout = &zkvm_stdio;
FILE *const stderr = &zkvm_stdio;

/* The picolibc POSIX layer (used by a few library functions) maps to the same syscalls. */
ssize_t read(int fd, void *buf, size_t len) { return zkvm_syscall3(ZKVM_SYS_READ, fd, (long)buf, (long)len); }
ssize_t write(int fd, const void *buf, size_t len) { return zkvm_syscall3(ZKVM_SYS_WRITE, fd, (long)buf, (long)len); }

/* exit() (after atexit handlers and destructors) ends here. */
void _exit(int code) {
  log_flush(NULL);
  zkvm_syscall3(ZKVM_SYS_EXIT, code, 0, 0);
  for (;;) {
  }
}

void zkvm_exit(int code) {
  exit(code);
}
