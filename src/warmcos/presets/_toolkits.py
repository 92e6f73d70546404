"""The training toolkits': DeepSpeed, torchtune, ESPnet, pytorch_warmup, Lightning-Bolts, ignite."""

# The presets mirror other libraries' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

import math

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Sequence
from typing import Annotated, Literal

from ..schedule import MAX_STEPS
from ._core import _DOWN, _RESUME, _STEPS_64, _WARMUP_END, Below, Preset
from ._kinds import (
    Count,
    Cycles,
    IntLength,
    Items,
    Length,
    Name,
    Positive,
    Rate,
    Ratio,
    Real,
    Spec,
    Steps,
    Switch,
)
from ._shared import (
    _espnet_warmup,
    _geometric_cycles,
    _last_peak,
    _linspace_warmup,
    _restarts,
    _scaled,
)
from ._transformers import _HF_DECAY, _hf_cosine


def _deepspeed_warmup(warmup_num_steps: int, warmup_type: str, total_num_steps: int) -> Spec:
    """DeepSpeed's warmup, one step late: its scheduler sets the lr before the first update.

    DeepSpeed raises ``warmup_num_steps`` to at least 2 (``max(2, w)``); its log warmup
    ``log(t + 1) / log(w)`` reaches the peak at ``t = w - 1`` (warmcos' ``log`` shape over
    ``w - 1`` steps), its linear warmup ``t / w`` at ``t = w``. Update ``s`` uses its formula at
    ``t = s - 1``, and update 0 the rate of ``t = 0``: ``delay_steps=1``.
    """
    w = max(2, warmup_num_steps)
    if total_num_steps <= w:
        raise ValueError(
            "total_num_steps must be > max(2, warmup_num_steps) for a decay to follow the "
            f"warmup; received total_num_steps={total_num_steps}, "
            f"warmup_num_steps={warmup_num_steps}"
        )
    log = warmup_type == "log"
    return {
        "warmup_steps": w - 1 if log else w,
        "warmup_shape": "log" if log else "linear",
        "delay_steps": 1,
    }


def _deepspeed_cosine(
    lr: Rate,
    total_num_steps: Steps,
    warmup_min_ratio: Ratio = 0.0,
    warmup_num_steps: IntLength = 1000,
    cos_min_ratio: Ratio = 0.0001,
    warmup_type: Literal["log", "linear"] = "log",
    last_batch_iteration: int = -1,
) -> Spec:
    if warmup_type == "linear":
        raise ValueError(
            "warmup_type='linear' is not expressible: DeepSpeed's cosine takes over one step "
            "before its linear warmup reaches lr (the progress is (t - w + 1) / (T - w)), so "
            "the two phases overlap; warmup_type='log' is"
        )
    if warmup_min_ratio != 0.0:
        raise ValueError(
            "warmup_min_ratio != 0 is not expressible: DeepSpeed's first update uses lr 0.0, "
            "not warmup_min_ratio * lr, before its warmup starts; received "
            f"warmup_min_ratio={warmup_min_ratio!r}"
        )
    warmup = _deepspeed_warmup(warmup_num_steps, warmup_type, total_num_steps)
    # the cosine's progress (t - w + 1) / (T - w): from the peak at t = w - 1 to the floor at
    # t = T - 1, i.e. at update T once delayed by one
    return {
        "peak_lr": lr,
        "total_steps": total_num_steps,
        "warmup_start_lr": warmup_min_ratio * lr,
        "final_lr": cos_min_ratio * lr,
        **warmup,
    }


def _deepspeed_decay(
    total_num_steps: Steps,
    warmup_min_lr: Rate = 0.0,
    warmup_max_lr: Rate = 0.001,
    warmup_num_steps: IntLength = 1000,
    warmup_type: Literal["log", "linear"] = "log",
    last_batch_iteration: int = -1,
) -> Spec:
    warmup = _deepspeed_warmup(warmup_num_steps, warmup_type, total_num_steps)
    # the log warmup peaks at t = w - 1 and the linear decay starts from the peak at t = w:
    # one step held at the peak between them
    stable = 1 if warmup_type == "log" else 0
    return {
        "peak_lr": warmup_max_lr,
        "total_steps": total_num_steps + 1,
        "warmup_start_lr": warmup_min_lr,
        "final_lr": warmup_min_lr,
        "stable_steps": stable,
        "decay_shape": "linear",
        **warmup,
    }


def _espnet_warmup_lr(
    lr: Rate, warmup_steps: Length = 25000, last_epoch: int = -1, *, horizon: Length
) -> Spec:
    return _espnet_warmup(lr, lr, warmup_steps, horizon)


def _espnet_noam_lr(
    lr: Rate,
    model_size: Positive = 320,
    warmup_steps: Length = 25000,
    last_epoch: int = -1,
    *,
    horizon: Length,
) -> Spec:
    peak = lr * model_size**-0.5 * warmup_steps**-0.5
    return _espnet_warmup(lr, peak, warmup_steps, horizon)


def _pytorch_warmup_linear(
    lr: Rate, warmup_period: IntLength, last_step: int = -1, *, horizon: Length | None = None
) -> Spec:
    # lr * min(1, (step + 1) / warmup_period), step = k: linspace(lr / W, lr, W), then lr
    return {
        "peak_lr": lr,
        "total_steps": warmup_period if horizon is None else horizon,
        "decay_shape": "constant",
        **_linspace_warmup(lr / warmup_period, lr, warmup_period),
    }


#: Adam's betas: two coefficients in [0, 1).
Betas = Annotated[
    Sequence[Annotated[float, Real(0.0, 1.0, high_open=True)]], Items(2, 2, "coefficients")
]


def _pytorch_warmup_untuned_linear(
    lr: Rate,
    betas: Betas = (0.9, 0.999),
    last_step: int = -1,
    *,
    horizon: Length | None = None,
) -> Spec:
    # UntunedLinearWarmup: LinearWarmup with warmup_period = int(2 / (1 - beta2)), at most
    # 2**54 for a beta2 below 1
    period = int(2.0 / (1.0 - betas[1]))
    if horizon is not None and horizon < period:
        raise ValueError(
            f"horizon must be >= int(2 / (1 - betas[1])) = {period}, the warmup's end "
            f"({_WARMUP_END}); received horizon={horizon}, betas={betas!r}"
        )
    return _pytorch_warmup_linear(lr, period, horizon=horizon)


def _bolts(
    lr: Rate,
    warmup_epochs: Length,
    max_epochs: Length,
    warmup_start_lr: Rate = 0.0,
    eta_min: Rate = 0.0,
    last_epoch: int = -1,
) -> Spec:
    # the warmup adds (lr - warmup_start_lr) / (warmup_epochs - 1) per step: the peak at
    # warmup_epochs - 1, and the cosine starts from it again at warmup_epochs
    return {
        "peak_lr": lr,
        "total_steps": max_epochs,
        "final_lr": eta_min,
        "after": "wrap",
        **_linspace_warmup(warmup_start_lr, lr, warmup_epochs),
    }


#: ignite's cycle_size: it raises below 2.
CycleSize = Annotated[int, Count(minimum=2, low_why="ignite raises for less")]


def _ignite_cosine(
    param_name: Name,
    start_value: Rate,
    end_value: Rate,
    cycle_size: CycleSize,
    cycle_mult: Positive = 1.0,
    start_value_mult: Positive = 1.0,
    end_value_mult: Positive = 1.0,
    warmup_duration: int = 0,
    save_history: Switch = False,
    param_group_index: Steps | None = None,
    *,
    cycles: Cycles,
) -> Spec:
    if end_value_mult not in (1.0, start_value_mult):
        raise ValueError(
            "end_value_mult must be 1 (a fixed floor) or equal start_value_mult (a floor "
            "scaled with the peaks): warmcos' restarts scale a cycle's floor by its peak's "
            f"factor or not at all; received {start_value_mult=}, {end_value_mult=}"
        )
    names = ("cycle_size", "cycle_mult", "cycles")
    total, mul = _geometric_cycles(cycle_size, cycle_mult, cycles, names)
    _last_peak(start_value, start_value_mult, cycles, ("start_value", "start_value_mult", "cycles"))
    scaled = end_value_mult != 1.0
    if scaled and not math.isfinite(_scaled(1.0, 1.0 / start_value_mult, cycles - 1)):
        # warmcos writes the last cycle's floor and scales it back by the peaks' factor
        raise ValueError(
            "start_value_mult ** -(cycles - 1) must be a finite float (the floors scale with "
            "the peaks, from the last cycle's back to the first); bring start_value_mult "
            f"closer to 1 or use fewer cycles; received {start_value_mult=}, {end_value_mult=}, "
            f"{cycles=}"
        )
    last_floor = _scaled(end_value, end_value_mult, cycles - 1)
    if scaled and last_floor > start_value:
        raise ValueError(
            "the last cycle's end_value, end_value * end_value_mult ** (cycles - 1) = "
            f"{last_floor!r}, must be <= start_value (warmcos' final_lr is below its first "
            f"peak); received {end_value=}, {end_value_mult=}, {start_value=}, {cycles=}"
        )
    lowest = min(start_value, _scaled(start_value, start_value_mult, cycles - 1))
    if not scaled and end_value > lowest:
        raise ValueError(
            "end_value must be <= every cycle's start_value, the lowest of start_value * "
            f"start_value_mult**k = {lowest!r} ({_RISING_IGNITE}); received {end_value=}, "
            f"{start_value=}, {start_value_mult=}, {cycles=}"
        )
    return {
        "peak_lr": start_value,
        "total_steps": total,
        # the last cycle's floor: ignite multiplies end_value at every restart
        "final_lr": last_floor,
        **_restarts(
            cycles,
            cycle_mul=float(mul),
            cycle_decay=start_value_mult,
            cycle_floor="scaled" if scaled else "fixed",
        ),
    }


_RISING_IGNITE = "a rising cosine (end_value > start_value) is not a warmcos decay"


#: ESPnet's warmup peaks at update warmup_steps - 1, before the horizon.
_ESPNET_HORIZON = Below(("warmup_steps",), "horizon", _WARMUP_END, strict=False)


#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "deepspeed_warmup_cosine": Preset(
        "deepspeed.runtime.lr_schedules:WarmupCosineLR",
        scaled=True,
        spec=_deepspeed_cosine,
        unsupported={"last_batch_iteration": _RESUME},
        doc="DeepSpeed's log warmup from 0 to ``lr``, cosine to ``cos_min_ratio * lr``, "
        "reached at update ``total_num_steps``. DeepSpeed sets the lr before the first update, "
        "so update ``s`` uses its formula at ``s - 1`` (``delay_steps=1``); "
        "``warmup_num_steps`` below 2 is raised to 2, as DeepSpeed does. A linear warmup (the "
        "cosine takes over before it ends) and ``warmup_min_ratio > 0`` (the first update "
        "uses 0.0) raise ``ValueError``.",
    ),
    "deepspeed_warmup_decay": Preset(
        "deepspeed.runtime.lr_schedules:WarmupDecayLR",
        scaled=False,
        spec=_deepspeed_decay,
        unsupported={"last_batch_iteration": _RESUME},
        rules=(
            Below(("warmup_min_lr",), "warmup_max_lr", _DOWN, strict=False),
            Below(("total_num_steps",), MAX_STEPS, _STEPS_64),
        ),
        doc="DeepSpeed's warmup (log by default) from ``warmup_min_lr`` to ``warmup_max_lr``, "
        "linear decay back to ``warmup_min_lr`` and held there. DeepSpeed sets the lr before "
        "the first update, so update ``s`` uses its formula at ``s - 1`` "
        "(``delay_steps=1``); ``warmup_num_steps`` below 2 is raised to 2, as DeepSpeed does.",
    ),
    "torchtune_cosine_with_warmup": Preset(
        "torchtune.training.lr_schedulers:get_cosine_schedule_with_warmup",
        scaled=True,
        spec=_hf_cosine,
        unsupported={"last_epoch": _RESUME},
        rules=(_HF_DECAY,),
        doc="torchtune's copy of transformers' cosine: linear warmup from 0, cosine to 0, "
        "rising again past ``num_training_steps``.",
    ),
    "espnet_warmup_lr": Preset(
        "espnet2.schedulers.warmup_lr:WarmupLR",
        scaled=True,
        spec=_espnet_warmup_lr,
        unsupported={"last_epoch": _RESUME},
        rules=(_ESPNET_HORIZON,),
        doc="ESPnet's Noam-style warmup: ``lr * warmup_steps ** 0.5 * min(step ** -0.5, "
        "step * warmup_steps ** -1.5)`` with ``step = k + 1`` at update ``k`` (torch's "
        "scheduler steps after each update): a linear warmup ``lr * (k + 1) / warmup_steps`` "
        "that peaks at ``lr`` on update ``warmup_steps - 1``, then ``lr * sqrt(warmup_steps "
        "/ (k + 1))``. ESPnet has no end: the preset equals it up to ``horizon`` and holds "
        "there.",
        equal_until="T",
    ),
    "espnet_noam_lr": Preset(
        "espnet2.schedulers.noam_lr:NoamLR",
        scaled=True,
        spec=_espnet_noam_lr,
        unsupported={"last_epoch": _RESUME},
        rules=(_ESPNET_HORIZON,),
        doc='The Transformer\'s "Noam" schedule as ESPnet has it: ``lr * model_size ** -0.5 '
        "* min(step ** -0.5, step * warmup_steps ** -1.5)`` with ``step = k + 1``, i.e. "
        "``espnet_warmup_lr`` with the peak ``lr * (model_size * warmup_steps) ** -0.5``. "
        "Equal up to ``horizon``, then held.",
        equal_until="T",
    ),
    "pytorch_warmup_linear": Preset(
        "pytorch_warmup:LinearWarmup",
        scaled=True,
        spec=_pytorch_warmup_linear,
        unsupported={"last_step": _RESUME},
        rules=(Below(("warmup_period",), "horizon", _WARMUP_END, strict=False),),
        doc="pytorch_warmup's ``LinearWarmup`` with no lr scheduler under it (``with "
        "warmup_scheduler.dampening(): pass`` after each update): it multiplies ``lr`` by "
        "``min(1, (k + 1) / warmup_period)`` at update ``k`` (it dampens once when built), so "
        "the peak is reached at update ``warmup_period - 1``; then ``lr`` forever. "
        "``horizon`` (default ``warmup_period``) is the schedule's ``total_steps``. Over a "
        "decaying scheduler the factor multiplies that scheduler's rate: a product of two "
        "curves, not a warmcos template. ``UntunedLinearWarmup`` is this preset with "
        "``warmup_period=int(2 / (1 - beta2))``.",
    ),
    "pytorch_warmup_untuned_linear": Preset(
        "pytorch_warmup:UntunedLinearWarmup",
        scaled=True,
        spec=_pytorch_warmup_untuned_linear,
        unsupported={"last_step": _RESUME},
        doc="pytorch_warmup's ``UntunedLinearWarmup`` (``betas`` are the Adam optimizer's): "
        "``pytorch_warmup_linear`` with ``warmup_period = int(2 / (1 - betas[1]))``, the "
        "rule of thumb of Ma and Yarats (2021); 1999 updates for ``beta2 = 0.999``.",
    ),
    "bolts_linear_warmup_cosine_annealing": Preset(
        "pl_bolts.optimizers.lr_scheduler:LinearWarmupCosineAnnealingLR",
        scaled=True,
        spec=_bolts,
        unsupported={"last_epoch": _RESUME},
        rules=(
            Below(("warmup_epochs",), "max_epochs", "Bolts divides by their difference"),
            Below(("eta_min",), "lr", _DOWN, strict=False),
        ),
        doc="Lightning-Bolts' ``LinearWarmupCosineAnnealingLR``, stepped after each update as "
        "its docs advise: a linear warmup from ``warmup_start_lr`` that reaches ``lr`` at "
        "update ``warmup_epochs - 1`` (its step is ``(lr - warmup_start_lr) / (warmup_epochs "
        "- 1)``), the cosine from ``lr`` again at ``warmup_epochs`` to ``eta_min`` at "
        "``max_epochs``, rising again after it, like torch's chained cosine "
        "(``after='wrap'``). ``warmup_epochs=0`` is refused: Bolts returns "
        "``warmup_start_lr`` at step 0 whatever it is.",
    ),
    "ignite_cosine_annealing": Preset(
        "ignite.handlers.param_scheduler:CosineAnnealingScheduler",
        scaled=False,
        spec=_ignite_cosine,
        unsupported={
            "warmup_duration": "ignite's warmup follows each cycle's cosine from its end_value "
            "up to the next start_value, a rise at the end of a cycle, not a warmcos restart's "
            "warmup"
        },
        rules=(Below(("end_value",), "start_value", _RISING_IGNITE, strict=False),),
        doc="ignite's ``CosineAnnealingScheduler`` (any ``param_name``: the preset is its "
        "values), attached to ``Events.ITERATION_STARTED`` "
        "as its docs do: update ``k`` uses the value it sets at event ``k``, ``start_value + "
        "(end_value - start_value) / 2 * (1 - cos(pi * k / cycle_size))``, which never reaches "
        "``end_value``: at ``cycle_size`` ignite restarts from ``start_value`` "
        "(times ``start_value_mult``), with cycles ``int(cycle_size * cycle_mult)`` long "
        "(whole lengths here). ignite cycles forever; the preset has ``cycles`` of them and "
        "holds the last floor after, so it equals ignite before its end.",
        equal_until="T-1",
    ),
}
