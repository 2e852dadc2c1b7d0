//! Every parallel way gives the serial answer, for no value, one, a prime number of them and
//! many, on pools of 1, 2, 3 and 7 threads.

use inside_the_pool::bridge::{bridge_par, bridge_serial, in_order, indexed_par};
use inside_the_pool::noise_images;
use inside_the_pool::pool::{medians_nested, medians_under_lock, threads_nested};
use inside_the_pool::scoped::{
    medians_par_iter, medians_rayon_scope, medians_serial, medians_thread_scope,
};
use inside_the_pool::sort::{CUTOFF, sorted_join, sorted_serial};
use inside_the_pool::steal::grid_join;
use thread_pool_map::thread_pool;
use workload::ImageSize;
use workload::grid::{Grid, Skew};

const THREADS: [usize; 4] = [1, 2, 3, 7];

/// (images, size): none, one pixel, one image of a prime number of pixels (1009), and many
/// pixels in images whose count divides evenly among none of the pools.
fn inputs() -> [(usize, ImageSize); 4] {
    [
        (0, ImageSize::new(4, 4)),
        (1, ImageSize::new(1, 1)),
        (1, ImageSize::new(1009, 1)),
        (5, ImageSize::new(301, 223)),
    ]
}

#[test]
fn every_sort_equals_the_serial_one_and_is_sorted() {
    for (count, size) in inputs() {
        let pixels = noise_images(count, size);
        let serial = sorted_serial(&pixels);
        assert!(serial.is_sorted());
        let mut expected = pixels.clone();
        expected.sort_unstable();
        assert_eq!(serial, expected);
        for threads in THREADS {
            let pool = thread_pool(threads).unwrap();
            for cutoff in [1, 7, CUTOFF] {
                let case = format!(
                    "{} pixels, {threads} threads, cut-off {cutoff}",
                    pixels.len()
                );
                assert_eq!(sorted_join(&pool, &pixels, cutoff), serial, "{case}");
            }
        }
    }
}

#[test]
fn every_grid_split_equals_the_serial_rows() {
    for rows in [0, 1, 13, 64] {
        for skew in [Skew::Even, Skew::Linear, Skew::Tail] {
            let grid = Grid {
                rows,
                cols: 9,
                iterations: 50,
                skew,
            };
            let serial = task_queue::grid_serial(&grid);
            for threads in THREADS {
                let pool = thread_pool(threads).unwrap();
                assert_eq!(grid_join(&pool, &grid), serial, "{grid}, {threads} threads");
            }
        }
    }
}

#[test]
fn every_median_equals_the_serial_one() {
    for (count, size) in inputs() {
        let pixels = noise_images(count, size);
        let image = size.bytes();
        let serial = medians_serial(&pixels, image);
        assert_eq!(serial.len(), count);
        assert_eq!(medians_thread_scope(&pixels, image), serial);
        let bridged = bridge_serial(count, size);
        assert_eq!(bridged.iter().map(|m| m.1).collect::<Vec<_>>(), serial);
        for threads in THREADS {
            let pool = thread_pool(threads).unwrap();
            let case = format!("{count} images of {size}, {threads} threads");
            assert_eq!(medians_rayon_scope(&pool, &pixels, image), serial, "{case}");
            assert_eq!(medians_par_iter(&pool, &pixels, image), serial, "{case}");
            assert_eq!(medians_nested(&pool, &pixels, image), serial, "{case}");
            assert_eq!(medians_under_lock(&pool, &pixels, image), serial, "{case}");
            assert_eq!(in_order(bridge_par(&pool, count, size)), bridged, "{case}");
            assert_eq!(indexed_par(&pool, count, size), bridged, "{case}");
        }
    }
}

#[test]
fn nested_parallelism_starts_no_threads_of_its_own() {
    let pixels = noise_images(9, ImageSize::new(64, 64));
    for threads in THREADS {
        let pool = thread_pool(threads).unwrap();
        let used = threads_nested(&pool, &pixels, 64 * 64);
        assert!((1..=threads).contains(&used), "{used} of {threads}");
    }
}
