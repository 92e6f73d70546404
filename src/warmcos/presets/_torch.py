"""PyTorch's ``torch.optim.lr_scheduler`` classes."""

# The presets mirror other libraries' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

import math

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Annotated, Any, Literal

from .._compose import MAX_ROWS
from ..compose import Composition, Segment
from ..schedule import MAX_STEPS
from ._core import _RESUME, Below, Preset
from ._kinds import (
    Cycles,
    DecayRate,
    Factor,
    Finite,
    IntLength,
    IntMultiplier,
    Items,
    Length,
    Positive,
    Rate,
    Real,
    Spec,
    Steps,
    Switch,
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
    return Composition.piecewise(*_multistep(lr, milestones, gamma))


def _multistep(lr: float, milestones: Sequence[int], gamma: float) -> tuple[list[int], list[float]]:
    """MultiStepLR's steps where the rate changes (> 0), and its value from each (one more)."""
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
    return boundaries, values


def _torch_exponential(
    lr: Rate, gamma: DecayRate, last_epoch: int = -1, *, horizon: Length
) -> Spec:
    formula = "lr * gamma ** horizon, the rate at the horizon,"
    return {"peak_lr": lr, "total_steps": horizon, **_exponential(lr, gamma, horizon, 1, formula)}


def _torch_constant(
    lr: Rate, factor: Factor = 1.0 / 3, total_iters: Steps = 5, last_epoch: int = -1
) -> Composition:
    low = lr * factor
    if not math.isfinite(1.0 / factor):
        raise ValueError(
            f"1 / factor must be finite (torch multiplies by it at total_iters); received {factor=}"
        )
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


#: OneCycleLR's pct_start: torch raises outside [0, 1].
Percent = Annotated[float, Real(0.0, 1.0, why="torch raises outside")]


def _torch_one_cycle(
    max_lr: Rate,
    total_steps: IntLength | None = None,
    epochs: IntLength | None = None,
    steps_per_epoch: IntLength | None = None,
    pct_start: Percent = 0.3,
    anneal_strategy: Literal["cos", "linear"] = "cos",
    cycle_momentum: Switch = True,
    base_momentum: Finite = 0.85,
    max_momentum: Finite = 0.95,
    div_factor: Positive = 25.0,
    final_div_factor: Positive = 1e4,
    three_phase: Switch = False,
    last_epoch: int = -1,
) -> Composition:
    initial = max_lr / div_factor
    lowest = initial / final_div_factor
    if not math.isfinite(lowest):
        raise ValueError(
            "max_lr / div_factor / final_div_factor, the rates torch starts and ends at, must be "
            f"finite; received {max_lr=}, {div_factor=}, {final_div_factor=}"
        )
    path = [initial, max_lr, initial, lowest] if three_phase else [initial, max_lr, lowest]
    total = _one_cycle_steps(total_steps, epochs, steps_per_epoch)
    return _one_cycle(total, pct_start, anneal_strategy, three_phase, path)


#: A momentum (or Adam's beta1): a composition's values are >= 0.
Momentum = Annotated[float, Real(0.0, why="a momentum, >= 0")]


def _torch_one_cycle_momentum(
    max_lr: Rate,
    total_steps: IntLength | None = None,
    epochs: IntLength | None = None,
    steps_per_epoch: IntLength | None = None,
    pct_start: Percent = 0.3,
    anneal_strategy: Literal["cos", "linear"] = "cos",
    cycle_momentum: bool = True,
    base_momentum: Momentum = 0.85,
    max_momentum: Momentum = 0.95,
    div_factor: Positive = 25.0,
    final_div_factor: Positive = 1e4,
    three_phase: Switch = False,
    last_epoch: int = -1,
) -> Composition:
    high, low = max_momentum, base_momentum
    path = [high, low, high, high] if three_phase else [high, low, high]
    total = _one_cycle_steps(total_steps, epochs, steps_per_epoch)
    return _one_cycle(total, pct_start, anneal_strategy, three_phase, path)


def _one_cycle_steps(total_steps: int | None, epochs: int | None, per_epoch: int | None) -> int:
    """OneCycleLR's ``total_steps``: given, or ``epochs * steps_per_epoch``."""
    if total_steps is not None:
        return total_steps
    if epochs is None or per_epoch is None:
        raise ValueError(
            "total_steps, or epochs and steps_per_epoch, must be given (torch raises); "
            f"received {total_steps=}, {epochs=}, steps_per_epoch={per_epoch}"
        )
    if epochs * per_epoch > MAX_STEPS:
        raise ValueError(
            "epochs * steps_per_epoch must be <= 2**63 - 1 (steps are 64-bit integers); "
            f"received {epochs=}, steps_per_epoch={per_epoch}"
        )
    return epochs * per_epoch


def _one_cycle(
    total_steps: int, pct_start: float, anneal_strategy: str, three_phase: bool, values: list[float]
) -> Composition:
    """OneCycleLR's phases through ``values`` (one more than the phases), as torch steps them."""
    # torch's phases, each from the previous one's end step (0 for the first) to its own, in
    # floats: step s belongs to the first phase whose end is >= s (the last one past them all)
    last = float(total_steps - 1)
    if three_phase:
        if pct_start > 0.5:
            raise ValueError(
                "pct_start must be <= 0.5 with three_phase=True: torch's second phase would "
                f"end after its third; received {pct_start=}"
            )
        ends = [float(pct_start * total_steps) - 1, float(2 * pct_start * total_steps) - 2, last]
    else:
        ends = [float(pct_start * total_steps) - 1, last]
    begins = [0.0, *ends[:-1]]
    # the phases that hold a step of 0 .. total_steps - 1: a first phase that ends below 0
    # holds none (the next one then starts before step 0), a last one of no length none
    active = [
        i
        for i in range(len(ends))
        if (ends[i] >= max(0.0, begins[i]) if i == 0 else ends[i] > max(-1.0, begins[i]))
        or (i == len(ends) - 1 and begins[i] < last)
    ]
    for i in active:
        if not ends[i] > begins[i]:  # a step s with s <= end == begin: torch divides 0 by 0
            raise ValueError(
                f"torch divides by zero at step {max(0, math.ceil(begins[i]))}: its phase {i} "
                f"from step {begins[i]!r} to step {ends[i]!r} has no length; received "
                f"{pct_start=}, {total_steps=}, {three_phase=}"
            )
    # the boundaries are torch's floats, exactly where the 64-bit clock holds their
    # denominators (powers of 2), else on the finest grid of 2**-k it holds: within 2**-62 of
    # the run's length, far below a float's resolution of the phases
    tick = Fraction(1, 2 ** ((2**62 // (total_steps + 8)).bit_length() - 1))
    origin = round(Fraction(begins[active[0]]) / tick) * tick
    shape = "cosine" if anneal_strategy == "cos" else "linear"
    segments, at = [], origin
    for i in active:
        end = max(round(Fraction(ends[i]) / tick) * tick, at + tick)
        segments.append(Segment(_exact(end - at), values[i], values[i + 1], shape))
        at = end
    # torch's last step is total_steps - 1; the preset holds the value there for one more
    segments.append(Segment(_exact(total_steps - at), values[active[-1] + 1]))
    return Composition(segments, offset=_exact(-origin))


#: triangular2's cycles: torch's ``2.0 ** (cycle - 1)`` overflows from the first step of
#: cycle 1025 on, and the preset's end is the first step of the cycle after its last.
_HALVINGS = 1023


def _torch_cyclic(
    base_lr: Rate,
    max_lr: Rate,
    step_size_up: Length = 2000,
    step_size_down: Length | None = None,
    mode: Literal["triangular", "triangular2", "exp_range"] = "triangular",
    gamma: DecayRate = 1.0,
    scale_fn: Any = None,
    scale_mode: Literal["cycle", "iterations"] = "cycle",
    cycle_momentum: Switch = True,
    base_momentum: Finite = 0.8,
    max_momentum: Finite = 0.9,
    last_epoch: int = -1,
    *,
    horizon: Length,
) -> Composition:
    down = step_size_up if step_size_down is None else step_size_down
    period = step_size_up + down
    cycles = -(-horizon // period)
    if 2 * cycles > MAX_ROWS or cycles * period > MAX_STEPS:
        raise ValueError(
            f"ceil(horizon / (step_size_up + step_size_down)) must be at most {MAX_ROWS // 2} "
            "cycles of at most 2**63 - 1 steps in all (a composition's rows); received "
            f"{horizon=}, {step_size_up=}, {step_size_down=}"
        )
    if mode == "exp_range" and gamma != 1 and base_lr != 0:
        raise ValueError(
            "mode='exp_range' with gamma != 1 needs base_lr=0: torch's rate is base_lr + a "
            "triangle times gamma ** step, a sum of a constant and a product, and a "
            f"composition multiplies but does not add; received {base_lr=}, {gamma=}"
        )
    if mode == "triangular2" and cycles > _HALVINGS:
        raise ValueError(
            f"mode='triangular2' runs at most {_HALVINGS} cycles: torch's 2.0 ** (cycle - 1) "
            "overflows (OverflowError) from the first step of cycle 1025; received "
            f"ceil(horizon / (step_size_up + step_size_down)) = {cycles} ({horizon=}, "
            f"{step_size_up=}, {step_size_down=})"
        )
    height = max_lr - base_lr
    # triangular2 halves the triangle's height every cycle: its cycles, one by one
    peaks = [base_lr + height * (1 / 2.0**c) for c in range(cycles if mode == "triangular2" else 1)]
    segments = [
        s for p in peaks for s in (Segment(step_size_up, base_lr, p), Segment(down, p, base_lr))
    ]
    cyclic = Composition(segments, repeat=1 if mode == "triangular2" else cycles)
    if mode != "exp_range" or gamma == 1:
        return cyclic
    formula = "gamma ** (the preset's total_steps), its factor at the end,"
    end = _exponential(1.0, gamma, cycles * period, 1, formula)
    return cyclic * Composition([Segment(cycles * period, 1.0, end["final_lr"], "exponential")])


def _exact(x: Fraction) -> int | str:
    """A rational as a composition reads it exactly: an int or ``"p/q"``."""
    return int(x) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


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
    "torch_one_cycle": Preset(
        "torch.optim.lr_scheduler:OneCycleLR",
        scaled=False,
        spec=_torch_one_cycle,
        unsupported={"last_epoch": _RESUME},
        doc="From ``max_lr / div_factor`` up to ``max_lr`` at step ``pct_start * total_steps "
        "- 1``, then down to ``max_lr / div_factor / final_div_factor`` at step "
        "``total_steps - 1`` (``three_phase``: down to ``max_lr / div_factor`` at step ``2 * "
        "pct_start * total_steps - 2`` first), ``anneal_strategy`` ``'cos'`` or ``'linear'``: "
        "torch's real-valued phase ends, kept as exact rationals. A first phase that ends "
        "before step 0 (``pct_start * total_steps < 1``) holds no step: the rate starts part-way "
        "down from ``max_lr``, as torch's does. torch's last step is ``total_steps - 1`` (past "
        "it torch extrapolates the last phase, then raises): the preset holds that rate from "
        "there. ``cycle_momentum``, ``base_momentum`` and ``max_momentum`` are the momentum (or "
        "beta1) torch cycles alongside the rate on the same phases, from ``max_momentum`` to "
        "``base_momentum`` and back: they do not change the rate, and the preset ignores them. "
        "Where torch divides by zero (a phase of no length that holds a step: ``pct_start * "
        "total_steps == 1``) the preset raises ``ValueError``.",
        equal_until="T-1",
    ),
    "torch_one_cycle_momentum": Preset(
        "torch.optim.lr_scheduler:OneCycleLR",
        scaled=False,
        spec=_torch_one_cycle_momentum,
        unsupported={
            "last_epoch": _RESUME,
            "cycle_momentum": "without it torch leaves the optimizer's momentum alone",
        },
        doc="The momentum (SGD's ``momentum``, or Adam's ``betas[0]``) that OneCycleLR sets "
        "beside the rate, on the same phases: from ``max_momentum`` down to "
        "``base_momentum`` while the rate rises, back up while it falls (``three_phase``: "
        "then held at ``max_momentum``). The rate's arguments are taken, and only the phases "
        "read. As ``torch_one_cycle``: torch's last step is ``total_steps - 1``, held after.",
        equal_until="T-1",
    ),
    "torch_cyclic": Preset(
        "torch.optim.lr_scheduler:CyclicLR",
        scaled=False,
        spec=_torch_cyclic,
        unsupported={"last_epoch": _RESUME, "scale_fn": "a Python function is not data"},
        doc="Triangles from ``base_lr`` up to ``max_lr`` over ``step_size_up`` steps and back "
        "over ``step_size_down`` (default: ``step_size_up``); ``mode='triangular2'`` halves "
        "the height every cycle, ``mode='exp_range'`` multiplies it by ``gamma ** step`` "
        "(with ``base_lr=0`` only: torch adds ``base_lr`` to that product, which a "
        "composition cannot write; ``ValueError`` otherwise). torch cycles forever; the "
        "preset runs ``ceil(horizon / (step_size_up + step_size_down))`` whole cycles (its "
        "``total_steps``; at most 50,000 cycles, 1,023 with triangular2, whose ``2.0 ** "
        "(cycle - 1)`` overflows in torch from cycle 1,025 on) and holds ``base_lr`` after. "
        "``scale_mode`` has no effect without ``scale_fn`` (torch sets it from ``mode``); "
        "``cycle_momentum``, ``base_momentum`` and ``max_momentum`` are the momentum torch "
        "cycles the other way on the same triangles: not the rate, ignored.",
        equal_until="T",
    ),
}
