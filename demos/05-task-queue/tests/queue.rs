//! The queue gives the serial results whatever the number of workers, accounts for every task,
//! reports a panicking task by its id while the others finish, and gives up on a stuck one.

use std::sync::mpsc;
use std::time::Duration;

use task_queue::{Output, Queue, QueueError, Task, grid_queue, grid_serial, grid_static, panic_on};
use task_queue::{sleepy_tasks, trivial_queue, trivial_serial};
use workload::grid::{Grid, Skew};

const WORKERS: [usize; 4] = [1, 2, 3, 7];
const ROWS: [usize; 5] = [0, 1, 2, 5, 13];

/// Run `f` on its own thread and fail the test if it has not finished within a minute, so a
/// queue that hangs shows up as a failure instead of a test run that never ends.
fn within_a_minute<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(f()));
    rx.recv_timeout(Duration::from_secs(60))
        .expect("finished within a minute")
}

fn grid(rows: usize, skew: Skew) -> Grid {
    Grid {
        rows,
        cols: 4,
        iterations: 60,
        skew,
    }
}

#[test]
fn static_split_and_queue_give_the_serial_rows() {
    for skew in [Skew::Even, Skew::Linear, Skew::Tail] {
        for rows in ROWS {
            let grid = grid(rows, skew);
            let serial = grid_serial(&grid);
            assert_eq!(serial.len(), rows);
            for workers in WORKERS {
                assert_eq!(
                    grid_static(&grid, workers),
                    serial,
                    "static {workers} {grid}"
                );
                for capacity in [0, 1, 4] {
                    let queue = Queue::new(workers, capacity);
                    let (sums, tally) = within_a_minute(move || grid_queue(grid, &queue).unwrap());
                    assert_eq!(
                        sums, serial,
                        "queue {workers} workers, bounded({capacity}) {grid}"
                    );
                    assert_eq!(
                        tally.to_string(),
                        format!("submitted {rows} = completed {rows} + failed 0")
                    );
                }
            }
        }
    }
}

#[test]
fn trivial_tasks_sum_the_same_through_the_queue() {
    for count in [0, 1, 1000, 12_345] {
        for workers in WORKERS {
            let queue = Queue::new(workers, 16);
            let (sum, tally) = within_a_minute(move || trivial_queue(&queue, count).unwrap());
            assert_eq!(
                sum,
                trivial_serial(count),
                "{count} tasks on {workers} workers"
            );
            assert_eq!(
                (tally.submitted, tally.completed),
                (count as usize, count as usize)
            );
        }
    }
}

#[test]
fn every_sleepy_task_reports_once_with_its_wait() {
    let wait = Duration::from_millis(2);
    let mut seen = vec![0; 7];
    let tally = sleepy_tasks(&Queue::new(3, 2), 7, wait, |done| {
        seen[done.id] += 1;
        let Ok(Output::Slept(span)) = done.outcome else {
            panic!("task {} gave {:?}", done.id, done.outcome)
        };
        assert!(span.end - span.start >= wait);
        assert!(done.worker < 3);
    })
    .unwrap();
    assert_eq!(seen, [1; 7]);
    assert_eq!(tally.to_string(), "submitted 7 = completed 7 + failed 0");
}

#[test]
fn a_panicking_task_is_reported_by_id_and_the_others_finish() {
    task_queue::quiet_worker_panics();
    let grid = grid(9, Skew::Linear);
    let serial = grid_serial(&grid);
    for workers in [1, 2, 3] {
        let queue = Queue::new(workers, 2);
        let (got, tally) = within_a_minute(move || {
            let mut got = vec![None; 9];
            let tasks = panic_on(4, (0..9).map(move |row| Task::Row { grid, row }));
            let tally = queue
                .run(tasks, |done| got[done.id] = Some(done.outcome))
                .unwrap();
            (got, tally)
        });
        assert_eq!(tally.to_string(), "submitted 9 = completed 8 + failed 1");
        let failure = &tally.failures[0];
        assert_eq!(failure.id, 4);
        assert!(failure.worker.is_some_and(|w| w < workers));
        assert!(failure.reason.contains("injected panic"), "{failure}");
        for (row, outcome) in got.into_iter().enumerate() {
            match outcome.expect("every task reports") {
                Ok(Output::Row(sum)) => assert_eq!(sum, serial[row]),
                Ok(other) => panic!("row {row} gave {other:?}"),
                Err(message) => assert_eq!(
                    (row, message.as_str()),
                    (4, "injected panic (--panic-on 4)")
                ),
            }
        }
        // The same failure, as the error a checked tally gives.
        let err = tally.check().unwrap_err();
        let QueueError::TasksFailed(tally) = &err else {
            panic!("{err}")
        };
        assert_eq!((tally.submitted, tally.completed), (9, 8));
        assert!(err.to_string().starts_with("task 4 (worker "), "{err}");
    }
}

#[test]
fn the_collector_gives_up_on_a_stuck_task_instead_of_hanging() {
    let queue = Queue {
        patience: Duration::from_millis(50),
        ..Queue::new(1, 1)
    };
    // The single worker is stuck on task 0 until the run is over; the collector waits 50 ms.
    let (release, gate) = crossbeam_channel::bounded::<()>(0);
    let tasks: Vec<Gated> = (0..2)
        .map(|id| Gated {
            id,
            gate: gate.clone(),
        })
        .collect();
    let tally = within_a_minute(move || queue.run(tasks, |_| {}).unwrap());
    drop(release);
    assert!(tally.submitted >= 1, "{tally}");
    assert_eq!(tally.completed, 0);
    assert_eq!(tally.failures.len(), tally.submitted, "{tally}");
    assert_eq!(tally.failures[0].id, 0);
    assert!(
        tally
            .failures
            .iter()
            .all(|f| f.worker.is_none() && f.reason.starts_with("lost"))
    );
}

#[test]
fn a_queue_without_workers_is_refused() {
    let err = Queue::new(0, 4)
        .run(vec![Task::Trivial(1)], |_| {})
        .unwrap_err();
    assert!(matches!(err, QueueError::NoWorkers), "{err}");
}

/// A panic payload whose own drop panics: the worker's `catch_unwind` catches the first
/// panic, but dropping the payload panics again outside it and ends the worker thread.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("the payload went off");
    }
}

/// Task `n` of this job type panics with a [`Bomb`] when `n` is 2.
struct KillsItsWorker(usize);

impl task_queue::Job for KillsItsWorker {
    type Output = usize;

    fn run(self) -> usize {
        if self.0 == 2 {
            std::panic::panic_any(Bomb);
        }
        self.0
    }
}

#[test]
fn a_task_whose_worker_dies_is_counted_as_lost() {
    task_queue::quiet_worker_panics();
    let tally = within_a_minute(|| {
        let tasks = (0..6).map(KillsItsWorker);
        Queue::new(2, 1).run(tasks, |_| {}).unwrap()
    });
    assert_eq!(tally.submitted, 6, "{tally}");
    assert_eq!(
        tally.completed, 5,
        "the other worker does the rest: {tally}"
    );
    assert_eq!(tally.failures.len(), 1, "{tally}");
    let lost = &tally.failures[0];
    assert_eq!((lost.id, lost.worker), (2, None));
    assert!(lost.reason.contains("its worker ended"), "{lost}");
}

/// A task that waits until the test lets it go: task 0 holds its worker, and the collector
/// gives up on it, while the other worker goes on taking and finishing tasks.
struct Gated {
    id: usize,
    gate: crossbeam_channel::Receiver<()>,
}

impl task_queue::Job for Gated {
    type Output = usize;

    fn run(self) -> usize {
        if self.id == 0 {
            let _ = self.gate.recv(); // ends when the test drops the sender
        }
        self.id
    }
}

#[test]
fn every_task_the_queue_accepted_is_counted_when_the_collector_gives_up() {
    for capacity in [0, 1, 8] {
        let (release, gate) = crossbeam_channel::bounded::<()>(0);
        let queue = Queue {
            patience: Duration::from_millis(50),
            ..Queue::new(2, capacity)
        };
        let mut completed = Vec::new();
        let tally = within_a_minute(move || {
            let tasks = (0..2000).map(move |id| Gated {
                id,
                gate: gate.clone(),
            });
            let tally = queue.run(tasks, |done| completed.push(done.id)).unwrap();
            (tally, completed)
        });
        drop(release);
        let (tally, completed) = tally;
        // Every task reported completed was submitted, and each submitted task is counted once.
        assert!(completed.iter().all(|&id| id < tally.submitted), "{tally}");
        assert_eq!(tally.completed, completed.len());
        let mut counted: Vec<usize> = completed;
        counted.extend(tally.failures.iter().map(|f| f.id));
        counted.sort_unstable();
        assert_eq!(counted, (0..tally.submitted).collect::<Vec<_>>(), "{tally}");
        assert!(tally.failures.iter().any(|f| f.id == 0), "{tally}");
    }
}
