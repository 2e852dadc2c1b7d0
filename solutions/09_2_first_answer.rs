//! Exercise 9.2, solved: the first answer wins.

use threads_and_async::{RequestError, Target};

// ANCHOR: first_answer
/// Ask two servers the same request and take the first answer; `select!` drops the other
/// request's future, which closes its connection. Which server answered: 0 or 1.
pub async fn first_answer(servers: [Target; 2], id: u64) -> Result<(usize, u64), RequestError> {
    tokio::select! {
        answer = servers[0].request_async(id) => Ok((0, answer?)),
        answer = servers[1].request_async(id) => Ok((1, answer?)),
    }
}
// ANCHOR_END: first_answer
