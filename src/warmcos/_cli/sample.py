"""What the commands evaluate: the phase table, exact plot samples, and streamed rows.

A plot never evaluates every step. Between two phase boundaries a schedule is monotone, so
over any range of steps its minimum and maximum are at the range's ends or at a boundary
inside it (on both sides of it: the rate may jump there). :func:`plot_steps` therefore
samples the column edges of the picture plus ``b - 1`` and ``b`` for every boundary ``b``;
drawn as a polyline through those points, every pixel column spans exactly the values the
schedule takes in its steps. The cost is the number of columns plus the number of phases,
whatever ``total_steps`` is.

Rows (``--csv``, ``--json``) are streamed: NumPy blocks of steps where NumPy is installed,
the core's scalar ``schedule(step)`` where it is not.
"""

from __future__ import annotations

import functools
import math
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from ..schedule import Phase
    from ..types import ScheduleLike

__all__ = [
    "blocks",
    "evaluate",
    "format_lr",
    "format_step",
    "nice_ticks",
    "phases",
    "plot_steps",
]

_BLOCK = 8192  # steps per NumPy block while streaming rows
_PER_PHASE = 8  # up to this many steps per phase, scalar calls are cheaper than NumPy
_MAX_PERIODS = 100_000  # after="wrap": past this many cosine periods, boundaries stop helping


@functools.lru_cache(maxsize=64)
def phases(schedule: ScheduleLike) -> tuple[Phase, ...]:
    """The schedule's phase table, :meth:`Schedule.describe` (one place to adapt it).

    Cached: a plot reads it for the window, the title, the samples and the marks, and it
    costs two evaluations per phase (20,000 phases for 10,000 restarts).
    """
    return schedule.describe()


def boundaries(schedule: ScheduleLike, until: int, edges: Sequence[int] = ()) -> list[int]:
    """Every step at which the schedule may stop being monotone, up to ``until``.

    Past ``total_steps`` under ``after="wrap"`` the extremes recur every period: all of them
    while there are fewer than ``_MAX_PERIODS`` (and fewer than two per column of ``edges``,
    the column edges of a picture); else the first two in each column, which are all its
    extremes or a peak and a trough (then the column spans the whole range either way).
    """
    table = phases(schedule)
    points = {0, schedule.total_steps}
    for p in table:
        points.update((p.begin, p.end))
    t = schedule.total_steps
    if schedule.after == "wrap" and until > t and table:
        # The periodic cosine past T has its extremes every (T - w) steps from w.
        w = table[-1].begin
        period = t - w
        count = (until - t) // period
        if count <= _MAX_PERIODS and (not edges or count <= 2 * len(edges)):
            points.update(range(t, until + 1, period))
        for lo in edges[:-1] if count > 2 * len(edges) else ():
            first = t + max(0, -(-(lo - t) // period)) * period  # the first at or after lo
            points.update(x for x in (first, first + period) if x <= until)
    return sorted(points)


def plot_steps(schedule: ScheduleLike, start: int, stop: int, columns: int) -> list[int]:
    """Steps to draw over ``[start, stop]`` so that ``columns`` columns are exact (see above)."""
    n = max(1, min(columns, stop - start))
    edges = list(linspace_steps(start, stop, n))
    steps = set(edges)
    for b in boundaries(schedule, stop, edges):
        steps.update(s for s in (b - 1, b) if start <= s <= stop)
    return sorted(steps)


def evaluate(schedule: ScheduleLike, steps: Sequence[int]) -> list[float]:
    """The schedule at ``steps``: NumPy for many steps where it is installed, else scalars.

    A few thousand scalar calls cost less than importing NumPy, so a terminal chart never
    imports it; and steps scattered over many phases (a few per phase, as the samples of
    10,000 restarts are) cost less as scalars than as one NumPy piece per phase (the
    measurements: docs/benchmarks.md, "Why the code is shaped this way").
    """
    sparse = len(steps) <= _PER_PHASE * len(phases(schedule))
    if sparse or ("numpy" not in sys.modules and len(steps) < _BLOCK):
        return [float(schedule(s)) for s in steps]
    try:
        import numpy as np
    except ModuleNotFoundError:
        return [float(schedule(s)) for s in steps]
    values: list[float] = schedule(np.asarray(steps, dtype=np.int64)).tolist()
    return values


def blocks(
    schedule: ScheduleLike, steps: range | Sequence[int]
) -> Iterator[tuple[range | Sequence[int], list[float]]]:
    """``(steps, lrs)`` a block of ``steps`` at a time."""
    for i in range(0, len(steps), _BLOCK):
        block = steps[i : i + _BLOCK]
        yield block, evaluate(schedule, block)


# -- numbers for people ----------------------------------------------------------------------

_SUFFIXES = ((10**18, "E"), (10**15, "P"), (10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "k"))


def format_step(x: float, *, short: bool = False) -> str:
    """A step count for a tick: ``0``, ``25k``, ``2.5M``, ``1G``; others with commas.

    ``short``: at most 4 significant digits (``90.07T``), for titles.
    """
    for size, suffix in _SUFFIXES:
        if abs(x) >= size:
            q = x / size
            if abs(q) >= 1000:
                return f"{x:.4g}"
            text = f"{q:.3f}".rstrip("0").rstrip(".")
            if short:
                text = f"{q:.4g}"
            if len(text.replace("-", "").replace(".", "")) <= 4:
                return text + suffix
            return f"{round(x):,}"
    return f"{x:.12g}"


def format_lr(x: float) -> str:
    """A learning rate as written by people: ``0.1``, ``3e-04``, ``0``."""
    return f"{x:.4g}"


def nice_ticks(lo: float, hi: float, most: int, *, integer: bool = False) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) covering ``[lo, hi]``.

    ``integer``: steps are whole, so ticks are at least 1 apart. At most ``most + 2`` ticks
    (``most >= 2``), for any finite range: the spacing and the tick indices are computed in
    decimal arithmetic, so subnormal, zero-width and huge ranges cost the same as any other.
    """
    from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal

    if not hi > lo or not (math.isfinite(lo) and math.isfinite(hi)):
        return [lo]
    most = max(2, most)
    ctx = Context(prec=60)
    low, high = Decimal(lo), Decimal(hi)
    raw = ctx.divide(ctx.subtract(high, low), most - 1)
    power = raw.adjusted()  # floor(log10(raw)): raw < 10 * 10**power
    # whole steps: 2.5 and 25 are not both whole (5 and 50 instead)
    factors = (1, 2, 5 if integer and power < 1 else 2.5, 5, 10)
    tolerance = Decimal(1) - Decimal("1e-12")  # what a float's rounding may take from raw
    steps = [Decimal(m).scaleb(p, ctx) for p in (power, power - 1) for m in factors]
    if integer:  # whole steps: 1 at the finest
        steps = [s for s in steps if s >= 1] + [Decimal(1)]
    steps = sorted(set(steps), reverse=True)
    size = max(abs(low), abs(high))

    def span(step: Decimal) -> tuple[int, int]:
        # a float bound an error short of a tick still gets it (relative to the bounds' size);
        # steps are exact
        slack = min(Decimal("1e-9"), ctx.divide(ctx.multiply(size, Decimal("1e-12")), step))
        if integer:
            slack = Decimal(0)
        first = int(ctx.subtract(ctx.divide(low, step), slack).to_integral_value(ROUND_CEILING))
        last = int(ctx.add(ctx.divide(high, step), slack).to_integral_value(ROUND_FLOOR))
        return first, last

    # the largest round step no finer than ``raw``; a finer one where that leaves fewer than two
    # ticks inside the range (a step of 5 over [1, 4] has none): a step of at most ``raw / 2``
    # always leaves two, so at most a few candidates are tried
    coarse = [s for s in steps if s >= raw * tolerance] or steps[:1]
    step = coarse[-1]
    first, last = span(step)
    for finer in steps[len(coarse) :]:
        if last > first:
            break
        step, (first, last) = finer, span(finer)
    last = min(last, first + most)  # (hi - lo) / step <= most - 1: a guard, never reached
    ticks: list[float] = []
    for k in range(first, last + 2):
        tick = float(ctx.multiply(k, step)) + 0.0
        if (k > last and tick > hi) or not math.isfinite(tick):  # one more if still in range
            break
        if not ticks or tick != ticks[-1]:  # subnormal and huge ticks may round together
            ticks.append(tick)
    return ticks


def linspace_steps(start: int, stop: int, n: int) -> Iterable[int]:
    """``n + 1`` integer steps from ``start`` to ``stop`` (both included), evenly spread.

    Integer arithmetic: exact at any size (a float linspace is not, past 2**53).
    """
    span = stop - start
    return (start + span * i // n for i in range(n + 1))
