//! fib: reads n (u32 little-endian) from the public input (default 50), commits fib(n) mod 2^64
//! as 8 little-endian bytes and logs it. The Rust twin of guests/c/fib.c: 64-bit arithmetic on a
//! 32-bit machine in a tight loop.
#![no_std]

zkvm::entry!(main);

fn main() {
    let n = zkvm::read_public_u32().unwrap_or(50);
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        let t = a.wrapping_add(b);
        a = b;
        b = t;
    }
    zkvm::commit(&a.to_le_bytes());
    zkvm::log!("fib({}) mod 2^64 = {}", n, a);
}
