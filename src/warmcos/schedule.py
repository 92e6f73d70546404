"""The :class:`Schedule` spec: warmup, a stable phase, a decay with restarts, a floor, a policy.

A schedule is validated once, when it is built, and *lowered* into a table of phases
(:class:`warmcos._math.Plan`) that one evaluator reads for every kind of number. Its
parameters are described once, in :data:`FIELDS`: the constructor, ``to_dict``/``from_dict``,
``replace`` and the command line all read that table.
"""

from __future__ import annotations

import math
import sys
from collections import namedtuple

# Imported at run time, not for type checkers only: `typing.get_type_hints(Schedule.__init__)`
# (jsonargparse, pydantic) evaluates the annotations here. Both are cheap.
from collections.abc import Mapping, Sequence  # noqa: TC003

from . import _math, units
from ._xp import _PYTHON, namespace_of
from .units import Duration, resolve_steps

# Not `typing.TYPE_CHECKING`: `import warmcos` stays free of typing (and of what it imports).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, overload

    import numpy as np
    from numpy.typing import NDArray

    from . import types as _t
    from ._xp import Bounds, Namespace
else:  # `_t.WarmupShape` and `_t.Any` import warmcos.types (and typing) when first evaluated
    from . import _annotations as _t

__all__ = ["FIELDS", "SCHEMA_VERSION", "Field", "Phase", "Schedule", "load"]

#: The ``version`` written by :meth:`Schedule.to_dict`; :meth:`Schedule.from_dict` also reads 1.
SCHEMA_VERSION = 2

#: The largest ``total_steps``: steps are 64-bit integers in NumPy and every framework (one
#: limit with :func:`warmcos.units.steps`).
MAX_STEPS = units.MAX_STEPS

#: The most restart cycles (each is one or two rows of the phase table).
MAX_CYCLES = 10_000

#: The most re-planned decays in ``edits`` (each is one row of the phase table).
MAX_EDITS = 10_000

#: :meth:`Schedule.area` sums up to this many steps exactly; beyond, phase by phase.
EXACT_AREA_STEPS = 1 << 22

#: The ``cycle_floor`` choices: each restart's floor is ``final_lr``, or scaled with its peak.
CYCLE_FLOORS = ("fixed", "scaled")

if TYPE_CHECKING:
    from typing import NamedTuple

    class Field(NamedTuple):
        """One parameter of :class:`Schedule`."""

        name: str
        kind: str
        default: Any
        choices: tuple[str, ...] | None
        help: str
        required: bool = False
        version: int = 1

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
    # collections.namedtuple, not typing.NamedTuple: `import warmcos` stays cheap.
    Field = namedtuple(
        "Field", "name kind default choices help required version", defaults=(False, 1)
    )
    Field.__doc__ = """One parameter of :class:`Schedule`, described for tools (the CLI builds its
    options here). ``kind`` says how to read a value from text: ``"lr"`` (a real number >= 0),
    ``"duration"`` (an int, ``"5%"``, ``0.05`` or ``"2ep"``; see :mod:`warmcos.units`),
    ``"choice"`` (one of ``choices``), ``"real"``, ``"optional_real"`` (a real number or
    ``None``), ``"int"`` or ``"bool"``. ``version``: the config schema that introduced it."""
    Phase = namedtuple("Phase", "kind cycle shape begin end lr_begin lr_end continuous")
    Phase.__doc__ = """One phase of a schedule, as :meth:`Schedule.describe` reports it: its kind
    (``"warmup"``, ``"stable"``, ``"decay"``), restart cycle, shape, active steps ``[begin,
    end)``, the rate at ``begin`` and the rate it reaches at ``end``, and whether it starts
    where the previous phase ended."""

#: Every parameter of :class:`Schedule`, in constructor (and ``to_dict``) order.
FIELDS: tuple[Field, ...] = (
    Field("peak_lr", "lr", None, None, "the learning rate at the end of the warmup", True),
    Field("total_steps", "duration", None, None, "the step at which final_lr is reached", True),
    Field("warmup_steps", "duration", 0, None, "steps of warmup (an int, '5%', 0.05, '2ep')"),
    Field("warmup_start_lr", "lr", 0.0, None, "the learning rate at step 0"),
    Field("final_lr", "lr", 0.0, None, "the learning rate at total_steps (the floor)"),
    Field("after", "choice", "hold", _math.AFTER_POLICIES, "the policy after total_steps"),
    Field("warmup_shape", "choice", "linear", _math.WARMUP_SHAPES, "the warmup's shape", version=2),
    Field("warmup_power", "real", 1.0, None, "exponent of a polynomial warmup", version=2),
    Field("stable_steps", "duration", 0, None, "steps held at peak_lr after warmup", version=2),
    Field("decay_shape", "choice", "cosine", _math.DECAY_SHAPES, "the decay's shape", version=2),
    Field("power", "real", 1.0, None, "exponent of a polynomial decay or cosine factor", version=2),
    Field(
        "timescale",
        "optional_real",
        None,
        None,
        "steps scale of an inverse_sqrt / inverse_time decay",
        version=2,
    ),
    Field("cycles", "int", 1, None, "number of decay cycles (restarts + 1)", version=2),
    Field("cycle_mul", "real", 1.0, None, "each cycle's length over the previous", version=2),
    Field("cycle_decay", "real", 1.0, None, "each cycle's peak over the previous", version=2),
    Field(
        "cycle_floor",
        "choice",
        "fixed",
        CYCLE_FLOORS,
        "each cycle's floor: final_lr, or scaled with cycle_decay",
        version=2,
    ),
    Field("cycle_warmup_steps", "duration", 0, None, "warmup steps at each restart", version=2),
    Field(
        "decay_from_zero",
        "bool",
        False,
        None,
        "the first decay's clock starts at step 0 (timm warmup_prefix=False)",
        version=2,
    ),
    Field(
        "delay_steps",
        "duration",
        0,
        None,
        "steps held at the first rate before the schedule starts (DeepSpeed's first updates)",
        version=2,
    ),
    Field(
        "edits",
        "edits",
        (),
        None,
        "re-planned decays (at_step, shape, planned_total): written by replan() and cooldown()",
        version=2,
    ),
)

_NAMES = tuple(f.name for f in FIELDS)
_DEFAULTS = {f.name: f.default for f in FIELDS if not f.required}
_V1_NAMES = frozenset(f.name for f in FIELDS if f.version == 1)
_SHAPE_POWER = {"warmup_shape": "warmup_power", "decay_shape": "power"}
_USES_POWER = frozenset({"cosine", "polynomial"})


def _real(value: object, name: str) -> float:
    """``value`` as a finite Python float (``-0.0`` as ``0.0``)."""
    if isinstance(value, bool) or not _is_real(value):
        raise TypeError(
            f"{name} must be a real number; received {name}={value!r} "
            f"of type {type(value).__name__}"
        )
    try:
        x = float(value)  # type: ignore[arg-type]
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite; received {name}={value!r}")
    return x + 0.0  # -0.0 -> 0.0, so equal schedules print and serialise alike


def _lr(value: object, name: str) -> float:
    x = _real(value, name)
    if x < 0:
        raise ValueError(f"{name} must be >= 0; received {name}={value!r}")
    return x


def _positive(value: object, name: str, why: str) -> float:
    x = _real(value, name)
    if x <= 0:  # negative or zero: the one rule, stated whole
        raise ValueError(f"{name} must be > 0 ({why}); received {name}={value!r}")
    return x


def _is_real(value: object) -> bool:
    import numbers

    return isinstance(value, numbers.Real)


def _choice(value: object, name: str, valid: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in valid:
        names = ", ".join(repr(v) for v in valid)
        raise ValueError(f"{name} must be one of {names}; received {name}={value!r}")
    return value


class Schedule:
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
    ``peak = peak_lr``, ``final = final_lr``. Each shape :math:`\phi` goes from 0 to 1 and is
    measured from the phase's lower end: the default, linear warmup and cosine decay
    :math:`\phi_d(r) = \tfrac12 (1 - \cos \pi r)`, is the TF-TPU reference
    ``init_lr * (cos(pi*(s-w)/(T-w)) + 1) / 2``. After ``T`` the ``after`` policy decides.

    Conventions (drawn in docs/conventions.md):

    * step ``0`` uses ``warmup_start_lr``; the last warmup step ``w - 1`` is one increment
      short of the peak;
    * the peak is used **at step** ``w``, the first step after the warmup (with ``w = 0``, at
      step 0);
    * ``final_lr`` is reached **at step** ``T``: a run of ``T`` updates (steps ``0 .. T-1``)
      ends one step above it, exactly like the TF-TPU reference, optax and Keras;
    * the step where a phase begins belongs to that phase (a restart's first step is its peak);
    * after ``T``: ``"hold"`` stays at the value at ``T`` (default), ``"wrap"`` continues a
      cosine decay periodically like the reference (back at the peak at ``2T - w``),
      ``"raise"`` raises ``ValueError`` for any step past ``T``.

    Shapes (``warmup_shape``, ``decay_shape``; ``n`` steps from the phase's lower end, out of
    ``L``):

    * ``"linear"``: :math:`n/L`; ``"cosine"``: :math:`\sin^2(\tfrac{\pi}{2} n/L)^{p}` (``p =
      power``, optax's ``exponent``); ``"polynomial"``: :math:`(n/L)^{p}`;
    * ``"exponential"``: geometric, :math:`v_\mathrm{low} (v_\mathrm{high} /
      v_\mathrm{low})^{n/L}` (both values > 0);
    * ``"1-sqrt"``: :math:`1 - \sqrt{1 - n/L}` (transformers' WSD cooldown and warmup);
    * ``"log"`` (warmup only): :math:`\log(1 + n) / \log(1 + L)` (DeepSpeed);
    * ``"inverse_sqrt"``, ``"inverse_time"`` (decay only): :math:`\mathrm{final} +
      (\mathrm{peak} - \mathrm{final}) (\tau / (\tau + d))^{1/2 \text{ or } 1}`, ``d`` steps
      into the decay, ``τ = timescale``; ``final_lr`` is the asymptote, not the value at ``T``;
    * ``"constant"`` (decay only): stays at the peak (``final_lr`` must be 0 or the peak).

    **Restarts.** ``cycles > 1`` splits the decay (everything after warmup and stable phase,
    or from step 0 with ``decay_from_zero``) into that many decays, each ``cycle_mul`` times
    as long as the one before, with boundaries computed exactly as integers when the schedule
    is built (the last cycle ends exactly at ``T``). Cycle ``k`` peaks at ``peak *
    cycle_decay**k``; its floor is ``final_lr`` (``cycle_floor="fixed"``) or ``final_lr *
    cycle_decay**(k - cycles + 1)`` (``"scaled"``: the last cycle ends at ``final_lr``). Each
    restart may first warm up for ``cycle_warmup_steps`` from ``warmup_start_lr`` (those
    steps are extra, not part of the decays' lengths).

    Args:
        peak_lr: the learning rate at step ``warmup_steps``; ``>= 0``.
        total_steps: the step at which ``final_lr`` is reached (warmup included); an int
            ``>= 1`` (or a whole float, ``1e5``) or epochs (``"90ep"``, with
            ``steps_per_epoch``).
        warmup_steps: steps of warmup: an int, a fraction of ``total_steps`` (``0.05`` or
            ``"5%"``, rounded up) or epochs (``"2ep"``).
        warmup_start_lr: the learning rate at step 0; may be above ``peak_lr`` (a falling
            warmup).
        final_lr: the learning rate at ``total_steps``; ``<= peak_lr``.
        after: the policy past ``total_steps``: ``"hold"``, ``"wrap"`` or ``"raise"``.
        warmup_shape: ``"linear"``, ``"cosine"``, ``"polynomial"``, ``"exponential"``,
            ``"1-sqrt"`` or ``"log"``.
        warmup_power: the exponent of a ``"polynomial"`` warmup; ``> 0``.
        stable_steps: steps held at ``peak_lr`` after the warmup (warmup-stable-decay), a
            duration like ``warmup_steps``.
        decay_shape: ``"cosine"``, ``"linear"``, ``"polynomial"``, ``"exponential"``,
            ``"1-sqrt"``, ``"inverse_sqrt"``, ``"inverse_time"`` or ``"constant"``.
        power: the exponent of a ``"polynomial"`` decay or of the ``"cosine"`` factor; ``> 0``.
        timescale: ``τ`` of an ``"inverse_sqrt"``/``"inverse_time"`` decay, in steps; ``> 0``.
        cycles: the number of decay cycles (``1``: no restarts); at most 10,000.
        cycle_mul: each cycle's decay length over the previous one's; ``> 0``.
        cycle_decay: each cycle's peak over the previous one's; ``> 0``.
        cycle_floor: ``"fixed"`` or ``"scaled"`` (see Restarts).
        cycle_warmup_steps: warmup steps at the start of each restart.
        decay_from_zero: count the first decay's progress from step 0, not from the end of the
            warmup and stable phase: the warmup overlays the decay's start and the rate jumps
            at its end (timm's ``warmup_prefix=False``).
        delay_steps: the first ``delay_steps`` steps hold the rate of step 0, and the whole
            schedule (warmup, stable phase, decay) starts that many steps later; it still
            reaches ``final_lr`` at ``total_steps``. DeepSpeed's schedulers set their first
            rate before the first update, so update ``s`` uses their formula at ``s - 1``:
            that is ``delay_steps=1``.
        edits: re-planned decays, as :meth:`replan` and :meth:`cooldown` write them: each
            ``(at_step, shape, planned_total)`` keeps the schedule as it was planned (to end
            at ``planned_total``) before ``at_step``, and replaces the rest by one decay of
            that shape from the rate there to ``final_lr``, reached at the next edit's
            ``planned_total``, or at ``total_steps`` for the last. Stored as data, so an
            edited schedule serialises, scales (:meth:`with_peak`) and runs in every adapter
            like any other. In a config: ``{"at_step": ..., "shape": ..., "planned_total":
            ...}`` mappings or ``[at_step, shape, planned_total]`` lists; at most 10,000.
        steps_per_epoch: what one epoch is worth in optimizer updates, for durations given in
            epochs. Durations are resolved to integer steps at construction, so it is not
            stored.

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

    def curve(self, start: int | None = None, stop: int | None = None) -> _t.FloatArray:
        """The learning rate at steps ``start .. stop - 1`` as a NumPy float64 array.

        Like ``range``: ``curve()`` is the whole schedule, steps ``0 .. total_steps``
        (the final value included); ``curve(n)`` is steps ``0 .. n - 1``; ``curve(a, b)`` is
        steps ``a .. b - 1``. Evaluated blockwise, without materialising the steps.

        Example:
            >>> Schedule(peak_lr=0.1, total_steps=4).curve().round(6).tolist()
            [0.1, 0.085355, 0.05, 0.014645, 0.0]
            >>> Schedule(peak_lr=0.1, total_steps=4).curve(2, 4).round(6).tolist()
            [0.05, 0.014645]
        """
        from ._xp import numpy_namespace

        if stop is None:
            first, last = 0, (self.total_steps + 1 if start is None else start)
            names = ("stop", "stop")
        else:
            first, last = (0 if start is None else start), stop
            names = ("start", "stop")
        for name, value in zip(names, (first, last), strict=True):
            if not _is_int(value) or value < 0:
                raise ValueError(f"curve() {name} must be an int >= 0; received {name}={value!r}")
        first, last = int(first), int(last)
        if last < first:
            raise ValueError(f"curve() needs start <= stop; received start={first}, stop={last}")
        values: _t.FloatArray = numpy_namespace().evaluate_range(
            first,
            last,
            self._formula,
            total_steps=self.total_steps,
            past_end=self.after == "raise",
            fold=self._fold,
        )
        return values

    if TYPE_CHECKING:
        from ._rates import Rated

    def with_rates(
        self, *, peak_lr: _t.Any = None, warmup_start_lr: _t.Any = None, final_lr: _t.Any = None
    ) -> Rated:
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

    def _values(self, start: int, stop: int) -> list[float]:
        """``curve(start, stop)`` as Python floats, cut after ``total_steps`` for "raise".

        For adapters that evaluate steps ahead, in chunks: with ``after="raise"`` the steps
        past the end have no value, so the list is shorter (empty past the end).
        """
        if self.after == "raise":
            stop = max(start, min(stop, self.total_steps + 1))
        values: list[float] = self.curve(start, stop).tolist()
        return values

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
            shape = "constant" if row.kind == "stable" else row.shape
            phases.append(Phase(row.kind, row.cycle, shape, row.begin, row.end, begin, end, joined))
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
        rows = self._plan.rows
        for row in rows:
            lo = max(row.begin, start)
            hi = row.end - 1 if row is not rows[-1] else self.total_steps
            if lo > hi:
                continue
            if self(lo) <= x:
                return lo
            if self(hi) > x:
                continue
            while hi - lo > 1:  # self(lo) > x >= self(hi): a falling phase
                mid = (lo + hi) // 2
                lo, hi = (lo, mid) if self(mid) <= x else (mid, hi)
            return hi
        return None

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
        try:
            import numpy as np  # noqa: F401 - curve() needs it
        except ModuleNotFoundError:
            return math.fsum(self(s) for s in range(start, stop))
        from itertools import chain

        block = 1 << 20
        return math.fsum(
            chain.from_iterable(
                self.curve(a, min(a + block, stop)).tolist() for a in range(start, stop, block)
            )
        )

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
        if _math.SHAPES[shape].open or shape == "constant":
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

    def diff(self, other: Schedule) -> dict[str, tuple[_t.Any, _t.Any]]:
        """The parameters that differ from ``other``'s, as ``{name: (mine, other's)}``.

        >>> Schedule(0.1, 100).diff(Schedule(0.1, 200))
        {'total_steps': (100, 200)}
        """
        if not isinstance(other, Schedule):
            raise TypeError(
                f"diff() compares with a Schedule; received {other!r} of type "
                f"{type(other).__name__}"
            )
        mine, theirs = self._args(), other._args()
        return {k: (mine[k], theirs[k]) for k in _NAMES if mine[k] != theirs[k]}

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
        from collections.abc import Mapping as MappingABC

        if not isinstance(config, MappingABC):
            raise TypeError(f"config must be a mapping (a dict); received {type(config).__name__}")
        version = config.get("version", SCHEMA_VERSION)
        if isinstance(version, bool) or version not in (1, SCHEMA_VERSION):
            raise ValueError(
                f"config version must be 1 or {SCHEMA_VERSION}; received version={version!r} "
                f"(leave it out for {SCHEMA_VERSION})"
            )
        keys = set(map(str, config)) - {"version"}
        newer = sorted(keys & (frozenset(_NAMES) - _V1_NAMES)) if version == 1 else []
        if newer:
            raise ValueError(
                f"config (version 1) has keys of version {SCHEMA_VERSION}: {newer}; write "
                f"version = {SCHEMA_VERSION} (or leave version out); received version=1"
            )
        names = _V1_NAMES if version == 1 else frozenset(_NAMES)
        valid = {*names, "steps_per_epoch"}
        unknown = sorted(keys - valid)
        if unknown:
            raise ValueError(
                f"config (version {version}) has unknown keys {unknown}; valid keys: "
                f"{sorted(valid | {'version'})}{_did_you_mean(unknown, valid)}"
            )
        missing = sorted({"peak_lr", "total_steps"} - set(config))
        if missing:
            raise ValueError(f"config is missing required keys {missing}")
        return cls(**{k: v for k, v in config.items() if k != "version"})

    def to_json(self, *, indent: int | None = None) -> str:
        """:meth:`to_dict` as JSON text (floats keep every digit); ``indent`` as in ``json``."""
        import json

        return json.dumps(self.to_dict(), indent=indent)

    def to_toml(self) -> str:
        """:meth:`to_dict` as a TOML document, one key a line, that :func:`load` reads back.

        Floats keep every digit; ``None`` (the default of ``timescale``) is left out, since
        TOML has no null.

        >>> print(Schedule(peak_lr=3e-4, total_steps=1000, warmup_steps=50).to_toml())
        version = 2
        peak_lr = 0.0003
        total_steps = 1000
        warmup_steps = 50
        ...
        edits = []
        <BLANKLINE>
        """
        from ._config import dumps

        return dumps(self.to_dict(), "toml")

    def to_yaml(self) -> str:
        """:meth:`to_dict` as a YAML document, one key a line, that :func:`load` reads back.

        Written without PyYAML; floats are spelt so that YAML 1.1 readers (PyYAML) and YAML
        1.2 readers read the same number (``1.0e-05``, not ``1e-05``, which YAML 1.1 reads as
        a string); ``None`` is left out.

        >>> print(Schedule(peak_lr=1e-5, total_steps=1000).to_yaml())
        version: 2
        peak_lr: 1.0e-05
        total_steps: 1000
        ...
        """
        from ._config import dumps

        return dumps(self.to_dict(), "yaml")

    @classmethod
    def from_json(cls, text: str) -> Schedule:
        """Rebuild a schedule from :meth:`to_json`'s output."""
        return cls.from_dict(_parse_json(text, "schedule JSON is not valid JSON"))

    # -- the value object ----------------------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Schedule is immutable: use replace({name}=...) for a changed copy")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Schedule is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not Schedule:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        args = self._args()
        shown = [f"{k}={args[k]!r}" for k in _NAMES if k in _V1_NAMES or args[k] != _DEFAULTS[k]]
        return f"Schedule({', '.join(shown)})"

    def __reduce__(self) -> tuple[_t.Any, ...]:
        return (_rebuild, (self._args(),))

    # -- pictures and loggers (the code is in warmcos.plotting and warmcos.loggers) -----------

    def plot(self, ax: _t.Any = None, **options: _t.Any) -> _t.Any:
        """Draw the schedule on a matplotlib ``Axes``: :func:`warmcos.plot` for this schedule.

        ``options``: ``start``, ``stop``, ``log``, ``title``, ``samples``. Returns the Axes.
        """
        from .plotting import plot

        return plot(self, ax, **options)

    def _repr_png_(self) -> bytes | None:
        """Jupyter's picture of the schedule; ``None`` (text) where matplotlib is missing."""
        from .plotting import repr_png

        return repr_png(self)

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

    def _key(self) -> tuple[_t.Any, ...]:
        # type-tagged, so that 4 and 4.0 (or 1 and True) never make two schedules equal
        return tuple((type(v).__name__, v) for v in map(self.__getattribute__, _NAMES))


def _at_step(value: object, s: Schedule, minimum: int = 1) -> int:
    if not _is_int(value) or not minimum <= value <= s.total_steps:  # type: ignore[operator]
        raise ValueError(
            f"at_step must be an int in [{minimum}, total_steps={s.total_steps}]; received "
            f"at_step={value!r}"
        )
    step: int = int(value)  # type: ignore[call-overload]
    return step


def _did_you_mean(unknown: Sequence[str], valid: set[str]) -> str:
    """``"; did you mean 'x'?"``: the closest valid name to each unknown one (``""``: none)."""
    import difflib

    close = {k: difflib.get_close_matches(k, sorted(valid), n=1) for k in unknown}
    found = [(k, m[0]) for k, m in close.items() if m]
    if not found:
        return ""
    if len(unknown) == 1:
        return f"; did you mean {found[0][1]!r}?"
    return "; did you mean " + ", ".join(f"{m!r} for {k!r}" for k, m in found) + "?"


def _rebuild(args: dict[str, Any]) -> Schedule:
    return Schedule(**args)


def _is_int(value: object) -> bool:
    import numbers

    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


# -- validation: every rule in one place -------------------------------------------------------


def _validate(given: dict[str, Any], steps_per_epoch: object) -> dict[str, Any]:
    """Check every parameter, resolve durations, and return the stored values."""
    per_epoch = _steps_per_epoch(steps_per_epoch)
    v: dict[str, Any] = {name: _lr(given[name], name) for name in _RATES}
    for name, valid in _CHOICES.items():
        v[name] = _choice(given[name], name, valid)
    for name in ("warmup_power", "power", "cycle_mul", "cycle_decay"):
        v[name] = _positive(given[name], name, "a multiplier or exponent")
    v["timescale"] = _timescale(given["timescale"], v["decay_shape"])
    if not isinstance(given["decay_from_zero"], bool):
        raise TypeError(
            f"decay_from_zero must be a bool; received decay_from_zero={given['decay_from_zero']!r}"
        )
    v["decay_from_zero"] = given["decay_from_zero"]
    v["cycles"] = _cycles(given["cycles"])
    v["edits"] = _edits(given["edits"])
    total = resolve_steps(given["total_steps"], "total_steps", steps_per_epoch=per_epoch, minimum=1)
    if total > MAX_STEPS:
        raise ValueError(
            "total_steps must be < 2**63 (steps are 64-bit integers in NumPy and every "
            f"framework); received total_steps={given['total_steps']!r}"
        )
    v["total_steps"] = total
    for name in ("warmup_steps", "stable_steps", "cycle_warmup_steps", "delay_steps"):
        v[name] = resolve_steps(given[name], name, total_steps=total, steps_per_epoch=per_epoch)
    _check_unused(v, given)
    _check_phases(v, given)
    _check_cycle_rates(v, given)
    return v


_RATES = ("peak_lr", "warmup_start_lr", "final_lr")
_CHOICES = {
    "after": _math.AFTER_POLICIES,
    "warmup_shape": _math.WARMUP_SHAPES,
    "decay_shape": _math.DECAY_SHAPES,
    "cycle_floor": CYCLE_FLOORS,
}


def _steps_per_epoch(value: object) -> int | None:
    if value is None:
        return None
    if not _is_int(value):
        raise TypeError(
            f"steps_per_epoch must be an int >= 1; received steps_per_epoch={value!r} of type "
            f"{type(value).__name__}"
        )
    count: int = int(value)  # type: ignore[call-overload]
    if count < 1:
        raise ValueError(f"steps_per_epoch must be an int >= 1; received steps_per_epoch={value!r}")
    return count


def _timescale(value: object, decay_shape: str) -> float | None:
    open_shape = _math.SHAPES[decay_shape].open
    if value is None:
        if open_shape:
            raise ValueError(
                f"decay_shape={decay_shape!r} needs a timescale (tau, in steps, in "
                "final + (peak - final) * (tau / (tau + d))**q); received timescale=None"
            )
        return None
    if not open_shape:
        raise ValueError(
            "timescale is only used by decay_shape='inverse_sqrt' or 'inverse_time'; "
            f"received timescale={value!r} with decay_shape={decay_shape!r}"
        )
    return _positive(value, "timescale", "a number of steps")


def _cycles(value: object) -> int:
    if not _is_int(value):
        raise TypeError(
            f"cycles must be an int >= 1; received cycles={value!r} of type {type(value).__name__}"
        )
    count: int = int(value)  # type: ignore[call-overload]
    if not 1 <= count <= MAX_CYCLES:
        raise ValueError(f"cycles must be between 1 and {MAX_CYCLES}; received cycles={value!r}")
    return count


def _cycle_coefficient(decay: float, k: int) -> float:
    """``decay**k``, or ``inf`` where it overflows (Python's float power raises instead)."""
    try:
        return decay**k
    except OverflowError:
        return math.inf


def _check_cycle_rates(v: dict[str, Any], given: dict[str, Any]) -> None:
    """Every restart's peak and (scaled) floor is a finite rate; checked before any work.

    Cycle ``k`` peaks at ``peak_lr * cycle_decay**k``, and a scaled floor is ``final_lr *
    cycle_decay**(k - cycles + 1)``: both are monotone in ``k``, so the largest of each is at
    one end, and is computed (with its coefficient) exactly as the lowering computes it.
    """
    cycles, d = v["cycles"], v["cycle_decay"]
    if cycles == 1 or d == 1.0:
        return
    k = cycles - 1 if d > 1.0 else 0
    checks = [("peak", "peak_lr", k, k)]
    if v["cycle_floor"] == "scaled":
        k = 0 if d < 1.0 else cycles - 2
        checks.append(("scaled floor", "final_lr", k, k - cycles + 1))
    for what, rate, k, exponent in checks:
        coefficient = _cycle_coefficient(d, exponent)
        value = v[rate] * coefficient if coefficient != 1.0 else v[rate]
        if not math.isfinite(value) or not math.isfinite(coefficient):
            beyond = "which" if math.isfinite(coefficient) else f"cycle_decay**{exponent}"
            raise ValueError(
                f"every restart's {what} must be a finite rate: cycle {k}'s is {rate} * "
                f"cycle_decay**{exponent}, {beyond} is beyond float64; bring cycle_decay "
                f"closer to 1 or use fewer cycles; received {rate}={given[rate]!r}, "
                f"cycle_decay={given['cycle_decay']!r}, cycles={given['cycles']!r}"
            )


_EDIT_KEYS = ("at_step", "shape", "planned_total")
#: The shapes a re-planned decay may take: the decay shapes that reach final_lr.
EDIT_SHAPES = tuple(n for n in _math.DECAY_SHAPES if not _math.SHAPES[n].open and n != "constant")


def _edits(value: object) -> tuple[tuple[int, str, int], ...]:
    """``edits`` as ``(at_step, shape, planned_total)`` triples, each checked in itself."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(
            "edits must be a sequence of (at_step, shape, planned_total) triples; received "
            f"edits={value!r}"
        )
    out: list[tuple[int, str, int]] = []
    for i, item in enumerate(value):
        if len(out) == MAX_EDITS:
            raise ValueError(
                f"edits must hold at most {MAX_EDITS} re-planned decays; received more"
            )
        where = f"edits[{i}]={item!r}"
        triple = item
        if isinstance(item, dict) and set(item) == set(_EDIT_KEYS):
            triple = tuple(item[k] for k in _EDIT_KEYS)
        if (
            not isinstance(triple, (list, tuple))
            or len(triple) != 3
            or not _is_int(triple[0])
            or not isinstance(triple[1], str)
            or not _is_int(triple[2])
        ):
            raise TypeError(
                "each edit must be (at_step, shape, planned_total): an int, a decay shape "
                f"name and an int (or a mapping of those keys); received {where}"
            )
        at, planned = int(triple[0]), int(triple[2])
        if triple[1] not in EDIT_SHAPES:
            names = ", ".join(repr(v) for v in EDIT_SHAPES)
            raise ValueError(
                f"an edit's shape must be one of {names}; received shape={triple[1]!r} in {where}"
            )
        shape: str = triple[1]
        if planned > MAX_STEPS:
            raise ValueError(
                "each edit's planned_total must be < 2**63, like total_steps (steps are 64-bit "
                f"integers in NumPy and every framework); received {where}"
            )
        if not 1 <= at <= planned or (out and at <= out[-1][0]):
            raise ValueError(
                "each edit's at_step must be in [1, planned_total], after the previous edit's; "
                f"received {where}"
            )
        out.append((at, shape, planned))
    return tuple(out)


def _check_unused(v: dict[str, Any], given: dict[str, Any]) -> None:
    """A parameter that the rest of the spec ignores is an error, not silently dropped."""
    for shape_name, power_name in _SHAPE_POWER.items():
        if v[power_name] != 1.0 and v[shape_name] not in _USES_POWER:
            raise ValueError(
                f"{power_name} is the exponent of a polynomial or cosine "
                f"{shape_name.split('_')[0]} and has no effect on {shape_name}="
                f"{v[shape_name]!r}; received {power_name}={given[power_name]!r}"
            )
    if v["cycles"] == 1:
        for name in ("cycle_mul", "cycle_decay", "cycle_warmup_steps", "cycle_floor"):
            if v[name] != _DEFAULTS[name]:
                raise ValueError(
                    f"{name} has no effect with cycles=1 (no restarts); received "
                    f"{name}={given[name]!r}"
                )


def _check_edit_ends(v: dict[str, Any], given: dict[str, Any]) -> None:
    """Each re-planned decay ends (at the next edit's planned total, or at the end) after it."""
    edits = v["edits"]
    ends = [e[2] for e in edits[1:]] + [v["total_steps"]]
    for (at, _, _), end in zip(edits, ends[: len(edits)], strict=True):
        if end <= at:
            raise ValueError(
                f"a re-planned decay from step {at} must end after it; received "
                f"edits={given['edits']!r}, total_steps={given['total_steps']!r}"
            )


def _planned_length(v: dict[str, Any], given: dict[str, Any]) -> tuple[int, str, str]:
    """The steps the phases were planned for: to the first edit's plan, after the delay.

    Also that bound in words (``"total_steps - delay_steps"``) and the values it was made of,
    as received, for the messages of the rules it bounds.
    """
    if v["edits"]:
        end: int = v["edits"][0][2]
        words = "the planned_total of the first edit (the total planned before re-planning)"
        shown = f"edits[0] planned_total={end!r}"
    else:
        end, words, shown = v["total_steps"], "total_steps", f"total_steps={given['total_steps']!r}"
    delay = v["delay_steps"]
    if end - delay < 1:
        raise ValueError(
            f"delay_steps must be < {words}; received delay_steps={given['delay_steps']!r}, {shown}"
        )
    if delay:
        words, shown = f"{words} - delay_steps", f"{shown}, delay_steps={given['delay_steps']!r}"
    return end - delay, words, shown


def positive_rates(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The rates that a geometric phase of ``spec`` (its parameters) needs ``> 0``, and why.

    In the order they are checked; adapters whose rates may be arrays check them with it too.
    """
    out: list[tuple[str, str]] = []
    warmups = spec["warmup_steps"] > 0 or (spec["cycles"] > 1 and spec["cycle_warmup_steps"] > 0)
    if spec["warmup_shape"] == "exponential" and warmups:
        why = "for warmup_shape='exponential' (a geometric ramp between two positive values)"
        out += [("warmup_start_lr", why), ("peak_lr", why)]
    if spec["decay_shape"] == "exponential":
        why = "for decay_shape='exponential' (a geometric decay between two positive values)"
        out += [("final_lr", why), ("peak_lr", why)]
    if any(shape == "exponential" for _, shape, _ in spec["edits"]):
        why = (
            "for an exponential cooldown or re-planned decay (edits: a geometric decay down to "
            "final_lr)"
        )
        out += [("final_lr", why)]
    return out


def _check_phases(v: dict[str, Any], given: dict[str, Any]) -> None:
    """The rules that relate several parameters (lengths, values, the after policy)."""
    w, stable = v["warmup_steps"], v["stable_steps"]
    base, bound, shown = _planned_length(v, given)
    shape = v["decay_shape"]
    head = w + stable
    if shape == "constant":
        if head > base:
            raise ValueError(
                f"warmup_steps + stable_steps must be <= {bound}; received "
                f"warmup_steps={given['warmup_steps']!r}, stable_steps="
                f"{given['stable_steps']!r}, {shown}"
            )
        if v["final_lr"] not in (0.0, v["peak_lr"]):
            raise ValueError(
                "final_lr has no effect with decay_shape='constant' (the rate stays at "
                f"peak_lr); leave it 0; received final_lr={given['final_lr']!r}"
            )
    elif head >= base:
        what = "warmup_steps" if not stable else "warmup_steps + stable_steps"
        raise ValueError(
            f"{what} must be < {bound}: the {shape} decay needs at least one step; "
            f"received warmup_steps={given['warmup_steps']!r}"
            + (f", stable_steps={given['stable_steps']!r}" if stable else "")
            + f", {shown}"
        )
    if v["final_lr"] > v["peak_lr"] and shape != "constant":
        raise ValueError(
            f"final_lr must be <= peak_lr (the {shape} decay goes down from the peak to "
            f"final_lr); received final_lr={given['final_lr']!r}, peak_lr={given['peak_lr']!r}"
        )
    for name, why in positive_rates(v):
        if v[name] <= 0:
            raise ValueError(f"{name} must be > 0 {why}; received {name}={given[name]!r}")
    _check_edit_ends(v, given)
    if v["after"] == "wrap" and (
        shape != "cosine"
        or v["power"] != 1.0
        or v["cycles"] != 1
        or v["decay_from_zero"]
        or v["edits"]
    ):
        raise ValueError(
            "after='wrap' continues a cosine decay periodically, like the TF-TPU reference; "
            "it needs decay_shape='cosine', power=1, cycles=1, decay_from_zero=False and no "
            "edits; "
            f"received decay_shape={shape!r}, power={v['power']!r}, cycles={v['cycles']!r}, "
            f"decay_from_zero={v['decay_from_zero']!r}, edits={given['edits']!r}"
        )


# -- lowering: the spec as a table of phases ----------------------------------------------------


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
_MAX_LOG_RATIO = math.log(1e300)


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
        rising = va <= vb and not _math.SHAPES[shape].open
        low, high, v_low, v_high = (a, b, va, vb) if rising else (b, a, vb, va)
        power = self.s.warmup_power if kind == "warmup" else self.s.power
        consts: tuple[Any, ...] = ()
        if shape in ("cosine", "polynomial"):
            consts = _math.power_constants(shape, length, power)
        elif shape == "exponential":
            big_k = math.log(v_high / v_low) if v_low > 0 else math.nan
            if not big_k < _MAX_LOG_RATIO:  # expm1(K) would overflow float64
                raise ValueError(
                    f"an exponential phase from {v_high!r} to {v_low!r} spans more than 300 "
                    "decades, beyond float64 (a geometric ramp needs high / low <= 1e300); "
                    f"received {self.received(a, b)}"
                )
            consts = _math.exponential_constants(length, v_low, v_high)
        elif _math.SHAPES[shape].open:
            consts = (self.s.timescale,)
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
            self.add(0, steps, form, form, shape="constant", kind="delay")
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
        table.add(w, head, _PEAK, _PEAK, shape="constant", kind="stable")
    if s.decay_shape == "constant":
        if head < t:
            table.add(head, t, _PEAK, _PEAK, shape="constant", kind="decay")
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
        if s.decay_shape == "exponential" and v_floor <= 0:
            raise ValueError(
                f"cycle {k}'s floor must be > 0 for decay_shape='exponential'; received "
                f"final_lr={s.final_lr!r}"
            )


# -- files -------------------------------------------------------------------------------------

#: The largest schedule file read (a schedule is a few hundred bytes).
MAX_FILE_BYTES = 1 << 20


def _parse_json(text: str, what: str) -> Any:
    import json

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}")
            seen[key] = value
        return seen

    try:
        return json.loads(text.removeprefix("\ufeff"), object_pairs_hook=no_duplicates)
    except RecursionError:
        raise ValueError(f"{what}: nested too deeply to be a schedule") from None
    except ValueError as error:  # JSONDecodeError, and duplicate keys
        raise ValueError(f"{what}: {error}") from None


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
    return Schedule.from_dict(read_config(path))


def read_config(path: str | Path) -> dict[str, Any]:
    """The raw mapping of a schedule file (durations unresolved), checked to be a mapping.

    :func:`load` is ``Schedule.from_dict(read_config(path))``; tools that merge their own
    overrides into a file's values (the CLI) read it with this.

    Numbers in YAML are read the way a person wrote them (YAML 1.2's core schema, not the
    YAML 1.1 of PyYAML's loaders): ``010`` is ten, not octal eight; ``1:30`` is text, not 90
    (so the schedule refuses it, naming the parameter); ``+5``, ``0x1f``, ``0o17`` and
    ``3e-4`` are numbers, and so are TOML's and Python's ``0b101`` and ``1_000``.
    """
    from pathlib import Path

    p = Path(path)
    name = str(p)
    suffix = p.suffix.lower()
    if suffix not in {".json", ".toml", ".yaml", ".yml"}:
        raise ValueError(
            f"schedule file must end in .json, .toml, .yaml or .yml; received path={name!r}"
        )
    try:
        if not p.is_file():
            kind = "does not exist" if not p.exists() else "is not a regular file"
            raise ValueError(f"cannot read schedule file {name!r}: it {kind}")
        with p.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ValueError(f"cannot read schedule file {name!r}: {error.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"schedule file {name!r} is larger than {MAX_FILE_BYTES} bytes")
    text = _utf8(data, name)
    if not text.strip():
        raise ValueError(
            f"schedule file {name!r} is empty; it must hold a mapping of parameters "
            "(peak_lr, total_steps, ..., version)"
        )
    what = f"cannot parse schedule file {name!r}"
    if suffix == ".json":
        config = _parse_json(text, what)
    elif suffix == ".toml":
        try:
            config = _toml().loads(text)
        except ValueError as error:  # TOMLDecodeError is a ValueError (duplicates included)
            raise ValueError(f"{what}: {error}") from None
        except RecursionError:  # tomllib recurses once per nested array or table
            raise ValueError(f"{what}: nested too deeply to be a schedule") from None
    else:
        config = _read_yaml(text, name)
    if _too_deep(config, _MAX_NESTING):  # where the parser's recursion did not stop it
        raise ValueError(f"{what}: nested too deeply to be a schedule")
    if not isinstance(config, dict):
        held = _kind_of(config, yaml=suffix in {".yaml", ".yml"})
        raise ValueError(
            f"schedule file {name!r} must hold a mapping of parameters; received {held}"
        )
    return config


#: The deepest nesting a schedule file may have (a schedule is 3 levels deep: edits).
_MAX_NESTING = 32


def _too_deep(value: Any, limit: int) -> bool:
    """Whether lists and mappings nest more than ``limit`` levels deep (no recursion).

    The parsers stop a deep file with a ``RecursionError`` only while the interpreter's
    recursion limit is low; a program that raised it (some frameworks do) parses 5,000
    levels, so the depth is checked here as well, the same for every format.
    """
    level: list[Any] = [value]
    for _ in range(limit + 1):
        level = [
            child
            for item in level
            if isinstance(item, (dict, list))
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return True


def _utf8(data: bytes, name: str) -> str:
    """``data`` as UTF-8 text, without a leading byte-order mark (Windows editors write one)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError(
            f"schedule file {name!r} is UTF-16 text (it starts with a UTF-16 byte-order "
            "mark); save it as UTF-8"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"schedule file {name!r} is not UTF-8 text (byte {error.start})") from None


def _kind_of(value: Any, *, yaml: bool) -> str:
    """What a file's top level holds instead of a mapping: its type and (briefly) its value."""
    if value is None:
        return "nothing (only comments, or null)" if yaml else "null"
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return f"{type(value).__name__} {shown}"


def _read_yaml(text: str, name: str) -> Any:
    yaml = _yaml()
    loader = _yaml_loader(yaml)
    try:
        return yaml.load(text, Loader=loader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        first = " ".join(str(error).split())
        raise ValueError(f"cannot parse schedule file {name!r}: {first}") from None
    except RecursionError:
        raise ValueError(
            f"cannot parse schedule file {name!r}: nested too deeply to be a schedule"
        ) from None


#: YAML 1.2's core schema numbers, with TOML's and Python's spellings too (``0b101``, and ``_``
#: between digits): never YAML 1.1's octal ``010`` or base-60 ``1:30``.
_DIGITS = r"[0-9](?:_?[0-9])*"  # ASCII digits (``\d`` is any script's), "_" between two
_YAML_INT = (
    rf"[-+]?(?:{_DIGITS}|0x[0-9a-fA-F](?:_?[0-9a-fA-F])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*)"
)
_YAML_FLOAT = (
    rf"[-+]?(?:(?:{_DIGITS})?\.{_DIGITS}|{_DIGITS}\.?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
#: The most entries merge keys (``<<``) may copy: far more than a schedule has, and a bound on
#: the work of a file whose merges copy mappings into mappings many times over.
_MAX_MERGED = 1 << 16


def _yaml_loader(yaml: Any) -> Any:
    """PyYAML's SafeLoader with the numbers of YAML 1.2, merge keys, and duplicate keys refused."""
    import re

    int_tag, float_tag = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"

    class Loader(yaml.SafeLoader):  # type: ignore[misc]
        merged = 0  # entries copied by merge keys so far, in this document

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in {int_tag, float_tag}]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    # ints first: the float pattern matches "10" too
    Loader.add_implicit_resolver(int_tag, re.compile(rf"^(?:{_YAML_INT})$"), list("-+0123456789"))
    Loader.add_implicit_resolver(
        float_tag, re.compile(rf"^(?:{_YAML_FLOAT})$"), list("-+0123456789.")
    )

    def integer(loader: Any, node: Any) -> int:
        text = loader.construct_scalar(node)
        digits = text.lstrip("+-")
        try:  # base 0 reads the prefixes; base 10 reads "010" as ten (base 0 refuses it)
            if not text.isascii():
                raise ValueError(text)
            return int(text, 0 if digits[1:2].isalpha() else 10)
        except ValueError:  # "!!int x", or more digits than Python converts
            shown = text if len(text) <= 40 else text[:39] + "…"
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {shown!r} as an integer", node.start_mark
            ) from None

    def mapping(loader: Any, node: Any) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        own: set[Any] = set()
        merges = [v for k, v in node.value if k.tag == "tag:yaml.org,2002:merge"]
        if len(merges) > 1:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key '<<' (one merge key per mapping)", node.start_mark
            )
        for merged in merged_mappings(loader, merges[0]) if merges else ():
            out.update(merged)
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = loader.construct_object(key_node, deep=True)
            if key in own:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            own.add(key)
            out[key] = loader.construct_object(value_node, deep=True)
        return out

    def merged_mappings(loader: Any, node: Any) -> list[dict[Any, Any]]:
        """The mappings a merge key names, the first taking precedence (so applied last)."""
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if not all(isinstance(n, yaml.MappingNode) for n in nodes) or not nodes:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a merge key (<<) needs a mapping or a list of mappings",
                node.start_mark,
            )
        unique = list({id(n): n for n in nodes}.values())  # the same mapping twice: once
        out = [loader.construct_object(n, deep=True) for n in reversed(unique)]
        loader.merged += sum(map(len, out))
        if loader.merged > _MAX_MERGED:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"merge keys (<<) copy more than {_MAX_MERGED} entries; a schedule has a few",
                node.start_mark,
            )
        return out

    Loader.add_constructor(int_tag, integer)
    Loader.add_constructor("tag:yaml.org,2002:map", mapping)
    return Loader


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise ValueError(
                "reading TOML on Python 3.10 needs tomli: pip install 'warmcos[yaml]'"
            ) from None
    return tomllib


def _yaml() -> Any:
    try:
        import yaml
    except ModuleNotFoundError:
        raise ValueError("reading YAML needs PyYAML: pip install 'warmcos[yaml]'") from None
    return yaml
