//! Exercise 8.3: the longest line, with `par_bridge`.
//!
//! Return the number (from 0) and the length (in `char`s) of the longest of `text.lines()`,
//! the first one when several are as long, or `None` for a text without lines. Feed the lines
//! to rayon's pool with `par_bridge`, which hands them out in no set order. Why must the line
//! number travel with each line? Check: `cargo xtask exercise 8.3`.

use std::cmp::Reverse;

use rayon::prelude::*;

pub fn longest_line(text: &str) -> Option<(usize, usize)> {
    todo!("number the lines, bridge them to the pool, keep the longest and the first")
}
