"""images.py's work done by calling Rust: one call writes every image on a pool of threads
(chapter 3's par_map), with the GIL released."""

import time

import workbook_rust

from workload import arguments

if __name__ == "__main__":
    args = arguments(__doc__, count=10000, width=100, height=100, out="noise-images")
    start = time.perf_counter()
    written = workbook_rust.write_images(args.out, args.count, args.width, args.height, args.processes)
    print(f"seconds: {time.perf_counter() - start:.6f}")
    print(f"result: {written} images")
