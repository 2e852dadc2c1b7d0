"""The same fill on a Pool: the initializer maps the shared array into each worker once, in a
global, and every task then names only the band of rows it fills."""

import time
from multiprocessing import Pool
from multiprocessing.sharedctypes import RawArray

import numpy as np

from workload import arguments, digest, fill_band

shared = None  # this worker's view of the shared array, set once by the initializer


def attach(raw, rows, cols):
    global shared
    shared = np.frombuffer(raw, dtype=np.float64).reshape(rows, cols)


def fill(first_row, last_row):
    fill_band(shared[first_row:last_row], first_row)


if __name__ == "__main__":
    args = arguments(__doc__, rows=4096, cols=8192, band=64)
    raw = RawArray("d", args.rows * args.cols)
    bands = [(first, min(first + args.band, args.rows)) for first in range(0, args.rows, args.band)]
    start = time.perf_counter()  # the fill's own time, as rust_fill.py takes it
    with Pool(args.processes, initializer=attach, initargs=(raw, args.rows, args.cols)) as pool:
        pool.starmap(fill, bands)
    print(f"seconds: {time.perf_counter() - start:.6f}")
    print(f"result: {digest(np.frombuffer(raw, dtype=np.float64))}")
