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


def ceil_div(num: int, den: int) -> int:
    """``ceil(num / den)`` of integers, ``den > 0``."""
    return -(-num // den)


def constants(
    shape: str, length: int, v_low: float, v_high: float, *, power: float, timescale: float | None
) -> tuple[Any, ...]:
    """A row's precomputed shape constants (the template's ``_Table.add`` computes the same).

    Names shapes: the one place in the composition code that does, until the registry
    entries carry their constants (issue 16, item 2).
    """
    if shape in ("cosine", "polynomial"):
        return _math.power_constants(shape, length, power)
    if shape == "exponential":
        return _math.exponential_constants(length, v_low, v_high)
    if _math.SHAPES[shape].open:
        return (timescale,)
    return ()


def lower_table(
    segments: tuple[Any, ...],
    *,
    lengths: tuple[Fraction, ...],
    every: int,
    offset: Fraction,
    scale: Fraction,
    timescales: tuple[Fraction | None, ...],
) -> tuple[_math.Plan, int]:
    """The phase table of validated segments under a clock; and its end in steps.

    ``lengths`` and ``timescales``: each segment's, exact. Returns the plan (in the clock's
    floored steps ``u``; ``after="hold"``) and the first step whose floored time reaches
    the last boundary.
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
    begins = [min(max(ceil_div(p - b, a), 0), total_u) for p in ticks[:-1]]
    begins[0] = 0
    rows: list[_math.Row] = []
    last = len(segments) - 1
    for i, seg in enumerate(segments):
        end = begins[i + 1] if i < last else total_u
        if end <= begins[i] and i < last:
            continue  # a segment between two (clock) steps: no step is in it
        span = ticks[i + 1] - ticks[i]
        row_b = begins[i] * a + b - ticks[i]
        frame = _math.IN_STEPS if (a, row_b) == (1, 0) else (a, row_b)
        if frame is not _math.IN_STEPS and seg.shape == "log":
            # log(1 + n) / log(1 + L) is the one shape that changes with the unit of n
            raise ValueError(
                f"segment {i}: shape='log' counts whole steps; "
                f"received a boundary between steps or a clock with a scale or offset "
                f"(length={seg.length!r})"
            )
        rising = seg.start <= seg.end and not _math.SHAPES[seg.shape].open
        v_low, v_high = (seg.start, seg.end) if rising else (seg.end, seg.start)
        tau = timescales[i]
        timescale = None if tau is None else float(tau * den)
        consts = constants(seg.shape, span, v_low, v_high, power=seg.power, timescale=timescale)
        rows.append(
            _math.Row(
                begins[i], end, begins[i], span, rising, (v_low, 0.0, 0.0),
                (v_high, 0.0, 0.0), v_low, v_high, seg.shape, consts, "phase", i, frame,
            )
        )  # fmt: skip
    total = every * ceil_div(total_u, every) if every > 1 else total_u
    plan = _math.Plan(tuple(rows), tuple(r.begin for r in rows), total_u, "hold", 0)
    return plan, total


def table_limits(lengths: tuple[Fraction, ...], scale: Fraction, offset: Fraction) -> int:
    """The largest count of ticks the table holds (checked against 64-bit steps)."""
    shift = offset * scale
    total = sum(lengths)
    den = math.lcm(scale.denominator, shift.denominator, *(x.denominator for x in lengths))
    return max(int(total * den), int(scale * den) * 2, abs(int(shift * den)))


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
