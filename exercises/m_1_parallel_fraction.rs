//! Exercise M.1: Amdahl backwards.
//!
//! `parallel_fraction` returns the parallel fraction p that a measured `speedup` on `workers`
//! workers implies under Amdahl's law, speedup = 1 / ((1 - p) + p / workers); `amdahl`
//! predicts the speedup for p on `workers`. Use them on chapter 3's 1.92x on 2 workers: what
//! would 16 workers give, and what is the ceiling? Check: `cargo xtask exercise M.1`.

pub fn parallel_fraction(speedup: f64, workers: usize) -> f64 {
    todo!("solve Amdahl's law for p")
}

pub fn amdahl(p: f64, workers: usize) -> f64 {
    todo!("Amdahl's law")
}
