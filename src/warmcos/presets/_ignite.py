"""ignite's parameter schedulers that the template cannot write: piecewise linear and cyclical.

Both are :class:`~warmcos.Composition` values: ignite's ``PiecewiseLinear`` is a sequence of
linear segments with jumps where two milestones coincide; its ``LinearCyclicalScheduler`` a
triangle (or, ``monotonic=True``, a ramp with an optional warmup back) repeated with cycle
lengths and values that change at every restart.
"""

# The presets mirror other libraries' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

import itertools

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Sequence
from fractions import Fraction
from typing import Annotated

from ..compose import Composition, Segment
from ._core import Preset
from ._kinds import Cycles, Items, Name, Positive, Rate, Steps, Switch
from ._toolkits import CycleSize

_IGNITE = "ignite.handlers.param_scheduler:"
#: warmcos' limit on the pairs of a PiecewiseLinear (each is a segment of the composition).
_MAX_PAIRS = 10_000

#: ignite's ``milestones_values``: ``(event index, value)`` pairs, milestones not decreasing.
MilestonesValues = Annotated[
    Sequence[tuple[Steps, Rate]], Items(1, _MAX_PAIRS, "(milestone, value) pairs")
]


def _ignite_piecewise_linear(
    param_name: Name,
    milestones_values: MilestonesValues,
    save_history: Switch = False,
    param_group_index: Steps | None = None,
) -> Composition:
    for i in range(1, len(milestones_values)):
        if milestones_values[i][0] < milestones_values[i - 1][0]:
            raise ValueError(
                "milestones_values must have increasing milestones (ignite raises otherwise); "
                f"received milestones_values[{i}]={tuple(milestones_values[i])!r} after "
                f"milestones_values[{i - 1}]={tuple(milestones_values[i - 1])!r}"
            )
    first, value = milestones_values[0]
    segments = [Segment(first, value, value)] if first > 0 else []
    # A linear segment between consecutive milestones; two equal milestones are a jump (ignite
    # uses the later pair's value from that event on), which is simply the next segment's start.
    for (m0, v0), (m1, v1) in itertools.pairwise(milestones_values):
        if m1 > m0:
            segments.append(Segment(m1 - m0, v0, v1))
    last = milestones_values[-1][1]
    if not segments or segments[-1].end != last:
        segments.append(Segment(1, last, last))  # the last pair's value, held from its milestone
    return Composition(segments)


def _ignite_linear_cyclical(
    param_name: Name,
    start_value: Rate,
    end_value: Rate,
    cycle_size: CycleSize,
    cycle_mult: Positive = 1.0,
    start_value_mult: Positive = 1.0,
    end_value_mult: Positive = 1.0,
    warmup_duration: Steps = 0,
    save_history: Switch = False,
    param_group_index: Steps | None = None,
    *,
    monotonic: Switch = False,
    cycles: Cycles,
) -> Composition:
    if warmup_duration > 0 and not monotonic:
        raise ValueError(
            "warmup_duration > 0 needs monotonic=True (ignite raises otherwise); received "
            f"{warmup_duration=}, {monotonic=}"
        )
    segments: list[Segment] = []
    size, warmup, start, end = cycle_size, warmup_duration, start_value, end_value
    for i in range(cycles):
        if size < 1:
            raise ValueError(
                f"cycle {i} would be int(cycle_size * cycle_mult**{i}) = {size} events long "
                "(ignite divides by it); received "
                f"{cycle_size=}, {cycle_mult=}, {cycles=}"
            )
        # ignite multiplies start_value when a cycle reaches its size (before its warmup) and
        # end_value when the next cycle begins; it counts in floats, as here.
        following = start * start_value_mult
        if monotonic:
            segments.append(Segment(size, start, end))
            if warmup > 0:
                segments.append(Segment(warmup, end, following))
        else:  # a triangle: start, end at half the cycle, back towards start
            half = Fraction(size, 2)
            segments += [Segment(half, start, end), Segment(half, end, start)]
        start, end = following, end * end_value_mult
        size, warmup = int(size * cycle_mult), int(warmup * cycle_mult)
    return Composition(segments)


_IGNITE_EVENTS = (
    "attached to ``Events.ITERATION_STARTED`` as its docs do: update ``k`` uses the value it "
    "sets at event ``k``"
)

#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "ignite_piecewise_linear": Preset(
        _IGNITE + "PiecewiseLinear",
        scaled=False,
        spec=_ignite_piecewise_linear,
        doc="ignite's ``PiecewiseLinear`` (any ``param_name``: the preset is its values), "
        + _IGNITE_EVENTS
        + ": the first pair's value until its milestone, then linear between consecutive "
        "milestones, the value rising or falling; where two milestones are equal the later "
        "pair's value starts there (a jump). After the last milestone, its value forever, as "
        "ignite.",
    ),
    "ignite_linear_cyclical": Preset(
        _IGNITE + "LinearCyclicalScheduler",
        scaled=False,
        spec=_ignite_linear_cyclical,
        doc="ignite's ``LinearCyclicalScheduler`` (any ``param_name``), "
        + _IGNITE_EVENTS
        + ": ``end_value + (start_value - end_value) * |2k / cycle_size - 1|``, a triangle "
        "from ``start_value`` down (or up) to ``end_value`` at half the cycle and back, "
        "restarting at ``cycle_size``; with ``monotonic=True`` one ramp from ``start_value`` "
        "to ``end_value`` per cycle, then ``warmup_duration`` events back up to the next "
        "cycle's ``start_value``. At each restart ignite multiplies the cycle size and the "
        "warmup by ``cycle_mult`` (whole events: ``int()``), ``start_value`` by "
        "``start_value_mult`` and ``end_value`` by ``end_value_mult``. ignite cycles "
        "forever; the preset has ``cycles`` of them and holds the last value after, so it "
        "equals ignite before its end.",
        equal_until="T-1",
    ),
}
