"""Staircases and exponential curves as compositions: optax's and Keras' ``staircase=True``.

A staircase is a continuous curve read once per period. When its stairs start on multiples
of a whole period it is the curve under a per-period clock (``every=period``, exact); when
they do not (a ``transition_begin`` off the period, a period of 2.5 steps) the stairs are
written out, one constant segment each, at the first whole step of each.
"""

# The curve's parameters, in the libraries' order.
# ruff: noqa: PLR0917

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from ..compose import Composition, Segment
from ..schedule import MAX_STEPS

#: The most stairs a staircase is written out with.
MAX_STAIRS = 10_000

_DECADES = math.log(1e300)


@dataclass(frozen=True)
class Names:
    """The library's names for the initial value, the period, the rate and the delay."""

    init: str
    period: str
    rate: str
    begin: str = "transition_begin"


OPTAX = Names("init_value", "transition_steps", "decay_rate")
KERAS = Names("initial_learning_rate", "decay_steps", "decay_rate", "the start")


def plain(x: Fraction) -> int | str:
    """An exact length as a Composition reads it: an int, or ``"p/q"``."""
    return int(x) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def geometric(init: float, rate: float, periods: Fraction, where: str, names: Names) -> float:
    """``init * rate ** periods``, or ``ValueError`` if it leaves what a float phase holds."""
    value: float
    try:
        value = init * rate ** float(periods)
    except OverflowError:
        value = math.inf
    if init and not (0 < value < math.inf and abs(math.log(value / init)) < _DECADES):
        raise ValueError(
            f"{where}: {names.init} * {names.rate} ** (steps / {names.period}) = {init!r} * "
            f"{rate!r} ** {float(periods)!r} must be finite, above 0 and within 300 decades of "
            f"{names.init} (an exponential phase is a float64 geometric ramp); it is {value!r}"
        )
    return value


def exponential(
    init: float,
    period: float,
    rate: float,
    begin: int,
    staircase: bool,
    end: float | None,
    horizon: int,
    *,
    names: Names = OPTAX,
) -> Composition:
    """``init`` up to ``begin``, then ``init * rate ** ((step - begin) / period)`` to ``horizon``.

    The exponent floored with ``staircase``; ``end`` (a floor when it decays, a ceiling when
    it rises, as optax's clip) ends the curve where it is reached (to within 2**-20 of a
    step) and holds. ``period > 0``, ``rate > 0``, ``begin >= 0``. Values whose arithmetic
    leaves float64 (a period of 1e-320 steps, a subnormal start) are a ``ValueError``.
    """
    try:
        return _exponential(init, period, rate, begin, staircase, end, horizon, names)
    except (OverflowError, ZeroDivisionError) as error:
        raise ValueError(
            f"{names.init}={init!r}, {names.period}={period!r}, {names.rate}={rate!r} and the "
            f"end value {end!r} give numbers beyond float64 over {horizon} steps ({error})"
        ) from None


def _exponential(
    init: float,
    period: float,
    rate: float,
    begin: int,
    staircase: bool,
    end: float | None,
    horizon: int,
    names: Names,
) -> Composition:
    exact_period = Fraction(str(period))  # the decimal it prints as, as lengths are read
    rising = rate >= 1  # end is then a ceiling (optax's jnp.minimum)
    if end is not None and (init == 0 or (end <= init) == rising):
        # clipped from the first step: min(init, end) rising, max(init, end) decaying
        return Composition([Segment(horizon, min(init, end) if rising else max(init, end))])
    if init == 0 or rate == 1 or (staircase and begin + exact_period > MAX_STEPS):
        # (a first stair that ends past every 64-bit step: the value never moves)
        return Composition([Segment(horizon, init)])
    if staircase and not (exact_period.denominator == 1 and begin % exact_period == 0):
        clip = (min if rising else max) if end is not None else None

        def stair(k: int) -> float:
            value = geometric(init, rate, Fraction(k), f"stair {k}", names)
            return value if clip is None or end is None else clip(value, end)

        return written(stair, exact_period, begin, horizon, names)
    span = Fraction(max(horizon - begin, 1))
    if staircase:  # a per-period clock: the continuous curve read at multiples of the period
        span = exact_period * math.ceil(span / exact_period)
    segments = [Segment(begin, init)] if begin else []
    # end is reached after `periods` periods: the curve ends there and holds it
    periods = None
    if end:
        exact = math.log(end / init) / math.log(rate)
        periods = max(Fraction(exact).limit_denominator(2**20), Fraction(1, 2**20))
    if end and periods is not None and periods * exact_period < span:
        length = periods * exact_period
        segments.append(Segment(plain(length), init, end, "exponential"))
        segments.append(Segment(plain(span - length), end))
    else:
        last = geometric(init, rate, span / exact_period, "the value at the horizon", names)
        segments.append(Segment(plain(span), init, last, "exponential"))
    return Composition(segments, every=int(exact_period) if staircase else 1)


def written(
    stair: Callable[[int], float], period: Fraction, begin: int, horizon: int, names: Names
) -> Composition:
    """A staircase written out: ``stair(k)`` from step ``begin + k * period`` on.

    Stair ``k`` starts at the first whole step at or after ``begin + k * period`` (several
    stairs start at one step when the period is below 1: the last of them holds there), up
    to the first stair at or after ``horizon``. That last one is a half-step segment ending
    on its step, so the composition ends on it and holds its value.
    """
    count = max(1, math.ceil((horizon - begin) / period))
    if count > MAX_STAIRS:
        raise ValueError(
            f"a staircase whose stairs are not on multiples of a whole {names.period} (from "
            f"{names.begin}) is written out stair by stair, at most {MAX_STAIRS} of them; "
            f"received {names.period}={float(period)!r}, {names.begin}={begin!r}, "
            f"horizon={horizon!r} ({count} stairs)"
        )
    starts: dict[int, int] = {}  # whole step -> the last stair that starts there
    for k in range(1, count + 1):
        starts[math.ceil(begin + k * period)] = k
    values = [stair(0), *(stair(k) for k in starts.values())]
    steps = [0, *starts]
    half = Fraction(1, 2)
    segments = [
        Segment(plain(Fraction(b - a) - half * (i == len(steps) - 2)), v)
        for i, ((a, b), v) in enumerate(zip(itertools.pairwise(steps), values[:-1], strict=True))
    ]
    segments.append(Segment("1/2", values[-1]))
    return Composition(segments)
