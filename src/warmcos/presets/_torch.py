"""PyTorch's ``torch.optim.lr_scheduler`` classes."""

# The presets mirror other libraries' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from .._compose import MAX_ROWS
from ..compose import Composition, Segment
from ..schedule import MAX_STEPS
from ._core import _RESUME, Below, Preset
from ._kinds import (
    Cycles,
    DecayRate,
    Factor,
    IntLength,
    IntMultiplier,
    Items,
    Length,
    Positive,
    Rate,
    Real,
    Spec,
    Steps,
)
from ._shared import _exponential, _geometric_cycles, _restarts

#: SequentialLR's milestones for two schedulers: one step.
Milestone = Annotated[
    Sequence[Steps], Items(1, 1, "step (LinearLR, then CosineAnnealingLR from that step)")
]


def _torch_linear_then_cosine(
    lr: Rate,
    T_max: Length,  # noqa: N803 - torch's name
    milestones: Milestone | None = None,
    start_factor: Factor = 1.0 / 3,
    end_factor: float = 1.0,
    total_iters: Steps = 5,
    eta_min: Rate = 0.0,
) -> Spec:
    milestone = total_iters if milestones is None else milestones[0]
    if milestone < total_iters:
        raise ValueError(
            "milestones[0] must be >= total_iters: SequentialLR would cut LinearLR short and "
            f"jump to lr at the milestone; received milestones={milestones!r}, {total_iters=}"
        )
    if milestone + T_max > MAX_STEPS:
        raise ValueError(
            "milestones[0] + T_max must be <= 2**63 - 1 (steps are 64-bit integers); received "
            f"milestones={milestones!r}, {total_iters=}, {T_max=}"
        )
    return {
        "peak_lr": lr,
        "total_steps": milestone + T_max,
        "warmup_steps": total_iters,
        "warmup_start_lr": lr * start_factor,
        "stable_steps": milestone - total_iters,  # LinearLR holds end_factor until then
        "final_lr": eta_min,
        "after": "wrap",
    }


#: torch's cosines go down from lr to eta_min.
_ETA_MIN = Below(("eta_min",), "lr", "the cosine goes down from lr to eta_min", strict=False)


def _torch_cosine(lr: Rate, T_max: Length, eta_min: Rate = 0.0, last_epoch: int = -1) -> Spec:  # noqa: N803
    return {"peak_lr": lr, "total_steps": T_max, "final_lr": eta_min, "after": "wrap"}


def _torch_warm_restarts(
    lr: Rate,
    T_0: IntLength,  # noqa: N803 - torch's name
    T_mult: IntMultiplier = 1,  # noqa: N803
    eta_min: Rate = 0.0,
    last_epoch: int = -1,
    *,
    cycles: Cycles,
) -> Spec:
    total, _ = _geometric_cycles(T_0, T_mult, cycles, ("T_0", "T_mult", "cycles"))
    return {
        "peak_lr": lr,
        "total_steps": total,
        "final_lr": eta_min,
        **_restarts(cycles, cycle_mul=float(T_mult)),
    }


def _torch_polynomial(
    lr: Rate, total_iters: Steps = 5, power: Positive = 1.0, last_epoch: int = -1
) -> Spec:
    if total_iters == 0:  # torch keeps lr: its factor is 1 at step 0 and past total_iters
        return {"peak_lr": lr, "total_steps": 1, "decay_shape": "constant"}
    return {
        "peak_lr": lr,
        "total_steps": total_iters,
        "decay_shape": "polynomial",
        "power": power,
    }


def _torch_step(
    lr: Rate,
    step_size: Length,
    gamma: DecayRate = 0.1,
    last_epoch: int = -1,
    *,
    horizon: Length,
) -> Composition:
    # lr * gamma ** (step // step_size): a geometric decay on a clock that moves every
    # step_size steps, up to the first decay at or after the horizon
    decays = -(-horizon // step_size)
    if decays * step_size > MAX_STEPS:
        raise ValueError(
            "step_size * ceil(horizon / step_size) must be <= 2**63 - 1 (steps are 64-bit "
            f"integers); received {step_size=}, {horizon=}"
        )
    formula = "lr * gamma ** ceil(horizon / step_size), the rate at the preset's end,"
    end = _exponential(lr, gamma, decays, 1, formula)
    segment = Segment(decays * step_size, lr, end["final_lr"], end["decay_shape"])
    return Composition([segment], every=step_size)


#: MultiStepLR's milestones: steps, in any order, repeats multiplying gamma again.
Milestones = Annotated[
    Sequence[Steps], Items(0, MAX_ROWS - 1, "steps (where the rate is multiplied by gamma)")
]


def _torch_multistep(
    lr: Rate, milestones: Milestones, gamma: DecayRate = 0.1, last_epoch: int = -1
) -> Composition:
    # torch multiplies the rate by gamma ** (times the step is a milestone) at each
    # milestone, in float64, the product carried from one milestone to the next: so here
    counts: dict[int, int] = {}
    for milestone in milestones:
        counts[milestone] = counts.get(milestone, 0) + 1
    value = lr * gamma ** counts.pop(0, 0)  # a milestone 0 applies at step 0
    boundaries, values = sorted(counts), [value]
    for milestone in boundaries:
        value *= gamma ** counts[milestone]
        values.append(value)
    return Composition.piecewise(boundaries, values)


def _torch_exponential(
    lr: Rate, gamma: DecayRate, last_epoch: int = -1, *, horizon: Length
) -> Spec:
    formula = "lr * gamma ** horizon, the rate at the horizon,"
    return {"peak_lr": lr, "total_steps": horizon, **_exponential(lr, gamma, horizon, 1, formula)}


def _torch_constant(
    lr: Rate, factor: Factor = 1.0 / 3, total_iters: Steps = 5, last_epoch: int = -1
) -> Composition:
    low = lr * factor
    if total_iters == 0:  # torch scales by factor at step 0 and never sees step 0 again
        return Composition([Segment(1, low)])
    # torch undoes the factor by multiplying by its inverse: not always lr to the last bit
    return Composition.piecewise([total_iters], [low, low * (1.0 / factor)])


#: LinearLR's end_factor: torch raises outside [0, 1].
EndFactor = Annotated[float, Real(0.0, 1.0, why="torch raises outside")]


def _torch_linear(
    lr: Rate,
    start_factor: Factor = 1.0 / 3,
    end_factor: EndFactor = 1.0,
    total_iters: Steps = 5,
    last_epoch: int = -1,
) -> Spec:
    start, end = lr * start_factor, lr * end_factor
    if total_iters == 0 or start == end:  # torch never leaves start_factor with 0 iterations
        return {"peak_lr": start, "total_steps": 1, "decay_shape": "constant"}
    if end < start:
        return {
            "peak_lr": start,
            "total_steps": total_iters,
            "final_lr": end,
            "decay_shape": "linear",
        }
    return {
        "peak_lr": end,
        "total_steps": total_iters + 1,
        "warmup_steps": total_iters,
        "warmup_start_lr": start,
        "decay_shape": "constant",
    }


def _scheduler(cls: str, spec: Callable[..., Spec | Composition], doc: str, **extra: Any) -> Preset:
    """``torch.optim.lr_scheduler.<cls>``: it scales ``lr``; ``last_epoch`` is resume state."""
    return Preset(
        f"torch.optim.lr_scheduler:{cls}",
        scaled=True,
        spec=spec,
        unsupported={"last_epoch": _RESUME},
        doc=doc,
        **extra,
    )


#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "torch_linear_then_cosine": Preset(
        "torch.optim.lr_scheduler:SequentialLR",
        scaled=True,
        spec=_torch_linear_then_cosine,
        unsupported={
            "end_factor": "SequentialLR's cosine restarts from lr at the milestone, "
            "so a warmup that ends below it jumps there"
        },
        rules=(_ETA_MIN,),
        doc="``SequentialLR([LinearLR(start_factor, end_factor, total_iters), "
        "CosineAnnealingLR(T_max, eta_min)], milestones)`` (default milestones: "
        "``[total_iters]``). The cosine rises again past its end, like torch's.",
    ),
    "torch_cosine_annealing": Preset(
        "torch.optim.lr_scheduler:CosineAnnealingLR",
        scaled=True,
        spec=_torch_cosine,
        unsupported={"last_epoch": _RESUME},
        rules=(_ETA_MIN,),
        doc="Cosine from ``lr`` to ``eta_min`` at ``T_max``, rising again after it.",
    ),
    "torch_cosine_warm_restarts": Preset(
        "torch.optim.lr_scheduler:CosineAnnealingWarmRestarts",
        scaled=True,
        spec=_torch_warm_restarts,
        unsupported={"last_epoch": _RESUME},
        rules=(_ETA_MIN,),
        doc="Cosines of ``T_0 * T_mult ** i`` steps from ``lr`` to ``eta_min``. torch restarts "
        "forever; the preset has ``cycles`` of them and holds ``eta_min`` after, so it equals "
        "torch on the steps before its end (at the end torch restarts).",
        equal_until="T-1",
    ),
    "torch_polynomial": Preset(
        "torch.optim.lr_scheduler:PolynomialLR",
        scaled=True,
        spec=_torch_polynomial,
        unsupported={"last_epoch": _RESUME},
        doc="``lr * (1 - step / total_iters) ** power``, then 0.",
    ),
    "torch_step": _scheduler(
        "StepLR",
        _torch_step,
        "``lr * gamma ** (step // step_size)``: a geometric decay on a clock that moves "
        "every ``step_size`` steps. torch decays forever; the preset ends at the first decay "
        "at or after ``horizon`` (``step_size * ceil(horizon / step_size)``, its "
        "``total_steps``) and holds that rate after it.",
        equal_until="T",
    ),
    "torch_multistep": _scheduler(
        "MultiStepLR",
        _torch_multistep,
        "``lr``, multiplied by ``gamma`` at each milestone (by ``gamma ** k`` at a step "
        "given ``k`` times; a milestone 0 applies from step 0), the product carried in "
        "float64 as torch does. The rate after the last milestone holds forever, as torch's.",
    ),
    "torch_exponential": _scheduler(
        "ExponentialLR",
        _torch_exponential,
        "``lr * gamma ** step``. torch decays forever; the preset ends at ``horizon`` (its "
        "``total_steps``) and holds that rate after it.",
        equal_until="T",
    ),
    "torch_constant": _scheduler(
        "ConstantLR",
        _torch_constant,
        "``lr * factor`` before step ``total_iters``, then ``lr * factor * (1 / factor)`` "
        "(torch's float64 product: ``lr`` to within an ulp) forever. ``total_iters=0`` holds "
        "``lr * factor`` forever, as torch does (it applies the factor at step 0 and never "
        "undoes it).",
    ),
    "torch_linear": _scheduler(
        "LinearLR",
        _torch_linear,
        "Linear from ``lr * start_factor`` at step 0 to ``lr * end_factor`` at step "
        "``total_iters``, then held forever (a warmup when it rises, a decay when it falls). "
        "``total_iters=0`` holds ``lr * start_factor`` forever, as torch does.",
    ),
}
