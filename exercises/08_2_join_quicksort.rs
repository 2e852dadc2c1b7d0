//! Exercise 8.2: quicksort with `join`.
//!
//! Sort `values` in place: pick a pivot, move the values below it to the front and the values
//! above it to the back, then sort the two sides at once with `rayon::join`
//! (`split_at_mut` gives two `&mut` slices that do not overlap). Below `cutoff` values, let
//! `sort_unstable` finish. Every value may be the same: the sides must still get smaller.
//! What makes a quicksort's sides uneven, and why does work stealing not mind?
//! Check: `cargo xtask exercise 8.2`.

pub fn quicksort_join(values: &mut [u8], cutoff: usize) {
    todo!("partition around a pivot, then join the sorts of the two sides")
}
