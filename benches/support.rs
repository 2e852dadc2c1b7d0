//! What the criterion benchmarks in this folder share: the worker counts to try.
#![forbid(unsafe_code)]

/// 1, 2, the logical cores and twice that, without repeats: enough to see the scaling and the
/// oversubscription without a benchmark per count.
pub fn worker_counts() -> Vec<usize> {
    let logical = harness::machine::logical_cores();
    let mut counts = vec![1, 2, logical, 2 * logical];
    counts.sort_unstable();
    counts.dedup();
    counts
}
