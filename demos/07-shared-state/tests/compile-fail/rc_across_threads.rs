// Exercise 7.1: hand an `Rc` to another thread. The compiler says no.
use std::rc::Rc;
use std::thread;

fn main() {
    let pixels: Rc<Vec<u8>> = Rc::new(vec![7; 1000]);
    let mine = Rc::clone(&pixels);
    let worker = thread::spawn(move || mine.len());
    println!("{} of {}", worker.join().unwrap(), pixels.len());
}
