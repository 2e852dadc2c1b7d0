//! Exercise 9.1, solved: the permit taken inside the task.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use threads_and_async::Target;
use threads_and_async::strategies::runtime;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

// ANCHOR: permit_inside
/// Spawn every task at once and let each wait for a permit inside. At most `limit` requests
/// are in flight, as with the permit taken before spawning; but all `count` tasks exist from
/// the start. Also returns the most requests that were in flight at once.
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
