//! The one module with `unsafe`: a file that several processes map into memory, seen as
//! `f64` cells. The file is removed when its guard is dropped, and by the Ctrl-C handler.
//!
//! Mapping a file is `unsafe` in Rust because the compiler cannot see the other side: another
//! process could write to or shrink the file while we hold a reference into it. Each block
//! below says why that does not happen here.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use memmap2::{Mmap, MmapMut, MmapOptions};

use crate::cells::Shape;

/// Mapping files this process created and has not removed yet. The lock is also held while
/// a file is created, so the Ctrl-C handler sees every file that exists.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ANCHOR: guard
/// The shared file, sized for the whole array. Dropping the guard removes the file, on
/// success, on an error returned with `?`, and while a panic unwinds.
pub struct MapFile {
    path: PathBuf,
    file: File,
}

impl MapFile {
    /// Create a new file in `dir`, named after this process, and give it the array's size.
    pub fn create(dir: &Path, shape: Shape) -> io::Result<Self> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("workbook-06-{}-{n}.f64", std::process::id()));
        let mut live = live();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        live.push(path.clone());
        drop(live);
        let guard = Self { path, file }; // from here on, every way out removes the file
        guard.file.set_len(shape.bytes() as u64)?;
        Ok(guard)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for MapFile {
    fn drop(&mut self) {
        let mut live = live();
        let _ = std::fs::remove_file(&self.path);
        live.retain(|path| path != &self.path);
    }
}
// ANCHOR_END: guard

/// Remove every mapping file still alive in this process; for the Ctrl-C handler, which then
/// exits without running destructors. Returns the lock so that the caller can exit holding
/// it: no new file can then be created behind its back.
pub fn remove_live_files() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    let mut live = live();
    for path in live.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    live
}

// ANCHOR: band
/// One worker's rows of the shared file, mapped writable. The worker is usually a process
/// of its own; `processes::fill_file_with_threads` maps bands from threads of one process.
pub struct Band {
    map: MmapMut,
}

impl Band {
    /// Map rows `first_row..first_row + rows` of the array in the file at `path`.
    pub fn map(path: &Path, shape: Shape, first_row: usize, rows: usize) -> io::Result<Self> {
        let file = OpenOptions::new().read(true).write(true).open(path)?;
        let size = file.metadata()?.len();
        let end = first_row.saturating_add(rows);
        if size != shape.bytes() as u64 || end > shape.rows || rows == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "rows {first_row}..{end} of a {shape} array do not fit a file of {size} bytes"
                ),
            ));
        }
        let row_bytes = (shape.cols * size_of::<f64>()) as u64;
        // SAFETY: the parent sized the file to the whole array before starting any worker
        // and nobody truncates it while workers run (checked above: the band lies inside the
        // file), so every mapped page is backed. The parent gives each worker (a process, or
        // a thread in `fill_file_with_threads`) a band of rows no other worker maps for
        // writing, and reads the file only while no worker writes (after every worker has
        // exited or been joined, or in a pool, after each has answered `done`), so this
        // mapping is the only access to these bytes while we write through it.
        let map = unsafe {
            MmapOptions::new()
                .offset(first_row as u64 * row_bytes)
                .len(rows * shape.cols * size_of::<f64>())
                .populate() // back every page of the band now, not one fault at a time
                .map_mut(&file)?
        };
        Ok(Self { map })
    }

    pub fn cells(&mut self) -> &mut [f64] {
        // SAFETY: any 8 bytes are a valid `f64` (at worst a NaN), so reinterpreting the bytes
        // cannot make an invalid value. `align_to_mut` only yields cells at 8-byte-aligned
        // addresses; the mapping starts on a page and the band at a multiple of 8 bytes, so
        // nothing is left over, which the assert checks.
        let (before, cells, after) = unsafe { self.map.align_to_mut::<f64>() };
        assert!(
            before.is_empty() && after.is_empty(),
            "the band is f64-aligned"
        );
        cells
    }
}
// ANCHOR_END: band

/// The whole array, mapped read-only by the parent once every worker has exited. It shares
/// the file's guard, so the file goes when the last holder is dropped.
pub struct SharedArray {
    map: Mmap,
    file: Rc<MapFile>,
}

impl SharedArray {
    /// Map the file of `guard`; call it only when no worker process is writing to it.
    pub fn open(guard: Rc<MapFile>) -> io::Result<Self> {
        // SAFETY: the parent maps the file only to check it, once every worker has exited
        // (`ProcessFill::fill` waits for them) or is idle, waiting for a request that will
        // not come while this mapping lives (`ProcessPool::fill` has returned). Only this
        // process and its workers know the file (its name holds our process id and
        // `create_new` made it), so nobody else changes or truncates it meanwhile.
        let map = unsafe { Mmap::map(&guard.file)? };
        Ok(Self { map, file: guard })
    }

    pub fn cells(&self) -> &[f64] {
        // SAFETY: as in `Band::cells`: any bytes are a valid f64 and the assert checks that
        // the page-aligned mapping split into whole cells.
        let (before, cells, after) = unsafe { self.map.align_to::<f64>() };
        assert!(
            before.is_empty() && after.is_empty(),
            "the mapping is f64-aligned"
        );
        cells
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }
}

#[cfg(test)]
mod tests {
    use workload::testing::{ScratchDir, files_below};

    use super::*;

    #[test]
    fn bands_write_into_the_shared_file_and_the_guard_removes_it() {
        let dir = ScratchDir::new("06-map");
        let shape = Shape {
            rows: 3,
            cols: 1000,
        };
        let guard = MapFile::create(dir.path(), shape).unwrap();
        assert_eq!(files_below(dir.path()), [guard.path().to_owned()]);
        for row in 0..3 {
            let mut band = Band::map(guard.path(), shape, row, 1).unwrap();
            band.cells().fill(row as f64);
        }
        assert!(
            Band::map(guard.path(), shape, 2, 2).is_err(),
            "past the end"
        );
        let array = SharedArray::open(Rc::new(guard)).unwrap();
        assert_eq!(array.cells()[999..1001], [0.0, 1.0]);
        assert_eq!(array.cells()[2999], 2.0);
        drop(array);
        assert!(files_below(dir.path()).is_empty());
    }
}
