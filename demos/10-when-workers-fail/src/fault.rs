//! The faults: what goes wrong at item K, and how each one is made to happen for real.

use std::io;
use std::path::Path;
use std::time::Duration;

use workload::{image_path, temp_path};

/// One thing that goes wrong, at item K of a run.
#[derive(
    clap::ValueEnum, serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq,
)]
pub enum Fault {
    /// Nothing goes wrong: the baseline
    None,
    /// The code making item K panics
    Panic,
    /// The process reaching item K is killed with SIGKILL
    Kill,
    /// The process reaching item K aborts (SIGABRT)
    Abort,
    /// Item K never finishes: it waits for something that does not come
    Stuck,
    /// Writing item K's output fails: no space left on the device (ENOSPC, from /dev/full)
    DiskFull,
    /// Item K's input file is a PNG cut off halfway
    CorruptInput,
}

impl Fault {
    pub const ALL: [Self; 7] = [
        Self::None,
        Self::Panic,
        Self::Kill,
        Self::Abort,
        Self::Stuck,
        Self::DiskFull,
        Self::CorruptInput,
    ];

    /// The name on the command line and in the table.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Panic => "panic",
            Self::Kill => "kill",
            Self::Abort => "abort",
            Self::Stuck => "stuck",
            Self::DiskFull => "disk-full",
            Self::CorruptInput => "corrupt-input",
        }
    }

    // ANCHOR: prepare
    /// Set up a fault that lives in the files, before the run: cut item `at`'s input in half,
    /// or make the temporary file its output is written through a link to `/dev/full`, a
    /// device that fails every write with "no space left on device", as a full disk does.
    pub fn prepare(self, input: &Path, output: &Path, at: usize) -> io::Result<()> {
        match self {
            Self::CorruptInput => {
                let path = image_path(input, at);
                let bytes = std::fs::read(&path)?;
                std::fs::write(&path, &bytes[..bytes.len() / 2])
            }
            Self::DiskFull => {
                std::os::unix::fs::symlink("/dev/full", temp_path(&image_path(output, at)))
            }
            _ => Ok(()),
        }
    }
    // ANCHOR_END: prepare

    // ANCHOR: strike
    /// The faults that live in the code, when item `index` is the one to suffer them: panic,
    /// die halfway through writing (`half_write` writes the first half of the output), or wait
    /// for something that never comes (`stuck` is how this kind of worker waits, and what it
    /// says once it is stopped, if it ever is).
    pub fn strike(
        self,
        index: usize,
        half_write: impl FnOnce() -> io::Result<()>,
        stuck: impl FnOnce() -> anyhow::Error,
    ) -> anyhow::Result<()> {
        match self {
            Self::Panic => panic!("injected panic at item {index}"),
            Self::Kill => {
                half_write()?;
                // SIGKILL cannot be caught: the process ends at once, as under the OOM killer.
                nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL)?;
                forever()
            }
            Self::Abort => {
                half_write()?;
                std::process::abort() // as a failed C library's abort() or a double free would
            }
            Self::Stuck => Err(stuck()),
            Self::None | Self::DiskFull | Self::CorruptInput => Ok(()),
        }
    }
    // ANCHOR_END: strike
}

/// Wait for ever: how a worker process is stuck (only being killed ends it).
pub fn forever() -> ! {
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

/// The default panic hook prints every panic, even one that `catch_unwind` or `join` then
/// hands to code that reports it. The demo reports its injected panics itself, with the
/// item, so it keeps quiet about those; any other panic is printed as before.
pub fn quiet_injected_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !panic_text(info.payload()).starts_with("injected panic") {
            default(info);
        }
    }));
}

/// The text a panic was raised with.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else {
        "a panic without a message".to_owned()
    }
}
