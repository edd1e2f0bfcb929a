//! hash: SHA-256 and Keccak-256 of the whole public input through `zkvm::sha256` and
//! `zkvm::keccak256`, i.e. the sha256_compress and keccakf precompiles (on qemu, their software
//! fallbacks). The first byte of the input picks: 'k' hashes the rest with Keccak-256, anything
//! else hashes all of it with SHA-256. Commits the 32-byte digest.
#![no_std]
extern crate alloc;

zkvm::entry!(main);

fn main() {
    let input = zkvm::read_public_to_end();
    if input.first() == Some(&b'k') {
        zkvm::commit(&zkvm::keccak256(&input[1..]));
        zkvm::log!("keccak256 of {} bytes through the precompile", input.len() - 1);
    } else {
        zkvm::commit(&zkvm::sha256(&input));
        zkvm::log!("sha256 of {} bytes through the precompile", input.len());
    }
}
