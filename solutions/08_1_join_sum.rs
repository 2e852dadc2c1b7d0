//! Exercise 8.1, solved: a sum with `join`.

// ANCHOR: sum_join
/// The sum of `pixels`, halves added with `rayon::join` down to `cutoff` values, then a plain
/// loop. Whole numbers: any split adds up to the serial sum.
pub fn sum_join(pixels: &[u8], cutoff: usize) -> u64 {
    if pixels.len() <= cutoff.max(1) {
        return pixels.iter().map(|&p| u64::from(p)).sum();
    }
    let (left, right) = pixels.split_at(pixels.len() / 2);
    let (a, b) = rayon::join(|| sum_join(left, cutoff), || sum_join(right, cutoff));
    a + b
}
// ANCHOR_END: sum_join
