"""Helpers shared by the benchmark scripts in this folder.

The scripts (``numpy_curve.py``, ``torch_step.py``, ``jax_step.py``, ``keras_step.py``) are run
as ``.venv/bin/python benchmarks/<name>.py``; Python then puts this folder first on
``sys.path``, so they import this module as ``import _common`` (from any working directory;
not under ``python -P`` or ``PYTHONSAFEPATH``, which leave the script's folder off). It holds:

* :func:`interleaved_medians`: median time per call of several candidates, timed in turn within
  each repeat;
* :func:`exact_decay` and :func:`float32_errors`: the cosine decay at 113 bits with mpmath, and
  the float32 error of a schedule's values against it;
* :func:`print_step_table` and :func:`print_accuracy_table`: the two tables printed by the JAX
  and Keras scripts;
* :func:`versions_line` and :func:`machine_line`: the header lines every script prints.

Only the standard library, NumPy and warmcos are imported at module level; mpmath, needed by
:func:`exact_decay` alone, is imported there.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from typing import TYPE_CHECKING, Any

import numpy as np

import warmcos

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping


def interleaved_medians(
    candidates: Mapping[str, Callable[[], object]],
    repeats: int,
    *,
    calls: int = 1,
    block: Callable[[Any], object] | None = None,
) -> dict[str, float]:
    """Median seconds per call of each candidate, timing them in turn within each repeat.

    Each repeat times ``calls`` consecutive calls of every candidate in turn, and divides by
    ``calls``. Interleaving spreads the machine's noise (other processes, frequency changes)
    over every candidate alike, so the ratios are fairer than with back-to-back blocks of
    repeats. One untimed round of the same ``calls`` per candidate comes first, to warm up
    (compilation, page faults, caches, lazy imports).

    Args:
        candidates: name -> a callable taking no arguments, timed as it is called.
        repeats: how many timed rounds the median is taken over.
        calls: consecutive calls per candidate in each round.
        block: for frameworks that return before the work is done (JAX's asynchronous
            dispatch): called on the last call's result, inside the timed region, e.g.
            ``lambda out: out.block_until_ready()``. ``None`` when the candidates already
            return only once their work is done.

    Returns:
        name -> median seconds per call, in the order of ``candidates``.
    """

    def run(fn: Callable[[], object]) -> None:
        if block is None:
            for _ in range(calls):
                fn()
        else:
            for _ in range(calls):
                out = fn()
            block(out)

    for fn in candidates.values():
        run(fn)  # warm up
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(repeats):
        for name, fn in candidates.items():
            start = time.perf_counter()
            run(fn)
            times[name].append((time.perf_counter() - start) / calls)
    return {name: statistics.median(t) for name, t in times.items()}


def exact_decay(schedule: warmcos.Schedule, steps: np.ndarray) -> np.ndarray:
    """Exact decay-phase values of ``schedule`` at ``steps``, at 113 bits, as float64.

    Uses the ``sin²`` form, ``final + (peak - final) * sin(pi/2 * (T - s) / (T - w))**2``,
    which has no cancellation near the end of the decay (``1 + cos`` would). Only the decay
    phase is modelled: every step must lie in ``[warmup_steps, total_steps]``.
    """
    import mpmath

    w, t = schedule.warmup_steps, schedule.total_steps
    peak, final = mpmath.mpf(schedule.peak_lr), mpmath.mpf(schedule.final_lr)
    with mpmath.workprec(113):
        half_pi = mpmath.pi / 2
        values = [
            final + (peak - final) * mpmath.sin(half_pi * mpmath.mpf(t - s) / (t - w)) ** 2
            for s in steps.tolist()
        ]
    return np.array([float(v) for v in values])


def float32_errors(got: Any, want: np.ndarray) -> dict[str, float]:
    """Errors of float32 values ``got`` against exact values ``want`` (float64).

    Returns:
        ``max_ulps`` and ``median_ulps``: in ulps of the exact value rounded to float32
        (``np.spacing``); ``max_rel``: the worst relative error, over the steps whose exact
        value is not zero (a relative error is undefined there); ``zeros_before_T``: how many
        values are 0 where the exact value is not (the float32 schedule reached its floor
        early).
    """
    got = np.asarray(got, np.float64)
    want32 = want.astype(np.float32)
    nonzero = want != 0
    ulps = np.abs(got - want32) / np.spacing(np.abs(want32)).astype(np.float64)
    rel = np.abs(got[nonzero] - want[nonzero]) / np.abs(want[nonzero])
    return {
        "max_ulps": float(ulps.max()),
        "median_ulps": float(np.median(ulps)),
        "max_rel": float(rel.max()),
        "zeros_before_T": int(np.sum((got == 0) & nonzero)),
    }


def print_step_table(
    timings: Mapping[str, float], *, floor: str, reference: str, column: str, width: int
) -> None:
    """Print seconds per train step as µs and as ratios to the floor and to the reference.

    Args:
        timings: name -> median seconds per step.
        floor: the name in ``timings`` of the constant learning rate (the ``/ constant`` column).
        reference: the name in ``timings`` that the last column divides by.
        column: that last column's header (e.g. ``"/ optax"``).
        width: the width of the name column.
    """
    base, ref = timings[floor], timings[reference]
    print(f"{'learning rate':<{width}} {'us/step':>9} {'/ constant':>11} {column:>9}")
    for name, seconds in timings.items():
        print(
            f"{name:<{width}} {seconds * 1e6:>9.1f} {seconds / base:>10.3f}x {seconds / ref:>8.3f}x"
        )


def print_accuracy_table(rows: Iterable[tuple[str, str, Mapping[str, float]]]) -> None:
    """Print ``(where, schedule, float32_errors(...))`` rows as the float32 accuracy table."""
    print(
        f"{'where':<30} {'schedule':<9} {'max ulps':>12} {'median':>8} {'max rel err':>12} "
        f"{'0 before T':>11}"
    )
    for label, who, e in rows:
        print(
            f"{label:<30} {who:<9} {e['max_ulps']:>12.4g} {e['median_ulps']:>8.3g} "
            f"{e['max_rel']:>12.3g} {e['zeros_before_T']:>11}"
        )


def versions_line(*libraries: str) -> str:
    """``warmcos X, <libraries...>, numpy Y, Python Z``; each library given as ``"name X"``."""
    return ", ".join(
        [
            f"warmcos {warmcos.__version__}",
            *libraries,
            f"numpy {np.__version__}",
            f"Python {platform.python_version()}",
        ]
    )


def machine_line(*details: str) -> str:
    """``<arch> <OS>, N CPUs``, then ``details`` (e.g. the framework's devices), comma-separated."""
    return ", ".join([f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs", *details])
