//! Solutions to the exercises of chapter 2.

use std::path::{Path, PathBuf};

use workload::{ImageError, ImageSize, make_image};

// ANCHOR: bind
/// Exercise 2.1: `functools.partial` by hand. The returned closure owns copies of `dir` and
/// `size` (`move`), so it can outlive this call and be sent to another thread.
pub fn bind(
    dir: PathBuf,
    size: ImageSize,
) -> impl Fn(usize) -> Result<PathBuf, ImageError> + Send + Sync {
    move |index| make_image(&dir, size, index)
}
// ANCHOR_END: bind

// ANCHOR: total_bytes
/// Exercise 2.2: map, then reduce. Each item reports the size of the file it wrote and the
/// results are summed: the shape of almost every parallel computation.
pub fn total_bytes(dir: &Path, size: ImageSize, count: usize) -> anyhow::Result<u64> {
    let file_size = |index| -> anyhow::Result<u64> {
        let path = make_image(dir, size, index)?;
        Ok(std::fs::metadata(path)?.len())
    };
    (0..count).map(file_size).sum()
}
// ANCHOR_END: total_bytes

#[cfg(test)]
mod tests {
    use testkit::ScratchDir;

    use super::*;

    #[test]
    fn bound_closure_does_what_make_image_does() {
        let (a, b) = (ScratchDir::new("bound"), ScratchDir::new("direct"));
        let size = ImageSize::new(20, 10);
        let make = bind(a.path().to_owned(), size);
        let bound = std::thread::spawn(move || make(7)).join().unwrap().unwrap();
        let direct = make_image(b.path(), size, 7).unwrap();
        assert_eq!(
            std::fs::read(bound).unwrap(),
            std::fs::read(direct).unwrap()
        );
    }

    #[test]
    fn reduced_total_matches_the_files_on_disk() {
        let dir = ScratchDir::new("total");
        let total = total_bytes(dir.path(), ImageSize::new(32, 32), 6).unwrap();
        let on_disk: u64 = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().metadata().unwrap().len())
            .sum();
        assert_eq!(total, on_disk);
        assert!(total > 6 * 32 * 32, "noise does not compress");
    }
}
