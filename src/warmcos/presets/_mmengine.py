"""MMEngine's ``param_scheduler`` list (``LinearLR``, ``CosineAnnealingLR``, ``PolyLR``).

An MMEngine config schedules the learning rate with a list of scheduler dicts, each active
on its window ``[begin, end)``::

    param_scheduler = [
        dict(type="LinearLR", start_factor=0.001, by_epoch=False, begin=0, end=500),
        dict(type="CosineAnnealingLR", by_epoch=True, begin=1, end=12, convert_to_iter_based=True),
    ]

The runner builds them on one optimizer; its ``ParamSchedulerHook`` steps every
iteration-based scheduler (``by_epoch=False``) after each update and every epoch-based one
after each epoch's last update, and each scheduler's ``__init__`` runs its own first step.
So update ``k`` (0-based) uses the value after ``k`` iteration steps (``k // epoch_length``
epoch steps). A scheduler is chainable: inside its window it moves the optimizer's current
value by its own rule; outside it the value is left as it is (held after ``end``).
``convert_to_iter_based=True`` turns an epoch-based one into an iteration-based one with
``begin``, ``end`` and ``T_max`` times ``epoch_length`` (``len(train_dataloader)``).

The preset is the product of one factor per scheduler, each relative to the value its window
starts from, on the scheduler's own clock (iterations, or epochs: ``every=epoch_length``).
Windows must not overlap (in iterations): one after the other, the chained values are that
product.
"""

from __future__ import annotations

import itertools
import math

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Annotated, Any, NamedTuple

from ..compose import Composition, Segment
from ._core import Preset
from ._kinds import Configs, IntLength, Length, Positive, Rate, Ratio, Steps, Switch

#: MMEngine's ``INF``: the ``end`` of a scheduler given none.
INF = 10**9


class _Part(NamedTuple):
    """One scheduler, in its own units: its window, its kind and its arguments."""

    kind: str
    begin: int
    end: int
    by_epoch: bool
    convert: bool
    arguments: dict[str, Any]


def _window(begin: int, end: int) -> None:
    if not end > begin:
        raise ValueError(
            f"end must be > begin (MMEngine raises); received begin={begin}, end={end}"
        )


def _linear_lr(
    *,
    start_factor: Ratio = 1.0 / 3,
    end_factor: Ratio = 1.0,
    begin: Steps = 0,
    end: Length = INF,
    by_epoch: Switch = True,
    convert_to_iter_based: Switch = False,
) -> _Part:
    _window(begin, end)
    if start_factor == 0 and end - begin > 1:
        raise ValueError(
            "start_factor must be > 0 when end - begin > 1: MMEngine's second step divides by "
            f"its total_iters * start_factor; received start_factor={start_factor!r}, "
            f"begin={begin}, end={end}"
        )
    arguments = {"start_factor": start_factor, "end_factor": end_factor}
    return _Part("LinearLR", begin, end, by_epoch, convert_to_iter_based, arguments)


def _cosine_annealing_lr(
    *,
    T_max: Length | None = None,  # noqa: N803 - MMEngine's name
    eta_min: Rate | None = None,
    begin: Steps = 0,
    end: Length = INF,
    by_epoch: Switch = True,
    eta_min_ratio: Ratio | None = None,
    convert_to_iter_based: Switch = False,
) -> _Part:
    _window(begin, end)
    if eta_min is not None and eta_min_ratio is not None:
        raise ValueError(
            "eta_min and eta_min_ratio cannot both be given (MMEngine asserts); received "
            f"eta_min={eta_min!r}, eta_min_ratio={eta_min_ratio!r}"
        )
    arguments = {"T_max": T_max, "eta_min": eta_min, "eta_min_ratio": eta_min_ratio}
    return _Part("CosineAnnealingLR", begin, end, by_epoch, convert_to_iter_based, arguments)


def _poly_lr(
    *,
    eta_min: Rate = 0.0,
    power: Positive = 1.0,
    begin: Steps = 0,
    end: Length = INF,
    by_epoch: Switch = True,
    convert_to_iter_based: Switch = False,
) -> _Part:
    _window(begin, end)
    arguments = {"eta_min": eta_min, "power": power}
    return _Part("PolyLR", begin, end, by_epoch, convert_to_iter_based, arguments)


_SCHEDULERS: dict[str, Callable[..., _Part]] = {
    "LinearLR": _linear_lr,
    "CosineAnnealingLR": _cosine_annealing_lr,
    "PolyLR": _poly_lr,
}


#: MMEngine's ``param_scheduler``: dicts of ``type`` (a class name here) and its arguments
#: (``optimizer``, ``last_step`` and ``verbose`` are not configuration), checked by kind.
Schedulers = Configs(tuple(_SCHEDULERS.items()))


def _factor(
    part: _Part, at: float, lr: float, length: int, where: str
) -> tuple[Composition, float]:
    """The scheduler's factor, and the factor it holds after its window.

    Relative to ``at``, the value its window starts from, in its own units (``length`` of
    them in its window).
    """
    before = [Segment(part.begin, 1.0)] if part.begin else []
    args = part.arguments
    if part.kind == "LinearLR":
        # step j of total_iters = end - begin - 1: start_factor + (end - start) * j / total
        start, end = args["start_factor"], args["end_factor"]
        if length == 1:
            return Composition([*before, Segment(1, start)]), start
        return Composition([*before, Segment(length - 1, start, end)]), end
    floor = args["eta_min"] or 0.0  # CosineAnnealingLR: eta_min, else lr * eta_min_ratio
    if args.get("eta_min_ratio") is not None:
        floor = lr * args["eta_min_ratio"]
    if at == 0:
        if floor:
            raise ValueError(
                f"{where} ({part.kind}) starts from a learning rate of 0 and rises to its "
                f"floor {floor!r}: not supported yet (the preset scales each scheduler by the "
                "value its window starts from)"
            )
        return Composition([*before, Segment(1, 1.0)]), 1.0
    low = floor / at
    if low > 1 + 1e-12:  # (not its rounding: a floor equal to the start is a constant)
        raise ValueError(
            f"{where} ({part.kind}): its eta_min {floor!r} is above the value its window "
            f"starts from, {at!r}: MMEngine then rises to it, which is not supported yet"
        )
    low = min(low, 1.0)
    if part.kind == "PolyLR":
        # (value - eta_min) * (1 - j / total_iters) ** power + eta_min, j = 0 .. end - begin - 1
        if length == 1:
            return Composition([*before, Segment(1, 1.0)]), 1.0
        return Composition(
            [*before, Segment(length - 1, 1.0, low, "polynomial", args["power"])]
        ), low
    t_max = args["T_max"] or length
    if t_max < length:
        raise ValueError(
            f"{where} (CosineAnnealingLR): T_max={t_max} is shorter than its window, "
            f"end - begin = {length}: past T_max MMEngine's cosine rises again, which is not "
            "supported yet"
        )
    # eta_min + (start - eta_min) * (1 + cos(pi * j / T_max)) / 2 for j < end - begin, then
    # held at j = end - begin - 1 (never eta_min when T_max = end - begin): a clamp
    last = low + (1 - low) * (1 + math.cos(math.pi * (length - 1) / t_max)) / 2
    cosine = Composition([*before, Segment(t_max, 1.0, low, "cosine")])
    return cosine.clamp(last), last


def _param_scheduler(
    lr: Rate,
    param_scheduler: Annotated[Sequence[Any], Schedulers],
    epoch_length: IntLength | None = None,
) -> Composition:
    parts: list[_Part] = [part for _, part in param_scheduler]  # checked: (type, _Part)
    placed = []
    for i, given in enumerate(parts):
        part, where = given, f"param_scheduler[{i}]"
        units, length = 1, part.end - part.begin
        if part.by_epoch:
            if epoch_length is None:
                raise ValueError(
                    f"epoch_length must be given for {where}, by_epoch=True (MMEngine's "
                    "default): len(train_dataloader), the updates per epoch"
                )
            units = epoch_length
        elif part.convert:
            raise ValueError(
                f"{where}: convert_to_iter_based=True needs by_epoch=True (MMEngine asserts)"
            )
        if part.by_epoch and part.convert:  # build_iter_from_epoch
            end = part.end * units if part.end != INF else INF
            t_max = part.arguments.get("T_max")
            arguments = part.arguments | ({"T_max": t_max * units} if t_max else {})
            part = part._replace(begin=part.begin * units, end=end, arguments=arguments)
            units, length = 1, end - part.begin
        placed.append((part.begin * units, part.end * units, units, length, where, part))
    placed.sort(key=lambda p: p[0])
    for before, after in itertools.pairwise(placed):
        (high, first), (low, second) = before[1::3], (after[0], after[4])
        if low < high:
            raise ValueError(
                f"{first} and {second} overlap (their windows, in iterations, are "
                f"[..., {high}) and [{low}, ...)): overlapping MMEngine schedulers are not "
                "supported yet"
            )
    value = lr
    product = Composition([Segment(1, lr)])
    for _, _, units, length, where, part in placed:
        factor, held = _factor(part, value, lr, length, where)
        if units != 1:  # an epoch-based scheduler, stepped after each epoch's last update
            factor = factor.clocked(every=units, scale=Fraction(1, units))
        product = product * factor
        value *= held
    return product


#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "mmengine_param_scheduler": Preset(
        "mmengine.hooks.param_scheduler_hook:ParamSchedulerHook",
        scaled=True,
        spec=_param_scheduler,
        doc="MMEngine's ``param_scheduler`` list: dicts of ``type`` (``LinearLR``, "
        "``CosineAnnealingLR`` or ``PolyLR``) and the class's arguments (``begin``, ``end``, "
        "``by_epoch``, ``convert_to_iter_based``, ``start_factor``/``end_factor``, "
        "``T_max``/``eta_min``/``eta_min_ratio``, ``eta_min``/``power``), as a config "
        "writes them; ``epoch_length`` is ``len(train_dataloader)``, needed where a "
        "scheduler is epoch-based. Update ``k`` uses the value after ``k`` runner steps "
        "(ParamSchedulerHook steps iteration-based schedulers after each update, epoch-based "
        "ones after each epoch). ``LinearLR`` reaches ``end_factor`` and ``PolyLR`` its "
        "``eta_min`` at ``end - 1``; ``CosineAnnealingLR`` with ``T_max = end - begin`` (its "
        "default) stops one step short of ``eta_min`` and holds the value of ``end - 1``; "
        "after every window the value is held. The windows must not overlap, a cosine's "
        "``T_max`` must be at least ``end - begin``, and ``end`` is ``INF`` (``1e9``) where "
        "not given (the runner sets it to ``max_iters``/``max_epochs``: give it).",
    ),
}
