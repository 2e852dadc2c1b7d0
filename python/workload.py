"""The work the recipes share, the same as the Rust crate `workload` computes, so that each
recipe and its Rust chapter make identical numbers and pixels."""

import argparse
import os

import numpy as np

_GAMMA = np.uint64(0x9E3779B97F4A7C15)


def _mix(z):
    """SplitMix64's output function, on a whole array of states at once (uint64 wraps)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def noise_pixels(index, width, height):
    """Noise image `index`: SplitMix64 seeded with the index, its numbers' bytes in order."""
    steps = np.arange(1, (width * height + 7) // 8 + 1, dtype=np.uint64)
    words = _mix(np.uint64(index) + steps * _GAMMA)
    return words.view(np.uint8)[: width * height].reshape(height, width)


def image_path(folder, index):
    return os.path.join(folder, f"noise-{index:05d}.png")


def heavy_row(row, cols, rounds):
    """One row of the heavy grid: `rounds` rounds of xorshift64 on every cell, then the
    wrapping sum of the row's cells."""
    seed = (np.uint64(row) << np.uint64(32)) ^ np.arange(cols, dtype=np.uint64)
    x = _mix(seed + _GAMMA) | np.uint64(1)
    for _ in range(rounds):
        x ^= x << np.uint64(13)
        x ^= x >> np.uint64(7)
        x ^= x << np.uint64(17)
    return int(x.sum(dtype=np.uint64))


def fill_band(view, first_row):
    """The plain fill's cells for the rows of `view`: row 12, column 345 holds 12.000345."""
    rows = np.arange(first_row, first_row + view.shape[0], dtype=np.float64)
    cols = np.arange(view.shape[1], dtype=np.float64)
    view[:] = rows[:, None] + cols[None, :] * 1e-6


def digest(array):
    """The wrapping sum of the cells' bits: equal arrays give equal digests in any order."""
    return int(array.reshape(-1).view(np.uint64).sum(dtype=np.uint64))


def arguments(description, **defaults):
    """The flags every recipe shares, named as in the Rust demos."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--processes", type=int, default=os.cpu_count(),
                        help="worker processes (1: no pool, the plain loop)")
    for name, value in defaults.items():
        kind = type(value) if value is not None else str
        parser.add_argument(f"--{name}", type=kind, default=value, help=f"default {value}")
    args = parser.parse_args()
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    return args


def histogram_digest(counts):
    """The 256 counts folded into one number (FNV-style, wrapping at 64 bits), printed by the
    histogram recipes so that two histograms compare in one line."""
    digest = 0
    for count in counts:
        digest = (digest * 0x100000001B3 + int(count)) & 0xFFFFFFFFFFFFFFFF
    return digest
