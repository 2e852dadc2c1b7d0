//! The one module with `unsafe`: a file that several processes map into memory, seen as
//! `f64` cells through `bytemuck`.
//!
//! Mapping a file is `unsafe` in Rust because the compiler cannot see the other side: another
//! process could write to or shrink the file while we hold a reference into it. What this
//! crate's safe functions ensure:
//! - in the parent, the whole array is reached only through `MapFile::array(&mut self)`, so
//!   the borrow checker allows one view at a time, and none while `ProcessFill::fill` runs
//!   workers on the file (it borrows the file mutably too) or once a `ProcessPool` owns it;
//! - the workers this crate starts are done or dead before the parent may look: `fill`
//!   returns only when every one has exited or been killed and reaped, and a pool hands out
//!   the array only while every worker has answered and waits (after an error, never);
//! - a process maps one band, once, and none if it made a shared file (`claim`), so one
//!   process never holds two overlapping views, whatever safe code it runs;
//! - a worker maps only a file its own parent holds (`/proc/<parent>/fd/<n>`), so a job
//!   handed to the wrong process cannot reach into a file it was not started for.
//!
//! What no type can ensure: the file is reachable as `/proc/<pid>/fd/<n>`, so a process of
//! the same user (a child started by hand with a job written by hand, or this process
//! itself through `std::fs`) can write to it or truncate it, as it could write to
//! `/proc/<pid>/mem`. That is outside what Rust's safety promises, and the SAFETY comments
//! below assume nobody does it. The private fields of a `FillJob` are no guard against it:
//! a job can be deserialized from any text.
//!
//! The file is removed from its folder as soon as it is created: nothing is left there
//! whatever ends the run, even SIGKILL. Workers reach it through the parent's open
//! descriptor (`/proc/<parent>/fd/<n>`); the memory goes when the last of them lets go.
//!
//! One view of the array at a time, one after the other, compiles:
//! ```
//! # fn f(file: &mut shared_array_fill::mapping::MapFile) -> std::io::Result<()> {
//! file.array()?.cells_mut()[0] = 1.0;
//! assert_eq!(file.array()?.cells()[0], 1.0);
//! # Ok(()) }
//! ```
//! Two at once, which would be two `&mut` over the same cells, do not:
//! ```compile_fail,E0499
//! # fn f(file: &mut shared_array_fill::mapping::MapFile) -> std::io::Result<()> {
//! let mut a = file.array()?;
//! let mut b = file.array()?; // error[E0499]: `*file` is already borrowed as mutable
//! a.cells_mut()[0] = b.cells_mut()[0];
//! # Ok(()) }
//! ```

use std::fs::{File, OpenOptions};
use std::io;
use std::marker::PhantomData;
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use memmap2::{MmapMut, MmapOptions};

use crate::cells::Shape;

/// What this process has done with shared files: nothing yet, made some (a parent), or
/// mapped its one band (a worker). A process is one or the other, never both.
static ROLE: AtomicU8 = AtomicU8::new(NONE);
const NONE: u8 = 0;
const PARENT: u8 = 1;
const WORKER: u8 = 2;

fn claim(role: u8) -> io::Result<()> {
    let now = ROLE.compare_exchange(NONE, role, Ordering::SeqCst, Ordering::SeqCst);
    allowed(now.unwrap_or_else(|before| before), role)
}

/// Whether a process that is `before` may now act as `role`.
fn allowed(before: u8, role: u8) -> io::Result<()> {
    match (before, role) {
        (NONE, _) | (PARENT, PARENT) => Ok(()), // a parent may make many files
        _ => Err(io::Error::other(
            "a process maps one band of a shared file, once, and only if it made none",
        )),
    }
}

/// The prefix of every shared file's name; the process id that follows says whose it is.
pub const PREFIX: &str = "workbook-06-";

// ANCHOR: guard
/// The shared file, sized for the whole array and already removed from its folder: only the
/// open descriptor keeps it, so nothing is left behind however the run ends.
pub struct MapFile {
    file: File,
    shape: Shape,
}

impl MapFile {
    /// Create the file in `dir`, readable by us alone, remove its name at once, and reserve
    /// the array's size: a folder without room fails here, with ENOSPC.
    pub fn create(dir: &Path, shape: Shape) -> io::Result<Self> {
        claim(PARENT)?;
        harness::process::remove_stale(dir, PREFIX);
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("{PREFIX}{}-{n}.f64", std::process::id()));
        let mut options = OpenOptions::new();
        options.read(true).write(true).create_new(true).mode(0o600);
        let file = options.open(&path)?;
        std::fs::remove_file(&path)?; // from here on the name is gone, the file is not
        reserve(&file, shape.bytes())?;
        Ok(Self { file, shape })
    }
}

/// Give `file` its size with every block allocated. `set_len` alone reserves nothing on a
/// tmpfs: the first write to a page the file system cannot supply would be a SIGBUS.
#[cfg(target_os = "linux")]
fn reserve(file: &File, bytes: usize) -> io::Result<()> {
    let len = i64::try_from(bytes).map_err(io::Error::other)?;
    if len == 0 {
        return Ok(()); // nothing to reserve (and posix_fallocate refuses a length of 0)
    }
    Ok(nix::fcntl::posix_fallocate(file, 0, len)?)
}
// ANCHOR_END: guard

/// Elsewhere only the size is set; a file system that runs out of room can still SIGBUS.
#[cfg(not(target_os = "linux"))]
fn reserve(file: &File, bytes: usize) -> io::Result<()> {
    file.set_len(bytes as u64)
}

impl MapFile {
    /// The path a worker process opens the file by: our descriptor, seen from outside.
    /// Workers given it must be done, or dead and reaped, before [`MapFile::array`] is
    /// called again, and no two may get overlapping bands: so only this crate's process
    /// strategies hand it out.
    pub(crate) fn child_path(&self) -> PathBuf {
        let fd = self.file.as_raw_fd();
        PathBuf::from(format!("/proc/{}/fd/{fd}", std::process::id()))
    }

    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// The whole array, mapped writable: one view at a time, since it borrows `self`.
    pub fn array(&mut self) -> io::Result<ArrayMap<'_>> {
        // SAFETY: the file is this process's own (created with `create_new` and mode 0600,
        // its name removed at once), `create` reserved all of it and nothing here shrinks
        // it, and `&mut self` means no other view of it exists in this process while this
        // one lives. No worker of this crate writes it meanwhile: `ProcessFill::fill` needs
        // `&mut self` too and returns only once its workers have exited or been killed and
        // reaped, and a `ProcessPool` owns its file and maps it only while every worker is
        // idle (see the module's notes for what no code can stop: another process of the
        // same user writing or truncating the file through `/proc`).
        let map = unsafe { MmapMut::map_mut(&self.file)? };
        Ok(ArrayMap {
            map,
            _file: PhantomData,
        })
    }
}

/// The whole array of a [`MapFile`], mapped once by the parent.
pub struct ArrayMap<'a> {
    map: MmapMut,
    _file: PhantomData<&'a mut MapFile>,
}

impl ArrayMap<'_> {
    pub fn cells(&self) -> &[f64] {
        bytemuck::cast_slice(&self.map) // page-aligned, a whole number of f64
    }

    pub fn cells_mut(&mut self) -> &mut [f64] {
        bytemuck::cast_slice_mut(&mut self.map)
    }
}

// ANCHOR: band
/// A worker process's rows of the shared file, mapped writable: its only band.
pub struct Band {
    map: MmapMut,
}

impl Band {
    /// Map `rows` rows from `first_row` of the file at `path`: the process's one band.
    pub(crate) fn map(
        path: &Path,
        shape: Shape,
        first_row: usize,
        rows: usize,
    ) -> io::Result<Self> {
        of_our_parent(path)?; // the file of the process that started us, no other
        let file = OpenOptions::new().read(true).write(true).open(path)?;
        let size = file.metadata()?.len();
        let end = first_row.saturating_add(rows);
        if size != shape.bytes() as u64 || end > shape.rows || rows == 0 {
            let why = format!("rows {first_row}..{end} of a {shape} array do not fit {size} bytes");
            return Err(io::Error::new(io::ErrorKind::InvalidInput, why));
        }
        claim(WORKER)?; // the first and only band of this process
        // SAFETY: the band lies inside the file (checked above), all reserved before any worker
        // started: every page is backed unless another process shrinks it (module notes). Our
        // only mapping (`claim`); no other worker gets these rows; the parent maps them only
        // once we are done, or dead and reaped.
        let map = unsafe {
            MmapOptions::new()
                .offset((first_row * shape.cols * size_of::<f64>()) as u64)
                .len(rows * shape.cols * size_of::<f64>())
                .populate() // back every page of the band now, not one fault at a time
                .map_mut(&file)?
        };
        Ok(Self { map })
    }

    pub fn cells(&mut self) -> &mut [f64] {
        bytemuck::cast_slice_mut(&mut self.map) // rows start at multiples of 8 bytes
    }
}
// ANCHOR_END: band

/// Refuse any path but `/proc/<our parent>/fd/<n>`: a worker writes only into a file the
/// process that started it holds, never into one of a process it does not know.
fn of_our_parent(path: &Path) -> io::Result<()> {
    let parent = format!("/proc/{}/fd/", std::os::unix::process::parent_id());
    let fd = path.to_str().and_then(|p| p.strip_prefix(&parent));
    match fd.map(str::parse::<u32>) {
        Some(Ok(_)) => Ok(()),
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is no descriptor of our parent", path.display()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use testkit::{ScratchDir, files_below};

    use super::*;

    #[test]
    fn the_file_leaves_no_name_and_a_parent_cannot_map_a_band() {
        let dir = ScratchDir::new("06-map");
        let shape = Shape {
            rows: 3,
            cols: 1000,
        };
        let mut file = MapFile::create(dir.path(), shape).unwrap();
        assert!(
            files_below(dir.path()).is_empty(),
            "the name is gone at once"
        );
        file.array().unwrap().cells_mut()[999..1001].copy_from_slice(&[1.0, 2.0]);
        assert_eq!(file.array().unwrap().cells()[999..1002], [1.0, 2.0, 0.0]);
        let err = Band::map(&file.child_path(), shape, 0, 1)
            .err()
            .expect("refused");
        assert!(
            err.to_string().contains("no descriptor of our parent"),
            "{err}"
        );
        let parents = format!("/proc/{}/fd/0", std::os::unix::process::parent_id());
        let err = Band::map(Path::new(&parents), shape, 0, 1)
            .err()
            .expect("refused");
        assert!(!err.to_string().contains("parent"), "{err}"); // its own reason
    }

    #[test]
    fn a_process_is_a_parent_or_maps_one_band() {
        assert!(allowed(NONE, WORKER).is_ok() && allowed(NONE, PARENT).is_ok());
        assert!(allowed(PARENT, PARENT).is_ok(), "many files");
        assert!(allowed(WORKER, WORKER).is_err(), "a second band");
        assert!(allowed(PARENT, WORKER).is_err() && allowed(WORKER, PARENT).is_err());
    }

    #[test]
    fn stale_files_of_dead_processes_go_and_others_stay() {
        let dir = ScratchDir::new("06-stale");
        // A process id that cannot be alive (above the kernel's limit), ours, and a stranger.
        let dead = dir.join(format!("{PREFIX}2147483647-0.f64"));
        let ours = dir.join(format!("{PREFIX}{}-99.f64", std::process::id()));
        let other = dir.join("someone-else.f64");
        for path in [&dead, &ours, &other] {
            std::fs::write(path, b"x").unwrap();
        }
        std::os::unix::fs::symlink("/nowhere", dir.join(format!("{PREFIX}2147483646-0.f64")))
            .unwrap();
        harness::process::remove_stale(dir.path(), PREFIX);
        let left = files_below(dir.path());
        assert!(!left.contains(&dead) && left.contains(&ours) && left.contains(&other));
    }
}
