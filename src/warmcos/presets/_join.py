"""Schedules joined at boundaries, each later one counting from its boundary (``join_schedules``).

A piece is a :class:`~warmcos.Composition` on the plain clock, or a template
:class:`~warmcos.Schedule` of one cycle (a warmup, a stable phase, a decay that ends on its
value): both are written as segments, and the joined schedule is one composition of them.
Before the next boundary a piece is cut there (at a segment boundary, or inside a linear or
constant segment, whose cut end is its value there); a piece that ends before it holds its
last value up to it.
"""

from __future__ import annotations

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Annotated

from .._compose import rational
from .._math import SHAPES
from ..compose import Composition, Segment
from ..schedule import Schedule
from ._kinds import Items, Steps, _typed
from ._stairs import plain

#: The most pieces one join holds.
_MAX_PIECES = 1_000

#: The shapes a piece may be cut inside: their value at the cut is the cut segment's end.
_CUTTABLE = ("linear", "constant")


@dataclass(frozen=True)
class _Piece:
    """A built warmcos schedule: a :class:`~warmcos.Composition` or a ``Schedule``."""

    def check(self, value: object, name: str) -> Composition | Schedule:
        if not isinstance(value, (Composition, Schedule)):
            raise TypeError(
                f"{name} must be a warmcos Composition or Schedule (a preset's value); "
                f"{_typed(name, value)}"
            )
        return value


#: The pieces of a join: built warmcos schedules.
Pieces = Annotated[
    Sequence[Annotated[Composition | Schedule, _Piece()]], Items(1, _MAX_PIECES, "schedules")
]

#: The steps where each later piece starts.
Boundaries = Annotated[Sequence[Steps], Items(0, _MAX_PIECES - 1, "boundaries")]


def _template_segments(schedule: Schedule, name: str) -> list[Segment]:
    """A one-cycle template as its segments: warmup, stable, decay (each where it has steps)."""
    if schedule.cycles != 1 or schedule.edits or schedule.delay_steps or schedule.decay_from_zero:
        raise ValueError(
            f"{name}: a template Schedule joins when it has one cycle, no edits, no delay and "
            "decay_from_zero=False (its phases are then segments); write it as a Composition"
        )
    if SHAPES[schedule.decay_shape].open or schedule.after == "wrap":
        raise ValueError(
            f"{name}: decay_shape={schedule.decay_shape!r} with after={schedule.after!r} is "
            "not a segment that ends on final_lr and holds it; write it as a Composition"
        )
    peak = schedule.peak_lr
    segments = []
    if schedule.warmup_steps:
        segments.append(
            Segment(
                schedule.warmup_steps,
                schedule.warmup_start_lr,
                peak,
                schedule.warmup_shape,
                schedule.warmup_power,
            )
        )
    if schedule.stable_steps:
        segments.append(Segment(schedule.stable_steps, peak))
    decay = schedule.total_steps - schedule.warmup_steps - schedule.stable_steps
    if decay and SHAPES[schedule.decay_shape].flat:  # holds the peak (final_lr unused)
        segments.append(Segment(decay, peak))
    elif decay:
        segments.append(
            Segment(decay, peak, schedule.final_lr, schedule.decay_shape, schedule.power)
        )
    return segments


def _segments(piece: Composition | Schedule, name: str, last: bool) -> list[Segment]:
    """The piece's segments, or ``ValueError`` naming what a joined segment cannot carry."""
    if not last and piece.after != "hold":
        raise ValueError(
            f"{name}: a piece before the last holds up to the next boundary; received "
            f"after={piece.after!r}"
        )
    if isinstance(piece, Schedule):
        return _template_segments(piece, name)
    clock = {"every": 1, "offset": 0, "scale": 1, "floor": None, "factors": ()}
    for field, default in clock.items():
        if getattr(piece, field) != default:
            raise ValueError(
                f"{name}: a joined piece is plain segments; its {field}="
                f"{getattr(piece, field)!r} is not (only {field}={default!r} joins)"
            )
    return list(piece.segments) * piece.repeat


def _cut(segments: list[Segment], window: int, name: str) -> list[Segment]:
    """The segments up to ``window`` steps: cut there, or held there from their last value."""
    out: list[Segment] = []
    at = Fraction(0)
    for i, seg in enumerate(segments):
        length = rational(seg.length, f"{name}: segment {i}: length")
        if at + length <= window:
            out.append(seg)
            at += length
            continue
        kept = window - at
        if kept > 0:
            if not (seg.shape in _CUTTABLE or (seg.shape == "polynomial" and seg.power == 1)):
                raise ValueError(
                    f"{name}: its segment {i} (shape={seg.shape!r}) runs past the next boundary, "
                    f"{window} steps after its own: a {seg.shape} cut part-way is not a segment "
                    f"(only {' or '.join(_CUTTABLE)} segments are cut, polynomial ones of power 1)"
                )
            end = seg.start + (_end(seg) - seg.start) * float(kept / length)
            out.append(seg._replace(length=plain(kept), end=end))
        return out
    if at < window:  # the piece ends before the boundary: its last value holds
        out.append(Segment(plain(window - at), _end(out[-1]) if out else 0.0))
    return out


def _end(segment: Segment) -> float:
    """The value a segment reaches (its start, for a constant one)."""
    return segment.start if segment.end is None else segment.end


def join(schedules: Sequence[Composition | Schedule], boundaries: Sequence[int]) -> Composition:
    """``schedules[k]`` from ``boundaries[k - 1]`` on, at ``step - boundaries[k - 1]``."""
    if len(boundaries) != len(schedules) - 1:
        raise ValueError(
            f"boundaries must hold one step fewer than schedules; received {len(schedules)} "
            f"schedules and {len(boundaries)} boundaries"
        )
    starts = [0, *boundaries]
    for k in range(1, len(starts)):
        if starts[k] < starts[k - 1]:
            raise ValueError(
                f"boundaries must not decrease; boundaries[{k - 1}]={starts[k]!r} is below "
                f"{'0' if k == 1 else f'boundaries[{k - 2}]={starts[k - 1]!r}'}"
            )
    last = len(schedules) - 1
    segments: list[Segment] = []
    for k, piece in enumerate(schedules):
        name = f"schedules[{k}]"
        own = _segments(piece, name, k == last)
        segments += own if k == last else _cut(own, starts[k + 1] - starts[k], name)
    return Composition(segments, after=schedules[last].after)


def _optax_join_schedules(schedules: Pieces, boundaries: Boundaries) -> Composition:
    return join(schedules, boundaries)
