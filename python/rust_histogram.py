"""histogram.py's work done by calling Rust: the images' pixels in one NumPy array, counted
by one call on a pool of threads (chapter 7's fold and reduce); 256 counts come back."""

import time

import workbook_rust

from workload import arguments, histogram_digest

if __name__ == "__main__":
    args = arguments(__doc__, count=10000, width=100, height=100)
    pixels = workbook_rust.noise_images(args.count, args.width, args.height)
    start = time.perf_counter()
    counts = workbook_rust.histogram(pixels, args.processes)
    print(f"seconds: {time.perf_counter() - start:.6f}")
    print(f"result: {histogram_digest(counts)}")
