//! Exercise 12.3, solved: a Slurm job array's share of the work, without MPI.

use std::ops::Range;

use mpi_ranks::Shares;

// ANCHOR: job_array
/// When the tasks are independent, a Slurm job array needs no MPI at all. Each array task
/// reads its index and the task count from the environment and takes its share.
pub fn array_share(
    total: usize,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Range<usize>, String> {
    let number = |name: &str| -> Result<usize, String> {
        let text = var(name).ok_or_else(|| format!("{name} is not set: not in a job array?"))?;
        text.parse()
            .map_err(|_| format!("{name}={text} is not a whole number"))
    };
    let (task, tasks) = (
        number("SLURM_ARRAY_TASK_ID")?,
        number("SLURM_ARRAY_TASK_COUNT")?,
    );
    if task >= tasks {
        return Err(format!(
            "task {task} of {tasks}: ids must start at 0 (--array=0-{})",
            tasks.max(1) - 1
        ));
    }
    Ok(Shares {
        total,
        ranks: tasks,
    }
    .range(task))
}
// ANCHOR_END: job_array
