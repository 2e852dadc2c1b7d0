"""A JoinableQueue of rows of the heavy grid: workers take the next row when free, mark each
task_done, and stop at a None, one poison pill per worker."""

from multiprocessing import JoinableQueue, Process, Queue

import numpy as np

from workload import arguments, heavy_row


def worker(tasks, results, cols, rounds):
    while (row := tasks.get()) is not None:
        results.put((row, heavy_row(row, cols, rounds)))
        tasks.task_done()
    tasks.task_done()  # the pill counts as a task too


if __name__ == "__main__":
    args = arguments(__doc__, rows=120, cols=500, iterations=2500)
    tasks, results = JoinableQueue(), Queue()
    workers = [Process(target=worker, args=(tasks, results, args.cols, args.iterations))
               for _ in range(args.processes)]
    for w in workers:
        w.start()
    for row in range(args.rows):
        tasks.put(row)
    for _ in workers:
        tasks.put(None)
    sums = dict(results.get() for _ in range(args.rows))  # drain before join: a full pipe blocks
    tasks.join()
    for w in workers:
        w.join()
    total = np.array(list(sums.values()), dtype=np.uint64).sum(dtype=np.uint64)
    print(f"result: {int(total)}")
