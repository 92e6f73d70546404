"""PyTorch's ``SequentialLR`` and ``ChainedScheduler`` over the schedulers that have presets.

Each scheduler is a ``(class name, keyword arguments)`` pair, its arguments checked as its own
preset checks them, and written as the segments it runs on its span of steps: one after the
other for ``SequentialLR`` (each from its own step 0, as torch restarts it there), multiplied
for ``ChainedScheduler`` (torch multiplies the rate by each one's ratio every step).
"""

from __future__ import annotations

import inspect
import reprlib

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from .._compose import MAX_ROWS
from ..compose import Composition, Segment
from ._core import _RESUME, Preset, _is_default, _kinds
from ._kinds import Items, Length, Rate, Steps, _check
from ._shared import _exponential
from ._torch import PRESETS as _TORCH
from ._torch import _multistep


def _step(a: dict[str, Any], span: int) -> list[Segment]:
    step_size, gamma, value = a["step_size"], a["gamma"], a["lr"]
    if -(-span // step_size) > MAX_ROWS:
        raise ValueError(
            f"StepLR decays {-(-span // step_size)} times on its {span} steps: more than a "
            f"composition's {MAX_ROWS} rows"
        )
    segments = []
    for begin in range(0, span, step_size):
        segments.append(Segment(min(step_size, span - begin), value))
        value *= gamma  # torch's product, carried from one decay to the next
    return segments


def _multi_step(a: dict[str, Any], span: int) -> list[Segment]:
    boundaries, values = _multistep(a["lr"], a["milestones"], a["gamma"])
    edges = [0, *(b for b in boundaries if b < span), span]
    return [Segment(edges[i + 1] - edges[i], values[i]) for i in range(len(edges) - 1)]


def _exponential_lr(a: dict[str, Any], span: int) -> list[Segment]:
    end = _exponential(a["lr"], a["gamma"], span, 1, "lr * gamma ** (its span of steps)")
    return [Segment(span, a["lr"], end["final_lr"], end["decay_shape"])]


def _constant(a: dict[str, Any], span: int) -> list[Segment]:
    low, iters = a["lr"] * a["factor"], a["total_iters"]
    if iters == 0 or span <= iters:  # total_iters=0: torch keeps the factor (see ConstantLR)
        return [Segment(span, low)]
    return [Segment(iters, low), Segment(span - iters, low * (1.0 / a["factor"]))]


def _linear(a: dict[str, Any], span: int) -> list[Segment]:
    start, end, iters = a["lr"] * a["start_factor"], a["lr"] * a["end_factor"], a["total_iters"]
    if iters == 0 or start == end:
        return [Segment(span, start)]
    if span < iters:  # cut on its way: a line is a line
        return [Segment(span, start, start + (end - start) * span / iters)]
    return [Segment(iters, start, end), *([Segment(span - iters, end)] if span > iters else [])]


def _cosine(a: dict[str, Any], span: int) -> list[Segment]:
    if span != a["T_max"]:
        raise ValueError(
            f"CosineAnnealingLR runs {span} steps here: it must run exactly T_max={a['T_max']} "
            "(a cosine cut part-way, or rising again past T_max, is not a composition's shape)"
        )
    return [Segment(span, a["lr"], a["eta_min"], "cosine")]


def _polynomial(a: dict[str, Any], span: int) -> list[Segment]:
    iters = a["total_iters"]
    if iters == 0:
        return [Segment(span, a["lr"])]
    if span < iters:
        raise ValueError(
            f"PolynomialLR runs {span} steps here: it must run at least total_iters={iters} "
            "(a polynomial cut part-way is not a composition's shape)"
        )
    tail = [Segment(span - iters, 0.0)] if span > iters else []
    return [Segment(iters, a["lr"], 0.0, "polynomial", a["power"]), *tail]


#: The schedulers these presets take: torch's class name -> (its preset, its segments on a span).
_SCHEDULERS: dict[str, tuple[str, Callable[[dict[str, Any], int], list[Segment]]]] = {
    "StepLR": ("torch_step", _step),
    "MultiStepLR": ("torch_multistep", _multi_step),
    "ExponentialLR": ("torch_exponential", _exponential_lr),
    "ConstantLR": ("torch_constant", _constant),
    "LinearLR": ("torch_linear", _linear),
    "CosineAnnealingLR": ("torch_cosine_annealing", _cosine),
    "PolynomialLR": ("torch_polynomial", _polynomial),
}


@dataclass(frozen=True)
class _Scheduler:
    """A ``(class name, keyword arguments)`` pair naming a scheduler that has a preset."""

    def check(self, value: object, name: str) -> tuple[str, dict[str, Any]]:
        """The pair, or ``TypeError``/``ValueError`` naming ``name``."""
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
            raise TypeError(
                f"{name} must be a (class name, keyword arguments) pair; received "
                f"{reprlib.repr(value)}"
            )
        cls, kwargs = value
        if not isinstance(cls, str) or cls not in _SCHEDULERS:
            raise ValueError(
                f"{name}[0] must be one of {', '.join(map(repr, _SCHEDULERS))}; received "
                f"{reprlib.repr(cls)}"
            )
        if not isinstance(kwargs, Mapping) or not all(isinstance(k, str) for k in kwargs):
            raise TypeError(
                f"{name}[1] must be a dict of {cls}'s keyword arguments; received "
                f"{reprlib.repr(kwargs)}"
            )
        return cls, dict(kwargs)


Schedulers = Annotated[
    Sequence[Annotated[tuple[str, dict[str, Any]], _Scheduler()]],
    Items(1, 1000, "schedulers: (class name, keyword arguments) pairs"),
]
Milestones = Annotated[Sequence[Steps], Items(0, 999, "steps (where the next scheduler starts)")]


def _segments(
    lr: float,
    pair: tuple[str, dict[str, Any]],
    span: int,
    where: str,
    *,
    switched: bool = False,
    last: bool = False,
) -> list[Segment]:
    """The scheduler's segments on its ``span`` steps, its arguments checked as its preset's.

    ``switched``: SequentialLR starts it at a milestone, with its closed form at step 0
    (the first one runs its own first step, as a scheduler alone or chained does).
    ``last``: nothing follows it, so a cosine or a polynomial longer than ``span`` is not
    cut: it runs to its own end.
    """
    cls, kwargs = pair
    name, segments = _SCHEDULERS[cls]
    if "horizon" in kwargs:
        raise TypeError(
            f"{where}: {cls} takes no horizon here (milestones and horizon set its steps)"
        )
    preset = _TORCH[name]
    try:
        bound = inspect.signature(preset.spec).bind_partial(lr, **kwargs)
    except TypeError as error:
        raise TypeError(f"{where}: {cls}: {error}") from None
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    arguments.pop("horizon", None)  # its span: set by the milestones and the horizon
    defaults = inspect.signature(preset.spec).parameters
    for argument, reason in preset.unsupported.items():
        if not _is_default(arguments[argument], defaults[argument].default):
            raise ValueError(f"{where}: {cls}: {argument} is not supported ({reason})")
    for argument, hint in _kinds(name, preset).items():
        if argument == "horizon":
            continue
        if argument not in arguments:
            raise TypeError(f"{where}: {cls} is missing its argument {argument!r}")
        arguments[argument] = _check(hint, arguments[argument], f"{where}[1][{argument!r}]")
    for rule in preset.rules:
        rule.check(arguments)
    if (
        switched
        and cls in {"LinearLR", "PolynomialLR", "ConstantLR"}
        and not arguments["total_iters"]
    ):
        if cls != "ConstantLR":
            raise ValueError(
                f"{where}: {cls} with total_iters=0 after a milestone: torch's closed form, "
                "which SequentialLR starts it with there, divides by zero"
            )
        # the closed form at step 0 is lr * (factor + (1 - factor)), which torch then keeps
        factor = arguments["factor"]
        return [Segment(span, lr * (factor + (1 - factor)))]
    natural = {"CosineAnnealingLR": "T_max", "PolynomialLR": "total_iters"}.get(cls)
    if last and natural is not None:
        span = max(span, arguments[natural])
    try:
        return segments(arguments, span)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


def _torch_sequential(
    lr: Rate,
    schedulers: Schedulers,
    milestones: Milestones,
    last_epoch: int = -1,
    *,
    horizon: Length,
) -> Composition:
    if len(milestones) != len(schedulers) - 1:
        raise ValueError(
            "milestones must hold one step fewer than schedulers (torch raises); received "
            f"{len(schedulers)} schedulers and milestones={milestones!r}"
        )
    edges = [0, *milestones, horizon]
    for i in range(len(edges) - 1):
        if edges[i + 1] < edges[i]:
            which = f"milestones[{i}]" if i < len(milestones) else "horizon"
            raise ValueError(
                f"milestones must not decrease and horizon must be >= the last: {which} is "
                f"below the step before it; received milestones={milestones!r}, {horizon=}"
            )
    segments: list[Segment] = []
    for i, pair in enumerate(schedulers):
        if edges[i + 1] > edges[i]:  # a scheduler between two equal milestones never runs
            span, where = edges[i + 1] - edges[i], f"schedulers[{i}]"
            last = edges[i + 1] == horizon
            segments += _segments(lr, pair, span, where, switched=bool(segments), last=last)
    return Composition(segments)


def _torch_chained(
    lr: Rate, schedulers: Schedulers, optimizer: None = None, *, horizon: Length
) -> Composition:
    parts = []
    for i, pair in enumerate(schedulers):
        if pair[0] == "CosineAnnealingLR" and pair[1].get("eta_min", 0.0) != 0:
            raise ValueError(
                f"schedulers[{i}]: CosineAnnealingLR with eta_min != 0 steps towards eta_min, "
                "not by a ratio, so torch's chain is not a product of the schedulers; received "
                f"eta_min={pair[1]['eta_min']!r}"
            )
        parts.append(
            Composition(_segments(lr if i == 0 else 1.0, pair, horizon, f"schedulers[{i}]"))
        )
    product = parts[0]
    for part in parts[1:]:
        product = product * part
    return product


_HORIZON = (
    "torch runs on; the preset ends at ``horizon`` (its ``total_steps``, the number of updates "
    "it is compared on) and holds its value there after it."
)

#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "torch_sequential": Preset(
        "torch.optim.lr_scheduler:SequentialLR",
        scaled=True,
        spec=_torch_sequential,
        unsupported={"last_epoch": _RESUME},
        doc="``schedulers`` one after the other, each a ``(class name, keyword arguments)`` "
        "pair (" + ", ".join(_SCHEDULERS) + "; the arguments as their presets take them, "
        "without ``lr``): scheduler ``i + 1`` starts at ``milestones[i]`` from its own step 0, "
        "as torch restarts it there. A scheduler cut by a milestone must be cut where its "
        "shape allows (a line anywhere, a cosine exactly at ``T_max``, a polynomial after "
        "``total_iters``). " + _HORIZON + " A last cosine or polynomial that ends after "
        "``horizon`` is not cut: the preset then ends where it ends.",
        equal_until="T-1",
    ),
    "torch_chained": Preset(
        "torch.optim.lr_scheduler:ChainedScheduler",
        scaled=True,
        spec=_torch_chained,
        unsupported={"optimizer": "the preset takes lr, the optimizer's learning rate"},
        doc="The product of ``schedulers`` (pairs as ``torch_sequential`` takes them): torch "
        "multiplies the rate by each one's ratio every step, all from step 0 (a "
        "``CosineAnnealingLR`` needs ``eta_min=0``: it steps towards ``eta_min``, not by a "
        "ratio). " + _HORIZON,
        equal_until="T-1",
    ),
}
