//! Who does what: `total` rows (or images) cut into one contiguous share per rank. The shares
//! differ by at most one when the work does not divide evenly, and MPI's varcount collectives
//! need exactly these counts and offsets.
#![forbid(unsafe_code)]

use std::ops::Range;

use mpi::Count;

// ANCHOR: shares
/// `total` items over `ranks` ranks: the first `total % ranks` ranks take one item more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shares {
    pub total: usize,
    pub ranks: usize,
}

impl Shares {
    /// The items of `rank`, a contiguous run; empty when there are more ranks than items.
    pub fn range(&self, rank: usize) -> Range<usize> {
        let (base, extra) = (self.total / self.ranks, self.total % self.ranks);
        let start = rank * base + rank.min(extra);
        start..start + base + usize::from(rank < extra)
    }

    /// What a varcount gather needs: each rank's count and offset, in elements of `per_item`.
    pub fn counts_and_offsets(&self, per_item: usize) -> (Vec<Count>, Vec<Count>) {
        let count = |items: usize| {
            Count::try_from(items * per_item).expect("checked by Shares::fits_in_one_message")
        };
        (0..self.ranks)
            .map(|rank| self.range(rank))
            .map(|range| (count(range.len()), count(range.start)))
            .unzip()
    }
    // ANCHOR_END: shares

    /// Whether `total` items of `per_item` elements can be counted in one message: MPI counts
    /// elements in a C `int`, so one message holds fewer than 2^31 of them.
    pub fn fits_in_one_message(total: usize, per_item: usize) -> bool {
        total
            .checked_mul(per_item)
            .is_some_and(|n| Count::try_from(n).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_every_item_once_in_order() {
        for total in 0..40 {
            for ranks in 1..9 {
                let shares = Shares { total, ranks };
                let ranges: Vec<_> = (0..ranks).map(|r| shares.range(r)).collect();
                assert_eq!(ranges[0].start, 0);
                assert_eq!(ranges[ranks - 1].end, total, "{total} over {ranks}");
                assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
                let (small, big) = (total / ranks, total.div_ceil(ranks));
                assert!(ranges.iter().all(|r| r.len() == small || r.len() == big));
            }
        }
    }

    #[test]
    fn uneven_shares_go_to_the_first_ranks() {
        let shares = Shares {
            total: 10,
            ranks: 3,
        };
        assert_eq!(
            [shares.range(0), shares.range(1), shares.range(2)],
            [0..4, 4..7, 7..10]
        );
        let (counts, offsets) = shares.counts_and_offsets(5);
        assert_eq!((counts, offsets), (vec![20, 15, 15], vec![0, 20, 35]));
    }

    #[test]
    fn message_sizes_are_checked() {
        assert!(Shares::fits_in_one_message(1 << 15, 1 << 15));
        assert!(!Shares::fits_in_one_message(1 << 16, 1 << 15));
        assert!(!Shares::fits_in_one_message(usize::MAX, 2));
    }
}
