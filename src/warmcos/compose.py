r"""Compositions: any sequence of phases, with a clock, products, a floor and an after-end rule.

A :class:`Composition` says what the template :class:`~warmcos.Schedule` cannot: a rate set at
milestones, a OneCycle in two or three phases with real-valued boundaries, a curve that only
moves once per epoch, an envelope (a product of two curves), a floor by clamp. It is written
as :class:`Segment`\ s, each going from its ``start`` value to its ``end`` value over its
``length`` with a shape of the registry (``warmcos._math.SHAPES``); a jump is simply a
segment whose ``start`` differs from the previous ``end``. The formula is on
:class:`Composition`.

>>> from warmcos import Composition, Segment
>>> one_cycle = Composition([Segment(30, 0.004, 0.1, "cosine"), Segment(70, 0.1, 4e-7, "cosine")])
>>> one_cycle(0), one_cycle(30), one_cycle(100), one_cycle.total_steps
(0.004, 0.1, 4e-07, 100)
>>> multistep = Composition.piecewise([30, 80], [0.1, 0.01, 0.001])
>>> multistep(29), multistep(30), multistep(79), multistep(80), multistep(10**6)
(0.1, 0.01, 0.01, 0.001, 0.001)
"""

from __future__ import annotations

import math
from collections import namedtuple

# At run time, not for type checkers only: typing.get_type_hints(Composition.__init__) evaluates
# the annotations here (collections.abc is loaded by then; Fraction and Any come through _t).
from collections.abc import Iterable, Mapping, Sequence  # noqa: TC003

from . import _compose, _math
from ._value import ScheduleValue
from ._xp import _PYTHON, namespace_of
from .schedule import Phase  # noqa: TC001

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple

    from . import types as _t
    from ._xp import Bounds, Namespace

    class Segment(NamedTuple):
        """One phase of a composition."""

        length: int | float | str | _t.Fraction
        start: float
        end: float | None = None
        shape: str = "linear"
        power: float = 1.0
        timescale: float | int | str | _t.Fraction | None = None

else:  # _t.Fraction and _t.Any import warmcos.types (and typing) when first evaluated
    from . import _annotations as _t

    Segment = namedtuple(
        "Segment", "length start end shape power timescale", defaults=(None, "linear", 1.0, None)
    )

Segment.__doc__ = """One phase of a :class:`Composition`: from ``start`` to ``end`` over ``length``.

``length``: in the clock's time units (steps, unless the clock has a ``scale``), an exact
rational > 0 (``int``, :class:`fractions.Fraction`, ``"p/q"``, or a ``float`` read as the
decimal it prints as). ``end``: the value reached at the segment's end (``None``: ``start``,
a constant segment). ``shape``: a name of the shape registry; ``power`` feeds ``"cosine"`` and
``"polynomial"``; ``timescale`` (same units as ``length``) feeds the open shapes
``"inverse_sqrt"`` and ``"inverse_time"``, which fall from ``start`` towards ``end`` as an
asymptote, reached at no step."""

__all__ = ["Composition", "Segment"]

#: The keys of :meth:`Composition.to_dict`, in order (``version`` first).
_KEYS = ("segments", "after", "every", "offset", "scale", "repeat", "floor", "factors")
_SEGMENT_KEYS = ("length", "start", "end", "shape", "power", "timescale")


class Composition(ScheduleValue):
    r"""A schedule written as segments, with a clock, factors, a floor and an after-end rule.

    With the boundaries :math:`B_0 = 0`, :math:`B_{i+1} = B_i + \mathrm{length}_i` and the clock

    .. math::

        \tau(s) = \left(k \left\lfloor s / k \right\rfloor + \mathrm{offset}\right)
            \cdot \mathrm{scale} \qquad (k = \mathrm{every}),

    the value at step ``s`` is segment ``i``'s with :math:`B_i \le \tau < B_{i+1}`,

    .. math::

        v(s) = v_\mathrm{low} + (v_\mathrm{high} - v_\mathrm{low})\,
            \phi\!\left(\frac{\tau - B_i}{B_{i+1} - B_i}\right)

    measured from the segment's lower end (before :math:`B_0` the first segment's start value,
    from :math:`B_\mathrm{last}` on the last segment's end value, or folded: ``after``),
    then multiplied by every factor's value and clamped from below by ``floor``. Boundaries,
    offset and scale are exact rationals (an ``int``, a :class:`fractions.Fraction`, a
    ``"p/q"`` string, or a ``float`` read as the decimal it prints as: ``704.6`` is
    ``3523/5``), so the progress is a ratio of exact integers, as in the template, and every
    boundary value is exact.

    Built once, validated at construction (every error names the segment by its index and the
    value), lowered to the same phase table as :class:`~warmcos.Schedule` and evaluated by the
    same code: on Python numbers, NumPy arrays and torch / TensorFlow / JAX tensors alike
    (traced steps trace once).

    Args:
        segments: the phases, in order (:class:`Segment`\ s, or mappings with its keys).
        after: past :attr:`total_steps`: ``"hold"`` the last value, ``"wrap"`` fold the
            time back over the last segment (as the template's ``after="wrap"`` folds its
            decay), ``"raise"`` a ``ValueError``. Folded, the clock's time :math:`\tau(s)`
            from :math:`B_\mathrm{last}` on (from step :attr:`total_steps`) is mirrored at
            the last segment's two ends, :math:`B_\mathrm{last} - d` for
            :math:`d = \tau - B_\mathrm{last}` up to its length :math:`L`, then back up:
            the value repeats every :math:`2L` of time, exactly (counted in integers, at any
            step), and the clock still moves it every ``every`` steps. Where the segment
            starts or ends between steps the period is a fraction of steps: the curve is
            periodic in time, and in steps only over the least whole multiple (5 steps for
            a 5/2 segment). A product folds the step itself, every factor at it: its last
            segment must start and end on steps of the clock (else a ``ValueError``).
        every: the clock's period ``k``: the curve moves only every ``k`` steps (per epoch).
        offset: added to the (floored) step before scaling: negative delays the schedule,
            positive starts it part-way.
        scale: time units per step (samples or tokens per step, for lengths in those units).
        repeat: the segments, repeated this many times.
        floor: ``max(floor, value)``: a clamp from below (``None``: none).
        factors: compositions whose values multiply this one's (a product; each holds its
            own end value past its end).

    Raises:
        TypeError: a value of the wrong kind (a segment, a length, a factor).
        ValueError: a length <= 0, a value NaN, infinite or negative, an unknown shape or
            policy, a clock period < 1, a scale <= 0, a parameter for a shape that does not
            read it, more than 100,000 rows (repeats unrolled), products nested more
            than 16 deep; ``after="wrap"`` on a product whose last segment starts or ends
            between steps, or with a period beyond 64-bit steps.

    >>> from warmcos import Composition, Segment
    >>> staircase = Composition([Segment(100, 1.0, 0.01, "exponential")], every=25)
    >>> [round(staircase(s), 6) for s in (0, 24, 25, 50, 99, 100)]
    [1.0, 1.0, 0.316228, 0.1, 0.031623, 0.01]
    >>> warmup = Composition([Segment(10, 0.0, 1.0), Segment(90, 1.0)])
    >>> cooldown = Composition([Segment(80, 1.0), Segment(20, 1.0, 0.0)])
    >>> envelope = warmup * cooldown
    >>> envelope(5), envelope(50), envelope(90), envelope(100)
    (0.5, 1.0, 0.5, 0.0)
    """

    segments: tuple[Segment, ...]
    after: str
    every: int
    offset: int | str
    scale: int | str
    repeat: int
    floor: float | None
    factors: tuple[Composition, ...]
    total_steps: int
    _node: _compose.Lowered
    _rows: int
    _wrap: _compose.Wrap | None
    _direct: int  # the last step the table gives as it is (not folded)
    _depth: int

    def __init__(
        self,
        segments: Iterable[Segment | Mapping[str, _t.Any]] = (),
        *,
        after: str = "hold",
        every: int = 1,
        offset: int | float | str | _t.Fraction = 0,
        scale: int | float | str | _t.Fraction = 1,
        repeat: int = 1,
        floor: float | None = None,
        factors: Iterable[Composition] = (),
    ) -> None:
        _build(
            self,
            segments=segments,
            after=after,
            every=every,
            offset=offset,
            scale=scale,
            repeat=repeat,
            floor=floor,
            factors=factors,
        )

    # -- evaluation ------------------------------------------------------------------------

    def __call__(self, step: _t.Any) -> _t.Any:
        """The value at ``step``: a number, or an array of steps of any supported kind.

        As :meth:`warmcos.Schedule.__call__`: a Python float for a Python number, otherwise
        an array of the same kind and shape.

        Raises:
            TypeError: ``step`` is not a number or an array of numbers.
            ValueError: a step is negative, NaN or infinite, or past ``total_steps`` with
                ``after="raise"``.
        """
        if type(step) is int and 0 <= step <= self._direct:
            return _compose.value_int(self._node, step)
        return namespace_of(step).evaluate(
            step,
            self._formula,
            total_steps=self.total_steps,
            past_end=self.after == "raise",
            rows=self._rows,
            fold=self._fold,
        )

    # -- operators ---------------------------------------------------------------------------

    def __mul__(self, other: Composition) -> Composition:
        """The product of two compositions (an envelope, a warmup or cooldown factor)."""
        if not isinstance(other, Composition):
            return NotImplemented
        if other.after != "hold":
            raise ValueError(
                f"a factor holds its end value past its end: it must have after='hold'; "
                f"received after={other.after!r}"
            )
        if self.floor is None:
            return self._with(factors=(*self.factors, other))
        return Composition(factors=(self._with(after="hold"), other), after=self.after)

    def clamp(self, floor: float) -> Composition:
        """``max(floor, value)`` at every step: a floor by clamp (``min_lr``).

        >>> Composition([Segment(10, 1.0, 0.0)]).clamp(0.25)(9)
        0.25
        """
        value = _compose.checked_value(floor, "floor")
        if self.floor is not None:
            value = max(value, self.floor)
        return self._with(floor=value)

    def repeated(self, times: int) -> Composition:
        """The segments repeated ``times`` times (a cyclic schedule: ``CyclicLR``'s triangle)."""
        return self._with(repeat=self.repeat * _compose.count(times, "times"))

    def clocked(
        self,
        *,
        every: int | None = None,
        offset: int | float | str | _t.Fraction | None = None,
        scale: int | float | str | _t.Fraction | None = None,
    ) -> Composition:
        """A copy with a new clock (the arguments given replace this composition's)."""
        changes = {"every": every, "offset": offset, "scale": scale}
        return self._with(**{k: v for k, v in changes.items() if v is not None})

    # -- introspection -----------------------------------------------------------------------

    def describe(self) -> tuple[Phase, ...]:
        """The phase table: each segment's steps and values, then each factor's.

        ``kind`` is ``"phase"`` (``"factor 1"``, ``"factor 2"``... for the factors' rows),
        ``cycle`` the segment's index (repeats unrolled); ``begin``/``end`` the steps where
        the segment is active (the clock applied), ``lr_begin`` its value there, ``lr_end``
        the value it reaches at ``end``. Segments between two steps of the clock hold no
        step and are left out.

        >>> for p in Composition.piecewise([3], [1.0, 0.5]).describe():
        ...     print(p.kind, p.cycle, p.shape, p.begin, p.end, p.lr_begin, p.lr_end, p.continuous)
        phase 0 linear 0 3 1.0 1.0 True
        phase 1 linear 3 4 0.5 0.5 False
        """
        from .schedule import Phase

        out: list[Phase] = []

        def add(node: _compose.Lowered, kind: str) -> None:
            if node.plan is not None:
                k, rows = node.every, node.plan.rows
                previous = None
                for n, row in enumerate(rows):
                    if row.kind == "end":  # the last value, held: not a phase
                        continue
                    begin = float(_math._row(_PYTHON, row.begin, row, None))
                    end = _compose.reached(row)
                    joined = previous is None or math.isclose(begin, previous, rel_tol=1e-12)
                    stop = rows[n + 1].begin if n + 1 < len(rows) else node.plan.total_steps
                    first, last = (k * _compose.ceil_div(x, k) for x in (row.begin, stop))
                    out.append(Phase(kind, row.cycle, row.shape, first, last, begin, end, joined))
                    previous = end
            for j, factor in enumerate(node.factors, start=1):
                add(factor, f"factor {j}" if kind == "phase" else f"{kind}.{j}")

        add(self._node, "phase")
        return tuple(out)

    def first_step_below(self, lr: float, start: int = 0) -> int | None:
        """The first step ``>= start`` whose rate is ``<= lr``; ``None`` if none up to the end.

        As :meth:`warmcos.Schedule.first_step_below`: the same bisection, agreeing with ``self``.

        >>> Composition.piecewise([30, 80], [0.1, 0.01, 0.001]).first_step_below(0.05)
        30

        Raises:
            ValueError: ``lr`` or ``start`` invalid, or a product whose factors rise and fall
                within one span (not monotone there, so it cannot be bisected).
        """
        from . import _queries

        return _queries.composition_first_below(self, lr, start)

    def area(self, start: int = 0, stop: int | None = None) -> float:
        """The sum of the rates at steps ``start .. stop - 1`` (``stop``: ``total_steps``).

        Each span of the phase table is summed exactly (``math.fsum`` of ``self(step)``), a
        constant one (a milestone's value, the held end) as one product, so a long run of
        constant phases costs nothing; the spans' sums are added with ``math.fsum``.

        >>> Composition.piecewise([2], [1.0, 0.5]).area(0, 10**12)
        500000000001.0

        Raises:
            ValueError: a bound invalid, past the end with ``after="raise"``, or more than
                ``2**26`` changing steps to sum, or a product not monotone within a span.
        """
        from . import _queries

        return _queries.composition_area(self, start, stop)

    def replan(self, at_step: int, total_steps: int) -> Composition:
        """Refused: a composition has no one decay to stretch (``ValueError``, saying so)."""
        raise ValueError(
            "replan() stretches a template's decay to a new total_steps; a composition has no "
            "one decay to stretch: build a new Composition with the segments you want"
        )

    def cooldown(self, at_step: int, steps: int, shape: str = "1-sqrt") -> Composition:
        """Refused: a composition's phases are its segments (``ValueError``, saying so)."""
        raise ValueError(
            "cooldown() edits a template's decay; for a composition, write the cooldown as its "
            "last segment (from the value at at_step down to 0 over steps)"
        )

    # -- serialisation -------------------------------------------------------------------

    @classmethod
    def piecewise(
        cls,
        boundaries: Sequence[int | float | str | _t.Fraction],
        values: Sequence[float],
        **clock: _t.Any,
    ) -> Composition:
        """``values[i]`` from ``boundaries[i - 1]`` (0 for ``i = 0``) up to ``boundaries[i]``.

        The step where a value begins is that value's (torch ``MultiStepLR``'s milestones,
        Keras ``PiecewiseConstantDecay`` one step later). The last value holds from the last
        boundary on (a one-step last segment). ``clock``: ``after``, ``every``, ``offset``,
        ``scale``.

        >>> Composition.piecewise([30, 80], [0.1, 0.01, 0.001]).total_steps
        81
        """
        bounds = [_compose.rational(b, f"boundaries[{i}]") for i, b in enumerate(boundaries)]
        if len(values) != len(bounds) + 1:
            raise ValueError(
                f"piecewise() needs one value more than boundaries; received "
                f"{len(bounds)} boundaries and {len(values)} values"
            )
        previous: _t.Fraction | int = 0
        for i, b in enumerate(bounds):
            if not b > previous:
                raise ValueError(
                    f"boundaries must increase from > 0; boundaries[{i}]={boundaries[i]!r} is not "
                    f"above {'0' if i == 0 else f'boundaries[{i - 1}]={boundaries[i - 1]!r}'}"
                )
            previous = b
        starts: list[_t.Fraction | int] = [0, *bounds]
        ends: list[_t.Fraction | int] = [*bounds, bounds[-1] + 1 if bounds else 1]
        segments = [
            Segment(_compose.plain(e - s), v) for s, e, v in zip(starts, ends, values, strict=True)
        ]
        return cls(segments, **clock)

    def to_dict(self) -> dict[str, _t.Any]:
        """The composition as JSON-ready data that :meth:`from_dict` reads back.

        Rationals are ints or ``"p/q"`` strings (exact); a segment's ``power`` and
        ``timescale`` appear where they are not their defaults, ``floor`` where it is set
        (TOML has no null).

        >>> Composition([Segment("5/2", 1.0, 0.0)], every=2).to_dict()["segments"]
        [{'length': '5/2', 'start': 1.0, 'end': 0.0, 'shape': 'linear'}]
        """
        from .schedule import SCHEMA_VERSION

        return {"version": SCHEMA_VERSION, **self._data()}

    def _data(self) -> dict[str, _t.Any]:
        segments = []
        for seg in self.segments:
            d = {"length": seg.length, "start": seg.start, "end": seg.end, "shape": seg.shape}
            if seg.power != 1.0:
                d["power"] = seg.power
            if seg.timescale is not None:
                d["timescale"] = seg.timescale
            segments.append(d)
        data: dict[str, _t.Any] = {
            "segments": segments,
            "after": self.after,
            "every": self.every,
            "offset": self.offset,
            "scale": self.scale,
            "repeat": self.repeat,
        }
        if self.floor is not None:
            data["floor"] = self.floor
        data["factors"] = [f._data() for f in self.factors]
        return data

    @classmethod
    def from_dict(cls, config: Mapping[str, _t.Any]) -> Composition:
        """Rebuild a composition from :meth:`to_dict`'s output (or a hand-written config).

        >>> c = Composition([Segment(10, 1.0, 0.5, "cosine")], every=2)
        >>> Composition.from_dict(c.to_dict()) == c
        True
        """
        from .schedule import SCHEMA_VERSION

        data = _compose.mapping(config, "config")
        version = data.pop("version", SCHEMA_VERSION)
        if isinstance(version, bool) or version != SCHEMA_VERSION:
            raise ValueError(
                f"a composition's config version must be {SCHEMA_VERSION}; received "
                f"version={version!r}"
            )
        return _from_data(data, "config", 0)

    # -- the value object ----------------------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Composition is immutable")

    def __repr__(self) -> str:
        d = self._data()
        shown = [f"{k}={d[k]!r}" for k in _KEYS if k in d and d[k] != _DEFAULTS.get(k)]
        return f"Composition({', '.join(shown)})"

    def __reduce__(self) -> tuple[_t.Any, ...]:
        return (Composition.from_dict, (self.to_dict(),))

    # -- helpers ---------------------------------------------------------------------------

    def _with(self, **changes: _t.Any) -> Composition:
        d = {k: getattr(self, k) for k in _KEYS}
        d.update(changes)
        return Composition(**d)

    def _fields(self) -> dict[str, _t.Any]:
        data = self._data()
        data.setdefault("floor", None)
        return data

    def _key(self) -> str:
        # Computed once: hashing is on the path of every chunk WarmcosLR evaluates.
        key: str | None = self.__dict__.get("_json")
        if key is None:
            import json

            key = json.dumps(self._data(), sort_keys=True)
            object.__setattr__(self, "_json", key)
        return key

    def _formula(self, xp: Namespace, s: _t.Any, bounds: Bounds | None) -> _t.Any:
        return _compose.evaluate(
            xp, s, bounds, self._node, after=self.after, total=self.total_steps, wrap=self._wrap
        )

    def _fold(self, step: int) -> int:
        return _compose.fold(step, after=self.after, total=self.total_steps, wrap=self._wrap)


_DEFAULTS: dict[str, _t.Any] = {
    "after": "hold",
    "every": 1,
    "offset": 0,
    "scale": 1,
    "repeat": 1,
    "factors": [],
}


def _from_data(data: dict[str, _t.Any], what: str, depth: int) -> Composition:
    from ._spec import _did_you_mean

    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise ValueError(
            f"{what} has unknown keys {unknown}; valid keys: {sorted(_KEYS)}"
            + _did_you_mean(unknown, set(_KEYS))
        )
    if depth > _compose.MAX_DEPTH:
        raise ValueError(f"{what}: factors nest deeper than {_compose.MAX_DEPTH} levels")
    factors = data.get("factors", ())
    if not isinstance(factors, (list, tuple)):
        raise TypeError(f"{what}.factors must be a list; received {type(factors).__name__}")
    built = [
        _from_data(_compose.mapping(f, f"{what}.factors[{j}]"), f"{what}.factors[{j}]", depth + 1)
        for j, f in enumerate(factors)
    ]
    return Composition(**{**data, "factors": built})


def _segment(raw: object, i: int) -> tuple[Segment, _t.Fraction, _t.Fraction | None]:
    """Segment ``i`` validated: with ``end`` filled in, its exact length and timescale."""
    where = f"segment {i}"
    if isinstance(raw, Segment):
        seg = raw
    elif isinstance(raw, dict) or hasattr(raw, "keys"):
        d = _compose.mapping(raw, where)
        unknown = sorted(set(d) - set(_SEGMENT_KEYS))
        if unknown:
            from ._spec import _did_you_mean

            raise ValueError(
                f"{where} has unknown keys {unknown}; valid keys: {list(_SEGMENT_KEYS)}"
                + _did_you_mean(unknown, set(_SEGMENT_KEYS))
            )
        missing = sorted({"length", "start"} - set(d))
        if missing:
            raise ValueError(f"{where} is missing required keys {missing}")
        seg = Segment(**d)
    else:
        raise TypeError(f"{where} must be a Segment or a mapping; received {raw!r}")
    length = _compose.rational(seg.length, f"{where}: length")
    if not length > 0:
        raise ValueError(f"{where}: length must be > 0; received length={seg.length!r}")
    start = _compose.checked_value(seg.start, f"{where}: start")
    end = start if seg.end is None else _compose.checked_value(seg.end, f"{where}: end")
    if not isinstance(seg.shape, str) or seg.shape not in _math.SHAPES:
        names = ", ".join(map(repr, _math.SHAPES))
        raise ValueError(f"{where}: shape must be one of {names}; received shape={seg.shape!r}")
    power, tau = _compose.shape_parameters(seg, where, start, end)
    clean = Segment(
        _compose.plain(length), start, end, seg.shape, float(power),
        None if tau is None else _compose.plain(tau),
    )  # fmt: skip
    return clean, length, tau


def _factors(factors: Iterable[_t.Any]) -> list[Composition]:
    """The factors of a product, checked: compositions that hold, not nested too deep."""
    parts = list(factors) if not isinstance(factors, Composition) else [factors]
    for j, part in enumerate(parts):
        if not isinstance(part, Composition):
            raise TypeError(
                f"factors[{j}] must be a Composition; received {part!r} of type "
                f"{type(part).__name__}"
            )
        if part.after != "hold":
            raise ValueError(
                f"factors[{j}] holds its end value past its end: it must have after='hold'; "
                f"received after={part.after!r}"
            )
        if part._depth >= _compose.MAX_DEPTH:
            raise ValueError(f"factors[{j}]: products nest deeper than {_compose.MAX_DEPTH} levels")
    return parts


def _build(
    self: Composition,
    *,
    segments: Iterable[_t.Any],
    after: object,
    every: object,
    offset: object,
    scale: object,
    repeat: object,
    floor: object,
    factors: Iterable[_t.Any],
) -> None:
    """Validate every argument and lower the composition (``Composition.__init__``)."""
    if isinstance(segments, (str, bytes)) or not hasattr(segments, "__iter__"):
        raise TypeError(f"segments must be a list of Segments; received {segments!r}")
    raw = list(segments)
    if len(raw) > _compose.MAX_ROWS:
        raise ValueError(
            f"a composition holds at most {_compose.MAX_ROWS} segments; received {len(raw)}"
        )
    checked = [_segment(r, i) for i, r in enumerate(raw)]
    if not isinstance(after, str) or after not in _math.AFTER_POLICIES:
        names = ", ".join(map(repr, _math.AFTER_POLICIES))
        raise ValueError(f"after must be one of {names}; received after={after!r}")
    k = _compose.count(every, "every")
    times = _compose.count(repeat, "repeat")
    shift = _compose.rational(offset, "offset")
    rate = _compose.rational(scale, "scale")
    if not rate > 0:
        raise ValueError(f"scale must be > 0; received scale={scale!r}")
    low = None if floor is None else _compose.checked_value(floor, "floor")
    parts = _factors(factors)
    if not checked and not parts:
        raise ValueError("a composition needs at least one segment (or a factor)")
    rows = len(checked) * times + sum(p._rows for p in parts)
    if rows > _compose.MAX_ROWS:
        raise ValueError(
            f"a composition holds at most {_compose.MAX_ROWS} rows; received {len(checked)} "
            f"segments x repeat={times} + {rows - len(checked) * times} in factors"
        )
    plan, total, last = None, 0, None
    if checked:
        unrolled = [c for _ in range(times) for c in checked]
        lengths = tuple(c[1] for c in unrolled)
        most = _compose.table_limits(lengths, rate, shift)
        if most > _compose._TICKS_LIMIT:
            raise ValueError(
                f"the segments' boundaries, offset and scale need {most} ticks of their common "
                "denominator: more than 64-bit steps hold (< 2**63); use shorter lengths or "
                "simpler fractions"
            )
        plan, total, last = _compose.lower_table(
            tuple(c[0] for c in unrolled),
            lengths=lengths,
            every=k,
            offset=shift,
            scale=rate,
            timescales=tuple(c[2] for c in unrolled),
        )
    node = _compose.Lowered(plan, k, tuple(p._node for p in parts), low, total)
    total = max([total, *(p.total_steps for p in parts)])
    if total < 1:
        raise ValueError(
            f"a composition must last at least one step; its segments end at step {total} "
            f"(offset={offset!r}, scale={scale!r})"
        )
    wrap = None
    if after == "wrap":
        wrap = _compose.wrap_rule(last, total, k, low, product=bool(parts))
    values = {
        "segments": tuple(c[0] for c in checked),
        "after": after,
        "every": k,
        "offset": _compose.plain(shift),
        "scale": _compose.plain(rate),
        "repeat": times,
        "floor": low,
        "factors": tuple(parts),
        "total_steps": total,
        "_node": node,
        "_rows": rows,
        "_wrap": wrap,
        "_direct": total if wrap is None else min(total, wrap.first - 1),
        "_depth": 1 + max((p._depth for p in parts), default=0),
    }
    for name, value in values.items():
        object.__setattr__(self, name, value)
