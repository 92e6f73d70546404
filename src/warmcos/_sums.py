r"""Sums of a schedule's rates over any range of steps, in work bounded by its phases.

:meth:`warmcos.Schedule.area` sums ``schedule(step)`` exactly (``math.fsum``) over a range of
up to a few million steps. Beyond, it sums phase by phase (each is one
:class:`~warmcos._math.Row` of the plan): a stretch of a phase of at most :data:`EXACT_STEPS`
steps is still summed exactly; a longer one is summed exactly over :data:`END_STEPS` steps at
each end, and in the middle by the Euler-Maclaurin formula

.. math::

    \sum_{n=A}^{B-1} f(n) = \int_A^B f(x)\,dx - \frac{f(B) - f(A)}{2}
        + \frac{f'(B) - f'(A)}{12} - \frac{f'''(B) - f'''(A)}{720} + \dots

with the row's own formula as ``f`` (:data:`warmcos._math.SHAPES`, evaluated at real
positions; no formula is written here), ``f'`` and ``f'''`` by central differences of five
integer steps, and the integral by adaptive Gauss-Legendre quadrature (:func:`_integral`).
The shapes' only singularities (``n**p``, ``sqrt(L - n)``, ``log1p(n)``, ``tau / (tau +
n)``) lie at or beyond the ends of their frame, so at least ``END_STEPS`` steps from ``A``
and ``B``, where the next term, ``f^(5) / 30240``, is far below the rounding of the sum.
tests/test_bounded.py measures the relative error against the exact sum (a few ``1e-16``).
A constant phase is ``count * value``.

After ``total_steps``: ``hold`` repeats the final value (``count * value``), ``wrap`` folds
the steps back into the decay, whose half-periods are two sums over the decay, each computed
once. The work is a few hundred to a few thousand evaluations per phase, whatever the range.
"""

from __future__ import annotations

import math
from bisect import bisect_right

from . import _math
from ._xp import _PYTHON

# Not `typing.TYPE_CHECKING`: `import warmcos` stays free of typing (and of what it imports).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ._xp import Namespace

__all__ = ["END_STEPS", "EXACT_STEPS", "area"]

#: A stretch of a phase of at most this many steps is summed exactly.
EXACT_STEPS = 1 << 16
#: Steps summed exactly at each end of a longer stretch.
END_STEPS = 512
#: Nodes of the Gauss-Legendre rule on each interval.
_NODES = 12
_GAUSS: list[tuple[tuple[float, ...], tuple[float, ...]]] = []


def _gauss_legendre() -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The 12-point Gauss-Legendre nodes and weights on ``[-1, 1]`` (Newton's method)."""
    if not _GAUSS:  # computed once, on first use
        nodes, weights = [], []
        n = _NODES
        for i in range(n):
            x = math.cos(math.pi * (i + 0.75) / (n + 0.5))
            for _ in range(100):
                p0, p1 = 1.0, x
                for k in range(2, n + 1):
                    p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
                derivative = n * (x * p1 - p0) / (x * x - 1)
                step = p1 / derivative
                x -= step
                if abs(step) < 1e-17:
                    break
            nodes.append(x)
            weights.append(2 / ((1 - x * x) * derivative * derivative))
        _GAUSS.append((tuple(nodes), tuple(weights)))
    return _GAUSS[0]


def area(
    plan: _math.Plan, start: int, stop: int, exact: Callable[[int, int], float], xp: Namespace
) -> float:
    """The sum of the rates at steps ``start .. stop - 1`` (``after="raise"`` checked before).

    ``exact(a, b)``: the exact sum of steps ``a .. b - 1`` inside ``[0, total_steps]``;
    ``xp``: the namespace the quadrature nodes of a phase are evaluated in, at once.
    """
    t = plan.total_steps
    parts = [_inside(plan, start, min(stop, t + 1), exact, xp)] if start <= t else []
    first = max(start, t + 1)
    if stop > first:
        if plan.after == "wrap":
            parts.append(_wrapped(plan, first, stop, exact, xp))
        else:  # hold: the value at total_steps, count times
            parts.append((stop - first) * _value(plan, t))
    return math.fsum(parts)


def _value(plan: _math.Plan, step: int) -> float:
    """``schedule(step)`` for a step in ``[0, total_steps]``."""
    return _math.evaluate_int(_PYTHON, step, plan)


def _inside(
    plan: _math.Plan, a: int, b: int, exact: Callable[[int, int], float], xp: Namespace
) -> float:
    """The sum over steps ``a .. b - 1``, all in ``[0, total_steps]``, phase by phase."""
    rows, t = plan.rows, plan.total_steps
    parts: list[float] = []
    run = [a, a]  # consecutive short stretches, summed exactly in one call

    def flush(at: int) -> None:
        if run[1] > run[0]:
            parts.append(exact(run[0], run[1]))
        run[:] = [at, at]

    i = max(bisect_right(plan.begins, a) - 1, 0)
    while i < len(rows) and rows[i].begin < b:
        row = rows[i]
        lo, hi = max(a, row.begin), min(b, row.end if i + 1 < len(rows) else t + 1)
        i += 1
        if hi <= lo:
            continue
        if _math.SHAPES[row.shape].flat:  # one value: count times it
            flush(hi)
            parts.append((hi - lo) * _value(plan, lo))
        elif hi - lo > EXACT_STEPS:
            flush(hi)
            parts.append(_long(row, lo, hi, xp))
        else:
            if run[1] != lo or run[1] - run[0] > 16 * EXACT_STEPS:
                flush(lo)
            run[1] = hi
    flush(b)
    return math.fsum(parts)


def _long(row: _math.Row, a: int, b: int, xp: Namespace) -> float:
    """The sum over steps ``a .. b - 1`` of one row, ``b - a > EXACT_STEPS`` (see above)."""
    big_a, big_b = a + END_STEPS, b - END_STEPS
    f_a, d1_a, d3_a = _near(row, big_a)
    f_b, d1_b, d3_b = _near(row, big_b)
    parts = [
        _exact_row(xp, row, a, big_a),
        _exact_row(xp, row, big_b, b),
        _integral(row, big_a, big_b, xp),
        -(f_b - f_a) / 2,
        (d1_b - d1_a) / 12,
        -(d3_b - d3_a) / 720,
    ]
    return math.fsum(parts)


def _near(row: _math.Row, step: int) -> tuple[float, float, float]:
    """``f``, ``f'`` and ``f'''`` at ``step``: differences of the five steps around it."""
    m2, m1, f0, p1, p2 = (float(_math._row(_PYTHON, step + d, row, None)) for d in range(-2, 3))
    return f0, (8 * (p1 - m1) - (p2 - m2)) / 12, ((p2 - m2) - 2 * (p1 - m1)) / 2


def _exact_row(xp: Namespace, row: _math.Row, a: int, b: int) -> float:
    """The exact sum over steps ``a .. b - 1`` of one row: what ``schedule(step)`` gives there."""
    if xp is _PYTHON:
        return math.fsum(float(_math._row(xp, s, row, None)) for s in range(a, b))
    import numpy as np

    steps = np.arange(a, b, dtype=np.int64)
    values: list[float] = _math._row(xp, steps, row, None, inside=True).tolist()
    return math.fsum(values)


#: An interval of the quadrature: ``(end, way, lo, hi)``, the positions ``end + way * u``
#: for offsets ``u`` in ``[lo, hi]`` from one end (``way`` = +1 from ``a``, -1 from ``b``).
Interval = tuple[int, int, float, float]


def _integral(row: _math.Row, a: int, b: int, xp: Namespace) -> float:
    """``integral of f from a to b``, by adaptive Gauss-Legendre quadrature.

    The first intervals double in length away from both ends (``[h (2**j - 1), h (2**(j + 1)
    - 1)]``, ``h = END_STEPS / 2``: each as long as its distance from a point ``h`` beyond
    its end, where a singularity may be). Each interval is then compared with its two halves,
    and split while they differ by more than the rounding of the sum: a phase that changes
    faster than its length (a geometric decay over hundreds of decades) gets the intervals
    it needs. Positions are measured from their own end of ``[a, b]`` (``n`` of the phase
    from that end's exact step), so they are exact near the ends however large steps are.
    """
    half = (b - a) / 2
    active: list[Interval] = []
    for end, way in ((a, 1), (b, -1)):
        lo, width = 0.0, END_STEPS / 2
        while lo < half:
            hi = min(lo + width, half)
            active.append((end, way, lo, hi))
            lo, width = hi, width * 2
    done: list[float] = []
    for _ in range(_ROUNDS):
        halves = [(e, w, lo, (lo + hi) / 2) for e, w, lo, hi in active]
        halves += [(e, w, (lo + hi) / 2, hi) for e, w, lo, hi in active]
        count = len(active)
        values, sizes = _quadrature(xp, row, active + halves)
        whole, size, parts = values[:count], sizes[:count], values[count:]
        fine = [parts[i] + parts[i + count] for i in range(count)]
        total = abs(math.fsum(done) + math.fsum(fine))
        budget = 1e-15 * total / count
        rest: list[Interval] = []
        for i in range(count):
            if abs(whole[i] - fine[i]) <= budget + 64 * _EPS * size[i]:
                done.append(fine[i])
            else:
                rest += [halves[i], halves[i + count]]
        active = rest
        if not active:
            break
    else:  # not reached by the shapes (a safety net): what the finest rule gives
        done.extend(_quadrature(xp, row, active)[0])
    return math.fsum(done)


_ROUNDS = 40
_EPS = 2.0**-52


def _quadrature(
    xp: Namespace, row: _math.Row, intervals: list[Interval]
) -> tuple[list[float], list[float]]:
    """The 12-point Gauss-Legendre value of each interval, and its sum of ``|w f|``."""
    nodes, weights = _gauss_legendre()
    shape = _math.SHAPES[row.shape]
    from_origin = shape.open or row.low_at_origin
    # n counts steps from the row's origin (a rising or open row) or down from its end
    anchors = [
        float(e - row.origin if from_origin else row.origin + row.length - e) for e, *_ in intervals
    ]
    ways = [float(w if from_origin else -w) for _, w, _, _ in intervals]
    mids = [(lo + hi) / 2 for *_, lo, hi in intervals]
    rads = [(hi - lo) / 2 for *_, lo, hi in intervals]
    if xp is _PYTHON:
        sums, sizes = [], []
        for anchor, way, mid, rad in zip(anchors, ways, mids, rads, strict=True):
            products = []
            for x, w in zip(nodes, weights, strict=True):
                g = shape.phi(xp, anchor + way * (mid + rad * x), row.length, row.consts)
                products.append(rad * w * float(_math._between(xp, row.v_low, row.v_high, g)))
            sums.append(math.fsum(products))
            sizes.append(sum(map(abs, products)))
        return sums, sizes
    import numpy as np

    def column(values: list[float]) -> Any:
        return np.asarray(values, dtype=np.float64)[:, None]

    at, weight = np.asarray(nodes)[None, :], np.asarray(weights)[None, :]
    n = column(anchors) + column(ways) * (column(mids) + column(rads) * at)
    g = shape.phi(xp, n.ravel(), row.length, row.consts)
    values = np.asarray(_math._between(xp, row.v_low, row.v_high, g)).reshape(n.shape)
    terms = column(rads) * weight * values
    return terms.sum(axis=1).tolist(), np.abs(terms).sum(axis=1).tolist()


def _wrapped(
    plan: _math.Plan, p: int, q: int, exact: Callable[[int, int], float], xp: Namespace
) -> float:
    """The sum over steps ``p .. q - 1`` past ``total_steps`` under ``after="wrap"``.

    Half-period ``k`` covers steps ``w + k L .. w + (k + 1) L - 1`` (``L = T - w``): an even
    one reads steps ``w .. T - 1`` of the decay upwards, an odd one ``T .. w + 1`` downwards.
    """
    w, t = plan.wrap_from, plan.total_steps
    length = t - w
    sums: dict[int, float] = {}

    def full(parity: int) -> float:
        if parity not in sums:
            sums[parity] = _inside(plan, w + parity, t + parity, exact, xp)
        return sums[parity]

    parts = []
    s = p
    while s < q:
        k, r = divmod(s - w, length)
        if r == 0 and q - s >= length:  # whole half-periods: count each parity
            count = (q - s) // length
            evens = (count + (k % 2 == 0)) // 2
            parts += [evens * full(0), (count - evens) * full(1)]
            s += count * length
            continue
        e = min(q, w + (k + 1) * length)
        r1 = e - w - k * length
        if k % 2 == 0:
            parts.append(_inside(plan, w + r, w + r1, exact, xp))
        else:
            parts.append(_inside(plan, t - r1 + 1, t - r + 1, exact, xp))
        s = e
    return math.fsum(parts)
