//! Exercise 7.1: make the compiler say no to an `Rc`.
//!
//! Count the histogram of `pixels` on `threads` threads from `thread::spawn`, each counting
//! its part into one histogram under a lock. This file does not compile: predict the error,
//! read it, then make the function compile and give the serial histogram.
//! Check: `cargo xtask exercise 7.1`.

use std::rc::Rc;
use std::sync::Mutex;
use std::thread;

use shared_state::{Histogram, count_into};

pub fn spawned_threads(pixels: Rc<[u8]>, threads: usize) -> Histogram {
    let shared = Rc::new(Mutex::new([0; 256]));
    let step = pixels.len().div_ceil(threads.max(1)).max(1);
    let handles: Vec<_> = (0..pixels.len())
        .step_by(step)
        .map(|start| {
            let (pixels, shared) = (Rc::clone(&pixels), Rc::clone(&shared));
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
