//! `--panic-on`: one task made to panic, to watch the queue report a failure. The task is
//! wrapped in a job that panics instead of running it, so the queue itself has no fault of
//! its own to carry.

use crate::Job;

/// A task that panics instead of running when it is the one `--panic-on` named.
pub struct PanicOn<T> {
    task: T,
    /// The task's id, when this is the one to panic.
    panics: Option<usize>,
}

impl<T: Job> Job for PanicOn<T> {
    type Output = T::Output;

    fn run(self) -> T::Output {
        if let Some(id) = self.panics {
            panic!("injected panic (--panic-on {id})");
        }
        self.task.run()
    }
}

/// `tasks`, with the one numbered `id` (from 0, as the queue numbers them) made to panic.
pub fn panic_on<T: Job>(
    id: usize,
    tasks: impl IntoIterator<Item = T>,
) -> impl Iterator<Item = PanicOn<T>> {
    let numbered = tasks.into_iter().enumerate();
    numbered.map(move |(n, task)| PanicOn {
        task,
        panics: (n == id).then_some(n),
    })
}
