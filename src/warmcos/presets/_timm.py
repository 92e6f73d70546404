"""timm's schedulers."""

# The presets mirror other libraries' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

import bisect
import math

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Annotated, Any

from ..compose import Composition, Segment
from ..schedule import MAX_STEPS
from ._core import _DOWN, Below, Preset
from ._kinds import (
    CycleLimit,
    Finite,
    Items,
    Length,
    Positive,
    Rate,
    Real,
    Seed,
    Spec,
    Steps,
    Switch,
)
from ._shared import _geometric_cycles, _last_peak, _restarts, _scaled

#: timm's ``decay_t`` of ``StepLRScheduler``: a period ``> 0`` (a float: ``t // decay_t``).
Period = Annotated[float, Real(0.0, low_open=True, why="timm divides t by it")]

#: timm's ``decay_t`` of ``MultiStepLRScheduler``: the milestones, in timm's time units.
Milestones = Annotated[Sequence[Steps], Items(1, 10_000, "milestones")]

#: timm's default bounds of ``TanhLRScheduler``: those of the ``"tanh"`` shape.
_LB, _UB = -7.0, 3.0

#: The most constant pieces a step preset writes before its horizon.
_MAX_PIECES = 10_000


def _timm_cycles(
    lr: float,
    t_initial: int,
    lr_min: float,
    cycle_mul: float,
    cycle_decay: float,
    cycle_limit: int,
    warmup_t: int,
    warmup_lr_init: float,
    warmup_prefix: bool,
    decay: Spec,
) -> Spec:
    """The cycles of ``decay`` (``decay_shape`` and its parameters) with its warmup."""
    names = ("t_initial", "cycle_mul", "cycle_limit")
    decays, mul = _geometric_cycles(t_initial, cycle_mul, cycle_limit, names)
    _last_peak(lr, cycle_decay, cycle_limit, ("lr", "cycle_decay", "cycle_limit"))
    lowest = min(lr, _scaled(lr, cycle_decay, cycle_limit - 1))
    if lr_min > lowest:
        raise ValueError(
            "lr_min must be <= every cycle's peak, the lowest of lr * cycle_decay**k = "
            f"{lowest!r} (each decay goes down to lr_min); received {lr_min=}, {lr=}, "
            f"{cycle_decay=}, {cycle_limit=}"
        )
    total = (warmup_t if warmup_prefix else 0) + decays
    if not warmup_t < total or total > MAX_STEPS:
        cycles = "t_initial * cycle_mul**k over the cycles" + (" + warmup_t" * warmup_prefix)
        raise ValueError(
            f"warmup_t must be < the schedule's length ({cycles}) = {total}, a 64-bit step "
            f"(the decay needs steps after the warmup); received {warmup_t=}, "
            f"{warmup_prefix=}, {t_initial=}, {cycle_mul=}, {cycle_limit=}"
        )
    return {
        "peak_lr": lr,
        "total_steps": total,
        "warmup_steps": warmup_t,
        "warmup_start_lr": warmup_lr_init,
        "final_lr": lr_min,
        **_restarts(cycle_limit, cycle_mul=float(mul), cycle_decay=cycle_decay),
        "decay_from_zero": not warmup_prefix,
        **decay,
    }


def _timm_cosine(
    lr: Rate,
    t_initial: Length,
    lr_min: Rate = 0.0,
    cycle_mul: Positive = 1.0,
    cycle_decay: Positive = 1.0,
    cycle_limit: CycleLimit = 1,
    warmup_t: Steps = 0,
    warmup_lr_init: Rate = 0.0,
    warmup_prefix: Switch = False,
    t_in_epochs: Switch = True,
    noise_range_t: Any = None,
    noise_pct: Finite = 0.67,
    noise_std: Finite = 1.0,
    noise_seed: Seed = 42,
    k_decay: float = 1.0,
    initialize: Switch = True,
) -> Spec:
    return _timm_cycles(
        lr, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_lr_init,
        warmup_prefix, {},
    )  # fmt: skip


def _timm_poly(
    lr: Rate,
    t_initial: Length,
    power: Positive = 0.5,
    lr_min: Rate = 0.0,
    cycle_mul: Positive = 1.0,
    cycle_decay: Positive = 1.0,
    cycle_limit: CycleLimit = 1,
    warmup_t: Steps = 0,
    warmup_lr_init: Rate = 0.0,
    warmup_prefix: Switch = False,
    t_in_epochs: Switch = True,
    noise_range_t: Any = None,
    noise_pct: Finite = 0.67,
    noise_std: Finite = 1.0,
    noise_seed: Seed = 42,
    k_decay: float = 1.0,
    initialize: Switch = True,
) -> Spec:
    # timm's (1 - t / T) ** power is warmcos' polynomial decay, (m / L) ** power from lr_min
    return _timm_cycles(
        lr, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_lr_init,
        warmup_prefix, {"decay_shape": "polynomial", "power": power},
    )  # fmt: skip


def _timm_tanh(
    lr: Rate,
    t_initial: Length,
    lb: float = _LB,
    ub: float = _UB,
    lr_min: Rate = 0.0,
    cycle_mul: Positive = 1.0,
    cycle_decay: Positive = 1.0,
    cycle_limit: CycleLimit = 1,
    warmup_t: Steps = 0,
    warmup_lr_init: Rate = 0.0,
    warmup_prefix: Switch = False,
    t_in_epochs: Switch = True,
    noise_range_t: Any = None,
    noise_pct: Finite = 0.67,
    noise_std: Finite = 1.0,
    noise_seed: Seed = 42,
    initialize: Switch = True,
) -> Composition:
    # the cycles' lengths, peaks and floor are checked as timm_cosine's
    _timm_cycles(
        lr, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_lr_init,
        warmup_prefix, {},
    )  # fmt: skip
    if warmup_t and not warmup_prefix:
        raise ValueError(
            "warmup_t > 0 with warmup_prefix=False is not expressible yet: timm's warmup then "
            "covers the first warmup_t steps of the first tanh cycle, which would start "
            "part-way through its curve (a segment starts at its curve's start); received "
            f"{warmup_t=}, {warmup_prefix=} (warmup_prefix=True runs the cycles after it)"
        )

    def value(peak: float, u: float) -> float:  # timm's, at the fraction u of a cycle
        return lr_min + 0.5 * (peak - lr_min) * (1 - math.tanh(lb * (1.0 - u) + ub * u))

    segments = [Segment(warmup_t, warmup_lr_init, lr)] if warmup_t else []
    length, mul = Fraction(t_initial), Fraction(cycle_mul)
    for i in range(cycle_limit):
        peak = _scaled(lr, cycle_decay, i)  # timm's lr * cycle_decay**i
        segments.append(Segment(_plain(length), value(peak, 0.0), value(peak, 1.0), "tanh"))
        length *= mul
    segments.append(Segment(1, lr_min))  # after the last cycle, timm returns lr_min
    tanh = Composition(segments)
    first = value(lr, 0.0)
    if warmup_t or first in (lr, 0.0):
        return tanh
    # timm sets the optimizer's lr when it is built: without a warmup, step 0 uses lr itself
    return tanh * Composition([Segment(1, lr / first), Segment(1, 1.0)])


def _timm_clocked(
    warmup: tuple[int, float, float],
    decayed: Callable[[int], float],
    changes: Sequence[int],
    *,
    t_in_epochs: bool,
    updates_per_epoch: int,
    horizon: int,
) -> Composition:
    """The warmup, then ``decayed(t)`` piecewise constant, up to ``horizon`` updates.

    ``warmup``: ``(warmup_t, warmup_lr_init, lr)``; ``changes``: the ``t`` (timm's time: epochs
    or updates) where ``decayed`` may change. timm sets the optimizer's ``lr`` when it is built
    (``warmup_lr_init`` if there is a warmup, else ``lr``), so ``t = 0`` without a warmup is
    ``lr`` whatever ``decayed(0)`` is. With ``t_in_epochs`` timm's loop calls
    ``scheduler.step(epoch + 1)`` at each epoch's end: ``t = update // updates_per_epoch``,
    a clock that moves once per epoch.
    """
    warmup_t, warmup_lr_init, lr = warmup
    per = updates_per_epoch if t_in_epochs else 1
    if not warmup_t * per < horizon:
        raise ValueError(
            f"horizon must be > warmup_t{' * updates_per_epoch' * (per > 1)} = "
            f"{warmup_t * per} updates (the warmup ends before the horizon); received "
            f"{horizon=}, {warmup_t=}, {updates_per_epoch=}, {t_in_epochs=}"
        )
    end = Fraction(horizon, per)
    first = warmup_t or 1
    head = Segment(warmup_t, warmup_lr_init, lr) if warmup_t else Segment(1, lr)
    points = sorted({first, *(t for t in changes if first < t < end)}) if first < end else []
    pieces: list[list[Any]] = []  # [length, value] of each constant piece after the head
    stops: list[int | Fraction] = [*points[1:], end]
    for t, stop in zip(points, stops[: len(points)], strict=True):
        value = decayed(t)
        if not math.isfinite(value):
            raise ValueError(
                f"lr * decay_rate ** k must stay finite up to the horizon; it overflows at "
                f"t={t} (timm's time); received {lr=}, {horizon=}"
            )
        if pieces and pieces[-1][1] == value:
            pieces[-1][0] += stop - t
        else:
            pieces.append([stop - t, value])
    segments = [head, *(Segment(_plain(length), value) for length, value in pieces)]
    if per == 1:
        return Composition(segments)
    return Composition(segments, every=per, scale=Fraction(1, per))


def _plain(x: Fraction) -> int | Fraction:
    return int(x) if x.denominator == 1 else x


def _pieces(count: int, what: str) -> None:
    if count > _MAX_PIECES:
        raise ValueError(
            f"{what} change the rate {count} times before the horizon; at most {_MAX_PIECES} "
            "constant pieces are written (lower the horizon)"
        )


def _timm_step(
    lr: Rate,
    decay_t: Period,
    decay_rate: Positive = 1.0,
    warmup_t: Steps = 0,
    warmup_lr_init: Rate = 0.0,
    warmup_prefix: Switch = True,
    t_in_epochs: Switch = True,
    noise_range_t: Any = None,
    noise_pct: Finite = 0.67,
    noise_std: Finite = 1.0,
    noise_seed: Seed = 42,
    initialize: Switch = True,
    *,
    horizon: Length,
    updates_per_epoch: Length = 1,
) -> Composition:
    shift = warmup_t if warmup_prefix else 0

    def decayed(t: int) -> float:
        return _scaled(lr, decay_rate, int((t - shift) // decay_t))  # timm's lr * rate**k

    end = Fraction(horizon, updates_per_epoch if t_in_epochs else 1)
    period = Fraction(decay_t)  # the float's exact value: t // decay_t is exact in floats
    count = 0 if decay_rate == 1 else int((end - shift) // period) + 1
    _pieces(count, "the decays every decay_t")
    # the first t with (t - shift) // decay_t >= j: shift + ceil(j * decay_t)
    changes = [shift - (-j * period).__floor__() for j in range(1, count + 1)]
    return _timm_clocked(
        (warmup_t, warmup_lr_init, lr), decayed, changes, t_in_epochs=t_in_epochs,
        updates_per_epoch=updates_per_epoch, horizon=horizon,
    )  # fmt: skip


def _timm_multistep(
    lr: Rate,
    decay_t: Milestones,
    decay_rate: Positive = 1.0,
    warmup_t: Steps = 0,
    warmup_lr_init: Rate = 0.0,
    warmup_prefix: Switch = True,
    t_in_epochs: Switch = True,
    noise_range_t: Any = None,
    noise_pct: Finite = 0.67,
    noise_std: Finite = 1.0,
    noise_seed: Seed = 42,
    initialize: Switch = True,
    *,
    horizon: Length,
    updates_per_epoch: Length = 1,
) -> Composition:
    for i in range(1, len(decay_t)):
        if decay_t[i] < decay_t[i - 1]:
            raise ValueError(
                f"decay_t must not decrease (timm bisects it); decay_t[{i}]={decay_t[i]} is "
                f"below decay_t[{i - 1}]={decay_t[i - 1]}"
            )
    shift = warmup_t if warmup_prefix else 0

    def decayed(t: int) -> float:
        # timm compares the milestones with t + 1 (a milestone m applies from t = m - 1)
        return _scaled(lr, decay_rate, bisect.bisect_right(decay_t, t - shift + 1))

    changes = [shift + m - 1 for m in decay_t]
    return _timm_clocked(
        (warmup_t, warmup_lr_init, lr), decayed, changes, t_in_epochs=t_in_epochs,
        updates_per_epoch=updates_per_epoch, horizon=horizon,
    )  # fmt: skip


_NOISE = "noise is not part of a deterministic schedule"
_BOUNDS = (
    "the tanh shape is timm's curve for its default bounds lb=-7.0, ub=3.0 (other bounds are "
    "other curves)"
)
_K_DECAY = "the k-decay progress t**k / T**k is not a warmcos decay shape"

_WARMUP = (
    "Linear warmup from ``warmup_lr_init`` over ``warmup_t``; "
    "``warmup_prefix=False`` runs the decay's clock from step 0 under the warmup, so the rate "
    "drops at the end of the warmup, as in timm."
)

_CLOCK = (
    "One step is one of timm's ``t``: an epoch with ``t_in_epochs=True`` (timm's loop calls "
    "``scheduler.step(epoch + 1)`` at each epoch's end), an update with ``t_in_epochs=False`` "
    "(``scheduler.step_update(num_updates)`` after each update)."
)

_STEPS_CLOCK = (
    "The steps are optimizer updates, timm's loop driving it: ``step_update(num_updates)`` "
    "after each update and ``step(epoch + 1)`` at each epoch's end. With ``t_in_epochs=True`` "
    "(timm's default) the rate moves once per epoch of ``updates_per_epoch`` updates "
    "(warmcos' argument, a clock with ``every=updates_per_epoch``; ``decay_t`` and "
    "``warmup_t`` in epochs); with ``t_in_epochs=False`` it moves every update (``decay_t`` "
    "and ``warmup_t`` in updates). timm has no end: the composition covers ``horizon`` "
    "updates (``0 .. horizon - 1``, rounded up to a whole epoch) and holds its last rate "
    "after them. timm sets the "
    "optimizer's ``lr`` when built, so without a warmup the first epoch uses ``lr``."
)

#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "timm_cosine": Preset(
        "timm.scheduler.cosine_lr:CosineLRScheduler",
        scaled=True,
        spec=_timm_cosine,
        unsupported={
            "noise_range_t": _NOISE,
            "k_decay": "cos(pi t**k / T**k) is not a warmcos decay shape",
        },
        rules=(Below(("lr_min",), "lr", _DOWN, strict=False),),
        doc="Linear warmup from ``warmup_lr_init``; ``cycle_limit`` cosines of "
        "``t_initial * cycle_mul ** i`` steps (whole numbers) to ``lr_min``, peaks scaled by "
        "``cycle_decay ** i``; then ``lr_min``. ``warmup_prefix=False`` (timm's default) runs "
        "the cosine's clock from step 0 under the warmup, so the rate drops at the end of the "
        "warmup, as in timm. ``t_in_epochs`` and ``initialize`` do not change the values. "
        "Restarts fall on their exact steps: timm finds the cycle with a float logarithm "
        "when ``cycle_mul != 1`` and puts a few restart steps in the previous cycle (it returns "
        "``lr_min`` where the restart's peak belongs); the preset does not copy that.",
    ),
    "timm_tanh": Preset(
        "timm.scheduler.tanh_lr:TanhLRScheduler",
        scaled=True,
        spec=_timm_tanh,
        unsupported={"noise_range_t": _NOISE, "lb": _BOUNDS, "ub": _BOUNDS},
        rules=(Below(("lr_min",), "lr", _DOWN, strict=False),),
        doc="Linear warmup from ``warmup_lr_init`` (with ``warmup_prefix=True``: the cycles "
        "after it; ``warmup_prefix=False`` with a warmup raises ``ValueError``, not "
        "expressible yet); ``cycle_limit`` decays ``lr_min + (peak - lr_min) / 2 * (1 - "
        "tanh(lb * (1 - t / T) + ub * t / T))`` of ``t_initial * cycle_mul ** i`` steps "
        '(whole numbers), peaks scaled by ``cycle_decay ** i``: ``"tanh"`` segments from '
        "timm's value at ``t = 0`` to its value at ``t = T``; then ``lr_min``. timm sets the "
        "optimizer's ``lr`` when built, so without a warmup step 0 uses ``lr`` (a one-step "
        "factor). " + _CLOCK + " Restarts fall on their exact steps (timm's float logarithm "
        "misplaces some when ``cycle_mul != 1``, as in ``timm_cosine``).",
    ),
    "timm_step": Preset(
        "timm.scheduler.step_lr:StepLRScheduler",
        scaled=True,
        spec=_timm_step,
        unsupported={"noise_range_t": _NOISE},
        doc="``lr * decay_rate ** (t // decay_t)``, ``t`` counted after the warmup with "
        "``warmup_prefix=True`` (timm's default here), from 0 without. "
        + _WARMUP
        + " "
        + _STEPS_CLOCK,
        equal_until="T-1",
    ),
    "timm_multistep": Preset(
        "timm.scheduler.multistep_lr:MultiStepLRScheduler",
        scaled=True,
        spec=_timm_multistep,
        unsupported={"noise_range_t": _NOISE},
        doc="``lr * decay_rate ** k``, ``k`` the number of milestones in ``decay_t`` at or "
        "below ``t + 1`` (timm's convention: milestone ``m`` applies from ``t = m - 1``, one "
        "step before torch's ``MultiStepLR``), ``t`` counted after the warmup with "
        "``warmup_prefix=True`` (timm's default here). " + _WARMUP + " " + _STEPS_CLOCK,
        equal_until="T-1",
    ),
    "timm_poly": Preset(
        "timm.scheduler.poly_lr:PolyLRScheduler",
        scaled=True,
        spec=_timm_poly,
        unsupported={"noise_range_t": _NOISE, "k_decay": _K_DECAY},
        rules=(Below(("lr_min",), "lr", _DOWN, strict=False),),
        doc="Linear warmup from ``warmup_lr_init``; ``cycle_limit`` polynomial decays "
        "``lr_min + (peak - lr_min) * (1 - t / T) ** power`` of ``t_initial * cycle_mul ** i`` "
        "steps (whole numbers), peaks scaled by ``cycle_decay ** i``; then ``lr_min``. "
        + _WARMUP
        + " "
        + _CLOCK
        + " Restarts fall on their exact steps (timm's float "
        "logarithm misplaces some when ``cycle_mul != 1``, as in ``timm_cosine``).",
    ),
}
