//! Exercise 3.4, solved: list a folder in a fixed order.

use std::path::{Path, PathBuf};

// ANCHOR: listed_images
/// The noise images in a folder, in index order. `read_dir` promises no order, so sort what
/// it returns (the names are zero-padded, so name order is index order).
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
