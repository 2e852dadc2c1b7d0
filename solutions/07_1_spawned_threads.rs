//! Exercise 7.1, solved: `Arc` where the compiler refused an `Rc`.

use std::sync::{Arc, Mutex};
use std::thread;

use shared_state::{Histogram, count_into};

// ANCHOR: spawned
/// Threads from `thread::spawn` may outlive the function that started them, so everything
/// they use must be owned: `Arc` gives each thread its own handle to the same pixels and the
/// same locked histogram (`Rc` would not compile: its count is not atomic).
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
