"""The :class:`Schedule` spec: warmup, a stable phase, a decay with restarts, a floor, a policy.

A schedule is validated once, when it is built (:mod:`warmcos._spec`, whose :data:`FIELDS`
describe every parameter for the constructor, ``to_dict``/``from_dict``, ``replace`` and the
command line), and *lowered* into a table of phases (:mod:`warmcos._lower`,
:class:`warmcos._math.Plan`) that one evaluator reads for every kind of number. Files are read
by :mod:`warmcos._files`.
"""

from __future__ import annotations

import math
from collections import namedtuple

# Imported at run time, not for type checkers only: `typing.get_type_hints(Schedule.__init__)`
# (jsonargparse, pydantic) evaluates the annotations here. Both are cheap.
from collections.abc import Mapping, Sequence  # noqa: TC003

from . import _math

# `X as X`: the names this module has always exported, now living with their concern
# (mypy's explicit re-export).
from ._lower import _lower
from ._spec import (
    _DEFAULTS,
    _EDIT_KEYS,
    _NAMES,
    _V1_NAMES,
    FIELDS,
    SCHEMA_VERSION,
    Field,
    _at_step,
    _config_args,
    _did_you_mean,
    _is_int,
    _lr,
    _validate,
)
from ._spec import CYCLE_FLOORS as CYCLE_FLOORS  # noqa: PLC0414
from ._spec import EDIT_SHAPES as EDIT_SHAPES  # noqa: PLC0414
from ._spec import MAX_CYCLES as MAX_CYCLES  # noqa: PLC0414
from ._spec import MAX_EDITS as MAX_EDITS  # noqa: PLC0414
from ._spec import MAX_STEPS as MAX_STEPS  # noqa: PLC0414
from ._spec import positive_rates as positive_rates  # noqa: PLC0414
from ._value import ScheduleValue
from ._xp import _PYTHON, namespace_of
from .units import Duration  # noqa: TC001 - at run time, as Mapping above

# Not `typing.TYPE_CHECKING`: `import warmcos` stays free of typing (and of what it imports).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, overload

    import numpy as np
    from numpy.typing import NDArray

    from . import types as _t
    from ._files import MAX_FILE_BYTES as MAX_FILE_BYTES  # noqa: PLC0414
    from ._files import read_config as read_config  # noqa: PLC0414
    from ._xp import Bounds, Namespace
else:  # `_t.WarmupShape` and `_t.Any` import warmcos.types (and typing) when first evaluated
    from . import _annotations as _t

__all__ = ["FIELDS", "SCHEMA_VERSION", "Field", "Phase", "Schedule", "load"]

#: :meth:`Schedule.area` sums up to this many steps exactly; beyond, phase by phase.
EXACT_AREA_STEPS = 1 << 22

if TYPE_CHECKING:
    from typing import NamedTuple

    class Phase(NamedTuple):
        """One phase of a schedule, as :meth:`Schedule.describe` reports it."""

        kind: str
        cycle: int
        shape: str
        begin: int
        end: int
        lr_begin: float
        lr_end: float
        continuous: bool

else:
    Phase = namedtuple("Phase", "kind cycle shape begin end lr_begin lr_end continuous")
    Phase.__doc__ = """One phase of a schedule, as :meth:`Schedule.describe` reports it: its kind
    (``"warmup"``, ``"stable"``, ``"decay"``), restart cycle, shape, active steps ``[begin,
    end)``, the rate at ``begin`` and the rate it reaches at ``end``, and whether it starts
    where the previous phase ended."""


class Schedule(ScheduleValue):
    r"""A learning-rate schedule: warmup, a stable phase, a decay (with restarts) and a floor.

    .. math::

        \mathrm{lr}(s) = \begin{cases}
            \mathrm{start} + (\mathrm{peak} - \mathrm{start}) \, \phi_w(s / w)
                & 0 \le s < w \\
            \mathrm{peak} & w \le s < w + S \\
            \mathrm{final} + (\mathrm{peak} - \mathrm{final}) \,
                \phi_d\!\left(\frac{T - s}{T - w - S}\right) & w + S \le s \le T
        \end{cases}

    with ``s`` the step (the number of optimizer updates already applied), ``w =
    warmup_steps``, ``S = stable_steps``, ``T = total_steps``, ``start = warmup_start_lr``,
    ``peak = peak_lr``, ``final = final_lr``, and each shape :math:`\phi` going from 0 to 1
    (default: a linear warmup and the cosine decay :math:`\tfrac12 (1 - \cos \pi r)`, the
    TF-TPU reference). ``final_lr`` is reached at step ``T``; past it the ``after`` policy
    decides. Every parameter is described in :data:`FIELDS`; every shape, restarts
    (``cycles``), re-planned decays (``edits``) and the delay are drawn in docs/family.md,
    the step conventions in docs/conventions.md.

    Raises:
        TypeError: a parameter has the wrong type (e.g. a ``bool``, or a string rate).
        ValueError: a parameter breaks a rule; the message names it, the rule, and the value.

    Example:
        >>> from warmcos import Schedule
        >>> s = Schedule(peak_lr=1.0, total_steps=10, warmup_steps=4, warmup_start_lr=0.1)
        >>> [round(s(step), 3) for step in range(12)]
        [0.1, 0.325, 0.55, 0.775, 1.0, 0.933, 0.75, 0.5, 0.25, 0.067, 0.0, 0.0]
        >>> s(4) == s.peak_lr and s(10) == s.final_lr
        True
        >>> wsd = Schedule(1.0, 10, warmup_steps=2, stable_steps=4, decay_shape="1-sqrt")
        >>> [round(wsd(step), 3) for step in range(11)]
        [0.0, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.293, 0.134, 0.0]
        >>> sgdr = Schedule(1.0, 7, decay_shape="linear", cycles=3, cycle_mul=2, cycle_decay=0.5)
        >>> [sgdr(step) for step in range(8)]
        [1.0, 0.5, 0.25, 0.25, 0.1875, 0.125, 0.0625, 0.0]
        >>> Schedule.from_dict(s.to_dict()) == s
        True
    """

    peak_lr: float
    total_steps: int
    warmup_steps: int
    warmup_start_lr: float
    final_lr: float
    after: _t.AfterPolicy
    warmup_shape: _t.WarmupShape
    warmup_power: float
    stable_steps: int
    decay_shape: _t.DecayShape
    power: float
    timescale: float | None
    cycles: int
    cycle_mul: float
    cycle_decay: float
    cycle_floor: _t.CycleFloor
    cycle_warmup_steps: int
    decay_from_zero: bool
    delay_steps: int
    edits: tuple[tuple[int, _t.EditShape, int], ...]
    _plan: _math.Plan

    def __init__(
        self,
        peak_lr: float,
        total_steps: Duration,
        *,
        warmup_steps: Duration = 0,
        warmup_start_lr: float = 0.0,
        final_lr: float = 0.0,
        after: _t.AfterPolicy = "hold",
        warmup_shape: _t.WarmupShape = "linear",
        warmup_power: float = 1.0,
        stable_steps: Duration = 0,
        decay_shape: _t.DecayShape = "cosine",
        power: float = 1.0,
        timescale: float | None = None,
        cycles: int = 1,
        cycle_mul: float = 1.0,
        cycle_decay: float = 1.0,
        cycle_floor: _t.CycleFloor = "fixed",
        cycle_warmup_steps: Duration = 0,
        decay_from_zero: bool = False,
        delay_steps: Duration = 0,
        edits: Sequence[tuple[int, _t.EditShape, int] | Mapping[str, _t.Any]] = (),
        steps_per_epoch: int | None = None,
    ) -> None:
        given = dict(locals())
        del given["self"], given["steps_per_epoch"]
        values = _validate(given, steps_per_epoch)
        for name in _NAMES:
            object.__setattr__(self, name, values[name])
        object.__setattr__(self, "_plan", _lower(self))

    # -- evaluation ------------------------------------------------------------------------

    if TYPE_CHECKING:  # typing.overload is not imported at run time (import cost)

        @overload
        def __call__(self, step: float) -> float: ...
        @overload
        def __call__(
            self, step: np.integer[_t.Any] | np.floating[_t.Any]
        ) -> np.floating[_t.Any]: ...
        @overload
        def __call__(
            self, step: NDArray[_t.Any] | Sequence[float]
        ) -> NDArray[np.floating[_t.Any]]: ...
        @overload
        def __call__(self, step: _t.Any) -> _t.Any: ...  # torch / TensorFlow / JAX tensors

    def __call__(self, step: _t.Any) -> _t.Any:
        """The learning rate at ``step``: a number, or an array of steps of any supported kind.

        Args:
            step: the number of optimizer updates already applied: a Python int or float, a
                NumPy array (or a list, tuple or range), or a torch / TensorFlow / JAX tensor
                of integers or floats. A step of any size has its rate: past
                ``total_steps``, ``"hold"`` gives the final rate and ``"wrap"`` folds the step
                with integer arithmetic, exactly, for a Python int beyond float range and for
                an array's steps beyond int64 (a list of Python ints, ``uint64``, whole floats)
                alike.

        Returns:
            A Python float for a Python number; otherwise an array of the same kind and shape
            (float64 for NumPy integers, the framework's default float for framework
            integers, the input's float dtype for float input).

        Raises:
            TypeError: ``step`` is not a number or an array of numbers.
            ValueError: a step is negative, NaN or infinite, or past ``total_steps`` with
                ``after="raise"``. (Traced steps under ``jit`` cannot raise: those entries
                are NaN.)
        """
        if type(step) is int and 0 <= step <= self.total_steps:  # every training loop's call
            return _math.evaluate_int(_PYTHON, step, self._plan)
        return namespace_of(step).evaluate(
            step,
            self._formula,
            total_steps=self.total_steps,
            past_end=self.after == "raise",
            rows=len(self._plan.rows),
            fold=self._fold,
        )

    def with_rates(
        self, *, peak_lr: _t.Any = None, warmup_start_lr: _t.Any = None, final_lr: _t.Any = None
    ) -> _t.Rated:
        r"""This schedule as a function of the step, with some learning rates given as arrays.

        For frameworks whose learning rates are traced, e.g. ``jax.vmap`` over peak learning
        rates (:func:`warmcos.jax.optax_schedule` calls it). The result ``f`` evaluates the
        same phase table as this schedule, with the rates as linear forms:

        .. math::

            f(s) = v_\mathrm{low} + (v_\mathrm{high} - v_\mathrm{low}) \,
                \varphi_\mathrm{shape}(n, L)

        in the phase holding ``s``, where the phase's ends ``v_low`` and ``v_high`` are
        ``warmup_start_lr``, ``peak_lr * cycle_decay**k`` or ``final_lr`` (scaled by
        ``cycle_decay`` with ``cycle_floor="scaled"``), ``n`` is the step counted from the
        phase's lower end and ``L`` its length (see docs/family.md). Each rate left ``None``
        keeps this schedule's value; a Python number gives :meth:`replace`; an array (NumPy,
        torch, TensorFlow or JAX, a tracer included; a list) is broadcast against the steps.
        Concrete arrays are checked with this schedule's rules, each distinct combination of
        entries as the schedule it stands for; traced ones cannot be checked.

        Args:
            peak_lr: the rate at ``warmup_steps``.
            warmup_start_lr: the rate at step 0.
            final_lr: the rate at ``total_steps``.

        Returns:
            A picklable callable ``f(step)`` taking steps of any kind :meth:`__call__`
            takes; ``f.schedule`` is the validated schedule (with the number rates),
            ``f.rates`` the array rates by name.

        Raises:
            TypeError: a rate is neither a real number nor an array of real numbers.
            ValueError: a rate (or an entry of a concrete array) breaks a rule of the
                schedule: negative, NaN or infinite, ``final_lr > peak_lr``, a restart's
                floor above its peak, 0 where a geometric phase needs it positive, ...

        Example:
            >>> import numpy as np
            >>> s = Schedule(peak_lr=0.1, total_steps=100, warmup_steps=10, final_lr=0.01)
            >>> f = s.with_rates(peak_lr=np.array([0.1, 0.2]))
            >>> f(10).tolist(), f(100).tolist()
            ([0.1, 0.2], [0.01, 0.01])
            >>> s.with_rates(final_lr=np.array([0.0, 0.5]))
            Traceback (most recent call last):
            ValueError: final_lr must be <= peak_lr ...; received final_lr=0.5, ... (entry (1,) ...
        """
        from ._rates import Rated

        rates = {"peak_lr": peak_lr, "warmup_start_lr": warmup_start_lr, "final_lr": final_lr}
        return Rated(self, rates)

    # -- derived schedules -------------------------------------------------------------------

    def replace(self, **changes: _t.Any) -> Schedule:
        """A copy with some parameters changed, validated like a new schedule.

        >>> Schedule(0.1, 1000).replace(decay_shape="linear").decay_shape
        'linear'
        """
        valid = {*_NAMES, "steps_per_epoch"}
        unknown = sorted(set(changes) - valid)
        if unknown:
            raise TypeError(
                f"replace() got unknown parameters {unknown}; valid: {list(_NAMES)}"
                + _did_you_mean(unknown, valid)
            )
        return Schedule(**{**self._args(), **changes})

    def with_peak(self, peak_lr: float) -> Schedule:
        """The same shape scaled so that its peak is ``peak_lr``.

        ``warmup_start_lr`` and ``final_lr`` scale by the same factor, so ratios are kept (this
        is how one schedule serves param groups with different learning rates).

        >>> Schedule(peak_lr=0.1, total_steps=100, final_lr=0.01).with_peak(3e-4).final_lr
        3e-05
        """
        peak = _lr(peak_lr, "peak_lr")
        if self.peak_lr == 0.0:
            raise ValueError("with_peak() cannot rescale a schedule whose peak_lr is 0")
        start = self._scaled("warmup_start_lr", peak)
        final = peak if self.final_lr == self.peak_lr else self._scaled("final_lr", peak)
        try:
            return self.replace(peak_lr=peak, warmup_start_lr=start, final_lr=min(final, peak))
        except ValueError as error:  # a rule broken by a scaled value the user never wrote
            raise ValueError(
                f"with_peak(peak_lr={peak_lr!r}) scales warmup_start_lr={self.warmup_start_lr!r} "
                f"and final_lr={self.final_lr!r} by {peak!r} / {self.peak_lr!r}, to {start!r} "
                f"and {final!r}: {error}"
            ) from None

    def _scaled(self, name: str, peak: float) -> float:
        """The rate ``name`` times ``peak / peak_lr``; ``ValueError`` beyond float64."""
        value: float = getattr(self, name)
        scaled = value / self.peak_lr * peak
        if math.isinf(scaled):  # the quotient overflowed, or the result is beyond float64
            from fractions import Fraction

            exact = Fraction(value) * Fraction(peak) / Fraction(self.peak_lr)
            try:
                scaled = float(exact)
            except OverflowError:
                raise ValueError(
                    f"with_peak(peak_lr={peak!r}) would scale {name}={value!r} by {peak!r} / "
                    f"{self.peak_lr!r}, beyond float64 (1.8e308): the scaled rates must be "
                    "finite; choose a smaller peak_lr"
                ) from None
        return scaled

    def params(self, **rates: _t.Any) -> _math.Plan:
        """The lowered plan with some learning rates overridden by arrays.

        For adapters whose learning rates are traced (e.g. ``jax.vmap`` over peak learning
        rates): the steps, shapes and policy stay this schedule's, validated; only
        ``peak_lr``, ``warmup_start_lr`` and ``final_lr`` may be overridden, and are not
        validated (they may be traced). Every phase's values are the same linear forms of
        the three rates as in this schedule (a restart's peak is ``peak_lr *
        cycle_decay**k``), and each phase keeps this schedule's orientation (which end is
        lower).
        """
        allowed = ("warmup_start_lr", "peak_lr", "final_lr")
        if not set(rates) <= set(allowed):
            raise TypeError(
                f"params() overrides only {sorted(allowed)}; received "
                f"{sorted(set(rates) - set(allowed))}"
            )
        if not rates:
            return self._plan
        values = tuple(rates.get(name, getattr(self, name)) for name in allowed)
        return self._plan._replace(rates=values)

    # -- introspection -----------------------------------------------------------------------

    def describe(self) -> tuple[Phase, ...]:
        """The phases, in order: kind, cycle, shape, steps, the rates at both ends, continuity.

        ``lr_begin`` is the rate at the phase's first step; ``lr_end`` the rate its formula
        reaches at ``end`` (for the last phase, the rate at ``total_steps``); ``continuous``
        says whether the phase starts at the rate the previous one reached.

        >>> for p in Schedule(1.0, 100, warmup_steps=10, stable_steps=70).describe():
        ...     print(p.kind, p.begin, p.end, p.lr_begin, p.lr_end, p.continuous)
        warmup 0 10 0.0 1.0 True
        stable 10 80 1.0 1.0 True
        decay 80 100 1.0 0.0 True
        """
        phases: list[Phase] = []
        previous = None
        for row in self._plan.rows:
            begin = float(_math._row(_PYTHON, row.begin, row, None))
            end = float(_math._row(_PYTHON, row.end, row, None))
            joined = previous is None or math.isclose(begin, previous, rel_tol=1e-12)
            phases.append(
                Phase(row.kind, row.cycle, row.shape, row.begin, row.end, begin, end, joined)
            )
            previous = end
        return tuple(phases)

    def first_step_below(self, lr: float, start: int = 0) -> int | None:
        """The first step ``>= start`` whose rate is ``<= lr``; ``None`` if none up to the end.

        Consistent with ``schedule(step)`` by construction: each phase is monotone, and the
        phase that first reaches ``lr`` is bisected on integer steps with ``schedule`` itself.
        (A warmup from 0 is below any rate at step 0: pass ``start=warmup_steps`` to ask
        about the decay.)

        >>> s = Schedule(1.0, 1000, warmup_steps=100, final_lr=0.01)
        >>> step = s.first_step_below(0.5, start=s.warmup_steps)
        >>> step, s(step) <= 0.5 < s(step - 1)
        (553, True)
        >>> s.first_step_below(0.001, start=s.warmup_steps) is None
        True
        """
        x = _lr(lr, "lr")
        if not _is_int(start) or start < 0:
            raise ValueError(f"start must be an int >= 0; received start={start!r}")
        from ._queries import first_below

        rows = self._plan.rows  # each row is monotone: a span to bisect
        spans = [(r.begin, r.end - 1 if r is not rows[-1] else self.total_steps) for r in rows]
        return first_below(self, spans, x, start)

    def area(self, start: int = 0, stop: int | None = None) -> float:
        """The sum of the rates at steps ``start .. stop - 1`` (``stop``: ``total_steps``).

        The "lr mass" of a run of ``total_steps`` updates, by default. Up to
        :data:`EXACT_AREA_STEPS` steps it is summed exactly (``math.fsum``) over
        :meth:`curve`: the correctly rounded sum of exactly the values ``schedule(step)``
        gives. Beyond, the work is bounded by the number of phases, not of steps: each phase
        is summed exactly where it is short, and by the Euler-Maclaurin formula with its own
        formula integrated where it is long, to a relative error of a few ``1e-16``; steps past
        ``total_steps`` repeat the final value (``"hold"``) or fold back into the decay
        (``"wrap"``).

        >>> Schedule(1.0, 4, decay_shape="linear").area()  # 1 + 0.75 + 0.5 + 0.25
        2.5
        >>> round(Schedule(1.0, 10**12).area() / 10**12, 12)  # half the box
        0.5
        """
        end = self.total_steps if stop is None else stop
        for name, value in (("start", start), ("stop", end)):
            if not _is_int(value) or value < 0:
                raise ValueError(f"area() {name} must be an int >= 0; received {name}={value!r}")
        start, end = int(start), int(end)
        if end < start:
            raise ValueError(f"area() needs start <= stop; received start={start}, stop={end}")
        if self.after == "raise" and end - 1 > self.total_steps:
            raise ValueError(
                f"step must be <= total_steps={self.total_steps} because after='raise'; "
                f"received step={end - 1}"
            )
        if end - start <= EXACT_AREA_STEPS and end <= MAX_STEPS:
            return self._exact_sum(start, end)
        import contextlib

        from . import _sums
        from ._xp import numpy_namespace

        xp: Namespace = _PYTHON
        with contextlib.suppress(ModuleNotFoundError):
            xp = numpy_namespace()
        return _sums.area(self._plan, start, end, self._exact_sum, xp)

    def _exact_sum(self, start: int, stop: int) -> float:
        """``math.fsum`` of the rates at steps ``start .. stop - 1`` (``stop <= 2**63 - 1``)."""
        from ._queries import exact_sum

        return exact_sum(self, start, stop)

    def replan(self, at_step: int, total_steps: Duration) -> Schedule:
        """The same run up to ``at_step``, then re-planned to end at a new ``total_steps``.

        Before the decay begins (in the warmup or the stable phase of a schedule without
        restarts) this is ``replace(total_steps=...)``: the decay starts as planned and ends
        at the new end. Inside the decay (or with restarts), everything before ``at_step`` is
        kept and the rest becomes one decay of the same shape from the rate at ``at_step`` to
        ``final_lr`` at the new end, with no jump. The result is a plain :class:`Schedule`
        (its ``edits`` record the change), so it serialises and runs in every adapter.

        >>> s = Schedule(1.0, 1000, warmup_steps=100)
        >>> longer = s.replan(600, total_steps=2000)
        >>> longer.edits
        ((600, 'cosine', 1000),)
        >>> longer(600) == s(600), longer(599) == s(599), longer(2000)
        (True, True, 0.0)
        """
        at = _at_step(at_step, self, minimum=0)
        head = self.warmup_steps + self.stable_steps
        kept, shape, planned = self._edits_before(at)
        if at == 0:  # nothing has run yet
            return self.replace(total_steps=total_steps)
        if at <= head and self.cycles == 1 and not kept and not self.decay_from_zero:
            # nothing of the decay has run yet (an edit after at_step never ran either)
            return self.replace(total_steps=total_steps, edits=())
        if not _math.SHAPES[shape].ends:
            raise ValueError(
                f"replan() re-plans a decay towards final_lr; decay_shape={shape!r} has no end "
                "to move: use replace(total_steps=...)"
            )
        return self.replace(total_steps=total_steps, edits=(*kept, (at, shape, planned)))

    def cooldown(self, at_step: int, steps: int, shape: str = "1-sqrt") -> Schedule:
        """Start the decay now: from the rate at ``at_step`` down to ``final_lr`` in ``steps``.

        Branching a warmup-stable-decay run: the schedule is kept before ``at_step``, then
        decays (``"1-sqrt"`` by default; any closed decay shape) to ``final_lr``, reached at
        ``at_step + steps`` (the new ``total_steps``), and holds.

        >>> wsd = Schedule(1.0, 10_000, warmup_steps=100, stable_steps=9_000)
        >>> branch = wsd.cooldown(5_000, 1_000)
        >>> branch(5_000), branch.total_steps, branch(6_000)
        (1.0, 6000, 0.0)
        """
        at = _at_step(at_step, self)
        if not _is_int(steps) or steps < 1:
            raise ValueError(f"steps must be an int >= 1; received steps={steps!r}")
        if at + int(steps) > MAX_STEPS:  # int(): a NumPy uint32 would overflow the sum
            raise ValueError(
                "at_step + steps (the new total_steps) must be < 2**63 (steps are 64-bit "
                f"integers in NumPy and every framework); received at_step={at}, steps={steps!r}"
            )
        kept, _, planned = self._edits_before(at)
        return self.replace(total_steps=at + int(steps), edits=(*kept, (at, shape, planned)))

    def _edits_before(self, at: int) -> tuple[tuple[tuple[int, str, int], ...], str, int]:
        """The edits before ``at``, the decay shape planned at ``at``, and the end planned.

        An edit's ``planned_total`` is where the plan it cuts was to end: the first edit's is
        the spec's own plan; each later one's, the end of the previous edit's decay (the
        ``planned_total`` of the edit after it, or ``total_steps`` for the last). So an edit
        at ``at`` that replaces the edits from ``at`` on cuts the plan those edits cut.
        """
        kept = tuple(e for e in self.edits if e[0] < at)
        later = self.edits[len(kept) :]
        shape = kept[-1][1] if kept else self.decay_shape
        return kept, shape, later[0][2] if later else self.total_steps

    # -- serialisation -------------------------------------------------------------------

    def to_dict(self) -> dict[str, _t.Any]:
        """The constructor arguments (durations resolved to steps) and ``version``.

        >>> d = Schedule(peak_lr=0.1, total_steps=1000, warmup_steps="5%").to_dict()
        >>> d["version"], d["warmup_steps"], d["decay_shape"], len(d) == len(FIELDS) + 1
        (2, 50, 'cosine', True)
        """
        args = self._args()
        args["edits"] = [dict(zip(_EDIT_KEYS, e, strict=True)) for e in self.edits]  # JSON
        return {"version": SCHEMA_VERSION, **args}

    @classmethod
    def from_dict(cls, config: Mapping[str, _t.Any]) -> Schedule:
        """Rebuild a schedule from :meth:`to_dict`'s output (or a hand-written config).

        ``version`` says which keys the config may use: ``2`` (this release), or ``1``
        (warmcos 0.1: linear warmup and cosine decay only, and its keys only); a config
        without ``version`` is read as the current one (:data:`SCHEMA_VERSION`), so a
        hand-written file needs only the parameters. Unknown keys are an error (a misspelt
        key would otherwise be silently ignored), naming the closest valid key.
        ``steps_per_epoch`` is accepted for durations written in epochs.

        >>> Schedule.from_dict({"peak_lr": 0.1, "total_steps": 100, "warmup_steps": "5%"})
        Schedule(peak_lr=0.1, total_steps=100, warmup_steps=5, warmup_start_lr=0.0, ...)
        >>> Schedule.from_dict({"peak_lr": 0.1, "total_step": 100})
        Traceback (most recent call last):
        ...
        ValueError: config (version 2) has unknown keys ['total_step']; ... mean 'total_steps'?
        """
        return cls(**_config_args(config))

    # -- the value object ----------------------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Schedule is immutable: use replace({name}=...) for a changed copy")

    def __repr__(self) -> str:
        args = self._args()
        shown = [f"{k}={args[k]!r}" for k in _NAMES if k in _V1_NAMES or args[k] != _DEFAULTS[k]]
        return f"Schedule({', '.join(shown)})"

    def __reduce__(self) -> tuple[_t.Any, ...]:
        return (_rebuild, (self._args(),))

    # -- loggers (the code is in warmcos.loggers) ----------------------------------------------

    def to_hparams(self, prefix: str = "") -> dict[str, str | int | float | bool]:
        """The parameters as a flat dict of scalars, for hyperparameter loggers.

        See :func:`warmcos.loggers.hparams`.

        >>> Schedule(0.1, 1000, warmup_steps=50).to_hparams("lr/")["lr/warmup_steps"]
        50
        """
        from .loggers import hparams

        return hparams(self, prefix)

    # -- helpers ---------------------------------------------------------------------------

    def _formula(self, xp: Namespace, s: _t.Any, bounds: Bounds | None) -> _t.Any:
        return _math.evaluate(xp, s, bounds, self._plan)

    def _fold(self, step: int) -> int:
        return _math.equivalent_step(_PYTHON, step, self._plan)

    def _args(self) -> dict[str, _t.Any]:
        return {name: getattr(self, name) for name in _NAMES}

    _fields = _args

    def _key(self) -> tuple[_t.Any, ...]:
        # type-tagged, so that 4 and 4.0 (or 1 and True) never make two schedules equal
        return tuple((type(v).__name__, v) for v in map(self.__getattribute__, _NAMES))


def _rebuild(args: dict[str, Any]) -> Schedule:
    return Schedule(**args)


def load(path: str | Path) -> Schedule:
    """Read a schedule from a ``.json``, ``.toml`` or ``.yaml``/``.yml`` file.

    The file holds the :meth:`Schedule.to_dict` mapping (``version`` included), as UTF-8 text
    (a leading byte-order mark, which Windows editors write, is allowed in every format). YAML
    needs the ``yaml`` extra (PyYAML); it is read with the safe loader, numbers as written
    (:func:`read_config`), merge keys (``<<: *base``) supported. TOML uses :mod:`tomllib`.
    Duplicate keys are an error in every format.

    Raises:
        ValueError: the file cannot be read or parsed, is not UTF-8 text, is too large or
            empty, holds no mapping, has an unknown suffix, or holds an invalid schedule.
    """
    from ._files import read_config

    return Schedule.from_dict(read_config(path))


def __getattr__(name: str) -> object:
    """``read_config`` and ``MAX_FILE_BYTES``, exported here, from :mod:`warmcos._files`.

    Read on first use: a training script that never reads a file does not import it.
    """
    if name in {"read_config", "MAX_FILE_BYTES"}:
        from . import _files

        return getattr(_files, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
