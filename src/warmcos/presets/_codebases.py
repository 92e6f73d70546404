"""Training codebases' schedules, read from a pinned commit of each repository.

Each maps a training script's own schedule, with the script's own names, onto Schedule, its
step convention included: the value optimizer update k (0-based) uses in that script's loop.
"""

# The presets mirror other libraries' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

import struct

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable
from typing import Literal

from ..schedule import MAX_STEPS
from ._core import _DECAY_STEP, _DOWN, Below, Codebase, Preset
from ._kinds import IntLength, IntSteps, Length, Positive, Rate, Ratio, Spec, Steps, Switch
from ._shared import _espnet_warmup, _linspace_warmup


def _annotated_transformer(
    lr: Rate, model_size: Positive, factor: Rate, warmup: Length, *, horizon: Length
) -> Spec:
    # LambdaLR's lr * rate(k) at update k, and rate(0) is rate(1): one update at rate(1),
    # then ESPnet's shape one update late (delay_steps=1)
    peak = lr * factor * model_size**-0.5 * warmup**-0.5
    return {**_espnet_warmup(lr, peak, warmup, horizon), "delay_steps": 1}


def _after_warmup(name: str, warmup: int, end: str, total: int, why: str) -> None:
    """``ValueError`` unless the warmup ``warmup`` ends before ``end`` = ``total``."""
    if not warmup < total:
        raise ValueError(f"{name} must be < {end} ({why}); received {name}={warmup}, {end}={total}")


def _nanogpt(first: Callable[[float, int], float]) -> Callable[..., Spec]:
    """The ``get_lr`` of nanoGPT, its warmup starting at ``first(learning_rate, W)``."""

    def spec(
        learning_rate: Rate = 6e-4,
        warmup_iters: Steps = 2000,
        lr_decay_iters: Length = 600000,
        min_lr: Rate = 6e-5,
        decay_lr: Switch = True,
    ) -> Spec:
        if not decay_lr:  # lr = learning_rate at every update
            return {"peak_lr": learning_rate, "total_steps": 1, "decay_shape": "constant"}
        why = "nanoGPT divides by lr_decay_iters - warmup_iters once the warmup ends"
        _after_warmup("warmup_iters", warmup_iters, "lr_decay_iters", lr_decay_iters, why)
        return {
            "peak_lr": learning_rate,
            "total_steps": lr_decay_iters,
            "warmup_steps": warmup_iters,
            "warmup_start_lr": first(learning_rate, warmup_iters),
            "final_lr": min_lr,
        }

    return spec


_LLMC_DIVIDES = "llm.c divides by num_iterations - warmup_iters once the warmup ends"


def _llmc_python(
    learning_rate: Rate = 1e-4,
    warmup_iters: Steps = 0,
    num_iterations: Length = 10,
    learning_rate_decay_frac: Ratio = 1.0,
) -> Spec:
    _after_warmup("warmup_iters", warmup_iters, "num_iterations", num_iterations, _LLMC_DIVIDES)
    return {
        "peak_lr": learning_rate,
        "total_steps": num_iterations,
        "final_lr": learning_rate * learning_rate_decay_frac,
        # learning_rate * (it + 1) / warmup_iters: peaks at update W - 1, the cosine at W
        **_linspace_warmup(learning_rate / max(1, warmup_iters), learning_rate, warmup_iters),
    }


def _f32(x: float) -> float:
    """``x`` rounded to float32, as C's ``float`` holds it."""
    return float(struct.unpack("f", struct.pack("f", x))[0])


def _llmc_c(
    scheduler_type: Literal["cosine", "linear", "constant", "wsd"] = "cosine",
    learning_rate: Rate = 3e-4,
    warmup_iterations: Steps = 0,
    *,
    train_num_batches: Length,
    final_learning_rate_frac: Ratio = 1.0,
) -> Spec:
    if scheduler_type == "constant":
        return {"peak_lr": learning_rate, "total_steps": 1, "decay_shape": "constant"}
    n, w = train_num_batches, warmup_iterations
    # learning_rate * (step + 1) / warmup_iterations: peaks at update W - 1, the decay at W
    spec: Spec = {
        "peak_lr": learning_rate,
        "total_steps": n,
        "final_lr": learning_rate * final_learning_rate_frac,
        "after": "raise",  # past train_num_batches llm.c's assert(decay_ratio <= 1) fails
        **_linspace_warmup(learning_rate / max(1, w), learning_rate, w),
    }
    if scheduler_type != "wsd":
        why = "llm.c divides by train_num_batches - warmup_iterations once the warmup ends"
        _after_warmup("warmup_iterations", w, "train_num_batches", n, why)
        return spec | {"decay_shape": scheduler_type}
    # the last 20%: (int)(0.8f * train_num_batches), computed in float32
    cooldown = int(_f32(_f32(0.8) * _f32(n)))
    if w > cooldown:
        raise ValueError(
            "warmup_iterations must be <= (int)(0.8f * train_num_batches), where llm.c's 1-sqrt "
            f"cooldown starts; received warmup_iterations={w}, train_num_batches={n} "
            f"(the cooldown starts at {cooldown})"
        )
    return spec | {
        "decay_shape": "1-sqrt",
        "stable_steps": cooldown - spec.get("warmup_steps", 0),
    }


def _torchtitan(
    lr: Rate,
    training_steps: Length,
    warmup_steps: Steps = 200,
    total_steps: Length | None = None,
    decay_ratio: Ratio | None = None,
    decay_type: Literal["linear", "sqrt", "cosine"] = "linear",
    min_lr_factor: Ratio = 0.0,
) -> Spec:
    # LRSchedulersContainer.Config.build: its own clamps, then LambdaLR's factor at update k
    total = training_steps if total_steps is None else total_steps
    warmup = min(warmup_steps, total)
    decay = total - warmup if decay_ratio is None else round(total * decay_ratio)
    decay = min(decay, total - warmup)
    # (k + 1) / warmup_steps peaks at warmup_steps - 1; the decay's progress (k + 1 - W - S)
    # / decay_steps, with S = total + 1 - W - decay_steps, is 0 at update total - decay_steps
    spec: Spec = {
        "peak_lr": lr,
        "total_steps": total,
        "final_lr": lr * min_lr_factor,
        "decay_shape": {"linear": "linear", "sqrt": "1-sqrt", "cosine": "cosine"}[decay_type],
        **_linspace_warmup(lr / max(1, warmup), lr, warmup),
    }
    if decay == 0:  # torchtitan never reaches its decay (nor its floor) before total_steps
        spec |= {"decay_shape": "constant", "final_lr": 0.0}
    return spec | {"stable_steps": total - decay - spec.get("warmup_steps", 0)}


_RISING = (
    "a cosine that rises (final_value > base_value, DINO's teacher momentum and weight "
    "decay) is not a warmcos decay: warmcos' decays go down"
)


def _dino_like(
    base: float, final: float, total: int, warmup: int, start: float, freeze: int = 0
) -> Spec:
    """DINO's and DINOv2's cosine arrays, as a Schedule.

    ``freeze`` zeros, ``linspace(start, base, warmup)``, then ``final + (base - final) *
    (1 + cos(pi * i / n)) / 2`` for ``i = 0 .. n - 1``.
    """
    if final > base:
        raise ValueError(
            f"final_value must be <= base_value ({_RISING}); received "
            f"base_value={base!r}, final_value={final!r}"
        )
    spec: Spec = {"peak_lr": base, "total_steps": total, "final_lr": final}
    if freeze:
        if not (warmup and start == 0):
            raise ValueError(
                "freeze_iters > 0 needs warmup_iters >= 1 and start_warmup_value=0: the frozen "
                "updates use 0, and warmcos' delay holds the first value of the warmup; "
                f"received freeze_iters={freeze}, warmup_iters={warmup}, "
                f"start_warmup_value={start!r}"
            )
        spec["delay_steps"] = freeze
    spec |= _linspace_warmup(start, base, warmup)
    if freeze + warmup == total:  # no cosine: the warmup, then final_value
        if final != base:
            raise ValueError(
                "final_value must equal base_value when the warmup fills the schedule (the "
                "code jumps from base_value to final_value after it); received "
                f"base_value={base!r}, final_value={final!r}"
            )
        spec["decay_shape"] = "constant"
    return spec


def _dino(
    base_value: Rate,
    final_value: Rate,
    epochs: IntLength,
    niter_per_ep: IntLength,
    warmup_epochs: IntSteps = 0,
    start_warmup_value: Rate = 0,
) -> Spec:
    total, warmup = epochs * niter_per_ep, warmup_epochs * niter_per_ep
    if not warmup < total or total > MAX_STEPS:
        raise ValueError(
            "warmup_epochs must be < epochs, and epochs * niter_per_ep at most 2**63 - 1 (DINO "
            "divides by the cosine's length, (epochs - warmup_epochs) * niter_per_ep); "
            f"received {epochs=}, {warmup_epochs=}, {niter_per_ep=}"
        )
    return {
        **_dino_like(base_value, final_value, total, warmup, start_warmup_value),
        "after": "raise",
    }


def _dinov2(
    base_value: Rate,
    final_value: Rate,
    total_iters: IntLength,
    warmup_iters: IntSteps = 0,
    start_warmup_value: Rate = 0,
    freeze_iters: IntSteps = 0,
) -> Spec:
    if freeze_iters + warmup_iters > total_iters:
        raise ValueError(
            "freeze_iters + warmup_iters must be <= total_iters (DINOv2 asserts its array is "
            f"total_iters long); received {freeze_iters=}, {warmup_iters=}, {total_iters=}"
        )
    return _dino_like(
        base_value, final_value, total_iters, warmup_iters, start_warmup_value, freeze_iters
    )


def _mae(
    lr: Rate,
    len_data_loader: Length,
    min_lr: Rate = 0.0,
    warmup_epochs: Steps = 40,
    epochs: Length = 400,
    accum_iter: Length = 1,
) -> Spec:
    if len_data_loader % accum_iter:
        raise ValueError(
            "len_data_loader must be a multiple of accum_iter: MAE sets the lr every accum_iter "
            "batches at the fraction of the epoch they start, so updates are evenly spaced in "
            f"epochs only then; received {len_data_loader=}, {accum_iter=}"
        )
    updates = len_data_loader // accum_iter
    return {
        "peak_lr": lr,
        "total_steps": epochs * updates,
        "warmup_steps": warmup_epochs * updates,
        "final_lr": min_lr,
        "after": "wrap",  # called past epochs, the half-cycle cosine goes on rising
    }


#: The commits the codebase presets were read from (and their golden data produced by).
_NANOGPT = "3adf61e154c3fe3fca428ad6bc3818b27a3b8291"


_NANOGPT_2023 = "9755682b981a45507f6eb9b11eadef8cb83cebd5"  # the parent of dc81cb3


_LLMC = "f1e2ace651495b74ae22d45d1723443fd00ecd3a"


_DINO = "7c446df5b9f45747937fb0d72314eb9f7b66930a"


_DINOV2 = "b8931f7bf91576930313be2c6d6af376033b35f0"


_MAE = "efb2a8062c206524e35e47d04501ed4f544c0ae8"


_TORCHTITAN = "b5bcd76c66d0acb1a08b176d9639425bc55e0b2a"


_ANNOTATED = "debc9fd747bb2123160a98046ad1c2d4da44a567"


def _nanogpt_preset(spec: Callable[..., Spec], commit: str, doc: str) -> Preset:
    """A form of nanoGPT's ``train.py:get_lr``, read at ``commit``."""
    return Preset(
        "train.py:get_lr",
        scaled=False,
        spec=spec,
        rules=(Below(("min_lr",), "learning_rate", _DOWN, strict=False),),
        doc=doc,
        codebase=Codebase("karpathy/nanoGPT", commit, "train.py"),
    )


#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "nanogpt_get_lr": _nanogpt_preset(
        # learning_rate * (it + 1) / (warmup_iters + 1): linear from learning_rate / (W + 1)
        _nanogpt(lambda lr, w: lr / (w + 1)),
        _NANOGPT,
        "nanoGPT's ``get_lr`` (its config keys). Its loop sets ``lr = get_lr(iter_num)`` "
        "before update ``iter_num`` (from 0), so update ``k`` uses ``get_lr(k)``: "
        "``learning_rate * (k + 1) / (warmup_iters + 1)`` for ``k < warmup_iters`` (a linear "
        "warmup from ``learning_rate / (warmup_iters + 1)``, reaching ``learning_rate`` at "
        "``warmup_iters``), a cosine to ``min_lr`` at ``lr_decay_iters``, then ``min_lr`` "
        "(``after='hold'``). ``decay_lr=False`` is ``learning_rate`` at every update.",
    ),
    "nanogpt_get_lr_2023": _nanogpt_preset(
        _nanogpt(lambda lr, w: 0.0),  # learning_rate * it / warmup_iters: linear from 0
        _NANOGPT_2023,
        "nanoGPT's earlier ``get_lr`` (up to December 2024, before commit dc81cb3), whose "
        "warmup is ``learning_rate * it / warmup_iters``: update ``k`` uses ``get_lr(k)``, "
        "so update 0 uses 0 and the warmup is linear from 0 to ``learning_rate`` at "
        "``warmup_iters``; then the same cosine to ``min_lr`` at ``lr_decay_iters``, and "
        "``min_lr`` after it (``after='hold'``).",
    ),
    "llmc_get_lr": Preset(
        "train_gpt2.py:get_lr",
        scaled=False,
        spec=_llmc_python,
        codebase=Codebase("karpathy/llm.c", _LLMC, "train_gpt2.py"),
        doc="llm.c's PyTorch reference (its argparse names). Update ``step`` (from 0) uses "
        "``get_lr(step)``: ``learning_rate * (step + 1) / warmup_iters`` during the warmup, so "
        "the peak is reached at update ``warmup_iters - 1`` and the cosine starts from it "
        "again at ``warmup_iters`` (a warmup of ``warmup_iters - 1`` steps from "
        "``learning_rate / warmup_iters`` and one stable step); a cosine to "
        "``learning_rate * learning_rate_decay_frac`` at ``num_iterations``, where the loop "
        "stops (its last pass only evaluates); ``get_lr`` holds the floor after.",
    ),
    "llmc_get_learning_rate": Preset(
        "llmc/schedulers.h:get_learning_rate",
        scaled=False,
        spec=_llmc_c,
        codebase=Codebase("karpathy/llm.c", _LLMC, "llmc/schedulers.h"),
        doc="llm.c's C schedulers (``lr_scheduler_init``'s parameters; ``train_gpt2.cu`` "
        "calls ``get_learning_rate(&lr_scheduler, step)`` before update ``step``, from 0). "
        "The warmup is ``learning_rate * (step + 1) / warmup_iterations`` (the peak at update "
        "``warmup_iterations - 1``), then ``cosine`` or ``linear`` to "
        "``learning_rate * final_learning_rate_frac`` at ``train_num_batches``; ``wsd`` holds "
        "the peak until ``(int)(0.8f * train_num_batches)`` and cools down as ``1 - sqrt``; "
        "``constant`` is ``learning_rate``. Past ``train_num_batches`` llm.c's "
        "``assert(decay_ratio <= 1)`` fails: ``after='raise'``. llm.c computes in float32.",
    ),
    "torchtitan_lr_scheduler": Preset(
        "torchtitan/components/optimizer/lr_scheduler.py:linear_warmup_stable_decay",
        scaled=True,
        spec=_torchtitan,
        codebase=Codebase(
            "pytorch/torchtitan", _TORCHTITAN, "torchtitan/components/optimizer/lr_scheduler.py"
        ),
        doc="torchtitan's warmup-stable-decay (``LRSchedulersContainer.Config``'s fields, "
        "``training_steps`` for ``training.steps``, ``lr`` the optimizer's), with its clamps "
        "(``warmup_steps`` at most the total, ``decay_steps = round(total * decay_ratio)`` "
        "at most what is left). A ``LambdaLR`` stepped after each update: update ``k`` uses "
        "``lr * (k + 1) / warmup_steps`` during the warmup (the peak at ``warmup_steps - "
        "1``), ``lr`` while stable, then a ``linear``, ``sqrt`` (``1 - sqrt``) or ``cosine`` "
        "decay to ``lr * min_lr_factor`` at ``total_steps``, where training ends (past it "
        "torchtitan's formula goes below the floor; the preset holds).",
    ),
    "annotated_transformer_rate": Preset(
        "the_annotated_transformer.py:rate",
        scaled=True,
        spec=_annotated_transformer,
        rules=(Below(("warmup",), "horizon", _DECAY_STEP),),
        codebase=Codebase(
            "harvardnlp/annotated-transformer", _ANNOTATED, "the_annotated_transformer.py"
        ),
        doc="The Annotated Transformer's Noam ``rate(step, model_size, factor, warmup)`` "
        "under ``LambdaLR`` (``lr`` the optimizer's), stepped once per update (``accum_iter="
        "1``): update ``k`` uses ``lr * rate(k)``, and ``rate`` reads step 0 as 1, so updates "
        "0 and 1 share ``rate(1)``; then ``factor * model_size ** -0.5 * min(k ** -0.5, k * "
        "warmup ** -1.5)``: a linear rise to the peak at update ``warmup`` and an inverse "
        "square root after it (``delay_steps=1`` over ``espnet_noam_lr``'s shape). It has no "
        "end: the preset equals it up to ``horizon`` and holds there.",
    ),
    "dino_cosine_scheduler": Preset(
        "utils.py:cosine_scheduler",
        scaled=False,
        spec=_dino,
        codebase=Codebase("facebookresearch/dino", _DINO, "utils.py"),
        doc="DINO's ``cosine_scheduler``: an array indexed by the global iteration ``it = "
        "len(data_loader) * epoch + i``, so update ``k`` uses ``schedule[k]``. The warmup is "
        "``np.linspace(start_warmup_value, base_value, W)`` over ``W = warmup_epochs * "
        "niter_per_ep`` updates: it reaches ``base_value`` at update ``W - 1`` and the cosine "
        "starts from it again at ``W`` (``W - 1`` warmup steps and one stable step); the "
        "cosine is ``final + (base - final) * (1 + cos(pi * i / n)) / 2`` for ``i < n``, so "
        "``final_value`` itself is never used. The array ends at ``epochs * niter_per_ep``: "
        "indexing past it is an ``IndexError`` there (the preset gives ``final_value`` at "
        "that step and raises after it). A rising schedule (the teacher momentum to 1, "
        "the weight decay from 0.04 to 0.4) is refused: warmcos' decays go down.",
    ),
    "dinov2_cosine_scheduler": Preset(
        "dinov2/utils/utils.py:CosineScheduler",
        scaled=False,
        spec=_dinov2,
        codebase=Codebase("facebookresearch/dinov2", _DINOV2, "dinov2/utils/utils.py"),
        doc="DINOv2's ``CosineScheduler``: ``freeze_iters`` zeros, "
        "``np.linspace(start_warmup_value, base_value, warmup_iters)`` (the peak at update "
        "``warmup_iters - 1``, as DINO's), then the cosine over the rest of ``total_iters``; "
        "its loop reads ``schedule[iteration]`` before update ``iteration`` (from 0), and "
        "past ``total_iters`` it returns ``final_value`` (``after='hold'``). The frozen "
        "updates are warmcos' ``delay_steps`` (they need ``start_warmup_value=0``). A rising "
        "schedule (teacher momentum, weight decay) is refused.",
    ),
    "mae_adjust_learning_rate": Preset(
        "util/lr_sched.py:adjust_learning_rate",
        scaled=False,
        spec=_mae,
        rules=(
            Below(("warmup_epochs",), "epochs", "the cosine needs an epoch after the warmup"),
            Below(("min_lr",), "lr", _DOWN, strict=False),
        ),
        codebase=Codebase("facebookresearch/mae", _MAE, "util/lr_sched.py"),
        doc="MAE's ``adjust_learning_rate`` (its ``args``: ``lr``, ``min_lr``, "
        "``warmup_epochs``, ``epochs``, ``accum_iter``; ``len_data_loader`` is "
        "``len(data_loader)``). Its loop calls it every ``accum_iter`` batches with the "
        "fractional epoch ``data_iter_step / len(data_loader) + epoch``, so update ``k`` of "
        "``U = len_data_loader / accum_iter`` per epoch uses the epoch ``k / U``: linear from "
        "0 over ``warmup_epochs * U`` updates, then a half-cycle cosine to ``min_lr`` at "
        "``epochs * U``. Training stops there; called past it, the cosine rises again "
        "(``after='wrap'``).",
    ),
}
