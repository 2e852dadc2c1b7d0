//! The command-line arguments the demos share, and the exit-code convention:
//! a bad argument prints one line and exits 2, a failure at run time prints one line and exits 1.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Mutex, PoisonError};

use anyhow::Context;
use clap::error::ErrorKind;
use clap::{Args, Parser};

use workload::Compression;
use workload::ImageSize;
use workload::grid::{Grid, Skew};

/// The images to make: how many, how big, and where they go.
#[derive(Args, Clone, Debug)]
pub struct ImageArgs {
    /// How many noise images to make (1 to 1000000)
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = within::<1, MAX_COUNT>)]
    pub count: usize,

    /// Width of each image in pixels (1 to 16384)
    #[arg(long, value_name = "PIXELS", default_value_t = 1024, value_parser = dimension)]
    pub width: u32,

    /// Height of each image in pixels (1 to 16384)
    #[arg(long, value_name = "PIXELS", default_value_t = 1024, value_parser = dimension)]
    pub height: u32,

    /// Directory to write into [default: target/demo-output/<demo name>]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The encoder's effort, for a demo that lets the reader choose it. Kept apart from
/// [`ImageArgs`] until every demo that writes images passes it down to its encoder.
#[derive(Args, Clone, Debug)]
pub struct CompressionArg {
    /// How hard the PNG encoder works to shrink each file. Noise does not compress, so `fast`
    /// (OpenCV's default level too) writes files nearly as small as `best` in a fraction of
    /// the time
    #[arg(long, value_name = "LEVEL", value_enum, default_value_t = Compression::Fast)]
    pub compression: Compression,
}

impl ImageArgs {
    pub fn size(&self) -> ImageSize {
        ImageSize::new(self.width, self.height)
    }

    /// The header's account of the work: how many images, how big, and where they go.
    pub fn describe(&self, dir: &Path) -> String {
        format!(
            "{} noise images of {} pixels into {}",
            self.count,
            self.size(),
            shown(dir)
        )
    }

    /// `--out`, or this demo's folder under the build directory (never the source tree).
    pub fn out_dir(&self, demo: &str) -> PathBuf {
        self.out.clone().unwrap_or_else(|| default_out_dir(demo))
    }
}

/// How many workers a parallel strategy may use.
#[derive(Args, Clone, Debug)]
pub struct ThreadsArg {
    /// Worker threads, 1 to 1024 [default: all logical cores]
    #[arg(long, value_name = "N", value_parser = within::<1, MAX_WORKERS>)]
    pub threads: Option<usize>,
}

impl ThreadsArg {
    pub fn get(&self) -> usize {
        self.threads.unwrap_or_else(crate::machine::logical_cores)
    }
}

/// How often each strategy is timed.
#[derive(Args, Clone, Debug)]
pub struct RunsArg {
    /// Times to run each strategy, 1 to 100000 (they take turns); the table shows the median and
    /// the range
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = within::<1, MAX_RUNS>)]
    pub runs: usize,

    #[command(flatten)]
    pub timeline: TimelineArg,
}

/// `--timeline FILE`: flattened into every demo's arguments (through [`RunsArg`], or on its own),
/// and picked up by [`parse`], so a demo's own code never handles it.
#[derive(Args, Clone, Debug)]
pub struct TimelineArg {
    /// Record which worker ran which item, and when, in the first (checked) run of every
    /// strategy: FILE gets a trace to open in ui.perfetto.dev or chrome://tracing, and FILE
    /// with .svg for .json a chart with one lane per worker. The later runs are not recorded.
    /// Its folder is made if missing; FILE and its chart must be new or regular files, never
    /// a link or a device
    #[arg(long, value_name = "FILE", value_parser = timeline_file)]
    pub timeline: Option<PathBuf>,
}

/// A file the timeline can be written to: a new name or a regular file, and so is the chart
/// beside it (never a folder, a device or a symbolic link). Its folder is made by [`parse`].
fn timeline_file(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    if text.is_empty() || text.ends_with('/') || path.file_name().is_none() {
        return Err("expected a file name, not a folder".into());
    }
    for file in [path.clone(), crate::timeline::svg_path(&path)] {
        workload::check_output(&file).map_err(|err| err.to_string())?;
    }
    Ok(path)
}

/// The most images a demo makes: a million small ones is already minutes of work.
pub const MAX_COUNT: usize = 1_000_000;
/// The most worker threads or processes: far past any laptop's cores, short of the limits where
/// starting them fails.
pub const MAX_WORKERS: usize = 1024;
/// The most timed runs of each strategy.
pub const MAX_RUNS: usize = 100_000;

/// A clap value parser for a whole number from `LOW` to `HIGH`.
pub fn within<const LOW: usize, const HIGH: usize>(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (LOW..=HIGH).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number from {LOW} to {HIGH}")),
    }
}

/// A clap value parser for counts: a whole number of at least 1.
pub fn at_least_one<T: std::str::FromStr + PartialOrd + From<u8>>(text: &str) -> Result<T, String> {
    match text.parse::<T>() {
        Ok(n) if n >= T::from(1) => Ok(n),
        _ => Err("expected a whole number of at least 1".into()),
    }
}

fn dimension(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(n @ 1..=16384) => Ok(n),
        _ => Err("expected a whole number from 1 to 16384".into()),
    }
}

/// `target/demo-output/<demo>`, found from where the running binary lives
/// (`target/release/<demo>`), so it does not depend on the current directory.
pub fn default_out_dir(demo: &str) -> PathBuf {
    let exe = std::env::current_exe().ok();
    let target = exe.as_deref().and_then(|exe| exe.parent()?.parent());
    target
        .map_or_else(std::env::temp_dir, ToOwned::to_owned)
        .join("demo-output")
        .join(demo)
}

/// `path` relative to the current directory where it lies below it: shorter to print.
pub fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Create the image folder `dir` (and its parents), claim it for this run, and remove the noise
/// images and temporary files an earlier run left there, so that every image a check reads was
/// written by this run. Other files are left alone. Errors name the folder; a folder another
/// running demo has claimed is an error too, before anything in it is touched.
pub fn image_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    let context = || format!("cannot prepare output directory {}", dir.display());
    out_dir(dir)?;
    let mut images = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(context)? {
        let path = entry.with_context(context)?.path();
        if workload::noise::is_image_file(&path) {
            images.push(path);
        }
    }
    // A link goes (never what it points to); a FIFO, device or folder under an image's name
    // is refused now, before anything is removed, rather than where its image is written.
    for path in &images {
        let link = path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink());
        if !link {
            workload::check_output(path).with_context(context)?;
        }
    }
    for path in images {
        std::fs::remove_file(&path).with_context(context)?;
    }
    Ok(dir.to_owned())
}

/// Create the output folder `dir` (and its parents) and claim it for this run, leaving what is
/// in it alone: a folder another running demo has claimed is an error, before anything in it
/// is touched.
pub fn out_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    let context = || format!("cannot prepare output directory {}", dir.display());
    std::fs::create_dir_all(dir).with_context(context)?;
    claim(dir).with_context(context)?;
    Ok(dir.to_owned())
}

/// Lock `dir` for as long as this process lives (the lock goes with the process, however it
/// ends), so that two runs never empty each other's folder. A folder this process claimed
/// already is fine.
fn claim(dir: &Path) -> anyhow::Result<()> {
    static HELD: Mutex<Vec<(PathBuf, File)>> = Mutex::new(Vec::new());
    let dir = dir.canonicalize()?;
    let mut held = HELD.lock().unwrap_or_else(PoisonError::into_inner);
    if held.iter().any(|(claimed, _)| *claimed == dir) {
        return Ok(());
    }
    let folder = File::open(&dir)?;
    match folder.try_lock() {
        Ok(()) => {
            held.push((dir, folder));
            Ok(())
        }
        Err(TryLockError::WouldBlock) => {
            anyhow::bail!(
                "another run is writing into it; wait for it to end, or choose another --out"
            )
        }
        Err(TryLockError::Error(err)) => Err(err.into()),
    }
}

/// A bad argument that clap could not see (one that depends on another, a path that cannot be
/// used): its one line, and exit code 2, as for clap's own errors.
pub fn bad_argument(why: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {why} (see --help)");
    ExitCode::from(2)
}

/// Set to make a demo stop right after parsing its arguments: the test that runs every command
/// the book shows uses it to check their flags without doing the work.
pub const PARSE_ONLY: &str = "WORKBOOK_PARSE_ONLY";

/// Parse the command line; on a bad argument print one line and exit with code 2.
pub fn parse<C: Parser>() -> C {
    let parsed = C::command().try_get_matches().and_then(|matches| {
        let cli = C::from_arg_matches(&matches)?;
        Ok((cli, matches))
    });
    let (cli, matches) = parsed.unwrap_or_else(|err| {
        if matches!(
            err.kind(),
            ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        ) {
            err.exit();
        }
        eprintln!("{} (see --help)", one_line(&err));
        std::process::exit(2);
    });
    if std::env::var_os(PARSE_ONLY).is_some() {
        std::process::exit(0);
    }
    if let Ok(Some(path)) = matches.try_get_one::<PathBuf>("timeline") {
        // Its folder is made as `--out`'s is, before any work, so a folder that cannot be is
        // a bad argument.
        if let Err(err) = timeline_folder(path) {
            eprintln!("error: invalid value for --timeline: {err:#} (see --help)");
            std::process::exit(2);
        }
        crate::timeline::ask(path.clone());
    }
    cli
}

/// Make the folder `--timeline`'s file goes in, with its parents.
fn timeline_folder(path: &Path) -> anyhow::Result<()> {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create folder {}", folder.display())),
        _ => Ok(()),
    }
}

/// clap's error on one line: its first line, with the values it would have accepted.
fn one_line(err: &clap::Error) -> String {
    let text = err.to_string();
    let mut lines = text.lines();
    let mut first = lines.next().unwrap_or("error: bad arguments").to_owned();
    // "the following required arguments were not provided:" lists them on the lines below.
    if first.ends_with(':') {
        let listed: Vec<&str> = lines.map(str::trim).take_while(|l| !l.is_empty()).collect();
        first = format!("{first} {}", listed.join(", "));
    }
    match err.get(clap::error::ContextKind::ValidValue) {
        Some(clap::error::ContextValue::Strings(valid))
            if !valid.is_empty() && !first.contains("possible values") =>
        {
            format!("{first} (possible values: {})", valid.join(", "))
        }
        _ => first,
    }
}

/// The exit code of a run whose standard output was closed by its reader (`| head`): the shell's
/// code for a program ended by SIGPIPE, 128 + 13.
pub const CLOSED_PIPE: u8 = 141;

/// Print one line on standard output, and return the error if it cannot be written, instead of
/// panicking as `println!` does: `finish` then ends quietly when the reader has gone away
/// (`| head -1`), or with one error line when the output is full (`> /dev/full`).
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::write_line(::std::format_args!($($arg)*))
    };
}

/// A line that could not be written to standard output.
#[derive(Debug, thiserror::Error)]
#[error("cannot write to standard output")]
pub struct StdoutError(#[source] std::io::Error);

/// What `outln!` calls.
pub fn write_line(line: std::fmt::Arguments) -> Result<(), StdoutError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .map_err(StdoutError)
}

/// Whether `err` is standard output's reader going away; a broken pipe to a worker process is
/// a real failure and is reported as one.
fn closed_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<StdoutError>()
            .is_some_and(|out| out.0.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Turn the result of a run into the exit code: a failure prints its whole cause chain on one
/// line and exits with code 1. `--timeline`'s files are written either way.
pub fn finish(result: anyhow::Result<()>) -> ExitCode {
    crate::timeline::leave_worker_spans();
    // A failed run's timeline too: its chart shows where. The run's own error comes first.
    let result = result.and(crate::timeline::write_last());
    // A stop signal wins over whatever error it caused (a worker that got the Ctrl-C too and
    // died of it), and says "interrupted" or "terminated".
    if let Err(stopped) = crate::stop::check() {
        eprintln!("error: {stopped}");
        return ExitCode::from(stopped.exit_code());
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if closed_pipe(&err) => ExitCode::from(CLOSED_PIPE),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The heavy grid's size and cost from the command line; one grid per skew asked for.
#[derive(Args, Clone, Debug)]
pub struct GridArgs {
    /// Rows of the heavy grid, 0 to 100000; each row is one task (0 skips the grid)
    #[arg(long, value_name = "N", default_value_t = 120, value_parser = within::<0, 100_000>)]
    pub rows: usize,
    /// Cells in each row of the grid, 1 to 100000
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = within::<1, 100_000>)]
    pub cols: usize,
    /// Rounds of arithmetic per cell on average over the rows, 1 to 1000000
    #[arg(long, value_name = "N", default_value_t = 12_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub iterations: u32,
    /// How the grid's cost spreads over its rows; several, comma-separated, give a grid each
    #[arg(
        long,
        value_name = "SKEWS",
        value_delimiter = ',',
        default_value = "even,linear"
    )]
    pub skew: Vec<Skew>,
}

impl GridArgs {
    /// One grid for each `--skew`, or none when `--rows` is 0.
    pub fn grids(&self) -> Vec<Grid> {
        let skews = if self.rows == 0 { &[][..] } else { &self.skew };
        skews
            .iter()
            .map(|&skew| Grid {
                rows: self.rows,
                cols: self.cols,
                iterations: self.iterations,
                skew,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        images: ImageArgs,
        #[command(flatten)]
        threads: ThreadsArg,
        #[command(flatten)]
        compression: CompressionArg,
    }

    #[test]
    fn defaults_and_limits() {
        let cli = Cli::try_parse_from(["x"]).unwrap();
        assert_eq!(
            (cli.images.count, cli.images.size()),
            (64, ImageSize::new(1024, 1024))
        );
        assert_eq!(cli.compression.compression, Compression::Fast);
        let err = Cli::try_parse_from(["x", "--compression", "none"]).err();
        assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::InvalidValue));
        assert!(cli.threads.get() >= 1);
        for bad in [
            &["x", "--threads", "0"][..],
            &["x", "--count", "abc"],
            &["x", "--count", "0"],
            &["x", "--width", "16385"],
            &["x", "--height", "1.5"],
        ] {
            let err = Cli::try_parse_from(bad).err().expect("rejected");
            assert_eq!(err.kind(), ErrorKind::ValueValidation, "{bad:?}");
        }
    }

    #[test]
    fn default_out_dir_is_outside_the_sources() {
        let dir = default_out_dir("01-serial-loop");
        assert!(dir.ends_with("demo-output/01-serial-loop"));
        assert!(!dir.starts_with(env!("CARGO_MANIFEST_DIR")));
    }

    #[test]
    fn arguments_give_a_grid_per_skew_or_none() {
        use clap::Parser;
        #[derive(Parser)]
        struct Cli {
            #[command(flatten)]
            grid: GridArgs,
        }
        let parse = |args: &[&str]| Cli::try_parse_from([&["x"], args].concat()).map(|c| c.grid);
        let skews = |args| {
            parse(args)
                .unwrap()
                .grids()
                .iter()
                .map(|g| g.skew)
                .collect::<Vec<_>>()
        };
        assert_eq!(skews(&[]), [Skew::Even, Skew::Linear]);
        assert_eq!(skews(&["--skew", "tail,even"]), [Skew::Tail, Skew::Even]);
        assert_eq!(skews(&["--rows", "0"]), []);
        for bad in [
            &["--cols", "0"][..],
            &["--iterations", "-1"],
            &["--skew", "steep"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
