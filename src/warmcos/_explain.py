"""A logged learning rate against the schedule it was meant to follow: :func:`explain`.

Each known failure is one hypothesis, a function of the plan's curve that the log must equal
at every logged step (within the log's own rounding, as :func:`warmcos.fit` checks): the
scheduler stepped once per epoch instead of per update, stepped ``k`` times per update,
running ``n`` updates early or late, restarted at update ``n`` (resumed with a fresh
scheduler), or the rate scaled by a constant. The first hypothesis that holds names the
failure; when none does, the first step where log and plan part is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import _fit
from .fitting import read

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from .types import ScheduleLike

__all__ = ["DIAGNOSES", "Explanation", "explain"]

#: The diagnoses, in the order they are tried, with what each says.
DIAGNOSES = {
    "matches": "the log follows the plan",
    "scaled": "the log is the plan times {p!r} (a world-size or batch-size scaling?)",
    "per_epoch": (
        "the scheduler was stepped once per epoch of {p} updates instead of once per update"
    ),
    "times": (
        "the scheduler was stepped {p} times per update (one step per process, or per "
        "micro-batch of gradient accumulation?)"
    ),
    "restarted": (
        "the schedule restarted at update {p} (resumed with a fresh scheduler, not its state)"
    ),
    "late": "the schedule runs {p} updates late (resumed without the scheduler's state?)",
    "early": "the schedule runs {p} updates ahead of the updates logged",
    "differs": "the log and the plan part at step {p} (log {log!r}, plan {plan!r})",
}


@dataclass(frozen=True)
class Explanation:
    """What :func:`explain` found.

    Attributes:
        diagnosis: a key of :data:`DIAGNOSES` (``"matches"``, ``"scaled"``, ``"per_epoch"``,
            ``"times"``, ``"restarted"``, ``"late"``, ``"early"``, ``"differs"``).
        parameter: the failure's number: the scale, the epoch's updates, the steps per
            update, the restart's update, the updates late or early; for ``"differs"`` the
            step where log and plan part; ``None`` for ``"matches"``.
        first_difference: the first logged step where the log is not the plan (``None``
            when it is the plan everywhere).
        message: the diagnosis in words.
    """

    diagnosis: str
    parameter: int | float | None
    first_difference: int | None
    message: str

    def __str__(self) -> str:
        return self.message


def _curve(plan: ScheduleLike) -> Callable[[Sequence[int]], list[float]]:
    """The plan at a list of steps (NumPy for many, where installed)."""

    def at(steps: Sequence[int]) -> list[float]:
        if len(steps) > 2000:
            try:
                import numpy as np
            except ModuleNotFoundError:
                pass
            else:
                out: list[float] = plan(np.asarray(steps, dtype=np.int64)).tolist()
                return out
        return [float(plan(s)) for s in steps]

    return at


def explain(
    values: Any,
    plan: ScheduleLike,
    *,
    steps: Sequence[int] | None = None,
    steps_per_epoch: int | None = None,
) -> Explanation:
    """Say how a logged learning rate departs from the schedule it was meant to follow.

    Args:
        values: the logged rate of each update (as :func:`warmcos.fit` takes it: a list, an
            array, or ``(step, lr)`` pairs).
        plan: the schedule the run was meant to follow (a ``Schedule`` or ``Composition``).
        steps: the step of each value (default ``0, 1, 2, ...``).
        steps_per_epoch: the updates in an epoch, for the per-epoch diagnosis (default:
            inferred from the steps where the log changes).

    Returns:
        An :class:`Explanation`: the first known failure under which the log is the plan
        at every logged step, else the first step where they part.

    Raises:
        TypeError, ValueError: the values as :func:`warmcos.fit` checks them, a plan that is
            not a schedule, ``steps_per_epoch`` not an int >= 1.

    >>> import warmcos
    >>> plan = warmcos.Schedule(0.1, 1000, warmup_steps=100)
    >>> log = [plan(s // 50) for s in range(3000)]  # scheduler.step() once per epoch
    >>> str(warmcos.explain(log, plan))
    'the scheduler was stepped once per epoch of 50 updates instead of once per update'
    >>> warmcos.explain([2 * plan(s) for s in range(1000)], plan).parameter
    2.0
    """
    if not callable(plan) or not hasattr(plan, "total_steps"):
        raise TypeError(f"plan must be a Schedule or a Composition; received {type(plan).__name__}")
    if steps_per_epoch is not None and (
        isinstance(steps_per_epoch, bool) or not isinstance(steps_per_epoch, int)
    ):
        raise TypeError(f"steps_per_epoch must be an int; received {steps_per_epoch!r}")
    if steps_per_epoch is not None and steps_per_epoch < 1:
        raise ValueError(f"steps_per_epoch must be >= 1; received {steps_per_epoch!r}")
    given, rates, single = read(values, steps)
    ints, log = list(given), [float(v) for v in rates]  # a log held whole, as lists
    at = _curve(plan)
    planned = at(ints)
    scale = max(*log, *planned, 1e-300)
    limit = _fit.tolerance(single) * scale

    def parts(expected: Sequence[float]) -> int | None:
        """The index of the first value the expected curve does not give, or ``None``."""
        for i, (v, e) in enumerate(zip(log, expected, strict=True)):
            if not abs(v - e) <= limit:
                return i
        return None

    first = parts(planned)
    if first is None:
        return _say("matches", None, None)
    where = ints[first]
    anchor = next((i for i in range(max(first, 1), len(log)) if log[i] != log[i - 1]), first)
    samples = sorted({first, anchor, len(log) // 2, len(log) - 1})
    ratios = [v / p for v, p in zip(log, planned, strict=True) if p > 0 and v > 0]
    if ratios and ratios[0] != 1.0:
        c = ratios[0]
        if parts([c * p for p in planned]) is None:
            return _say("scaled", c, where)
    clocks = _hypotheses(ints, log, at, anchor=anchor, first=first, steps_per_epoch=steps_per_epoch)
    for name, parameter, clock in clocks:
        picked = at([clock(ints[i]) for i in samples])
        near = all(_close(p, log[i], scale) for p, i in zip(picked, samples, strict=True))
        if near and parts(at([clock(s) for s in ints])) is None:
            return _say(name, parameter, where)
    return _say("differs", where, where, log=log[first], plan=planned[first])


def _hypotheses(
    ints: list[int],
    log: list[float],
    at: Callable[[Sequence[int]], list[float]],
    *,
    anchor: int,
    first: int,
    steps_per_epoch: int | None,
) -> Any:
    """``(diagnosis, parameter, clock)`` for each failure worth testing, in order.

    Under each, the log at step ``s`` would be the plan at step ``clock(s)``.
    """
    epochs = [steps_per_epoch] if steps_per_epoch is not None else _epochs(ints, log)
    for e in epochs:
        if e > 1:
            yield "per_epoch", e, lambda s, e=e: s // e
    for k in range(2, 65):
        yield "times", k, lambda s, k=k: k * s
    n = ints[first]
    yield "restarted", n, lambda s: s if s < n else s - n
    for sign, name in ((1, "late"), (-1, "early")):
        for shift in _shifts(ints, log, at, sign, anchor):
            yield name, shift, lambda s, d=sign * shift: max(0, s - d)


def _close(a: float, b: float, scale: float) -> bool:
    """Near enough to be worth checking every step (a quick look at a few)."""
    return abs(a - b) <= 1e-6 * max(abs(scale), 1e-300)


def _epochs(ints: list[int], log: list[float]) -> list[int]:
    """The epoch's updates the log suggests: the gcd of the steps where it changes."""
    k = 0
    for i in range(1, len(log)):
        if log[i] != log[i - 1]:
            k = math.gcd(k, ints[i])
    return [k] if k > 1 else []


def _shifts(
    ints: list[int],
    log: list[float],
    at: Callable[[Sequence[int]], list[float]],
    sign: int,
    anchor: int,
) -> list[int]:
    """Shifts ``d >= 1`` (at most the log's span) under which the anchor's value fits."""
    s, v = ints[anchor], log[anchor]
    span = ints[-1] + 1
    if sign > 0:  # late: log[s] = plan(s - d), d <= s
        candidates = list(range(1, s + 1))
        shifted = at([s - d for d in candidates])
    else:  # early: log[s] = plan(s + d)
        candidates = list(range(1, span + 1))
        shifted = at([s + d for d in candidates])
    return [d for d, p in zip(candidates, shifted, strict=True) if _close(p, v, v)][:16]


def _say(name: str, parameter: Any, where: int | None, **extra: Any) -> Explanation:
    return Explanation(name, parameter, where, DIAGNOSES[name].format(p=parameter, **extra))
