//! Exercise 8.3, solved: the longest line, with `par_bridge`.

use std::cmp::Reverse;

use rayon::prelude::*;

// ANCHOR: lines
/// The longest line of `text` and its number (the first such line), with `par_bridge` over
/// `lines()`, which cannot be indexed. The lines arrive in any order, so the line number
/// travels with each line and breaks ties.
pub fn longest_line(text: &str) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .par_bridge()
        .map(|(number, line)| (number, line.chars().count()))
        .max_by_key(|&(number, length)| (length, Reverse(number)))
}
// ANCHOR_END: lines
