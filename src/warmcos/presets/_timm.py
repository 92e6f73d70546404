"""timm's schedulers."""

# The presets mirror other libraries' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from typing import Any

from ..schedule import MAX_STEPS
from ._core import _DOWN, Below, Preset
from ._kinds import CycleLimit, Finite, Length, Positive, Rate, Seed, Spec, Steps, Switch
from ._shared import _geometric_cycles, _last_peak, _restarts, _scaled


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
    names = ("t_initial", "cycle_mul", "cycle_limit")
    decays, mul = _geometric_cycles(t_initial, cycle_mul, cycle_limit, names)
    _last_peak(lr, cycle_decay, cycle_limit, ("lr", "cycle_decay", "cycle_limit"))
    lowest = min(lr, _scaled(lr, cycle_decay, cycle_limit - 1))
    if lr_min > lowest:
        raise ValueError(
            "lr_min must be <= every cycle's peak, the lowest of lr * cycle_decay**k = "
            f"{lowest!r} (each cosine goes down to lr_min); received {lr_min=}, {lr=}, "
            f"{cycle_decay=}, {cycle_limit=}"
        )
    total = (warmup_t if warmup_prefix else 0) + decays
    if not warmup_t < total or total > MAX_STEPS:
        cosine = "t_initial * cycle_mul**k over the cycles" + (" + warmup_t" * warmup_prefix)
        raise ValueError(
            f"warmup_t must be < the schedule's length ({cosine}) = {total}, a 64-bit step "
            f"(the cosine needs steps after the warmup); received {warmup_t=}, "
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
    }


#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "timm_cosine": Preset(
        "timm.scheduler.cosine_lr:CosineLRScheduler",
        scaled=True,
        spec=_timm_cosine,
        unsupported={
            "noise_range_t": "noise is not part of a deterministic schedule",
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
}
