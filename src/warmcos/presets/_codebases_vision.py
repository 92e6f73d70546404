"""Vision training codebases' schedules (open_clip, ...), read from a pinned commit.

As in ``_codebases``: each maps a training script's own schedule, with the script's own names,
onto a Schedule (or a Composition where the template cannot say it), its step convention
included: the value optimizer update k (0-based) uses in that script's loop.
"""

# The presets mirror the codebases' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
import math
from collections.abc import Callable, Sequence
from typing import Annotated, Literal

from ..compose import Composition, Segment
from ..schedule import MAX_STEPS
from ._codebases import _after_warmup
from ._core import _DOWN, Below, Codebase, Preset
from ._kinds import Items, Length, Positive, Rate, Ratio, Real, Spec, Steps, Switch
from ._shared import _linspace_warmup, _warmup_then_hold

#: The commits the presets were read from (and their golden data produced by).
_OPEN_CLIP = "89fb801f1e6087880e951fc8354b8a2077b79c6d"


# the parent of 2e3ec55, after which one_cycle is ultralytics' (the loop is the same)
_YOLOV5 = "ffcdd98090f846e70a5930e59976176fe1cbe920"


_BIG_VISION = "0127fb6b337ee2a27bf4e54dea79cff176527356"


#: A number of epochs, fractions allowed (YOLOv5's ``warmup_epochs``).
Epochs = Annotated[float, Real(0.0, why="a number of epochs")]


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


def _yolov5_warmup(nb: int, warmup_epochs: float) -> int:
    """``nw = max(round(hyp["warmup_epochs"] * nb), 100)``: warmup batches, at least 100."""
    nw = max(round(warmup_epochs * nb), 100)
    if nw > MAX_STEPS:
        raise ValueError(
            "warmup_epochs * nb must be below 2**63 (the warmup's batches, a 64-bit step); "
            f"received {warmup_epochs=}, {nb=}"
        )
    return nw


def _yolov5_lr(
    nb: Length,
    epochs: Length = 100,
    lr0: Rate = 0.01,
    lrf: Ratio = 0.01,
    warmup_epochs: Epochs = 3.0,
    cos_lr: Switch = False,
) -> Composition:
    if epochs > 10_000 or epochs * nb > MAX_STEPS:
        raise ValueError(
            "epochs must be at most 10,000 and epochs * nb at most 2**63 - 1 (the preset "
            f"writes YOLOv5's per-epoch values as segments); received {epochs=}, {nb=}"
        )
    nw = _yolov5_warmup(nb, warmup_epochs)
    # lf: one_cycle(1, lrf, epochs) or the linear lambda, 1 at epoch 0 to lrf at epochs
    lf = Composition([Segment(epochs, 1.0, lrf, "cosine" if cos_lr else "linear")])
    segments = []
    for epoch in range(epochs):
        first, end = epoch * nb, (epoch + 1) * nb
        if first <= nw:  # np.interp(ni, [0, nw], [0, lr0 * lf(epoch)]) for ni <= nw ...
            top = lr0 * lf(epoch)
            ramp = min(end, nw) - first
            segments += [Segment(ramp, top * first / nw, top * (first + ramp) / nw)] if ramp else []
            # ... and the value set at ni = nw holds to the epoch's end
            segments += [Segment(end - nw, top)] if nw < end else []
        else:  # LambdaLR, set back to last_epoch = -1 and stepped after each epoch: lf(e - 1)
            segments.append(Segment(nb, lr0 * lf(epoch - 1)))
    return Composition(segments)


def _yolov5_momentum(
    nb: Length, momentum: Rate = 0.937, warmup_momentum: Rate = 0.8, warmup_epochs: Epochs = 3.0
) -> Composition:
    # np.interp(ni, [0, nw], [warmup_momentum, momentum]) for ni <= nw, then momentum stays
    return Composition([Segment(_yolov5_warmup(nb, warmup_epochs), warmup_momentum, momentum)])


def _big_vision(
    total_steps: Length,
    base: Rate = 1.0,
    decay_type: Literal["linear", "polynomial", "cosine", "rsqrt", "stair"] = "stair",
    *,
    warmup_steps: Steps = 0,
    cooldown_steps: Steps = 0,
    linear_end: Rate = 0.0,
    power: Positive = 1.0,
    timescale: Length = 10_000,
    shift: Steps = 0,
    steps: Annotated[Sequence[Steps], Items(0, 1000, "steps (stair boundaries)")] = (),
    mults: Annotated[Sequence[Rate], Items(0, 1000, "multipliers")] = (),
) -> Composition:
    t, w = total_steps, warmup_steps
    if t >= 1 << 62:
        raise ValueError(
            f"total_steps must be below 2**62 (its products' boundaries are 64-bit steps); "
            f"received {total_steps=}"
        )
    if decay_type == "stair":  # base * [1, *mults][number of boundaries <= step]
        if len(mults) != len(steps) or any(
            b <= a for a, b in zip([0, *steps], steps, strict=False)
        ):
            raise ValueError(
                "steps must increase from >= 1 and mults hold one multiplier per step (past "
                f"its last multiplier big_vision's jnp.take gives NaN); received {steps=}, "
                f"{mults=}"
            )
        main = Composition.piecewise(steps, [base, *(base * m for m in mults)])
    elif decay_type == "rsqrt":  # base / sqrt(1 + (step + shift - W) / timescale) from W
        first = base / math.sqrt(1 + shift / timescale)
        main = Composition(
            [Segment(w, first)] * bool(w)
            + [Segment(t - w, first, 0.0, "inverse_sqrt", timescale=timescale + shift)]
            if first
            else [Segment(1, 0.0)]
        )
    else:  # progress = clip((step - W) / (T - W), 0, 1)
        end = linear_end if decay_type != "cosine" else 0.0
        if end > base and power != 1:
            raise ValueError(
                "linear_end must be <= base unless power=1 (a rising (1 - progress) ** power "
                "is not one of warmcos' shapes); received "
                f"{base=}, {linear_end=}, {power=}"
            )
        shape = "cosine" if decay_type == "cosine" else "polynomial" if power != 1 else "linear"
        decay = Segment(t - w, base, end, shape, power if shape == "polynomial" else 1.0)
        main = Composition(
            [Segment(w, base)] * bool(w) + [decay if end != base else Segment(t - w, base)]
        )
    if w:  # lr * min(1, step / warmup_steps)
        main *= Composition([Segment(w, 0.0, 1.0)])
    if cooldown_steps:  # lr * min(1, (total_steps - step) / cooldown_steps), 0 at the end
        c = cooldown_steps
        main *= Composition(
            [Segment(t - c, 1.0)] * (t > c) + [Segment(min(c, t), min(1, t / c), 0.0)]
        )
    return main


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


def _yolov5(spec: Callable[..., Composition], doc: str) -> Preset:
    return Preset(
        "train.py:train",
        scaled=False,
        spec=spec,
        doc=doc,
        codebase=Codebase("ultralytics/yolov5", _YOLOV5, "train.py"),
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
    "yolov5_lr": _yolov5(
        _yolov5_lr,
        "YOLOv5's learning rate for the weight groups, per batch, as ``train.py``'s ``train`` "
        "sets it (``hyp['lr0']``, ``hyp['lrf']``, ``hyp['warmup_epochs']``, ``--epochs``, "
        "``--cos-lr``; ``nb = len(train_loader)``): the step is the batch ``ni = i + nb * "
        "epoch``, from 0 (an update at every batch when ``--batch-size`` is 64 or more; "
        "below, the optimizer steps every ``accumulate`` batches, and the update uses the "
        "value of its last batch). ``lf`` is ``one_cycle(1, lrf, epochs)`` (a cosine) or "
        "linear, from 1 at epoch 0 to ``lrf`` at ``epochs``. For ``ni <= nw = "
        "max(round(warmup_epochs * nb), 100)`` it is ``np.interp(ni, [0, nw], [0, lr0 * "
        "lf(epoch)])``, a ramp to a per-epoch target that holds from ``nw`` to the epoch's "
        "end; after, the ``LambdaLR`` that ``train`` sets back to ``last_epoch = -1`` gives "
        "``lr0 * lf(epoch - 1)`` in each later epoch (one epoch behind). Training ends after "
        "``epochs * nb`` batches; the preset holds the last value after. The bias group "
        "(the first), which falls from ``warmup_bias_lr``, is not this preset. A "
        "Composition, with one or two segments per epoch.",
    ),
    "yolov5_momentum": _yolov5(
        _yolov5_momentum,
        "YOLOv5's momentum (``hyp['momentum']``, ``hyp['warmup_momentum']``, "
        "``hyp['warmup_epochs']``; ``nb = len(train_loader)``), per batch ``ni`` as ``train`` "
        "sets it: ``np.interp(ni, [0, nw], [warmup_momentum, momentum])`` for ``ni <= nw = "
        "max(round(warmup_epochs * nb), 100)``, linear (a rise: a Composition); after it the "
        "value set at ``nw``, ``momentum``, holds to the end of training. Optimizer update "
        "``k`` uses batch ``k``'s value when the optimizer steps at every batch "
        "(``--batch-size`` 64 or more).",
    ),
    "big_vision_lr_schedule": Preset(
        "big_vision/utils.py:create_learning_rate_schedule",
        scaled=False,
        spec=_big_vision,
        rules=(Below(("warmup_steps",), "total_steps", "big_vision asserts it"),),
        codebase=Codebase("google-research/big_vision", _BIG_VISION, "big_vision/utils.py"),
        doc="big_vision's ``create_learning_rate_schedule`` (its ``config.schedule`` keys, "
        "in steps: ``warmup_steps``, ``cooldown_steps``, ``linear_end``, ``power``, "
        "``timescale``, ``shift``, ``steps``/``mults`` for ``stair``; ``base`` is the "
        "schedule's ``mult``, and ``config.lr`` multiplies it after). ``optax."
        "scale_by_schedule`` reads it at the optimizer's count before each update, so update "
        "``k`` uses ``step_fn(k)``: with ``progress = clip((k - warmup_steps) / (total_steps "
        "- warmup_steps), 0, 1)``, ``linear``/``polynomial`` (to ``linear_end``), ``cosine`` "
        "(to 0), ``rsqrt`` (``base / sqrt(1 + (k + shift - warmup_steps) / timescale)``, "
        "constant during the warmup) or ``stair`` (``base`` times ``mults[i - 1]`` from "
        "``steps[i - 1]``), times ``min(1, k / warmup_steps)`` and ``min(1, (total_steps - "
        "k) / cooldown_steps)``: a product of Compositions. big_vision computes in float32. "
        "Training ends at ``total_steps``; past it the cooldown goes negative and ``rsqrt`` "
        "goes on down, and the preset holds the value at ``total_steps``.",
    ),
}
