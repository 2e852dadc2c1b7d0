//! Exercise 3.3, solved: save in the background.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;

use workload::{ImageError, ImageSize, image_path, noise_pixels, save_png};

// ANCHOR: save_in_background
/// The calling thread makes the pixels while one background thread saves them. The channel
/// holds at most two images, so the maker cannot run far ahead of the saver.
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
