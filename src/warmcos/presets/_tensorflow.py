"""TensorFlow's: the TF-TPU reference function and Keras' ``LearningRateSchedule`` classes."""

# The presets mirror other libraries' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

import math

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from ..schedule import MAX_STEPS
from ._core import _DECAY_STEP, _STAIRCASE, _STEPS_64, Below, Preset
from ._kinds import Cycles, DecayRate, Length, Name, Positive, Rate, Ratio, Spec, Steps
from ._shared import _exponential, _geometric_cycles, _last_peak, _polynomial, _restarts


def _tpu(
    init_learning_rate: Rate,
    warmup_learning_rate: Rate,
    warmup_steps: Steps,
    total_steps: Steps,
) -> Spec:
    return {
        "peak_lr": init_learning_rate,
        "total_steps": total_steps,
        "warmup_steps": warmup_steps,
        "warmup_start_lr": warmup_learning_rate,
        "after": "wrap",
    }


def _keras_cosine(
    initial_learning_rate: Rate,
    decay_steps: Length,
    alpha: Ratio = 0.0,
    name: Name | None = "CosineDecay",
    warmup_target: Rate | None = None,
    warmup_steps: Steps = 0,
) -> Spec:
    if warmup_target is None:  # Keras skips the warmup (warmup_steps is ignored)
        return {
            "peak_lr": initial_learning_rate,
            "total_steps": decay_steps,
            "final_lr": initial_learning_rate * alpha,
        }
    return {
        "peak_lr": warmup_target,
        "total_steps": warmup_steps + decay_steps,  # Keras' decay_steps excludes the warmup
        "warmup_steps": warmup_steps,
        "warmup_start_lr": initial_learning_rate,
        "final_lr": warmup_target * alpha,
    }


def _keras_cosine_restarts(
    initial_learning_rate: Rate,
    first_decay_steps: Length,
    t_mul: Positive = 2.0,
    m_mul: Positive = 1.0,
    alpha: Ratio = 0.0,
    name: Name | None = "SGDRDecay",
    *,
    cycles: Cycles,
) -> Spec:
    if alpha and m_mul != 1:
        raise ValueError(
            "alpha > 0 with m_mul != 1 is not supported: Keras scales only the cosine part by "
            "m_mul ** i (cycle i peaks at alpha + (1 - alpha) * m_mul ** i above a fixed floor),"
            " warmcos scales a cycle's peak (cycle_decay ** i); "
            f"received alpha={alpha!r}, m_mul={m_mul!r}"
        )
    names = ("first_decay_steps", "t_mul", "cycles")
    total, mul = _geometric_cycles(first_decay_steps, t_mul, cycles, names)
    _last_peak(initial_learning_rate, m_mul, cycles, ("initial_learning_rate", "m_mul", "cycles"))
    return {
        "peak_lr": initial_learning_rate,
        "total_steps": total,
        "final_lr": initial_learning_rate * alpha,
        **_restarts(cycles, cycle_mul=float(mul), cycle_decay=m_mul),
    }


def _keras_polynomial(
    initial_learning_rate: Rate,
    decay_steps: Length,
    end_learning_rate: Rate = 0.0001,
    power: Positive = 1.0,
    cycle: bool = False,
    name: Name | None = "PolynomialDecay",
) -> Spec:
    return _polynomial(
        initial_learning_rate,
        end_learning_rate,
        power,
        decay_steps,
        names=("initial_learning_rate", "end_learning_rate"),
    )


def _keras_exponential(
    initial_learning_rate: Rate,
    decay_steps: Positive,
    decay_rate: DecayRate,
    staircase: bool = False,
    name: Name | None = "ExponentialDecay",
    *,
    horizon: Length,
) -> Spec:
    # Keras' decay_steps is a real number of steps: initial * decay_rate ** (step /
    # decay_steps) is the geometric decay to its value at the horizon, for any decay_steps.
    formula = (
        "initial_learning_rate * decay_rate ** (horizon / decay_steps) = "
        f"{initial_learning_rate!r} * {decay_rate!r} ** ({horizon} / {decay_steps!r})"
    )
    return {
        "peak_lr": initial_learning_rate,
        "total_steps": horizon,
        **_exponential(initial_learning_rate, decay_rate, horizon, decay_steps, formula),
    }


def _keras_inverse_time(
    initial_learning_rate: Rate,
    decay_steps: Positive,
    decay_rate: Positive,
    staircase: bool = False,
    name: Name | None = "InverseTimeDecay",
    *,
    horizon: Length,
) -> Spec:
    timescale = decay_steps / decay_rate
    if not 0 < timescale < math.inf:
        raise ValueError(
            "decay_steps / decay_rate, the decay's timescale in steps, must be finite and > 0; "
            f"received decay_steps={decay_steps!r}, decay_rate={decay_rate!r}"
        )
    return {
        "peak_lr": initial_learning_rate,
        "total_steps": horizon,
        "decay_shape": "inverse_time",
        "timescale": timescale,
    }


#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "tpu_reference": Preset(
        "models.official.detection.modeling.learning_rates:cosine_learning_rate_with_linear_warmup",
        scaled=False,
        spec=_tpu,
        rules=(Below(("warmup_steps",), "total_steps", _DECAY_STEP),),
        doc="The TF-TPU reference function (tensorflow/tpu, not installable): linear warmup "
        "from ``warmup_learning_rate``, cosine to 0 at ``total_steps``, rising again after it "
        "(``after='wrap'``).",
    ),
    "keras_cosine_decay": Preset(
        "keras.optimizers.schedules:CosineDecay",
        scaled=False,
        spec=_keras_cosine,
        rules=(Below(("warmup_steps", "decay_steps"), MAX_STEPS, _STEPS_64, strict=False),),
        doc="Cosine from ``initial_learning_rate`` (or, with ``warmup_target``, a linear "
        "warmup from it to ``warmup_target`` over ``warmup_steps`` first) to ``alpha`` times "
        "the peak over ``decay_steps`` (which excludes the warmup), then that.",
    ),
    "keras_cosine_decay_restarts": Preset(
        "keras.optimizers.schedules:CosineDecayRestarts",
        scaled=False,
        spec=_keras_cosine_restarts,
        doc="SGDR: cosines of ``first_decay_steps * t_mul ** i`` steps, peaks scaled by "
        "``m_mul ** i``. Keras restarts forever; the preset has ``cycles`` of them and holds "
        "the floor after, so it equals Keras on the steps before its end (at the end Keras "
        "restarts).",
        equal_until="T-1",
    ),
    "keras_polynomial_decay": Preset(
        "keras.optimizers.schedules:PolynomialDecay",
        scaled=False,
        spec=_keras_polynomial,
        unsupported={
            "cycle": "a polynomial that restarts at ever longer multiples of "
            "decay_steps is not a warmcos shape"
        },
        rules=(Below(("decay_steps",), MAX_STEPS, _STEPS_64),),
        doc="``(initial - end) * (1 - step / decay_steps) ** power + end``, then ``end``.",
    ),
    "keras_exponential_decay": Preset(
        "keras.optimizers.schedules:ExponentialDecay",
        scaled=False,
        spec=_keras_exponential,
        unsupported={"staircase": _STAIRCASE},
        doc="``initial_learning_rate * decay_rate ** (step / decay_steps)``. Keras has no end: "
        "the preset equals it up to ``horizon`` and holds there.",
        equal_until="T",
    ),
    "keras_inverse_time_decay": Preset(
        "keras.optimizers.schedules:InverseTimeDecay",
        scaled=False,
        spec=_keras_inverse_time,
        unsupported={"staircase": _STAIRCASE},
        doc="``initial_learning_rate / (1 + decay_rate * step / decay_steps)``. Keras has no "
        "end: the preset equals it up to ``horizon`` and holds there.",
        equal_until="T",
    ),
}
