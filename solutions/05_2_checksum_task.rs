//! Exercise 5.2, solved: a new kind of task, and the `match` arm the compiler asked for.

use task_queue::{Job, Output, Task};
use workload::{ImageSize, noise_pixels};

// ANCHOR: checksum_task
/// A new kind of task, the checksum of one noise image. It wraps the chapter's `Task` so that
/// the chapter's code stays as it was; adding `Checksum` to `Task` itself makes `Task::run`
/// fail to compile in just the same way until it gets its arm.
#[derive(Clone, Copy, Debug)]
pub enum MoreTasks {
    Known(Task),
    Checksum { image: usize, size: ImageSize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoreOutputs {
    Known(Output),
    Checksum(u64),
}

impl Job for MoreTasks {
    type Output = MoreOutputs;

    fn run(self) -> MoreOutputs {
        match self {
            MoreTasks::Known(task) => MoreOutputs::Known(task.run()),
            MoreTasks::Checksum { image, size } => {
                MoreOutputs::Checksum(fnv1a(&noise_pixels(image, size)))
            }
        }
    }
}

/// The 64-bit FNV-1a hash: a small checksum that any change of a byte changes.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
// ANCHOR_END: checksum_task
