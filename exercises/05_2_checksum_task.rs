//! Exercise 5.2: a new kind of task.
//!
//! `MoreTasks` adds a task to chapter 5's: the checksum (`fnv1a`) of one noise image's pixels
//! (`noise_pixels(image, size)`). The test runs a mix of old and new tasks through the same
//! `Queue`. This file does not compile yet: read what the compiler says, then make it compile
//! and pass. Check: `cargo xtask exercise 5.2`.

use task_queue::{Job, Output, Task};
use workload::{ImageSize, noise_pixels};

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
        }
    }
}

/// The 64-bit FNV-1a hash: a small checksum that any change of a byte changes.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
