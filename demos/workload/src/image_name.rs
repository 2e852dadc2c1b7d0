//! The names of the noise image files: `noise-00042.png`, which sort in index order.

use std::path::{Path, PathBuf};

/// Where image `index` lives in `dir`: `noise-00042.png`.
pub fn image_path(dir: &Path, index: usize) -> PathBuf {
    dir.join(format!("noise-{index:05}.png"))
}

/// The index in a noise image's file name (`noise-0042.png` → 42).
pub fn image_index(path: &Path) -> Option<usize> {
    let name = path.file_name()?.to_str()?;
    name.strip_prefix("noise-")?
        .strip_suffix(".png")?
        .parse()
        .ok()
}

/// Whether `path` names a noise image or the temporary file one is written through.
pub fn is_image_file(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let name = name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(".tmp"))
        .unwrap_or(&name);
    name.strip_prefix("noise-")
        .and_then(|n| n.strip_suffix(".png"))
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_files_are_recognised_by_name() {
        for name in [
            "noise-00042.png",
            ".noise-00042.png.tmp",
            "d/noise-123456.png",
        ] {
            assert!(is_image_file(Path::new(name)), "{name}");
        }
        for name in [
            "noise-.png",
            "noise-4a.png",
            "notes.png",
            "noise-00042.png.bak",
        ] {
            assert!(!is_image_file(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn image_names_sort_in_index_order() {
        let dir = Path::new("d");
        assert_eq!(image_path(dir, 42), Path::new("d/noise-00042.png"));
        assert!(image_path(dir, 9) < image_path(dir, 10));
        assert_eq!(image_index(&image_path(dir, 123_456)), Some(123_456));
        assert_eq!(image_index(Path::new("d/.noise-00042.png.tmp")), None);
    }
}
