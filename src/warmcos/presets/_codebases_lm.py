"""Language-model training codebases' schedules (nanochat, ...), read from a pinned commit.

As in ``_codebases``: each maps a training script's own schedule, with the script's own names,
onto a Schedule (or a Composition where the template cannot say it), its step convention
included: the value optimizer update k (0-based) uses in that script's loop.
"""

# The presets mirror the codebases' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Annotated, Literal

from ..compose import Composition, Segment
from ._core import Below, Codebase, Preset
from ._kinds import Length, Proportion, Rate, Ratio, Real, Spec, Steps
from ._shared import _warmup_then_hold

#: The commits the presets were read from (and their golden data produced by).
_NANOCHAT = "92d63d4e8bb4df75c3b71618f31ddde2378b2bcd"


_MODDED = "345b2fb90a43b785649b0776230fe638eb3c496b"  # get_lr(step), before TrainingSchedule


_LITGPT = "26857050fe3ff627cd714fe92f5838f51a3d5efa"


_GPT_NEOX = "ea7aefd8f8e183256992d9fede4d7c71a46d67a5"


_MEGATRON = "d98e8a64ddf34856e74b24714e3bedb2f5a39553"


#: A number of iterations that may be fractional (GPT-NeoX's ``warmup * num_iters``).
Iterations = Annotated[float, Real(0.0, why="a number of iterations")]


def _fraction(value: float, ticks: int) -> Fraction:
    """``value`` (a float warmup length) as a fraction on a 64-bit grid.

    The nearest fraction whose denominator times ``ticks`` (the composition's last boundary)
    stays below ``2**62``: ``value`` itself where its float fits (short schedules), else the
    closest that does, which recovers ``warmup_fraction * steps`` (``0.1 * 35`` is 3.5).
    """
    return Fraction(value).limit_denominator(max(1, (1 << 62) // ticks))


def _warmdown(num_iterations: int, warmdown_ratio: float) -> int:
    """The warmdown length of nanochat, ``round(args.warmdown_ratio * num_iterations)``."""
    return round(warmdown_ratio * num_iterations)


def _nanochat_lr(
    lr: Rate,
    num_iterations: Length,
    warmup_steps: Steps = 40,
    warmdown_ratio: Proportion = 0.65,
    final_lr_frac: Ratio = 0.05,
) -> Spec:
    n = num_iterations
    d = _warmdown(n, warmdown_ratio)
    # lr * (it + 1) / warmup_steps, then 1.0 up to and including update n - d, then linear
    # to final_lr_frac at n
    spec: Spec = {
        "peak_lr": lr,
        "total_steps": n,
        "final_lr": lr * final_lr_frac,
        "decay_shape": "linear",
        **_warmup_then_hold(
            lr,
            warmup_steps,
            n - d,
            "warmup_steps must be <= num_iterations - round(warmdown_ratio * num_iterations) + 1",
            f"{warmup_steps=}, {num_iterations=}, {warmdown_ratio=}",
        ),
    }
    if d == 0:  # no warmdown: 1.0 up to num_iterations
        spec |= {"decay_shape": "constant", "final_lr": 0.0}
    return spec


def _nanochat_momentum(num_iterations: Length, warmdown_ratio: Proportion = 0.65) -> Composition:
    n = num_iterations
    d = _warmdown(n, warmdown_ratio)
    start = n - d  # the warmdown's first step
    segments = [Segment(400, 0.85, 0.97)]  # frac = it / 400: 0.85 to 0.97 at update 400
    if start >= 400:
        segments += [Segment(start - 400, 0.97)] if start > 400 else []
        segments += [Segment(d, 0.97, 0.90)] if d else []
    elif n > 400:  # the warmdown started during the warmup: from update 400 on, part-way down
        progress = (400 - start) / d
        segments.append(Segment(n - 400, 0.97 * (1 - progress) + 0.90 * progress, 0.90))
    return Composition(segments)


def _nanochat_weight_decay(weight_decay: Rate, num_iterations: Length) -> Spec:
    return {
        "peak_lr": weight_decay,
        "total_steps": num_iterations,
        "decay_shape": "cosine",
        "final_lr": 0.0,
        "after": "wrap",  # cos(pi * it / num_iterations) rises again past its end
    }


def _modded_nanogpt(
    lr: Rate, num_iterations: Length = 1750, cooldown_frac: Proportion = 0.45
) -> Composition:
    # 1.0 while step / num_iterations < 1 - cooldown_frac (in floats, as the code compares),
    # then w + (1 - w) * 0.1 with w = (1 - step / num_iterations) / cooldown_frac: the line
    # from the first cooldown update's value to 0.1 at num_iterations
    n, cf = num_iterations, cooldown_frac
    first = min(n, max(0, math.ceil(n * (1 - cf))))
    first += first < n and first / n < 1 - cf  # the float comparison decides, one either way
    first -= first > 0 and (first - 1) / n >= 1 - cf
    segments = [Segment(first, lr)] if first else []
    if first < n:
        w = (1 - first / n) / cf
        segments.append(Segment(n - first, lr * (w * 1.0 + (1 - w) * 0.1), 0.1 * lr))
    return Composition(segments, after="raise")  # assert 0 <= x < 1 fails from num_iterations


def _litgpt(
    learning_rate: Rate,
    warmup_iters: Steps,
    max_iters: Length,
    min_lr: Rate,
    gradient_accumulation_iters: Length = 1,
) -> Composition:
    w, n = warmup_iters, max_iters
    segments = [Segment(w, 0.0, learning_rate)] if w else []  # learning_rate * it / warmup_iters
    # the cosine over [warmup_iters, max_iters]; without one (warmup_iters == max_iters) the
    # code divides by zero at max_iters, which the loop never reaches, and is min_lr after it
    segments.append(
        Segment(n - w, learning_rate, min_lr, "cosine")
        if n > w
        else Segment(1, learning_rate, min_lr)
    )
    # update k uses get_lr(it) at the accumulation's last micro-iteration, it = G * k + G - 1
    g = gradient_accumulation_iters
    return Composition(segments, offset=Fraction(g - 1, g), scale=g)


def _gpt_neox(
    start_lr: Rate,
    warmup_iter: Iterations,
    total_iters: Length,
    decay_style: Literal["linear", "cosine", "exponential", "constant"],
    min_lr: Rate = 0.0,
) -> Composition:
    end = total_iters
    # a float (warmup * num_iters): as a rational, its float's own error set aside
    ticks = max(math.ceil(warmup_iter), end) * _HALVINGS + 2  # the last boundary, and one
    if ticks >= 1 << 62:
        raise ValueError(
            f"total_iters and warmup_iter must be below 2**62 / {_HALVINGS} (64-bit steps, "
            f"the exponential followed {_HALVINGS} times as long); received {warmup_iter=}, "
            f"{total_iters=}"
        )
    w = _fraction(warmup_iter, ticks)
    if w and not (w >= 1 and (w < end or decay_style == "constant")):
        raise ValueError(
            "warmup_iter must be 0, or >= 1 and < total_iters (below 1 GPT-NeoX's warmup "
            "start_lr * max(1, it) / warmup_iter starts above start_lr; from total_iters on "
            f"its decay divides by zero); received {warmup_iter=}, {total_iters=}"
        )
    # X: start_lr over the warmup, then the decay, max(lr, min_lr); times the warmup's
    # factor max(1, it) / warmup_iter (the warmup is not clamped)
    span, after = end - w, "hold"
    if min_lr > start_lr:  # max(lr, min_lr) is min_lr, from the first update past the warmup
        decay = [Segment(math.floor(w) + 1, start_lr), Segment(1, min_lr)]
    elif decay_style == "constant" or not start_lr:  # (every style is 0 from start_lr=0)
        decay = [Segment(w, start_lr)] if w else [Segment(1, start_lr)]
    elif decay_style == "linear":  # start_lr * (span - n) / span, to 0 at the end
        decay = [Segment(w, start_lr)] if w else []
        decay.append(Segment(span, start_lr, 0.0))
    elif decay_style == "cosine":  # to min_lr at the end, then up again
        decay = [Segment(w, start_lr)] if w else []
        decay.append(Segment(span, start_lr, min_lr, "cosine"))
        if w.denominator == 1:
            after = "wrap"
        else:  # the fold is exact for whole lengths only: the rises and falls written out
            rise, fall = Segment(span, min_lr, start_lr, "cosine"), decay[-1]
            decay += [rise, fall] * min(_HALVINGS, math.ceil(end / span / 2))
    else:  # start_lr * exp(-0.693 * n / span), on past the end down to min_lr
        # decay lengths until min_lr (at least the one to total_iters)
        halvings = (math.log(start_lr) - math.log(min_lr)) / 0.693 if min_lr else 1.0
        m = max(1, min(_HALVINGS, math.ceil(halvings)))
        decay = [Segment(w, start_lr)] if w else []
        decay.append(Segment(span * m, start_lr, start_lr * math.exp(-0.693 * m), "exponential"))
    x = Composition(decay, after=after)
    if decay_style in ("linear", "exponential"):  # (a cosine wraps, above min_lr)
        x = x.clamp(min_lr)
    if w <= 1:
        return x
    factor = [Segment(1, 1 / warmup_iter), Segment(w - 1, 1 / warmup_iter, 1.0)]
    return x * Composition(factor)


#: How far past its end the preset follows GPT-NeoX's exponential (in decay lengths).
_HALVINGS = 64


def _megatron_lr(
    init_lr: Rate,
    max_lr: Rate,
    min_lr: Rate,
    lr_warmup_steps: Iterations,
    lr_decay_steps: Length,
    lr_decay_style: Literal["constant", "linear", "cosine", "inverse-square-root", "WSD"],
    wsd_decay_steps: Steps | None = None,
    lr_wsd_decay_style: Literal["linear", "cosine", "exponential", "minus_sqrt"] | None = None,
    *,
    increment: Length = 1,
) -> Composition:
    d, clock = lr_decay_steps, increment
    if (d + 2) * clock >= 1 << 62:
        raise ValueError(
            "lr_decay_steps (in samples) must be below 2**62 / increment (64-bit steps); "
            f"received {lr_decay_steps=}, {increment=}"
        )
    w = _fraction(lr_warmup_steps, (d + 2) * clock)
    if lr_warmup_steps and not w:  # below the grid's step: update 0 alone is the warmup's
        w = Fraction(1, max(1, (1 << 62) // ((d + 2) * clock)))
    if not max_lr:  # init_lr <= max_lr and min_lr <= max_lr: 0 throughout
        return Composition([Segment(1, 0.0)])
    # X: max_lr over the warmup, then the decay; times the warmup's factor (init_lr + (max_lr
    # - init_lr) * n / W) / max_lr, so that min_lr's clamp (inverse-square-root) misses it
    x = [Segment(w, max_lr)] if w else []
    floor = None
    if lr_decay_style == "constant":
        x.append(Segment(1, max_lr))
    elif lr_decay_style in ("linear", "cosine"):
        x.append(Segment(d - w, max_lr, min_lr, lr_decay_style))
    elif lr_decay_style == "inverse-square-root":  # max_lr * sqrt(max(W, 1) / max(n, 1))
        tau = max(w, Fraction(1))
        x += [Segment(tau - w, max_lr)] if tau > w else []
        x += [Segment(d + 1 - tau, max_lr, 0.0, "inverse_sqrt", timescale=tau)]
        x.append(Segment(1, min_lr))  # past lr_decay_steps
        floor = min_lr
    else:
        x += _megatron_wsd(max_lr, min_lr, w, d, wsd_decay_steps, lr_wsd_decay_style)
    main = Composition(x, scale=clock)
    if floor:
        main = main.clamp(floor)
    if not w:
        return main
    return main * Composition([Segment(w, init_lr / max_lr, 1.0)], scale=clock)


def _megatron_wsd(
    max_lr: float, min_lr: float, w: Fraction, d: int, steps: int | None, style: str | None
) -> list[Segment]:
    """Megatron's WSD after the warmup: ``max_lr`` until ``d - steps``, then the anneal."""
    if steps is None or style is None or style == "exponential" or d - steps < w:
        raise ValueError(
            "lr_decay_style='WSD' needs wsd_decay_steps and lr_wsd_decay_style (linear, cosine "
            "or minus_sqrt: exponential's 2 * 0.5 ** r - 1 is not one of warmcos' shapes), and "
            "its anneal must start after the warmup (lr_decay_steps - wsd_decay_steps >= "
            f"lr_warmup_steps); received wsd_decay_steps={steps!r}, "
            f"lr_wsd_decay_style={style!r}, lr_decay_steps={d}, lr_warmup_steps={w}"
        )
    if not steps:  # coeff 1 up to lr_decay_steps, min_lr after
        return [Segment(d + 1 - w, max_lr), Segment(1, min_lr)]
    shape = {"linear": "linear", "cosine": "cosine", "minus_sqrt": "1-sqrt"}[style]
    hold = [Segment(d - steps - w, max_lr)] if d - steps > w else []
    return [*hold, Segment(steps, max_lr, min_lr, shape)]


def _megatron_wd(
    start_wd: Rate,
    end_wd: Rate,
    wd_incr_steps: Length,
    wd_incr_style: Literal["constant", "linear", "cosine"],
    *,
    increment: Length = 1,
) -> Composition:
    if wd_incr_style == "constant":
        if start_wd != end_wd:
            raise ValueError(
                "wd_incr_style='constant' needs start_wd == end_wd (Megatron asserts it); "
                f"received {start_wd=}, {end_wd=}"
            )
        return Composition([Segment(1, end_wd)])
    # start_wd + coeff * (end_wd - start_wd), coeff linear or 0.5 * (cos(pi * (1 - r)) + 1)
    return Composition([Segment(wd_incr_steps, start_wd, end_wd, wd_incr_style)], scale=increment)


def _megatron(spec: Callable[..., Composition], rules: tuple[Below, ...], doc: str) -> Preset:
    path = "megatron/core/optimizer_param_scheduler.py"
    return Preset(
        f"{path}:OptimizerParamScheduler",
        scaled=False,
        spec=spec,
        rules=rules,
        doc=doc,
        codebase=Codebase("NVIDIA/Megatron-LM", _MEGATRON, path),
    )


_MEGATRON_LOOP = (
    "Megatron's ``OptimizerParamScheduler`` (its parameters; ``increment`` is what "
    "``training.py`` passes to ``step`` after each successful update, the samples per "
    "update, ``global_batch_size``: ``get_optimizer_param_scheduler`` gives the steps in "
    "samples, ``iters * global_batch_size``, or ``--*-samples``). Built with ``step(0)``, "
    "so update ``k`` uses ``num_steps = k * increment`` (a clock with ``scale=increment``: "
    "a Composition)"
)


def _nanochat(
    anchor: str, spec: Callable[..., Spec | Composition], doc: str, *, scaled: bool = False
) -> Preset:
    return Preset(
        f"scripts/base_train.py:{anchor}",
        scaled=scaled,
        spec=spec,
        doc=doc,
        codebase=Codebase("karpathy/nanochat", _NANOCHAT, "scripts/base_train.py"),
    )


_NANOCHAT_LOOP = (
    "``base_train.py`` sets it before update ``step`` (from 0) and stops at ``step == "
    "num_iterations``, which only evaluates"
)

#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "nanochat_lr_multiplier": _nanochat(
        "get_lr_multiplier",
        _nanochat_lr,
        "nanochat's ``get_lr_multiplier`` (its arguments ``--warmup-steps``, "
        "``--warmdown-ratio``, ``--final-lr-frac``, and ``num_iterations``), times ``lr``, a "
        f"parameter group's ``initial_lr``: {_NANOCHAT_LOOP}, so update ``k`` uses "
        "``lr * get_lr_multiplier(k)``. The warmup is ``(k + 1) / warmup_steps`` (the peak "
        "at update ``warmup_steps - 1``), then 1 up to and including update ``num_iterations "
        "- round(warmdown_ratio * num_iterations)``, then linear to ``final_lr_frac`` at "
        "``num_iterations``. Past it the formula goes on below ``final_lr_frac``; the preset "
        "holds.",
        scaled=True,
    ),
    "nanochat_muon_momentum": _nanochat(
        "get_muon_momentum",
        _nanochat_momentum,
        "nanochat's ``get_muon_momentum``, the Muon groups' ``momentum``: "
        f"{_NANOCHAT_LOOP}, so update ``k`` uses ``get_muon_momentum(k)``: linear from 0.85 "
        "to 0.97 over updates 0 to 400 (a rise: a Composition), 0.97, then linear to 0.90 "
        "over the warmdown (from ``num_iterations - round(warmdown_ratio * num_iterations)`` "
        "to ``num_iterations``). A warmdown that starts before update 400 takes over there, "
        "part-way down. Past ``num_iterations`` the formula goes on below 0.90; the preset "
        "holds 0.90.",
    ),
    "nanochat_weight_decay": _nanochat(
        "get_weight_decay",
        _nanochat_weight_decay,
        "nanochat's ``get_weight_decay``, the Muon groups' ``weight_decay`` (``weight_decay`` "
        "is the scaled value ``base_train.py`` computes, ``weight_decay_scaled``): "
        f"{_NANOCHAT_LOOP}, so update ``k`` uses ``weight_decay * 0.5 * (1 + cos(pi * k / "
        "num_iterations))``, a cosine to 0 at ``num_iterations``. Past it the cosine rises "
        "again (``after='wrap'``).",
    ),
    "modded_nanogpt_get_lr": Preset(
        "train_gpt.py:get_lr",
        scaled=True,
        spec=_modded_nanogpt,
        codebase=Codebase("KellerJordan/modded-nanogpt", _MODDED, "train_gpt.py"),
        doc="modded-nanogpt's ``get_lr(step)`` (its ``Hyperparameters``: ``num_iterations``, "
        "``cooldown_frac``; the form of the 2025 records, before ``TrainingSchedule``), times "
        "``lr``, a parameter group's ``initial_lr``: the loop sets ``group['lr'] = "
        "group['initial_lr'] * get_lr(step)`` before update ``step`` (from 0; step "
        "``num_iterations`` only evaluates), so update ``k`` uses ``lr * get_lr(k)``: ``lr`` "
        "while ``k / num_iterations < 1 - cooldown_frac``, then linear to ``0.1 * lr`` at "
        "``num_iterations``, the line through ``lr`` at the real step ``num_iterations * (1 - "
        "cooldown_frac)`` (a Composition from the first update in the cooldown). At and past "
        "``num_iterations`` its ``assert 0 <= x < 1`` fails: the preset gives ``0.1 * lr`` "
        "there and raises after it (``after='raise'``).",
    ),
    "litgpt_get_lr": Preset(
        "litgpt/pretrain.py:get_lr",
        scaled=False,
        spec=_litgpt,
        rules=(
            Below(("warmup_iters",), "max_iters", "litgpt clamps it to max_iters", strict=False),
            Below(
                ("gradient_accumulation_iters",),
                "max_iters",
                "the loop must step the optimizer at least once",
                strict=False,
            ),
        ),
        codebase=Codebase("Lightning-AI/litgpt", _LITGPT, "litgpt/pretrain.py"),
        doc="litgpt's ``get_lr(learning_rate, it, warmup_iters, max_iters, min_lr)`` as "
        "``pretrain.py``'s ``fit`` calls it: ``it`` counts micro-batches (``warmup_iters`` is "
        "``TrainArgs.warmup_iters``, ``lr_warmup_steps * gradient_accumulation_iters`` at most "
        "``max_iters``), the lr is set before each micro-batch and the optimizer steps after "
        "every ``gradient_accumulation_iters``-th, so update ``k`` uses ``get_lr(G * k + G - "
        "1)`` with ``G = gradient_accumulation_iters`` (a clock with ``scale=G``: a "
        "Composition). ``learning_rate * it / warmup_iters`` (from 0, the peak at ``it = "
        "warmup_iters``), then a cosine to ``min_lr`` at ``it = max_iters``, where the loop "
        "ends; ``get_lr`` is ``min_lr`` past it and the preset holds it.",
    ),
    "gpt_neox_annealing_lr": Preset(
        "megatron/learning_rates.py:AnnealingLR",
        scaled=False,
        spec=_gpt_neox,
        codebase=Codebase("EleutherAI/gpt-neox", _GPT_NEOX, "megatron/learning_rates.py"),
        doc="GPT-NeoX's ``AnnealingLR`` (its parameters, as ``training.py`` builds it: "
        "``start_lr`` is ``lr``, ``total_iters`` is ``lr_decay_iters``, else ``floor("
        "train_iters * lr_decay_fraction)``, else ``train_iters``, and ``warmup_iter`` is "
        "``warmup * total_iters``, a float; ``last_iter`` is 0). Built with ``step(0)`` and "
        "stepped by DeepSpeed after each update, so update ``k`` uses ``get_lr()`` at "
        "``num_iters = k``: ``start_lr * max(1, k) / warmup_iter`` for ``k <= warmup_iter`` "
        "(updates 0 and 1 alike; not clamped), then ``max(lr, min_lr)`` of ``linear`` "
        "(``start_lr`` to 0 at ``total_iters``), ``cosine`` (to ``min_lr`` at "
        "``total_iters``), ``exponential`` (``start_lr * exp(-0.693 * n / (total_iters - "
        "warmup_iter))``) or ``constant``, with ``n = k - warmup_iter``: a Composition, its "
        "boundaries exact rationals. Past ``total_iters`` the linear holds ``min_lr``, the "
        "cosine rises again (``after='wrap'``; with a fractional ``warmup_iter``, up to "
        "twice ``total_iters`` or 64 periods, then held), the exponential goes on down to "
        "``min_lr`` "
        "(with ``min_lr=0`` the preset holds its value at ``total_iters``).",
    ),
    "megatron_lr": _megatron(
        _megatron_lr,
        (
            Below(("min_lr",), "max_lr", "Megatron asserts it", strict=False),
            Below(("init_lr",), "max_lr", "Megatron asserts it", strict=False),
            Below(("lr_warmup_steps",), "lr_decay_steps", "Megatron asserts it"),
        ),
        f"{_MEGATRON_LOOP}; its ``param_group['lr']``, ``n = k * increment``: ``init_lr + "
        "(max_lr - init_lr) * n / lr_warmup_steps`` for ``n <= lr_warmup_steps`` (a float "
        "where ``--lr-warmup-fraction`` sets it: an exact rational boundary), then "
        "``constant`` (``max_lr``), ``linear`` or ``cosine`` to ``min_lr`` at "
        "``lr_decay_steps``, ``inverse-square-root`` (``max_lr * sqrt(max(W, 1) / max(n, "
        "1))``, at least ``min_lr``) or ``WSD`` (``max_lr`` until ``lr_decay_steps - "
        "wsd_decay_steps``, then ``lr_wsd_decay_style`` ``linear``, ``cosine`` or "
        "``minus_sqrt`` to ``min_lr``); past ``lr_decay_steps`` every style but ``constant`` "
        "is ``min_lr``, as the preset holds.",
    ),
    "megatron_weight_decay": _megatron(
        _megatron_wd,
        (Below(("start_wd",), "end_wd", "Megatron's weight decay increases", strict=False),),
        f"{_MEGATRON_LOOP}; its ``param_group['weight_decay']`` (before the group's "
        "``wd_mult``), ``n = k * increment``: ``start_wd + coeff * (end_wd - start_wd)`` "
        "with ``coeff`` ``n / wd_incr_steps`` (``linear``) or ``0.5 * (cos(pi * (1 - n / "
        "wd_incr_steps)) + 1)`` (``cosine``), a rise; ``constant`` is ``end_wd``. Past "
        "``wd_incr_steps`` it holds ``end_wd``.",
    ),
}
