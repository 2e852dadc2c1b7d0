//! Running one exercise's tests: `cargo test --features check --test <name>` in the workspace
//! that holds its test target (with the feature `python` too for an exercise in Python).

use std::path::Path;
use std::process::Command;

use exercise_checks::Exercise;

use super::failure;

/// Where an exercise stands.
pub enum Status {
    Done,
    /// Why not, for the learner to read.
    NotDone(String),
    /// It cannot be checked on this machine, and why.
    Skipped(String),
}

/// Run the exercise's tests, quietly, and say where it stands.
pub fn check(root: &Path, exercise: &Exercise) -> anyhow::Result<Status> {
    if exercise.needs_mpi
        && let Some(missing) = ["mpicc", "mpirun"].into_iter().find(|p| !on_path(p))
    {
        return Ok(Status::Skipped(format!(
            "needs Open MPI, and `{missing}` is not on PATH; .ci/install-mpi installs it"
        )));
    }
    if exercise.needs_python
        && let Some(missing) = missing_python(root)
    {
        return Ok(Status::Skipped(missing));
    }
    let features = if exercise.needs_python {
        "check,python"
    } else {
        "check"
    };
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cargo.args([
        "test",
        "--quiet",
        "--color",
        "never",
        "--features",
        features,
    ]);
    cargo.args(["--test", exercise.name]);
    if exercise.needs_mpi {
        cargo.args(["--manifest-path", "demos/12-mpi-ranks/Cargo.toml"]);
    } else {
        cargo.args(["--package", "exercise-checks"]);
    }
    // Short panics: the message and where, without a backtrace.
    let output = cargo
        .env("RUST_BACKTRACE", "0")
        .current_dir(root)
        .output()?;
    if output.status.success() {
        return Ok(Status::Done);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    Ok(Status::NotDone(failure::readable(
        exercise, &stdout, &stderr,
    )))
}

/// The exercise's line in the list.
pub fn line(exercise: &Exercise, status: &Status) -> String {
    let (word, note) = match status {
        Status::Done => ("done", String::new()),
        Status::NotDone(_) => ("not done", String::new()),
        Status::Skipped(why) => ("skipped", format!("  ({why})")),
    };
    format!(
        "  {:<5} {word:<9} {}{note}",
        exercise.id,
        exercise.starter()
    )
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// What a Python exercise needs and this copy lacks: the recipes' venv, or the Rust module
/// built into it.
fn missing_python(root: &Path) -> Option<String> {
    let python = root.join("target/python-venv/bin/python");
    if !python.is_file() {
        return Some("needs target/python-venv; .ci/install-python makes it".into());
    }
    let imports = Command::new(&python)
        .args(["-c", "import workbook_rust"])
        .output()
        .is_ok_and(|output| output.status.success());
    (!imports).then(|| {
        "needs the module workbook_rust in target/python-venv; \
         `cargo xtask python --tiny` builds it"
            .into()
    })
}
