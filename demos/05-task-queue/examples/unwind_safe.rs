//! `catch_unwind` and `AssertUnwindSafe`: keeping one panicking task from taking its worker
//! down. `cargo run --example unwind_safe -p task-queue` runs it.
#![forbid(unsafe_code)]

use std::panic::{AssertUnwindSafe, catch_unwind};

// ANCHOR: unwind_safe
/// Run every task, counting the ones that panicked instead of dying with them.
fn run_all(tasks: &[u32], done: &mut Vec<u32>) -> usize {
    let mut panicked = 0;
    for &task in tasks {
        // The closure borrows `done` mutably, and `&mut` is not `UnwindSafe`: a panic halfway
        // could leave `done` half-updated where the caller can still see it. We assert that
        // is fine here, since a task either pushes its result whole or not at all.
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            assert!(task != 3, "task {task} is broken");
            done.push(task * 10);
        }));
        if outcome.is_err() {
            panicked += 1;
        }
    }
    panicked
}
// ANCHOR_END: unwind_safe

fn main() {
    let mut done = Vec::new();
    let panicked = run_all(&[1, 2, 3, 4], &mut done);
    assert_eq!((panicked, done), (1, vec![10, 20, 40]));
    println!("one task panicked, the other three finished");
}
