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
on the steps from its end (:func:`evaluate`): ``"wrap"`` mirrors the clock's time over the last
segment in ticks, exactly, or the floored step where the segment starts and ends on steps of
the clock, which is the same (:func:`wrap_rule`).
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

#: The last segment of a table: its row, its boundaries in ticks, the clock's ``T(u) =
#: u * a + b`` and the ticks per time unit (what ``after="wrap"`` folds over).
Last = namedtuple("Last", "row begin end a b den")

#: How ``after="wrap"`` folds the steps from ``first`` on (:func:`wrap_rule`). In whole steps
#: (``row`` is ``None``): the clock's floored step mirrored over ``[begin, end]``, its place
#: within the clock's period kept. In ticks: the time past the last boundary (``c0`` ticks at
#: ``first``, ``g`` more each clock period, both modulo ``2 * span``) mirrored over the
#: ``span`` ticks of the last segment, whose ``row`` counts ticks from its start; the value
#: repeats every ``period`` steps, exactly.
Wrap = namedtuple("Wrap", "first period every begin end g c0 span row floor")

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
) -> tuple[_math.Plan, int, Last]:
    """The phase table of validated segments under a clock; its end and its last row's begin.

    ``lengths`` and ``timescales``: each segment's, exact. Returns the plan (in the clock's
    floored steps ``u``; ``after="hold"``), the first step whose floored time reaches the
    last boundary, and the last segment in ticks (``after="wrap"`` folds back over it:
    :func:`wrap_rule`).
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
    for i, seg in enumerate(segments):
        begin, end = begins[i], begins[i + 1]
        span = ticks[i + 1] - ticks[i]
        into = begin * a + b - ticks[i]  # ticks already run at the segment's first step
        frame = _math.IN_STEPS if (a, into) == (1, 0) else (a, into - begin * a)
        if frame is not _math.IN_STEPS:
            if _math.SHAPES[seg.shape].whole:
                raise ValueError(
                    f"segment {i}: shape={seg.shape!r} counts whole steps; received a boundary "
                    f"between steps or a clock with a scale or offset (length={seg.length!r})"
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
    if row.ticks is not _math.IN_STEPS:  # the last segment's end value, at the end
        rows.append(_held(total_u, total_u, reached(row), "end", len(segments) - 1))
    total = every * ceil_div(total_u, every) if every > 1 else total_u
    plan = _math.Plan(tuple(rows), tuple(r.begin for r in rows), total_u, "hold", 0)
    return plan, total, Last(row, ticks[-2], ticks[-1], a, b, den)


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


def wrap_rule(
    last: Last | None, total: int, every: int, floor: float | None, *, product: bool
) -> Wrap:
    """How ``after="wrap"`` folds a composition's steps: in whole steps where it can, else ticks.

    ``last``: the own table's last segment (``None``: a pure product, whose steps are
    mirrored over ``[0, total]``). Where that segment starts and ends on steps of the clock,
    mirroring the clock's floored step is mirroring its time, exactly: every part (factors
    included) is evaluated at the mirrored step. Otherwise the time is mirrored in ticks and
    the last segment evaluated there; a product cannot be (its factors count steps), nor a
    period of ticks beyond 64-bit steps: both are refused.
    """
    if last is None:
        return Wrap(total + 1, 2 * total, 1, 0, total, 0, 0, 0, None, None)
    k, a, b = every, last.a, last.b
    on_clock = [(p - b) % a == 0 and (p - b) // a % k == 0 for p in (last.begin, last.end)]
    if last.begin >= b and all(on_clock):
        begin, end = (last.begin - b) // a, k * ceil_div(total, k)
        return Wrap(total + 1, 2 * (end - begin), k, begin, end, 0, 0, 0, None, None)
    from fractions import Fraction

    begin_time, end_time = (plain(Fraction(p, last.den)) for p in (last.begin, last.end))
    what = "after='wrap' folds the steps past the end back over the last segment"
    if product:
        raise ValueError(
            f"{what}; with factors it folds the step itself, every factor at it, so both "
            "ends of that segment must fall on steps of the clock, from step 0 on (every, "
            f"offset, scale); received a last segment from time {begin_time} to {end_time}, "
            f"which starts or ends between steps or before step 0 (every={every})"
        )
    span = last.end - last.begin
    g = every * a % (2 * span)  # ticks a clock period moves, modulo the mirror's period
    period = every * (2 * span // math.gcd(g, 2 * span))
    if max(total + period, 4 * span) > _TICKS_LIMIT:
        raise ValueError(
            f"{what}, from time {begin_time} to {end_time}: its period of {period} steps or "
            f"its {span} ticks of 1/{last.den} need more than 64-bit steps (< 2**63); use "
            "simpler fractions"
        )
    c0 = (total * a + b - last.end) % (2 * span)  # ticks past the end at first, modulo
    row = last.row._replace(begin=0, end=span, origin=0, ticks=_math.IN_STEPS)
    return Wrap(total, period, every, last.begin, last.end, g, c0, span, row, floor)


def fold_int(step: int, wrap: Wrap) -> int:
    """A step in ``[0, 2**63)`` with the value of the Python int ``step`` past the end."""
    if step < wrap.first:
        return step
    if wrap.row is not None:
        return int(wrap.first + (step - wrap.first) % wrap.period)
    k = wrap.every
    u = step // k * k
    return int(_math._wrap(_PYTHON, u, wrap.begin, wrap.end) + step - u)


def _folded(xp: Namespace, s: Any, wrap: Wrap) -> Any:
    """The value past the end, folded in ticks (``wrap.row``): the last segment, mirrored.

    The time past the last boundary is counted modulo ``2 * span`` (one mirror period) in
    exact integers that never leave the namespace's integer type (:func:`_mulmod`); in
    floats only where ``span`` itself is near that type's limit (JAX's int32).
    """
    k, span, twice = wrap.every, wrap.span, 2 * wrap.span
    limit = int(min(xp.max_step, _TICKS_LIMIT))
    cycles = wrap.period // k  # clock periods in one period
    m = (s - wrap.first) // k  # clock periods since first (< 0 before it: in range, unused)
    if cycles <= limit:  # else no step is that many clock periods past first
        m = m % cycles
    if 2 * twice <= limit:
        past = (_mulmod(m, wrap.g, twice, min(cycles, limit + 1), limit) + wrap.c0) % twice
    else:  # constants beyond the integer type: floats, within the segment's size
        span, twice = float(span), float(twice)
        d = xp.to_float(m) * float(wrap.g) + float(wrap.c0)
        past = d - d // twice * twice
    into = xp.where(past <= span, span - past, past - span)  # ticks from the segment's start
    value = _math._row(xp, into, wrap.row, None, inside=True)
    return value if wrap.floor is None else xp.maximum(value, wrap.floor)


def _mulmod(m: Any, g: int, n: int, count: int, limit: int) -> Any:
    """``m * g % n`` for steps ``0 <= m < count``, ``g < n``, ``2 * n <= limit``, exactly.

    Every product stays within ``limit`` (the integer type's): ``m`` is split into digits of
    base ``limit // g``, each digit's product taken modulo ``n``, as schoolbook multiplication.
    """
    if count * g <= limit:
        return m * g % n
    base = limit // g
    high = _mulmod(m // base, base * g % n, n, ceil_div(count, base), limit)
    return (m % base * g % n + high) % n


def evaluate(
    xp: Namespace,
    s: Any,
    bounds: Bounds | None,
    node: Lowered,
    *,
    after: str,
    total: int,
    wrap: Wrap | None,
) -> Any:
    """The composition's value at exact steps ``s``: the ``after`` policy, then every part.

    ``"wrap"`` folds the step back over the last segment (:func:`wrap_rule`); ``"hold"``
    lets each table hold its own end; ``"raise"`` has been checked for concrete steps, and
    makes traced steps past ``total`` NaN.
    """
    invalid = None
    if wrap is not None and wrap.first > xp.max_step:  # no step reaches it (JAX's int32)
        wrap = None
    if wrap is not None and (bounds is None or bounds[1] >= wrap.first):
        if wrap.row is not None:  # in ticks: the table up to first, the fold from there
            past = _folded(xp, s, wrap)
            if bounds is not None and bounds[0] >= wrap.first:
                return past
            within = None if bounds is None else (bounds[0], min(bounds[1], total))
            inside = _value(xp, xp.minimum(s, total), within, node)
            return xp.where(s < wrap.first, inside, past)
        k = wrap.every
        u = s if k == 1 else s // k * k
        folded = _math._wrap(xp, u, wrap.begin, wrap.end)
        s = folded if k == 1 else folded + (s - u)
        if bounds is not None:
            bounds = (min(bounds[0], wrap.begin), wrap.end + k - 1)
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


def fold(step: int, *, after: str, total: int, wrap: Wrap | None) -> int:
    """A step below ``2**63`` with the value of the Python int ``step`` (any size)."""
    if wrap is not None:
        return fold_int(step, wrap)
    if step <= total or after == "raise":
        return step
    return total
