"""The images read back into one shared array: a RawArray of bytes, handed to each worker by
the pool's initializer, each worker decoding its files into its own slots."""

from multiprocessing import Pool, RawArray

import cv2
import numpy as np

from workload import arguments, image_path

shared = None  # this worker's view of the shared array, set once by the initializer


def attach(raw, shape):
    global shared
    shared = np.frombuffer(raw, dtype=np.uint8).reshape(shape)


def read_one(folder, index):
    shared[index] = cv2.imread(image_path(folder, index), cv2.IMREAD_GRAYSCALE)


if __name__ == "__main__":
    args = arguments(__doc__, count=10000, width=100, height=100, out="noise-images")
    shape = (args.count, args.height, args.width)
    raw = RawArray("B", args.count * args.height * args.width)
    with Pool(args.processes, initializer=attach, initargs=(raw, shape)) as pool:
        pool.starmap(read_one, [(args.out, index) for index in range(args.count)])
    pixels = np.frombuffer(raw, dtype=np.uint8)
    print(f"result: {int(pixels.sum(dtype=np.uint64))}")
