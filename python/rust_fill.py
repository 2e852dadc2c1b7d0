"""pool_initializer.py's work done by calling Rust: NumPy makes the array, one call fills it
in place by bands of rows on a pool of threads (chapter 6); no copy, no process, no pickle."""

import time

import numpy as np
import workbook_rust

from workload import arguments, digest

if __name__ == "__main__":
    args = arguments(__doc__, rows=4096, cols=8192, band=64)
    array = np.zeros((args.rows, args.cols))
    array[:] = 0.0  # make its pages now, as RawArray's zeroing does before the recipe's timer
    start = time.perf_counter()
    workbook_rust.fill(array, args.processes, band=args.band)
    print(f"seconds: {time.perf_counter() - start:.6f}")
    print(f"result: {digest(array)}")
