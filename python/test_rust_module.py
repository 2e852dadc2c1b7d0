"""Tests of the workbook_rust module against the Python recipes' own functions and against the
Rust binary (`rust-recipes`, path in $RUST_RECIPES): equal results at sizes 0, 1, odd and
larger, on 1, 2 and 7 threads; one clear exception for each bad argument, nothing written;
Python threads keep running while Rust computes, and cannot write the array it fills.
`cargo xtask python` runs it: `python test_rust_module.py` with RUST_RECIPES set."""

import os
import subprocess
import tempfile
import threading
import unittest

import cv2
import numpy as np
import workbook_rust

from workload import digest, fill_band, histogram_digest, image_path, noise_pixels

THREADS = (1, 2, 7)
SHAPES = ((0, 0), (0, 5), (5, 0), (1, 1), (7, 13), (64, 301))
COUNTS = (0, 1, 7, 40)
RUST = os.environ.get("RUST_RECIPES")


def binary(*args):
    """The Rust binary's `result:` for `args`."""
    out = subprocess.run([RUST, *map(str, args)], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1].removeprefix("result: ")


def python_fill(rows, cols):
    expected = np.zeros((rows, cols))
    fill_band(expected, 0)
    return expected


class SameResults(unittest.TestCase):
    def test_fill_equals_numpy_and_the_binary(self):
        for rows, cols in SHAPES:
            expected = python_fill(rows, cols)
            for threads in THREADS:
                array = np.zeros((rows, cols))
                workbook_rust.fill(array, threads)
                self.assertTrue(np.array_equal(array.view(np.uint64), expected.view(np.uint64)))
                self.assertTrue(array.flags.writeable)
                if RUST and rows * cols:  # the binary refuses an empty array
                    got = binary("pool-initializer", "--rows", rows, "--cols", cols, "--threads", threads)
                    self.assertEqual(got, str(digest(array)))

    def test_the_plain_fill_equals_the_hardened_one(self):
        for threads in THREADS:
            plain, hardened = np.zeros((7, 13)), np.zeros((7, 13))
            workbook_rust.fill_plain(plain, threads)
            workbook_rust.fill(hardened, threads)
            self.assertTrue(np.array_equal(plain, hardened))

    def test_any_band_gives_the_same_fill(self):
        expected = python_fill(7, 13)
        for band in (1, 2, 6, 7, 8, 2**62):
            array = np.zeros((7, 13))
            workbook_rust.fill(array, 2, band=band)
            self.assertTrue(np.array_equal(array, expected))

    def test_histogram_equals_bincount_and_the_binary(self):
        for count in COUNTS:
            pixels = workbook_rust.noise_images(count, 9, 5)
            for index in range(count):
                self.assertTrue(np.array_equal(pixels[index], noise_pixels(index, 9, 5)))
            expected = np.bincount(pixels.reshape(-1), minlength=256)
            for threads in THREADS:
                counts = workbook_rust.histogram(pixels, threads)
                self.assertEqual(counts.dtype, np.uint64)
                self.assertTrue(np.array_equal(counts, expected))
                if RUST:
                    got = binary("histogram", "--count", count, "--width", 9, "--height", 5, "--threads", threads)
                    self.assertEqual(got, str(histogram_digest(counts)))

    def test_images_equal_the_recipes_pixels_and_the_binarys_files(self):
        for count in COUNTS:
            for threads in THREADS:
                with tempfile.TemporaryDirectory() as ours, tempfile.TemporaryDirectory() as theirs:
                    self.assertEqual(workbook_rust.write_images(ours, count, 11, 3, threads), count)
                    self.assertEqual(len(os.listdir(ours)), count)
                    for index in range(count):
                        read = cv2.imread(image_path(ours, index), cv2.IMREAD_UNCHANGED)
                        self.assertTrue(np.array_equal(read, noise_pixels(index, 11, 3)))
                    if RUST:
                        binary("images", "--count", count, "--width", 11, "--height", 3,
                               "--threads", threads, "--out", theirs)
                        for index in range(count):
                            with open(image_path(ours, index), "rb") as a, open(image_path(theirs, index), "rb") as b:
                                self.assertEqual(a.read(), b.read())


class BadArguments(unittest.TestCase):
    def refused(self, error, array, *args, **kwargs):
        before = array.copy() if isinstance(array, np.ndarray) else None
        with self.assertRaises(error) as caught:
            workbook_rust.fill(array, *args, **kwargs)
        if before is not None:
            self.assertTrue(np.array_equal(array, before), "nothing may be written")
        self.assertEqual(len(str(caught.exception).splitlines()), 1)
        return str(caught.exception)

    def test_each_bad_array_gets_one_clear_exception(self):
        self.assertIn("float64", self.refused(TypeError, np.zeros((4, 4), np.float32), 2))
        self.assertIn("C-contiguous", self.refused(ValueError, np.zeros((4, 8))[:, ::2], 2))
        self.assertIn("C-contiguous", self.refused(ValueError, np.zeros((4, 8)).T, 2))
        self.assertIn("2-D", self.refused(ValueError, np.zeros((2, 3, 4)), 2))
        self.assertIn("NumPy array", self.refused(TypeError, [[0.0, 1.0]], 2))
        read_only = np.zeros((4, 4))
        read_only.setflags(write=False)
        self.assertIn("read-only", self.refused(ValueError, read_only, 2))
        self.assertIn("threads", self.refused(ValueError, np.zeros((4, 4)), 0))
        self.assertIn("band", self.refused(ValueError, np.zeros((4, 4)), 2, band=-1))
        with self.assertRaisesRegex(TypeError, "uint8"):
            workbook_rust.histogram(np.zeros((2, 3, 4)), 2)
        with self.assertRaisesRegex(ValueError, "3-D"):
            workbook_rust.histogram(np.zeros((2, 3), np.uint8), 2)

    def test_a_negative_count_is_refused_before_anything_is_written(self):
        with tempfile.TemporaryDirectory() as folder:
            with self.assertRaisesRegex(ValueError, "count must be at least 0, got -1"):
                workbook_rust.write_images(os.path.join(folder, "new"), -1, 4, 4, 2)
            self.assertEqual(os.listdir(folder), [])
        with self.assertRaisesRegex(ValueError, "count must be at least 0"):
            workbook_rust.noise_images(-3, 4, 4)

    def test_a_rust_error_is_an_exception(self):
        with tempfile.NamedTemporaryFile() as file:  # a file where the folder should be
            with self.assertRaisesRegex(OSError, "cannot write the images"):
                workbook_rust.write_images(file.name, 3, 4, 4, 2)

    def test_a_panic_on_a_worker_is_an_exception(self):
        with self.assertRaises(BaseException) as caught:
            workbook_rust.panic_in_pool(2)
        self.assertEqual(type(caught.exception).__name__, "PanicException")
        self.assertIn("task 42 failed on purpose", str(caught.exception))
        workbook_rust.fill(np.zeros((3, 3)), 2)  # and the module still works


class BesideAPythonThread(unittest.TestCase):
    """A thread beside the call. Each test repeats the call until the thread has been seen
    doing its thing during one (the first call almost always does), so no timing is assumed."""

    def beside(self, action, call):
        stop, seen = threading.Event(), []

        def loop():
            while not stop.is_set():
                action(seen)

        thread = threading.Thread(target=loop)
        thread.start()
        try:
            for _ in range(50):
                before = len(seen)
                call()
                if len(seen) > before:
                    return len(seen) - before
        finally:
            stop.set()
            thread.join()
        self.fail("the Python thread never ran during the call")

    def test_a_python_thread_keeps_ticking_while_rust_computes(self):
        pixels = workbook_rust.noise_images(200, 100, 100)
        ticks = self.beside(lambda seen: seen.append(1), lambda: workbook_rust.histogram(pixels, 2))
        self.assertGreater(ticks, 0)

    def test_python_cannot_write_the_array_rust_is_filling(self):
        array = np.zeros((512, 1024))

        def write(seen):
            try:
                array[0, 0] = -1.0
            except ValueError as error:  # "assignment destination is read-only"
                seen.append(str(error))

        self.beside(write, lambda: workbook_rust.fill(array, 2))
        self.assertTrue(array.flags.writeable, "the flag is restored after the call")
        workbook_rust.fill(array, 2)
        self.assertTrue(np.array_equal(array, python_fill(512, 1024)))


if __name__ == "__main__":
    unittest.main()
