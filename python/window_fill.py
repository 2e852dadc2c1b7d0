"""One big 2-D array of doubles in shared memory (sharedctypes.RawArray), filled by Process
workers, each writing its own band of rows through a NumPy view."""

from multiprocessing import Process
from multiprocessing.sharedctypes import RawArray

import numpy as np

from workload import arguments, digest, fill_band


def fill(raw, rows, cols, first_row, last_row):
    view = np.frombuffer(raw, dtype=np.float64).reshape(rows, cols)
    fill_band(view[first_row:last_row], first_row)


if __name__ == "__main__":
    args = arguments(__doc__, rows=4096, cols=8192)
    raw = RawArray("d", args.rows * args.cols)  # no lock: no two workers share a row
    band = -(-args.rows // args.processes)
    workers = [Process(target=fill, args=(raw, args.rows, args.cols, first, first + band))
               for first in range(0, args.rows, band)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            raise SystemExit(f"a worker failed with exit code {worker.exitcode}")
    print(f"result: {digest(np.frombuffer(raw, dtype=np.float64))}")
