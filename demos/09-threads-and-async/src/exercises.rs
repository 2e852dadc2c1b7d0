//! Solutions to the exercises of chapter 9. Their tests, against the demo's own server, are in
//! `tests/exercises.rs`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::client::{RequestError, Target};
use crate::strategies::runtime;

// ANCHOR: permit_inside
/// Exercise 9.1: spawn every task at once and let each wait for a permit inside. At most
/// `limit` requests are in flight, as with the permit taken before spawning; but all `count`
/// tasks exist from the start. Also returns the most requests that were in flight at once.
pub fn permit_inside(
    target: Target,
    count: usize,
    limit: usize,
) -> anyhow::Result<(Vec<u64>, usize)> {
    let (permits, in_flight, most) = (
        Arc::new(Semaphore::new(limit)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let answers = runtime(2)?.block_on(async {
        let mut set = JoinSet::new();
        for id in 0..count as u64 {
            let (permits, in_flight, most) = (permits.clone(), in_flight.clone(), most.clone());
            set.spawn(async move {
                let _permit = permits.acquire().await.expect("never closed");
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                let answer = target.request_async(id).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                (id, answer)
            });
        }
        let mut answers = vec![0; count];
        while let Some(joined) = set.join_next().await {
            let (id, answer) = joined?;
            answers[id as usize] = answer?;
        }
        anyhow::Ok(answers)
    })?;
    Ok((answers, most.load(Ordering::SeqCst)))
}
// ANCHOR_END: permit_inside

// ANCHOR: first_answer
/// Exercise 9.2: ask two servers the same request and take the first answer; `select!` drops
/// the other request's future, which closes its connection. Which server answered: 0 or 1.
pub async fn first_answer(servers: [Target; 2], id: u64) -> Result<(usize, u64), RequestError> {
    tokio::select! {
        answer = servers[0].request_async(id) => Ok((0, answer?)),
        answer = servers[1].request_async(id) => Ok((1, answer?)),
    }
}
// ANCHOR_END: first_answer

// ANCHOR: scoped
/// Exercise 9.3: one thread per request, in a scope: the threads may borrow `target`, and the
/// scope joins every one of them before it returns, even when one fails.
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
