"""TensorFlow's: the TF-TPU reference function and Keras' ``LearningRateSchedule`` classes."""

# The presets mirror other libraries' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

import math

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Sequence
from fractions import Fraction
from typing import Annotated

from ..compose import Composition, Segment
from ..schedule import MAX_STEPS
from . import _stairs
from ._core import _DECAY_STEP, _STEPS_64, Below, Preset
from ._kinds import (
    Count,
    Cycles,
    DecayRate,
    Items,
    Length,
    Name,
    Positive,
    Rate,
    Ratio,
    Spec,
    Steps,
)
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


def _keras_cycles(
    initial: float, first: int, t_mul: float, m_mul: float, cycles: int
) -> tuple[int, Fraction]:
    """SGDR's cycles checked: whole lengths, a 64-bit end, a finite last peak; total and mul."""
    total, mul = _geometric_cycles(first, t_mul, cycles, ("first_decay_steps", "t_mul", "cycles"))
    _last_peak(initial, m_mul, cycles, ("initial_learning_rate", "m_mul", "cycles"))
    return total, mul


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
            f"received alpha={alpha!r}, m_mul={m_mul!r}; keras_cosine_decay_restarts_composed "
            "says it (a Composition)"
        )
    total, mul = _keras_cycles(initial_learning_rate, first_decay_steps, t_mul, m_mul, cycles)
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


#: Keras' PiecewiseConstantDecay boundaries: int steps (Keras casts them to the step's int).
KerasBoundaries = Annotated[
    Sequence[Annotated[int, Count(minimum=-MAX_STEPS)]],
    Items(1, _stairs.MAX_STAIRS, "boundaries (steps)"),
]

#: Keras' PiecewiseConstantDecay values.
KerasValues = Annotated[Sequence[Rate], Items(2, _stairs.MAX_STAIRS + 1, "values")]


def _keras_piecewise_constant(
    boundaries: KerasBoundaries, values: KerasValues, name: Name | None = "PiecewiseConstant"
) -> Composition:
    if len(boundaries) != len(values) - 1:
        raise ValueError(
            f"boundaries must hold one item fewer than values (Keras raises otherwise); "
            f"received {len(boundaries)} boundaries and {len(values)} values"
        )
    for i in range(1, len(boundaries)):
        if not boundaries[i] > boundaries[i - 1]:
            raise ValueError(
                f"boundaries must increase (Keras' ranges (b[i-1], b[i]] would overlap); "
                f"boundaries[{i}]={boundaries[i]!r} is not above "
                f"boundaries[{i - 1}]={boundaries[i - 1]!r}"
            )
    # Keras: values[0] while step <= boundaries[0], values[i + 1] while step > boundaries[i]
    # (up to the next): the new value starts one step after its boundary.
    starts = [b + 1 for b in boundaries]
    first = sum(1 for b in starts if b <= 0)  # the values in force before step 0 are passed
    return Composition.piecewise(starts[first:], list(values[first:]))


#: The staircase presets' ``staircase``: their only value is Keras' ``True``.
_CONTINUOUS = "the continuous decay is {}, a Schedule; this preset is the staircase"


def _keras_exponential_staircase(
    initial_learning_rate: Rate,
    decay_steps: Positive,
    decay_rate: DecayRate,
    staircase: bool = True,
    name: Name | None = "ExponentialDecay",
    *,
    horizon: Length,
) -> Composition:
    return _stairs.exponential(
        initial_learning_rate, decay_steps, decay_rate, 0, True, None, horizon,
        names=_stairs.KERAS,
    )  # fmt: skip


def _keras_inverse_time_staircase(
    initial_learning_rate: Rate,
    decay_steps: Positive,
    decay_rate: Positive,
    staircase: bool = True,
    name: Name | None = "InverseTimeDecay",
    *,
    horizon: Length,
) -> Composition:
    init, period = initial_learning_rate, Fraction(str(decay_steps))
    if period.denominator != 1 or init == 0:  # stairs between steps: written out
        return _stairs.written(
            lambda k: init / (1 + decay_rate * k), period, 0, horizon, _stairs.KERAS
        )
    timescale = decay_steps / decay_rate
    if not 0 < timescale < math.inf:
        raise ValueError(
            "decay_steps / decay_rate, the decay's timescale in steps, must be finite and > 0; "
            f"received decay_steps={decay_steps!r}, decay_rate={decay_rate!r}"
        )
    span = int(period) * math.ceil(horizon / period)  # whole periods: the last one's value
    curve = Segment(span, init, 0.0, "inverse_time", timescale=timescale)
    return Composition([curve], every=int(period))


def _keras_restarts_composed(
    initial_learning_rate: Rate,
    first_decay_steps: Length,
    t_mul: Positive = 2.0,
    m_mul: Positive = 1.0,
    alpha: Ratio = 0.0,
    name: Name | None = "SGDRDecay",
    *,
    cycles: Cycles,
) -> Composition:
    _keras_cycles(initial_learning_rate, first_decay_steps, t_mul, m_mul, cycles)
    init, floor = initial_learning_rate, initial_learning_rate * alpha
    segments, length, scale = [], Fraction(first_decay_steps), 1.0
    for _ in range(cycles):  # Keras scales the cosine above the floor by m_mul ** i
        peak = init * (alpha + (1 - alpha) * scale)
        segments.append(Segment(int(length), peak, floor, "cosine"))
        length, scale = length * Fraction(t_mul), scale * m_mul
    return Composition(segments)


def _keras_polynomial_cycle(
    initial_learning_rate: Rate,
    decay_steps: Length,
    end_learning_rate: Rate = 0.0001,
    power: Positive = 1.0,
    cycle: bool = True,
    name: Name | None = "PolynomialDecay",
    *,
    cycles: Cycles,
) -> Composition:
    init, end = initial_learning_rate, end_learning_rate
    if init < end and power != 1:
        raise ValueError(
            "a rising polynomial (initial_learning_rate < end_learning_rate) with power other "
            "than 1 rises as 1 - (1 - u)**power, a composition's polynomial segment as "
            f"u**power; received initial_learning_rate={init!r}, end_learning_rate={end!r}, "
            f"power={power!r}"
        )
    if cycles * decay_steps > MAX_STEPS:
        raise ValueError(
            f"cycles * decay_steps must be <= 2**63 - 1 (64-bit steps); received "
            f"cycles={cycles}, decay_steps={decay_steps}"
        )
    segments = [Segment(decay_steps, init, end, "polynomial", power)]
    if decay_steps > 1:  # with 1, every later step ends its cycle: end_learning_rate
        # Cycle m (from 1) covers steps ((m - 1) d, m d]: it is Keras' polynomial over m d
        # steps, read from (m - 1) d; on its first step, (m - 1) d, the last one ended at end.
        for m in range(2, cycles + 1):
            tail = ((decay_steps - 1) / (m * decay_steps)) ** power
            segments.append(Segment(1, end))
            segments.append(
                Segment(decay_steps - 1, end + (init - end) * tail, end, "polynomial", power)
            )
    return Composition(segments)


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
        unsupported={"cycle": "cycle=True is keras_polynomial_decay_cycle, a Composition"},
        rules=(Below(("decay_steps",), MAX_STEPS, _STEPS_64),),
        doc="``(initial - end) * (1 - step / decay_steps) ** power + end``, then ``end``.",
    ),
    "keras_exponential_decay": Preset(
        "keras.optimizers.schedules:ExponentialDecay",
        scaled=False,
        spec=_keras_exponential,
        unsupported={
            "staircase": "staircase=True is keras_exponential_decay_staircase, a Composition"
        },
        doc="``initial_learning_rate * decay_rate ** (step / decay_steps)``. Keras has no end: "
        "the preset equals it up to ``horizon`` and holds there.",
        equal_until="T",
    ),
    "keras_inverse_time_decay": Preset(
        "keras.optimizers.schedules:InverseTimeDecay",
        scaled=False,
        spec=_keras_inverse_time,
        unsupported={
            "staircase": "staircase=True is keras_inverse_time_decay_staircase, a Composition"
        },
        doc="``initial_learning_rate / (1 + decay_rate * step / decay_steps)``. Keras has no "
        "end: the preset equals it up to ``horizon`` and holds there.",
        equal_until="T",
    ),
    "keras_piecewise_constant_decay": Preset(
        "keras.optimizers.schedules:PiecewiseConstantDecay",
        scaled=False,
        spec=_keras_piecewise_constant,
        doc="``values[0]`` while ``step <= boundaries[0]``, ``values[i + 1]`` while "
        "``boundaries[i] < step <= boundaries[i + 1]``, the last value after the last "
        "boundary: each new value starts one step after its boundary (Keras' convention).",
    ),
    "keras_exponential_decay_staircase": Preset(
        "keras.optimizers.schedules:ExponentialDecay",
        scaled=False,
        spec=_keras_exponential_staircase,
        unsupported={"staircase": _CONTINUOUS.format("keras_exponential_decay")},
        doc="Keras' ``ExponentialDecay(staircase=True)``: ``initial_learning_rate * "
        "decay_rate ** floor(step / decay_steps)``, a per-period clock (the stairs written "
        "out when ``decay_steps`` is not whole). Keras has no end: the preset equals it up "
        "to the first stair at or after ``horizon`` and holds there.",
        equal_until="T",
    ),
    "keras_inverse_time_decay_staircase": Preset(
        "keras.optimizers.schedules:InverseTimeDecay",
        scaled=False,
        spec=_keras_inverse_time_staircase,
        unsupported={"staircase": _CONTINUOUS.format("keras_inverse_time_decay")},
        doc="Keras' ``InverseTimeDecay(staircase=True)``: ``initial_learning_rate / (1 + "
        "decay_rate * floor(step / decay_steps))``, a per-period clock (the stairs written "
        "out when ``decay_steps`` is not whole). Keras has no end: the preset equals it up "
        "to the first stair at or after ``horizon`` and holds there.",
        equal_until="T",
    ),
    "keras_cosine_decay_restarts_composed": Preset(
        "keras.optimizers.schedules:CosineDecayRestarts",
        scaled=False,
        spec=_keras_restarts_composed,
        doc="SGDR with any ``alpha`` and ``m_mul``, one cosine segment per cycle: cycle ``i`` "
        "(``first_decay_steps * t_mul ** i`` steps) falls from ``initial_learning_rate * "
        "(alpha + (1 - alpha) * m_mul ** i)`` to the fixed floor ``alpha * "
        "initial_learning_rate`` (Keras scales the cosine above the floor, which the "
        "template ``keras_cosine_decay_restarts`` cannot say with both). Keras restarts "
        "forever; the preset has ``cycles`` of them and holds the floor after.",
        equal_until="T-1",
    ),
    "keras_polynomial_decay_cycle": Preset(
        "keras.optimizers.schedules:PolynomialDecay",
        scaled=False,
        spec=_keras_polynomial_cycle,
        unsupported={"cycle": "cycle=False is keras_polynomial_decay, a Schedule"},
        doc="Keras' ``PolynomialDecay(cycle=True)``: the polynomial over ``decay_steps * "
        "ceil(step / decay_steps)`` steps, so cycle ``m`` (steps ``((m - 1) d, m d]``) is a "
        "polynomial segment from ``end + (initial - end) * ((d - 1) / (m d)) ** power`` "
        "to ``end_learning_rate``, exactly. Keras restarts forever; the preset has "
        "``cycles`` of them and holds ``end_learning_rate`` after. (Under ``tf.function`` Keras "
        "computes ``step / decay_steps`` as ``step * (1 / decay_steps)`` in float32 and puts "
        "some cycle ends in the next cycle; the preset ends each on its step.)",
        equal_until="T",
    ),
}
