//! Two ways to let threads read the same data: borrow it in a scope, or share ownership with
//! an `Arc` when a thread may outlive the function that started it. The book's chapter 3
//! shows both listings; `cargo run --example arc_or_borrow -p thread-pool-map` runs them.
#![forbid(unsafe_code)]

use std::sync::Arc;
use std::thread;

// ANCHOR: scoped
/// Scoped threads may borrow `words`: `scope` returns only after every thread it started has
/// finished, so no thread can outlive the borrow.
fn count_scoped(words: &[String]) -> usize {
    let (front, back) = words.split_at(words.len() / 2);
    thread::scope(|s| {
        let first = s.spawn(|| front.iter().map(String::len).sum::<usize>());
        let second = s.spawn(|| back.iter().map(String::len).sum::<usize>());
        first.join().unwrap() + second.join().unwrap()
    })
}
// ANCHOR_END: scoped

// ANCHOR: arc
/// `thread::spawn` needs `'static`: the thread may run after this function returns, so it must
/// own what it reads. An `Arc` is a shared owner; each clone is one more handle to the same
/// words (a counter goes up, nothing is copied), and the last handle dropped frees them.
fn count_spawned(words: Arc<Vec<String>>) -> usize {
    let half = words.len() / 2;
    let mine = Arc::clone(&words);
    let other = thread::spawn(move || mine[..half].iter().map(String::len).sum::<usize>());
    let rest: usize = words[half..].iter().map(String::len).sum();
    other.join().unwrap() + rest
}
// ANCHOR_END: arc

fn main() {
    let words: Vec<String> = ["one", "two", "three", "four", "five"]
        .map(String::from)
        .into();
    let scoped = count_scoped(&words);
    let spawned = count_spawned(Arc::new(words));
    assert_eq!(scoped, spawned);
    println!("{scoped} letters, counted both ways");
}
