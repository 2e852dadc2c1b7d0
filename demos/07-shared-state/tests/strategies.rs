//! Every strategy gives the serial answer, for pools of 1, 2, 3 and 7 threads and for sizes
//! that do not divide evenly among them.

use shared_state::atomics::{Packed, Padded, atomic_per_bin, per_thread_counters};
use shared_state::collect::{
    as_set, collect_channel, collect_mutex_push, collect_ordered, collect_serial,
};
use shared_state::locks::{mutex_per_image, mutex_per_increment, mutex_per_increment_checked};
use shared_state::reduce::fold_reduce;
use shared_state::rounds::{refine_parallel, refine_serial};
use shared_state::{histogram_serial, noise_images, parts};
use thread_pool_map::thread_pool;
use workload::ImageSize;

const THREADS: [usize; 4] = [1, 2, 3, 7];

/// (images, size): 7 images of 13x5 pixels (455, a multiple of neither 2 nor 3 nor 7 when
/// split), one big image (fewer images than threads), 1-pixel images, and no image at all.
fn inputs() -> Vec<(usize, ImageSize)> {
    vec![
        (7, ImageSize::new(13, 5)),
        (1, ImageSize::new(301, 223)),
        (3, ImageSize::new(1, 1)),
        (0, ImageSize::new(4, 4)),
    ]
}

#[test]
fn every_histogram_equals_the_serial_one() {
    for (count, size) in inputs() {
        let pixels = noise_images(count, size);
        let image = size.bytes();
        let serial = histogram_serial(&pixels);
        assert_eq!(serial.iter().sum::<u64>(), pixels.len() as u64);
        for threads in THREADS {
            let pool = thread_pool(threads).unwrap();
            let case = format!("{count} images of {size}, {threads} threads");
            assert_eq!(mutex_per_increment(&pool, &pixels), serial, "{case}");
            let checked = mutex_per_increment_checked(&pool, &pixels, None);
            assert_eq!(checked, Ok(serial), "{case}");
            assert_eq!(mutex_per_image(&pool, &pixels, image), serial, "{case}");
            assert_eq!(atomic_per_bin(&pool, &pixels), serial, "{case}");
            assert_eq!(
                per_thread_counters::<Packed>(&pixels, threads),
                serial,
                "{case}"
            );
            assert_eq!(
                per_thread_counters::<Padded>(&pixels, threads),
                serial,
                "{case}"
            );
            assert_eq!(fold_reduce(&pool, &pixels, image), serial, "{case}");
        }
    }
}

#[test]
fn every_collection_holds_every_image_once() {
    for (count, size) in inputs() {
        let pixels = noise_images(count, size);
        let image = size.bytes();
        let serial = collect_serial(&pixels, image);
        assert_eq!(serial.len(), count);
        for threads in THREADS {
            let pool = thread_pool(threads).unwrap();
            assert_eq!(collect_ordered(&pool, &pixels, image), serial, "in order");
            assert_eq!(as_set(collect_mutex_push(&pool, &pixels, image)), serial);
            assert_eq!(as_set(collect_channel(&pool, &pixels, image)), serial);
        }
    }
}

#[test]
fn rounds_in_parallel_end_where_the_serial_rounds_end() {
    let size = ImageSize::new(300, 101);
    let (pixels, image) = (noise_images(3, size), size.bytes());
    for rounds in [1, 5] {
        let serial = refine_serial(&pixels, image, rounds);
        for threads in THREADS {
            let pool = thread_pool(threads).unwrap();
            assert_eq!(refine_parallel(&pool, &pixels, image, rounds), serial);
        }
    }
    // Uniform noise: after enough rounds the four levels spread over the whole range.
    let levels = refine_serial(&pixels, image, 60);
    assert!(levels[0] < 64.0 && levels[3] > 192.0, "{levels:?}");
}

#[test]
fn a_panic_in_the_locked_section_is_an_error_not_a_hang() {
    let pixels = noise_images(5, ImageSize::new(64, 33));
    for threads in THREADS {
        let pool = thread_pool(threads).unwrap();
        let err = mutex_per_increment_checked(&pool, &pixels, Some(pixels.len() / 2))
            .expect_err("the panic is reported");
        assert!(err.to_string().contains("deliberate panic"), "{err}");
    }
}

#[test]
fn parts_cover_the_pixels_in_at_most_one_part_per_thread() {
    let pixels: Vec<u8> = (0..=100).collect();
    for threads in [1, 2, 3, 7, 200] {
        let cut: Vec<&[u8]> = parts(&pixels, threads).collect();
        assert!(cut.len() <= threads);
        assert_eq!(cut.concat(), pixels);
    }
    assert_eq!(parts(&[], 3).count(), 0);
}
