// Exercise 7.2: let two scoped threads count into one `RefCell`. The compiler says no.
use std::cell::RefCell;
use std::thread;

fn main() {
    let histogram = RefCell::new([0u64; 256]);
    thread::scope(|scope| {
        for part in [&[1u8, 2][..], &[2, 3]] {
            let histogram = &histogram;
            scope.spawn(move || {
                for &value in part {
                    histogram.borrow_mut()[usize::from(value)] += 1;
                }
            });
        }
    });
    println!("{:?}", &histogram.borrow()[..4]);
}
