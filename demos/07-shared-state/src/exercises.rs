//! Solutions to the exercises of chapter 7. The programs the compiler refuses are in
//! `tests/compile-fail/`, and `tests/compile_fail.rs` checks that it still refuses them.

use std::sync::{Arc, Mutex};
use std::thread;

use crate::{Histogram, count_into, parts};

// ANCHOR: spawned
/// Exercise 7.1: threads from `thread::spawn` may outlive the function that started them, so
/// everything they use must be owned: `Arc` gives each thread its own handle to the same
/// pixels and the same locked histogram (`Rc` would not compile: its count is not atomic).
pub fn spawned_threads(pixels: Arc<[u8]>, threads: usize) -> Histogram {
    let shared = Arc::new(Mutex::new([0; 256]));
    let step = pixels.len().div_ceil(threads.max(1)).max(1);
    let handles: Vec<_> = (0..pixels.len())
        .step_by(step)
        .map(|start| {
            let (pixels, shared) = (Arc::clone(&pixels), Arc::clone(&shared));
            thread::spawn(move || {
                let part = &pixels[start..(start + step).min(pixels.len())];
                count_into(&mut shared.lock().unwrap(), part);
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    *shared.lock().unwrap()
}
// ANCHOR_END: spawned

// ANCHOR: merge_under_lock
/// Exercise 7.2: a `RefCell` is not `Sync`, so scoped threads may not share one; a `Mutex` is.
/// Each thread counts its part into a histogram of its own and takes the lock once, to add it.
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

// ANCHOR: lock_order
/// Exercise 7.3: move bin `value`'s count from one locked histogram to another. Two threads
/// moving in opposite directions would each hold one lock and wait for the other's, for
/// ever; taking the two locks in one fixed order (here: by address) makes that impossible.
pub fn move_bin(from: &Mutex<Histogram>, to: &Mutex<Histogram>, value: u8) {
    if std::ptr::eq(from, to) {
        return;
    }
    let from_first = (from as *const Mutex<Histogram>) < (to as *const Mutex<Histogram>);
    let (first, second) = if from_first { (from, to) } else { (to, from) };
    let (mut first, mut second) = (first.lock().unwrap(), second.lock().unwrap());
    let (source, target) = if from_first {
        (&mut *first, &mut *second)
    } else {
        (&mut *second, &mut *first)
    };
    let bin = usize::from(value);
    target[bin] += std::mem::take(&mut source[bin]);
}
// ANCHOR_END: lock_order

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::histogram_serial;

    #[test]
    fn spawned_and_merged_equal_the_serial_histogram() {
        let pixels = crate::noise_images(3, workload::ImageSize::new(17, 5));
        let serial = histogram_serial(&pixels);
        for threads in [1, 2, 3, 7] {
            assert_eq!(spawned_threads(pixels.clone().into(), threads), serial);
            assert_eq!(merge_under_lock(&pixels, threads), serial);
        }
        assert_eq!(spawned_threads(Arc::new([]), 3), [0; 256]);
    }

    #[test]
    fn moving_bins_both_ways_at_once_finishes_and_keeps_every_count() {
        let (a, b) = (
            Arc::new(Mutex::new([1; 256])),
            Arc::new(Mutex::new([1; 256])),
        );
        // Threads that are not scoped, so that a deadlock fails the test instead of hanging it.
        let movers: Vec<_> = [(&a, &b), (&b, &a)]
            .map(|(from, to)| {
                let (from, to) = (Arc::clone(from), Arc::clone(to));
                thread::spawn(move || (0..10_000).for_each(|i| move_bin(&from, &to, i as u8)))
            })
            .into();
        let done = || movers.iter().all(|mover| mover.is_finished());
        assert!(testkit::within(Duration::from_secs(60), done), "deadlock");
        let (a, b) = (*a.lock().unwrap(), *b.lock().unwrap());
        assert!(a.iter().zip(&b).all(|(x, y)| x + y == 2));
        move_bin(&Mutex::new([0; 256]), &Mutex::new([0; 256]), 3);
        let same = Mutex::new([5; 256]);
        move_bin(&same, &same, 3);
        assert_eq!(same.into_inner().unwrap()[3], 5);
    }
}
