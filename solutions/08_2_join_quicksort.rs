//! Exercise 8.2, solved: quicksort with `join`.

// ANCHOR: quicksort
/// Quicksort with `join`: split around a pivot in place, then sort the two sides at once;
/// below `cutoff` values, the standard library's sort.
pub fn quicksort_join(values: &mut [u8], cutoff: usize) {
    if values.len() <= cutoff.max(2) {
        return values.sort_unstable();
    }
    let pivot = values[values.len() / 2];
    // Three parts: below the pivot, equal to it, above it; the middle needs no more sorting.
    let mut below = 0;
    for i in 0..values.len() {
        if values[i] < pivot {
            values.swap(i, below);
            below += 1;
        }
    }
    let mut equal = below;
    for i in below..values.len() {
        if values[i] == pivot {
            values.swap(i, equal);
            equal += 1;
        }
    }
    let (low, rest) = values.split_at_mut(below);
    let high = &mut rest[equal - below..];
    rayon::join(
        || quicksort_join(low, cutoff),
        || quicksort_join(high, cutoff),
    );
}
// ANCHOR_END: quicksort
