/*
 * Entry point of every guest. The loader (the zkVM or qemu-riscv32) has already mapped the
 * segments: .data holds its initial values and .bss, .tbss, the heap and the stack are zero
 * (NOBITS, zero-filled up to p_memsz), so there is nothing to copy or clear here.
 */
  /* A fixed file symbol: without it the linker names the temporary object (not reproducible). */
  .file "crt0.S"
  .section .text.start, "ax", @progbits
  .globl _start
  .type _start, @function
_start:
  /* gp must be set without relaxation, or the linker would "relax" this into gp-relative. */
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  /* Our own stack (inside the data segment), not the loader's: identical on both hosts. */
  la sp, __stack_top
  /* picolibc keeps errno in thread-local storage: tp points at the (already loaded) TLS block. */
  la tp, __tls_base
  call __libc_init_array
  li a0, 0
  li a1, 0
  call main
  call exit
1:
  j 1b
  .size _start, . - _start
