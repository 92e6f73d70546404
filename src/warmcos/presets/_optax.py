"""optax's schedules."""

# The presets mirror other libraries' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

import itertools
import math

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Annotated, Any, Literal, TypedDict

from ..compose import Composition, Segment
from ..schedule import MAX_CYCLES, MAX_STEPS
from . import _stairs
from ._core import _DECAY_STEP, _DOWN, _STAIRCASE, Below, Preset
from ._join import _optax_join_schedules
from ._kinds import (
    Count,
    Finite,
    Items,
    Length,
    Positive,
    Proportion,
    Rate,
    Ratio,
    Real,
    Spec,
    Steps,
    Switch,
    _received,
    _typed,
)
from ._shared import _exponential, _polynomial, _restarts, _scaled


def _optax_warmup_cosine(
    init_value: Rate,
    peak_value: Rate,
    warmup_steps: Steps,
    decay_steps: Steps,
    end_value: Rate = 0.0,
    exponent: Positive = 1.0,
) -> Spec:
    return {
        "peak_lr": peak_value,
        "total_steps": decay_steps,  # optax's decay_steps includes the warmup
        "warmup_steps": warmup_steps,
        "warmup_start_lr": init_value,
        "final_lr": end_value,
        "power": exponent,
    }


def _optax_cosine(
    init_value: Rate, decay_steps: Length, alpha: Ratio = 0.0, exponent: Positive = 1.0
) -> Spec:
    return {
        "peak_lr": init_value,
        "total_steps": decay_steps,
        "final_lr": init_value * alpha,
        "power": exponent,
    }


_OPTAX_VALUES = ("init_value", "end_value")


#: optax's transition counts: any int, a value <= 0 meaning none (optax documents both).
Transition = Annotated[int, Count(minimum=-MAX_STEPS)]


#: optax's polynomial ends at transition_begin + transition_steps (at most 64-bit steps).
_OPTAX_END = Below(
    ("transition_begin", "transition_steps"), MAX_STEPS, "the schedule ends at a 64-bit step"
)


def _optax_linear(
    init_value: Rate,
    end_value: Rate,
    transition_steps: Transition,
    transition_begin: Transition = 0,
) -> Spec:
    return _polynomial(
        init_value, end_value, 1.0, transition_steps, transition_begin, names=_OPTAX_VALUES
    )


def _optax_polynomial(
    init_value: Rate,
    end_value: Rate,
    power: Positive,
    transition_steps: Transition,
    transition_begin: Transition = 0,
) -> Spec:
    return _polynomial(
        init_value, end_value, power, transition_steps, transition_begin, names=_OPTAX_VALUES
    )


def _optax_warmup_exponential(
    init_value: Rate,
    peak_value: Rate,
    warmup_steps: Steps,
    transition_steps: Finite,
    decay_rate: Proportion,
    transition_begin: Transition = 0,
    staircase: bool = False,
    end_value: Rate | None = None,
    *,
    horizon: Length,
) -> Spec:
    begin = max(0, transition_begin)  # optax reads a negative transition_begin as 0
    decay: Spec
    if transition_steps <= 0 or decay_rate == 0:  # optax holds peak_value (documented)
        decay = {"final_lr": peak_value, "decay_shape": "constant"}
    else:
        decay = _exponential(
            peak_value,
            decay_rate,
            horizon - warmup_steps - begin,
            transition_steps,
            f"peak_value * decay_rate ** ((horizon - warmup_steps - transition_begin) / "
            f"transition_steps) = {peak_value!r} * {decay_rate!r} ** (({horizon} - "
            f"{warmup_steps} - {begin}) / {transition_steps!r})",
        )
    if end_value is not None and decay["final_lr"] < end_value:
        raise ValueError(
            f"end_value={end_value!r} is reached before horizon={horizon!r}, at a step that is "
            "not whole in general; warmcos' exponential decay ends at total_steps: choose a "
            "horizon at or before optax reaches end_value"
        )
    return {
        "peak_lr": peak_value,
        "total_steps": horizon,
        "warmup_steps": warmup_steps,
        "warmup_start_lr": init_value,
        "stable_steps": begin,
        **decay,
    }


class _SgdrRequired(TypedDict):
    init_value: Rate
    peak_value: Rate
    warmup_steps: Steps
    decay_steps: Steps


class SgdrCycle(_SgdrRequired, total=False):
    """One cycle of optax's ``sgdr_schedule``: ``warmup_cosine_decay_schedule``'s arguments."""

    end_value: Rate
    exponent: Positive


#: optax's sgdr_schedule: one dict per cycle.
SgdrCycles = Annotated[Sequence[SgdrCycle], Items(1, MAX_CYCLES, "cycles (dicts)")]


def _optax_sgdr(
    cosine_kwargs: SgdrCycles,
) -> Spec:
    cycles: list[dict[str, Any]] = [
        {"end_value": 0.0, "exponent": 1.0, **kw} for kw in cosine_kwargs
    ]
    for k, kw in enumerate(cycles):
        if not kw["warmup_steps"] < kw["decay_steps"]:
            raise ValueError(
                f"cosine_kwargs[{k}]: warmup_steps must be < decay_steps (optax requires "
                f"positive decay_steps - warmup_steps); received "
                f"warmup_steps={kw['warmup_steps']!r}, decay_steps={kw['decay_steps']!r}"
            )
        if not kw["end_value"] <= kw["peak_value"]:
            raise ValueError(
                f"cosine_kwargs[{k}]: end_value must be <= peak_value (warmcos' decays go "
                f"down); received end_value={kw['end_value']!r}, "
                f"peak_value={kw['peak_value']!r}"
            )
    total = sum(kw["decay_steps"] for kw in cycles)
    if total > MAX_STEPS:
        raise ValueError(
            "cosine_kwargs: the sum of the decay_steps must be <= 2**63 - 1 (steps are 64-bit "
            f"integers); it is {total}"
        )
    first, rest = cycles[0], cycles[1:]

    def same(key: str, group: list[dict[str, Any]], why: str) -> None:
        values = {kw[key] for kw in group}
        if len(values) > 1:
            raise ValueError(f"cosine_kwargs: every cycle must have the same {key} ({why})")

    same("init_value", cycles, "warmcos warms every cycle up from warmup_start_lr")
    same("exponent", cycles, "one power for every cycle")
    same("warmup_steps", rest, "cycle_warmup_steps is one length for the restarts")
    lengths = [kw["decay_steps"] - kw["warmup_steps"] for kw in cycles]
    peaks = [kw["peak_value"] for kw in cycles]
    mul = Fraction(lengths[1], lengths[0]) if rest else Fraction(1)
    if rest and not (peaks[0] > 0 and peaks[1] > 0):
        raise ValueError(
            "cosine_kwargs: the first two cycles' peak_value must be above 0 (the peaks decay "
            f"geometrically, by peak_1 / peak_0 > 0); received {peaks[0]!r} and {peaks[1]!r}"
        )
    decay = peaks[1] / peaks[0] if rest else 1.0
    expected = Fraction(lengths[0])
    for k in range(len(cycles)):  # stops at the first mismatch: the lengths stay 64-bit
        if lengths[k] != expected:
            raise ValueError(
                "cosine_kwargs: the cycles' decays (decay_steps - warmup_steps) must grow "
                f"geometrically; cycle {k} has {lengths[k]}, not {expected}"
            )
        expected *= mul
        if not math.isclose(peaks[k], _scaled(peaks[0], decay, k), rel_tol=1e-12):
            raise ValueError(
                "cosine_kwargs: the peaks must decay geometrically (peak_value of cycle k = "
                f"peak_value of cycle 0 * (peak_1 / peak_0) ** k); cycle {k} does not"
            )
    ends = [kw["end_value"] for kw in cycles]
    if len(set(ends)) == 1:
        floor = "fixed"
    elif all(
        math.isclose(ends[k], _scaled(ends[-1], decay, k - len(cycles) + 1), rel_tol=1e-12)
        for k in range(len(cycles))
    ):
        floor = "scaled"
    else:
        raise ValueError(
            "cosine_kwargs: end_value must be the same in every cycle, or scale with the peaks"
        )
    return {
        "peak_lr": first["peak_value"],
        "total_steps": total,
        "warmup_steps": first["warmup_steps"],
        "warmup_start_lr": first["init_value"],
        "final_lr": cycles[-1]["end_value"],
        "power": first["exponent"],
        **_restarts(
            len(cycles),
            cycle_mul=float(mul),
            cycle_decay=decay,
            cycle_floor=floor,
            cycle_warmup_steps=rest[0]["warmup_steps"] if rest else 0,
        ),
    }


#: optax's exponential_decay rate: any real >= 0 (above 1 it grows; a negative one alternates).
Growth = Annotated[float, Real(0.0, why="a negative decay_rate alternates signs")]


def _optax_exponential_decay(
    init_value: Rate,
    transition_steps: Finite,
    decay_rate: Growth,
    transition_begin: Transition = 0,
    staircase: Switch = False,
    end_value: Rate | None = None,
    *,
    horizon: Length,
) -> Composition:
    if transition_steps <= 0 or decay_rate == 0:  # optax returns init_value (documented)
        return Composition([Segment(horizon, init_value)])
    begin = max(0, transition_begin)  # optax reads a negative transition_begin as 0
    return _stairs.exponential(
        init_value, transition_steps, decay_rate, begin, staircase, end_value, horizon
    )


def _optax_constant(value: Rate) -> Composition:
    return Composition([Segment(1, value)])


@dataclass(frozen=True)
class _Scales:
    """optax's ``boundaries_and_scales``: ``{step: scale}``, int steps, scales finite ``>= 0``.

    A key may be an int's text too (``"100"``): a JSON object's keys are text.
    """

    def check(self, value: object, name: str) -> dict[int, float]:
        if not isinstance(value, Mapping):
            raise TypeError(f"{name} must be a dict {{step: scale}}; {_typed(name, value)}")
        if len(value) > _stairs.MAX_STAIRS:
            raise ValueError(
                f"{name} holds at most {_stairs.MAX_STAIRS} boundaries; received {len(value)}"
            )
        step = Count(minimum=-MAX_STEPS)
        scale = Real(0.0, why="optax requires non-negative scale factors")
        out: dict[int, float] = {}
        for key, item in value.items():
            # a JSON object's keys are text (the CLI's --boundaries-and-scales '{"100": 0.1}')
            text = isinstance(key, str) and key.strip().lstrip("+-").isdigit()
            boundary = step.check(int(key) if text else key, f"{name} key")
            if boundary in out:
                raise ValueError(f"{name} has the step {boundary} twice; {_received(name, value)}")
            out[boundary] = scale.check(item, f"{name}[{key!r}]")
        return out


#: optax's piecewise_constant_schedule boundaries: a dict {step: scale}.
Scales = Annotated[Mapping[int, float], _Scales()]


def _optax_piecewise_constant(
    init_value: Rate, boundaries_and_scales: Scales | None = None
) -> Composition:
    # optax multiplies by each scale from `count >= boundary` on (jnp.sign(boundary - count)
    # is 0 there): the boundary is the step the new value starts, as Composition.piecewise's.
    first = value = init_value
    boundaries: list[int] = []
    values: list[float] = []
    for step, scale in sorted((boundaries_and_scales or {}).items()):
        value *= scale
        if step <= 0:  # in force from step 0
            first = value
        else:
            boundaries.append(step)
            values.append(value)
    return Composition.piecewise(boundaries, [first, *values])


def _optax_piecewise_interpolate(
    interpolate_type: Literal["linear", "cosine"],
    init_value: Rate,
    boundaries_and_scales: Scales | None = None,
) -> Composition:
    return _interpolated(
        interpolate_type,
        init_value,
        boundaries_and_scales or {},
        "init_value and boundaries_and_scales",
    )


def _interpolated(shape: str, init: float, scales: Mapping[int, float], names: str) -> Composition:
    """Optax's interpolation between the cumulative values at ``0`` and the sorted boundaries.

    Interval ``[b_i, b_i+1)`` goes from value ``i`` to value ``i + 1``, the last value holds
    from the last boundary on. The interval from 0 to a first boundary at or below 0 holds no
    step: the next one then starts at that boundary, before step 0 (the clock's offset).
    ``names``: the parameters the values come from, named when one is not a finite float.
    """
    points, values = [0], [init]
    for step, scale in sorted(scales.items()):
        points.append(step)
        values.append(values[-1] * scale)
    if not all(math.isfinite(v) for v in values):
        raise ValueError(
            f"{names} must give finite values at every boundary (float64 products); they give "
            f"{values!r} at steps {points!r}"
        )
    if len(points) > 1 and points[1] <= 0:  # [0, b_1) is empty: start from b_1
        points, values = points[1:], values[1:]
    if points[-1] <= 0:  # every boundary at or below 0: the last value from step 0
        return Composition([Segment(1, values[-1])])
    segments = [
        Segment(b - a, v, w, shape)
        for (a, b), v, w in zip(itertools.pairwise(points), values, values[1:], strict=False)
    ]
    return Composition(segments, offset=-points[0])


_ONECYCLE_NAMES = "peak_value, div_factor and final_div_factor"


def _optax_linear_onecycle(
    transition_steps: Length,
    peak_value: Rate,
    pct_start: Proportion = 0.3,
    pct_final: Proportion = 0.85,
    div_factor: Positive = 25.0,
    final_div_factor: Positive = 1e4,
) -> Composition:
    # optax's own boundaries: int() truncates pct * transition_steps, and the dict keeps the
    # last scale of boundaries that coincide
    scales = {
        int(pct_start * transition_steps): div_factor,
        int(pct_final * transition_steps): 1.0 / div_factor,
        transition_steps: 1.0 / final_div_factor,
    }
    return _interpolated("linear", peak_value / div_factor, scales, _ONECYCLE_NAMES)


def _optax_cosine_onecycle(
    transition_steps: Length,
    peak_value: Rate,
    pct_start: Proportion = 0.3,
    div_factor: Positive = 25.0,
    final_div_factor: Positive = 1e4,
) -> Composition:
    scales = {
        int(pct_start * transition_steps): div_factor,
        transition_steps: 1.0 / (div_factor * final_div_factor),
    }
    return _interpolated("cosine", peak_value / div_factor, scales, _ONECYCLE_NAMES)


#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "optax_warmup_cosine_decay": Preset(
        "optax:warmup_cosine_decay_schedule",
        scaled=False,
        spec=_optax_warmup_cosine,
        rules=(
            Below(
                ("warmup_steps",),
                "decay_steps",
                "optax requires positive decay_steps - warmup_steps (decay_steps includes the "
                "warmup)",
            ),
            Below(("end_value",), "peak_value", _DOWN, strict=False),
        ),
        doc="Linear warmup from ``init_value`` to ``peak_value``, cosine (to the power "
        "``exponent``) to ``end_value`` at ``decay_steps`` (which includes the warmup), then "
        "``end_value``.",
    ),
    "optax_cosine_decay": Preset(
        "optax:cosine_decay_schedule",
        scaled=False,
        spec=_optax_cosine,
        doc="Cosine (to the power ``exponent``) from ``init_value`` to ``alpha * init_value`` "
        "at ``decay_steps``, then that.",
    ),
    "optax_linear": Preset(
        "optax:linear_schedule",
        scaled=False,
        spec=_optax_linear,
        rules=(_OPTAX_END,),
        doc="``init_value`` for ``transition_begin`` steps, then linear to ``end_value`` over "
        "``transition_steps``, then ``end_value``. A rise (``init_value < end_value``) is a "
        "warmup, and then ``transition_begin`` must be 0.",
    ),
    "optax_polynomial": Preset(
        "optax:polynomial_schedule",
        scaled=False,
        spec=_optax_polynomial,
        rules=(_OPTAX_END,),
        doc="As ``optax_linear`` with ``(1 - p) ** power``.",
    ),
    "optax_warmup_exponential_decay": Preset(
        "optax:warmup_exponential_decay_schedule",
        scaled=False,
        spec=_optax_warmup_exponential,
        unsupported={"staircase": _STAIRCASE},
        rules=(
            Below(("warmup_steps",), "horizon", _DECAY_STEP),
            Below(("warmup_steps", "transition_begin"), "horizon", _DECAY_STEP),
        ),
        doc="Linear warmup to ``peak_value``, ``transition_begin`` steps at the peak, then "
        "``peak_value * decay_rate ** (t / transition_steps)``. optax has no end: the preset "
        "equals it up to ``horizon`` and holds there.",
        equal_until="T",
    ),
    "optax_sgdr": Preset(
        "optax:sgdr_schedule",
        scaled=False,
        spec=_optax_sgdr,
        doc="optax's warm restarts: one ``warmup_cosine_decay_schedule`` per dict. warmcos' "
        "restarts are regular, so the dicts must be too: one ``init_value`` and ``exponent``, "
        "one ``warmup_steps`` for the restarts, decays growing and peaks decaying "
        "geometrically, and one ``end_value`` (or one scaled with the peaks).",
    ),
    "optax_exponential_decay": Preset(
        "optax:exponential_decay",
        scaled=False,
        spec=_optax_exponential_decay,
        doc="``init_value`` up to ``transition_begin``, then ``init_value * decay_rate ** ((count"
        " - transition_begin) / transition_steps)``, the exponent floored with ``staircase`` "
        "(a per-period clock; written out stair by stair when ``transition_begin`` is not a "
        "multiple of ``transition_steps``). ``end_value`` (a floor when it decays, a ceiling "
        "when it rises) ends the curve where it is reached (to within 2**-20 of a step), "
        "and holds from there. optax has no end: the preset equals it up to ``horizon`` (with "
        "``staircase``, up to the first stair at or after it) and holds there. "
        "``transition_steps <= 0`` or ``decay_rate == 0`` hold ``init_value``, as in optax.",
        equal_until="T",
    ),
    "optax_constant": Preset(
        "optax:constant_schedule",
        scaled=False,
        spec=_optax_constant,
        doc="``value`` at every step.",
    ),
    "optax_piecewise_constant": Preset(
        "optax:piecewise_constant_schedule",
        scaled=False,
        spec=_optax_piecewise_constant,
        doc="``init_value`` times every scale whose boundary the count has reached "
        "(``count >= boundary``: the boundary is the first step of the new value; a boundary "
        "at or below 0 scales from step 0). The scales multiply cumulatively; the last value "
        "holds after the last boundary, as in optax.",
    ),
    "optax_piecewise_interpolate": Preset(
        "optax:piecewise_interpolate_schedule",
        scaled=False,
        spec=_optax_piecewise_interpolate,
        doc="From ``init_value`` at step 0 to ``init_value`` times the scales up to each "
        "boundary, interpolated (``interpolate_type``: linear, or a half cosine) between "
        "consecutive boundaries; the last value from the last boundary on. The boundary "
        "step has the new value.",
    ),
    "optax_linear_onecycle": Preset(
        "optax:linear_onecycle_schedule",
        scaled=False,
        spec=_optax_linear_onecycle,
        doc="Linear from ``peak_value / div_factor`` to ``peak_value`` at "
        "``int(pct_start * transition_steps)``, back down at ``int(pct_final * "
        "transition_steps)``, to that over ``final_div_factor`` at ``transition_steps``, "
        "then that (optax's boundaries, coinciding ones merged as optax's dict does).",
    ),
    "optax_cosine_onecycle": Preset(
        "optax:cosine_onecycle_schedule",
        scaled=False,
        spec=_optax_cosine_onecycle,
        doc="Half cosines from ``peak_value / div_factor`` to ``peak_value`` at "
        "``int(pct_start * transition_steps)``, then to ``peak_value / (div_factor * "
        "final_div_factor)`` at ``transition_steps``, then that.",
    ),
    "optax_join_schedules": Preset(
        "optax:join_schedules",
        scaled=False,
        spec=_optax_join_schedules,
        doc="``schedules[k]`` from ``boundaries[k - 1]`` on, evaluated at ``step - "
        "boundaries[k - 1]`` (the boundary step is the later schedule's). The schedules are "
        "built warmcos schedules (presets' values): Compositions on the plain clock, or "
        "one-cycle template Schedules; each is cut at the next boundary (at a segment's end, "
        "or inside a linear or constant one) or holds its last value up to it. After its end "
        "the joined schedule does what the last one does (``after``).",
    ),
}
