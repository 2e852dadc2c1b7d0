//! Solutions to the exercises of chapter 3.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;

use rayon::prelude::*;
use workload::{ImageError, ImageSize, image_path, make_image, noise_pixels, save_png};

// ANCHOR: who_made_what
/// Exercise 3.1: which worker made which image? Results still come back in index order,
/// whatever order the workers finished in.
pub fn who_made_what(
    pool: &rayon::ThreadPool,
    dir: &Path,
    size: ImageSize,
    count: usize,
) -> Result<Vec<(usize, usize)>, ImageError> {
    pool.install(|| {
        (0..count)
            .into_par_iter()
            .map(|index| {
                make_image(dir, size, index)?;
                let worker = rayon::current_thread_index().expect("runs inside the pool");
                Ok((index, worker))
            })
            .collect()
    })
}
// ANCHOR_END: who_made_what

// ANCHOR: pixel_sum
/// Exercise 3.2: map, then reduce in parallel: the sum of every pixel of every image.
/// Addition of integers is associative, so any grouping gives the serial answer.
pub fn pixel_sum(pool: &rayon::ThreadPool, size: ImageSize, count: usize) -> u64 {
    let image_sum = |index| {
        noise_pixels(index, size)
            .iter()
            .map(|&p| u64::from(p))
            .sum::<u64>()
    };
    pool.install(|| (0..count).into_par_iter().map(image_sum).sum())
}
// ANCHOR_END: pixel_sum

// ANCHOR: save_in_background
/// Exercise 3.3: the calling thread makes the pixels while one background thread saves them.
/// The channel holds at most two images, so the maker cannot run far ahead of the saver.
pub fn save_in_background(
    dir: &Path,
    size: ImageSize,
    count: usize,
) -> Result<Vec<PathBuf>, ImageError> {
    let (to_saver, saved) = mpsc::sync_channel::<(usize, Vec<u8>)>(2);
    let dir_for_saver = dir.to_owned();
    let saver = thread::spawn(move || {
        for (index, pixels) in saved {
            save_png(&image_path(&dir_for_saver, index), &pixels, size)?;
        }
        Ok(())
    });
    for index in 0..count {
        // A send fails only when the saver has stopped: its error comes out of `join` below.
        if to_saver.send((index, noise_pixels(index, size))).is_err() {
            break;
        }
    }
    drop(to_saver); // closes the channel: the saver's loop ends after the last image
    saver.join().expect("the saver thread panicked")?;
    Ok((0..count).map(|index| image_path(dir, index)).collect())
}
// ANCHOR_END: save_in_background

// ANCHOR: listed_images
/// Exercise 3.4: the noise images in a folder, in index order. `read_dir` promises no order,
/// so sort what it returns (the names are zero-padded, so name order is index order).
pub fn listed_images(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if workload::noise::is_image_file(&path) {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}
// ANCHOR_END: listed_images

#[cfg(test)]
mod tests {
    use testkit::ScratchDir;

    use super::*;
    use crate::thread_pool;

    #[test]
    fn results_come_back_in_index_order_from_pool_workers() {
        let dir = ScratchDir::new("who");
        let pool = thread_pool(3).unwrap();
        let made = who_made_what(&pool, dir.path(), ImageSize::new(16, 16), 20).unwrap();
        let indices: Vec<usize> = made.iter().map(|&(index, _)| index).collect();
        assert_eq!(indices, (0..20).collect::<Vec<_>>());
        assert!(made.iter().all(|&(_, worker)| worker < 3));
    }

    #[test]
    fn parallel_sum_equals_serial_sum() {
        let size = ImageSize::new(64, 32);
        let serial: u64 = (0..9)
            .flat_map(|i| noise_pixels(i, size))
            .map(u64::from)
            .sum();
        for threads in [1, 2, 7] {
            assert_eq!(pixel_sum(&thread_pool(threads).unwrap(), size, 9), serial);
        }
    }

    #[test]
    fn background_saver_writes_what_the_loop_writes() {
        let (dir, reference) = (ScratchDir::new("bg"), ScratchDir::new("bg-ref"));
        let size = ImageSize::new(24, 16);
        let saved = save_in_background(dir.path(), size, 7).unwrap();
        let looped: Vec<_> = (0..7)
            .map(|i| make_image(reference.path(), size, i).unwrap())
            .collect();
        assert!(workload::same_files(&saved, &looped).unwrap());
    }

    #[test]
    fn a_saver_that_fails_reports_its_error() {
        let dir = ScratchDir::new("bg-bad");
        let missing = dir.path().join("no such folder");
        assert!(save_in_background(&missing, ImageSize::new(8, 8), 5).is_err());
    }

    #[test]
    fn listing_is_in_index_order_whatever_the_order_of_writing() {
        let dir = ScratchDir::new("listed");
        for index in [11, 3, 7, 0, 10] {
            make_image(dir.path(), ImageSize::new(4, 4), index).unwrap();
        }
        std::fs::write(dir.path().join("notes.txt"), "not an image").unwrap();
        let listed = listed_images(dir.path()).unwrap();
        let expected: Vec<_> = [0, 3, 7, 10, 11]
            .iter()
            .map(|&i| image_path(dir.path(), i))
            .collect();
        assert_eq!(listed, expected);
    }
}
