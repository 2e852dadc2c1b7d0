//! Map, reduce, broadcast, in rounds: the workers each measure the current parameter against
//! their share of the data, the parent combines their answers into a better parameter, and the
//! next round starts from it. Here the parameter is four grey levels that best stand for the
//! pixels (one-dimensional k-means): each round moves every level to the mean of the pixels
//! nearest to it.

use rayon::ThreadPool;
use rayon::prelude::*;
use workload::timeline;

/// The parameter: four grey levels.
pub type Levels = [f64; 4];

/// Where every run starts: all four levels near black, so the rounds have work to do.
pub const START: Levels = [0.0, 1.0, 2.0, 3.0];

/// What a worker reports for its pixels: for each level, how many pixels are nearest to it
/// and the sum of their values. Whole numbers, so any grouping adds up to the same totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: [u64; 4],
    pub sum: [u64; 4],
}

impl Tally {
    /// The map step for one share of the pixels. Never inlined, so that the serial and the
    /// parallel rounds run the same machine code and the table compares the strategies, not
    /// two compilations of this loop.
    #[inline(never)]
    pub fn of(pixels: &[u8], levels: &Levels) -> Self {
        let mut tally = Self::default();
        for &value in pixels {
            let distance = |l: &f64| (l - f64::from(value)).abs();
            let nearest = (1..4).fold(0, |best, l| {
                if distance(&levels[l]) < distance(&levels[best]) {
                    l
                } else {
                    best
                }
            });
            tally.count[nearest] += 1;
            tally.sum[nearest] += u64::from(value);
        }
        tally
    }

    /// The reduce step: two workers' tallies as one.
    pub fn merge(mut self, other: Self) -> Self {
        for l in 0..4 {
            self.count[l] += other.count[l];
            self.sum[l] += other.sum[l];
        }
        self
    }

    /// The parent's step: each level moves to the mean of its pixels (a level no pixel is
    /// nearest to stays where it was).
    pub fn next_levels(&self, levels: &Levels) -> Levels {
        std::array::from_fn(|l| match self.count[l] {
            0 => levels[l],
            n => self.sum[l] as f64 / n as f64,
        })
    }
}

/// The reference: every round on one thread, image after image.
pub fn refine_serial(pixels: &[u8], image_bytes: usize, rounds: usize) -> Levels {
    let images = pixels.chunks(image_bytes.max(1));
    let mut levels = START;
    for round in 0..rounds {
        let tallies = images.clone().enumerate().map(|(i, image)| {
            let _span = timeline::item(round * images.len() + i); // --timeline's bar
            Tally::of(image, &levels)
        });
        levels = tallies
            .fold(Tally::default(), Tally::merge)
            .next_levels(&levels);
    }
    levels
}

// ANCHOR: rounds
/// Each round maps every image's pixels to a tally against the current levels, reduces the
/// tallies to one, and computes the next levels from it. The broadcast is free: the next
/// round's closure simply borrows the new `levels`; nothing is copied to the workers.
pub fn refine_parallel(pool: &ThreadPool, pixels: &[u8], image: usize, rounds: usize) -> Levels {
    let images = pixels.par_chunks(image.max(1));
    let mut levels = START;
    for round in 0..rounds {
        let tally = pool.install(|| {
            images
                .clone()
                .enumerate()
                .map(|(i, image)| {
                    let _span = timeline::item(round * images.len() + i); // --timeline's bar
                    Tally::of(image, &levels)
                })
                .reduce(Tally::default, Tally::merge)
        });
        levels = tally.next_levels(&levels);
    }
    levels
}
// ANCHOR_END: rounds
