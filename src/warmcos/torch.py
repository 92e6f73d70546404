r"""PyTorch: :class:`WarmcosLR`, an ``LRScheduler`` that follows a :class:`~warmcos.Schedule`.

Import it as ``warmcos.torch`` (``import warmcos`` alone never imports torch)::

    from warmcos import Schedule
    from warmcos.torch import WarmcosLR

    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    scheduler = WarmcosLR(optimizer, Schedule(peak_lr=3e-4, total_steps=10_000, warmup_steps=500))
    for batch in loader:
        loss = model(batch).backward()
        optimizer.step()
        optimizer.zero_grad()
        scheduler.step()

The ``k``-th optimizer update (from 0) uses ``schedule(k)`` (docs/conventions.md); the
options, checkpoints and integrations are in docs/pytorch.md.
"""

from __future__ import annotations

import math
import numbers
import warnings
import weakref
from collections.abc import Mapping, Sequence
from typing import Any, cast

import torch
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler

from . import _accelerate, _checkpoint
from ._checkpoint import Followed, Hyper, Slot, Spec, Value
from ._load import from_dict
from ._spec import _choice
from ._value import ScheduleValue
from .compose import Composition
from .schedule import Schedule
from .types import PeakSource, ResumePolicy  # noqa: TC001 - read by get_type_hints

__all__ = ["PEAK_SOURCES", "RESUME_POLICIES", "WarmcosLR"]

#: The ``resume`` policies of :meth:`WarmcosLR.load_state_dict`, in the order shown to users.
RESUME_POLICIES = ("check", "new", "checkpoint", "replan")

#: Where one schedule's peak comes from when it differs from a group's lr (``peak=``).
PEAK_SOURCES = ("optimizer", "schedule")

#: What ``schedule`` may be: a Schedule or a Composition, a dict of its ``to_dict()``, or a
#: list of them.
ScheduleSpec = Value | Mapping[str, Any] | Sequence[Value | Mapping[str, Any]]

#: The param-group keys whose value is a tuple: the scheduler drives their first entry.
_FIRST_ENTRY = frozenset({"betas"})

# Steps are evaluated CHUNK at a time, through the core's NumPy path (one vectorised call per
# distinct schedule), and stepping reads the next values from that table: far cheaper per
# step than a Python-int call of the schedule (docs/benchmarks.md, "Why the code is shaped
# this way"). A chunk always starts at a multiple of _CHUNK, so the value at a step never
# depends on where a run started or resumed. The values are schedule.curve()'s (see
# docs/accuracy.md for how they compare with a Python-int call).
_CHUNK = 1024


def _numpy() -> Any:
    """NumPy if it is installed (torch does not require it), else ``None``."""
    try:
        import numpy as np
    except ModuleNotFoundError:  # pragma: no cover - exercised by monkeypatching in tests
        return None
    return np


class WarmcosLR(LRScheduler):
    """Sets each param group's learning rate to a :class:`~warmcos.Schedule` at every step.

    After ``k`` calls of :meth:`step` (``k = last_epoch``), group ``g``'s lr is
    ``schedule_g(k)``, in closed form: an lr changed by hand is overwritten at the next step,
    any step can be resumed, and nothing drifts. Tensor lrs are updated in place (``fill_``),
    so a compiled ``optimizer.step`` compiles once. What each option does, with examples, is
    in docs/pytorch.md: per-group peaks (``peak``), skip-aware stepping (``skip_aware``),
    checkpoints and resume policies (``resume``), any other hyperparameter (``hyper``: weight
    decay, momentum, ``betas``, a custom key, each group's value from its own schedule, in the
    same ``state_dict``); accelerate and DDP are in
    docs/distributed.md: under accelerate, build it with ``skip_aware=True`` (with
    ``skip_aware=False``, :meth:`step` raises at the first update where accelerate would step
    it ``num_processes`` times per update).

    Args:
        optimizer: the optimizer whose param groups' ``"lr"`` (and ``hyper``'s keys) this
            scheduler sets.
        schedule: a :class:`~warmcos.Schedule` or a dict of its arguments (see ``peak``), a
            :class:`~warmcos.Composition` (followed exactly) or its ``to_dict()``, or a
            sequence of them, one per param group, followed exactly.
        skip_aware: do not advance when no optimizer step was applied since the last call.
        resume: the default policy of :meth:`load_state_dict`: ``"check"``, ``"new"``,
            ``"checkpoint"`` or ``"replan"``.
        peak: for one schedule whose ``peak_lr`` differs from a group's lr: ``"optimizer"``
            (scale it to each group's lr) or ``"schedule"`` (follow its absolute rates);
            ``None``: they must be equal. A composition has no peak: it is followed exactly
            (``"optimizer"`` is refused). The same rule holds for each key of ``hyper``; a
            mapping gives each key its own (``{"lr": "optimizer"}``; a key not in it: ``None``).
        hyper: other param-group keys to drive, each with its schedule(s), read as
            ``schedule`` is against the group's value at that key (``weight_decay``,
            ``momentum``, a custom key; ``betas``: its first entry): ``{"weight_decay":
            Composition([Segment(100, 0.04, 0.4, "cosine")])}``. In a list, one per group,
            ``None`` leaves that group's value alone. Rising values are ordinary schedules.

    Raises:
        TypeError: ``optimizer`` is not a ``torch.optim.Optimizer``, ``schedule`` is not a
            :class:`~warmcos.Schedule` or a mapping (or a sequence of them), or a group's lr
            is not a real number or a one-element tensor; the same for a key of ``hyper``
            (the error names it), or its ``betas`` are not a tuple.
        ValueError: a dict is not a valid schedule config, a list of schedules does not have
            one per param group, a group's lr is negative or not finite, a group's lr differs
            from ``schedule.peak_lr`` with ``peak=None``, ``resume`` or ``peak`` is unknown,
            ``schedule.peak_lr`` is 0 where it must be scaled, or ``peak="optimizer"`` with
            a composition. For ``hyper``, the same errors name the key; and a key that a
            driven group lacks, ``"lr"`` given again (it is ``schedule``), or a list of
            ``None`` only.

    Example:
        >>> import torch
        >>> from warmcos import Schedule
        >>> from warmcos.torch import WarmcosLR
        >>> model = torch.nn.Linear(2, 1)
        >>> optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        >>> schedule = Schedule(peak_lr=1.0, total_steps=10, warmup_steps=4, warmup_start_lr=0.1)
        >>> scheduler = WarmcosLR(optimizer, schedule)
        >>> lrs = []
        >>> for _ in range(12):
        ...     lrs.append(round(optimizer.param_groups[0]["lr"], 3))
        ...     optimizer.step()
        ...     scheduler.step()
        >>> lrs
        [0.1, 0.325, 0.55, 0.775, 1.0, 0.933, 0.75, 0.5, 0.25, 0.067, 0.0, 0.0]
        >>> scheduler.last_epoch, scheduler.get_last_lr()
        (12, [0.0])
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedule: ScheduleSpec,
        *,
        skip_aware: bool = False,
        resume: ResumePolicy = "check",
        peak: PeakSource | Mapping[str, PeakSource | None] | None = None,
        hyper: Mapping[str, ScheduleSpec] | None = None,
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                "optimizer must be a torch.optim.Optimizer; received "
                f"optimizer={optimizer!r} of type {type(optimizer).__name__}"
            )
        if not isinstance(skip_aware, bool):
            raise TypeError(f"skip_aware must be a bool; received skip_aware={skip_aware!r}")
        _choice(resume, "resume", RESUME_POLICIES)
        _check_peak(peak, hyper)
        groups = optimizer.param_groups
        # Validate everything before touching the optimizer: nothing half-built.
        spec = cast("Spec", _read_spec(schedule, len(groups)))
        one = spec.peak_lr if isinstance(spec, Schedule) else None
        peaks = [_group_lr(g.get("initial_lr", g["lr"]), i, one) for i, g in enumerate(groups)]
        relative = _peak_rule(spec, peaks, peak)
        self._relative = relative
        self._spec: Spec = spec
        self._group_schedules = (
            _per_group(spec, peaks) if relative else _absolute(spec, len(groups))
        )
        self._hyper: Hyper = _read_hyper(hyper, groups, peak)
        self._index_hyper()
        self._skip_aware = skip_aware
        self._resume = resume
        self._applied = False
        self._watch = True  # the first update's checks, or every step's with skip_aware
        self._chunk_start = 0
        self._chunk_len = 0
        self._columns: list[list[float]] = []
        for group in groups:  # what LRScheduler.__init__ does, done here to compute peaks first
            lr = group["lr"]
            group.setdefault("initial_lr", lr.clone() if isinstance(lr, torch.Tensor) else lr)
        for g, key, _ in self._slots:  # the same for each driven key: initial_weight_decay...
            value = groups[g][key]
            groups[g].setdefault(f"initial_{key}", _copy(value))
        if skip_aware:
            _watch_steps(self, optimizer)
        super().__init__(optimizer)  # sets base_lrs, last_epoch = 0 and the step-0 lrs

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a copy (``copy.deepcopy``, ``pickle``): its own hook on its own optimizer.

        An optimizer copies and pickles without its hooks (``Optimizer.__getstate__``), so a
        skip-aware copy registers its post-hook again, on the optimizer it now drives (the
        copied one, or the same one for ``copy.copy``); without it the copy would never see
        an applied step and its lr would stay where it was.
        """
        self.__dict__.update(state)
        self.__dict__.setdefault("_watch", True)  # pickled by an older version
        if "_hyper" not in state:
            self._hyper = {}
            self._index_hyper()
        if self._skip_aware:
            _watch_steps(self, self.optimizer)

    # -- the loop ----------------------------------------------------------------------------

    def step(self, epoch: int | None = None) -> None:
        """Advance to the next step and set every param group's lr to its value there.

        With ``skip_aware=True``, do nothing if no optimizer step was applied since the last
        call. Call it after ``optimizer.step()``.

        Raises:
            TypeError: an ``epoch`` was given (torch's deprecated ``step(epoch)``); the step
                is the count of calls.
            ValueError: the step is past ``total_steps`` of a schedule with
                ``after="raise"``; or, at the first step, accelerate's prepared scheduler
                would step it ``num_processes`` times per update (see docs/distributed.md).
        """
        if torch.compiler.is_compiling():
            # Traced inside a compiled function (``torch.compile`` of a whole train step):
            # run eagerly behind a graph break, like torch's own schedulers, rather than let
            # the compiler specialise on the step number and recompile at every step.
            # (Built here, not at import: torch.compiler.disable imports dynamo, 3 s.)
            torch.compiler.disable(_step)(self, epoch)  # type: ignore[no-untyped-call]
            return
        if epoch is not None:
            raise TypeError(
                "WarmcosLR.step() takes no epoch: it advances by one optimizer update (torch "
                f"deprecated step(epoch)); received epoch={epoch!r}"
            )
        # One flag read per step once the first update's checks are done (skip_aware: never).
        if self._watch and self.last_epoch >= 0:  # not LRScheduler.__init__'s step-0 call
            if self._skip_aware:  # was an optimizer step applied since the last call?
                if not self._applied:
                    return
                self._applied = False
            else:  # the first update only: who steps this scheduler, and in which order?
                self._watch = False
                _accelerate.refuse_multistep()
                if self._step_count == 1 and not getattr(self.optimizer, "_opt_called", False):
                    warnings.warn(
                        "WarmcosLR.step() was called before optimizer.step(): the first value "
                        "of the schedule is skipped. Call optimizer.step() first (or pass "
                        "skip_aware=True if the optimizer step was skipped on purpose).",
                        UserWarning,
                        stacklevel=2,
                    )
        self._step_count += 1
        step = self.last_epoch = self.last_epoch + 1  # one attribute read fewer than += 1
        self._apply(step)

    def _apply(self, step: int) -> None:
        """Set every group's lr to its schedule's value at ``step`` (tensors in place)."""
        i = self._index(step)
        groups = self.optimizer.param_groups
        columns = self._columns
        n = len(columns)
        if len(groups) != n:
            raise ValueError(
                f"the optimizer has {len(groups)} param groups but WarmcosLR was built for "
                f"{n}; build a new scheduler after add_param_group()"
            )
        # An index loop: cheaper than zip() on CPython 3.11 (docs/benchmarks.md).
        for k in range(n):
            group = groups[k]
            current = group["lr"]
            if type(current) is not float and isinstance(current, torch.Tensor):
                current.fill_(columns[k][i])
            else:
                group["lr"] = columns[k][i]
        if self._slots:  # the other keys (one test per step when there are none)
            self._apply_hyper(groups, i)

    def _apply_hyper(self, groups: list[dict[str, Any]], i: int) -> None:
        """Set each driven key of each group (``betas``: a new tuple, or its tensor in place)."""
        columns = self._hyper_columns
        for j, (g, key, first) in enumerate(self._slots):
            group = groups[g]
            value = columns[j][i]
            current = group[key]
            if first:
                head = current[0]
                if isinstance(head, torch.Tensor):
                    head.fill_(value)
                else:
                    group[key] = (value, *current[1:])
            elif type(current) is not float and isinstance(current, torch.Tensor):
                current.fill_(value)
            else:
                group[key] = value

    def _index_hyper(self) -> None:
        """The ``(group, key, first entry?)`` slots the other keys drive, and their schedules."""
        self._slots = [
            (g, key, key in _FIRST_ENTRY)
            for key, (_, _, schedules) in self._hyper.items()
            for g, s in enumerate(schedules)
            if s is not None
        ]
        self._hyper_schedules = [
            s for _, _, schedules in self._hyper.values() for s in schedules if s is not None
        ]
        self._hyper_columns: list[list[float]] = []

    def _lrs_at(self, step: int) -> list[float]:
        """Every group's lr at ``step``."""
        i = self._index(step)
        return [column[i] for column in self._columns]

    def _index(self, step: int) -> int:
        """The one chunk lookup: ``step``'s index in the columns, evaluating its chunk if needed."""
        i = step - self._chunk_start
        if not 0 <= i < self._chunk_len:
            self._fill(step)
            i = step - self._chunk_start
        return i

    def _fill(self, step: int) -> None:
        """Evaluate the aligned chunk of steps that holds ``step``, once per distinct schedule.

        Each schedule's values stop at its end with ``after="raise"`` (the core's
        ``_values``); a step past it raises the core's ``ValueError``.
        """
        distinct = list(dict.fromkeys((*self._group_schedules, *self._hyper_schedules)))
        start = step - step % _CHUNK
        values = {s: s._values(start, start + _CHUNK) for s in distinct} if _numpy() else {}
        if not values or min(map(len, values.values())) <= step - start:
            start = step  # no NumPy, or past an after="raise" end: the core says which
            values = {s: [s(step)] for s in distinct}
        self._columns = [values[s] for s in self._group_schedules]
        self._hyper_columns = [values[s] for s in self._hyper_schedules]
        self._chunk_start = start
        self._chunk_len = min(len(c) for c in (*self._columns, *self._hyper_columns))

    def _invalidate(self) -> None:
        self._chunk_len = 0

    # -- torch's scheduler interface ---------------------------------------------------------

    def get_last_lr(self) -> list[float | torch.Tensor]:
        """The lr of each param group at the current step, as set by the last :meth:`step`.

        Floats for float lrs; for a tensor lr, a new tensor of its dtype and device (never the
        optimizer's own tensor), as torch's schedulers return.
        """
        out: list[float | torch.Tensor] = []
        # not strict: reading the last lrs never fails, even after add_param_group()
        for group, lr in zip(
            self.optimizer.param_groups, self._lrs_at(self.last_epoch), strict=False
        ):
            current = group["lr"]
            if isinstance(current, torch.Tensor):
                out.append(torch.tensor(lr, dtype=current.dtype, device=current.device))
            else:
                out.append(lr)
        return out

    def get_lr(self) -> list[float | torch.Tensor]:
        """The lr of each param group at step ``last_epoch``, in closed form."""
        return self._get_closed_form_lr()

    def _get_closed_form_lr(self) -> list[float | torch.Tensor]:
        # Used by LRScheduler._update_lr(epoch), e.g. when SequentialLR reaches a milestone.
        return list(self._lrs_at(self.last_epoch))

    # -- specs and checkpoints ---------------------------------------------------------------

    @property
    def schedule(self) -> Spec:
        """The spec: the shape scaled per group, or the tuple of per-group schedules."""
        return self._spec

    @property
    def group_schedules(self) -> tuple[Value, ...]:
        """The schedule each param group follows, in param-group order."""
        return self._group_schedules

    @property
    def hyper(self) -> dict[str, tuple[Slot, ...]]:
        """The schedule each param group follows for each other key (``None``: not driven)."""
        return {key: schedules for key, (_, _, schedules) in self._hyper.items()}

    def state_dict(self) -> dict[str, Any]:
        """The step and the schedule spec, as plain Python values.

        Keys: ``format``, ``version``, ``step`` (``last_epoch``: the updates applied),
        ``relative`` (whether ``schedule`` is scaled per group), ``schedule`` (the spec:
        :meth:`~warmcos.Schedule.to_dict` of the shape, or a list of them) and
        ``group_schedules`` (the schedule each group follows); with ``hyper``, also ``hyper``:
        those three keys for each other key (``None`` for a group not driven). The optimizer
        is not stored.
        """
        return _checkpoint.state(self.last_epoch, self._followed(), self._hyper)

    def _followed(self) -> Followed:
        return self._relative, self._spec, self._group_schedules

    def load_state_dict(self, state_dict: dict[str, Any], *, resume: str | None = None) -> None:
        """Continue from a :meth:`state_dict`, under a resume policy.

        Args:
            state_dict: what :meth:`state_dict` returned.
            resume: ``"check"``, ``"new"``, ``"checkpoint"`` or ``"replan"`` (see
                docs/pytorch.md); default: the ``resume`` the scheduler was built with.

        Raises:
            ValueError: the state is not a WarmcosLR state (or a different version), its
                spec differs from this scheduler's under ``"check"`` (the message lists the
                differing fields, prefixed by their key with ``hyper``), or it has a
                different number of param groups, or drives other keys, under ``"check"``,
                ``"checkpoint"`` or ``"replan"``.
        """
        policy = self._resume if resume is None else _choice(resume, "resume", RESUME_POLICIES)
        step, resumed, hyper = _checkpoint.resume(state_dict, policy, self._followed(), self._hyper)
        if resumed[2] is not self._group_schedules or hyper != self._hyper:
            relative, spec, schedules = resumed
            self._relative, self._spec = relative, cast("Spec", spec)
            self._group_schedules = cast("tuple[Value, ...]", schedules)
            self._hyper = hyper
            self._index_hyper()
            self._invalidate()
        self.last_epoch = step
        self._apply(step)

    def __repr__(self) -> str:
        kind = "scaled per group" if self._relative else "per group"
        if not self._relative and isinstance(self._spec, ScheduleValue):
            kind = "the same rates in every group"
        keys = f", hyper={sorted(self._hyper)}" if self._hyper else ""
        return f"WarmcosLR({self._spec!r}, {kind}{keys}, step={self.last_epoch})"


# -- helpers -----------------------------------------------------------------------------------


def _step(scheduler: WarmcosLR, epoch: int | None) -> None:
    scheduler.step(epoch)


def _watch_steps(scheduler: WarmcosLR, optimizer: Optimizer) -> None:
    """Register the skip-aware post-hook, removed when the scheduler goes away."""
    handle = optimizer.register_step_post_hook(_mark_applied(scheduler))
    weakref.finalize(scheduler, handle.remove)


def _mark_applied(scheduler: WarmcosLR) -> Any:
    """An optimizer post-hook that records an applied step, holding the scheduler weakly."""
    ref = weakref.ref(scheduler)

    def hook(optimizer: Optimizer, args: Any, kwargs: Any) -> None:
        s = ref()
        if s is not None:
            s._applied = True

    return hook


def _read_spec(
    schedule: object, n_groups: int, name: str = "schedule", optional: bool = False
) -> Value | tuple[Slot, ...]:
    """One schedule, or a tuple of one per group: each a Schedule or a Composition, or a dict.

    A dict is read by the one dispatcher, :func:`warmcos._load.from_dict` (a ``segments``
    key makes it a composition's). ``optional``: a list may hold ``None`` (a group left
    alone); ``name`` is what the errors call the argument.
    """
    if isinstance(schedule, (Schedule, Composition)):
        return schedule
    if isinstance(schedule, Mapping):
        return from_dict(schedule)
    if isinstance(schedule, Sequence) and not isinstance(schedule, (str, bytes)):
        out: list[Slot] = []
        for i, item in enumerate(schedule):
            s = from_dict(item) if isinstance(item, Mapping) else item
            if not (isinstance(s, (Schedule, Composition)) or (optional and s is None)):
                none = " or None (that group left alone)" if optional else ""
                raise TypeError(
                    f"{name}[{i}] must be a warmcos.Schedule or a dict of its arguments "
                    f"(or a warmcos.Composition){none}; "
                    f"received {s!r} of type {type(s).__name__}"
                )
            out.append(s)
        if len(out) != n_groups:
            raise ValueError(
                f"{name} must have one Schedule per param group when it is a list: the "
                f"optimizer has {n_groups} param groups; received {len(out)} schedules"
            )
        return tuple(out)
    raise TypeError(
        f"{name} must be a warmcos.Schedule, a dict of its arguments, or a list of them (one "
        f"per param group); received {name}={schedule!r} of type {type(schedule).__name__}"
    )


def _read_hyper(hyper: object, groups: list[dict[str, Any]], peak: object) -> Hyper:
    """What each other key follows: ``{key: (relative, spec, group_schedules)}``, validated."""
    if hyper is None:
        return {}
    if not isinstance(hyper, Mapping):
        raise TypeError(
            "hyper must be a mapping from param-group keys to schedules, e.g. "
            f"{{'weight_decay': schedule}}; received hyper={hyper!r} of type "
            f"{type(hyper).__name__}"
        )
    out: Hyper = {}
    for key, given in hyper.items():
        if not isinstance(key, str) or key in ("params", "lr", "initial_lr"):
            why = "the lr is driven by schedule" if key in ("lr", "initial_lr") else "not a key"
            raise ValueError(
                f"hyper's keys must be param-group hyperparameters other than the lr ({why}: "
                f"the lr's schedule is given once, as schedule); received the key {key!r}"
            )
        name = f"hyper[{key!r}]"
        try:
            spec = _read_spec(given, len(groups), name, optional=True)
        except (TypeError, ValueError) as error:  # a config's own error: say whose it is
            if name in str(error):
                raise
            raise type(error)(f"{name}: {error}") from None
        slots = (spec,) * len(groups) if isinstance(spec, ScheduleValue) else spec
        if all(s is None for s in slots):
            raise ValueError(f"{name} drives no param group: every entry is None")
        one = spec.peak_lr if isinstance(spec, Schedule) else None
        values = [
            _group_lr(_group_value(g, key, i), i, one, key) if s is not None else 0.0
            for i, (g, s) in enumerate(zip(groups, slots, strict=True))
        ]
        if not isinstance(spec, Schedule):
            _peak_rule(spec, values, peak, key)  # a composition or a list: followed exactly
            out[key] = (False, spec, slots)
        else:
            relative = _peak_rule(spec, values, peak, key)
            out[key] = (relative, spec, _per_group(spec, values) if relative else slots)
    return out


def _group_value(group: Mapping[str, Any], key: str, index: int) -> object:
    """A group's value at ``key`` (its ``initial_`` value once driven); ``betas``: the first."""
    if key not in group:
        raise ValueError(
            f"param group {index} has no {key!r} to drive (its keys: "
            f"{sorted(k for k in group if k != 'params')}); add it to the group or the "
            f"optimizer's defaults, or pass None for that group in hyper[{key!r}]"
        )
    value = group.get(f"initial_{key}", group[key])
    if key in _FIRST_ENTRY:
        if not isinstance(value, tuple) or not value:
            raise TypeError(
                f"param group {index}'s {key} must be a tuple (its first entry is driven); "
                f"received {key}={value!r} of type {type(value).__name__}"
            )
        return value[0]
    return value


def _copy(value: object) -> object:
    """A copy of a group's value that later fills will not change (tensors cloned)."""
    if isinstance(value, torch.Tensor):
        return value.clone()
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    return value


def _peak_rule(
    spec: Value | tuple[Slot, ...], peaks: list[float], peak: object, key: str = "lr"
) -> bool:
    """Whether one schedule is scaled to each group's lr (``relative``), by the ``peak`` rule.

    ``key``: the param-group key this schedule drives (its name in the errors); ``peak``: a
    source for every key, or a mapping of them by key (a key not in it: ``None``).
    """
    name = "schedule" if key == "lr" else f"hyper[{key!r}]"
    if isinstance(peak, Mapping):
        peak = peak.get(key)
    if isinstance(spec, Composition):
        if peak == "optimizer":
            raise ValueError(
                f"peak='optimizer' scales a template's peak_lr to each param group's {key}; a "
                "Composition has no peak_lr and is followed exactly (pass peak=None, or a "
                "list of compositions, one per group, or a product with a constant factor); "
                f"received peak='optimizer' for {name}"
            )
        return False
    if not isinstance(spec, Schedule):
        if peak == "optimizer":
            raise ValueError(
                f"peak='optimizer' scales one schedule to each param group's {key}; a list of "
                "schedules is followed exactly (pass peak=None, or one Schedule); received "
                f"peak='optimizer' for {name}"
            )
        return False
    if peak == "schedule":
        return False
    differs = [(i, p) for i, p in enumerate(peaks) if p != spec.peak_lr]
    if differs and spec.peak_lr == 0.0:
        raise ValueError(
            f"{name}.peak_lr must be > 0 when one schedule is scaled to each param group's "
            f"{key} (pass peak='schedule', or a list of schedules, one per group, for absolute "
            f"values); received peak_lr={spec.peak_lr!r}"
        )
    if differs and peak is None:
        i, lr = differs[0]
        more = f" (and {len(differs) - 1} more group(s))" if len(differs) > 1 else ""
        raise ValueError(
            f"{name}.peak_lr={spec.peak_lr!r} differs from param group {i}'s {key}={lr!r}"
            f"{more}: say which one is the peak: peak='optimizer' scales the schedule to each "
            f"group's {key} (its warmup start and final lr keep their ratio to the peak), "
            "peak='schedule' follows the schedule's own rates in every group; received "
            "peak=None"
        )
    return True


def _check_peak(peak: object, hyper: object) -> None:
    """``peak``: a source (or ``None``), or a mapping of them by key (``"lr"`` or a hyper key)."""
    valid = ", ".join(repr(p) for p in PEAK_SOURCES)
    keys = {"lr", *(hyper if isinstance(hyper, Mapping) else ())}
    for key, source in peak.items() if isinstance(peak, Mapping) else [(None, peak)]:
        name = "peak" if key is None else f"peak[{key!r}]"
        if key is not None and key not in keys:
            raise ValueError(
                f"peak's keys must be 'lr' or keys of hyper ({sorted(keys)}); received {name}"
            )
        if source is not None and source not in PEAK_SOURCES:
            raise ValueError(f"{name} must be None, {valid}; received {name}={source!r}")


def _absolute(spec: Spec, n_groups: int) -> tuple[Value, ...]:
    """The schedules followed exactly: one per group, or the one schedule in every group."""
    return (spec,) * n_groups if isinstance(spec, ScheduleValue) else spec


def _group_lr(lr: object, index: int, peak: float | None, key: str = "lr") -> float:
    """A param group's lr (or its value at ``key``) as a validated Python float.

    A tensor lr that holds ``peak`` rounded to its dtype (``torch.tensor(1e-2)`` is float32)
    counts as ``peak`` itself, so that its group follows the schedule given, not one scaled
    by ``float32(1e-2) / 1e-2``.
    """
    if isinstance(lr, torch.Tensor):
        if lr.numel() != 1 or lr.dtype.is_complex or lr.dtype == torch.bool:
            raise TypeError(
                f"param group {index}'s {key} must be a real number or a one-element real "
                f"tensor; received a tensor of shape {tuple(lr.shape)} and dtype {lr.dtype}"
            )
        value = lr.item()
        if peak is not None and value == torch.tensor(peak, dtype=lr.dtype).item():
            return peak
        lr = value
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(
            f"param group {index}'s {key} must be a real number; received {key}={lr!r} of type "
            f"{type(lr).__name__}"
        )
    value = float(lr)
    if not math.isfinite(value) or value < 0:
        raise ValueError(
            f"param group {index}'s {key} must be finite and >= 0; received {key}={value!r}"
        )
    return value


def _per_group(spec: Spec, peaks: list[float]) -> tuple[Value, ...]:
    """The schedule of each group: the spec's own, or the shape scaled to each group's peak."""
    if not isinstance(spec, Schedule):  # a composition or a list: followed exactly
        return _absolute(spec, len(peaks))
    return tuple(spec if p == spec.peak_lr else spec.with_peak(p) for p in peaks)
