//! Divide and conquer: merge sort, serially and with `rayon::join`. Both halves of a slice
//! are sorted independently, then merged; `join` runs the halves at once when a worker is free.

/// Merge the sorted `left` and `right` into `out` (as long as both together).
fn merge(left: &[u8], right: &[u8], out: &mut [u8]) {
    let (mut l, mut r) = (0, 0);
    for slot in out.iter_mut() {
        if r == right.len() || (l < left.len() && left[l] <= right[r]) {
            *slot = left[l];
            l += 1;
        } else {
            *slot = right[r];
            r += 1;
        }
    }
}

// ANCHOR: serial
/// Sort `values`, using `scratch` (as long) as room to merge into.
pub fn merge_sort(values: &mut [u8], scratch: &mut [u8]) {
    if values.len() <= 1 {
        return;
    }
    let mid = values.len() / 2;
    let (left, right) = values.split_at_mut(mid);
    let (left_scratch, right_scratch) = scratch.split_at_mut(mid);
    merge_sort(left, left_scratch);
    merge_sort(right, right_scratch);
    merge(left, right, scratch);
    values.copy_from_slice(scratch);
}
// ANCHOR_END: serial

// ANCHOR: join
/// The same sort, the halves handed to `rayon::join`; below `cutoff` values, the serial sort.
/// A `cutoff` of 1 splits all the way down: a `join` for every pair of values.
pub fn merge_sort_join(values: &mut [u8], scratch: &mut [u8], cutoff: usize) {
    if values.len() <= cutoff.max(1) {
        return merge_sort(values, scratch);
    }
    let mid = values.len() / 2;
    let (left, right) = values.split_at_mut(mid);
    let (left_scratch, right_scratch) = scratch.split_at_mut(mid);
    rayon::join(
        || merge_sort_join(left, left_scratch, cutoff),
        || merge_sort_join(right, right_scratch, cutoff),
    );
    merge(left, right, scratch);
    values.copy_from_slice(scratch);
}
// ANCHOR_END: join

/// `pixels` sorted on this thread: the reference.
pub fn sorted_serial(pixels: &[u8]) -> Vec<u8> {
    let mut values = pixels.to_vec();
    merge_sort(&mut values, &mut vec![0; pixels.len()]);
    values
}

/// `pixels` sorted on `pool`'s workers, splitting down to `cutoff` values.
pub fn sorted_join(pool: &rayon::ThreadPool, pixels: &[u8], cutoff: usize) -> Vec<u8> {
    let mut values = pixels.to_vec();
    let mut scratch = vec![0; pixels.len()];
    pool.install(|| merge_sort_join(&mut values, &mut scratch, cutoff));
    values
}

/// The cut-off the chapter recommends, read from `cargo bench --bench pool`: sorting 1024
/// values costs about a thousand `join`s, so the joins above such leaves cost about 0.1%.
pub const CUTOFF: usize = 1 << 10;
