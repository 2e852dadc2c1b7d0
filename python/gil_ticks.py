"""A Python thread counts beside one call to the Rust module: the histogram of the noise
images, with the GIL released and then holding it. Prints a Markdown table: the ticks the
thread managed during each call, against the thread alone for as long."""

import threading
import time

import workbook_rust

from workload import arguments


class Ticker:
    """A thread adding one to a counter as fast as the GIL lets it, noting the time of every
    thousandth tick, so that the ticks inside a window of time can be counted afterwards."""

    EVERY = 1000

    def __init__(self):
        self.stamps, self.stop = [], False
        self.thread = threading.Thread(target=self.run)
        self.thread.start()

    def run(self):
        ticks = 0
        while not self.stop:
            ticks += 1
            if ticks % self.EVERY == 0:
                self.stamps.append(time.perf_counter())

    def during(self, action):
        """The ticks and seconds from just before `action` starts to just after it ends, and the
        longest the thread went without a tick from the start. (The ticks include a few the
        thread makes after the call, before the caller gets the GIL back.)"""
        start = time.perf_counter()
        action()
        end = time.perf_counter()
        stamps = [stamp for stamp in self.stamps[-100000:] if stamp >= start]
        inside = sum(1 for stamp in stamps if stamp <= end)
        gaps = (later - earlier for earlier, later in zip([start] + stamps, stamps))
        return inside * self.EVERY, end - start, max(gaps, default=end - start)

    def close(self):
        self.stop = True
        self.thread.join()


if __name__ == "__main__":
    args = arguments(__doc__, count=10000, width=100, height=100, runs=5)
    pixels = workbook_rust.noise_images(args.count, args.width, args.height)
    threads = args.processes
    ticker = Ticker()
    rows = {"GIL released (`py.detach`)": [], "GIL held for the call": [], "the thread alone": []}
    try:
        for _ in range(args.runs):
            for name, release in (("GIL released (`py.detach`)", True), ("GIL held for the call", False)):
                call = lambda: workbook_rust.histogram(pixels, threads, release_gil=release)
                rows[name].append(ticker.during(call))
            alone = max(seconds for _, seconds, _ in rows["GIL released (`py.detach`)"])
            rows["the thread alone"].append(ticker.during(lambda: time.sleep(alone)))
    finally:
        ticker.close()
    print(f"| one histogram call, {args.count} images, {threads} threads | seconds, median "
          "| ticks of the Python thread, median | its longest pause, median |")
    print("|---|---|---|---|")
    for name, runs in rows.items():
        ticks, seconds, pause = (sorted(column)[len(runs) // 2] for column in zip(*runs))
        print(f"| {name} | {seconds:.3f} | {ticks:,} | {pause * 1000:.1f} ms |")
