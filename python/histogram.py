"""The pixel histogram of the noise images on a Pool: each task counts one image's pixels
with np.bincount, and the parent adds the 256 counts up."""

import functools
from multiprocessing import Pool

import numpy as np

from workload import arguments, histogram_digest, noise_pixels


def count_image(width, height, index):
    return np.bincount(noise_pixels(index, width, height).reshape(-1), minlength=256)


if __name__ == "__main__":
    args = arguments(__doc__, count=10000, width=100, height=100)
    count = functools.partial(count_image, args.width, args.height)
    with Pool(args.processes) as pool:
        parts = pool.map(count, range(args.count), chunksize=max(1, args.count // (4 * args.processes)))
    counts = np.sum(parts, axis=0, dtype=np.uint64) if parts else np.zeros(256, np.uint64)
    print(f"result: {histogram_digest(counts)}")
