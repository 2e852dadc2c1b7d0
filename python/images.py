"""The loop, and then Pool.map: noise images written as PNG files by worker processes."""

import functools
import os
from multiprocessing import Pool

import cv2

from workload import arguments, image_path, noise_pixels


def make_image(folder, width, height, index):
    """One item of work: everything it needs comes in as arguments, so any process can run it."""
    path = image_path(folder, index)
    if not cv2.imwrite(path, noise_pixels(index, width, height)):
        raise OSError(f"cannot write {path}")
    return path


if __name__ == "__main__":
    args = arguments(__doc__, count=10000, width=100, height=100, out="noise-images")
    os.makedirs(args.out, exist_ok=True)
    make = functools.partial(make_image, args.out, args.width, args.height)
    if args.processes == 1:
        paths = [make(index) for index in range(args.count)]
    else:
        with Pool(args.processes) as pool:
            paths = pool.map(make, range(args.count))
    print(f"result: {len(paths)} images")
