//! Room for the shared files, checked before any work. `MapFile::create` reserves each file's
//! blocks and fails with ENOSPC where they do not fit; this check says so before the first
//! table instead of in the middle of the run, for all the files the demo holds at once.
#![forbid(unsafe_code)]

use std::path::Path;

use nix::sys::statvfs::statvfs;
use nix::unistd::{AccessFlags, access};

/// Why the shared files cannot go where asked.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RoomError {
    #[error("cannot use {dir} for the shared file: {why}")]
    Unusable { dir: String, why: String },
    #[error("{dir} has {free} free, but the shared files need {needed}")]
    TooSmall {
        dir: String,
        free: String,
        needed: String,
    },
}

/// The free bytes of the file system that holds `dir`, if we may create files there and
/// `needed` bytes fit.
pub fn check_room(dir: &Path, needed: u64) -> Result<u64, RoomError> {
    let shown = dir.display().to_string();
    let unusable = |err: nix::Error| RoomError::Unusable {
        dir: shown.clone(),
        why: err.desc().to_lowercase(),
    };
    let stats = statvfs(dir).map_err(unusable)?;
    access(dir, AccessFlags::W_OK | AccessFlags::X_OK).map_err(unusable)?;
    #[allow(clippy::useless_conversion)] // the two are narrower than u64 on some systems
    let (blocks, block) = (
        u64::from(stats.blocks_available()),
        u64::from(stats.fragment_size()),
    );
    let free = blocks.saturating_mul(block);
    if free < needed {
        return Err(RoomError::TooSmall {
            dir: shown,
            free: size(free),
            needed: size(needed),
        });
    }
    Ok(free)
}

/// Bytes for people: `8.0 KiB`, `64.0 MiB`, `2.00 GiB`.
pub fn size(bytes: u64) -> String {
    let mib = bytes as f64 / f64::from(1 << 20);
    if mib < 1.0 {
        format!("{:.1} KiB", mib * 1024.0)
    } else if mib < 1024.0 {
        format!("{mib:.1} MiB")
    } else {
        format!("{:.2} GiB", mib / 1024.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_small_and_unusable_places_are_named() {
        let free = check_room(&std::env::temp_dir(), 0).unwrap();
        let err = check_room(&std::env::temp_dir(), free.saturating_add(1 << 40)).unwrap_err();
        assert!(matches!(err, RoomError::TooSmall { .. }), "{err}");
        let err = check_room(Path::new("/nonexistent/place"), 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot use /nonexistent/place for the shared file: no such file or directory"
        );
        assert_eq!(size(8 << 10), "8.0 KiB");
        assert_eq!(size(64 << 20), "64.0 MiB");
        assert_eq!(size(2 << 30), "2.00 GiB");
    }
}
