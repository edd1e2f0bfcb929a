//! collections: word statistics with Vec, String, BTreeMap, BTreeSet, Box and format!.
//!
//! The public input is a text (a built-in one when empty); the private input is an optional list
//! of words to leave out (a "stop list", whitespace separated). Words are maximal runs of ASCII
//! letters and digits, lowercased. The guest sorts and deduplicates the words, counts them, and
//! commits, as text:
//!
//! ```text
//! words <n>            the words counted (stop words left out)
//! distinct <d>         the distinct words among them
//! <count> <word>       the 10 most frequent words, by count descending then word ascending
//! ```
//!
//! It exits with 1 if the deduplicated sort and the map disagree (they must not).
#![no_std]

extern crate alloc;

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

zkvm::entry!(main);

const DEFAULT_TEXT: &str = "the quick brown fox jumps over the lazy dog; the dog sleeps, \
    the fox runs, and the quick fox jumps again over the sleeping dog";

/// Splits `text` into lowercase ASCII words.
fn words(text: &[u8]) -> Vec<String> {
    text.split(|b| !b.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.iter().map(|b| b.to_ascii_lowercase() as char).collect())
        .collect()
}

fn main() {
    let public = zkvm::read_public_to_end();
    let text: &[u8] = if public.is_empty() { DEFAULT_TEXT.as_bytes() } else { &public };
    let stop: BTreeSet<String> = words(&zkvm::read_private_to_end()).into_iter().collect();

    let all: Vec<String> = words(text).into_iter().filter(|w| !stop.contains(w)).collect();

    // Distinct words, twice: by sorting and deduplicating, and as the keys of a counting map.
    let mut sorted = all.clone();
    sorted.sort_unstable();
    sorted.dedup();
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for w in &all {
        *counts.entry(w.as_str()).or_insert(0) += 1;
    }
    let total: u32 = counts.values().sum();
    if sorted.len() != counts.len()
        || sorted.iter().zip(counts.keys()).any(|(a, b)| a != b)
        || total as usize != all.len()
    {
        zkvm::log!("collections: the sorted words and the map disagree");
        zkvm::exit(1);
    }

    let mut ranked: Box<[(&str, u32)]> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));

    let mut out = format!("words {}\ndistinct {}\n", all.len(), sorted.len());
    for (word, count) in ranked.iter().take(10) {
        out.push_str(&format!("{} {}\n", count, word));
    }
    zkvm::commit(out.as_bytes());
    zkvm::log!(
        "collections: {} words, {} distinct, {} stop words, {} heap bytes used",
        all.len(),
        sorted.len(),
        stop.len(),
        zkvm::heap_used()
    );
}
