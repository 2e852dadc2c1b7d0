//! `cargo xtask python`: each Python recipe in `python/` and its Rust counterpart
//! (`python/rust`, the demos' library code) run whole, as processes, on the same work at the
//! same number of workers, taking turns; each pair's results must agree. Writes a Markdown
//! table and an SVG chart for the book's "Python side by side" page. Where a script in
//! `python/` does the recipe's work by calling the Rust module (`python/extension`), it runs
//! as a third side, and `calling` writes the "Calling Rust from Python" page's table.

mod calling;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use harness::report::{Timing, seconds};
use plotters::prelude::*;

use crate::progress::Steps;

/// The flags of `cargo xtask python`.
#[derive(clap::Args)]
pub struct PythonArgs {
    /// Tiny sizes and one run each: proves that every recipe runs and agrees (for CI); the
    /// times mean nothing
    #[arg(long)]
    tiny: bool,
    /// Workers on both sides: the recipes' --processes and the Rust side's --threads
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = harness::cli::at_least_one::<usize>)]
    workers: usize,
    /// Times to run each side (they take turns); the table shows the median and the range
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = harness::cli::at_least_one::<usize>)]
    runs: usize,
    /// Where the images go while the recipes run, in a folder workbook-python made there and
    /// removed afterwards [default: /dev/shm (a tmpfs), else target/]
    #[arg(long, value_name = "DIR")]
    scratch: Option<PathBuf>,
    /// Where the table and the chart go, from the repository root [default: target/python];
    /// the book shows the committed reference run, src/recorded
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// One recipe and its Rust counterpart, with the flags both take.
struct Pair {
    recipe: &'static str,
    rust: &'static str,
    chapter: &'static str,
    /// Flags at full size, then tiny.
    flags: [&'static [&'static str]; 2],
    /// Writes images into a fresh folder each run (`--out`), or reads the prepared ones.
    images: Option<Images>,
    /// The script that does the same work by calling the Rust module, if there is one.
    calls_rust: Option<&'static str>,
}

#[derive(Clone, Copy, PartialEq)]
enum Images {
    Write,
    Read,
}

const IMAGES: [&[&str]; 2] = [
    &["--count", "10000", "--width", "100", "--height", "100"],
    &["--count", "24", "--width", "16", "--height", "16"],
];
const FILL: [&[&str]; 2] = [
    &["--rows", "4096", "--cols", "8192"],
    &["--rows", "64", "--cols", "100"],
];

const PAIRS: [Pair; 9] = [
    Pair {
        recipe: "images.py",
        rust: "images",
        chapter: "3",
        flags: IMAGES,
        images: Some(Images::Write),
        calls_rust: Some("rust_images.py"),
    },
    Pair {
        recipe: "manager_list.py",
        rust: "images",
        chapter: "3",
        flags: IMAGES,
        images: Some(Images::Write),
        calls_rust: None,
    },
    Pair {
        recipe: "read_into_array.py",
        rust: "read-into-array",
        chapter: "3",
        flags: IMAGES,
        images: Some(Images::Read),
        calls_rust: None,
    },
    Pair {
        recipe: "window_fill.py",
        rust: "window-fill",
        chapter: "6",
        flags: FILL,
        images: None,
        calls_rust: None,
    },
    Pair {
        recipe: "pool_initializer.py",
        rust: "pool-initializer",
        chapter: "6",
        flags: FILL,
        images: None,
        calls_rust: Some("rust_fill.py"),
    },
    Pair {
        recipe: "grid_queue.py",
        rust: "grid-queue",
        chapter: "5",
        flags: [
            &["--rows", "120", "--cols", "500", "--iterations", "2500"],
            &["--rows", "8", "--cols", "50", "--iterations", "100"],
        ],
        images: None,
        calls_rust: None,
    },
    Pair {
        recipe: "histogram.py",
        rust: "histogram",
        chapter: "7",
        flags: [
            &["--count", "10000", "--width", "100", "--height", "100"],
            &["--count", "24", "--width", "16", "--height", "16"],
        ],
        images: None,
        calls_rust: Some("rust_histogram.py"),
    },
    Pair {
        recipe: "requests_asyncio.py",
        rust: "requests-asyncio",
        chapter: "9",
        flags: [
            &["--requests", "10000", "--delay-ms", "200"],
            &["--requests", "20", "--delay-ms", "10"],
        ],
        images: None,
        calls_rust: None,
    },
    Pair {
        recipe: "requests_threads.py",
        rust: "requests-threads",
        chapter: "9",
        flags: [
            &["--requests", "2000", "--delay-ms", "200", "--pool", "100"],
            &["--requests", "20", "--delay-ms", "10", "--pool", "4"],
        ],
        images: None,
        calls_rust: None,
    },
];

/// What one pair measured: wall-clock times, and the CPU time of each run (the program and
/// every worker process it waited for), which a loaded machine disturbs far less.
struct Measured {
    pair: &'static Pair,
    python: Timing,
    rust: Timing,
    cpu: [Timing; 2],
    result: String,
    /// The third side, Python calling Rust, where there is one.
    calling: Option<calling::Calls>,
}

/// CPU time (user + system) used so far by this process's children that have been waited for.
fn children_cpu() -> Duration {
    harness::machine::waited_children_cpu().unwrap_or_default()
}

/// Run the comparison; a missing Python is one line and exit code 2, a failure exit code 1.
pub fn main(root: &Path, args: &PythonArgs) -> ExitCode {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    if Command::new(&python).arg("--version").output().is_err() {
        eprintln!(
            "error: `{python}` not found: `cargo xtask python` needs Python 3.9 or newer with \
             its venv module (Debian: python3-venv), or PYTHON=/path/to/python"
        );
        return ExitCode::from(2);
    }
    let install = Command::new(root.join(".ci/install-python")).status();
    match install.map(|s| s.code()) {
        Ok(Some(0)) => {}
        Ok(Some(2)) => return ExitCode::from(2), // it printed what is missing
        _ => {
            eprintln!("error: .ci/install-python could not make target/python-venv");
            return ExitCode::FAILURE;
        }
    }
    // No Ctrl-C handler here: harness::stop blocks SIGINT and SIGTERM, and the recipes'
    // processes would inherit that mask, so `Pool.terminate()` could never end their workers.
    // Ctrl-C ends every process of the run at once; the scratch folder goes on every other path.
    harness::cli::finish(compare(root, args))
}

fn compare(root: &Path, args: &PythonArgs) -> anyhow::Result<()> {
    // Only a folder of its own is emptied, never the one named, and it goes on every path out.
    // It is claimed first: a second run is refused before its guard could remove the first's.
    let base = args
        .scratch
        .clone()
        .unwrap_or_else(|| default_scratch(root));
    let folder = base.join("workbook-python");
    harness::cli::out_dir(&folder)?;
    let scratch = Scratch(folder);
    let runs = if args.tiny { 1 } else { args.runs };
    let bench = Bench {
        rust: build_rust_side(root)?,
        venv: root.join("target/python-venv/bin/python"),
        recipes: root.join("python"),
        scratch: scratch.0.clone(),
        size: usize::from(args.tiny),
        runs,
        workers: args.workers.to_string(),
    };
    calling::build_module(root)?;
    calling::test_module(root, &bench.venv, &bench.rust)?;
    let load = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<_> = load.split_whitespace().take(3).collect();
    let header = harness::report::header(
        "cargo xtask python",
        "each recipe against its Rust chapter",
        runs,
    );
    println!("{}", header.trim_end());
    println!("load average before: {}\n", load.join(" "));

    let steps = Steps::new(PAIRS.len());
    let mut measured = Vec::new();
    for pair in &PAIRS {
        steps.start(&format!(
            "{} against rust-recipes {}",
            pair.recipe, pair.rust
        ));
        let m = bench.measure(pair)?;
        steps.println(&line(&m));
        steps.done();
        measured.push(m);
    }
    drop(steps);

    let out = args
        .out
        .as_ref()
        .map_or_else(|| root.join("target/python"), |d| root.join(d));
    fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let stamp = format!(
        "{}, {} workers, medians of {runs} runs taking turns, load average {} before",
        harness::machine::Machine::current(),
        args.workers,
        load.first().unwrap_or(&"?")
    );
    let table = markdown(&measured, &stamp);
    workload::write_whole(&out.join("python-side-by-side.md"), table.as_bytes())?;
    chart(&out.join("python-side-by-side.svg"), &measured, &stamp)?;
    let calls = calling::markdown(
        &measured,
        &stamp,
        &calling::script_tables(root, &bench.venv, args.tiny)?,
    );
    workload::write_whole(&out.join("python-calling-rust.md"), calls.as_bytes())?;
    println!("\ntable and chart written to {}", out.display());
    Ok(())
}

/// Where the images go while the recipes run: a tmpfs where there is one.
fn default_scratch(root: &Path) -> PathBuf {
    let shm = PathBuf::from("/dev/shm");
    if shm.is_dir() {
        shm
    } else {
        root.join("target")
    }
}

/// What every pair runs with: the two programs, the scratch folder, the size (0 full, 1
/// tiny), the number of runs and of workers.
struct Bench {
    rust: PathBuf,
    venv: PathBuf,
    recipes: PathBuf,
    scratch: PathBuf,
    size: usize,
    runs: usize,
    workers: String,
}

impl Bench {
    /// Run `pair`'s two sides in turns, check that they agree, and time them.
    fn measure(&self, pair: &'static Pair) -> anyhow::Result<Measured> {
        let mut flags: Vec<String> = pair.flags[self.size]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if pair.images == Some(Images::Read) {
            flags.extend(["--out".into(), self.images_to_read(&flags)?]);
        }
        let sides = self.sides(pair);
        let n = sides.len();
        let folders = ["python", "rust", "calling"].map(|side| self.scratch.join(side));
        let mut times = vec![Vec::new(); n];
        let mut cpu = vec![Vec::new(); n];
        let mut own = vec![Vec::new(); n];
        let mut results = vec![String::new(); n];
        for round in 0..self.runs {
            // Take turns at going first, so that a slow spell hits every side alike.
            for k in (0..n).map(|j| (round + j) % n) {
                let mut command = sides[k].command(&flags, &self.workers);
                if pair.images == Some(Images::Write) {
                    fresh(&folders[k])?;
                    command.arg("--out").arg(&folders[k]);
                }
                let (start, cpu_before) = (Instant::now(), children_cpu());
                let printed = run_one(&mut command)?;
                times[k].push(start.elapsed());
                cpu[k].push(children_cpu().saturating_sub(cpu_before));
                own[k].extend(printed.seconds);
                results[k] = printed.result;
            }
            for k in 1..n {
                ensure!(
                    results[0] == results[k],
                    "{} printed `{}`, {:?} `{}`",
                    pair.recipe,
                    results[0],
                    sides[k].first,
                    results[k]
                );
            }
        }
        if pair.images == Some(Images::Write) {
            for other in &folders[1..n] {
                let mut same = Command::new(&self.rust);
                same.arg("same-images").args(&flags);
                same.arg("--out").arg(&folders[0]).arg("--other").arg(other);
                run_one(&mut same)?;
            }
        }
        let calling = calling::Calls::new(&mut times, &mut own);
        let mut cpu = cpu.into_iter().map(Timing::new);
        let mut times = times.into_iter().map(Timing::new);
        Ok(Measured {
            pair,
            python: times.next().context("no Python side")?,
            rust: times.next().context("no Rust side")?,
            cpu: [
                cpu.next().context("no Python side")?,
                cpu.next().context("no Rust side")?,
            ],
            result: results[0].clone(),
            calling,
        })
    }

    /// The programs that do `pair`'s work: the recipe, the Rust binary, and the script that
    /// calls the Rust module where there is one.
    fn sides(&self, pair: &Pair) -> Vec<Side> {
        let python = |script: &str| Side {
            program: self.venv.clone(),
            first: self.recipes.join(script).into(),
            workers_flag: "--processes",
        };
        let rust = Side {
            program: self.rust.clone(),
            first: pair.rust.into(),
            workers_flag: "--threads",
        };
        let mut sides = vec![python(pair.recipe), rust];
        sides.extend(pair.calls_rust.map(python));
        sides
    }

    /// The images both sides of a reading pair read, written once by the Rust side; returns
    /// their folder, as the `--out` argument.
    fn images_to_read(&self, flags: &[String]) -> anyhow::Result<String> {
        let dir = self.scratch.join("read");
        fresh(&dir)?;
        let dir = path_arg(&dir)?;
        let mut write = Command::new(&self.rust);
        write.arg("images").args(flags).args(["--out", &dir]);
        run_one(write.args(["--threads", &self.workers]))?;
        Ok(dir)
    }
}

/// Build the Rust side in release mode, as a reader's `cargo run --release` would.
fn build_rust_side(root: &Path) -> anyhow::Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--release", "-p", "rust-recipes"])
        .current_dir(root)
        .status()
        .context("cannot run cargo")?;
    ensure!(status.success(), "cannot build the Rust side (python/rust)");
    Ok(root.join("target/release/rust-recipes"))
}

/// How to start one side: the program, its first argument (the script or the subcommand),
/// and the name of its workers flag.
struct Side {
    program: PathBuf,
    first: std::ffi::OsString,
    workers_flag: &'static str,
}

impl Side {
    fn command(&self, flags: &[String], workers: &str) -> Command {
        let mut command = Command::new(&self.program);
        command.arg(&self.first).args(flags);
        command.arg(self.workers_flag).arg(workers);
        command
    }
}

/// What a side printed: its result, and the time it took for the work alone, if it says.
struct Printed {
    result: String,
    seconds: Option<Duration>,
}

/// Run `command` to the end; its last line must be `result: ...`; a line `seconds: ...`, if
/// any, is the program's own time for the work.
fn run_one(command: &mut Command) -> anyhow::Result<Printed> {
    let shown = format!("{command:?}");
    let output = command
        .output()
        .with_context(|| format!("cannot run {shown}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let why = stderr.lines().last().unwrap_or("no message");
        bail!("{shown} failed ({}): {why}", output.status);
    }
    let seconds = stdout
        .lines()
        .find_map(|l| l.strip_prefix("seconds: ")?.parse().ok())
        .map(Duration::from_secs_f64);
    match stdout
        .lines()
        .last()
        .and_then(|l| l.strip_prefix("result: "))
    {
        Some(result) => Ok(Printed {
            result: result.to_owned(),
            seconds,
        }),
        None => bail!("{shown} printed no `result:` line"),
    }
}

/// The folder the recipes' images go to while they run, removed when dropped: at the end,
/// and on an error or Ctrl-C too.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// An empty folder at `dir`.
fn fresh(dir: &Path) -> anyhow::Result<()> {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}

fn path_arg(path: &Path) -> anyhow::Result<String> {
    path.to_str()
        .map(str::to_owned)
        .context("the scratch folder's path is not UTF-8")
}

/// How many times faster Rust was, by medians, and whether the ranges overlap.
fn ratio(m: &Measured) -> (f64, bool) {
    let r = m.python.median().as_secs_f64() / m.rust.median().as_secs_f64();
    (
        r,
        m.python.min() <= m.rust.max() && m.rust.min() <= m.python.max(),
    )
}

fn range(t: &Timing) -> String {
    format!(
        "{} ({} - {})",
        seconds(t.median()),
        seconds(t.min()),
        seconds(t.max())
    )
}

fn line(m: &Measured) -> String {
    let (r, overlap) = ratio(m);
    let note = if overlap { ", ranges overlap" } else { "" };
    format!(
        "{:<20} Python {}  Rust {}  Rust {r:.1}x faster{note}; CPU {} against {}  (result {})",
        m.pair.recipe,
        range(&m.python),
        range(&m.rust),
        seconds(m.cpu[0].median()),
        seconds(m.cpu[1].median()),
        m.result
    )
}

fn markdown(measured: &[Measured], stamp: &str) -> String {
    let mut text = String::from(
        "| recipe | Rust side | chapter | Python, median (min - max) | Rust, median (min - max) | Rust faster by | CPU time, Python / Rust | results |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for m in measured {
        let (r, overlap) = ratio(m);
        let note = if overlap { " (ranges overlap)" } else { "" };
        text.push_str(&format!(
            "| `{}` | `rust-recipes {}` | {} | {} | {} | {r:.1}x{note} | {} / {} ({:.1}x) | equal |\n",
            m.pair.recipe,
            m.pair.rust,
            m.pair.chapter,
            range(&m.python),
            range(&m.rust),
            seconds(m.cpu[0].median()),
            seconds(m.cpu[1].median()),
            m.cpu[0].median().as_secs_f64() / m.cpu[1].median().as_secs_f64().max(1e-6),
        ));
    }
    text.push_str(&format!("\n{stamp}.\n"));
    text
}

const PYTHON: RGBColor = RGBColor(31, 119, 180);
const RUST: RGBColor = RGBColor(214, 95, 14);

/// Two bars per recipe, Python's and Rust's median whole-run time (log scale), with the
/// min - max range as a line through each.
fn chart(path: &Path, measured: &[Measured], stamp: &str) -> anyhow::Result<()> {
    let all = measured
        .iter()
        .flat_map(|m| [m.python.min(), m.python.max(), m.rust.min(), m.rust.max()]);
    let (lo, hi) = all.fold((f64::MAX, 0.0f64), |(lo, hi), d| {
        (lo.min(d.as_secs_f64()), hi.max(d.as_secs_f64()))
    });
    let (lo, hi) = (lo / 3.0, hi * 30.0);
    let rows = measured.len() as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 110 + 80 * measured.len() as u32))
            .into_drawing_area();
        let draw = || -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
            root.fill(&WHITE)?;
            let height = root.dim_in_pixel().1;
            let (body, foot) = root.split_vertically(height - 26);
            foot.draw_text(
                stamp,
                &("sans-serif", 13).into_font().color(&BLACK.mix(0.6)),
                (12, 4),
            )?;
            let body = body.titled(
                "Python recipe against its Rust chapter, whole runs",
                ("sans-serif", 22),
            )?;
            let mut chart = ChartBuilder::on(&body)
                .margin(16)
                .x_label_area_size(40)
                .build_cartesian_2d((lo..hi).log_scale(), 0.0..rows)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(0)
                .x_desc("seconds per whole run (log scale)")
                .x_label_formatter(&|x| seconds(std::time::Duration::from_secs_f64(*x)))
                .light_line_style(WHITE)
                .draw()?;
            for (i, m) in measured.iter().enumerate() {
                let top = rows - i as f64;
                for (k, (t, color)) in [(&m.python, PYTHON), (&m.rust, RUST)]
                    .into_iter()
                    .enumerate()
                {
                    let y = top - 0.3 - 0.35 * k as f64;
                    let bar = [(lo, y - 0.14), (t.median().as_secs_f64(), y + 0.14)];
                    chart.draw_series([Rectangle::new(bar, color.mix(0.75).filled())])?;
                    let whisker = [(t.min().as_secs_f64(), y), (t.max().as_secs_f64(), y)];
                    chart.draw_series([PathElement::new(whisker, BLACK.stroke_width(2))])?;
                    let label = if k == 0 {
                        format!("{}: Python {}", m.pair.recipe, seconds(t.median()))
                    } else {
                        format!("Rust {}, {:.1}x faster", seconds(t.median()), ratio(m).0)
                    };
                    let at = (t.max().as_secs_f64() * 1.2, y - 0.08);
                    chart.draw_series([Text::new(label, at, ("sans-serif", 14).into_font())])?;
                }
            }
            root.present()?;
            Ok(())
        };
        draw().map_err(|e| anyhow::anyhow!("cannot draw {}: {e}", path.display()))?;
    }
    workload::write_whole(path, svg.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}
