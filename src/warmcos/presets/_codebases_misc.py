"""More training codebases' schedules (OLMo, latent-diffusion, guided-diffusion, Paddle).

Each read from a pinned commit.

As in ``_codebases``: each maps a training script's own schedule, with the script's own names,
onto a Composition, its step convention included: the value optimizer update k (0-based) uses
in that script's loop.
"""

# The presets mirror the codebases' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

import itertools

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

from ..compose import Composition, Segment
from ..schedule import Schedule
from ._core import _RESUME, Below, Codebase, Preset
from ._join import _Piece, join
from ._kinds import (
    Cycles,
    DecayRate,
    IntLength,
    Items,
    Length,
    Positive,
    Rate,
    Ratio,
    Real,
    Spec,
    Steps,
    Switch,
)
from ._shared import _polynomial
from ._tensorflow import _keras_polynomial_cycle
from ._torch import _multistep, _one_cycle, _torch_cosine, _torch_exponential, _torch_step

#: The commits the presets were read from (and their golden data produced by).
_OLMO = "59a53e3f68e546330ca5a99ec626e58f9ab96494"
_LDM = "a506df5756472e2ebaf9078affdde2c4f1502cd4"
_GUIDED = "22e0df8183507e13a7813f8d38d51b072ca1e67c"
#: paddlepaddle 3.3.1's ``paddle.version.commit`` (its golden data come from that wheel).
_PADDLE = "7688495538f4d6c1893f084dd238a402e8f68ab6"

_OLMO_SCHEDULERS = Literal[
    "cosine_with_warmup",
    "linear_with_warmup",
    "inverse_sqrt_with_warmup",
    "constant",
    "constant_with_warmup",
]


def _olmo(
    learning_rate: Rate,
    max_duration: Length,
    name: _OLMO_SCHEDULERS = "cosine_with_warmup",
    *,
    t_warmup: Steps = 100,
    t_max: Length | None = None,
    alpha_f: Ratio = 0.1,
    warmup_min_lr: Rate | None = None,
) -> Composition:
    lr, w = learning_rate, t_warmup if name != "constant" else 0
    end = max_duration if t_max is None else t_max  # get_lr's max_steps
    eta_min = lr * alpha_f
    start = lr * 0.1 if warmup_min_lr is None else warmup_min_lr
    if w and not 0 <= start < lr:  # _linear_warmup: assert 0 <= warmup_min_lr < initial_lr
        raise ValueError(
            "warmup_min_lr must be < learning_rate (OLMo's _linear_warmup asserts it); received "
            f"{warmup_min_lr=}, {learning_rate=}"
        )
    # written in OLMo's step s, then clocked by one: update k uses s = k + 1
    segments = [Segment(w, start, lr)] if w else []  # min(s, W) / W of the way
    if name in ("cosine_with_warmup", "linear_with_warmup"):  # eta_min from max_steps on
        shape = "cosine" if name == "cosine_with_warmup" else "linear"
        segments.append(Segment(end - w, lr, eta_min, shape) if w < end else Segment(1, eta_min))
    elif name == "inverse_sqrt_with_warmup":  # lr * sqrt(W / max(W, s)), s >= W, no end
        if not w:
            raise ValueError(
                "t_warmup must be >= 1 for inverse_sqrt_with_warmup (OLMo's sqrt(t_warmup / "
                f"max(t_warmup, step)) is 0 from update 0 on); received {t_warmup=}"
            )
        length = max(max_duration, w) - w + 1  # to the last update's s = max_duration
        segments.append(Segment(length, lr, 0.0, "inverse_sqrt", timescale=w))
    else:  # constant, constant_with_warmup: learning_rate from t_warmup on
        segments.append(Segment(1 if w else 2, lr))  # (the clock's offset needs 2 steps)
    return Composition(segments).clocked(offset=1)


def _ldm_cosine(
    lr: Rate,
    warm_up_steps: Steps,
    lr_min: Rate,
    lr_max: Rate,
    lr_start: Rate,
    max_decay_steps: Length,
    verbosity_interval: Steps = 0,  # only prints
) -> Composition:
    w, d = warm_up_steps, max_decay_steps
    if not w < d:
        raise ValueError(
            "warm_up_steps must be < max_decay_steps (latent-diffusion divides by "
            f"max_decay_steps - warm_up_steps); received {warm_up_steps=}, {max_decay_steps=}"
        )
    # (lr_max - lr_start) / W * n + lr_start, then the cosine to lr_min at n = D, held after
    warmup = [Segment(w, lr * lr_start, lr * lr_max)] if w else []
    return Composition([*warmup, Segment(d - w, lr * lr_max, lr * lr_min, "cosine")])


#: A per-cycle list of latent-diffusion's multipliers (``f_min``, ``f_max``, ``f_start``).
_Factors = Annotated[Sequence[Rate], Items(1, 1000, "multipliers, one per cycle")]
_Counts = Annotated[Sequence[Steps], Items(1, 1000, "steps, one per cycle")]
_Cycles = Annotated[Sequence[Length], Items(1, 1000, "cycle lengths")]


def _ldm_cycles(shape: Literal["cosine", "linear"]) -> Callable[..., Composition]:
    """``LambdaWarmUpCosineScheduler2`` (``shape="cosine"``) or ``LambdaLinearScheduler``."""

    def spec(
        lr: Rate,
        warm_up_steps: _Counts,
        f_min: _Factors,
        f_max: _Factors,
        f_start: _Factors,
        cycle_lengths: _Cycles,
        verbosity_interval: Steps = 0,  # only prints
    ) -> Composition:
        lists = (warm_up_steps, f_min, f_max, f_start, cycle_lengths)
        if len({len(v) for v in lists}) != 1:
            raise ValueError(
                "warm_up_steps, f_min, f_max, f_start and cycle_lengths must have one item per "
                f"cycle (latent-diffusion asserts it); received {warm_up_steps=}, {f_min=}, "
                f"{f_max=}, {f_start=}, {cycle_lengths=}"
            )
        segments: list[Segment] = []
        for i, (w, low, top, first, length) in enumerate(zip(*lists, strict=True)):
            # find_in_interval puts n = cum[i + 1] in cycle i (its local n = length): the later
            # cycles start at their local step 1, after the previous one's end value
            start = 1 if i else 0
            if not (start <= w if shape == "cosine" else start < length) or not w < length:
                raise ValueError(
                    f"warm_up_steps[{i}] must be < cycle_lengths[{i}]"
                    + (", and >= 1 after the first cycle" if shape == "cosine" else "")
                    + " (latent-diffusion divides by cycle_lengths - warm_up_steps, and its "
                    "later cycles start at their step 1, a warmcos segment at the start of "
                    f"its own); received {warm_up_steps=}, {cycle_lengths=}"
                )
            if i:  # the previous cycle's f_min, at its step cycle_lengths
                segments.append(Segment(1, lr * f_min[i - 1]))
            if w > start:  # (f_max - f_start) / W * n + f_start
                warm = first + (top - first) / w * start
                segments.append(Segment(w - start, lr * warm, lr * top))
            decay_from = max(w, start)
            if shape == "cosine":
                segments.append(Segment(length - w, lr * top, lr * low, "cosine"))
            else:  # f_min + (f_max - f_min) * (L - n) / L: linear in n, f_min at n = L
                high = low + (top - low) * (length - decay_from) / length
                segments.append(Segment(length - decay_from, lr * high, lr * low))
        # past sum(cycle_lengths) find_in_interval returns None and schedule raises TypeError
        return Composition(segments, after="raise")

    return spec


def _ldm(anchor: str, spec: Callable[..., Composition], doc: str) -> Preset:
    return Preset(
        f"ldm/lr_scheduler.py:{anchor}",
        scaled=True,
        spec=spec,
        doc=doc,
        codebase=Codebase("CompVis/latent-diffusion", _LDM, "ldm/lr_scheduler.py"),
    )


_LDM_LOOP = (
    "(its ``scheduler_config.params``; ``lr`` is the model's ``learning_rate``, "
    "``base_learning_rate`` times the batch size, GPUs and accumulation when ``main.py`` "
    "scales it). ``configure_optimizers`` wraps its ``schedule`` in ``LambdaLR`` with "
    "``interval: step``: Lightning steps it after each optimizer update, so update ``k`` "
    "uses ``lr * schedule(k)``, from 0"
)


def _guided_diffusion(lr: Rate, lr_anneal_steps: Steps = 0, resume_step: Steps = 0) -> Composition:
    n, r = lr_anneal_steps, resume_step
    if not n:  # _anneal_lr returns at once: lr at every update
        return Composition([Segment(1, lr)])
    if not r < n:
        raise ValueError(
            "resume_step must be < lr_anneal_steps (guided-diffusion's loop runs while step + "
            f"resume_step < lr_anneal_steps); received {resume_step=}, {lr_anneal_steps=}"
        )
    # update 0: the optimizer's lr (lr, or the checkpoint's lr * (1 - r / n)); _anneal_lr
    # after update k sets lr * (1 - (k + r) / n) for update k + 1: linear, 0 at k = n - r + 1
    top = lr * (1 - r / n)
    return Composition([Segment(1, top), Segment(n - r, top, 0.0)])


# -- PaddlePaddle's paddle.optimizer.lr: the same formulas as torch's and Keras', its names --


def _paddle_cosine(
    learning_rate: Rate,
    T_max: IntLength,  # noqa: N803 - Paddle's name
    eta_min: Rate = 0.0,
    last_epoch: int = -1,
    verbose: Switch = False,
) -> Spec:
    return _torch_cosine(learning_rate, T_max, eta_min)  # its recursive form, torch's


def _paddle_step(
    learning_rate: Rate,
    step_size: IntLength,
    gamma: DecayRate = 0.1,
    last_epoch: int = -1,
    verbose: Switch = False,
    *,
    horizon: Length,
) -> Composition:
    return _torch_step(learning_rate, step_size, gamma, horizon=horizon)


_PaddleMilestones = Annotated[Sequence[Steps], Items(1, 1000, "steps (increasing milestones)")]


def _paddle_multistep(
    learning_rate: Rate,
    milestones: _PaddleMilestones,
    gamma: DecayRate = 0.1,
    last_epoch: int = -1,
    verbose: Switch = False,
) -> Composition:
    if any(b <= a for a, b in itertools.pairwise(milestones)):
        raise ValueError(f"milestones must increase (Paddle raises); received {milestones=}")
    return Composition.piecewise(*_multistep(learning_rate, milestones, gamma))


def _paddle_exponential(
    learning_rate: Rate,
    gamma: DecayRate,
    last_epoch: int = -1,
    verbose: Switch = False,
    *,
    horizon: Length,
) -> Spec:
    return _torch_exponential(learning_rate, gamma, horizon=horizon)


def _paddle_polynomial(
    learning_rate: Rate,
    decay_steps: IntLength,
    end_lr: Rate = 0.0001,
    power: Positive = 1.0,
    cycle: bool = False,
    last_epoch: int = -1,
    verbose: Switch = False,
) -> Spec:
    names = ("learning_rate", "end_lr")
    return _polynomial(learning_rate, end_lr, power, decay_steps, names=names)


def _paddle_polynomial_cycle(
    learning_rate: Rate,
    decay_steps: IntLength,
    end_lr: Rate = 0.0001,
    power: Positive = 1.0,
    cycle: bool = True,
    last_epoch: int = -1,
    verbose: Switch = False,
    *,
    cycles: Cycles,
) -> Composition:
    # decay_steps * ceil(k / decay_steps) (1 at k = 0): Keras' cycle, step for step
    return _keras_polynomial_cycle(learning_rate, decay_steps, end_lr, power, cycles=cycles)


def _paddle_noam(
    d_model: Positive,
    warmup_steps: Length,
    learning_rate: Rate = 1.0,
    last_epoch: int = -1,
    verbose: Switch = False,
    *,
    horizon: Length,
) -> Composition:
    # learning_rate * d_model ** -0.5 * min(k ** -0.5, k * W ** -1.5), 0 at k = 0: a line
    # from 0 to the peak at k = W, then peak * sqrt(W / k), the inverse square root
    w = warmup_steps
    peak = learning_rate * d_model**-0.5 * w**-0.5
    decay = Segment(max(horizon - w, 1), peak, 0.0, "inverse_sqrt", timescale=w)
    return Composition([Segment(w, 0.0, peak), decay])


_Boundaries = Annotated[Sequence[Length], Items(1, 1000, "steps (increasing boundaries)")]
_Values = Annotated[Sequence[Rate], Items(2, 1001, "learning rates")]


def _paddle_piecewise(
    boundaries: _Boundaries, values: _Values, last_epoch: int = -1, verbose: Switch = False
) -> Composition:
    if any(b <= a for a, b in itertools.pairwise(boundaries)):
        raise ValueError(
            f"boundaries must increase (warmcos' piecewise needs it); received {boundaries=}"
        )
    if len(values) <= len(boundaries):
        raise ValueError(
            "values must have one more item than boundaries (Paddle raises); received "
            f"{boundaries=}, {values=}"
        )
    # values[i] below boundaries[i]; past the last boundary Paddle reads values[-1]
    return Composition.piecewise(boundaries, [*values[: len(boundaries)], values[-1]])


def _paddle_linear_warmup(
    learning_rate: Rate,
    warmup_steps: IntLength,
    start_lr: Rate,
    end_lr: Rate,
    last_epoch: int = -1,
    verbose: Switch = False,
) -> Composition:
    # (end_lr - start_lr) * k / W + start_lr for k < W, then learning_rate (a float)
    return Composition([Segment(warmup_steps, start_lr, end_lr), Segment(1, learning_rate)])


#: LinearWarmup's ``learning_rate`` when it is a scheduler: that scheduler's preset value.
_Inner = Annotated[Composition | Schedule, _Piece()]


def _paddle_linear_warmup_scheduler(
    learning_rate: _Inner,
    warmup_steps: IntLength,
    start_lr: Rate,
    end_lr: Rate,
    last_epoch: int = -1,
    verbose: Switch = False,
) -> Composition:
    # the warmup, then the wrapped scheduler stepped with epoch k - warmup_steps (its closed
    # form): the wrapped schedule counting from warmup_steps
    warmup = Composition([Segment(warmup_steps, start_lr, end_lr)])
    after = learning_rate.after  # the wrapped one's, past its end (a cosine's fold too)
    inner = (
        learning_rate.replace(after="hold")
        if isinstance(learning_rate, Schedule)
        else learning_rate
    )
    joined = join([warmup, inner], [warmup_steps])
    return Composition(joined.segments, after=after)


_PhasePct = Annotated[float, Real(0.0, 1.0, why="Paddle raises outside")]


def _paddle_one_cycle(
    max_learning_rate: Rate,
    total_steps: IntLength,
    divide_factor: Positive = 25.0,
    end_learning_rate: Rate = 0.0001,
    phase_pct: _PhasePct = 0.3,
    anneal_strategy: Literal["cos", "linear"] = "cos",
    three_phase: Switch = False,
    last_epoch: int = -1,
    verbose: Switch = False,
) -> Composition:
    if three_phase and phase_pct >= 0.5:
        raise ValueError(
            f"phase_pct must be < 0.5 with three_phase=True (Paddle raises); received {phase_pct=}"
        )
    initial = max_learning_rate / divide_factor
    path = [initial, max_learning_rate, initial] if three_phase else [initial, max_learning_rate]
    return _one_cycle(
        total_steps, phase_pct, anneal_strategy, three_phase, [*path, end_learning_rate]
    )


def _paddle(cls: str, spec: Callable[..., Spec | Composition], doc: str, **extra: Any) -> Preset:
    return Preset(
        f"python/paddle/optimizer/lr.py:{cls}",
        scaled=False,
        spec=spec,
        doc=f"PaddlePaddle's ``paddle.optimizer.lr.{cls}`` {_PADDLE_LOOP} {doc}",
        codebase=Codebase("PaddlePaddle/Paddle", _PADDLE, "python/paddle/optimizer/lr.py"),
        unsupported={"last_epoch": _RESUME, **extra.pop("unsupported", {})},
        **extra,
    )


_PADDLE_LOOP = (
    "(``verbose`` only prints). Its ``__init__`` steps it once, to ``last_epoch = 0``, and "
    "``scheduler.step()`` goes after ``optimizer.step()``: update ``k`` uses the value at "
    "``last_epoch = k``."
)


#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "olmo_scheduler": Preset(
        "olmo/optim.py:build_scheduler",
        scaled=False,
        spec=_olmo,
        codebase=Codebase("allenai/OLMo", _OLMO, "olmo/optim.py"),
        doc="OLMo's schedulers as ``build_scheduler`` makes them from the ``scheduler`` config "
        "(``name``: ``cosine_with_warmup`` (``CosWithWarmup``), ``linear_with_warmup``, "
        "``inverse_sqrt_with_warmup``, ``constant``, ``constant_with_warmup``; ``t_warmup``, "
        "``t_max``, ``alpha_f``, ``warmup_min_lr``; ``units: steps``), with "
        "``optimizer.learning_rate`` and ``max_duration`` in steps. ``Trainer.fit`` adds 1 to "
        "``global_step`` before each batch and ``train_step`` sets ``group['lr'] = "
        "scheduler.get_lr(learning_rate, global_step, max_steps)`` before the update, so "
        "update ``k`` uses ``get_lr(..., k + 1, ...)``: the warmup ``warmup_min_lr + "
        "(learning_rate - warmup_min_lr) * (k + 1) / t_warmup`` (``warmup_min_lr`` defaults "
        "to ``learning_rate / 10``) reaches ``learning_rate`` at update ``t_warmup - 1``, where "
        "the decay starts; the cosine or linear decay reaches ``learning_rate * alpha_f`` at "
        "update ``t_max - 1`` (``t_max`` defaults to ``max_duration``) and holds it after "
        "(OLMo's ``step >= max_steps`` branch); ``inverse_sqrt_with_warmup`` is "
        "``learning_rate * sqrt(t_warmup / (k + 1))`` and never ends: training ends after "
        "``max_duration`` updates and the preset holds the last one's value past it. "
        "``MaxScheduler``, ``CosLinearEnvelope``, the ``BoltOnWarmupScheduler`` a restart "
        "wraps it in and ``units: tokens`` are not presets. A Composition, clocked by one.",
    ),
    "latent_diffusion_lambda_warm_up_cosine_scheduler": _ldm(
        "LambdaWarmUpCosineScheduler",
        _ldm_cosine,
        f"latent-diffusion's ``LambdaWarmUpCosineScheduler`` {_LDM_LOOP}: ``lr_start + "
        "(lr_max - lr_start) * k / warm_up_steps`` up to update ``warm_up_steps``, where the "
        "cosine from ``lr_max`` starts, reaching ``lr_min`` at update ``max_decay_steps``; "
        "past it ``t = min(t, 1.0)`` holds ``lr_min`` (times ``lr``). ``verbosity_interval`` "
        "only prints.",
    ),
    "latent_diffusion_lambda_warm_up_cosine_scheduler2": _ldm(
        "LambdaWarmUpCosineScheduler2",
        _ldm_cycles("cosine"),
        f"latent-diffusion's ``LambdaWarmUpCosineScheduler2`` {_LDM_LOOP}. Each cycle ``i`` "
        "of ``cycle_lengths[i]`` steps warms up linearly from ``f_start[i]`` to ``f_max[i]`` "
        "over ``warm_up_steps[i]`` and falls as a cosine to ``f_min[i]`` at its local step "
        "``cycle_lengths[i]``; ``find_in_interval`` counts that step to the cycle it ends, so "
        "every later cycle starts at its own step 1 (its ``f_start`` is never used as is). "
        "Past ``sum(cycle_lengths)`` the code raises ``TypeError`` (``after='raise'``). A "
        "Composition, a few segments per cycle; after the first cycle ``warm_up_steps`` must "
        "be at least 1.",
    ),
    "latent_diffusion_lambda_linear_scheduler": _ldm(
        "LambdaLinearScheduler",
        _ldm_cycles("linear"),
        f"latent-diffusion's ``LambdaLinearScheduler`` (the Stable Diffusion configs') "
        f"{_LDM_LOOP}. Each cycle ``i`` warms up linearly from ``f_start[i]`` to ``f_max[i]`` "
        "over ``warm_up_steps[i]`` steps, then is ``f_min + (f_max - f_min) * (L - n) / L`` "
        "at its local step ``n`` (``L = cycle_lengths[i]``): linear in ``n`` from 0, so it "
        "jumps down at the warmup's end, and ``f_min[i]`` at ``n = L``; ``find_in_interval`` "
        "counts that step to the cycle it ends, so every later cycle starts at its own step "
        "1. Past ``sum(cycle_lengths)`` the code raises ``TypeError`` (``after='raise'``); "
        "with the configs' ``cycle_lengths: [10000000000000]`` it is the warmup then "
        "``f_max`` for any real run. A Composition, a few segments per cycle.",
    ),
    "guided_diffusion_anneal_lr": Preset(
        "guided_diffusion/train_util.py:TrainLoop._anneal_lr",
        scaled=True,
        spec=_guided_diffusion,
        codebase=Codebase("openai/guided-diffusion", _GUIDED, "guided_diffusion/train_util.py"),
        doc="guided-diffusion's ``TrainLoop._anneal_lr`` (``--lr``, ``--lr_anneal_steps``; "
        "``resume_step`` is the step ``--resume_checkpoint``'s file name gives). ``run_step`` "
        "calls it after ``mp_trainer.optimize(opt)``, so the lr it sets, ``lr * (1 - (step + "
        "resume_step) / lr_anneal_steps)``, is the next update's: update ``k >= 1`` uses ``lr "
        "* (1 - (k - 1 + resume_step) / lr_anneal_steps)`` and update 0 the optimizer's own "
        "lr (``lr``, or after a resume the checkpoint's, ``lr * (1 - resume_step / "
        "lr_anneal_steps)``): the first two updates use the same lr. The loop ends after "
        "update ``lr_anneal_steps - resume_step - 1`` (at ``2 * lr / lr_anneal_steps`` from "
        "0); past it the preset goes on down the same line, to 0 at update "
        "``lr_anneal_steps - resume_step + 1``, and holds 0. ``lr_anneal_steps=0`` (the "
        "default) is ``lr`` at every update, and the loop never ends.",
    ),
    "paddle_cosine_annealing_decay": _paddle(
        "CosineAnnealingDecay",
        _paddle_cosine,
        "Torch's recursive cosine (``CosineAnnealingLR``): from ``learning_rate`` at update 0 "
        "to ``eta_min`` at update ``T_max``; past it the cosine rises again (``after='wrap'``).",
        rules=(Below(("eta_min",), "learning_rate", "the cosine goes down", strict=False),),
    ),
    "paddle_step_decay": _paddle(
        "StepDecay",
        _paddle_step,
        "``learning_rate * gamma ** (k // step_size)``; it never ends: the preset holds the "
        "value of the first decay at or after ``horizon``.",
    ),
    "paddle_multi_step_decay": _paddle(
        "MultiStepDecay",
        _paddle_multistep,
        "``learning_rate * gamma ** i`` with ``i`` the milestones ``<= k``; after the last "
        "milestone it holds.",
    ),
    "paddle_exponential_decay": _paddle(
        "ExponentialDecay",
        _paddle_exponential,
        "``learning_rate * gamma ** k``; it never ends: the preset holds its value at ``horizon``.",
    ),
    "paddle_polynomial_decay": _paddle(
        "PolynomialDecay",
        _paddle_polynomial,
        "With ``cycle=False``: ``(learning_rate - end_lr) * (1 - min(k, decay_steps) / "
        "decay_steps) ** power + end_lr``, ``end_lr`` from update ``decay_steps`` on (it "
        "holds after).",
        unsupported={"cycle": "cycle=True is paddle_polynomial_decay_cycle, a Composition"},
    ),
    "paddle_polynomial_decay_cycle": _paddle(
        "PolynomialDecay",
        _paddle_polynomial_cycle,
        "With ``cycle=True``: the polynomial over ``decay_steps * ceil(k / decay_steps)`` "
        "updates (``decay_steps`` at update 0), Keras' cycle: cycle ``m`` (updates ``((m - "
        "1) d, m d]``) falls from ``end_lr + (learning_rate - end_lr) * ((d - 1) / (m d)) ** "
        "power`` to ``end_lr``. It never ends: the preset has ``cycles`` cycles and holds "
        "``end_lr`` after.",
        unsupported={"cycle": "cycle=False is paddle_polynomial_decay, a Schedule"},
    ),
    "paddle_noam_decay": _paddle(
        "NoamDecay",
        _paddle_noam,
        "``learning_rate * d_model ** -0.5 * min(k ** -0.5, k * warmup_steps ** -1.5)``, "
        "with ``k ** -0.5`` read as 1 at ``k = 0``: 0 at update 0 (not ESPnet's ``k + 1``), "
        "a line to the peak at update ``warmup_steps``, then the inverse square root. It "
        "never ends: the preset holds its value at ``horizon``.",
    ),
    "paddle_piecewise_decay": _paddle(
        "PiecewiseDecay",
        _paddle_piecewise,
        "``values[i]`` for the first ``boundaries[i] > k``, else ``values[-1]`` (the last "
        "item, when ``values`` has more than one item past ``boundaries``); it holds after "
        "the last boundary. Boundaries must increase here.",
    ),
    "paddle_linear_warmup": _paddle(
        "LinearWarmup",
        _paddle_linear_warmup,
        "With a float ``learning_rate``: ``start_lr + (end_lr - start_lr) * k / "
        "warmup_steps`` for ``k < warmup_steps``, then ``learning_rate`` at every later "
        "update (it holds). A scheduler as ``learning_rate`` (stepped with ``k - "
        "warmup_steps``) is not this preset. A Composition.",
        rules=(Below(("start_lr",), "end_lr", "Paddle asserts end_lr > start_lr"),),
    ),
    "paddle_linear_warmup_scheduler": _paddle(
        "LinearWarmup",
        _paddle_linear_warmup_scheduler,
        "With a scheduler as ``learning_rate`` (Paddle's common ``LinearWarmup("
        "CosineAnnealingDecay(...), ...)``): pass that scheduler's preset value (``"
        "paddle_cosine_annealing_decay(...)``, ...). ``start_lr + (end_lr - start_lr) * k / "
        "warmup_steps`` for ``k < warmup_steps``; then Paddle steps the wrapped scheduler to "
        "epoch ``k - warmup_steps`` (a cosine's closed form), so from update "
        "``warmup_steps`` on it is the wrapped preset at ``k - warmup_steps``, its own "
        "after-end policy included. A wrapped preset whose clock is not plain (``"
        "paddle_step_decay``'s per-``step_size`` clock) raises. A Composition.",
        rules=(Below(("start_lr",), "end_lr", "Paddle asserts end_lr > start_lr"),),
    ),
    "paddle_one_cycle_lr": _paddle(
        "OneCycleLR",
        _paddle_one_cycle,
        "Torch's ``OneCycleLR`` phases (``phase_pct`` is ``pct_start``, ``divide_factor`` "
        "``div_factor``), but it ends at ``end_learning_rate`` itself: from "
        "``max_learning_rate / divide_factor`` up to ``max_learning_rate`` at ``phase_pct * "
        "total_steps - 1`` and down to ``end_learning_rate`` at update ``total_steps - 1``, "
        "the last. At ``last_epoch = total_steps`` Paddle runs the last phase's formula one "
        "step past its end, and raises past it; the preset holds ``end_learning_rate``.",
    ),
}
