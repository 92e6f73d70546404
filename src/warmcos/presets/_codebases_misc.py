"""More training codebases' schedules (OLMo, latent-diffusion, guided-diffusion, ...).

Each read from a pinned commit.

As in ``_codebases``: each maps a training script's own schedule, with the script's own names,
onto a Composition, its step convention included: the value optimizer update k (0-based) uses
in that script's loop.
"""

# The presets mirror the codebases' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable, Sequence
from typing import Annotated, Literal

from ..compose import Composition, Segment
from ._core import Codebase, Preset
from ._kinds import Items, Length, Rate, Ratio, Steps

#: The commits the presets were read from (and their golden data produced by).
_OLMO = "59a53e3f68e546330ca5a99ec626e58f9ab96494"
_LDM = "a506df5756472e2ebaf9078affdde2c4f1502cd4"
_GUIDED = "22e0df8183507e13a7813f8d38d51b072ca1e67c"

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
}
