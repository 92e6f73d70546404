"""Mapping pieces several libraries share: polynomial and exponential decays, restart cycles."""

from __future__ import annotations

import math

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from fractions import Fraction
from typing import Any

from ..schedule import MAX_STEPS
from ._kinds import Spec


def _polynomial(
    init: float, end: float, power: float, steps: int, begin: int = 0, *, names: tuple[str, str]
) -> Spec:
    """A polynomial from ``init`` to ``end`` over ``steps`` after ``begin`` steps at ``init``.

    ``names``: the library's names for ``init`` and ``end``.
    """
    rising = f"a rising polynomial ({names[0]} < {names[1]})"
    values = f"{names[0]}={init!r}, {names[1]}={end!r}"
    if steps <= 0:  # optax and Keras hold init_value; a constant schedule
        return {"peak_lr": init, "total_steps": 1, "decay_shape": "constant"}
    begin = max(0, begin)  # optax reads a negative transition_begin as 0
    if init >= end:  # a decay, with the hold before it as a stable phase
        return {
            "peak_lr": init,
            "total_steps": begin + steps,
            "stable_steps": begin,
            "final_lr": end,
            "decay_shape": "polynomial",
            "power": power,
        }
    if begin:
        raise ValueError(
            f"{rising} is a warmup in warmcos, and a warmup cannot be delayed: "
            f"transition_begin must be 0 there; received {values}, transition_begin={begin!r}"
        )
    # A rise is a warmup: (init - end) * (1 - u) ** p + end = end - (end - init) * (1 - u) ** p,
    # measured up from init that is 1 - (1 - u) ** p: linear for p = 1, "1-sqrt" for p = 1/2.
    # warmcos' polynomial warmup is u ** p (measured from its lower end), another curve.
    rise = {1: "linear", 0.5: "1-sqrt"}.get(power)
    if rise is None:
        raise ValueError(
            f"{rising} with power other than 1 or 0.5 is not a warmcos warmup: it rises as "
            f"1 - (1 - u)**power, warmcos' polynomial warmup as u**power; received {values}, "
            f"power={power!r}"
        )
    return {
        "peak_lr": end,
        "total_steps": steps + 1,
        "warmup_steps": steps,
        "warmup_start_lr": init,
        "warmup_shape": rise,
        "decay_shape": "constant",
    }


_MAX_DECADES = math.log(1e300)


def _exponential(peak: float, decay_rate: float, steps: int, period: float, formula: str) -> Spec:
    """The decay ``peak * decay_rate ** (t / period)`` over ``steps`` steps (``formula``)."""
    if decay_rate == 1:
        return {"final_lr": peak, "decay_shape": "constant"}
    final = peak * decay_rate ** (steps / period)  # underflows to 0, never overflows
    if not (final > 0 and math.log(peak / final) < _MAX_DECADES):
        raise ValueError(
            f"{formula}, the rate at the horizon, must be above 0 and at most 300 decades "
            f"below the peak (warmcos' exponential decay is a float64 geometric ramp); it is "
            f"{final!r}"
        )
    return {"final_lr": final, "decay_shape": "exponential"}


def _scaled(first: float, ratio: float, k: int) -> float:
    """``first * ratio ** k`` in floats, ``inf`` where it overflows."""
    try:
        return first * ratio**k
    except OverflowError:
        return math.inf


def _restarts(cycles: int, **fields: Any) -> Spec:
    """The restart fields, only when there are restarts (Schedule rejects them otherwise)."""
    return {"cycles": cycles, **fields} if cycles > 1 else {}


def _geometric_cycles(
    first: int, mul: float, cycles: int, names: tuple[str, str, str]
) -> tuple[int, Fraction]:
    """The total of ``cycles`` lengths ``first * mul**k``, each a whole number of steps.

    ``names``: the library's names for ``first``, ``mul`` and ``cycles``. The work is bounded
    whatever ``cycles`` is: for ``mul == 1`` the total is ``first * cycles``; otherwise the
    lengths are whole and below 2**63 for at most 64 cycles (``mul = p / q`` with ``q > 1``
    needs ``q**k`` to divide ``first``; with ``q == 1`` they at least double), and the loop
    stops at the first one that is not.
    """
    first_name, mul_name, cycles_name = names
    received = f"received {first_name}={first}, {mul_name}={mul!r}, {cycles_name}={cycles}"
    m = Fraction(mul)
    if m == 1:
        total = first * cycles
    else:
        total, length = 0, Fraction(first)
        for k in range(cycles):
            if length.denominator != 1:
                raise ValueError(
                    f"cycle {k}'s length, {first_name} * {mul_name}**{k}, must be a whole "
                    f"number of steps; it is {float(length)!r}; {received}"
                )
            total += int(length)
            if total > MAX_STEPS:
                break
            length *= m
    if total > MAX_STEPS:
        raise ValueError(
            f"the {cycles_name} cycles' lengths, {first_name} * {mul_name}**k, must add up to "
            f"at most 2**63 - 1 steps (64-bit integers); {received}"
        )
    return total, m


def _last_peak(peak: float, decay: float, cycles: int, names: tuple[str, str, str]) -> None:
    """``ValueError`` unless the last cycle's peak, ``peak * decay ** (cycles - 1)``, is finite."""
    if not math.isfinite(_scaled(peak, decay, cycles - 1)):
        peak_name, decay_name, cycles_name = names
        raise ValueError(
            f"the last cycle's peak, {peak_name} * {decay_name} ** ({cycles_name} - 1), must be "
            f"finite; received {peak_name}={peak!r}, {decay_name}={decay!r}, "
            f"{cycles_name}={cycles}"
        )


def _espnet_warmup(lr: float, peak: float, warmup_steps: int, horizon: int) -> Spec:
    """ESPnet's ``min(step ** -0.5, step * warmup_steps ** -1.5)`` with ``step = k + 1``.

    The rise ``(k + 1) / W`` peaks at update ``W - 1``, and the decay from there is
    ``sqrt(W / (k + 1))``: warmcos' inverse square root with timescale ``W``, ``d = k - W + 1``
    updates into it.
    """
    return {
        "peak_lr": peak,
        "total_steps": horizon,
        "warmup_steps": warmup_steps - 1,
        "warmup_start_lr": peak / warmup_steps,
        "decay_shape": "inverse_sqrt",
        "timescale": warmup_steps,
    }


def _linspace_warmup(start: float, peak: float, count: int) -> Spec:
    """The first ``count`` values ``np.linspace(start, peak, count)``, then a phase from ``peak``.

    ``linspace`` reaches ``peak`` on its last value, update ``count - 1``, and the next phase
    starts from ``peak`` again at update ``count``: a warmup of ``count - 1`` steps and one
    stable step. ``linspace(start, peak, 1)`` is ``[start]``: one warmup step from ``start``.
    An ``(it + 1) / W`` warmup is ``linspace(peak / W, peak, W)``.
    """
    if count == 0:
        return {}
    if count == 1:
        return {"warmup_steps": 1, "warmup_start_lr": start}
    return {"warmup_steps": count - 1, "warmup_start_lr": start, "stable_steps": 1}


def _warmup_then_hold(peak: float, warmup: int, start: int, rule: str, received: str) -> Spec:
    """A ``peak * (it + 1) / warmup`` warmup, then ``peak`` up to update ``start``.

    The decay that follows starts from ``peak`` at ``start``; the warmup peaks at update
    ``warmup - 1``, so it must end there at the latest (``warmup <= start + 1``), or
    ``ValueError`` saying ``rule`` and ``received``. A one-step warmup (``peak`` at update 0)
    is none.
    """
    if warmup > start + 1:
        raise ValueError(
            f"{rule} (the warmup, which peaks at update {warmup - 1}, must end where the "
            f"decay starts, at update {start}, at the latest); received {received}"
        )
    spec = _linspace_warmup(peak / warmup, peak, warmup) if warmup > 1 else {}
    return spec | {"stable_steps": start - spec.get("warmup_steps", 0)}
