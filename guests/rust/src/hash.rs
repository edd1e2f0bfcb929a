//! hash: SHA-256 of the whole public input through `zkvm::sha256`, i.e. the sha256_compress
//! precompile (on qemu, its software fallback). Commits the 32-byte digest.
#![no_std]
extern crate alloc;

zkvm::entry!(main);

fn main() {
    let input = zkvm::read_public_to_end();
    let digest = zkvm::sha256(&input);
    zkvm::commit(&digest);
    zkvm::log!("sha256 of {} bytes through the precompile", input.len());
}
