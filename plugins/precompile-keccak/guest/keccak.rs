//! Keccak-256 for Rust guests through the keccakf precompile (syscall 0x1002 of
//! @nexus/precompile-keccak), with the software permutation where the call does not exist:
//! Linux (so qemu-riscv32) answers an unknown syscall with -ENOSYS (-38), and the same ELF then
//! permutes in software with the same result. A zkVM build without the plugin faults on the
//! call, naming the plugin. The runtime crate `zkvm` includes this module:
//! `zkvm::keccak256(data)`, `zkvm::Keccak256`, `zkvm::keccakf`.

use core::arch::asm;

/// The precompile's syscall number (riscv.md section 6).
pub const SYS_KECCAKF: usize = 0x1002;
const ENOSYS: isize = -38;

const RC: [u64; 24] = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000,
    0x000000000000808b, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008a, 0x0000000000000088, 0x0000000080008009, 0x000000008000000a,
    0x000000008000808b, 0x800000000000008b, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800a, 0x800000008000000a,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
];

/// Rotation offsets r[x + 5y] (FIPS 202 Table 2).
const R: [u32; 25] = [
    0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
];

/// The raw call: returns 0 when the precompile ran, -38 where the syscall does not exist.
fn keccakf_syscall(state: &mut [u64; 25]) -> isize {
    let ret: isize;
    // SAFETY: the pointer is valid and aligned for the 200 bytes the call reads and writes; no
    // `nomem`, so the compiler does not cache the state across the call.
    unsafe {
        asm!("ecall", inlateout("a0") state.as_mut_ptr() as isize => ret,
             in("a7") SYS_KECCAKF, options(nostack));
    }
    ret
}

/// The software permutation (FIPS 202 Keccak-f[1600]), used where the precompile is missing.
pub fn keccakf_soft(a: &mut [u64; 25]) {
    for rc in RC {
        let mut c = [0u64; 5];
        for x in 0..5 {
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        }
        for x in 0..5 {
            let d = c[(x + 4) % 5] ^ c[(x + 1) % 5].rotate_left(1);
            for y in 0..5 {
                a[x + 5 * y] ^= d;
            }
        }
        // ρ and π: B[y, 2x + 3y] = rot(A[x, y], r[x, y]).
        let mut b = [0u64; 25];
        for x in 0..5 {
            for y in 0..5 {
                b[y + 5 * ((2 * x + 3 * y) % 5)] = a[x + 5 * y].rotate_left(R[x + 5 * y]);
            }
        }
        for y in 0..5 {
            for x in 0..5 {
                a[x + 5 * y] = b[x + 5 * y] ^ (!b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
            }
        }
        a[0] ^= rc;
    }
}

/// Keccak-f[1600] of the state: the precompile, or software where it is missing.
pub fn keccakf(state: &mut [u64; 25]) {
    match keccakf_syscall(state) {
        0 => {}
        ENOSYS => keccakf_soft(state),
        r => panic!("keccakf failed: {}", r),
    }
}

/// An incremental Keccak-256 (rate 136 bytes, padding 0x01 .. 0x80: Ethereum's, not SHA3-256).
pub struct Keccak256 {
    state: [u64; 25],
    /// Bytes absorbed into the current block.
    filled: usize,
}

const RATE: usize = 136;

impl Keccak256 {
    pub fn new() -> Self {
        Keccak256 { state: [0; 25], filled: 0 }
    }

    fn xor_byte(&mut self, i: usize, v: u8) {
        self.state[i / 8] ^= (v as u64) << (8 * (i % 8));
    }

    pub fn update(&mut self, data: &[u8]) {
        for &v in data {
            self.xor_byte(self.filled, v);
            self.filled += 1;
            if self.filled == RATE {
                keccakf(&mut self.state);
                self.filled = 0;
            }
        }
    }

    pub fn finalize(mut self) -> [u8; 32] {
        self.xor_byte(self.filled, 0x01);
        self.xor_byte(RATE - 1, 0x80);
        keccakf(&mut self.state);
        let mut out = [0u8; 32];
        for (chunk, lane) in out.chunks_exact_mut(8).zip(self.state) {
            chunk.copy_from_slice(&lane.to_le_bytes());
        }
        out
    }
}

impl Default for Keccak256 {
    fn default() -> Self {
        Self::new()
    }
}

/// Keccak-256 of `data`.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    let mut h = Keccak256::new();
    h.update(data);
    h.finalize()
}
