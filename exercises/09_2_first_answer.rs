//! Exercise 9.2: the first answer wins.
//!
//! Ask both `servers` for request `id` at once (`Target::request_async`) and return whichever
//! answer comes first, with the server's number (0 or 1), without waiting for the other one.
//! What happens to the other request? Check: `cargo xtask exercise 9.2`.

use threads_and_async::{RequestError, Target};

pub async fn first_answer(servers: [Target; 2], id: u64) -> Result<(usize, u64), RequestError> {
    todo!("race the two requests; the first to finish wins")
}
