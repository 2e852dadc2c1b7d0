//! `cargo xtask exercise`: the learner's checker. It lists every exercise as done, not done or
//! skipped, and shows why the first one not done fails; it checks one, prints its hint,
//! re-checks it on every save, or puts its starter back. The exercises themselves are listed
//! in `checks/lib.rs`.

mod check;
mod failure;
mod watch;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use exercise_checks::{EXERCISES, Exercise};
use harness::outln;

use check::Status;

/// The arguments of `cargo xtask exercise`.
#[derive(clap::Args)]
pub struct ExerciseArgs {
    /// The exercise to check, as the book numbers it (`3.2`, `M.1`) [default: every one in
    /// turn, then the first not done is shown]
    exercise: Option<String>,
    /// Print the exercise's hint (the first one not done, without EXERCISE)
    #[arg(long)]
    hint: bool,
    /// Check the exercise again every time its file is saved (Ctrl-C stops); without
    /// EXERCISE, start at the first one not done and go on to the next when it is done
    #[arg(long, conflicts_with = "hint")]
    watch: bool,
    /// Put this exercise's starter back as committed: your version of the file is lost
    #[arg(long, value_name = "EXERCISE", conflicts_with_all = ["exercise", "hint", "watch"])]
    reset: Option<String>,
    /// Check the exercises of another copy of the workbook (CI checks a scratch copy with the
    /// solutions in place), building there [default: this one]
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
}

pub fn main(root: &Path, args: &ExerciseArgs) -> ExitCode {
    let root = args.root.as_deref().unwrap_or(root);
    let named = match args
        .exercise
        .as_deref()
        .or(args.reset.as_deref())
        .map(named)
    {
        Some(Err(unknown)) => return harness::cli::bad_argument(unknown),
        Some(Ok(exercise)) => Some(exercise),
        None => None,
    };
    let result = match (named, args) {
        (Some(exercise), ExerciseArgs { reset: Some(_), .. }) => reset(root, exercise),
        (named, ExerciseArgs { hint: true, .. }) => hint(root, named),
        (named, ExerciseArgs { watch: true, .. }) => watch::watch(root, named),
        (Some(exercise), _) => check_one(root, exercise),
        (None, _) => check_all(root),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => harness::cli::finish(Err(err)),
    }
}

/// The exercise a learner named, or the one line that lists the names there are.
fn named(name: &str) -> Result<&'static Exercise, String> {
    exercise_checks::find(name).ok_or_else(|| {
        let ids: Vec<&str> = EXERCISES.iter().map(|e| e.id).collect();
        format!(
            "there is no exercise `{name}`; the exercises are {}",
            ids.join(", ")
        )
    })
}

/// Print the hint of `named`, or of the first exercise not done.
fn hint(root: &Path, named: Option<&Exercise>) -> anyhow::Result<bool> {
    let exercise = match named {
        Some(exercise) => Some(exercise),
        None => first_not_done(root)?,
    };
    match exercise {
        Some(exercise) => {
            outln!(
                "Hint for exercise {} ({}):",
                exercise.id,
                exercise.starter()
            )?;
            outln!("{}", exercise.hint)?;
        }
        None => outln!("Every exercise is done: no hint needed.")?,
    }
    Ok(true)
}

/// Check one exercise; print what failed. Done is true.
fn check_one(root: &Path, exercise: &Exercise) -> anyhow::Result<bool> {
    let status = check::check(root, exercise)?;
    outln!("{}", check::line(exercise, &status))?;
    if let Status::NotDone(why) = &status {
        print_failure(exercise, why)?;
    }
    Ok(matches!(status, Status::Done))
}

/// Check every exercise, one line each, then show why the first one not done fails. True when
/// every exercise that can be checked here is done.
fn check_all(root: &Path) -> anyhow::Result<bool> {
    let mut first_failure = None;
    let (mut done, mut skipped) = (0, 0);
    for exercise in EXERCISES {
        let status = check::check(root, exercise)?;
        outln!("{}", check::line(exercise, &status))?;
        match status {
            Status::Done => done += 1,
            Status::Skipped(_) => skipped += 1,
            Status::NotDone(why) => {
                first_failure.get_or_insert((exercise, why));
            }
        }
    }
    let counted = EXERCISES.len() - skipped;
    let skipped_note = match skipped {
        0 => String::new(),
        n => format!(" ({n} skipped: they cannot be checked on this machine)"),
    };
    outln!("\n{done} of {counted} exercises done{skipped_note}.")?;
    match first_failure {
        None => {
            outln!("All done. Well worked!")?;
            Ok(true)
        }
        Some((exercise, why)) => {
            outln!("Next: exercise {}.", exercise.id)?;
            print_failure(exercise, &why)?;
            Ok(false)
        }
    }
}

/// The first exercise not done, checking them in order and stopping there.
fn first_not_done(root: &Path) -> anyhow::Result<Option<&'static Exercise>> {
    for exercise in EXERCISES {
        if let Status::NotDone(_) = check::check(root, exercise)? {
            return Ok(Some(exercise));
        }
    }
    Ok(None)
}

fn print_failure(exercise: &Exercise, why: &str) -> anyhow::Result<()> {
    outln!("\n{why}")?;
    outln!(
        "Edit {}, then `cargo xtask exercise {}` again (or `--watch`); stuck? `--hint`.",
        exercise.starter(),
        exercise.id
    )?;
    Ok(())
}

/// Put the committed starter back over the learner's file.
fn reset(root: &Path, exercise: &Exercise) -> anyhow::Result<bool> {
    let starter = exercise.starter();
    let output = std::process::Command::new("git")
        .args(["show", &format!("HEAD:{starter}")])
        .current_dir(root)
        .output()?;
    anyhow::ensure!(
        output.status.success(),
        "git cannot give the committed {starter}: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    workload::write_whole(&root.join(&starter), &output.stdout)?;
    outln!("{starter} is the starter again.")?;
    Ok(true)
}
