"""The runs of a recorded curve that one registry shape explains exactly (:func:`warmcos.fit`).

A *model* is one shape with its few parameters solved from the run's first value and two
later points (the middle and the far end of a window), so it predicts every other point of
the run. :func:`longest` gallops: windows of 2, 4, 8, ... points each re-solve the parameters
(more distant points, better conditioned) and verify every point of the window within the
input's rounding (:func:`tolerance`); the last model that verified is then extended point by
point to the first one it does not explain. The greedy segmentation (:func:`runs`) takes the
longest run of any shape at each start, sharing the boundary point with the next run where
the curve is continuous there. Parameters are exact rationals where the composition needs
them (lengths, timescales): solved in floats, then rounded to the nearest integer, or to a
fraction of small denominator, whichever verifies.

Shapes are those of the registry with a closed form here (:data:`MODELS`); a shape's phi is
the registry's, so what verifies here is what the built composition computes (its values
are checked again, at every given step, by :mod:`warmcos.fit`).
"""

from __future__ import annotations

import math
from fractions import Fraction

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    #: NumPy, the steps and the values as its arrays (:func:`arrays_of`).
    Arrays = tuple[Any, Any, Any]
    #: ``formula(d, lib)``: a model's value ``d`` steps after its run's first step, with
    #: ``lib`` the :mod:`math` module (``d`` a float) or NumPy (``d`` an array).
    Formula = Callable[[Any, Any], Any]

__all__ = ["MODELS", "Model", "Run", "arrays_of", "longest", "runs", "tolerance"]

#: ``tolerance(float32)`` / ``tolerance(float64)``: the error a value may carry, relative to
#: the run's largest value (a few units in the last place of the input's precision).
_ULPS = {True: 8 * 2.0**-23, False: 16 * 2.0**-52}


def tolerance(single: bool) -> float:
    """The relative error allowed: float32 ulps for float32 input, float64 ulps otherwise."""
    return _ULPS[single]


class Model:
    """A shape with its parameters: what it predicts ``d`` steps after its run's first step.

    ``formula``: the prediction (:data:`Formula`), written once for floats and arrays;
    ``length``: the segment's length when the shape fixes it (a cosine's half period),
    ``None`` when the run's extent decides it; ``end`` the segment's end value (``None``:
    computed at the length the run gets); ``timescale`` that of an open shape.
    """

    __slots__ = ("end", "formula", "length", "shape", "start", "timescale")

    def __init__(
        self,
        shape: str,
        start: float,
        formula: Formula,
        *,
        end: float | None = None,
        length: Fraction | int | None = None,
        timescale: Fraction | int | None = None,
    ) -> None:
        self.shape, self.start, self.formula = shape, start, formula
        self.end, self.length, self.timescale = end, length, timescale

    def predict(self, d: float) -> float:
        """The value ``d`` steps after the run's first step (NaN past a fixed length)."""
        return float(self.formula(d, math))

    def end_at(self, length: Fraction | int) -> float:
        """The segment's end value when it lasts ``length`` steps."""
        if self.end is not None:
            return self.end
        return max(0.0, self.predict(float(length)))


def _nice(x: float) -> list[Fraction | int]:
    """Exact rationals near ``x`` to try, simplest first (an integer, then small fractions)."""
    if not (math.isfinite(x) and x > 0):
        return []
    out: list[Fraction | int] = [max(1, round(x))]
    for q in (4, 100):
        f = Fraction(x).limit_denominator(q)
        if f > 0 and f not in out:
            out.append(f if f.denominator > 1 else int(f))
    return out


def _constant(v0: float, d1: float, v1: float, d2: float, v2: float) -> list[Model]:
    return [Model("constant", v0, lambda d, lib: v0 + 0 * d, end=v0)]


def _linear(v0: float, d1: float, v1: float, d2: float, v2: float) -> list[Model]:
    slope = (v2 - v0) / d2
    return [Model("linear", v0, lambda d, lib: v0 + slope * d)]


def _exponential(v0: float, d1: float, v1: float, d2: float, v2: float) -> list[Model]:
    if not (v0 > 0 and v2 > 0) or v0 == v2:
        return []
    log_ratio = math.log(v2 / v0) / d2
    return [Model("exponential", v0, lambda d, lib: v0 * lib.exp(log_ratio * d))]


def _one_minus_sqrt(v0: float, d1: float, v1: float, d2: float, v2: float) -> list[Model]:
    """A falling ``1-sqrt`` run: ``v0 - K sqrt(d)``, ``K = (v0 - end) / sqrt(L)`` for any ``L``.

    (The registry's ``phi(u) = 1 - sqrt(1 - u)`` measured from the lower end; a rising one
    depends on ``L`` and is not solved here.)
    """
    if not v2 < v0:
        return []
    k = (v0 - v2) / math.sqrt(d2)
    return [Model("1-sqrt", v0, lambda d, lib: v0 - k * lib.sqrt(d))]


def _cosine(v0: float, d1: float, v1: float, d2: float, v2: float) -> list[Model]:
    """Half a cosine period ``L`` from ``v0`` to ``e``: ``e + (v0 - e) cos^2(pi d / 2L)``.

    ``(v0 - v1) / (v0 - v2) = sin^2(pi d1 / 2L) / sin^2(pi d2 / 2L)`` does not depend on
    ``e`` and falls as ``L`` grows (for ``L >= d2``): ``L`` by bisection, then ``e``.
    """
    if v0 in {v1, v2} or d1 >= d2:
        return []
    target = (v0 - v1) / (v0 - v2)

    def ratio(length: float) -> float:
        return (math.sin(math.pi * d1 / (2 * length)) / math.sin(math.pi * d2 / (2 * length))) ** 2

    lo, hi = d2, d2 * 1e9
    if not ratio(hi) <= target <= ratio(lo):
        return []
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if ratio(mid) > target:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-9 * hi:
            break
    out = []
    for length in _nice(lo):
        lf = float(length)
        s2 = math.sin(math.pi * d2 / (2 * lf)) ** 2
        e = v0 - (v0 - v2) / s2 if s2 > 0 else math.nan
        if not math.isfinite(e):
            continue
        ends = [0.0] if abs(e) <= 1e-6 * max(v0, v2) else []  # to zero: the usual decay
        for end in [*ends, *([e] if e > 0 else [])]:

            def formula(d: Any, lib: Any, e: float = end, lf: float = lf) -> Any:
                if e > v0:  # rising: measured from the lower end, as the registry's phi is
                    value = v0 + (e - v0) * lib.sin(math.pi * d / (2 * lf)) ** 2
                else:
                    value = e + (v0 - e) * lib.cos(math.pi * d / (2 * lf)) ** 2
                if lib is math:
                    return value if d <= lf else math.nan
                return lib.where(d <= lf, value, math.nan)

            out.append(Model("cosine", v0, formula, end=end, length=length))
    return out


def _inverse(shape: str, exponent: float) -> Callable[..., list[Model]]:
    """``v0 (tau / (tau + d))^exponent`` towards 0: ``tau`` from the far point."""

    def solve(v0: float, d1: float, v1: float, d2: float, v2: float) -> list[Model]:
        if not (v0 > v2 > 0):
            return []
        try:  # a ratio whose root overflows (v2 near the smallest float) or rounds to 1
            tau = d2 / ((v0 / v2) ** (1 / exponent) - 1)
        except (OverflowError, ZeroDivisionError):
            return []
        out = []
        for t in _nice(tau):
            tf = float(t)

            def formula(d: Any, lib: Any, tf: float = tf) -> Any:
                return v0 * (tf / (tf + d)) ** exponent

            out.append(Model(shape, v0, formula, end=0.0, timescale=t))
        return out

    return solve


#: Each shape of the registry that a run can be solved for, simplest first: from the first
#: value ``v0`` and the points ``(d1, v1)``, ``(d2, v2)`` (``0 < d1 < d2`` steps after it),
#: the candidate models (parameters rounded in a few ways).
MODELS: dict[str, Callable[[float, float, float, float, float], list[Model]]] = {
    "constant": _constant,
    "linear": _linear,
    "exponential": _exponential,
    "cosine": _cosine,
    "1-sqrt": _one_minus_sqrt,
    "inverse_sqrt": _inverse("inverse_sqrt", 0.5),
    "inverse_time": _inverse("inverse_time", 1.0),
}


class Run:
    """Points ``first .. last`` (indices) explained by ``model``."""

    __slots__ = ("first", "last", "model")

    def __init__(self, first: int, last: int, model: Model) -> None:
        self.first, self.last, self.model = first, last, model

    def __repr__(self) -> str:
        return f"Run({self.first}, {self.last}, {self.model.shape})"


def _explains(
    model: Model,
    steps: Sequence[int],
    values: Sequence[float],
    first: int,
    last: int,
    *,
    tol: float,
    floor: float,
    arrays: Arrays | None = None,
) -> int:
    """The last index in ``first .. last`` up to which ``model`` explains every value.

    With NumPy (``arrays``: the steps and values as arrays), in blocks doubling from 64
    points, so that a model that fails early costs little; else point by point.
    """
    s0 = steps[first]
    scale = max(model.start, floor)  # the run's largest value so far
    if arrays is None or last - first < 64:
        predict = model.predict
        for k in range(first, last + 1):
            p = predict(float(steps[k] - s0))
            v = values[k]
            scale = max(scale, v)
            if not abs(p - v) <= tol * scale:
                return k - 1
        return last
    np, at, got = arrays
    k, block = first, 64
    while k <= last:
        stop = min(last + 1, k + block)
        v = got[k:stop]
        scales = np.maximum.accumulate(np.maximum(v, scale))
        span = at[k:stop]
        d = (np.arange(span.start, span.stop, span.step) if isinstance(span, range) else span) - s0
        predicted = model.formula(d.astype(float), np)
        bad = ~(np.abs(predicted - v) <= tol * scales)
        if bad.any():
            return k + int(bad.argmax()) - 1
        scale, k, block = float(scales[-1]), stop, min(2 * block, BLOCK)
    return last


#: The most points verified at once: NumPy's temporaries stay a few MiB however long the
#: curve (a 10,000,000-step log is read in blocks of this many).
BLOCK = 1 << 16


def arrays_of(steps: Sequence[int], values: Sequence[float]) -> Arrays | None:
    """``(numpy, steps, values)`` as arrays, or ``None`` without NumPy or for a short curve.

    Steps ``0, 1, 2, ...`` stay a ``range`` (their blocks are made as needed), and float64
    values already in an array are not copied.
    """
    if len(values) < 256:
        return None
    try:
        import numpy as np
    except ModuleNotFoundError:
        return None
    at = steps if isinstance(steps, range) else np.asarray(steps, dtype=np.int64)
    return np, at, np.asarray(values, dtype=np.float64)


def _best_from(
    name: str,
    steps: Sequence[int],
    values: Sequence[float],
    first: int,
    *,
    tol: float,
    floor: float,
    arrays: Arrays | None,
) -> Run | None:
    """Shape ``name``'s longest run from ``first`` (galloping windows, then extended).

    A window's model may fail to verify because its points are too close to pin the
    parameters (a long cosine's start is nearly a parabola): the windows keep doubling while
    the model of the last one explained at least half of it, so they stop soon after the
    run's true end.
    """
    n = len(values)
    solve = MODELS[name]
    v0, s0 = values[first], steps[first]
    best: Model | None = None
    reach = first
    h = 1
    while True:
        far = min(first + 2 * h, n - 1)
        mid = first + max(1, (far - first) // 2)
        if mid >= far:
            break
        window = far  # no model solved from this window: try a wider one
        for k, model in enumerate(
            solve(v0, steps[mid] - s0, values[mid], steps[far] - s0, values[far])
        ):
            got = _explains(model, steps, values, first, far, tol=tol, floor=floor, arrays=arrays)
            if k == 0 or got > window:
                window = got
                if got > reach:
                    best, reach = model, got
            if got == far:
                break
        if far == n - 1 or 2 * (window - first) < far - first:
            break
        h *= 2
    if best is None or reach - first < _MIN_POINTS.get(name, 2) - 1:
        return None
    last = _explains(best, steps, values, first, n - 1, tol=tol, floor=floor, arrays=arrays)
    if best.length is not None and last < n - 1 and steps[last + 1] < s0 + best.length:
        return None  # cut before its end: no segment of this shape says that
    return Run(first, last, best)


#: A run of a shape with more parameters needs more points to say anything.
_MIN_POINTS = {"1-sqrt": 4, "cosine": 5, "inverse_sqrt": 4, "inverse_time": 4, "exponential": 3}


def longest(
    steps: Sequence[int],
    values: Sequence[float],
    first: int,
    tol: float,
    *,
    floor: float = 0.0,
    arrays: Arrays | None = None,
) -> Run:
    """The longest run of any shape from ``first`` (the simplest shape among equals)."""
    best: Run | None = None
    for name in MODELS:
        run = _best_from(name, steps, values, first, tol=tol, floor=floor, arrays=arrays)
        if run is not None and (best is None or run.last > best.last):
            best = run
    if best is None:  # one point, or two no shape above is solved for: a linear piece
        v0 = values[first]
        if first + 1 < len(values):
            slope = (values[first + 1] - v0) / (steps[first + 1] - steps[first])
            return Run(first, first + 1, Model("linear", v0, lambda d, lib: v0 + slope * d))
        return Run(first, first, Model("constant", v0, lambda d, lib: v0 + 0 * d, end=v0))
    return best


def runs(
    steps: Sequence[int], values: Sequence[float], tol: float, floor: float = 0.0
) -> list[tuple[Run, bool]]:
    """The greedy segmentation: each run, and whether the next one starts on its last point.

    ``floor``: the least scale of the tolerance (the curve's largest value for float32
    input, whose libraries compute ``peak * factor`` in float32: every value carries errors
    of the peak's ulps). A run shares its last point with the next (a continuous join) when
    the run from that point reaches at least as far as the run from the point after it;
    otherwise the next run starts after it (a jump).
    """
    n = len(values)
    arrays = arrays_of(steps, values)
    cache: dict[int, Run] = {}

    def at(i: int) -> Run:
        if i not in cache:
            cache[i] = longest(steps, values, i, tol, floor=floor, arrays=arrays)
        return cache[i]

    out: list[tuple[Run, bool]] = []
    i = 0
    while True:
        run = at(i)
        j = run.last
        if j >= n - 1:
            out.append((run, False))
            return out
        joint = at(j) if j > i else None
        jump = at(j + 1)
        shares = joint is not None and joint.last > j + 1 and joint.last >= jump.last
        out.append((run, shares))
        i = j if shares else j + 1
