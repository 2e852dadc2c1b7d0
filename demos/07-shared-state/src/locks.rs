//! One histogram behind one `Mutex`: every worker takes the lock for each increment, or for
//! each whole image.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

use rayon::ThreadPool;
use rayon::prelude::*;

use crate::{Histogram, SharedError, count_into};

// ANCHOR: mutex_per_increment
/// Every pixel locks the one histogram, adds one, and unlocks: the workers take turns.
pub fn mutex_per_increment(pool: &ThreadPool, pixels: &[u8]) -> Histogram {
    let shared = Mutex::new([0; 256]);
    pool.install(|| {
        pixels.par_iter().for_each(|&value| {
            shared.lock().unwrap()[usize::from(value)] += 1;
        });
    });
    shared.into_inner().unwrap()
}
// ANCHOR_END: mutex_per_increment

// ANCHOR: mutex_per_image
/// Each image locks the histogram once and counts all its pixels while it holds the lock:
/// far fewer locks, and no parallelism left at all.
pub fn mutex_per_image(pool: &ThreadPool, pixels: &[u8], image_bytes: usize) -> Histogram {
    let shared = Mutex::new([0; 256]);
    let images = pixels.par_chunks(image_bytes.max(1)).enumerate();
    pool.install(|| {
        images.for_each(|(i, image)| {
            let mut histogram = shared.lock().unwrap();
            let _span = workload::timeline::item(i); // --timeline's bar: while it holds the lock
            count_into(&mut histogram, image);
        });
    });
    shared.into_inner().unwrap()
}
// ANCHOR_END: mutex_per_image

/// The panic `--panic-in-lock` raises; the demo reports it in its one error line instead.
pub const DELIBERATE_PANIC: &str = "deliberate panic inside the locked section";

// ANCHOR: mutex_checked
/// [`mutex_per_increment`] that survives a panicking worker: the panic (raised on purpose
/// at pixel `panic_at`, the demo's `--panic-in-lock`) poisons the lock, the other workers
/// stop at the poisoned lock instead of unwrapping it, and the caller gets an error.
pub fn mutex_per_increment_checked(
    pool: &ThreadPool,
    pixels: &[u8],
    panic_at: Option<usize>,
) -> Result<Histogram, SharedError> {
    let shared = Mutex::new([0; 256]);
    let counted = catch_unwind(AssertUnwindSafe(|| {
        pool.install(|| {
            pixels.par_iter().enumerate().try_for_each(|(i, &value)| {
                let mut histogram = shared.lock().map_err(|_| ())?;
                if panic_at == Some(i) {
                    panic!("{DELIBERATE_PANIC}");
                }
                histogram[usize::from(value)] += 1;
                Ok(())
            })
        })
    }));
    let poisoned = |why: String| SharedError::Poisoned(why);
    match counted {
        Err(payload) => Err(poisoned(panic_text(payload.as_ref()))),
        Ok(Err(())) => Err(poisoned("a worker met the poisoned lock".into())),
        Ok(Ok(())) => shared
            .into_inner()
            .map_err(|_| poisoned("after the run".into())),
    }
}
// ANCHOR_END: mutex_checked

/// The text a panic was raised with.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload.downcast_ref::<String>().map(String::as_str);
    let text = text.or_else(|| payload.downcast_ref::<&str>().copied());
    text.unwrap_or("a panic without a message").to_owned()
}

/// The default panic hook prints every panic with its place in the source; the panic that
/// `--panic-in-lock` asks for is reported in the demo's one error line instead. Any other panic
/// still prints as usual.
pub fn quiet_deliberate_panic() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if panic_text(info.payload()) != DELIBERATE_PANIC {
            default(info);
        }
    }));
}
