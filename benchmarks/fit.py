"""``warmcos.fit`` on long curves: the median time to read a 100,000-step log back.

Prints, for several 100,000-step curves recorded as Python floats (float64) and as a float32
NumPy array, the median seconds ``warmcos.fit`` takes and what it found (the phases, the
largest difference). The issue's target: under a second for 100,000 steps. Then the same
for a 10,000,000-step warmup + cosine as a float64 NumPy array (``--big N``), with the peak
memory ``fit`` allocates (tracemalloc, which NumPy reports to): the curve is read in blocks,
never copied nor made a list.

Run: ``.venv/bin/python benchmarks/fit.py`` (``--repeats N``, ``--steps N``, ``--big N``).
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np

import _common
import warmcos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=10_000_000)
    args = parser.parse_args()
    n = args.steps
    curves = {
        "warmup + cosine": warmcos.Schedule(0.1, n, warmup_steps=n // 100),
        "WSD, linear cooldown": warmcos.Schedule(
            3e-4, n, warmup_steps=n // 50, stable_steps="70%", decay_shape="linear"
        ),
        "SGDR, 5 restarts": warmcos.Schedule(
            0.1, n, decay_shape="cosine", cycles=5, cycle_mul=2.0, final_lr=1e-4
        ),
        "step decay per epoch": warmcos.Composition(
            [warmcos.Segment(n, 0.1, 1e-4, "exponential")], every=max(1, n // 90)
        ),
    }
    print(_common.versions_line())
    print(_common.machine_line())
    print(f"{'curve':<24} {'input':<8} {'median s':>9}  {'phases':>6}  largest difference")
    for name, schedule in curves.items():
        recorded = schedule.curve(n)
        for label, values in (
            ("float64", recorded.tolist()),
            ("float32", recorded.astype(np.float32)),
        ):
            found = warmcos.fit(values)
            medians = _common.interleaved_medians(
                {"fit": lambda v=values: warmcos.fit(v)}, args.repeats
            )
            phases = len(found.schedule.describe())
            print(
                f"{name:<24} {label:<8} {medians['fit']:>9.3f}  {phases:>6}  {found.max_error:.2g}"
            )
    big(args.big, args.repeats)


def big(n: int, repeats: int) -> None:
    """The median seconds and the peak memory of fitting an ``n``-step float64 array."""
    values = warmcos.Schedule(0.1, n, warmup_steps=n // 100).curve(n)
    seconds, peaks = [], []
    for _ in range(repeats):
        tracemalloc.start()
        start = time.perf_counter()
        found = warmcos.fit(values)
        seconds.append(time.perf_counter() - start)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    print(
        f"{n:,} steps, float64 array ({values.nbytes / 2**20:.0f} MiB): median "
        f"{statistics.median(seconds):.2f} s, peak memory {statistics.median(peaks) / 2**20:.1f} "
        f"MiB, {len(found.schedule.describe())} phases, largest difference {found.max_error:.2g}"
    )


if __name__ == "__main__":
    main()
