//! oom: exhausts the heap on purpose. It first shows that a fallible allocation larger than the
//! heap fails cleanly (`try_reserve` returns an error and the guest goes on), then allocates
//! blocks of `size` bytes (public input, u32 LE, default 65536), keeping them all, until the
//! runtime reports that the heap is exhausted (exit 102). It commits the number of blocks it got
//! before that (u32 LE) as it goes, so the public output shows how far it came.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;

zkvm::entry!(main);

fn main() {
    let size = zkvm::read_public_u32().unwrap_or(65536) as usize;
    let mut too_big: Vec<u8> = Vec::new();
    match too_big.try_reserve(zkvm::heap_size() + 1) {
        Ok(()) => zkvm::log!("oom: a reservation larger than the heap succeeded?"),
        Err(_) => zkvm::log!("oom: try_reserve of {} bytes failed, as it should", zkvm::heap_size() + 1),
    }
    let mut blocks: Vec<Vec<u8>> = Vec::with_capacity(64);
    loop {
        let mut block = Vec::with_capacity(size);
        // Touch the block so it is really used.
        block.push(blocks.len() as u8);
        blocks.push(block);
        zkvm::commit(&(blocks.len() as u32).to_le_bytes());
    }
}
