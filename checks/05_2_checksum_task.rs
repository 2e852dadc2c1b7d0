//! Exercise 5.2's tests: `cargo xtask exercise 5.2` runs them on your
//! `exercises/05_2_checksum_task.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/05_2_checksum_task.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/05_2_checksum_task.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::{MoreOutputs, MoreTasks, fnv1a};
use task_queue::{Job, Queue, Task};
use workload::ImageSize;

#[test]
fn checksum_tasks_run_on_the_queue_beside_the_old_ones() {
    let size = ImageSize::new(16, 8);
    let tasks: Vec<MoreTasks> = (0..9)
        .map(|i| match i % 2 {
            0 => MoreTasks::Checksum { image: i, size },
            _ => MoreTasks::Known(Task::Trivial(i as u64)),
        })
        .collect();
    let expected: Vec<MoreOutputs> = tasks.iter().map(|task| task.run()).collect();
    let mut got = vec![None; tasks.len()];
    let tally = Queue::new(3, 2)
        .run(tasks, |done| got[done.id] = done.outcome.ok())
        .unwrap();
    assert_eq!((tally.submitted, tally.completed), (9, 9));
    assert_eq!(got, expected.into_iter().map(Some).collect::<Vec<_>>());
    assert_ne!(got[0], got[2], "different images, different checksums");
    let pixels = workload::noise_pixels(4, size);
    assert_eq!(got[4], Some(MoreOutputs::Checksum(fnv1a(&pixels))));
}

#[test]
fn fnv1a_matches_its_published_values() {
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
}
