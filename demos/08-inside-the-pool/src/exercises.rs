//! Solutions to the exercises of chapter 8.

use std::cmp::Reverse;

use rayon::prelude::*;

// ANCHOR: sum_join
/// Exercise 8.1: the sum of `pixels`, halves added with `rayon::join` down to `cutoff` values,
/// then a plain loop. Whole numbers: any split adds up to the serial sum.
pub fn sum_join(pixels: &[u8], cutoff: usize) -> u64 {
    if pixels.len() <= cutoff.max(1) {
        return pixels.iter().map(|&p| u64::from(p)).sum();
    }
    let (left, right) = pixels.split_at(pixels.len() / 2);
    let (a, b) = rayon::join(|| sum_join(left, cutoff), || sum_join(right, cutoff));
    a + b
}
// ANCHOR_END: sum_join

// ANCHOR: quicksort
/// Exercise 8.2: quicksort with `join`: split around a pivot in place, then sort the two
/// sides at once; below `cutoff` values, the standard library's sort.
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

// ANCHOR: lines
/// Exercise 8.3: the longest line of `text` and its number (the first such line), with
/// `par_bridge` over `lines()`, which cannot be indexed. The lines arrive in any order, so the
/// line number travels with each line and breaks ties.
pub fn longest_line(text: &str) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .par_bridge()
        .map(|(number, line)| (number, line.chars().count()))
        .max_by_key(|&(number, length)| (length, Reverse(number)))
}
// ANCHOR_END: lines

#[cfg(test)]
mod tests {
    use super::*;

    /// Noise pixels of the lengths the chapter asks for: none, one, a prime, and many.
    fn inputs() -> Vec<Vec<u8>> {
        let pixels = workload::noise_pixels(3, workload::ImageSize::new(100_003, 1));
        [0, 1, 1009, 100_003]
            .map(|len| pixels[..len].to_vec())
            .into()
    }

    fn on_threads(threads: usize, f: impl FnOnce() + Send) {
        thread_pool_map::thread_pool(threads).unwrap().install(f);
    }

    #[test]
    fn the_join_sum_and_quicksort_equal_the_serial_ones() {
        for pixels in inputs() {
            let serial_sum: u64 = pixels.iter().map(|&p| u64::from(p)).sum();
            let mut serial_sort = pixels.clone();
            serial_sort.sort();
            for threads in [1, 2, 3, 7] {
                on_threads(threads, || {
                    for cutoff in [1, 7, 4096] {
                        assert_eq!(sum_join(&pixels, cutoff), serial_sum);
                        let mut sorted = pixels.clone();
                        quicksort_join(&mut sorted, cutoff);
                        assert_eq!(sorted, serial_sort, "{} values", pixels.len());
                    }
                });
            }
        }
    }

    #[test]
    fn the_longest_line_is_the_first_of_the_longest() {
        let text = "ab\nabcd\n\nwxyz\nabc";
        for threads in [1, 2, 3, 7] {
            on_threads(threads, || assert_eq!(longest_line(text), Some((1, 4))));
        }
        assert_eq!(longest_line(""), None);
        assert_eq!(longest_line("é"), Some((0, 1)));
    }
}
