"""Queries over a phase table, for every schedule: the first step below a rate, the area.

Both read only what the template and a composition share: a value at every integer step and
the *spans* of the phase table, ranges of steps over which the curve is monotone (each row
of the table is). :meth:`warmcos.Schedule.first_step_below` and
:meth:`warmcos.Composition.first_step_below` bisect with :func:`first_below`;
:meth:`warmcos.Composition.area` sums with :func:`area_over_spans`.
"""

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from .compose import Composition
    from .types import ScheduleLike

__all__ = [
    "area_over_spans",
    "check_range",
    "composition_area",
    "composition_first_below",
    "exact_sum",
    "first_below",
    "spans",
    "values",
]

#: :meth:`warmcos.Composition.area` sums at most this many changing steps one by one.
AREA_STEPS = 1 << 26


def first_below(
    value: Callable[[int], float], spans: Iterable[tuple[int, int]], lr: float, start: int
) -> int | None:
    """The first step ``>= start`` whose value is ``<= lr``; ``None`` if no span has one.

    ``spans``: ``(lo, hi)`` ranges of steps (both included), in order, over each of which
    ``value`` is monotone. A span that begins above ``lr`` and ends at or below it falls: it
    is bisected on integer steps with ``value`` itself, so the answer agrees with it.

    >>> first_below(lambda s: 10 - s, [(0, 10)], 3.5, 0)
    7
    """
    for first, last in spans:
        lo, hi = max(first, start), last
        if lo > hi:
            continue
        if value(lo) <= lr:
            return lo
        if value(hi) > lr:
            continue
        while hi - lo > 1:  # value(lo) > lr >= value(hi): a falling span
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if value(mid) <= lr else (mid, hi)
        return hi
    return None


def check_range(
    start: object, stop: object, *, total: int, after: str, what: str
) -> tuple[int, int]:
    """``(start, stop)`` of ``what(start, stop)``, checked: ints ``0 <= start <= stop``.

    Raises:
        ValueError: a bound not an int ``>= 0``, ``stop < start``, or a step past ``total``
            with ``after="raise"``.
    """
    from ._spec import _is_int

    for name, v in (("start", start), ("stop", stop)):
        if not _is_int(v) or v < 0:  # type: ignore[operator]
            raise ValueError(f"{what} {name} must be an int >= 0; received {name}={v!r}")
    first, last = int(start), int(stop)  # type: ignore[call-overload]
    if last < first:
        raise ValueError(f"{what} needs start <= stop; received start={first}, stop={last}")
    if after == "raise" and last - 1 > total:
        raise ValueError(
            f"step must be <= total_steps={total} because after='raise'; received step={last - 1}"
        )
    return first, last


def area_over_spans(
    value: ScheduleLike,
    spans: Sequence[tuple[int, int]],
    start: int,
    stop: int,
    *,
    limit: int,
) -> float:
    """The sum of ``value`` at steps ``start .. stop - 1``, correctly rounded, a span at a time.

    A span whose two ends are equal is constant (it is monotone): its part is one exact
    product, written as a few floats that add up to it exactly. Every other step's value is
    read (a block at a time); one :func:`math.fsum` adds them all, so the result is the
    correctly rounded sum of exactly the values ``value(step)`` gives. Steps past the last
    span are read one by one too.

    Raises:
        ValueError: more than ``limit`` steps would be read one by one.
    """
    from fractions import Fraction
    from itertools import chain

    exact: list[float] = []
    pieces: list[tuple[int, int]] = []
    for lo, hi in spans:
        a, b = max(lo, start), min(hi + 1, stop)
        if a >= b:
            continue
        if b - a > 2 and value(a) == value(b - 1):
            rest = Fraction(value(a)) * (b - a)
            while rest:  # at most three floats: 53 + 63 bits
                exact.append(float(rest))
                rest -= Fraction(exact[-1])
        else:
            pieces.append((a, b))
    tail = max(spans[-1][1] + 1 if spans else 0, start)
    if stop > tail:
        pieces.append((tail, stop))
    summed = sum(b - a for a, b in pieces)
    if summed > limit:
        raise ValueError(
            f"area() sums a changing curve one step at a time, up to {limit:,} steps; this "
            f"range has {summed:,} changing steps: ask for a shorter range"
        )
    return math.fsum(chain(exact, *(values(value, a, b) for a, b in pieces)))


def exact_sum(schedule: ScheduleLike, start: int, stop: int) -> float:
    """``math.fsum`` of the rates at steps ``start .. stop - 1`` (correctly rounded)."""
    return math.fsum(values(schedule, start, stop))


def values(schedule: ScheduleLike, start: int, stop: int) -> Iterator[float]:
    """The rates at steps ``start .. stop - 1``, read a block at a time (NumPy if it is there)."""
    try:
        import numpy as np  # noqa: F401 - curve() needs it
    except ModuleNotFoundError:
        return (schedule(s) for s in range(start, stop))
    from itertools import chain

    block = 1 << 20
    return chain.from_iterable(
        schedule.curve(a, min(a + block, stop)).tolist() for a in range(start, stop, block)
    )


def spans(self: Composition, total: int) -> list[tuple[int, int]]:
    """Ranges of steps (both ends included) over which ``self`` is monotone, up to ``total``.

    Every boundary of every part's phase table cuts, so each part is monotone within a span;
    a product is too where no two parts move in opposite directions (values are >= 0).

    Raises:
        ValueError: a span where one factor rises and another falls.
    """
    from itertools import pairwise

    cuts = {e for p in self.describe() for e in (p.begin, p.end) if 0 < e < total}
    edges = sorted({0, total, *cuts})  # the step total is a span of its own: a jump may land on it
    spans = [(a, b - 1) for a, b in pairwise(edges)] + [(total, total)]
    if self.factors:
        for lo, hi in spans:
            if _direction(self, lo, hi) is None:
                raise ValueError(
                    f"between steps {lo} and {hi} one factor of this product rises while "
                    "another falls: the curve is not monotone there, so it cannot be bisected "
                    "or summed by spans"
                )
    return spans


def _direction(c: Composition, lo: int, hi: int) -> int | None:
    """+1, -1 or 0 for a part rising, falling or flat over ``lo .. hi``; None for both."""
    parts = [*c.factors, *([c._with(factors=(), floor=None)] if c.segments else [])]
    seen = set()
    for part in parts:
        d = (
            _direction(part, lo, hi)
            if part.factors
            else (part(hi) > part(lo)) - (part(hi) < part(lo))
        )
        if d is None:
            return None
        seen.add(d)
    seen.discard(0)
    return None if len(seen) > 1 else (seen.pop() if seen else 0)


def composition_first_below(c: Composition, lr: object, start: object) -> int | None:
    """:meth:`warmcos.Composition.first_step_below`: its arguments checked, then bisected."""
    from ._spec import _is_int, _lr

    x = _lr(lr, "lr")
    if not _is_int(start) or start < 0:  # type: ignore[operator]
        raise ValueError(f"start must be an int >= 0; received start={start!r}")
    return first_below(c, spans(c, c.total_steps), x, int(start))  # type: ignore[call-overload]


def composition_area(c: Composition, start: object, stop: object) -> float:
    """:meth:`warmcos.Composition.area`: its range checked, then summed by spans."""
    total = c.total_steps
    first, last = check_range(
        start, total if stop is None else stop, total=total, after=c.after, what="area()"
    )
    parts = spans(c, total)
    if c.after == "hold" and last > total + 1:
        parts.append((total + 1, last - 1))  # the held end value: one constant span
    return area_over_spans(c, parts, first, last, limit=AREA_STEPS)
