//! `workbook_rust`: the workbook's parallel Rust, called from Python. Chapter 3's images,
//! chapter 6's row-band fill straight into a NumPy array that Python made, and chapter 7's
//! histogram, each computed by a rayon pool with the GIL released. A bad argument raises one
//! clear exception before any work starts; a Rust error or panic raises an exception too.
#![forbid(unsafe_code)]

mod checks;

use std::path::PathBuf;

use numpy::{PyArray1, PyArray3, PyArrayMethods, PyReadwriteArray2, PyUntypedArrayMethods};
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use shared_array_fill::{Shape, fill_rayon, plain_cell};
use workload::ImageSize;

use checks::{Frozen, count};

/// A pool of `threads` workers, or a `RuntimeError` saying why not.
fn pool(threads: i64) -> PyResult<rayon::ThreadPool> {
    let threads = count("threads", threads, 1)?;
    thread_pool_map::thread_pool(threads).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// Run `work` with the GIL released (other Python threads run meanwhile), or holding it.
fn compute<T: Send>(py: Python<'_>, release_gil: bool, work: impl FnOnce() -> T + Send) -> T {
    if release_gil { py.detach(work) } else { work() }
}

/// write_images(folder, count, width, height, threads): noise images 0..count written as PNG
/// files into folder by a pool of threads (chapter 3's par_map). Returns how many.
#[pyfunction]
fn write_images(
    py: Python<'_>,
    folder: PathBuf,
    count: i64,
    width: u32,
    height: u32,
    threads: i64,
) -> PyResult<usize> {
    let images = checks::count("count", count, 0)?;
    let pool = pool(threads)?;
    let size = ImageSize::new(width, height);
    let written = py.detach(|| {
        std::fs::create_dir_all(&folder)?;
        thread_pool_map::par_map(&pool, &folder, size, images).map_err(std::io::Error::other)
    });
    written
        .map(|paths| paths.len())
        .map_err(|e| PyOSError::new_err(format!("cannot write the images: {e}")))
}

// ANCHOR: fill_plain
/// fill_plain(array, threads): the first version, correct for a good array. The argument's
/// type does the checking (a float64 array of 2 dimensions, or a TypeError), `as_slice_mut`
/// refuses an array that is not one run of memory. `fill` is the hardened one.
#[pyfunction]
fn fill_plain(
    py: Python<'_>,
    mut array: PyReadwriteArray2<'_, f64>,
    threads: usize,
) -> PyResult<()> {
    let shape = Shape {
        rows: array.shape()[0],
        cols: array.shape()[1],
    };
    let cells = array.as_slice_mut()?;
    let pool = thread_pool_map::thread_pool(threads)
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    py.detach(|| fill_rayon(&pool, cells, shape, 64, &plain_cell));
    Ok(())
}
// ANCHOR_END: fill_plain

// ANCHOR: fill
/// fill(array, threads, band=64, release_gil=True): fill a C-contiguous float64 NumPy array of
/// shape (rows, columns) in place, by bands of rows on a pool of threads (chapter 6); row 12,
/// column 345 gets 12.000345. No copy: Rust writes into the array's own memory.
#[pyfunction]
#[pyo3(signature = (array, threads, band=64, release_gil=true))]
fn fill(array: &Bound<'_, PyAny>, threads: i64, band: i64, release_gil: bool) -> PyResult<()> {
    let typed = checks::array::<f64>(array, 2, "(rows, columns)", true)?;
    let (rows, cols) = (typed.shape()[0], typed.shape()[1]);
    let (band, pool) = (count("band", band, 1)?.min(rows.max(1)), pool(threads)?);
    let shape = match rows * cols {
        0 => None, // nothing to fill
        _ => Some(Shape::new(rows, cols, 0, 0).map_err(|e| PyValueError::new_err(e.to_string()))?),
    };
    let mut view = typed.cast::<numpy::PyArray2<f64>>()?.try_readwrite()?;
    let _frozen = Frozen::new(array)?; // Python threads cannot write it while Rust does
    let cells = view.as_slice_mut()?;
    compute(array.py(), release_gil, || {
        if let Some(shape) = shape {
            fill_rayon(&pool, cells, shape, band, &plain_cell);
        }
    });
    Ok(())
}
// ANCHOR_END: fill

/// noise_images(count, width, height): noise images 0..count as one uint8 array of shape
/// (count, height, width), the same pixels the PNG files hold.
#[pyfunction]
fn noise_images(
    py: Python<'_>,
    count: i64,
    width: u32,
    height: u32,
) -> PyResult<Bound<'_, PyArray3<u8>>> {
    let images = checks::count("count", count, 0)?;
    let size = ImageSize::new(width, height);
    let pool = pool(2)?;
    let pixels = py.detach(|| shared_state::noise_images_on(&pool, images, size));
    let shape = [images, height as usize, width as usize];
    PyArray1::from_vec(py, pixels).reshape(shape)
}

// ANCHOR: histogram
/// histogram(pixels, threads, release_gil=True): how often each value 0-255 occurs in a
/// C-contiguous uint8 array of shape (images, height, width), counted image by image on a pool
/// of threads (chapter 7's fold and reduce). Returns 256 counts as a uint64 array.
#[pyfunction]
#[pyo3(signature = (pixels, threads, release_gil=true))]
fn histogram<'py>(
    pixels: &Bound<'py, PyAny>,
    threads: i64,
    release_gil: bool,
) -> PyResult<Bound<'py, PyArray1<u64>>> {
    let typed = checks::array::<u8>(pixels, 3, "(images, height, width)", false)?;
    let pool = pool(threads)?;
    let image_bytes = typed.shape()[1] * typed.shape()[2];
    let view = typed.cast::<PyArray3<u8>>()?.try_readonly()?;
    let _frozen = Frozen::new(pixels)?;
    let bytes = view.as_slice()?;
    let counts = compute(pixels.py(), release_gil, || {
        shared_state::reduce::fold_reduce(&pool, bytes, image_bytes)
    });
    Ok(PyArray1::from_slice(pixels.py(), &counts))
}
// ANCHOR_END: histogram

/// panic_in_pool(threads): one task on the pool panics, with the GIL released. Python gets a
/// pyo3_runtime.PanicException (a BaseException: `except Exception` does not catch it).
#[pyfunction]
fn panic_in_pool(py: Python<'_>, threads: i64) -> PyResult<()> {
    use rayon::prelude::*;
    let pool = pool(threads)?;
    py.detach(|| {
        pool.install(|| {
            (0..100).into_par_iter().for_each(|i| {
                assert!(i != 42, "task {i} failed on purpose");
            })
        })
    });
    Ok(())
}

#[pymodule]
fn workbook_rust(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(write_images, module)?)?;
    module.add_function(wrap_pyfunction!(fill_plain, module)?)?;
    module.add_function(wrap_pyfunction!(fill, module)?)?;
    module.add_function(wrap_pyfunction!(noise_images, module)?)?;
    module.add_function(wrap_pyfunction!(histogram, module)?)?;
    module.add_function(wrap_pyfunction!(panic_in_pool, module)?)?;
    Ok(())
}
