"""Whole-curve NumPy evaluation: warmcos vs one ``np.cos`` pass and a Python loop.

Prints, for a 10M-step schedule, the median time of ``Schedule`` evaluation over
``np.arange(10_000_000)`` as a ratio to one ``np.cos`` pass over a 10M float64 array (the
the project's target is <= 1.5x), and the per-step cost of a Python loop over the scalar function.

Run: ``.venv/bin/python benchmarks/numpy_curve.py`` (``--repeats N`` to change the repeats).
"""

from __future__ import annotations

import argparse

import numpy as np

import _common
import warmcos

N = 10_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    # The ImageNet recipe's shape (1% warmup from 0, cosine to 0), stretched to 10M steps.
    schedule = warmcos.Schedule(peak_lr=0.1, total_steps=N, warmup_steps=N // 100)
    steps = np.arange(N, dtype=np.int64)
    x = steps * (np.pi / N)  # a float64 array of the same size for the np.cos baseline

    final = schedule.replace(final_lr=1e-4)
    # Two members of the family (issue 9): warmup-stable-decay with a 1-sqrt cooldown over the
    # last 20%, and SGDR with 5 restarts doubling in length, halving the peak, each warmed up.
    wsd = schedule.replace(stable_steps="79%", decay_shape="1-sqrt", final_lr=1e-4)
    sgdr = schedule.replace(
        cycles=5, cycle_mul=2.0, cycle_decay=0.5, cycle_warmup_steps=1000, final_lr=1e-5
    )
    # Compositions (issue 17): torch's MultiStepLR with a warmup, OneCycleLR with its real-valued
    # boundary (pct_start * N - 1), a ViT-style envelope (rsqrt x linear cooldown).
    multistep = warmcos.Composition(
        [
            warmcos.Segment(N // 100, 0.0, 0.1),
            *(warmcos.Segment(N * 3 // 10, 0.1 * 0.1**k) for k in range(3)),
            warmcos.Segment(N // 100 * 9, 1e-4),
        ]
    )
    one_cycle = warmcos.Composition(
        [
            warmcos.Segment(str(N * 3 // 10 - 0.5), 0.004, 0.1, "cosine"),
            warmcos.Segment(str(N * 7 // 10 - 0.5), 0.1, 4e-7, "cosine"),
        ]
    )
    envelope = warmcos.Composition(
        [
            warmcos.Segment(N // 100, 0.0, 1e-3),
            warmcos.Segment(N - N // 100, 1e-3, 0.0, "inverse_sqrt", timescale=10_000),
        ]
    ) * warmcos.Composition([warmcos.Segment(N * 8 // 10, 1.0), warmcos.Segment(N // 5, 1.0, 0.0)])
    ref_args = (steps, 0.1, 0.0, N // 100, N)
    timings = _common.interleaved_medians(
        {
            "np.cos over 10M float64 (baseline)": lambda: np.cos(x),
            "Schedule(np.arange(10M))": lambda: schedule(steps),
            "Schedule.curve(10M)": lambda: schedule.curve(N),
            "Schedule.curve(10M), final_lr > 0": lambda: final.curve(N),
            "Schedule.curve(10M), WSD (1-sqrt cooldown)": lambda: wsd.curve(N),
            "Schedule.curve(10M), SGDR (5 cycles, warmups)": lambda: sgdr.curve(N),
            "Composition.curve(10M), MultiStepLR with warmup": lambda: multistep.curve(N),
            "Composition.curve(10M), OneCycleLR (real boundary)": lambda: one_cycle.curve(N),
            "Composition.curve(10M), envelope (rsqrt x cooldown)": lambda: envelope.curve(N),
            "reference fn on np.arange(10M) (after='wrap')": lambda: (
                warmcos.cosine_learning_rate_with_linear_warmup(*ref_args)
            ),
        },
        args.repeats,
    )
    loop_n = 200_000
    loop = _common.interleaved_medians({"loop": lambda: [schedule(s) for s in range(loop_n)]}, 3)
    timings[f"Python loop of schedule(int) (extrapolated from {loop_n:,})"] = loop["loop"] * (
        N / loop_n
    )

    base = timings["np.cos over 10M float64 (baseline)"]
    print(_common.versions_line())
    print(f"{_common.machine_line()}; medians of {args.repeats} interleaved runs")
    print(f"{'what':64} {'median ms':>10} {'vs np.cos':>10}")
    for name, seconds in timings.items():
        print(f"{name:64} {seconds * 1e3:10.1f} {seconds / base:9.2f}x")


if __name__ == "__main__":
    main()
