//! panic: ends badly on purpose, in the way the first public input byte (the mode) asks. It
//! commits `before\n` first: output committed before a panic stays in the public output.
//!
//! | mode          | what happens                                     | exit |
//! | ------------- | ------------------------------------------------ | ---- |
//! | none or 0     | `panic!` with a formatted message                | 101  |
//! | 1             | a Vec indexed out of bounds (core's own panic)   | 101  |
//! | 2             | `unwrap()` of an `Err`                           | 101  |
//! | 3             | `zkvm::exit(7)`, no panic                        | 7    |
//! | anything else | returns normally after committing `after\n`      | 0    |
#![no_std]

extern crate alloc;

use alloc::vec;

zkvm::entry!(main);

fn main() {
    let mut mode = [0u8; 1];
    let mode = if zkvm::read_public(&mut mode) == 1 { mode[0] } else { 0 };
    zkvm::commit(b"before\n");
    match mode {
        0 => panic!("the guest was asked to panic (mode {})", mode),
        1 => {
            let v = vec![1u32, 2, 3];
            // The index comes from the input, so the compiler cannot see it is out of bounds.
            let i = 4 + mode as usize;
            zkvm::log!("v[{}] = {}", i, v[i]);
        }
        2 => {
            let parsed: u32 = "12x".parse().unwrap();
            zkvm::log!("parsed {}", parsed);
        }
        3 => zkvm::exit(7),
        _ => {}
    }
    zkvm::commit(b"after\n");
}
