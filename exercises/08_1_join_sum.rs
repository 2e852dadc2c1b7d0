//! Exercise 8.1: a sum with `join`.
//!
//! Return the sum of `pixels`: split the slice in halves and add up both halves at once with
//! `rayon::join`, down to pieces of at most `cutoff` values, which a plain loop adds up.
//! Whatever the split and the pool, it must equal the serial `iter().sum()`, as a `u64`.
//! Check: `cargo xtask exercise 8.1`.

pub fn sum_join(pixels: &[u8], cutoff: usize) -> u64 {
    todo!("below the cut-off, a loop; above it, join the two halves' sums")
}
