"""Vision training codebases' schedules (open_clip, ...), read from a pinned commit.

As in ``_codebases``: each maps a training script's own schedule, with the script's own names,
onto a Schedule (or a Composition where the template cannot say it), its step convention
included: the value optimizer update k (0-based) uses in that script's loop.
"""

# The presets mirror the codebases' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable

from ._codebases import _after_warmup
from ._core import _DOWN, Below, Codebase, Preset
from ._kinds import Length, Positive, Rate, Spec, Steps
from ._shared import _linspace_warmup, _warmup_then_hold

#: The commits the presets were read from (and their golden data produced by).
_OPEN_CLIP = "89fb801f1e6087880e951fc8354b8a2077b79c6d"


def _open_clip_warmup(base_lr: float, warmup_length: int) -> Spec:
    """``base_lr * (step + 1) / warmup_length``: the peak at update ``warmup_length - 1``."""
    return _linspace_warmup(base_lr / max(1, warmup_length), base_lr, warmup_length)


def _open_clip_cosine(base_lr: Rate, warmup_length: Steps, steps: Length) -> Spec:
    why = "open_clip divides by steps - warmup_length once the warmup ends"
    _after_warmup("warmup_length", warmup_length, "steps", steps, why)
    return {
        "peak_lr": base_lr,
        "total_steps": steps,
        "final_lr": 0.0,
        "after": "wrap",  # cos(pi * e / es) past es: the cosine rises again
        **_open_clip_warmup(base_lr, warmup_length),
    }


def _open_clip_const(base_lr: Rate, warmup_length: Steps, steps: Length) -> Spec:
    # steps is not read: base_lr from the warmup's end on, however long training is
    warmup = _open_clip_warmup(base_lr, warmup_length)
    total = max(steps, warmup.get("warmup_steps", 0) + warmup.get("stable_steps", 0))
    return {"peak_lr": base_lr, "total_steps": total, "decay_shape": "constant", **warmup}


def _open_clip_cooldown(
    base_lr: Rate,
    warmup_length: Steps,
    steps: Length,
    cooldown_steps: Steps,
    cooldown_power: Positive = 1.0,
    cooldown_end_lr: Rate = 0.0,
) -> Spec:
    spec: Spec = {
        "peak_lr": base_lr,
        "total_steps": steps,
        "final_lr": cooldown_end_lr,
        "decay_shape": "polynomial",
        "power": cooldown_power,
        **_warmup_then_hold(
            base_lr,
            warmup_length,
            steps - cooldown_steps,  # start_cooldown_step
            "warmup_length must be <= steps - cooldown_steps + 1",
            f"{warmup_length=}, {steps=}, {cooldown_steps=}",
        ),
    }
    if cooldown_steps == 0:  # no cooldown: base_lr up to steps
        spec |= {"decay_shape": "constant", "final_lr": 0.0, "power": 1.0}
    return spec


def _open_clip(
    anchor: str, spec: Callable[..., Spec], doc: str, rules: tuple[Below, ...] = ()
) -> Preset:
    return Preset(
        f"src/open_clip_train/scheduler.py:{anchor}",
        scaled=False,
        spec=spec,
        rules=rules,
        doc=doc,
        codebase=Codebase(
            "mlfoundations/open_clip", _OPEN_CLIP, "src/open_clip_train/scheduler.py"
        ),
    )


_OPEN_CLIP_LOOP = (
    "``train_one_epoch`` calls ``scheduler(step)`` before update ``step = "
    "num_batches_per_epoch * epoch + i // accum_freq`` (from 0), so update ``k`` uses "
    "``scheduler(k)``; ``steps`` is ``main.py``'s ``total_steps``, "
    "``num_batches // accum_freq * epochs``. The warmup is ``base_lr * (k + 1) / "
    "warmup_length``, the peak at update ``warmup_length - 1``"
)

#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "open_clip_cosine_lr": _open_clip(
        "cosine_lr",
        _open_clip_cosine,
        f"open_clip's ``cosine_lr`` (``--lr-scheduler cosine``; ``optimizer`` aside). "
        f"{_OPEN_CLIP_LOOP}, and the cosine starts from ``base_lr`` again at "
        "``warmup_length``: ``0.5 * (1 + cos(pi * e / es)) * base_lr`` with ``e = k - "
        "warmup_length``, ``es = steps - warmup_length``, 0 at ``steps``, where training "
        "ends. Past it the cosine rises again (``after='wrap'``).",
    ),
    "open_clip_const_lr": _open_clip(
        "const_lr",
        _open_clip_const,
        f"open_clip's ``const_lr`` (``--lr-scheduler const``). {_OPEN_CLIP_LOOP}, then "
        "``base_lr`` at every update, training's end (``steps``, which it does not read) and "
        "after it included (``after='hold'``).",
    ),
    "open_clip_const_lr_cooldown": _open_clip(
        "const_lr_cooldown",
        _open_clip_cooldown,
        f"open_clip's ``const_lr_cooldown`` (``--lr-scheduler const-cooldown``; "
        "``cooldown_steps`` is ``num_batches // accum_freq * epochs_cooldown``, "
        f"``cooldown_power`` ``--lr-cooldown-power``, ``cooldown_end_lr`` "
        f"``--lr-cooldown-end``). {_OPEN_CLIP_LOOP}, then ``base_lr`` until ``steps - "
        "cooldown_steps``, then ``(1 - e / cooldown_steps) ** cooldown_power * (base_lr - "
        "cooldown_end_lr) + cooldown_end_lr``, ``cooldown_end_lr`` at ``steps``, where "
        "training ends. Past it the formula leaves the floor (a negative base to a "
        "fractional power is complex in Python); the preset holds ``cooldown_end_lr``.",
        (
            Below(("cooldown_steps",), "steps", "the cooldown ends at steps", strict=False),
            Below(("cooldown_end_lr",), "base_lr", _DOWN, strict=False),
        ),
    ),
}
