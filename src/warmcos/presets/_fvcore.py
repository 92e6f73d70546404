"""fvcore's parameter schedulers (``fvcore.common.param_scheduler``), detectron2's schedules.

fvcore's schedulers are functions of ``where``, the fraction of training done, in ``[0, 1)``;
detectron2's ``LRMultiplier`` calls them with ``where = step / max_iter``. The presets take
fvcore's parameters plus warmcos' ``total_steps`` (``max_iter``: the updates ``where`` is
spread over), and are built in ``where`` units: each scheduler is a list of segments whose
lengths add up to 1, under a clock of ``scale = 1 / total_steps``. The boundaries are exact
rationals: fvcore's ``WHERE_EPSILON`` (``1e-6``, added to ``where`` before its steps are
counted) moves each step boundary ``i / n`` to ``i / n - 1e-6``, exactly; its float lengths
are read as the decimals they print as (``0.3`` is ``3/10``), as warmcos reads every length.
"""

from __future__ import annotations

import inspect
import math
import reprlib

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Annotated, Any, Literal

from .._compose import rational
from ..compose import Composition, Segment
from ._core import Preset
from ._kinds import Configs, IntLength, Items, Length, Positive, Rate, Steps

#: fvcore's ``ParamScheduler.WHERE_EPSILON``, exactly.
_EPSILON = Fraction(1, 10**6)

_MAX_VALUES = 10_000

#: A list of values, one per range (``StepParamScheduler``, ``MultiStepParamScheduler``).
Values = Annotated[Sequence[Rate], Items(1, _MAX_VALUES, "values")]

#: ``MultiStepParamScheduler``'s milestones (``None``: evenly split).
Milestones = Annotated[Sequence[Steps], Items(0, _MAX_VALUES, "milestones")]

#: ``CompositeParamScheduler``'s lengths: fractions of training.
Lengths = Annotated[Sequence[Positive], Items(1, 100, "lengths")]

#: ``CompositeParamScheduler``'s interval scaling, one per scheduler.
Scalings = Annotated[Sequence[Literal["rescaled", "fixed"]], Items(1, 100, "interval scalings")]

#: Segments in ``where`` units: ``(length, start, end, shape, power)``; lengths add up to 1.
Parts = list[tuple[Fraction, float, float, str, float]]


def _piecewise(fractions: Sequence[Fraction], values: Sequence[float]) -> Parts:
    """``values[i]`` from ``fractions[i - 1]`` (0 for ``i = 0``) to ``fractions[i]`` (1 last)."""
    bounds = [Fraction(0), *fractions, Fraction(1)]
    return [
        (bounds[i + 1] - bounds[i], v, v, "constant", 1.0)
        for i, v in enumerate(values)
        if bounds[i + 1] > bounds[i]
    ]


def _constant(value: Rate, *, total_steps: Length) -> Parts:
    return [(Fraction(1), value, value, "constant", 1.0)]


def _cosine(start_value: Rate, end_value: Rate, *, total_steps: Length) -> Parts:
    return [(Fraction(1), start_value, end_value, "cosine", 1.0)]


def _linear(start_value: Rate, end_value: Rate, *, total_steps: Length) -> Parts:
    return [(Fraction(1), start_value, end_value, "linear", 1.0)]


def _exponential(start_value: Rate, decay: Positive, *, total_steps: Length) -> Parts:
    end = start_value * decay
    if start_value == 0 or decay == 1:
        return [(Fraction(1), start_value, start_value, "constant", 1.0)]
    if not (0 < end < math.inf and abs(math.log(decay)) < math.log(1e300)):
        raise ValueError(
            "start_value * decay, the value at the end, must be above 0, finite and at most "
            "300 decades from start_value (warmcos' exponential is a float64 geometric ramp); "
            f"received start_value={start_value!r}, decay={decay!r}"
        )
    return [(Fraction(1), start_value, end, "exponential", 1.0)]


def _polynomial(base_value: Rate, power: Positive, *, total_steps: Length) -> Parts:
    return [(Fraction(1), base_value, 0.0, "polynomial", power)]


def _step(num_updates: Positive, values: Values, *, total_steps: Length) -> Parts:
    # fvcore: values[int((where + 1e-6) * len(values))]; num_updates is only checked (> 0)
    n = len(values)
    return _piecewise([Fraction(i, n) - _EPSILON for i in range(1, n)], values)


def _multistep(
    values: Values,
    num_updates: Steps | None = None,
    milestones: Milestones | None = None,
    *,
    total_steps: Length,
) -> Parts:
    # fvcore's own derivation and checks, in its words
    if num_updates is None and milestones is None:
        raise ValueError("num_updates and milestones cannot both be None")
    if milestones is None:
        width = math.ceil(num_updates / float(len(values)))  # type: ignore[operator]
        milestones = [width * (i + 1) for i in range(len(values) - 1)]
    elif len(milestones) != len(values) - int(num_updates is not None):
        raise ValueError(
            f"milestones must hold {len(values) - int(num_updates is not None)} milestones, "
            "one per value less one when num_updates is given, one per value otherwise "
            f"(fvcore raises); received {len(milestones)} for {len(values)} values"
        )
    if num_updates is None:
        num_updates, milestones = milestones[-1], milestones[:-1]
    if num_updates < len(values):
        raise ValueError(
            f"num_updates must be >= the number of values, {len(values)} (fvcore raises); "
            f"received num_updates={num_updates}"
        )
    start = 0
    for m in milestones:
        if not start < m < num_updates:
            raise ValueError(
                f"milestones must increase from above 0 and stay below num_updates={num_updates} "
                f"(fvcore raises); received milestones={reprlib.repr(list(milestones))}"
            )
        start = m
    # fvcore: values[bisect_right(milestones, int((where + 1e-6) * num_updates))]
    return _piecewise([Fraction(m, num_updates) - _EPSILON for m in milestones], values)


def _step_with_fixed_gamma(
    base_value: Positive,
    num_decays: IntLength,
    gamma: Positive,
    num_updates: IntLength,
    *,
    total_steps: Length,
) -> Parts:
    values = [base_value]
    for _ in range(num_decays):
        values.append(values[-1] * gamma)  # fvcore's arithmetic, value by value
    if num_decays >= _MAX_VALUES or not math.isfinite(values[-1]):
        raise ValueError(
            f"base_value * gamma ** num_decays must be finite, with num_decays < {_MAX_VALUES}; "
            f"received base_value={base_value!r}, gamma={gamma!r}, num_decays={num_decays}"
        )
    return _step(num_updates, values, total_steps=total_steps)


#: fvcore's class name -> the spec of its preset (in ``where`` units).
_SCHEDULERS: dict[str, Callable[..., Parts]] = {
    "ConstantParamScheduler": _constant,
    "CosineParamScheduler": _cosine,
    "LinearParamScheduler": _linear,
    "ExponentialParamScheduler": _exponential,
    "PolynomialDecayParamScheduler": _polynomial,
    "StepParamScheduler": _step,
    "MultiStepParamScheduler": _multistep,
    "StepWithFixedGammaParamScheduler": _step_with_fixed_gamma,
}


#: ``CompositeParamScheduler``'s schedulers: dicts of an fvcore class name (one with a preset
#: here) and its arguments, each checked as its preset checks it.
Schedulers = Configs(tuple(_SCHEDULERS.items()), (("total_steps", 1),))


def _window(parts: Parts, low: Fraction, high: Fraction, name: str) -> Parts:
    """The segments of ``parts`` (over ``[0, 1]``) on ``[low, high]``: a fixed interval."""
    out: Parts = []
    at = Fraction(0)
    for length, start, end, shape, power in parts:
        a, b = max(at, low), min(at + length, high)
        at += length
        if a >= b:
            continue
        if (a, b) == (at - length, at) or shape == "constant":
            out.append((b - a, start, end, shape, power))
            continue
        u0, u1 = (a - at + length) / length, (b - at + length) / length
        if shape == "linear":
            v0 = start + (end - start) * float(u0)
            v1 = start + (end - start) * float(u1)
            out.append((b - a, v0, v1, shape, power))
        elif shape == "exponential":
            v0 = start * (end / start) ** float(u0)
            v1 = start * (end / start) ** float(u1)
            out.append((b - a, v0, v1, shape, power))
        elif shape == "polynomial" and u1 == 1:  # (1 - u) ** p from u0 is the same curve
            out.append((b - a, start * float(1 - u0) ** power, end, shape, power))
        else:
            raise ValueError(
                f"{name}: interval_scaling='fixed' cuts its {shape} decay at where = {float(a)} "
                f"and {float(b)}, and a {shape} segment cut there is not a warmcos segment "
                "(use 'rescaled', or a linear, exponential or step scheduler)"
            )
    return out


def _composite(
    schedulers: Annotated[Sequence[Any], Schedulers],
    lengths: Lengths,
    interval_scaling: Scalings,
    *,
    total_steps: Length,
) -> Parts:
    parts: list[tuple[str, Parts]] = schedulers  # type: ignore[assignment] # checked
    if not len(parts) == len(lengths) == len(interval_scaling):
        raise ValueError(
            "schedulers, lengths and interval_scaling must have the same length (fvcore "
            f"raises); received {len(parts)}, {len(lengths)} and {len(interval_scaling)}"
        )
    if abs(sum(lengths) - 1.0) >= 1e-3:
        raise ValueError(
            f"lengths must add up to 1 (fvcore raises unless within 1e-3); received "
            f"{reprlib.repr(list(lengths))}"
        )
    # fvcore sets the last length to 1 - the others: the decimals they print as, exactly
    exact = [rational(x, f"lengths[{i}]") for i, x in enumerate(lengths[:-1])]
    exact.append(1 - sum(exact, Fraction(0)))
    if exact[-1] <= 0:
        raise ValueError(
            "lengths[:-1] must add up to less than 1 (fvcore makes the last length 1 - their "
            f"sum); received {reprlib.repr(list(lengths))}"
        )
    out: Parts = []
    at = Fraction(0)
    for i, ((_, sub), length, scaling) in enumerate(
        zip(parts, exact, interval_scaling, strict=True)
    ):
        if scaling == "rescaled":
            out += [(piece[0] * length, *piece[1:]) for piece in sub]
        else:
            out += _window(sub, at, at + length, f"schedulers[{i}]")
        at += length
    return out


def _composed(parts: Callable[..., Parts]) -> Callable[..., Composition]:
    """The spec of a preset: ``parts`` (in ``where`` units) under a clock of ``1 / total_steps``."""

    def spec(*args: Any, total_steps: int, **kwargs: Any) -> Composition:
        pieces = parts(*args, total_steps=total_steps, **kwargs)
        segments = [
            Segment(length, start, None, "linear")
            if shape == "constant"
            else Segment(length, start, end, shape, power)
            for length, start, end, shape, power in pieces
        ]
        return Composition(segments, scale=Fraction(1, total_steps))

    spec.__signature__ = inspect.signature(parts).replace(  # type: ignore[attr-defined]
        return_annotation=Composition
    )
    spec.__annotations__ = {**inspect.get_annotations(parts), "return": "Composition"}
    spec.__wrapped__ = parts  # type: ignore[attr-defined]
    spec.__module__ = __name__
    return spec


_WHERE = (
    "Step ``s`` is fvcore's ``where = s / total_steps`` (detectron2's ``LRMultiplier``: "
    "``total_steps`` is its ``max_iter``). fvcore is defined on ``where`` in ``[0, 1)``: from "
    "``total_steps`` on the preset holds its last value."
)

_EPS = (
    "Step boundaries are fvcore's, ``WHERE_EPSILON = 1e-6`` included: the value changes at "
    "the first step with ``where + 1e-6 >= boundary``, exactly."
)


def _preset(cls: str, parts: Callable[..., Parts], doc: str) -> Preset:
    return Preset(
        f"fvcore.common.param_scheduler:{cls}",
        scaled=False,
        spec=_composed(parts),
        doc=f"{doc} {_WHERE}",
        equal_until="T-1",
    )


#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "fvcore_constant": _preset("ConstantParamScheduler", _constant, "``value`` throughout."),
    "fvcore_cosine": _preset(
        "CosineParamScheduler",
        _cosine,
        "Half a cosine from ``start_value`` to ``end_value`` (a decay or a warmup).",
    ),
    "fvcore_linear": _preset(
        "LinearParamScheduler",
        _linear,
        "A straight line from ``start_value`` to ``end_value`` (a decay or a warmup).",
    ),
    "fvcore_exponential": _preset(
        "ExponentialParamScheduler",
        _exponential,
        "``start_value * decay ** where``: a geometric ramp to ``start_value * decay``.",
    ),
    "fvcore_polynomial": _preset(
        "PolynomialDecayParamScheduler",
        _polynomial,
        "``base_value * (1 - where) ** power``: warmcos' polynomial decay to 0.",
    ),
    "fvcore_step": _preset(
        "StepParamScheduler",
        _step,
        "``values`` in equal parts of training (``num_updates`` is only checked). " + _EPS,
    ),
    "fvcore_multistep": _preset(
        "MultiStepParamScheduler",
        _multistep,
        "``values[i]`` from ``milestones[i - 1] / num_updates`` of training (fvcore's own "
        "reading of ``num_updates`` and ``milestones``, either given). " + _EPS,
    ),
    "fvcore_step_with_fixed_gamma": _preset(
        "StepWithFixedGammaParamScheduler",
        _step_with_fixed_gamma,
        "``base_value * gamma ** k`` in ``num_decays + 1`` equal parts of training (the values "
        "multiplied one by one, as fvcore does). " + _EPS,
    ),
    "fvcore_composite": _preset(
        "CompositeParamScheduler",
        _composite,
        "Each scheduler (a dict: ``type``, an fvcore class name, and its arguments) over its "
        "``lengths`` fraction of training, in order; ``'rescaled'`` runs it over its whole "
        "range in that interval, ``'fixed'`` at the interval's own ``where`` (a cosine, or a "
        "polynomial that stops before the end, cut by a fixed interval is refused: it is not "
        "a warmcos segment). fvcore switches to the next scheduler when ``where + 1e-6`` "
        "passes the running total of the lengths; the preset at the running total itself (read "
        "as the decimals the lengths print as): they differ at a step only where "
        "``total_steps * running total`` falls within ``total_steps * 1e-6`` below a whole "
        "step.",
    ),
}
