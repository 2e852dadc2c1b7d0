//! Demo 08: inside rayon's pool. A merge sort of the noise images' pixels with `rayon::join`,
//! with and without a sequential cut-off; the heavy grid split in halves with `join_context`,
//! where idle workers steal from busy ones (marked on `--timeline`'s chart), against chapter
//! 5's static split; a task per image with `rayon::scope` against a thread per image; a plain
//! iterator fed to the pool with `par_bridge`; nested parallelism and a lock that blocks the
//! pool. Every way gives the serial answer.
#![forbid(unsafe_code)]

pub mod args;
pub mod bridge;
pub mod pool;
pub mod scoped;
pub mod sort;
pub mod steal;
pub mod tables;

pub use shared_state::noise_images;
