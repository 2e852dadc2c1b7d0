//! Exercise 9.3: one thread per request, in a scope.
//!
//! Make the `count` requests to `target` (ids `0..count`, blocking `Target::request`) on one
//! thread each, started with `std::thread::scope` so that the threads borrow `target` instead
//! of copying it. Return the answers in id order, or the first request's error (in id order)
//! when one fails; every thread must still be joined. Check: `cargo xtask exercise 9.3`.

use threads_and_async::{RequestError, Target};

pub fn scoped_threads(target: &Target, count: usize) -> Result<Vec<u64>, RequestError> {
    todo!("a scope, one thread per request, then join them in order")
}
