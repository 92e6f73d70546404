"""The independent reference of the accuracy tests: SPEC §1 in mpmath, at high precision.

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
