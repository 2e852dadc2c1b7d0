//! Every parallel strategy gives the serial result, byte for byte, whatever the pool size and
//! however the count divides among the workers.

use function_extraction::map_serial;
use testkit::ScratchDir;
use thread_pool_map::{load_parallel, load_serial, par_map, par_map_chunked, thread_pool};
use workload::{ImageSize, noise_pixels, same_files};

const SIZE: ImageSize = ImageSize::new(12, 5);
const COUNTS: [usize; 6] = [0, 1, 2, 6, 7, 13];

#[test]
fn parallel_maps_write_the_serial_files() {
    for count in COUNTS {
        let serial_dir = ScratchDir::new("03-serial");
        let serial = map_serial(serial_dir.path(), SIZE, count).unwrap();
        for threads in [1, 2, 3, 7] {
            let pool = thread_pool(threads).unwrap();
            let dir = ScratchDir::new("03-par");
            let parallel = par_map(&pool, dir.path(), SIZE, count).unwrap();
            assert!(
                same_files(&serial, &parallel).unwrap(),
                "{threads} threads, {count} images"
            );
            for chunk in [1, 3, count.div_ceil(threads).max(1)] {
                let dir = ScratchDir::new("03-chunk");
                let chunked = par_map_chunked(&pool, dir.path(), SIZE, count, chunk).unwrap();
                assert_eq!(chunked.len(), count);
                assert!(
                    same_files(&serial, &chunked).unwrap(),
                    "{threads} threads, chunk {chunk}, {count} images"
                );
            }
        }
    }
}

#[test]
fn loaded_array_holds_the_generated_images_in_index_order() {
    for count in COUNTS {
        let dir = ScratchDir::new("03-load");
        map_serial(dir.path(), SIZE, count).unwrap();
        let expected: Vec<u8> = (0..count).flat_map(|i| noise_pixels(i, SIZE)).collect();
        assert_eq!(load_serial(dir.path(), SIZE, count).unwrap(), expected);
        for threads in [1, 2, 3, 7] {
            let pool = thread_pool(threads).unwrap();
            assert_eq!(
                load_parallel(&pool, dir.path(), SIZE, count).unwrap(),
                expected,
                "{threads} threads, {count} images"
            );
        }
    }
}

#[test]
fn an_array_too_big_for_memory_is_a_clean_error() {
    let huge = ImageSize::new(16384, 16384);
    let err = thread_pool_map::image_buffer(huge, 1 << 20).unwrap_err();
    assert!(
        err.to_string()
            .contains("need more memory than this machine has"),
        "{err}"
    );
    let err = thread_pool_map::image_buffer(huge, usize::MAX).unwrap_err();
    assert!(err.to_string().contains("need more memory"), "{err}");
}
