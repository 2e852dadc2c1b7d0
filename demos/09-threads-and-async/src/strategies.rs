//! The same `count` requests made five ways. Each returns the answers in request order; the
//! first failed request ends it, and nothing it started outlives it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::client::{RequestError, Target};

// ANCHOR: serial
/// One request after another: the waits add up.
pub fn serial(target: Target, count: usize) -> Result<Vec<u64>, RequestError> {
    (0..count as u64).map(|id| target.request(id)).collect()
}
// ANCHOR_END: serial

/// The OS would not start another thread: how far it got. Every thread it did start was
/// joined first.
#[derive(Debug, thiserror::Error)]
#[error("the OS refused to start thread {} of {count} ({source}); the {started} started were joined", .started + 1)]
pub struct ThreadsRefused {
    pub started: usize,
    pub count: usize,
    pub source: std::io::Error,
}

// ANCHOR: thread_per_request
/// One OS thread per request, each blocked in its own read: simple, and every thread costs a
/// stack and a kernel task.
pub fn thread_per_request(target: Target, count: usize) -> anyhow::Result<Vec<u64>> {
    let mut threads = Vec::with_capacity(count);
    let mut refused = None;
    for id in 0..count as u64 {
        match std::thread::Builder::new().spawn(move || target.request(id)) {
            Ok(thread) => threads.push(thread),
            Err(source) => {
                refused = Some(source);
                break;
            }
        }
    }
    let started = threads.len();
    let answers: Vec<_> = threads.into_iter().map(|t| t.join()).collect();
    if let Some(source) = refused {
        return Err(ThreadsRefused {
            started,
            count,
            source,
        }
        .into());
    }
    let answers = answers
        .into_iter()
        .map(|a| a.expect("a request does not panic"));
    Ok(answers.collect::<Result<_, _>>()?)
}
// ANCHOR_END: thread_per_request

// ANCHOR: pool
/// A fixed pool of `workers` threads with blocking sockets, each taking the next request
/// number until none is left: at most `workers` waits at once.
pub fn pool(target: Target, count: usize, workers: usize) -> Result<Vec<u64>, RequestError> {
    let next = AtomicU64::new(0);
    let worker = || {
        let mut mine = Vec::new();
        loop {
            let id = next.fetch_add(1, Ordering::Relaxed);
            if id >= count as u64 {
                return Ok(mine);
            }
            match target.request(id) {
                Ok(answer) => mine.push((id, answer)),
                Err(err) => {
                    next.store(u64::MAX / 2, Ordering::Relaxed); // the others stop too
                    return Err(err);
                }
            }
        }
    };
    let shares: Vec<_> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..workers).map(|_| scope.spawn(worker)).collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("a worker does not panic"))
            .collect()
    });
    let mut answers = Vec::with_capacity(count);
    for share in shares {
        answers.extend(share?);
    }
    answers.sort_unstable();
    Ok(answers.into_iter().map(|(_, answer)| answer).collect())
}
// ANCHOR_END: pool

/// A tokio runtime of `workers` threads, dropped (its threads joined) by the caller.
pub fn runtime(workers: usize) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
}

// ANCHOR: tasks
/// One tokio task per request, all on a runtime of `workers` threads: a waiting task is a few
/// hundred bytes of state, not a thread.
pub fn tasks(target: Target, count: usize, workers: usize) -> anyhow::Result<Vec<u64>> {
    runtime(workers)?.block_on(async {
        let mut set = JoinSet::new();
        for id in 0..count as u64 {
            set.spawn(async move { (id, target.request_async(id).await) });
        }
        let mut answers = vec![0; count];
        while let Some(joined) = set.join_next().await {
            let (id, answer) = joined?;
            answers[id as usize] = answer?; // an early return drops the set: it aborts the rest
        }
        Ok(answers)
    })
}
// ANCHOR_END: tasks

// ANCHOR: limited
/// As [`tasks`], but at most `limit` requests at once: a task is spawned only once it holds a
/// permit, and gives it back when it ends. A server that can take only so many is spared.
pub fn tasks_limited(
    target: Target,
    count: usize,
    workers: usize,
    limit: usize,
) -> anyhow::Result<Vec<u64>> {
    runtime(workers)?.block_on(async {
        let permits = Arc::new(Semaphore::new(limit));
        let (mut set, mut answers) = (JoinSet::new(), vec![0; count]);
        for id in 0..count as u64 {
            let permit = Arc::clone(&permits).acquire_owned().await?;
            set.spawn(async move {
                let answer = target.request_async(id).await;
                drop(permit);
                (id, answer)
            });
            while let Some(joined) = set.try_join_next() {
                let (id, answer) = joined?; // a failure stops the spawning at once
                answers[id as usize] = answer?;
            }
        }
        while let Some(joined) = set.join_next().await {
            let (id, answer) = joined?;
            answers[id as usize] = answer?;
        }
        Ok(answers)
    })
}
// ANCHOR_END: limited
