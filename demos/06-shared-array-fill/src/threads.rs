//! Threads filling one array: every strategy hands each worker a `&mut` to its own part,
//! so they all write at once with no lock and no `unsafe`.
#![forbid(unsafe_code)]

use rayon::prelude::*;

use crate::cells::{Shape, fill_rows};

/// Rows per band when `rows` are cut into (at most) `workers` bands.
pub fn band_rows(rows: usize, workers: usize) -> usize {
    rows.div_ceil(workers.max(1)).max(1)
}

// ANCHOR: serial
/// The reference: one thread, row after row.
pub fn fill_serial(cells: &mut [f64], shape: Shape, cell: &impl Fn(usize, usize) -> f64) {
    fill_rows(cells, 0, shape.cols, cell);
}
// ANCHOR_END: serial

// ANCHOR: rayon_bands
/// rayon: cut the array into bands of `band` rows and let the pool's workers take them.
pub fn fill_rayon(
    pool: &rayon::ThreadPool,
    cells: &mut [f64],
    shape: Shape,
    band: usize,
    cell: &(impl Fn(usize, usize) -> f64 + Sync),
) {
    pool.install(|| {
        cells
            .par_chunks_mut(band * shape.cols)
            .enumerate()
            .for_each(|(index, rows)| fill_rows(rows, index * band, shape.cols, cell));
    });
}
// ANCHOR_END: rayon_bands

// ANCHOR: scoped
/// Plain threads: one band per worker, each thread borrowing its band for the scope.
pub fn fill_scoped(
    cells: &mut [f64],
    shape: Shape,
    workers: usize,
    cell: &(impl Fn(usize, usize) -> f64 + Sync),
) {
    let band = band_rows(shape.rows, workers);
    std::thread::scope(|scope| {
        for (index, rows) in cells.chunks_mut(band * shape.cols).enumerate() {
            scope.spawn(move || fill_rows(rows, index * band, shape.cols, cell));
        }
    }); // every thread has finished here, so the borrows of `cells` have ended
}
// ANCHOR_END: scoped

// ANCHOR: tiles
/// A 2-D window: rows `first_row..` and columns `first_col..` of the array. It holds one
/// `&mut` piece of each row it covers, so no other tile can reach its cells.
pub struct Tile<'a> {
    pub first_row: usize,
    pub first_col: usize,
    pub rows: Vec<&'a mut [f64]>,
}

/// Cut the array into tiles of `tile_rows` x `tile_cols`: first into bands of rows, then each
/// row of a band into pieces, one per tile of that band.
pub fn tiles(cells: &mut [f64], shape: Shape, tile_rows: usize, tile_cols: usize) -> Vec<Tile<'_>> {
    let mut tiles = Vec::new();
    for (band_index, band) in cells.chunks_mut(tile_rows * shape.cols).enumerate() {
        let first_tile = tiles.len();
        for first_col in (0..shape.cols).step_by(tile_cols) {
            let first_row = band_index * tile_rows;
            let rows = Vec::with_capacity(tile_rows);
            tiles.push(Tile {
                first_row,
                first_col,
                rows,
            });
        }
        for row in band.chunks_mut(shape.cols) {
            let mut rest = row;
            for tile in &mut tiles[first_tile..] {
                let width = tile_cols.min(rest.len());
                let (piece, after) = std::mem::take(&mut rest).split_at_mut(width);
                tile.rows.push(piece);
                rest = after;
            }
        }
    }
    tiles
}

/// rayon over tiles: each worker fills whole tiles, cell by cell.
pub fn fill_tiles(
    pool: &rayon::ThreadPool,
    cells: &mut [f64],
    shape: Shape,
    (tile_rows, tile_cols): (usize, usize),
    cell: &(impl Fn(usize, usize) -> f64 + Sync),
) {
    let tiles = tiles(cells, shape, tile_rows, tile_cols);
    pool.install(|| {
        tiles.into_par_iter().for_each(|tile| {
            for (offset, row) in tile.rows.into_iter().enumerate() {
                for (col, value) in row.iter_mut().enumerate() {
                    *value = cell(tile.first_row + offset, tile.first_col + col);
                }
            }
        });
    });
}
// ANCHOR_END: tiles

/// The bandwidth reference: every worker writes one constant into its band, the least work
/// a fill can do. `slice::fill` is as fast a loop of stores as the compiler can make.
pub fn fill_constant(pool: &rayon::ThreadPool, cells: &mut [f64], shape: Shape, value: f64) {
    let band = band_rows(shape.rows, pool.current_num_threads()) * shape.cols;
    pool.install(|| cells.par_chunks_mut(band).for_each(|part| part.fill(value)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cover_every_cell_once() {
        let shape = Shape { rows: 5, cols: 7 };
        let mut cells = vec![0.0; shape.cells()];
        let tiles = tiles(&mut cells, shape, 2, 3);
        assert_eq!(tiles.len(), 3 * 3, "3 bands of rows, 3 tiles across");
        let widths: Vec<usize> = tiles[..3].iter().map(|t| t.rows[0].len()).collect();
        assert_eq!(widths, [3, 3, 1]);
        assert_eq!(tiles[8].rows.len(), 1, "the last band has one row");
        let covered: usize = tiles.iter().flat_map(|t| &t.rows).map(|r| r.len()).sum();
        assert_eq!(covered, shape.cells());
    }

    #[test]
    fn bands_cover_all_rows() {
        assert_eq!(band_rows(10, 3), 4);
        assert_eq!(band_rows(2, 7), 1);
        assert_eq!(band_rows(8, 0), 8);
    }
}
