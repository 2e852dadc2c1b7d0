//! What the module asks of the arrays Python passes in, checked before any work starts so that
//! a bad argument raises one clear exception and nothing is half-written; and the guard that
//! makes an array read-only for Python while Rust works on it with the GIL released.
#![forbid(unsafe_code)]

use numpy::prelude::*;
use numpy::{Element, PyUntypedArray, dtype};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

/// A count from Python (threads, images, pixels): at least `least`, as a `usize`.
pub fn count(name: &str, value: i64, least: i64) -> PyResult<usize> {
    if value < least {
        return Err(PyValueError::new_err(format!(
            "{name} must be at least {least}, got {value}"
        )));
    }
    usize::try_from(value).map_err(|_| PyValueError::new_err(format!("{name} is too large")))
}

/// `array` as a NumPy array of `T` with `ndim` dimensions, C-contiguous (one run of memory,
/// row after row, which is what a Rust slice is), and writeable if `write`.
pub fn array<'py, T: Element>(
    array: &Bound<'py, PyAny>,
    ndim: usize,
    axes: &str,
    write: bool,
) -> PyResult<Bound<'py, PyUntypedArray>> {
    let py = array.py();
    let untyped = array.cast::<PyUntypedArray>().map_err(|_| {
        let kind = array
            .get_type()
            .name()
            .map_or("?".into(), |n| n.to_string());
        PyTypeError::new_err(format!("expected a NumPy array, got {kind}"))
    })?;
    let wanted = dtype::<T>(py);
    if !untyped.dtype().is_equiv_to(&wanted) {
        return Err(PyTypeError::new_err(format!(
            "expected an array of {wanted}, got {}; convert it with .astype(np.{wanted})",
            untyped.dtype()
        )));
    }
    if untyped.ndim() != ndim {
        return Err(PyValueError::new_err(format!(
            "expected a {ndim}-D array {axes}, got shape {:?}",
            untyped.shape()
        )));
    }
    if !untyped.is_c_contiguous() {
        return Err(PyValueError::new_err(
            "the array is not C-contiguous (a slice with a step, or a transpose): \
             pass np.ascontiguousarray(a), or fill a fresh array and copy it in",
        ));
    }
    if write && !writeable(untyped.as_any())? {
        return Err(PyValueError::new_err(
            "the array is read-only (its WRITEABLE flag is off): pass a writeable array",
        ));
    }
    Ok(untyped.clone())
}

fn writeable(array: &Bound<'_, PyAny>) -> PyResult<bool> {
    array.getattr("flags")?.getattr("writeable")?.extract()
}

// ANCHOR: frozen
/// While this guard lives, `array` is read-only to Python: with the GIL released, a Python
/// thread that writes to it gets a `ValueError` instead of racing the Rust threads. Dropping
/// the guard (on return, on an error or a panic alike) makes it writeable again.
pub struct Frozen<'py> {
    array: Bound<'py, PyAny>,
    was_writeable: bool,
}

impl<'py> Frozen<'py> {
    pub fn new(array: &Bound<'py, PyAny>) -> PyResult<Self> {
        let was_writeable = writeable(array)?;
        if was_writeable {
            array.call_method1("setflags", (false,))?;
        }
        let array = array.clone();
        Ok(Self {
            array,
            was_writeable,
        })
    }
}

impl Drop for Frozen<'_> {
    fn drop(&mut self) {
        if self.was_writeable {
            // It was writeable a moment ago, so NumPy lets it be again.
            let _ = self.array.call_method1("setflags", (true,));
        }
    }
}
// ANCHOR_END: frozen
