"""What crossing from Python into the Rust module costs: a call that does almost nothing, a
fill straight into the caller's array (a view), and the same fill when the data must first
be converted into a float64 array and copied back (a copy). Prints a Markdown table."""

import statistics
import time

import numpy as np
import workbook_rust

from workload import arguments


def median_seconds(action, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def through_a_copy(single, threads):
    """float32 data: convert to a fresh float64 array, fill that, convert back."""
    converted = single.astype(np.float64)
    workbook_rust.fill(converted, threads)
    single[:] = converted


if __name__ == "__main__":
    args = arguments(__doc__, rows=4096, cols=8192, runs=7)
    threads = args.processes
    array = np.zeros((args.rows, args.cols))
    array[:] = 0.0  # its pages made, as in rust_fill.py
    single = np.zeros((args.rows, args.cols), np.float32)
    single[:] = 0.0
    tiny = np.zeros((1, 1))
    rows = [
        ("a call on a 1 x 1 array (checks, a pool of threads started and stopped)",
         median_seconds(lambda: workbook_rust.fill(tiny, threads), 100 * args.runs)),
        (f"the fill, {args.rows} x {args.cols} float64, Rust writing the caller's array (a view)",
         median_seconds(lambda: workbook_rust.fill(array, threads), args.runs)),
        ("the same fill of float32 data: converted to float64, filled, converted back (a copy)",
         median_seconds(lambda: through_a_copy(single, threads), args.runs)),
    ]
    print(f"| crossing the boundary, {threads} threads | median |")
    print("|---|---|")
    for name, seconds in rows:
        shown = f"{seconds * 1e6:.0f} us" if seconds < 1e-3 else f"{seconds * 1e3:.1f} ms"
        print(f"| {name} | {shown} |")
