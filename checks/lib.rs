//! The workbook's exercises, in the book's order: `cargo xtask exercise` reads this list.
//!
//! Exercise `3.2` named `03_2_pixel_sum` is four things under that name: the learner's starter
//! `exercises/03_2_pixel_sum.rs`, the worked solution `solutions/03_2_pixel_sum.rs`, its tests
//! `checks/03_2_pixel_sum.rs`, and the `[[test]]` target that builds them (in this crate's
//! `Cargo.toml`, or in demo 12's for the exercises that need Open MPI).
//!
//! To add exercise 8.1, say `08_1_join_sum`:
//! 1. `solutions/08_1_join_sum.rs`: the worked solution, a module that imports what it uses
//!    from the demos' libraries, with `// ANCHOR:` lines around what the book shows.
//! 2. `exercises/08_1_join_sum.rs`: the same file with the task in its `//!` doc (ending with
//!    "Check: `cargo xtask exercise 8.1`."), the signatures kept and `todo!("...")` for the
//!    learner's code; or, where the lesson is the compiler's refusal, the refused program.
//! 3. `checks/08_1_join_sum.rs`: the header the other check files have (name changed), then
//!    the tests, written `assert_eq!(got, expected)` so that the checker can name the values.
//! 4. A `[[test]]` entry in `checks/Cargo.toml` (with `required-features = ["check"]`), its
//!    package among the dev-dependencies there, and a row below, in the book's order.
//! 5. In the chapter: the starter's path and `cargo xtask exercise 8.1` under the task, the
//!    solution included from `solutions/` inside `<details>`; the slide names the command.
//!
//! An exercise in Python (`with_python`, P.1) has a `.py` starter and solution; its checks are
//! still a Rust test target here, which runs the file with the recipes' venv
//! (`target/python-venv`, where `cargo xtask python` builds the Rust module `workbook_rust`).
//! Its target also needs the feature `python`, so that CI can leave it out where there is no
//! venv.
//!
//! The tests below check that each row has its files, its target and its command in the book.
#![forbid(unsafe_code)]

/// One exercise.
#[derive(Clone, Copy, Debug)]
pub struct Exercise {
    /// As the book numbers it: `3.2`, `M.1`.
    pub id: &'static str,
    /// Its files' name without `.rs` (or `.py`), which is also its test target's name.
    pub name: &'static str,
    /// Its tests are in demo 12's workspace, which needs Open MPI to build.
    pub needs_mpi: bool,
    /// Its files are Python scripts, run by `target/python-venv` with `workbook_rust` built.
    pub needs_python: bool,
    /// A nudge for a learner who is stuck, without the answer.
    pub hint: &'static str,
}

impl Exercise {
    /// The learner's file, from the repository root.
    pub fn starter(&self) -> String {
        format!("exercises/{}", self.file_name())
    }

    /// The worked solution, from the repository root.
    pub fn solution(&self) -> String {
        format!("solutions/{}", self.file_name())
    }

    /// The starter's and the solution's file name: `03_2_pixel_sum.rs`, `p_1_....py`.
    pub fn file_name(&self) -> String {
        let extension = if self.needs_python { "py" } else { "rs" };
        format!("{}.{extension}", self.name)
    }
}

const fn exercise(id: &'static str, name: &'static str, hint: &'static str) -> Exercise {
    Exercise {
        id,
        name,
        needs_mpi: false,
        needs_python: false,
        hint,
    }
}

const fn with_mpi(id: &'static str, name: &'static str, hint: &'static str) -> Exercise {
    Exercise {
        needs_mpi: true,
        ..exercise(id, name, hint)
    }
}

const fn with_python(id: &'static str, name: &'static str, hint: &'static str) -> Exercise {
    Exercise {
        needs_python: true,
        ..exercise(id, name, hint)
    }
}

/// Every exercise, in the order the book sets them.
pub const EXERCISES: &[Exercise] = &[
    exercise(
        "1.1",
        "01_1_stage_times",
        "Take `Instant::now()` before each step and `elapsed()` after it. The steps are the \
         loop's body: `noise_pixels`, `encode_png`, then `write_whole` to `image_path(dir, index)`.",
    ),
    exercise(
        "1.2",
        "01_2_deterministic_loop",
        "Call `serial_loop` once into each folder; it returns the paths it wrote. \
         `workload::same_files` compares two lists of files byte for byte.",
    ),
    exercise(
        "1.3",
        "01_3_sizes_by_level",
        "`encode_png_with(pixels, size, level)` gives the PNG's bytes; their `len()` is the size. \
         Map over `[Compression::Fast, Compression::Balanced, Compression::Best]` and collect the \
         results: collecting into `Result<Vec<_>>` stops at the first error.",
    ),
    exercise(
        "2.1",
        "02_1_bind",
        "Return a `move` closure: it takes ownership of `dir` and `size`, so it no longer borrows \
         anything from this call and may go to another thread. Its body calls `make_image`.",
    ),
    exercise(
        "2.2",
        "02_2_total_bytes",
        "Map each index to the size of the file `make_image` wrote \
         (`std::fs::metadata(path)?.len()`), then `sum()`: an iterator of `Result<u64>` sums into \
         a `Result<u64>`.",
    ),
    exercise(
        "3.1",
        "03_1_who_made_what",
        "Inside `pool.install(|| ...)`, `(0..count).into_par_iter().map(...).collect()` keeps \
         index order. Ask `rayon::current_thread_index()` inside the closure, after making the image.",
    ),
    exercise(
        "3.2",
        "03_2_pixel_sum",
        "Sum one image's pixels as `u64` (a `u8` sum would overflow), then let rayon sum the \
         images: `(0..count).into_par_iter().map(image_sum).sum()`, inside `pool.install`.",
    ),
    exercise(
        "3.3",
        "03_3_save_in_background",
        "`std::sync::mpsc::sync_channel(2)` bounds the channel. The saver thread loops over the \
         receiver and returns a `Result`; drop the sender when done so its loop ends, then `join` \
         it and pass its error on with `?`.",
    ),
    exercise(
        "3.4",
        "03_4_listed_images",
        "`std::fs::read_dir` gives entries in no fixed order: keep the paths that \
         `workload::noise::is_image_file` accepts, then sort them.",
    ),
    exercise(
        "4.1",
        "04_1_start_many",
        "Start every child first (`OwnedChild::spawn(&mut command())`), keep them in a `Vec`, \
         and only then wait for each. A failed exit status is an error: `anyhow::ensure!`.",
    ),
    exercise(
        "4.2",
        "04_2_round_trip_by_size",
        "Make the payload before starting the clock, so that only the echo is timed. \
         `harness::report::Timing::new(times).median()` gives the median.",
    ),
    exercise(
        "5.1",
        "05_1_producer_lead",
        "Count what the worker has taken in an `AtomicUsize` the worker increments. After each \
         send, the lead is the tasks sent minus the tasks taken. Drop the sender when done, or the \
         worker waits for ever.",
    ),
    exercise(
        "5.2",
        "05_2_checksum_task",
        "Read the compiler's error: it names the variant that `run`'s `match` does not cover. \
         Add that arm; it returns `MoreOutputs::Checksum` of the image's pixels' `fnv1a`.",
    ),
    exercise(
        "6.1",
        "06_1_balanced_bands",
        "With `rows / bands` rows each, `rows % bands` rows are left over: give one more to each \
         of the first bands. Cut each band off the front of what is left with `split_at_mut`.",
    ),
    exercise(
        "6.2",
        "06_2_smooth_rows",
        "`output.par_chunks_mut(cols).enumerate()` gives each worker one output row and its \
         number; read the rows above and below from `input`, which every worker may share.",
    ),
    exercise(
        "7.1",
        "07_1_spawned_threads",
        "Read the compiler's error: `Rc` is not `Send`. `std::sync::Arc` is the same idea with an \
         atomic count; a `Mutex` inside it lets every thread add to the one histogram.",
    ),
    exercise(
        "7.2",
        "07_2_merge_under_lock",
        "Read the compiler's error: `RefCell` is not `Sync`. Put the histogram in a \
         `std::sync::Mutex` instead, and let each thread count into its own array first, then \
         lock once to add it.",
    ),
    exercise(
        "7.3",
        "07_3_move_bin",
        "A deadlock needs two threads that take the same two locks in opposite orders. Always \
         lock the one at the lower address first (compare `&Mutex` as `*const` pointers), and \
         return at once when both are the same histogram.",
    ),
    exercise(
        "8.1",
        "08_1_join_sum",
        "At or below the cut-off, add the values in a loop as `u64` (`u64::from(p)`). Above it, \
         `split_at(len / 2)` and `let (a, b) = rayon::join(|| sum_join(left, cutoff), || \
         sum_join(right, cutoff))`: each half calls the function again. A cut-off of 0 would \
         split a single value for ever: treat it as 1.",
    ),
    exercise(
        "8.2",
        "08_2_join_quicksort",
        "Take the middle value as the pivot. Swap every value below it to the front, then every \
         value equal to it right after those: the equal ones are done, so both sides shrink even \
         when every value is the same. `split_at_mut` gives the two sides to `rayon::join`.",
    ),
    exercise(
        "8.3",
        "08_3_longest_line",
        "`text.lines().enumerate().par_bridge()` numbers the lines before they leave in any \
         order. Map each to (number, `line.chars().count()`), then `max_by_key` on \
         (length, `std::cmp::Reverse(number)`) so that, of equal lengths, the first line wins.",
    ),
    exercise(
        "9.1",
        "09_1_permit_inside",
        "Share an `Arc<Semaphore>` and two `Arc<AtomicUsize>`: the requests in flight and the \
         most seen. In each spawned task, `acquire().await` first, then count up \
         (`fetch_add`, `fetch_max`), make the request, count down. `JoinSet` gives the answers \
         back in any order: put each at its id.",
    ),
    exercise(
        "9.2",
        "09_2_first_answer",
        "`tokio::select!` with one branch per server: it polls both futures and returns with \
         the first that finishes. Do not spawn the requests: a spawned task runs on after you \
         return, a future that is dropped stops (and closes its connection).",
    ),
    exercise(
        "9.3",
        "09_3_scoped_threads",
        "`std::thread::scope(|scope| ...)`: spawn every thread with `scope.spawn(move || \
         target.request(id))` (moving the reference, not the target), collect the handles \
         first, then `join` them in order and collect into a `Result<Vec<u64>, _>`.",
    ),
    exercise(
        "10.1",
        "10_1_status_words",
        "`status.code()` is `Some` when the process exited; otherwise \
         `std::os::unix::process::ExitStatusExt::signal()` gives the signal's number, and \
         `nix::sys::signal::Signal::try_from(number)` its name.",
    ),
    exercise(
        "10.2",
        "10_2_map_fail_fast",
        "Share an `AtomicBool` that says 'stop': an item checks it before starting (and counts as \
         skipped), and sets it when it fails. `std::panic::catch_unwind` turns a panic into a \
         value; `when_workers_fail::fault::panic_text` reads its message.",
    ),
    exercise(
        "11.1",
        "11_1_workers_for",
        "`law.speedup(n)` never passes 1 / `law.serial`: return `None` for a target at or above \
         that. Otherwise try n = 1, 2, 3, ... (`(1..).find(...)`), allowing for rounding.",
    ),
    exercise(
        "11.2",
        "11_2_last_efficient",
        "Efficiency at n workers is (one-worker time / time at n) / n. Find the one-worker time \
         first (`?` on an `Option` returns `None` early), then the largest n that stays at or \
         above the floor.",
    ),
    with_mpi(
        "12.1",
        "12_1_dealt_rows",
        "Rank r's rows are r, r + ranks, r + 2 * ranks, ...: `(rank..total).step_by(ranks)`. \
         To undeal, find where each rank's rows start in the gathered list: row r is number \
         r / ranks of rank r % ranks.",
    ),
    with_mpi(
        "12.2",
        "12_2_fit",
        "Least squares for a line y = a + b x: b = sum((x - mean x)(y - mean y)) / \
         sum((x - mean x)^2), a = mean y - b * mean x. The latency is a, the bandwidth 1 / b; \
         a negative slope or latency means no fit.",
    ),
    with_mpi(
        "12.3",
        "12_3_array_share",
        "Read both variables through `var`, parse them with `str::parse`, and say which one was \
         missing or wrong. `mpi_ranks::Shares { total, ranks }.range(task)` cuts the share.",
    ),
    exercise(
        "M.1",
        "m_1_parallel_fraction",
        "Solve speedup = 1 / ((1 - p) + p / n) for p: 1 / speedup = 1 - p (1 - 1 / n).",
    ),
    exercise(
        "M.2",
        "m_2_mean",
        "A `Duration` can be summed (`iter().sum::<Duration>()`) and divided by a `u32`.",
    ),
    with_python(
        "P.1",
        "p_1_rust_window_fill",
        "Let Python allocate the array (`np.zeros`) and one `workbook_rust.fill` call fill it \
         in place. Its `band=` is the rows each thread takes: window_fill.py's band, \
         ceil(rows / processes), but never 0. Print the `digest` of the array.",
    ),
];

/// The exercise a learner named: by its number (`3.2`, `m.1`) or its file's name.
pub fn find(name: &str) -> Option<&'static Exercise> {
    let name = name.trim_end_matches(".rs").trim_end_matches(".py");
    EXERCISES
        .iter()
        .find(|e| e.id.eq_ignore_ascii_case(name) || e.name == name)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    fn read(path: &str) -> String {
        std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn every_exercise_has_its_files_its_test_target_and_its_place_in_the_book() {
        let (ours, mpi) = (
            read("checks/Cargo.toml"),
            read("demos/12-mpi-ranks/Cargo.toml"),
        );
        let book: String = std::fs::read_dir(root().join("src"))
            .unwrap()
            .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default())
            .collect();
        for exercise in EXERCISES {
            let name = exercise.name;
            for file in [
                exercise.starter(),
                exercise.solution(),
                format!("checks/{name}.rs"),
            ] {
                assert!(
                    root().join(&file).is_file(),
                    "{} has no {file}",
                    exercise.id
                );
            }
            let manifest = if exercise.needs_mpi { &mpi } else { &ours };
            let target = format!("[[test]]\nname = \"{name}\"\n");
            assert!(manifest.contains(&target), "no [[test]] target {name}");
            let command = format!("`cargo xtask exercise {}`", exercise.id);
            assert!(book.contains(&command), "the book never says {command}");
            let (chapter, number) = exercise.id.split_once('.').unwrap();
            let prefix = match chapter.parse::<u32>() {
                Ok(chapter) => format!("{chapter:02}_{number}_"),
                Err(_) => format!("{}_{number}_", chapter.to_lowercase()),
            };
            assert!(name.starts_with(&prefix), "{name} is not named {prefix}...");
        }
    }

    #[test]
    fn every_starter_is_listed_once() {
        let mut listed: Vec<String> = EXERCISES.iter().map(Exercise::starter).collect();
        listed.sort();
        let count = listed.len();
        listed.dedup();
        assert_eq!(listed.len(), count, "an exercise is listed twice");
        let mut files: Vec<String> = std::fs::read_dir(root().join("exercises"))
            .unwrap()
            .map(|entry| format!("exercises/{}", entry.unwrap().file_name().to_string_lossy()))
            .collect();
        files.sort();
        assert_eq!(files, listed, "exercises/ and the list differ");
    }

    #[test]
    fn a_learner_may_name_an_exercise_by_number_or_file() {
        assert_eq!(find("3.2").unwrap().name, "03_2_pixel_sum");
        assert_eq!(find("m.1").unwrap().id, "M.1");
        assert_eq!(find("03_2_pixel_sum.rs").unwrap().id, "3.2");
        assert_eq!(find("p_1_rust_window_fill.py").unwrap().id, "P.1");
        assert!(find("3.9").is_none());
    }
}
