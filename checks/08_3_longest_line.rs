//! Exercise 8.3's tests: `cargo xtask exercise 8.3` runs them on your
//! `exercises/08_3_longest_line.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/08_3_longest_line.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/08_3_longest_line.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::longest_line;
use thread_pool_map::thread_pool;

const THREADS: [usize; 4] = [1, 2, 3, 7];

#[test]
fn the_longest_line_is_the_first_of_the_longest() {
    let text = "ab\nabcd\n\nwxyz\nabc";
    for threads in THREADS {
        let got = thread_pool(threads).unwrap().install(|| longest_line(text));
        assert_eq!(got, Some((1, 4)), "(line, length) on {threads} threads");
    }
}

#[test]
fn no_line_one_line_and_lengths_in_characters() {
    assert_eq!(longest_line(""), None, "a text without lines");
    assert_eq!(longest_line("\n"), Some((0, 0)), "one empty line");
    assert_eq!(
        longest_line("é"),
        Some((0, 1)),
        "one character of two bytes"
    );
    assert_eq!(
        longest_line("éé\nabc"),
        Some((1, 3)),
        "characters, not bytes"
    );
}

#[test]
fn many_lines_give_the_serial_answer_on_every_pool() {
    // 10007 lines (a prime) of 0 to 96 characters, `é` (two bytes) on odd lines; the longest
    // length comes back many times.
    let lengths: Vec<usize> = (0..10_007).map(|i| i * 7919 % 97).collect();
    let text: String = lengths
        .iter()
        .enumerate()
        .map(|(i, &len)| {
            let c = if i % 2 == 0 { "a" } else { "é" };
            c.repeat(len) + "\n"
        })
        .collect();
    let longest = *lengths.iter().max().unwrap();
    let first = lengths.iter().position(|&len| len == longest).unwrap();
    let expected = Some((first, longest));
    for threads in THREADS {
        let got = thread_pool(threads)
            .unwrap()
            .install(|| longest_line(&text));
        assert_eq!(got, expected, "(line, length) on {threads} threads");
    }
}
