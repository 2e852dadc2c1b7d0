//! Exercise 9.3, solved: one thread per request, in a scope.

use threads_and_async::{RequestError, Target};

// ANCHOR: scoped
/// One thread per request, in a scope: the threads may borrow `target`, and the scope joins
/// every one of them before it returns, even when one fails.
pub fn scoped_threads(target: &Target, count: usize) -> Result<Vec<u64>, RequestError> {
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..count as u64)
            .map(|id| scope.spawn(move || target.request(id)))
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("a request does not panic"))
            .collect()
    })
}
// ANCHOR_END: scoped
