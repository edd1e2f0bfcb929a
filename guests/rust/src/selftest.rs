//! selftest: checks the runtime from inside a guest: the bump allocator (reuse, alignment,
//! growth in place and by copy, zeroing, failure) and the memory routines (memcpy, memmove,
//! memset, memcmp against byte-by-byte references, every alignment and many lengths). Each
//! check that fails is logged by name; the public output lists every check run with `ok` or
//! `FAILED` and the exit code is the number of failures (0: all passed). The public input, when
//! given, is a bitmask (u32 LE) of the checks to run, in the order of `main` (default: all).
#![no_std]

extern crate alloc;

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

zkvm::entry!(main);

#[repr(align(4096))]
struct Page([u8; 4096]);

/// Freed memory is reused (the last block is given back), so zeroed allocations must really
/// clear it.
fn zeroed_after_reuse() -> bool {
    let before = zkvm::heap_used();
    let dirty = vec![0xaau8; 4096];
    drop(dirty);
    let back = zkvm::heap_used() == before;
    let clean = vec![0u8; 4096];
    back && clean.iter().all(|&b| b == 0)
}

fn alignment() -> bool {
    let _odd = Box::new(1u8);
    let page = Box::new(Page([7; 4096]));
    let wide = Box::new(0u128);
    (&*page as *const Page as usize) % 4096 == 0
        && page.0[0] == 7
        && page.0[4095] == 7
        && (&*wide as *const u128 as usize) % core::mem::align_of::<u128>() == 0
}

/// A Vec grown alone is extended in place; two grown in turn are copied. Both keep their data.
fn growth() -> bool {
    let mut alone: Vec<u32> = Vec::new();
    for i in 0..1000 {
        alone.push(i * 3);
    }
    let mut a: Vec<u32> = Vec::new();
    let mut b: Vec<u32> = Vec::new();
    for i in 0..500 {
        a.push(i);
        b.push(!i);
    }
    alone.iter().enumerate().all(|(i, &v)| v == i as u32 * 3)
        && a.iter().enumerate().all(|(i, &v)| v == i as u32)
        && b.iter().enumerate().all(|(i, &v)| v == !(i as u32))
}

/// Freeing a block that is not the last one must leave later blocks alone.
fn free_in_the_middle() -> bool {
    let first = vec![1u8; 100];
    let second = vec![2u8; 100];
    drop(first);
    let third = vec![3u8; 100];
    second.iter().all(|&v| v == 2) && third.iter().all(|&v| v == 3)
}

fn strings() -> bool {
    let mut s = String::new();
    for i in 0..100 {
        s.push_str(&format!("{},", i * i));
    }
    s.len() == 454 && s.starts_with("0,1,4,9,") && s.ends_with("9604,9801,")
}

fn boxed_closures() -> bool {
    let adders: Vec<Box<dyn Fn(u32) -> u32>> =
        (0..10u32).map(|k| Box::new(move |x| x + k) as Box<dyn Fn(u32) -> u32>).collect();
    adders.iter().map(|f| f(100)).sum::<u32>() == 1045
}

/// Shrinking keeps the data and an allocation larger than the heap fails without a panic.
fn shrink_and_fail() -> bool {
    let mut v: Vec<u64> = (0..1000).collect();
    v.truncate(10);
    v.shrink_to_fit();
    let mut big: Vec<u8> = Vec::new();
    v.iter().enumerate().all(|(i, &x)| x == i as u64) && big.try_reserve(zkvm::heap_size()).is_err()
}

/// Byte-at-a-time references: volatile accesses cannot be turned into the routines under test.
fn get(buf: &[u8], i: usize) -> u8 {
    unsafe { core::ptr::read_volatile(&buf[i]) }
}

fn pattern(buf: &mut [u8], seed: u8) {
    for (i, b) in buf.iter_mut().enumerate() {
        unsafe { core::ptr::write_volatile(b, (i as u8).wrapping_mul(37).wrapping_add(seed)) };
    }
}

const LENGTHS: [usize; 12] = [0, 1, 2, 3, 4, 5, 7, 15, 16, 17, 33, 70];

/// memcpy (copy_from_slice) and memset (fill) at every source and destination alignment.
fn copy_and_fill() -> bool {
    let mut ok = true;
    let mut src = [0u8; 96];
    let mut dst = [0u8; 96];
    pattern(&mut src, 1);
    for &len in &LENGTHS {
        for s in 0..4 {
            for d in 0..4 {
                pattern(&mut dst, 200);
                dst[d..d + len].copy_from_slice(&src[s..s + len]);
                // A stray write lands next to the range, so that is as far as the check looks.
                for i in 0..len + 8 {
                    let want = if i >= d && i < d + len { get(&src, s + i - d) } else {
                        (i as u8).wrapping_mul(37).wrapping_add(200)
                    };
                    ok &= get(&dst, i) == want;
                }
                pattern(&mut dst, 9);
                dst[d..d + len].fill(0xa5);
                for i in 0..len + 8 {
                    let want = if i >= d && i < d + len { 0xa5 } else {
                        (i as u8).wrapping_mul(37).wrapping_add(9)
                    };
                    ok &= get(&dst, i) == want;
                }
            }
        }
    }
    ok
}

/// memmove (copy_within) with overlaps in both directions.
fn overlapping_moves() -> bool {
    let mut ok = true;
    let mut buf = [0u8; 120];
    for &len in &LENGTHS {
        for from in 0..6 {
            for to in 0..6 {
                pattern(&mut buf, 3);
                buf.copy_within(from..from + len, to);
                for i in 0..len + 12 {
                    let orig = |j: usize| (j as u8).wrapping_mul(37).wrapping_add(3);
                    let want = if i >= to && i < to + len { orig(from + i - to) } else { orig(i) };
                    ok &= get(&buf, i) == want;
                }
            }
        }
    }
    ok
}

/// memcmp and bcmp (slice ordering and equality) find the first differing byte.
fn comparisons() -> bool {
    let mut ok = true;
    let mut a = [0u8; 80];
    let mut b = [0u8; 80];
    pattern(&mut a, 5);
    for &len in &LENGTHS {
        for off in 0..4 {
            for diff in 0..len + 1 {
                pattern(&mut b, 5);
                // Make b differ from a at `diff` (or nowhere when diff == len), by more than the
                // sign of a signed-byte comparison would get right.
                if diff < len {
                    b[off + diff] = a[off + diff].wrapping_add(0x80);
                }
                let want = if diff == len {
                    core::cmp::Ordering::Equal
                } else {
                    get(&a, off + diff).cmp(&get(&b, off + diff))
                };
                ok &= a[off..off + len].cmp(&b[off..off + len]) == want;
                ok &= (a[off..off + len] == b[off..off + len]) == (diff == len);
            }
        }
    }
    ok
}

fn main() {
    let checks: [(&str, fn() -> bool); 10] = [
        ("zeroed_after_reuse", zeroed_after_reuse),
        ("alignment", alignment),
        ("growth", growth),
        ("free_in_the_middle", free_in_the_middle),
        ("strings", strings),
        ("boxed_closures", boxed_closures),
        ("shrink_and_fail", shrink_and_fail),
        ("copy_and_fill", copy_and_fill),
        ("overlapping_moves", overlapping_moves),
        ("comparisons", comparisons),
    ];
    let mask = zkvm::read_public_u32().unwrap_or(u32::MAX);
    let mut failed = 0;
    for (i, (name, check)) in checks.into_iter().enumerate() {
        if mask & (1 << i) == 0 {
            continue;
        }
        let ok = check();
        zkvm::commit(format!("{} {}\n", name, if ok { "ok" } else { "FAILED" }).as_bytes());
        if !ok {
            zkvm::log!("selftest: check {} failed", name);
            failed += 1;
        }
    }
    zkvm::log!("selftest: {} of {} checks failed, {} heap bytes used", failed, checks.len(), zkvm::heap_used());
    zkvm::exit(failed);
}
