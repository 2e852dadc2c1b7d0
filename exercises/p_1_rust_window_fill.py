"""Exercise P.1: window_fill.py through the Rust module.

python/window_fill.py fills a rows x cols array of doubles with one band of rows per worker
process. Do the same work with one call to the Rust module: allocate the array with NumPy and
let `workbook_rust.fill(array, threads, band=...)` fill it in place, one band of rows per
thread, cut as window_fill.py cuts them. Then print `result:` and the array's digest, as
window_fill.py does: the two must print the same line at any size and worker count.

Check: `cargo xtask exercise P.1` (it runs this file with target/python-venv's python and
python/ on PYTHONPATH, where workload.py is). By hand, from the repository root:
PYTHONPATH=python target/python-venv/bin/python exercises/p_1_rust_window_fill.py --rows 7 --cols 13 --processes 2
"""

import numpy as np
import workbook_rust

from workload import arguments, digest

if __name__ == "__main__":
    args = arguments(__doc__, rows=4096, cols=8192)
    # TODO: the array, one call to workbook_rust.fill, then the `result:` line.
    raise NotImplementedError("fill the array with workbook_rust.fill, then print its result: line")
