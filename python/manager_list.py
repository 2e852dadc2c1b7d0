"""Pool.map whose workers report into a Manager().list(): a shared list behind a proxy, where
every append is a message to the manager's process."""

import functools
import os
from multiprocessing import Manager, Pool

from images import make_image
from workload import arguments


def make_and_report(done, folder, width, height, index):
    done.append(make_image(folder, width, height, index))


if __name__ == "__main__":
    args = arguments(__doc__, count=10000, width=100, height=100, out="noise-images")
    os.makedirs(args.out, exist_ok=True)
    with Manager() as manager, Pool(args.processes) as pool:
        done = manager.list()
        pool.map(functools.partial(make_and_report, done, args.out, args.width, args.height),
                 range(args.count))
        paths = sorted(done)
    print(f"result: {len(paths)} images")
