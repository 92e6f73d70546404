"""Whole-curve NumPy evaluation: warmcos vs one ``np.cos`` pass and a Python loop.

Prints, for a 10M-step schedule, the median time of ``Schedule`` evaluation over
``np.arange(10_000_000)`` as a ratio to one ``np.cos`` pass over a 10M float64 array (the
SPEC §5 target is <= 1.5x), and the per-step cost of a Python loop over the scalar function.

Run: ``.venv/bin/python benchmarks/numpy_curve.py`` (``--repeats N`` to change the repeats).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from typing import TYPE_CHECKING

import numpy as np

import warmcos

if TYPE_CHECKING:
    from collections.abc import Callable

N = 10_000_000


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm up (page faults, caches, lazy imports)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    schedule = warmcos.Schedule(
        peak_lr=0.1, total_steps=N, warmup_steps=N // 100, warmup_start_lr=0.01, final_lr=1e-4
    )
    steps = np.arange(N, dtype=np.int64)
    x = steps * (np.pi / N)  # a float64 array of the same size for the np.cos baseline

    loop_n = 200_000
    timings = {
        "np.cos over 10M float64 (baseline)": median_seconds(lambda: np.cos(x), args.repeats),
        "Schedule(np.arange(10M))": median_seconds(lambda: schedule(steps), args.repeats),
        "Schedule.curve(10M)": median_seconds(lambda: schedule.curve(N), args.repeats),
        "reference fn on np.arange(10M)": median_seconds(
            lambda: warmcos.cosine_learning_rate_with_linear_warmup(steps, 0.1, 0.01, N // 100, N),
            args.repeats,
        ),
    }
    loop = median_seconds(lambda: [schedule(s) for s in range(loop_n)], 3) * (N / loop_n)
    timings[f"Python loop of schedule(int) (extrapolated from {loop_n:,})"] = loop

    base = timings["np.cos over 10M float64 (baseline)"]
    print(
        f"warmcos {warmcos.__version__}, numpy {np.__version__}, Python {platform.python_version()}"
    )
    print(f"{platform.machine()} {platform.processor() or ''}; median of {args.repeats} runs")
    print(f"{'what':64} {'median ms':>10} {'vs np.cos':>10}")
    for name, seconds in timings.items():
        print(f"{name:64} {seconds * 1e3:10.1f} {seconds / base:9.2f}x")


if __name__ == "__main__":
    main()
