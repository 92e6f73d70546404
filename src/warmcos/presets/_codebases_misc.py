"""More training codebases' schedules (OLMo, ...), read from a pinned commit.

As in ``_codebases``: each maps a training script's own schedule, with the script's own names,
onto a Composition, its step convention included: the value optimizer update k (0-based) uses
in that script's loop.
"""

from __future__ import annotations

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from typing import Literal

from ..compose import Composition, Segment
from ._core import Codebase, Preset
from ._kinds import Length, Rate, Ratio, Steps

#: The commits the presets were read from (and their golden data produced by).
_OLMO = "59a53e3f68e546330ca5a99ec626e58f9ab96494"

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
}
