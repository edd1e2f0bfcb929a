//! `zkvm`: the runtime of Rust guests of the Nexus zkVM.
//!
//! The guest ABI (`shared/design/riscv.md` section 2) in safe wrappers, a heap for `alloc`, a
//! panic handler and an entry point. A guest is a `#![no_std]` crate with a `fn main()`:
//!
//! ```ignore
//! #![no_std]
//! zkvm::entry!(main);
//! fn main() {
//!     let n = zkvm::read_public_u32().unwrap_or(10);
//!     zkvm::log!("n = {}", n);
//!     zkvm::commit(&n.to_le_bytes());
//! }
//! ```
//!
//! The ABI is Linux's (exit 93, read 63 on fd 0 private / fd 3 public, write 64 on fd 1 public
//! output / fd 2 debug log), so a guest also runs under `qemu-riscv32` unchanged.
//!
//! How a guest ends, and what the debug log says:
//!
//! | end                        | exit code                   | debug log                                   |
//! | -------------------------- | --------------------------- | ------------------------------------------- |
//! | `main` returns             | 0                           |                                             |
//! | [`exit`]`(code)`           | `code`                      |                                             |
//! | a panic                    | [`EXIT_PANIC`] (101)        | `guest panicked at '<msg>', <file>:<line>:<col>` |
//! | the heap is exhausted      | [`EXIT_OUT_OF_MEMORY`] (102) | `guest ran out of heap memory: ...`         |
//! | the stack overflows        | [`EXIT_STACK_OVERFLOW`] (103) | `guest overflowed its stack: ...`          |
//!
//! Neither the VM nor qemu can tell a stack overflow from an ordinary store (the stack sits right
//! above the heap, inside one writable segment), so the runtime checks: the build script compiles
//! guest crates with `-Z instrument-mcount`, so that every function of the guest (generic library
//! code it instantiates included) calls `mcount` on entry, and `mcount` (below) compares sp with
//! the bottom of the stack. Guests built without it (`STACK_GUARD=0`) overflow silently into the
//! heap, and fault only when the stack reaches the read-only code below the data segment.
#![no_std]
#![feature(alloc_error_handler)]

extern crate alloc;

#[cfg(not(target_arch = "riscv32"))]
compile_error!("the zkvm runtime is for riscv32im-unknown-none-elf guests only");

use alloc::vec::Vec;
use core::alloc::{GlobalAlloc, Layout};
use core::arch::{asm, global_asm};
use core::cell::Cell;
use core::fmt::{self, Write};
use core::panic::PanicInfo;

/// Exit code of a guest that panicked (Rust's own `std` exits with 101 on a panic too).
pub const EXIT_PANIC: i32 = 101;
/// Exit code of a guest whose allocation could not be served by the heap.
pub const EXIT_OUT_OF_MEMORY: i32 = 102;
/// Exit code of a guest whose stack went below the stack region.
pub const EXIT_STACK_OVERFLOW: i32 = 103;

// The precompiles' guest modules live in their packages (one package holds a whole extension).
#[path = "../../../../plugins/precompile-sha256/guest/sha256.rs"]
mod precompile_sha256;
pub use precompile_sha256::{sha256, sha256_compress, Block as Sha256Block, Sha256};
#[path = "../../../../plugins/precompile-keccak/guest/keccak.rs"]
mod precompile_keccak;
pub use precompile_keccak::{keccak256, keccakf, Keccak256};

/// Identifies the runtime in an ELF (`strings guest.elf`). The build script keeps it with
/// `--undefined`: it also guarantees the ELF a non-empty .rodata (see build.sh).
#[no_mangle]
#[used]
pub static __zkvm_rust_runtime: [u8; 27] = *b"nexus-zkvm rust runtime v1\0";

const SYS_EXIT: usize = 93;
const SYS_READ: usize = 63;
const SYS_WRITE: usize = 64;
const FD_PRIVATE_INPUT: usize = 0;
const FD_PUBLIC_OUTPUT: usize = 1;
const FD_DEBUG_LOG: usize = 2;
const FD_PUBLIC_INPUT: usize = 3;

// The regions the project's linker script (guests/runtime/zkvm.ld) reserves.
extern "C" {
    static __heap_start: u8;
    static __heap_end: u8;
    static __stack_bottom: u8;
    static __stack_top: u8;
}

fn heap_start() -> usize {
    // SAFETY: only the address of the linker symbol is taken, never its contents.
    unsafe { core::ptr::addr_of!(__heap_start) as usize }
}
fn heap_end() -> usize {
    unsafe { core::ptr::addr_of!(__heap_end) as usize }
}
fn stack_bottom() -> usize {
    unsafe { core::ptr::addr_of!(__stack_bottom) as usize }
}
fn stack_top() -> usize {
    unsafe { core::ptr::addr_of!(__stack_top) as usize }
}

/// `ecall` with a7 = `n` and a0..a2 = the arguments; returns a0.
///
/// # Safety
/// The arguments must be valid for the syscall: a read's buffer writable for `a2` bytes, a
/// write's buffer readable for `a2` bytes.
#[inline(always)]
unsafe fn syscall3(n: usize, a0: usize, a1: usize, a2: usize) -> isize {
    let ret: isize;
    // No `nomem`: the kernel reads or writes the buffer, so the compiler must not cache memory
    // across the ecall.
    asm!("ecall", inlateout("a0") a0 as isize => ret, in("a1") a1, in("a2") a2, in("a7") n,
         options(nostack));
    ret
}

/// Reads until `buf` is full or the tape ends (a read may return fewer bytes than asked).
fn read_fully(fd: usize, buf: &mut [u8]) -> usize {
    let mut done = 0;
    while done < buf.len() {
        // SAFETY: the rest of `buf` is writable for exactly the length passed.
        let n = unsafe {
            syscall3(SYS_READ, fd, buf.as_mut_ptr().add(done) as usize, buf.len() - done)
        };
        if n <= 0 {
            break;
        }
        done += n as usize;
    }
    done
}

fn write_fully(fd: usize, bytes: &[u8]) {
    let mut done = 0;
    while done < bytes.len() {
        // SAFETY: the rest of `bytes` is readable for exactly the length passed.
        let n = unsafe {
            syscall3(SYS_WRITE, fd, bytes.as_ptr().add(done) as usize, bytes.len() - done)
        };
        if n <= 0 {
            break;
        }
        done += n as usize;
    }
}

fn read_to_end(fd: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        // Grow by at least 1 KiB: every read syscall costs cycles, and the bump allocator grows
        // the last block in place, so a bigger reserve wastes nothing.
        out.reserve(1024);
        let len = out.len();
        let spare = out.capacity() - len;
        out.resize(len + spare, 0);
        let n = read_fully(fd, &mut out[len..]);
        out.truncate(len + n);
        if n < spare {
            return out;
        }
    }
}

/// Reads up to `buf.len()` bytes of the private input (fewer only at its end); returns how many.
#[inline]
pub fn read_private(buf: &mut [u8]) -> usize {
    read_fully(FD_PRIVATE_INPUT, buf)
}

/// Reads up to `buf.len()` bytes of the public input (fewer only at its end); returns how many.
#[inline]
pub fn read_public(buf: &mut [u8]) -> usize {
    read_fully(FD_PUBLIC_INPUT, buf)
}

/// Reads the rest of the private input.
pub fn read_private_to_end() -> Vec<u8> {
    read_to_end(FD_PRIVATE_INPUT)
}

/// Reads the rest of the public input.
pub fn read_public_to_end() -> Vec<u8> {
    read_to_end(FD_PUBLIC_INPUT)
}

/// The next 4 bytes of the public input as a little-endian u32; `None` if fewer than 4 are left.
#[inline]
pub fn read_public_u32() -> Option<u32> {
    let mut b = [0u8; 4];
    (read_public(&mut b) == 4).then(|| u32::from_le_bytes(b))
}

/// The next 4 bytes of the private input as a little-endian u32; `None` if fewer than 4 are left.
#[inline]
pub fn read_private_u32() -> Option<u32> {
    let mut b = [0u8; 4];
    (read_private(&mut b) == 4).then(|| u32::from_le_bytes(b))
}

/// Appends `bytes` to the public output: what the proof commits to.
#[inline]
pub fn commit(bytes: &[u8]) {
    write_fully(FD_PUBLIC_OUTPUT, bytes);
}

/// Writes `bytes` to the debug log (shown by the host, not proven).
#[inline]
pub fn log_bytes(bytes: &[u8]) {
    write_fully(FD_DEBUG_LOG, bytes);
}

/// Starts a cycle-tracker region: `nexus profile` reports the cycles and proving cost until the
/// `cycle_tracker_end` of the same name (regions may nest and repeat). The marker is one
/// debug-log write (`name` should not contain a newline).
pub fn cycle_tracker_start(name: &str) {
    cycle_tracker_marker(b"cycle-tracker-start: ", name);
}

/// Ends the cycle-tracker region `name` (see `cycle_tracker_start`).
pub fn cycle_tracker_end(name: &str) {
    cycle_tracker_marker(b"cycle-tracker-end: ", name);
}

/// One log line `prefix NAME\n` in one write, so the region's cycle is the write's.
fn cycle_tracker_marker(prefix: &[u8], name: &str) {
    let mut line = [0u8; 128];
    let name = &name.as_bytes()[..name.len().min(line.len() - prefix.len() - 1)];
    line[..prefix.len()].copy_from_slice(prefix);
    line[prefix.len()..prefix.len() + name.len()].copy_from_slice(name);
    let n = prefix.len() + name.len();
    line[n] = b'\n';
    log_bytes(&line[..n + 1]);
}

/// Stops the machine with this exit code (part of the proven statement).
pub fn exit(code: i32) -> ! {
    // SAFETY: exit reads no memory.
    unsafe {
        syscall3(SYS_EXIT, code as usize, 0, 0);
    }
    // exit does not return; the loop only satisfies the type.
    loop {}
}

/// A `fmt::Write` into the debug log, buffered so a line costs one syscall instead of one per
/// formatted piece (every syscall is a proven cycle plus its bytes). It never allocates, so the
/// panic and out-of-memory handlers can use it.
pub struct LogWriter {
    buf: [u8; 256],
    len: usize,
}

impl LogWriter {
    pub const fn new() -> Self {
        LogWriter { buf: [0; 256], len: 0 }
    }

    pub fn flush(&mut self) {
        if self.len > 0 {
            log_bytes(&self.buf[..self.len]);
            self.len = 0;
        }
    }
}

impl Default for LogWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl Write for LogWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut bytes = s.as_bytes();
        while !bytes.is_empty() {
            if self.len == self.buf.len() {
                self.flush();
            }
            let n = bytes.len().min(self.buf.len() - self.len);
            self.buf[self.len..self.len + n].copy_from_slice(&bytes[..n]);
            self.len += n;
            bytes = &bytes[n..];
        }
        Ok(())
    }
}

impl Drop for LogWriter {
    fn drop(&mut self) {
        self.flush();
    }
}

#[doc(hidden)]
pub fn __log_line(args: fmt::Arguments) {
    let mut w = LogWriter::new();
    // LogWriter::write_str never fails; a Display impl that fails just truncates the line.
    let _ = w.write_fmt(args);
    let _ = w.write_str("\n");
}

/// Formats a line (like `println!`) into the debug log.
#[macro_export]
macro_rules! log {
    ($($arg:tt)*) => {
        $crate::__log_line(::core::format_args!($($arg)*))
    };
}

/// Makes `$main` (a `fn()`) the guest's entry point: the C `main` the runtime's crt0 calls after
/// setting gp, sp and tp. Returning from it exits with code 0.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        // Exported as the C symbol `main` under another Rust name, so it neither clashes with
        // nor shadows the guest's `main`.
        const _: () = {
            #[export_name = "main"]
            extern "C" fn __zkvm_main(_argc: i32, _argv: *const *const u8) -> i32 {
                let f: fn() = $main;
                f();
                $crate::exit(0)
            }
        };
    };
}

// ---------------------------------------------------------------------------------------------
// Heap: a bump allocator over [__heap_start, __heap_end).
//
// Guests are short single-threaded programs whose cost is their cycle count, so allocation is a
// pointer bump and freeing is a no-op, except for the most recent block: freeing it moves the
// pointer back, and growing it (a Vec or String being pushed to) extends it in place without a
// copy.

struct BumpAllocator {
    /// Next free address; 0 until the first allocation (the heap's address is a link-time
    /// symbol, not a constant).
    next: Cell<usize>,
    /// Start of the most recent block (the only one that can shrink, grow or be freed).
    last: Cell<usize>,
    /// Highest address ever handed out: memory above it is still zero from the loader.
    high: Cell<usize>,
}

// SAFETY: a guest has one thread and no interrupts.
unsafe impl Sync for BumpAllocator {}

#[global_allocator]
static HEAP: BumpAllocator =
    BumpAllocator { next: Cell::new(0), last: Cell::new(0), high: Cell::new(0) };

impl BumpAllocator {
    fn next(&self) -> usize {
        let n = self.next.get();
        if n == 0 {
            heap_start()
        } else {
            n
        }
    }

    fn set_next(&self, n: usize) {
        self.next.set(n);
        if n > self.high.get() {
            self.high.set(n);
        }
    }
}

unsafe impl GlobalAlloc for BumpAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // At least word alignment: then two byte buffers are aligned alike and memcpy between
        // them moves words, not bytes (a few wasted bytes per block at most).
        let align = layout.align().max(4);
        // The heap is far below 2^32 - align, so this cannot wrap.
        let start = (self.next() + align - 1) & !(align - 1);
        if start > heap_end() || heap_end() - start < layout.size() {
            // Null tells the caller; the infallible paths then call the handler below.
            return core::ptr::null_mut();
        }
        self.last.set(start);
        self.set_next(start + layout.size());
        start as *mut u8
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let fresh = self.high.get().max(heap_start());
        let p = self.alloc(layout);
        if !p.is_null() {
            // Only the part below the old high-water mark can hold old data.
            let start = p as usize;
            if start < fresh {
                let n = (fresh - start).min(layout.size());
                core::ptr::write_bytes(p, 0, n);
            }
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        let p = ptr as usize;
        if p == self.last.get() {
            self.next.set(p);
            // The block before it is unknown, so nothing can be freed after this.
            self.last.set(0);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = ptr as usize;
        if p == self.last.get() && heap_end() - p >= new_size {
            self.set_next(p + new_size);
            return ptr;
        }
        if new_size <= layout.size() {
            return ptr;
        }
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        let q = self.alloc(new_layout);
        if !q.is_null() {
            core::ptr::copy_nonoverlapping(ptr, q, layout.size());
        }
        q
    }
}

/// Bytes of the heap in use (the bump pointer's distance from the heap's start).
pub fn heap_used() -> usize {
    HEAP.next() - heap_start()
}

/// Size of the heap in bytes (`__heap_size` of the linker script, 1 MiB by default).
pub fn heap_size() -> usize {
    heap_end() - heap_start()
}

/// Size of the stack in bytes (`__stack_size` of the linker script, 256 KiB by default).
pub fn stack_size() -> usize {
    stack_top() - stack_bottom()
}

#[alloc_error_handler]
fn out_of_memory(layout: Layout) -> ! {
    let mut w = LogWriter::new();
    let _ = write!(
        w,
        "guest ran out of heap memory: an allocation of {} bytes (align {}) does not fit; {} of the heap's {} bytes are in use (raise __heap_size at link time: HEAP_SIZE=<bytes> guests/rust/build.sh)\n",
        layout.size(),
        layout.align(),
        heap_used(),
        heap_size()
    );
    w.flush();
    exit(EXIT_OUT_OF_MEMORY)
}

// ---------------------------------------------------------------------------------------------
// Panics.

static PANICKING: PanicFlag = PanicFlag(Cell::new(false));
struct PanicFlag(Cell<bool>);
// SAFETY: one thread.
unsafe impl Sync for PanicFlag {}

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    // A Display impl that panics while the message is formatted would recurse forever.
    if PANICKING.0.replace(true) {
        log_bytes(b"guest panicked while formatting a panic message\n");
        exit(EXIT_PANIC);
    }
    let mut w = LogWriter::new();
    // PanicInfo's Display is "panicked at '<message>', <file>:<line>:<col>", like std's.
    let _ = write!(w, "guest {}\n", info);
    w.flush();
    exit(EXIT_PANIC)
}

// ---------------------------------------------------------------------------------------------
// Stack guard.
//
// Functions compiled with -Z instrument-mcount call `mcount` on entry, after their prologue has
// moved sp down by their frame. Below __stack_bottom lies the heap (and then .bss and .data), so
// an overflow would silently corrupt data. `mcount` compares sp with the bottom plus a margin for
// code that is not instrumented (core's non-generic functions, memcpy, ...) and, on overflow,
// switches to a fresh stack (the overflowed one has no room left) to report it. It preserves
// every register but t0, which the calling convention lets a callee clobber.
// The margin is written out in the assembly below too (asm const operands are not stable in
// the toolchain this builds with).
const STACK_MARGIN: usize = 8192;

global_asm!(
    ".pushsection .text.mcount, \"ax\", @progbits",
    ".globl mcount",
    ".type mcount, @function",
    "mcount:",
    "  la t0, __stack_bottom + 8192",
    "  bltu sp, t0, 1f",
    "  ret",
    "1:",
    "  mv a0, sp",
    "  la sp, __stack_top",
    "  tail __zkvm_stack_overflow",
    ".size mcount, . - mcount",
    ".popsection",
);

#[no_mangle]
extern "C" fn __zkvm_stack_overflow(sp: usize) -> ! {
    let mut w = LogWriter::new();
    let _ = write!(
        w,
        "guest overflowed its stack: sp reached {:#010x}, within {} bytes of the bottom of the {}-byte stack [{:#010x}, {:#010x}) (deep recursion or large locals; raise __stack_size at link time: STACK_SIZE=<bytes> guests/rust/build.sh)\n",
        sp,
        STACK_MARGIN,
        stack_size(),
        stack_bottom(),
        stack_top()
    );
    w.flush();
    exit(EXIT_STACK_OVERFLOW)
}

// ---------------------------------------------------------------------------------------------
// memcpy, memmove, memset, memcmp, bcmp.
//
// Rust moves and compares memory through these. picolibc's (which the C guests use) go a byte at
// a time; these move aligned words, four per loop iteration, which takes 5 to 8 times fewer
// cycles on large copies (and every cycle is proven). Words are only used when both addresses
// are word-aligned alike: the zkVM faults on misaligned word accesses. Written in assembly so
// the compiler cannot turn a loop in them back into a call to themselves. Being in the runtime's
// object, which every guest links before libc, they take precedence over picolibc's.
global_asm!(
    // memcpy(a0 = dst, a1 = src, a2 = n) -> dst. Also the forward half of memmove.
    ".pushsection .text.memcpy, \"ax\", @progbits",
    ".globl memcpy",
    ".type memcpy, @function",
    "memcpy:",
    "  mv t6, a0",
    "  li t5, 16",
    "  bltu a2, t5, 5f",
    "  xor t0, a0, a1",
    "  andi t0, t0, 3",
    "  bnez t0, 5f",
    // Bytes until dst (and so src) is word-aligned.
    "1:",
    "  andi t0, t6, 3",
    "  beqz t0, 2f",
    "  lbu t1, 0(a1)",
    "  sb t1, 0(t6)",
    "  addi a1, a1, 1",
    "  addi t6, t6, 1",
    "  addi a2, a2, -1",
    "  j 1b",
    // 16 bytes per iteration.
    "2:",
    "  bltu a2, t5, 3f",
    "  lw t1, 0(a1)",
    "  lw t2, 4(a1)",
    "  lw t3, 8(a1)",
    "  lw t4, 12(a1)",
    "  sw t1, 0(t6)",
    "  sw t2, 4(t6)",
    "  sw t3, 8(t6)",
    "  sw t4, 12(t6)",
    "  addi a1, a1, 16",
    "  addi t6, t6, 16",
    "  addi a2, a2, -16",
    "  j 2b",
    // Then single words.
    "3:",
    "  li t5, 4",
    "4:",
    "  bltu a2, t5, 5f",
    "  lw t1, 0(a1)",
    "  sw t1, 0(t6)",
    "  addi a1, a1, 4",
    "  addi t6, t6, 4",
    "  addi a2, a2, -4",
    "  j 4b",
    // Then (or for short and unalike-aligned copies) bytes.
    "5:",
    "  beqz a2, 6f",
    "  lbu t1, 0(a1)",
    "  sb t1, 0(t6)",
    "  addi a1, a1, 1",
    "  addi t6, t6, 1",
    "  addi a2, a2, -1",
    "  j 5b",
    "6:",
    "  ret",
    ".size memcpy, . - memcpy",
    ".popsection",
    // memmove(a0 = dst, a1 = src, a2 = n) -> dst: forward (memcpy) unless dst lies inside
    // (src, src + n), where a forward copy would overwrite source bytes before reading them.
    ".pushsection .text.memmove, \"ax\", @progbits",
    ".globl memmove",
    ".type memmove, @function",
    "memmove:",
    "  bleu a0, a1, 5f",
    "  sub t0, a0, a1",
    "  bgeu t0, a2, 5f",
    // Backward from the ends.
    "  add t6, a0, a2",
    "  add a1, a1, a2",
    "  li t5, 4",
    "  bltu a2, t5, 3f",
    "  xor t0, t6, a1",
    "  andi t0, t0, 3",
    "  bnez t0, 3f",
    "1:",
    "  andi t0, t6, 3",
    "  beqz t0, 2f",
    "  addi a1, a1, -1",
    "  addi t6, t6, -1",
    "  lbu t1, 0(a1)",
    "  sb t1, 0(t6)",
    "  addi a2, a2, -1",
    "  j 1b",
    "2:",
    "  bltu a2, t5, 3f",
    "  addi a1, a1, -4",
    "  addi t6, t6, -4",
    "  lw t1, 0(a1)",
    "  sw t1, 0(t6)",
    "  addi a2, a2, -4",
    "  j 2b",
    "3:",
    "  beqz a2, 4f",
    "  addi a1, a1, -1",
    "  addi t6, t6, -1",
    "  lbu t1, 0(a1)",
    "  sb t1, 0(t6)",
    "  addi a2, a2, -1",
    "  j 3b",
    "4:",
    "  ret",
    // (A branch cannot reach memcpy, which may be linked anywhere: tail clobbers only t1.)
    "5:",
    "  tail memcpy",
    ".size memmove, . - memmove",
    ".popsection",
    // memset(a0 = dst, a1 = byte, a2 = n) -> dst.
    ".pushsection .text.memset, \"ax\", @progbits",
    ".globl memset",
    ".type memset, @function",
    "memset:",
    "  mv t6, a0",
    "  andi a1, a1, 0xff",
    "  li t5, 16",
    "  bltu a2, t5, 5f",
    "  slli t0, a1, 8",
    "  or a1, a1, t0",
    "  slli t0, a1, 16",
    "  or a1, a1, t0",
    "1:",
    "  andi t0, t6, 3",
    "  beqz t0, 2f",
    "  sb a1, 0(t6)",
    "  addi t6, t6, 1",
    "  addi a2, a2, -1",
    "  j 1b",
    "2:",
    "  bltu a2, t5, 3f",
    "  sw a1, 0(t6)",
    "  sw a1, 4(t6)",
    "  sw a1, 8(t6)",
    "  sw a1, 12(t6)",
    "  addi t6, t6, 16",
    "  addi a2, a2, -16",
    "  j 2b",
    "3:",
    "  li t5, 4",
    "4:",
    "  bltu a2, t5, 5f",
    "  sw a1, 0(t6)",
    "  addi t6, t6, 4",
    "  addi a2, a2, -4",
    "  j 4b",
    "5:",
    "  beqz a2, 6f",
    "  sb a1, 0(t6)",
    "  addi t6, t6, 1",
    "  addi a2, a2, -1",
    "  j 5b",
    "6:",
    "  ret",
    ".size memset, . - memset",
    ".popsection",
    // memcmp(a0 = p, a1 = q, a2 = n) -> <0, 0, >0 by the first differing byte (unsigned).
    // bcmp only needs zero / non-zero, which memcmp's result also is.
    ".pushsection .text.memcmp, \"ax\", @progbits",
    ".globl memcmp",
    ".type memcmp, @function",
    ".globl bcmp",
    ".type bcmp, @function",
    "memcmp:",
    "bcmp:",
    "  or t0, a0, a1",
    "  andi t0, t0, 3",
    "  bnez t0, 2f",
    "  li t5, 4",
    // Equal words are skipped; at the first unequal one the byte loop finds the byte.
    "1:",
    "  bltu a2, t5, 2f",
    "  lw t0, 0(a0)",
    "  lw t1, 0(a1)",
    "  bne t0, t1, 2f",
    "  addi a0, a0, 4",
    "  addi a1, a1, 4",
    "  addi a2, a2, -4",
    "  j 1b",
    "2:",
    "  beqz a2, 3f",
    "  lbu t0, 0(a0)",
    "  lbu t1, 0(a1)",
    "  bne t0, t1, 4f",
    "  addi a0, a0, 1",
    "  addi a1, a1, 1",
    "  addi a2, a2, -1",
    "  j 2b",
    "3:",
    "  li a0, 0",
    "  ret",
    "4:",
    "  sub a0, t0, t1",
    "  ret",
    ".size memcmp, . - memcmp",
    ".size bcmp, . - bcmp",
    ".popsection",
);
