//! MPI ranks as one more strategy of the heavy grid, where `mpirun` and demo 12's binary are
//! both present. This crate cannot link MPI (demo 12 is its own workspace, so that the rest
//! builds without it), so it starts `mpirun -np N 12-mpi-ranks sweep-grid ...` for each worker
//! count and reads the times from the one line rank 0 prints. Where either is missing, the
//! sweep says why and goes on without them.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use harness::child::OwnedChild;
use workload::grid::Grid;

use crate::measure::Point;

/// The strategy's name in the charts and the CSV.
pub const NAME: &str = "MPI ranks (10)";

/// Demo 12's binary: next to this one, else in demo 12's own target folder.
pub fn find_binary(exe: &Path) -> Option<PathBuf> {
    let name = "12-mpi-ranks";
    let beside = exe.parent().map(|dir| dir.join(name));
    let own = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../12-mpi-ranks/target/release")
        .join(name);
    beside.into_iter().chain([own]).find(|path| path.is_file())
}

/// Why MPI ranks cannot be measured here, if they cannot.
pub fn missing(exe: &Path) -> Option<String> {
    if Command::new("mpirun")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        return Some("mpirun is not installed (.ci/install-mpi installs Open MPI)".into());
    }
    find_binary(exe).is_none().then(|| {
        "demo 12 is not built (cargo build --release --manifest-path demos/12-mpi-ranks/Cargo.toml)".into()
    })
}

/// The MPI points of the heavy grid's chart, or none and a line that says why.
pub fn sweep(settings: &crate::Settings, grid: Grid, workers: &[usize], runs: usize) -> Vec<Point> {
    let why_not = match settings.mode {
        crate::Mode::Test => Some("a test sweep leaves them out".into()),
        _ => missing(&settings.exe),
    };
    match (why_not, find_binary(&settings.exe)) {
        (None, Some(binary)) => {
            println!(
                "heavy grid: MPI ranks measured with mpirun -np 1 to {}",
                workers.len()
            );
            points(&binary, grid, workers, runs)
        }
        (why, _) => {
            println!("heavy grid: MPI ranks skipped: {}", why.unwrap_or_default());
            Vec::new()
        }
    }
}

/// One point per worker count: `mpirun -np n`, `runs` timed runs after a warm-up, each
/// checked against the serial grid. A failed launch is a failed point, not a failed sweep.
pub fn points(binary: &Path, grid: Grid, workers: &[usize], runs: usize) -> Vec<Point> {
    let serial = (0..grid.rows)
        .map(|row| grid.row(row))
        .fold(0, u64::wrapping_add);
    let point = |n: usize| {
        let measured = launch(binary, grid, n, runs).and_then(|(times, digest)| {
            ensure!(
                digest == serial,
                "the ranks' grid differs from the serial one"
            );
            Ok(times)
        });
        Point {
            strategy: NAME.into(),
            workers: n,
            runs: measured.as_ref().map_or_else(|_| Vec::new(), Clone::clone),
            failure: measured.err().map(|err| format!("{err:#}")),
            ..Point::default()
        }
    };
    workers.iter().map(|&n| point(n)).collect()
}

fn launch(
    binary: &Path,
    grid: Grid,
    ranks: usize,
    runs: usize,
) -> anyhow::Result<(Vec<Duration>, u64)> {
    let mut command = Command::new("mpirun");
    command
        // More ranks than cores is a point of the sweep; `--timeout` makes mpirun end its ranks.
        .args([
            "-np",
            &ranks.to_string(),
            "--oversubscribe",
            "--bind-to",
            "none",
            "--timeout",
            "600",
        ])
        .arg(binary)
        .args([
            "sweep-grid",
            "--grid",
            &grid.rows.to_string(),
            "--cols",
            &grid.cols.to_string(),
        ])
        .args([
            "--iterations",
            &grid.iterations.to_string(),
            "--runs",
            &runs.to_string(),
        ])
        // Open MPI refuses to run as root without these; they change nothing for other users.
        .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
        .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = OwnedChild::spawn(&mut command).context("cannot start mpirun")?;
    let (_, stdout) = child.take_pipes();
    let stdout = std::io::read_to_string(stdout.context("no stdout")?)?;
    let status = child.wait()?;
    ensure!(status.success(), "mpirun -np {ranks} ended with {status}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("mpi-ranks heavy-grid"));
    parse(line.with_context(|| format!("mpirun -np {ranks} printed no result line"))?)
}

/// The times and the digest from `mpi-ranks heavy-grid ranks=2 runs=3 seconds=0.5,0.4 digest=7`.
pub fn parse(line: &str) -> anyhow::Result<(Vec<Duration>, u64)> {
    let field = |key: &str| {
        line.split_whitespace()
            .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
            .with_context(|| format!("no {key}= in {line:?}"))
    };
    let seconds = field("seconds")?
        .split(',')
        .map(|s| s.parse::<f64>().map(Duration::from_secs_f64));
    let times = seconds
        .collect::<Result<Vec<_>, _>>()
        .context("bad seconds=")?;
    if times.is_empty() {
        bail!("no times in {line:?}");
    }
    Ok((times, field("digest")?.parse().context("bad digest=")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_demo_10_prints_is_read_back() {
        let line = "mpi-ranks heavy-grid ranks=2 runs=2 seconds=0.500000,0.250000 digest=42";
        let (times, digest) = parse(line).unwrap();
        assert_eq!(
            times,
            [Duration::from_millis(500), Duration::from_millis(250)]
        );
        assert_eq!(digest, 42);
        assert!(parse("mpi-ranks heavy-grid ranks=2").is_err());
        assert!(parse("mpi-ranks heavy-grid seconds= digest=1").is_err());
    }

    #[test]
    fn a_missing_binary_is_a_reason_not_an_error() {
        let nowhere = Path::new("/nonexistent/11-speedup-plots");
        if find_binary(nowhere).is_none() {
            assert!(missing(nowhere).is_some());
        }
    }
}
