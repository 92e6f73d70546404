"""Lowering: a validated spec as a table of phases (:class:`warmcos._math.Plan`).

One row per phase (a delay, the warmup, the stable phase, each cycle's warmup and decay, each
re-planned decay), each with its shape's precomputed constants, the restart boundaries computed
exactly as integers. The spec has been validated (:mod:`warmcos._spec`); the few rules only the
lowering can see (a cycle with no step, a floor above its peak) are checked here. This module
imports nothing above it: only :mod:`warmcos._math` and the Python-number namespace.
"""

from __future__ import annotations

import math

from . import _math
from ._xp import _PYTHON

# Not `typing.TYPE_CHECKING`: `import warmcos` stays free of typing (and of what it imports).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    # for type checkers only: what the lowering reads is a validated Schedule's attributes
    from .schedule import Schedule


def _cycle_coefficient(decay: float, k: int) -> float:
    """``decay**k``, or ``inf`` where it overflows (Python's float power raises instead)."""
    try:
        return decay**k
    except OverflowError:
        return math.inf


def _cycle_lengths(span: int, cycles: int, mul: float) -> list[int]:
    """Split ``span`` steps into ``cycles`` integer lengths growing geometrically by ``mul``.

    Boundary ``k`` is ``round(span * (m**k - 1) / (m**cycles - 1))`` (``round(span * k /
    cycles)`` for ``mul == 1``), rounded half to even, with ``m`` the decimal number
    ``repr(mul)`` exactly: the first is 0, the last is ``span``, and no float logarithm decides
    where a restart falls. The rounding is exact, yet the cost is ``O(cycles)`` with numbers of
    bounded size (:func:`_geometric_bounds`).
    """
    from itertools import pairwise

    if cycles == 1:
        return [span]
    if mul == 1.0:  # integers only (round half to even, like round() of a Fraction)
        bounds = [_round_ratio(span * k, cycles) for k in range(cycles + 1)]
    else:
        bounds = _geometric_bounds(span, cycles, repr(mul))
    return [b - a for a, b in pairwise(bounds)]


#: Decimal digits of the boundary arithmetic: the value of a boundary is known to within
#: ``span * (4 cycles + 4) * 10**-59 < 10**-34`` (``span < 2**63``, ``cycles <= MAX_CYCLES``).
_BOUND_DIGITS = 60
#: A boundary closer than this to a half-integer is decided by exact rational arithmetic.
_TIE_MARGIN = "1e-30"


def _geometric_bounds(span: int, cycles: int, mul: str) -> list[int]:
    """``round(span * (m**k - 1) / (m**cycles - 1))`` for ``k = 0 .. cycles``, ``m = mul``.

    ``y_k = m**k - 1`` follows ``y_(k+1) = m y_k + (m - 1)``: both terms have the sign of
    ``m - 1``, so nothing cancels and each step adds at most two roundings of 60 digits to its
    relative error. Every boundary is therefore known to 34 digits after the point, which
    decides its rounding unless it lies within ``10**-30`` of a half-integer; only such a
    near-tie is recomputed exactly (``fractions``: a tie is possible only when
    ``m**cycles - 1`` is small, so this is rare and cheap where it happens).
    """
    from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_EVEN, Context, Decimal

    ctx = Context(prec=_BOUND_DIGITS, Emax=MAX_EMAX, Emin=MIN_EMIN)
    m = Decimal(mul)
    step = ctx.subtract(m, 1)
    ys = [Decimal(0)]
    for _ in range(cycles):
        ys.append(ctx.add(ctx.multiply(m, ys[-1]), step))
    whole, margin, half = Decimal(span), Decimal(_TIE_MARGIN), Decimal("0.5")
    bounds = [0]
    for y in ys[1:-1]:
        value = ctx.divide(ctx.multiply(whole, y), ys[-1])
        low = int(value)  # value >= 0: truncation is the floor
        if abs(ctx.subtract(ctx.subtract(value, low), half)) < margin:
            bounds.append(_exact_bound(span, cycles, mul, len(bounds)))
        else:
            bounds.append(int(value.to_integral_value(rounding=ROUND_HALF_EVEN)))
    bounds.append(span)
    return bounds


def _exact_bound(span: int, cycles: int, mul: str, k: int) -> int:
    """Boundary ``k`` in exact rational arithmetic: only for a near-tie."""
    from fractions import Fraction

    m = Fraction(mul)
    return round(span * (m**k - 1) / (m**cycles - 1))


_START, _PEAK, _FINAL = (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)
#: The rates a linear form's coefficients multiply, in order.
_FORM_RATES = ("warmup_start_lr", "peak_lr", "final_lr")


class _Table:
    """Builds the rows of one validated schedule."""

    def __init__(self, s: Schedule) -> None:
        self.s = s
        self.rates = (s.warmup_start_lr, s.peak_lr, s.final_lr)
        self.rows: list[_math.Row] = []
        #: Added to the steps of every row: the delay, while the planned rows are built.
        self.offset = 0

    def value(self, form: _math.Rate) -> float:
        return float(_math._resolve(form, self.rates))

    def add(
        self, begin: int, end: int, a: _math.Rate, b: _math.Rate, *, shape: str, kind: str,
        cycle: int = 0, origin: int | None = None, start: float | None = None,
    ) -> None:  # fmt: skip
        """A row from value ``a`` at its frame's origin to ``b`` at the frame's end.

        ``start``: ``a``'s resolved value, where it must be exactly a rate already computed.
        """
        origin = begin if origin is None else origin
        begin, end, origin = begin + self.offset, end + self.offset, origin + self.offset
        length = end - origin
        va, vb = self.value(a) if start is None else start, self.value(b)
        if not (math.isfinite(va) and math.isfinite(vb)):  # _check_cycle_rates refuses it first
            raise ValueError(
                f"a {kind} phase at steps [{begin}, {end}) goes from {va!r} to {vb!r}: every rate "
                "must be finite"
            )
        entry = _math.SHAPES[shape]
        rising = va <= vb and not entry.open
        low, high, v_low, v_high = (a, b, va, vb) if rising else (b, a, vb, va)
        consts: tuple[Any, ...] = ()
        if entry.consts is not None:
            # the parameter that feeds the shape: a warmup reads its own (warmup_power)
            name = f"warmup_{entry.param}" if kind == "warmup" else entry.param
            value = getattr(self.s, name) if entry.param else None
            try:
                consts = entry.consts(length, v_low, v_high, value)
            except ValueError as error:  # the shape names the phase; the parameters, here
                raise ValueError(f"{error}; received {self.received(a, b)}") from None
        self.rows.append(
            _math.Row(
                begin, end, origin, length, rising, low, high, v_low, v_high, shape, consts,
                kind, cycle,
            )
        )  # fmt: skip

    def received(self, *forms: _math.Rate) -> str:
        """The parameters that the values of ``forms`` are made of, as stored: for messages."""
        names = [n for i, n in enumerate(_FORM_RATES) if any(f[i] != 0.0 for f in forms)]
        if self.s.cycles > 1 and any(c not in (0.0, 1.0) for f in forms for c in f):
            names.append("cycle_decay")
        return ", ".join(f"{name}={getattr(self.s, name)!r}" for name in names)

    def cut(self, at: int, end: int, shape: str) -> None:
        """Keep the rows before ``at``; then one row from the rate at ``at`` to the floor."""
        from bisect import bisect_left, bisect_right

        before = bisect_left(self.rows, at, key=_begin)  # rows are ordered by their begin
        if not before:
            raise ValueError(f"an edit's step must be inside the schedule; received at_step={at}")
        # a boundary step is the later row's
        owner = self.rows[bisect_right(self.rows, at, key=_begin) - 1]
        here, value = self.rate_at(owner, at)
        if value < self.s.final_lr:
            raise ValueError(
                f"the rate at step {at} ({value!r}) is below final_lr={self.s.final_lr!r}: "
                "there is nothing to decay from there"
            )
        del self.rows[before:]  # in place: edits in a row cost their number, not its square
        self.rows[-1] = self.rows[-1]._replace(end=min(self.rows[-1].end, at))
        self.add(at, end, here, _FINAL, shape=shape, kind="decay", cycle=owner.cycle, start=value)

    def rate_at(self, row: _math.Row, step: int) -> tuple[_math.Rate, float]:
        """The rate of ``row`` at ``step``: as a linear form of the rates, and its value.

        The form keeps traced rates (``params()``) resolving it: ``low + (high - low) g =
        (1 - g) low + g high``; the value is exactly what ``schedule(step)`` gives.
        """
        g = float(_math._row_fraction(_PYTHON, step, row))
        a, b, c = ((1.0 - g) * lo + g * hi for lo, hi in zip(row.low, row.high, strict=True))
        return (a, b, c), float(_math._row(_PYTHON, step, row, None))

    def delay(self, steps: int) -> None:
        """A first row holding, for ``steps`` steps, the rate the (shifted) plan starts at."""
        if steps:
            form, value = self.rate_at(self.rows[0], steps)
            self.offset = 0
            self.add(0, steps, form, form, shape=_math.HOLD, kind="delay")
            self.rows.insert(0, self.rows.pop()._replace(v_low=value, v_high=value))

    def plan(self, wrap_from: int) -> _math.Plan:
        rows = tuple(self.rows)
        s = self.s
        return _math.Plan(rows, tuple(r.begin for r in rows), s.total_steps, s.after, wrap_from)


def _begin(row: _math.Row) -> int:
    return row.begin


def _round_ratio(num: int, den: int) -> int:
    """``num / den`` rounded to the nearest integer, ties to even (``den > 0``)."""
    q, r = divmod(num, den)
    twice = 2 * r
    return q + (twice > den or (twice == den and q % 2 == 1))


def _lower(s: Schedule) -> _math.Plan:
    """The phase table of a validated schedule."""
    table = _Table(s)
    d = table.offset = s.delay_steps  # the planned rows are built shifted by the delay
    w, t = s.warmup_steps, (s.edits[0][2] if s.edits else s.total_steps) - d  # as planned
    head = w + s.stable_steps
    if w > 0:
        table.add(0, w, _START, _PEAK, shape=s.warmup_shape, kind="warmup")
    if s.stable_steps > 0:
        table.add(w, head, _PEAK, _PEAK, shape=_math.HOLD, kind="stable")
    if _math.SHAPES[s.decay_shape].flat:  # the rate stays at the peak: no cycles
        if head < t:
            table.add(head, t, _PEAK, _PEAK, shape=s.decay_shape, kind="decay")
    else:
        _lower_cycles(s, table, head)
    table.delay(d)
    for k, (at, shape, _) in enumerate(s.edits):  # edits count steps from 0, delay included
        end = s.edits[k + 1][2] if k + 1 < len(s.edits) else s.total_steps
        table.cut(at, end, shape)
    return table.plan(head + d)


def _lower_cycles(s: Schedule, table: _Table, head: int) -> None:
    """The decay rows: one per cycle, each restart after the first led by its warmup."""
    k_total, cw = s.cycles, s.cycle_warmup_steps
    origin = 0 if s.decay_from_zero else head
    planned = (s.edits[0][2] if s.edits else s.total_steps) - s.delay_steps
    span = planned - origin - (k_total - 1) * cw
    lengths = _cycle_lengths(span, k_total, s.cycle_mul) if span > 0 else [0]
    if min(lengths) < 1:
        shown = f"{lengths[:8]}{'...' if len(lengths) > 8 else ''}"
        raise ValueError(
            f"cycles={s.cycles} with cycle_mul={s.cycle_mul!r} leaves a cycle with no decay "
            f"step: the {span} decay steps (total_steps - warmup_steps - stable_steps - "
            f"(cycles - 1) * cycle_warmup_steps) split into lengths {shown}; use fewer cycles"
        )
    if s.decay_from_zero and head >= lengths[0]:
        raise ValueError(
            "with decay_from_zero, the warmup and stable phase must end inside the first "
            f"decay cycle ({lengths[0]} steps); received warmup_steps={s.warmup_steps}, "
            f"stable_steps={s.stable_steps}"
        )
    pos, d = origin, s.cycle_decay
    for k, length in enumerate(lengths):
        top = (0.0, _cycle_coefficient(d, k), 0.0) if k else _PEAK
        scaled = s.cycle_floor == "scaled" and k != k_total - 1
        floor = (0.0, 0.0, _cycle_coefficient(d, k - k_total + 1)) if scaled else _FINAL
        if k and cw:
            table.add(pos, pos + cw, _START, top, shape=s.warmup_shape, kind="warmup", cycle=k)
            pos += cw
        begin = head if k == 0 and s.decay_from_zero else pos
        table.add(
            begin, pos + length, top, floor, shape=s.decay_shape, kind="decay", cycle=k, origin=pos
        )
        pos += length
        v_top, v_floor = table.value(top), table.value(floor)
        if v_floor > v_top:
            raise ValueError(
                f"cycle {k}'s floor {v_floor!r} is above its peak {v_top!r} (peak_lr * "
                f"cycle_decay**{k}); lower final_lr or raise cycle_decay; received "
                f"final_lr={s.final_lr!r}, cycle_decay={s.cycle_decay!r}"
            )
        if _math.SHAPES[s.decay_shape].positive and v_floor <= 0:
            raise ValueError(
                f"cycle {k}'s floor must be > 0 for decay_shape={s.decay_shape!r}; received "
                f"final_lr={s.final_lr!r}"
            )
