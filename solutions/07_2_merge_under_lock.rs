//! Exercise 7.2, solved: a `Mutex` where the compiler refused a `RefCell`.

use std::sync::Mutex;
use std::thread;

use shared_state::{Histogram, count_into, parts};

// ANCHOR: merge_under_lock
/// A `RefCell` is not `Sync`, so scoped threads may not share one; a `Mutex` is. Each thread
/// counts its part into a histogram of its own and takes the lock once, to add it.
pub fn merge_under_lock(pixels: &[u8], threads: usize) -> Histogram {
    let shared = Mutex::new([0; 256]);
    thread::scope(|scope| {
        for part in parts(pixels, threads) {
            let shared = &shared;
            scope.spawn(move || {
                let mut mine = [0; 256];
                count_into(&mut mine, part);
                let mut total = shared.lock().unwrap();
                total.iter_mut().zip(mine).for_each(|(t, m)| *t += m);
            });
        }
    });
    shared.into_inner().unwrap()
}
// ANCHOR_END: merge_under_lock
