//! Exercise 7.3, solved: two locks, no deadlock.

use std::sync::Mutex;

use shared_state::Histogram;

// ANCHOR: lock_order
/// Move bin `value`'s count from one locked histogram to another. Two threads moving in
/// opposite directions would each hold one lock and wait for the other's, for ever; taking
/// the two locks in one fixed order (here: by address) makes that impossible.
pub fn move_bin(from: &Mutex<Histogram>, to: &Mutex<Histogram>, value: u8) {
    if std::ptr::eq(from, to) {
        return;
    }
    let from_first = (from as *const Mutex<Histogram>) < (to as *const Mutex<Histogram>);
    let (first, second) = if from_first { (from, to) } else { (to, from) };
    let (mut first, mut second) = (first.lock().unwrap(), second.lock().unwrap());
    let (source, target) = if from_first {
        (&mut *first, &mut *second)
    } else {
        (&mut *second, &mut *first)
    };
    let bin = usize::from(value);
    target[bin] += std::mem::take(&mut source[bin]);
}
// ANCHOR_END: lock_order
