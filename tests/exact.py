"""The independent reference of the accuracy tests: the reference formula in mpmath, at high precision.

Written straight from the reference's formula -- ``(1 + cos(pi p)) / 2``, not warmcos's
``sin**2`` form -- at 256 bits, which is enough for the cancellation of ``1 + cos`` in the last
step of a 2**40-step decay (about 80 bits). The precision is local (``workprec``), so no test
changes mpmath's global state for another.
"""

from __future__ import annotations

from collections.abc import Iterable

import mpmath
import numpy as np

from warmcos import Schedule

PRECISION = 256


def exact_lr(schedule: Schedule, step: int) -> mpmath.mpf:
    """The learning rate at ``step``: past the end, ``"hold"`` clamps and ``"wrap"`` does not."""
    w, t = schedule.warmup_steps, schedule.total_steps
    s = step if schedule.after == "wrap" else min(step, t)
    with mpmath.workprec(PRECISION):
        start, peak, final = (
            mpmath.mpf(v) for v in (schedule.warmup_start_lr, schedule.peak_lr, schedule.final_lr)
        )
        if s < w:
            return start + (peak - start) * mpmath.mpf(s) / w
        p = mpmath.mpf(s - w) / (t - w)
        return final + (peak - final) * (1 + mpmath.cos(mpmath.pi * p)) / 2


def exact_lrs(schedule: Schedule, steps: Iterable[int]) -> np.ndarray:
    """:func:`exact_lr` at each step, rounded to float64."""
    return np.array([float(exact_lr(schedule, int(s))) for s in steps], dtype=np.float64)


# -- the family, from the definitions in the Schedule docstring ---------------------------------


def _cycle_bounds(span: int, cycles: int, mul: float) -> list[int]:
    m = mpmath.mpf(repr(mul))
    with mpmath.workprec(PRECISION * 4):
        if m == 1:
            return [int(mpmath.nint(mpmath.mpf(span) * k / cycles)) for k in range(cycles + 1)]
        return [int(mpmath.nint(span * (m**k - 1) / (m**cycles - 1))) for k in range(cycles + 1)]


def _toward(
    a: mpmath.mpf, b: mpmath.mpf, done: int, length: int, *, shape: str, power: float
) -> mpmath.mpf:
    """The textbook form of ``shape`` going from ``a`` (``done = 0``) to ``b`` (``done = length``)."""
    low, high = min(a, b), max(a, b)
    n = done if a <= b else length - done  # steps from the lower end
    x = mpmath.mpf(n) / length
    if shape == "linear":
        phi = x
    elif shape == "cosine":
        phi = ((1 - mpmath.cos(mpmath.pi * x)) / 2) ** power
    elif shape == "polynomial":
        phi = x**power
    elif shape == "exponential":
        return low * (high / low) ** x
    elif shape == "1-sqrt":
        phi = 1 - mpmath.sqrt(1 - x)
    elif shape == "tanh":
        phi = (mpmath.tanh(10 * x - 3) + mpmath.tanh(3)) / (mpmath.tanh(7) + mpmath.tanh(3))
    elif shape == "log":
        phi = mpmath.log(1 + n) / mpmath.log(1 + length)
    elif shape == "constant":
        phi = 0
    else:
        raise AssertionError(shape)
    return low + (high - low) * phi


def exact_family_lr(s: Schedule, step: int) -> mpmath.mpf:
    """Any family member's rate at ``step`` (``after`` = hold or raise), at 256 bits."""
    w, stable, t = s.warmup_steps, s.stable_steps, s.total_steps
    step = min(step, t)
    with mpmath.workprec(PRECISION):
        start, peak, final = (mpmath.mpf(v) for v in (s.warmup_start_lr, s.peak_lr, s.final_lr))
        if step < w:  # with decay_from_zero too: the warmup overlays the decay's start
            return _toward(start, peak, step, w, shape=s.warmup_shape, power=s.warmup_power)
        if step < w + stable or s.decay_shape == "constant":
            return peak
        origin = 0 if s.decay_from_zero else w + stable
        k_total, cw = s.cycles, s.cycle_warmup_steps
        bounds = _cycle_bounds(t - origin - (k_total - 1) * cw, k_total, s.cycle_mul)
        pos = origin
        d = mpmath.mpf(s.cycle_decay)
        for k in range(k_total):
            top = peak * d**k
            floor = final if s.cycle_floor == "fixed" else final * d ** (k - k_total + 1)
            if k and cw:
                if step < pos + cw:
                    return _toward(
                        start, top, step - pos, cw, shape=s.warmup_shape, power=s.warmup_power
                    )
                pos += cw
            length = bounds[k + 1] - bounds[k]
            if step < pos + length or k == k_total - 1:
                done = step - pos
                if s.decay_shape in ("inverse_sqrt", "inverse_time"):
                    q = mpmath.mpf(1) / 2 if s.decay_shape == "inverse_sqrt" else 1
                    tau = mpmath.mpf(s.timescale)
                    return floor + (top - floor) * (tau / (tau + done)) ** q
                return _toward(top, floor, done, length, shape=s.decay_shape, power=s.power)
            pos += length
        raise AssertionError("unreachable")
