//! The demo's three tables: the histogram every way, the results collected into one Vec, and
//! the rounds of map, reduce and broadcast; each checked against the serial version. An item
//! (items/s, a bar on `--timeline`'s chart) is one image, in the last table one image in one
//! round.

use harness::report::{Contender, compare};

use crate::atomics::{Packed, Padded, atomic_per_bin, per_thread_counters};
use crate::collect::{
    as_set, collect_channel, collect_mutex_push, collect_ordered, collect_serial,
};
use crate::locks::{mutex_per_image, mutex_per_increment};
use crate::reduce::fold_reduce;
use crate::rounds::{refine_parallel, refine_serial};
use crate::{Histogram, histogram_serial};

/// What every table runs on: the pool, the pixels, the size of one image (bytes), the
/// number of workers and of runs.
pub struct Bench<'a> {
    pub pool: &'a rayon::ThreadPool,
    pub pixels: &'a [u8],
    /// Bytes (pixels) of one image.
    pub image: usize,
    pub threads: usize,
    pub runs: usize,
}

impl Bench<'_> {
    /// How many images: an item of every table.
    fn images(&self) -> usize {
        self.pixels.len().div_ceil(self.image.max(1))
    }

    /// Time the contenders over `items` items, print their table, and fail unless every one
    /// gave the serial contender's result.
    fn table<T: PartialEq>(
        &self,
        title: &str,
        items: usize,
        contenders: Vec<Contender<'_, T, anyhow::Error>>,
    ) -> anyhow::Result<()> {
        let same = |a: &T, b: &T| Ok::<_, anyhow::Error>(a == b);
        let table = compare(title, items, self.runs, contenders, same)?;
        harness::outln!("{table}")?;
        table.ensure_identical()
    }
}

/// The histogram, every way.
pub fn histograms(bench: &Bench) -> anyhow::Result<()> {
    let Bench {
        pool,
        pixels,
        image,
        threads,
        ..
    } = *bench;
    let contenders: Vec<Contender<'_, Histogram, _>> = vec![
        Contender::new("serial", 1, || ok(histogram_serial(pixels))),
        Contender::new("Mutex, lock per increment", threads, || {
            ok(mutex_per_increment(pool, pixels))
        }),
        Contender::new("Mutex, lock per image", threads, || {
            ok(mutex_per_image(pool, pixels, image))
        }),
        Contender::new("AtomicU64 per bin (Relaxed)", threads, || {
            ok(atomic_per_bin(pool, pixels))
        }),
        Contender::new("per-thread counters, packed", threads, || {
            ok(per_thread_counters::<Packed>(pixels, threads))
        }),
        Contender::new("per-thread counters, CachePadded", threads, || {
            ok(per_thread_counters::<Padded>(pixels, threads))
        }),
        Contender::new("rayon fold + reduce", threads, || {
            ok(fold_reduce(pool, pixels, image))
        }),
    ];
    bench.table("one histogram, 256 bins", bench.images(), contenders)
}

/// One result per image, collected into one Vec.
pub fn collections(bench: &Bench) -> anyhow::Result<()> {
    let Bench {
        pool,
        pixels,
        image,
        threads,
        ..
    } = *bench;
    let contenders = vec![
        Contender::new("serial loop", 1, || ok(collect_serial(pixels, image))),
        Contender::new("Mutex<Vec> push", threads, || {
            ok(as_set(collect_mutex_push(pool, pixels, image)))
        }),
        Contender::new("channel", threads, || {
            ok(as_set(collect_channel(pool, pixels, image)))
        }),
        Contender::new("rayon ordered collect", threads, || {
            ok(collect_ordered(pool, pixels, image))
        }),
    ];
    let title = "one (index, pixel sum) per image into one Vec, compared as sets";
    bench.table(title, bench.images(), contenders)
}

/// The rounds of map, reduce and broadcast.
pub fn rounds(bench: &Bench, rounds: usize) -> anyhow::Result<()> {
    let Bench {
        pool,
        pixels,
        image,
        threads,
        ..
    } = *bench;
    let contenders = vec![
        Contender::new("serial rounds", 1, || {
            ok(refine_serial(pixels, image, rounds))
        }),
        Contender::new("rayon map + reduce per round", threads, || {
            ok(refine_parallel(pool, pixels, image, rounds))
        }),
    ];
    let title = format!("{rounds} rounds of map, reduce, broadcast: 4 grey levels (k-means)");
    bench.table(&title, bench.images() * rounds, contenders)
}

/// A result that cannot fail, typed for [`compare`].
fn ok<T>(value: T) -> anyhow::Result<T> {
    Ok(value)
}
