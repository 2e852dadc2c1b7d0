//! The noise images split across ranks: each rank writes its own share into the folder, and a
//! sum of per-image digests on rank 0 proves the set is complete and equal to the serial one.
#![forbid(unsafe_code)]

use std::ops::Range;
use std::path::Path;

use anyhow::Context;
use mpi::collective::SystemOperation;
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use workload::{ImageSize, make_image};

use crate::shares::Shares;

/// FNV-1a over the file's bytes, never 0, so that 0 can stand for "no rank wrote it".
pub fn digest(bytes: &[u8]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for &byte in bytes {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash | 1
}

/// Write images `indices` into `dir`; a slot per image of the whole set, holding the digest
/// of the file on disk for the images written here and 0 for all others.
pub fn write_images(
    dir: &Path,
    size: ImageSize,
    count: usize,
    indices: Range<usize>,
) -> anyhow::Result<Vec<u64>> {
    let mut digests = vec![0; count];
    for index in indices {
        let path = make_image(dir, size, index)?;
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read back {}", path.display()))?;
        digests[index] = digest(&bytes);
    }
    Ok(digests)
}

// ANCHOR: images
/// Each rank writes its share of the `count` images; rank 0 gets, for each image, the sum of
/// what every rank wrote for it. Exactly one rank wrote each image, so a slot holds that
/// image's digest; a 0 is an image nobody wrote, a wrong number one written twice or wrong.
pub fn images_across_ranks(
    world: &SimpleCommunicator,
    dir: &Path,
    size: ImageSize,
    count: usize,
) -> anyhow::Result<Option<Vec<u64>>> {
    let shares = Shares {
        total: count,
        ranks: world.size() as usize,
    };
    let mine = write_images(dir, size, count, shares.range(world.rank() as usize))?;
    let root = world.process_at_rank(0);
    if world.rank() != 0 {
        root.reduce_into(&mine[..], SystemOperation::sum());
        return Ok(None);
    }
    let mut all = vec![0u64; count];
    root.reduce_into_root(&mine[..], &mut all[..], SystemOperation::sum());
    Ok(Some(all))
}
// ANCHOR_END: images

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_never_zero_and_tell_files_apart() {
        assert_ne!(digest(b""), 0);
        assert_ne!(digest(b"ab"), digest(b"ba"));
        assert_eq!(digest(b"png"), digest(b"png"));
    }
}
