//! The first version a reader would write: start this program once per share of the images,
//! wait for each child, read how it ended. It works, and it is what the chapter starts from;
//! `one_shot` is the same idea made safe to copy.

use std::path::Path;
use std::process::Stdio;

use anyhow::ensure;
use workload::ImageSize;

use crate::one_shot::shares;
use crate::worker::{RangeJob, Role};

// ANCHOR: plain
/// Make images `0..count` in `dir` with `processes` children of `exe`, this program.
pub fn plain_one_shot(
    exe: &Path,
    dir: &Path,
    size: ImageSize,
    count: usize,
    processes: usize,
) -> anyhow::Result<()> {
    let mut children = Vec::new();
    for (child, images) in shares(count, processes).into_iter().enumerate() {
        let (from, to, dir) = (images.start, images.end, dir.to_owned());
        let job = Role::Range(RangeJob {
            child,
            from,
            to,
            size,
            dir,
            crash: None,
        });
        children.push(job.command(exe).stdout(Stdio::null()).spawn()?);
    }
    for (child, mut process) in children.into_iter().enumerate() {
        let status = process.wait()?; // blocks until this child has exited
        ensure!(status.success(), "child {child} failed: {status}");
    }
    Ok(())
}
// ANCHOR_END: plain
