//! Exercise 12.1, solved: rows dealt out like cards, and put back in order.

// ANCHOR: dealt_rows
/// Deal the rows out like cards, row r to rank r % ranks, so that a skewed grid's expensive
/// rows are spread over every rank. These are the rows of `rank`.
pub fn dealt_rows(total: usize, ranks: usize, rank: usize) -> impl Iterator<Item = usize> {
    (rank..total).step_by(ranks)
}

/// A varcount gather puts rank 0's rows first, then rank 1's, and so on. Put them back in
/// row order: row r is the (r / ranks)-th row of rank r % ranks.
pub fn undeal<T: Copy>(gathered: &[T], ranks: usize) -> Vec<T> {
    let shares: Vec<usize> = (0..ranks)
        .map(|rank| dealt_rows(gathered.len(), ranks, rank).count())
        .collect();
    let starts: Vec<usize> = shares
        .iter()
        .scan(0, |next, &n| Some(std::mem::replace(next, *next + n)))
        .collect();
    (0..gathered.len())
        .map(|row| gathered[starts[row % ranks] + row / ranks])
        .collect()
}
// ANCHOR_END: dealt_rows
