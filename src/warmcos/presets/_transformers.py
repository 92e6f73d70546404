"""transformers' schedules (``transformers.optimization``)."""

# The presets mirror other libraries' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from fractions import Fraction
from typing import Literal

from ..schedule import MAX_STEPS
from ._core import _DECAY_STEP, _DOWN, _RESUME, _STEPS_64, _WARMUP_END, Below, Preset, _whole
from ._kinds import Cycles, Length, Positive, Rate, Ratio, Spec, Steps


def _hf_half_period(num_warmup_steps: int, num_training_steps: int, num_cycles: float) -> int:
    """Steps from the peak to the first trough of transformers' ``cos(2 pi c p)`` factor."""
    half = Fraction(num_training_steps - num_warmup_steps) / (2 * Fraction(num_cycles))
    what = (
        "the cosine's half period (num_training_steps - num_warmup_steps) / (2 * num_cycles)"
        f" = ({num_training_steps} - {num_warmup_steps}) / (2 * {num_cycles!r})"
    )
    if half > MAX_STEPS - num_warmup_steps:
        raise ValueError(f"{what} must end before step 2**63 (64-bit steps); it is {half}")
    return _whole(half, what)


#: transformers' cosines need steps after the warmup.
_HF_DECAY = Below(
    ("num_warmup_steps",),
    "num_training_steps",
    "the decay needs at least one step after the warmup; transformers' max(1, ...) turns an "
    "empty one into a jump",
)


def _hf_cosine(
    lr: Rate,
    num_warmup_steps: Steps,
    num_training_steps: Steps,
    num_cycles: Positive = 0.5,
    last_epoch: int = -1,
) -> Spec:
    # transformers' factor 0.5 * (1 + cos(2 pi num_cycles p)) is a periodic cosine whose
    # first trough is half a period after the warmup: warmcos' cosine to that step, wrapping.
    half = _hf_half_period(num_warmup_steps, num_training_steps, num_cycles)
    return {
        "peak_lr": lr,
        "total_steps": num_warmup_steps + half,
        "warmup_steps": num_warmup_steps,
        "after": "wrap",
    }


def _hf_cosine_min_lr(
    lr: Rate,
    num_warmup_steps: Steps,
    num_training_steps: Steps,
    num_cycles: Positive = 0.5,
    last_epoch: int = -1,
    min_lr: Rate | None = None,
    min_lr_rate: Ratio | None = None,
) -> Spec:
    if (min_lr is None) == (min_lr_rate is None):
        raise ValueError(
            "exactly one of min_lr and min_lr_rate must be set (transformers raises too); "
            f"received min_lr={min_lr!r}, min_lr_rate={min_lr_rate!r}"
        )
    final = min_lr if min_lr is not None else lr * min_lr_rate  # type: ignore[operator]
    return {
        **_hf_cosine(lr, num_warmup_steps, num_training_steps, num_cycles),
        "final_lr": final,
    }


def _hf_hard_restarts(
    lr: Rate,
    num_warmup_steps: Steps,
    num_training_steps: Steps,
    num_cycles: Cycles = 1,
    last_epoch: int = -1,
) -> Spec:
    _whole(
        Fraction(num_training_steps - num_warmup_steps, num_cycles),
        "each cycle, (num_training_steps - num_warmup_steps) / num_cycles,",
    )
    return {
        "peak_lr": lr,
        "total_steps": num_training_steps,
        "warmup_steps": num_warmup_steps,
        "cycles": num_cycles,
    }


def _hf_linear(
    lr: Rate, num_warmup_steps: Steps, num_training_steps: Steps, last_epoch: int = -1
) -> Spec:
    return {
        "peak_lr": lr,
        "total_steps": num_training_steps,
        "warmup_steps": num_warmup_steps,
        "decay_shape": "linear",
    }


def _hf_polynomial(
    lr: Rate,
    num_warmup_steps: Steps,
    num_training_steps: Steps,
    lr_end: Rate = 1e-7,
    power: Positive = 1.0,
    last_epoch: int = -1,
) -> Spec:
    return {
        "peak_lr": lr,
        "total_steps": num_training_steps,
        "warmup_steps": num_warmup_steps,
        "final_lr": lr_end,
        "decay_shape": "polynomial",
        "power": power,
    }


def _hf_constant(
    lr: Rate, num_warmup_steps: Steps, last_epoch: int = -1, *, horizon: Length | None = None
) -> Spec:
    return {
        "peak_lr": lr,
        "total_steps": num_warmup_steps + 1 if horizon is None else horizon,
        "warmup_steps": num_warmup_steps,
        "decay_shape": "constant",
    }


def _hf_inverse_sqrt(
    lr: Rate,
    num_warmup_steps: Steps,
    timescale: Positive | None = None,
    last_epoch: int = -1,
    *,
    horizon: Length,
) -> Spec:
    return {
        "peak_lr": lr,
        "total_steps": horizon,
        "warmup_steps": num_warmup_steps,
        "decay_shape": "inverse_sqrt",
        "timescale": (num_warmup_steps or 10_000) if timescale is None else timescale,
    }


_WSD_WARMUP: dict[str, Spec] = {
    "linear": {"warmup_shape": "linear"},
    "cosine": {"warmup_shape": "cosine"},
    "1-sqrt": {"warmup_shape": "1-sqrt"},
}


def _hf_wsd(
    lr: Rate,
    num_warmup_steps: Steps,
    num_decay_steps: Length,
    num_training_steps: Steps | None = None,
    num_stable_steps: Steps | None = None,
    warmup_type: Literal["linear", "cosine", "1-sqrt"] = "linear",
    decay_type: Literal["linear", "cosine", "1-sqrt"] = "cosine",
    min_lr_ratio: Ratio = 0,
    num_cycles: Positive = 0.5,
    last_epoch: int = -1,
) -> Spec:
    if decay_type == "cosine" and num_cycles != 0.5:
        raise ValueError(
            "num_cycles other than 0.5 is not supported with decay_type='cosine': transformers "
            "then cuts its cosine off mid-wave at the end of the decay and jumps to "
            f"min_lr_ratio, which is not a warmcos decay; received num_cycles={num_cycles!r}"
        )
    if num_stable_steps is None:
        if num_training_steps is None:
            raise ValueError(
                "either num_training_steps or num_stable_steps must be set (transformers "
                "raises too); received num_training_steps=None, num_stable_steps=None"
            )
        num_stable_steps = num_training_steps - num_warmup_steps - num_decay_steps
    elif (
        num_training_steps is not None
        and num_training_steps != num_warmup_steps + num_stable_steps + num_decay_steps
    ):
        raise ValueError(
            "num_training_steps must equal num_warmup_steps + num_stable_steps + "
            "num_decay_steps when both totals are given (transformers warns and uses "
            f"num_stable_steps); received {num_training_steps=}, {num_warmup_steps=}, "
            f"{num_stable_steps=}, {num_decay_steps=}"
        )
    return {
        "peak_lr": lr,
        "total_steps": num_warmup_steps + num_stable_steps + num_decay_steps,
        "warmup_steps": num_warmup_steps,
        "warmup_start_lr": lr * min_lr_ratio,
        "stable_steps": num_stable_steps,
        "final_lr": lr * min_lr_ratio,
        "decay_shape": decay_type,
        **_WSD_WARMUP[warmup_type],
    }


_HF = "transformers.optimization:"


_HF_WRAP = (
    "Past ``num_training_steps`` the cosine rises again, like transformers' (``after='wrap'``)."
)


#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "transformers_cosine_with_warmup": Preset(
        _HF + "get_cosine_schedule_with_warmup",
        scaled=True,
        spec=_hf_cosine,
        unsupported={"last_epoch": _RESUME},
        rules=(_HF_DECAY,),
        doc="Linear warmup from 0, cosine to 0. ``num_cycles`` other than 0.5 maps to a "
        "shorter or longer wave: its half period must be a whole number of steps. " + _HF_WRAP,
    ),
    "transformers_cosine_with_min_lr": Preset(
        _HF + "get_cosine_with_min_lr_schedule_with_warmup",
        scaled=True,
        spec=_hf_cosine_min_lr,
        unsupported={"last_epoch": _RESUME},
        rules=(_HF_DECAY, Below(("min_lr",), "lr", _DOWN, strict=False)),
        doc="As ``transformers_cosine_with_warmup`` with a floor: ``min_lr`` (absolute) or "
        "``min_lr_rate`` (a fraction of ``lr``). " + _HF_WRAP,
    ),
    "transformers_cosine_with_hard_restarts": Preset(
        _HF + "get_cosine_with_hard_restarts_schedule_with_warmup",
        scaled=True,
        spec=_hf_hard_restarts,
        unsupported={"last_epoch": _RESUME},
        rules=(_HF_DECAY,),
        doc="Linear warmup from 0, then ``num_cycles`` equal cosines to 0, each restarting at "
        "``lr``; each must be a whole number of steps. Holds 0 after the end.",
    ),
    "transformers_linear_with_warmup": Preset(
        _HF + "get_linear_schedule_with_warmup",
        scaled=True,
        spec=_hf_linear,
        unsupported={"last_epoch": _RESUME},
        rules=(_HF_DECAY,),
        doc="Linear warmup from 0, linear decay to 0 at ``num_training_steps``, then 0.",
    ),
    "transformers_polynomial_decay_with_warmup": Preset(
        _HF + "get_polynomial_decay_schedule_with_warmup",
        scaled=True,
        spec=_hf_polynomial,
        unsupported={"last_epoch": _RESUME},
        rules=(_HF_DECAY, Below(("lr_end",), "lr", "transformers raises unless lr_end < lr")),
        doc="Linear warmup from 0, polynomial decay ``(1 - p) ** power`` to ``lr_end`` "
        "(absolute), then ``lr_end``.",
    ),
    "transformers_constant_with_warmup": Preset(
        _HF + "get_constant_schedule_with_warmup",
        scaled=True,
        spec=_hf_constant,
        unsupported={"last_epoch": _RESUME},
        rules=(Below(("num_warmup_steps",), "horizon", _WARMUP_END),),
        doc="Linear warmup from 0, then ``lr`` forever. ``horizon`` (default "
        "``num_warmup_steps + 1``) is the schedule's ``total_steps``; the value is the same "
        "either side of it.",
    ),
    "transformers_inverse_sqrt": Preset(
        _HF + "get_inverse_sqrt_schedule",
        scaled=True,
        spec=_hf_inverse_sqrt,
        unsupported={"last_epoch": _RESUME},
        rules=(Below(("num_warmup_steps",), "horizon", _DECAY_STEP),),
        doc="Linear warmup from 0, then ``lr / sqrt(1 + (step - num_warmup_steps) / "
        "timescale)``. transformers has no end: the preset equals it up to ``horizon`` and "
        "holds there (transformers keeps decaying).",
        equal_until="T",
    ),
    "transformers_wsd": Preset(
        _HF + "get_wsd_schedule",
        scaled=True,
        spec=_hf_wsd,
        unsupported={"last_epoch": _RESUME},
        rules=(
            Below(
                ("num_warmup_steps", "num_decay_steps"),
                "num_training_steps",
                "the stable phase, what is left of num_training_steps, cannot be negative",
                strict=False,
            ),
            Below(
                ("num_warmup_steps", "num_stable_steps", "num_decay_steps"),
                MAX_STEPS,
                _STEPS_64,
                strict=False,
            ),
        ),
        doc="Warmup from ``min_lr_ratio * lr`` (linear, cosine or 1-sqrt), stable at ``lr``, "
        "decay (linear, cosine or 1-sqrt) to ``min_lr_ratio * lr``, then that.",
    ),
}
