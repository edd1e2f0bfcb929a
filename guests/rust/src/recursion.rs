//! recursion: recurses `depth` levels deep (public input, u32 LE, default 1000), each level with
//! 64 bytes of locals, and commits a checksum of all levels (u32 LE). A depth of a few thousand
//! overflows the 256 KiB stack: the runtime's stack guard then reports it (exit 103) instead of
//! letting the stack run into the heap below it.
#![no_std]

zkvm::entry!(main);

fn level(depth: u32) -> u32 {
    let mut locals = [0u32; 16];
    for (i, v) in locals.iter_mut().enumerate() {
        *v = depth.wrapping_mul(31).wrapping_add(i as u32);
    }
    // Volatile reads keep the locals on the stack (the optimizer would fold them otherwise), and
    // the recursion is not a tail call, so every level keeps its frame.
    let below = if depth == 0 { 0 } else { level(depth - 1) };
    let mut sum = below;
    for v in &locals {
        sum = sum.rotate_left(5) ^ unsafe { core::ptr::read_volatile(v) };
    }
    sum
}

fn main() {
    let depth = zkvm::read_public_u32().unwrap_or(1000);
    let checksum = level(depth);
    zkvm::commit(&checksum.to_le_bytes());
    zkvm::log!("recursion: depth {} checksum {:#010x}", depth, checksum);
}
