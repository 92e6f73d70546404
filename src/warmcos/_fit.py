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

import itertools
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
    computed at the length the run gets); ``timescale`` that of an open shape; ``power``
    that of a polynomial.
    """

    __slots__ = ("end", "formula", "length", "power", "shape", "start", "timescale")

    def __init__(
        self,
        shape: str,
        start: float,
        formula: Formula,
        *,
        end: float | None = None,
        length: Fraction | int | None = None,
        timescale: Fraction | int | None = None,
        power: float = 1.0,
    ) -> None:
        self.shape, self.start, self.formula = shape, start, formula
        self.end, self.length, self.timescale, self.power = end, length, timescale, power

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


#: The points a model is solved from, after its run's first value: ``((d, v), ...)`` at about
#: a quarter, half and all of a window (the quarter may be the half in a short window).
Points = tuple[tuple[float, float], tuple[float, float], tuple[float, float]]


def _constant(v0: float, pts: Points) -> list[Model]:
    return [Model("constant", v0, lambda d, lib: v0 + 0 * d, end=v0)]


def _linear(v0: float, pts: Points) -> list[Model]:
    d2, v2 = pts[2]
    slope = (v2 - v0) / d2
    return [Model("linear", v0, lambda d, lib: v0 + slope * d)]


def _exponential(v0: float, pts: Points) -> list[Model]:
    d2, v2 = pts[2]
    if not (v0 > 0 and v2 > 0) or v0 == v2:
        return []
    log_ratio = math.log(v2 / v0) / d2
    return [Model("exponential", v0, lambda d, lib: v0 * lib.exp(log_ratio * d))]


def _one_minus_sqrt(v0: float, pts: Points) -> list[Model]:
    """A ``1-sqrt`` run, from the registry's ``phi(u) = 1 - sqrt(1 - u)``.

    Falling (measured from the lower end): ``v0 - K sqrt(d)``, ``K = (v0 - end) / sqrt(L)``
    for any ``L``; rising, it depends on ``L``: solved as any ratio shape (:func:`_by_ratio`).
    """
    d2, v2 = pts[2]
    if v2 > v0:
        return _ONE_MINUS_SQRT_UP(v0, pts)
    if not v2 < v0:
        return []
    k = (v0 - v2) / math.sqrt(d2)
    return [Model("1-sqrt", v0, lambda d, lib: v0 - k * lib.sqrt(d))]


def _cosine(v0: float, pts: Points) -> list[Model]:
    """Half a cosine period ``L`` from ``v0`` to ``e``: ``e + (v0 - e) cos^2(pi d / 2L)``.

    ``(v0 - v1) / (v0 - v2) = sin^2(pi d1 / 2L) / sin^2(pi d2 / 2L)`` does not depend on
    ``e`` and falls as ``L`` grows (for ``L >= d2``): ``L`` by bisection, then ``e``.
    """
    (d1, v1), (d2, v2) = pts[1], pts[2]
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
        for end in _ends(e, v0, v2):

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

    def solve(v0: float, pts: Points) -> list[Model]:
        d2, v2 = pts[2]
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


def _bisect(f: Callable[[float], float], target: float, lo: float, hi: float) -> float | None:
    """The ``x`` in ``[lo, hi]`` (``0 < lo``) where the monotone ``f(x) == target``, else ``None``.

    Bisected in log space (lengths and powers span decades).
    """
    try:
        a, b = f(lo), f(hi)
    except (ValueError, OverflowError, ZeroDivisionError):
        return None
    if not (min(a, b) <= target <= max(a, b)):
        return None
    grows = b > a
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if not lo < mid < hi:  # to the last bit
            break
        if (f(mid) < target) == grows:
            lo = mid
        else:
            hi = mid
    return math.sqrt(lo * hi)


def _crossing(f: Callable[[float], float], a: float, b: float) -> float | None:
    """Where ``f`` changes sign in ``[a, b]`` (``0 < a < b``), bisected in log space."""
    fa = f(a)
    while True:
        mid = math.sqrt(a * b)
        if not a < mid < b:  # to the last bit
            break
        fm = f(mid)
        if not math.isfinite(fm):
            return None
        if (fm < 0) == (fa < 0):
            a, fa = mid, fm
        else:
            b = mid
    return math.sqrt(a * b)


def _safe(f: Callable[[float], float], x: float) -> float:
    """``f(x)``, NaN where a trial parameter leaves the domain of ``math``."""
    try:
        return f(x)
    except (ValueError, OverflowError, ZeroDivisionError):
        return math.nan


def _roots(f: Callable[[float], float], target: float, lo: float, hi: float) -> list[float]:
    """Every ``x`` in ``[lo, hi]`` (``0 < lo``) where ``f(x) == target``, nearest ``lo`` first.

    ``f`` need not be monotone (a ratio of rises of a shape with an inflection, as ``tanh``):
    a scan of 48 points evenly spaced in log space brackets each crossing, bisected then.
    """

    def miss(x: float) -> float:
        return _safe(f, x) - target

    return _crossings(miss, [lo * (hi / lo) ** (i / 47) for i in range(48)])


def _crossings(miss: Callable[[float], float], grid: list[float]) -> list[float]:
    """The sign changes of ``miss`` between neighbours of ``grid``, each bisected."""
    values = [miss(x) for x in grid]
    out = []
    for i in range(len(grid) - 1):
        fa, fb = values[i], values[i + 1]
        if math.isfinite(fa) and math.isfinite(fb) and (fb == 0 or (fa < 0) != (fb < 0)):
            root = _crossing(miss, grid[i], grid[i + 1])
            if root is not None:
                out.append(root)
    return out


#: The longest phase solved for, in windows: a window that short of its phase sees too
#: little of the shape to tell it; the galloping windows grow to see more.
_LONGEST = 1e4


def _by_ratio(
    shape: str, phi: Callable[[Any, Any], Any], *, rising: bool | None = None
) -> Callable[[float, Points], list[Model]]:
    """A shape of fixed length ``L`` solved from the ratio of two rises (``phi(u, lib)``).

    Rising, the registry's ``phi`` goes up from the start: ``v0 + (e - v0) phi(d / L)``;
    falling, it is measured from the lower end: ``v0 + (e - v0) (1 - phi(1 - d / L))``. Either
    is ``v0 + (e - v0) H(d / L)``, so ``(v1 - v0) / (v2 - v0) = H(d1 / L) / H(d2 / L)``
    gives ``L`` (bisected), then ``e`` from the far point. ``rising``: the one orientation
    solved (``None``: both).
    """

    def solve(v0: float, pts: Points) -> list[Model]:
        d1, d2, v2 = pts[1][0], pts[2][0], pts[2][1]
        up = v2 > v0
        if d1 >= d2 or not _monotone(v0, pts) or (rising is not None and up != rising):
            return []

        def h(u: Any, lib: Any) -> Any:
            return phi(u, lib) if up else 1.0 - phi(1.0 - u, lib)

        found: list[float] = []
        for da, va in {pts[0], pts[1]}:  # (a ratio may touch its target, not cross it: two)

            def ratio(x: float, da: float = da) -> float:
                return float(h(da / x, math) / h(d2 / x, math))

            found += _roots(ratio, (va - v0) / (v2 - v0), d2, d2 * _LONGEST)
        out = []
        lengths: list[Fraction | int] = []
        for n in [n for length in found for n in _nice(length)]:
            if n in lengths:
                continue
            lengths.append(n)
            lf = float(n)
            rise = h(d2 / lf, math)
            if not rise > 0:
                continue
            e = v0 + (v2 - v0) / rise
            for end in _ends(e, v0, v2):

                def formula(d: Any, lib: Any, e: float = end, lf: float = lf) -> Any:
                    if lib is math:
                        return v0 + (e - v0) * h(d / lf, lib) if d <= lf else math.nan
                    inside = v0 + (e - v0) * h(lib.minimum(d, lf) / lf, lib)
                    return lib.where(d <= lf, inside, math.nan)

                out.append(Model(shape, v0, formula, end=end, length=n))
        return out

    return solve


def _ends(e: float, v0: float, v2: float) -> list[float]:
    """The end values to try: ``e``, and 0 where ``e`` is 0 but for rounding (the usual decay)."""
    if not math.isfinite(e):
        return []
    zero = [0.0] if abs(e) <= 1e-6 * max(v0, v2) else []
    return [*zero, *([e] if e > 0 else [])]


def _tanh_phi(u: Any, lib: Any) -> Any:
    """The registry's ``tanh``: ``(tanh(10 u - 3) + tanh 3) / (tanh 7 + tanh 3)``."""
    return (lib.tanh(10.0 * u - 3.0) + math.tanh(3.0)) / (math.tanh(7.0) + math.tanh(3.0))


def _one_minus_sqrt_phi(u: Any, lib: Any) -> Any:
    """The registry's ``1-sqrt``: ``1 - sqrt(1 - u)``."""
    return 1.0 - lib.sqrt(1.0 - u)


_ONE_MINUS_SQRT_UP = _by_ratio("1-sqrt", _one_minus_sqrt_phi, rising=True)


def _log(v0: float, pts: Points) -> list[Model]:
    """A rising ``log`` run: ``v0 + K log(1 + d)`` (``L`` is the run's extent)."""
    d2, v2 = pts[2]
    if not v2 > v0:
        return []
    k = (v2 - v0) / math.log1p(d2)
    return [Model("log", v0, lambda d, lib: v0 + k * lib.log1p(d))]


def _powers(p: float) -> list[float]:
    """Exponents to try near ``p``: the simplest decimals first, then ``p`` itself."""
    out: list[float] = []
    for digits in range(4):
        q = round(p, digits)
        if q > 0 and q not in out and abs(q - p) <= 1e-3 * max(1.0, p):
            out.append(q)
    return [*out, p] if p not in out else out


def _monotone(v0: float, pts: Points) -> bool:
    """Whether the first value and the points rise or fall strictly (a shape's run may)."""
    pairs = list(itertools.pairwise([v0, *(v for _, v in pts)]))
    return all(a < b for a, b in pairs) or all(a > b for a, b in pairs)


def _polynomial(v0: float, pts: Points) -> list[Model]:
    """A ``polynomial`` run: :func:`_rising_power` or :func:`_falling_power`."""
    (d0, _), (d1, _), (d2, v2) = pts
    if not (0 < d0 < d1 < d2 and _monotone(v0, pts)):
        return []
    return _rising_power(v0, pts) if v2 > v0 else _falling_power(v0, pts)


def _rising_power(v0: float, pts: Points) -> list[Model]:
    """``(d/L)^p`` from the lower end: ``v0 + K d^p``, ``p`` from two points, ``L`` the run's."""
    (d1, v1), (d2, v2) = pts[1], pts[2]
    p = math.log((v1 - v0) / (v2 - v0)) / math.log(d1 / d2)
    out = []
    for q in _powers(p):
        if q != 1.0:  # (the linear model's)
            k = (v2 - v0) / d2**q

            def rise(d: Any, lib: Any, k: float = k, q: float = q) -> Any:
                return v0 + k * d**q

            out.append(Model("polynomial", v0, rise, power=q))
    return out


def _poly_rest(u: Any, q: float, lib: Any) -> Any:
    """What is left of a falling polynomial's height at ``u``: ``(1 - u)^q``."""
    return (1.0 - u) ** q if lib is math else lib.maximum(1.0 - u, 0.0) ** q


def _cosine_rest(u: Any, q: float, lib: Any) -> Any:
    """What is left of a falling cosine's height at ``u``, to the power ``q``: ``cos^2q``."""
    return lib.cos(math.pi / 2 * u) ** (2.0 * q)


def _falling_power(v0: float, pts: Points, shape: str = "polynomial") -> list[Model]:
    """A falling shape with an exponent, to ``e``: ``e + (v0 - e) rest(d / L, p)``.

    ``rest``: :func:`_poly_rest` or :func:`_cosine_rest` (the registry's ``polynomial`` and
    ``cosine`` with a ``power``, measured from the lower end). For each trial ``p``, ``L``
    from two points as :func:`_by_ratio` does (the ratio is monotone in ``L`` here); ``p``
    is where the third point agrees too: scanned over 0.05 .. 20, then bisected. ``p = 1``
    is the linear (the plain cosine) model's.
    """
    rest = _cosine_rest if shape == "cosine" else _poly_rest
    (d0, w0), (d1, v1), (d2, v2) = pts
    target = (v0 - v1) / (v0 - v2)
    if shape == "polynomial" and math.isclose(target, d1 / d2, rel_tol=1e-9):
        return []  # a line

    def ratio(x: float, q: float) -> float:
        return float((1.0 - rest(d1 / x, q, math)) / (1.0 - rest(d2 / x, q, math)))

    def length_at(q: float) -> float | None:
        return _bisect(lambda x: ratio(x, q), target, d2, d2 * _LONGEST)  # monotone in L

    def miss(q: float) -> float:
        # where no length gives the ratio (p near 1 wants one beyond the range), the nearer
        # end of the range: the miss stays continuous in p, so its sign change is seen
        length = length_at(q)
        if length is None:
            lo, hi = d2, d2 * _LONGEST
            length = hi if abs(ratio(hi, q) - target) < abs(ratio(lo, q) - target) else lo
        fall = (v0 - v2) / (1.0 - rest(d2 / length, q, math))
        return float(v0 - fall * (1.0 - rest(d0 / length, q, math)) - w0)

    out = []
    for p in _crossings(miss, [0.05 * 400 ** ((i + 0.5) / 48) for i in range(48)]):
        for q in _powers(p):
            length = length_at(q)
            for n in _nice(length) if length is not None and q != 1.0 else []:
                lf = float(n)
                if not lf >= d2:
                    continue
                e = v0 - (v0 - v2) / (1.0 - rest(d2 / lf, q, math))
                for end in _ends(e, v0, v2):

                    def fall(d: Any, lib: Any, e: float = end, lf: float = lf, q: float = q) -> Any:
                        if lib is math:
                            return e + (v0 - e) * rest(d / lf, q, lib) if d <= lf else math.nan
                        inside = e + (v0 - e) * rest(lib.minimum(d, lf) / lf, q, lib)
                        return lib.where(d <= lf, inside, math.nan)

                    out.append(Model(shape, v0, fall, end=end, length=n, power=q))
    return out


def _cosine_power(v0: float, pts: Points) -> list[Model]:
    """A falling ``cosine`` with a ``power`` (optax's ``exponent``): :func:`_falling_power`."""
    (d0, _), (d1, _), (d2, v2) = pts
    if not (0 < d0 < d1 < d2 and v2 < v0 and _monotone(v0, pts)):
        return []
    return _falling_power(v0, pts, "cosine")


#: Each shape of the registry that a run can be solved for, simplest first (by its name; a
#: name and its parameter where that is solved apart): from the first value ``v0`` and the
#: :data:`Points` after it (``0 < d0 <= d1 < d2`` steps), the candidate models (parameters
#: rounded in a few ways).
MODELS: dict[str, Callable[[float, Points], list[Model]]] = {
    "constant": _constant,
    "linear": _linear,
    "exponential": _exponential,
    "cosine": _cosine,
    "1-sqrt": _one_minus_sqrt,
    "log": _log,
    "polynomial": _polynomial,
    "tanh": _by_ratio("tanh", _tanh_phi),
    "cosine power": _cosine_power,
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


def _refined(
    best: Run,
    name: str,
    steps: Sequence[int],
    values: Sequence[float],
    *,
    tol: float,
    floor: float,
    arrays: Arrays | None,
) -> Run:
    """A run of a fixed-length shape, its model re-solved on the points it explains.

    Solved on a window that reached past the shape's end, the end value is better
    conditioned from the farthest point explained: re-solved while that explains more.
    """
    first, last = best.first, best.last
    n = len(values)
    s0, v0, model = steps[first], values[first], best.model
    while model.length is not None and last < n - 1 and last - first >= 4:
        models: list[Model] = []
        for far in (last, last - 1, last - 2):  # (a window's ratio may touch, not cross)
            mid, quarter = first + (far - first) // 2, first + (far - first) // 4
            pts = tuple((steps[i] - s0, values[i]) for i in (quarter, mid, far))
            models += MODELS[name](v0, pts)  # type: ignore[arg-type]  # three points
        reached = [
            _explains(m, steps, values, first, n - 1, tol=tol, floor=floor, arrays=arrays)
            for m in models
        ]
        if not reached or max(reached) <= last:
            break
        last = max(reached)
        model = models[reached.index(last)]
    return Run(first, last, model)


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
    if name in _MOVES_AT_ONCE and len(set(values[first : first + 3])) < 3:
        return None  # (a costly solve spared where its shape cannot start)
    best: Model | None = None
    reach = first
    h = 1
    while True:
        far = min(first + 2 * h, n - 1)
        mid = first + max(1, (far - first) // 2)
        if mid >= far:
            break
        quarter = first + max(1, (far - first) // 4)
        pts = tuple((steps[i] - s0, values[i]) for i in (quarter, mid, far))
        window = far  # no model solved from this window: try a wider one
        for k, model in enumerate(solve(v0, pts)):  # type: ignore[arg-type]  # three points
            got = _explains(model, steps, values, first, far, tol=tol, floor=floor, arrays=arrays)
            if k == 0 or got > window:
                window = got
                if got > reach:
                    best, reach = model, got
            if got == far:
                break
        if far == n - 1 or (far - first >= 16 and 2 * (window - first) < far - first):
            break
        h *= 2
    if best is None:
        return None
    last = _explains(best, steps, values, first, n - 1, tol=tol, floor=floor, arrays=arrays)
    run = _refined(Run(first, last, best), name, steps, values, tol=tol, floor=floor, arrays=arrays)
    best, last = run.model, run.last
    if last - first < _MIN_POINTS.get(name, 2) - 1:
        return None
    if best.length is not None and last < n - 1 and steps[last + 1] < s0 + best.length:
        return None  # cut before its end: no segment of this shape says that
    return Run(first, last, best)


#: Shapes whose value moves on each of the first steps of a run (a polynomial's slope at its
#: start is ``p (v0 - e) / L`` falling, ``K`` rising): a step that does not move starts none.
#: (A cosine to a power starts flat, but its values move unless they are float32 ones of a
#: phase of thousands of steps: such a run is reported, never guessed; the costly solve is
#: spared the flat steps of a staircase.)
_MOVES_AT_ONCE = frozenset({"polynomial", "cosine power"})

#: A shape with an exponent is not solved from a start where its exponent-1 case explains
#: five points or more: the run is that case's (a ``p != 1`` curve differs at five points).
_SPARED_BY = {"polynomial": "linear", "cosine power": "cosine"}

#: A run of a shape with more parameters needs more points to say anything.
_MIN_POINTS = {
    "1-sqrt": 4,
    "cosine": 5,
    "inverse_sqrt": 4,
    "inverse_time": 4,
    "exponential": 3,
    "log": 4,
    "polynomial": 5,
    "tanh": 5,
    "cosine power": 5,
}


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
    found: dict[str, Run] = {}
    for name in MODELS:
        simpler = found.get(_SPARED_BY.get(name, ""))
        if simpler is not None and simpler.last - simpler.first >= 4:
            continue
        run = _best_from(name, steps, values, first, tol=tol, floor=floor, arrays=arrays)
        if run is None:
            continue
        found[name] = run
        if best is None or run.last > best.last:
            best = run
            if run.last == len(values) - 1:  # no later (less simple) shape can reach farther
                break
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
