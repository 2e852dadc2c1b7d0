//! The results the recipes print, computed on the workers.

use rayon::prelude::*;

// The checks below read every byte the recipe made, which costs about as much as making them:
// they run on the workers too, a piece per task, in loops the compiler vectorises.

/// Bytes or cells per task of a check.
const PIECE: usize = 1 << 16;

/// The sum of all the pixels, as `read_into_array.py` prints it. Bytes added straight into a
/// `u64` compile to one byte per step; added into a `u16` per 256 bytes (255 x 256 still
/// fits), to eight or more per step.
pub fn pixel_sum(pool: &rayon::ThreadPool, pixels: &[u8]) -> u64 {
    let run = |bytes: &[u8]| u64::from(bytes.iter().map(|&p| u16::from(p)).sum::<u16>());
    pool.install(|| {
        pixels
            .par_chunks(PIECE)
            .map(|piece| piece.chunks(256).map(run).sum::<u64>())
            .sum()
    })
}

/// The wrapping sum of the cells' bits, as `python/workload.py` computes it.
pub fn digest(pool: &rayon::ThreadPool, cells: &[f64]) -> u64 {
    let piece = |cells: &[f64]| cells.iter().fold(0, |sum, x| x.to_bits().wrapping_add(sum));
    pool.install(|| {
        cells
            .par_chunks(PIECE)
            .map(piece)
            .reduce(|| 0, u64::wrapping_add)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use thread_pool_map::thread_pool;

    #[test]
    fn the_checks_in_pieces_equal_the_plain_sums() {
        let pool = thread_pool(2).unwrap();
        // Not a whole number of pieces or of 256-byte runs, and every byte 255 in places.
        let pixels: Vec<u8> = (0..3 * PIECE + 1000)
            .map(|i| {
                if i % 7 == 0 {
                    255
                } else {
                    (i * 31 % 256) as u8
                }
            })
            .collect();
        let plain: u64 = pixels.iter().map(|&p| u64::from(p)).sum();
        assert_eq!(pixel_sum(&pool, &pixels), plain);
        assert_eq!(pixel_sum(&pool, &[255; 256]), 255 * 256);
        let cells: Vec<f64> = (0..PIECE + 77).map(|i| i as f64 * 1e300).collect();
        let plain = cells
            .iter()
            .fold(0u64, |sum, x| sum.wrapping_add(x.to_bits()));
        assert_eq!(digest(&pool, &cells), plain);
    }
}
