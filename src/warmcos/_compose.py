r"""Lowering a :class:`~warmcos.Composition` into the phase table, and its operators.

A composition's segments become :class:`~warmcos._math.Row`\ s of the same table the
template lowers to, evaluated by the same :func:`~warmcos._math.evaluate`. What a composition
adds is counted in exact integers, resolved once here:

* **rational boundaries**: with ``D`` the least common multiple of every denominator (the
  segments' lengths, the clock's scale and offset), the schedule's own time ``tau`` is counted
  in *ticks* of ``1/D``; a segment from ``P_i`` to ``P_{i+1}`` ticks has progress
  ``(T(u) - P_i) / (P_{i+1} - P_i)``, two exact integers and one division, as the template's
  ``n / L`` (the row's ``ticks``);
* **the clock**: the step ``s`` is first floored to the clock's period, ``u = k * (s // k)``
  (``every = k``), then mapped to ticks, ``T(u) = u * a + b`` with ``a = scale * D`` and
  ``b = offset * scale * D`` integers;
* **the operators**: a product is each part's table evaluated and multiplied, a clamp is
  ``maximum`` (branch-free: traced steps trace once); a repeat is the segments unrolled.

Each table holds after its own end (``after="hold"``); the composition's ``after`` policy acts
on the step before any clock (:func:`evaluate`).
"""

from __future__ import annotations

import math
from collections import namedtuple

from . import _math
from ._xp import _PYTHON

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fractions import Fraction
    from typing import Any

    from ._xp import Bounds, Namespace
    from .compose import Segment

#: Beyond this many rows (segments, repeats unrolled, over every part), a composition is
#: refused: a table that long is a mistake, not a schedule (a ``where`` chain over it would
#: also be slow to trace).
MAX_ROWS = 100_000

#: How deep products and clamps may nest.
MAX_DEPTH = 16

#: Steps are 64-bit integers in NumPy and every framework: every count of ticks stays below.
_TICKS_LIMIT = 2**63 - 1

_MAX_LOG_RATIO = math.log(1e300)

#: One lowered part: its table (``None`` for a pure product), the clock's period, the lowered
#: factors, the floor (``None``: no clamp), and the step where its own table ends.
Lowered = namedtuple("Lowered", "plan every factors floor total")


# -- the checks of a composition's values (warmcos.compose builds with them) -------------------


def rational(value: object, what: str) -> Fraction:
    """An exact rational from an int, a Fraction, a ``"p/q"`` or decimal string, or a float."""
    from fractions import Fraction

    if isinstance(value, bool) or not isinstance(value, (int, float, str, Fraction)):
        raise TypeError(
            f"{what} must be an int, a float, a Fraction or a 'p/q' string; received "
            f"{value!r} of type {type(value).__name__}"
        )
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{what} must be finite; received {value!r}")
        return Fraction(repr(value))
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValueError(
            f"{what} must be a number like 704.6 or '7046/10'; received {value!r}"
        ) from None


def plain(x: Fraction | int) -> int | str:
    """A rational as JSON keeps it exactly: an int, or a ``"p/q"`` string."""
    return int(x) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def checked_value(value: object, what: str) -> float:
    """A finite value >= 0 (a rate, a factor, a floor)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        import numbers

        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{what} must be a real number; received {value!r}")
    v = float(value)
    if not (math.isfinite(v) and v >= 0.0):
        raise ValueError(f"{what} must be a finite number >= 0; received {value!r}")
    return v


def count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int >= 1; received {value!r}")
    if value < 1:
        raise ValueError(f"{what} must be an int >= 1; received {what}={value!r}")
    return value


def mapping(value: object, what: str) -> dict[str, Any]:
    from collections.abc import Mapping as MappingABC

    if not isinstance(value, MappingABC):
        raise TypeError(f"{what} must be a mapping (a dict); received {type(value).__name__}")
    return {str(k): v for k, v in value.items()}


def shape_parameters(
    seg: Segment, where: str, start: float, end: float
) -> tuple[float, Fraction | None]:
    """The power and exact timescale of a segment, checked against what its shape reads."""
    shape = _math.SHAPES[seg.shape]
    power = seg.power
    if (
        isinstance(power, bool)
        or not isinstance(power, (int, float))
        or not (math.isfinite(power) and power > 0.0)
    ):
        raise ValueError(f"{where}: power must be a finite number > 0; received power={power!r}")
    if float(power) != 1.0 and shape.param != "power":
        powered = " and ".join(repr(n) for n, e in _math.SHAPES.items() if e.param == "power")
        raise ValueError(
            f"{where}: power feeds the shapes {powered}; received "
            f"power={power!r} with shape={seg.shape!r}"
        )
    tau = None
    if shape.param == "timescale":
        if seg.timescale is None:
            raise ValueError(f"{where}: shape={seg.shape!r} needs a timescale > 0")
        tau = rational(seg.timescale, f"{where}: timescale")
        if not tau > 0:
            raise ValueError(
                f"{where}: timescale must be > 0; received timescale={seg.timescale!r}"
            )
    elif seg.timescale is not None:
        raise ValueError(
            f"{where}: timescale feeds the open shapes only; received "
            f"timescale={seg.timescale!r} with shape={seg.shape!r}"
        )
    if shape.positive and not (start > 0.0 and end > 0.0):
        raise ValueError(
            f"{where}: an {seg.shape!r} segment needs start and end > 0; received "
            f"start={seg.start!r}, end={end!r}"
        )
    if shape.positive and max(start, end) / min(start, end) > 1e300:
        raise ValueError(
            f"{where}: an {seg.shape!r} segment spans at most 300 decades; received "
            f"start={seg.start!r}, end={end!r}"
        )
    if shape.open and end > start:
        raise ValueError(
            f"{where}: an open shape falls from start towards end: end must be <= start; "
            f"received start={seg.start!r}, end={end!r}"
        )
    if shape.flat and end != start:
        raise ValueError(
            f"{where}: a {seg.shape!r} segment holds its start: end must be start or None; "
            f"received start={seg.start!r}, end={end!r}"
        )
    return float(power), tau


def ceil_div(num: int, den: int) -> int:
    """``ceil(num / den)`` of integers, ``den > 0``."""
    return -(-num // den)


def constants(
    shape: str, length: int, v_low: float, v_high: float, *, power: float, timescale: float | None
) -> tuple[Any, ...]:
    """A row's precomputed shape constants, from the shape's registry entry (as the template's)."""
    entry = _math.SHAPES[shape]
    if entry.consts is None:
        return ()
    value = {"power": power, "timescale": timescale}.get(entry.param)
    return entry.consts(length, v_low, v_high, value)


def lower_table(
    segments: tuple[Any, ...],
    *,
    lengths: tuple[Fraction, ...],
    every: int,
    offset: Fraction,
    scale: Fraction,
    timescales: tuple[Fraction | None, ...],
) -> tuple[_math.Plan, int, int]:
    """The phase table of validated segments under a clock; its end and its last row's begin.

    ``lengths`` and ``timescales``: each segment's, exact. Returns the plan (in the clock's
    floored steps ``u``; ``after="hold"``), the first step whose floored time reaches the
    last boundary, and where the last segment begins (``after="wrap"`` folds back to it).
    A row in ticks ends at its last step, where its frame has not run out: the next row (a
    ``"delay"`` row before the first, an ``"end"`` row holding the last value) takes the step
    where it would, so no count of ticks is ever clamped.
    """
    from fractions import Fraction

    bounds = [Fraction(0)]
    for length in lengths:
        bounds.append(bounds[-1] + length)
    shift = offset * scale
    den = math.lcm(scale.denominator, shift.denominator, *(b.denominator for b in bounds))
    a = int(scale * den)
    b = int(shift * den)
    ticks = [int(x * den) for x in bounds]
    total_u = max(ceil_div(ticks[-1] - b, a), 0)
    # the first (floored) step at or after each boundary
    begins = [min(max(ceil_div(p - b, a), 0), total_u) for p in ticks]
    rows: list[_math.Row] = []
    if begins[0] > 0:  # a delay: the first value is held until the time reaches 0
        rows.append(_held(0, begins[0], segments[0].start, "delay", 0))
    wrap_from = 0
    for i, seg in enumerate(segments):
        begin, end = begins[i], begins[i + 1]
        span = ticks[i + 1] - ticks[i]
        into = begin * a + b - ticks[i]  # ticks already run at the segment's first step
        frame = _math.IN_STEPS if (a, into) == (1, 0) else (a, into - begin * a)
        if frame is not _math.IN_STEPS:
            if seg.shape == "log":
                # log(1 + n) / log(1 + L) is the one shape that changes with the unit of n
                raise ValueError(
                    f"segment {i}: shape='log' counts whole steps; received a boundary between "
                    f"steps or a clock with a scale or offset (length={seg.length!r})"
                )
            # the frame never runs past its end: the step where it would is the next row's
            end -= 1
        rising = seg.start <= seg.end and not _math.SHAPES[seg.shape].open
        v_low, v_high = (seg.start, seg.end) if rising else (seg.end, seg.start)
        tau = timescales[i]
        timescale = None if tau is None else float(tau * den)
        consts = constants(seg.shape, span, v_low, v_high, power=seg.power, timescale=timescale)
        row = _math.Row(
            begin, end, begin, span, rising, (v_low, 0.0, 0.0), (v_high, 0.0, 0.0),
            v_low, v_high, seg.shape, consts, "phase", i, frame,
        )  # fmt: skip
        if end >= begin:  # else the segment lies between two (clock) steps: no step is in it
            rows.append(row)
            wrap_from = begin
    if row.ticks is not _math.IN_STEPS:  # the last segment's end value, at the end
        rows.append(_held(total_u, total_u, reached(row), "end", len(segments) - 1))
    total = every * ceil_div(total_u, every) if every > 1 else total_u
    plan = _math.Plan(tuple(rows), tuple(r.begin for r in rows), total_u, "hold", 0)
    return plan, total, wrap_from


def _held(begin: int, end: int, value: float, kind: str, index: int) -> _math.Row:
    """A constant row holding ``value`` on ``[begin, end]``."""
    form = (value, 0.0, 0.0)
    return _math.Row(
        begin, end, begin, max(end - begin, 1), True, form, form, value, value, _math.HOLD, (),
        kind, index,
    )  # fmt: skip


def reached(row: _math.Row) -> float:
    """The value a row's formula reaches at the end of its frame (``n = L``), exactly."""
    whole = row._replace(begin=0, end=row.length, origin=0, ticks=_math.IN_STEPS)
    return float(_math._row(_PYTHON, row.length, whole, None))


def table_limits(lengths: tuple[Fraction, ...], scale: Fraction, offset: Fraction) -> int:
    """The largest count of ticks a step maps to (checked against 64-bit steps)."""
    shift = offset * scale
    total = sum(lengths)
    den = math.lcm(scale.denominator, shift.denominator, *(x.denominator for x in lengths))
    return int(total * den) + abs(int(shift * den)) + 2 * int(scale * den)


def evaluate(
    xp: Namespace,
    s: Any,
    bounds: Bounds | None,
    node: Lowered,
    *,
    after: str,
    total: int,
    wrap_from: int,
) -> Any:
    """The composition's value at exact steps ``s``: the ``after`` policy, then every part.

    ``"wrap"`` folds the step back over the last segment (as the template folds its decay);
    ``"hold"`` lets each table hold its own end; ``"raise"`` has been checked for concrete
    steps, and makes traced steps past ``total`` NaN.
    """
    invalid = None
    if after == "wrap" and (bounds is None or bounds[1] > total):
        s = _math._wrap(xp, s, wrap_from, total)
        if bounds is not None:
            bounds = (min(bounds[0], wrap_from), total)
    elif after == "raise" and bounds is None and total < xp.max_step:
        invalid = s > total
    value = _value(xp, s, bounds, node)
    return value if invalid is None else xp.mark_invalid(invalid, value)


def _value(xp: Namespace, s: Any, bounds: Bounds | None, node: Lowered) -> Any:
    """One part: its table at the clock's floored step, times its factors, clamped."""
    value = None
    if node.plan is not None:
        k = node.every
        if k == 1:
            value = _math.evaluate(xp, s, bounds, node.plan)
        else:
            u = s // k * k
            ub = None if bounds is None else (bounds[0] // k * k, bounds[1] // k * k)
            value = _math.evaluate(xp, u, ub, node.plan)
    for factor in node.factors:
        other = _value(xp, s, bounds, factor)
        value = other if value is None else value * other
    if node.floor is not None:
        value = xp.maximum(value, node.floor)
    return value


def value_int(node: Lowered, s: int) -> float:
    """The value at a Python int step in ``[0, total]`` (the training loop's call)."""
    if node.plan is not None and not node.factors and node.floor is None and node.every == 1:
        return _math.evaluate_int(_PYTHON, s, node.plan)
    return float(_value(_PYTHON, s, (s, s), node))


def fold(step: int, *, after: str, total: int, wrap_from: int) -> int:
    """A step in ``[0, total]`` with the value of the Python int ``step`` (any size)."""
    if step <= total or after == "raise":
        return step
    if after == "wrap":
        return int(_math._wrap(_PYTHON, step, wrap_from, total))
    return total
