"""More training codebases' schedules: Composer's under its trainer, detectron2's solver.

Composer (``mosaicml/composer``) schedulers are functions of the trainer's ``State``: its
``timestamp`` and ``max_duration``. ``compile_composer_scheduler`` wraps one in a
``LambdaLR``, built when the trainer is (timestamp 0), and the trainer calls its ``step()``
after each batch *before* it moves the timestamp to the next batch. So update ``k`` uses the
multiplier at batch ``k - 1`` (at batch 0 for updates 0 and 1): the composition runs one update
behind (``offset=-1``).

detectron2's ``build_lr_scheduler`` (``detectron2/solver/build.py``) takes its ``SOLVER``
config keys: an fvcore schedule of ``where = step / MAX_ITER`` behind a
``WarmupParamScheduler`` (fvcore's ``CompositeParamScheduler``: the warmup, then the schedule),
wrapped in ``LRMultiplier``, which the ``LRScheduler`` hook steps after each update: update
``k`` uses ``BASE_LR * multiplier(k / MAX_ITER)``.
"""

# The presets mirror Composer's signatures, positional parameters included.
# ruff: noqa: PLR0917, N803 - detectron2's config keys are upper case

from __future__ import annotations

import itertools
import math
import re
import reprlib

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Annotated, Literal

from ..compose import Composition, Segment
from ._core import Codebase, Preset
from ._kinds import IntLength, Items, Length, Positive, Rate, Steps, Switch

DETECTRON2 = Codebase(
    "facebookresearch/detectron2",
    "02b5c4e295e990042a714712c21dc79b731e8833",
    "detectron2/solver/build.py",
)

COMPOSER = Codebase(
    "mosaicml/composer", "6405188805a0054b4551ec49e4919c54c971d0e8", "composer/optim/scheduler.py"
)

_TIME = re.compile(r"^([0-9.eE+-]+)(ba|ep|dur)$")


@dataclass(frozen=True)
class TimeString:
    """A Composer time string: a number and a unit, ``"100ba"``, ``"2ep"``, ``"0.05dur"``.

    Batches (``ba``) and epochs (``ep``) are whole numbers (Composer raises otherwise),
    ``dur`` a fraction of ``max_duration``; ``duration=False`` refuses ``dur`` (for
    ``max_duration`` itself). Samples, tokens and seconds are not read here.
    """

    duration: bool = True

    def check(self, value: object, name: str) -> tuple[float, str]:
        """``(value, unit)``, or ``TypeError``/``ValueError`` naming ``name``."""
        if not isinstance(value, str):
            raise TypeError(
                f"{name} must be a Composer time string ('100ba', '2ep', '0.5dur'); received "
                f"{name}={reprlib.repr(value)} of type {type(value).__name__}"
            )
        units = "ba, ep or dur" if self.duration else "ba or ep"
        match = _TIME.match(value.lower())
        number = None
        if match and (self.duration or match[2] != "dur"):
            try:
                number = float(match[1])
            except ValueError:
                number = None
        if number is None or not 0 <= number < 2**53:
            raise ValueError(
                f"{name} must be a number >= 0 and a unit ({units}: samples, tokens and "
                f"seconds are not read here); received {name}={value!r}"
            )
        if match[2] != "dur" and not number.is_integer():  # type: ignore[index]
            raise ValueError(
                f"{name} must be a whole number of batches or epochs (Composer raises); "
                f"received {name}={value!r}"
            )
        return number, match[2]  # type: ignore[index]


Time = Annotated[tuple[float, str], TimeString()]
MaxDuration = Annotated[tuple[float, str], TimeString(duration=False)]


def _batches(
    time: tuple[float, str], scaled: int, max_unit: str, length: int | None, ssr: float
) -> int:
    """Composer's ``_convert_time``: ``time`` in batches, in its order of arithmetic.

    ``scaled`` is the trainer's ``max_duration`` (times ``scale_schedule_ratio``) in
    ``max_unit``; ``dur`` is a fraction of it, ``ba`` and ``ep`` are scaled by ``ssr``.
    """
    value, unit = time
    if unit == "dur":
        return int(value * length * scaled) if max_unit == "ep" else int(value * scaled)  # type: ignore[operator]
    if unit == "ep":
        if length is None:
            raise ValueError("dataloader_len must be given where a time is in epochs ('ep')")
        value *= length
    return int(value * ssr)


def _schedule(
    shape: str,
    t_warmup: tuple[float, str],
    t_max: tuple[float, str],
    start: float,
    alpha_f: float,
    power: float,
    lr: float,
    max_duration: tuple[float, str],
    dataloader_len: int | None,
    ssr: float,
) -> Composition:
    """Composer's warmup, then its decay with ``shape``, one update behind (see the module)."""
    value, unit = max_duration
    scaled = int(int(value) * ssr)  # the trainer's max_duration * scale_schedule_ratio
    if scaled == 0:
        raise ValueError(
            "max_duration * scale_schedule_ratio must be >= 1 (Composer raises: it reduces the "
            f"max_duration to 0); received max_duration={value:g}{unit}, "
            f"scale_schedule_ratio={ssr!r}"
        )
    if unit == "ep" and dataloader_len is None:
        raise ValueError("dataloader_len must be given when max_duration is in epochs ('ep')")
    max_batches = scaled * dataloader_len if unit == "ep" else scaled  # type: ignore[operator]
    warmup = _batches(t_warmup, scaled, unit, dataloader_len, 1.0)  # never scaled
    total = _batches(t_max, scaled, unit, dataloader_len, ssr)
    if total < max_batches:
        raise ValueError(
            f"t_max must be >= max_duration (Composer raises); t_max is {total} batches, "
            f"max_duration {max_batches}"
        )
    # batch b < t_warmup: start * b / t_warmup; then (b - t_warmup) / (t_max - t_warmup) of
    # the decay, clipped at 1 (0 when t_max <= t_warmup)
    segments = [Segment(warmup, 0.0, lr * start)] if warmup else []
    if total > warmup:
        segments.append(Segment(total - warmup, lr * start, lr * alpha_f, shape, power))
    else:
        segments.append(Segment(1, lr * start))
    return Composition(segments, offset=-1)


def _linear_with_warmup(
    t_warmup: Time,
    alpha_i: Rate = 1.0,
    alpha_f: Rate = 0.0,
    t_max: Time = "1dur",  # type: ignore[assignment] # checked into (value, unit)
    scale_warmup: bool = False,
    *,
    lr: Rate,
    max_duration: MaxDuration,
    dataloader_len: IntLength | None = None,
    scale_schedule_ratio: Positive = 1.0,
) -> Composition:
    return _schedule(
        "linear",
        t_warmup,
        t_max,
        alpha_i,
        alpha_f,
        1.0,
        lr,
        max_duration,
        dataloader_len,
        scale_schedule_ratio,
    )


def _cosine_with_warmup(
    t_warmup: Time,
    t_max: Time = "1dur",  # type: ignore[assignment] # checked into (value, unit)
    alpha_f: Rate = 0.0,
    scale_warmup: bool = False,
    *,
    lr: Rate,
    max_duration: MaxDuration,
    dataloader_len: IntLength | None = None,
    scale_schedule_ratio: Positive = 1.0,
) -> Composition:
    return _schedule(
        "cosine",
        t_warmup,
        t_max,
        1.0,
        alpha_f,
        1.0,
        lr,
        max_duration,
        dataloader_len,
        scale_schedule_ratio,
    )


def _constant_with_warmup(
    t_warmup: Time,
    alpha: Rate = 1.0,
    t_max: Time = "1dur",  # type: ignore[assignment] # checked into (value, unit)
    scale_warmup: bool = False,
    *,
    lr: Rate,
    max_duration: MaxDuration,
    dataloader_len: IntLength | None = None,
    scale_schedule_ratio: Positive = 1.0,
) -> Composition:
    return _schedule(
        "linear",
        t_warmup,
        t_max,
        alpha,
        alpha,
        1.0,
        lr,
        max_duration,
        dataloader_len,
        scale_schedule_ratio,
    )


def _polynomial_with_warmup(
    t_warmup: Time,
    power: Positive = 2.0,
    t_max: Time = "1dur",  # type: ignore[assignment] # checked into (value, unit)
    alpha_f: Rate = 0.0,
    scale_warmup: bool = False,
    *,
    lr: Rate,
    max_duration: MaxDuration,
    dataloader_len: IntLength | None = None,
    scale_schedule_ratio: Positive = 1.0,
) -> Composition:
    return _schedule(
        "polynomial",
        t_warmup,
        t_max,
        1.0,
        alpha_f,
        power,
        lr,
        max_duration,
        dataloader_len,
        scale_schedule_ratio,
    )


#: fvcore's ``WHERE_EPSILON``: its steps and its composite switch this early (in ``where``).
_EPSILON = Fraction(1, 10**6)


def _steps(
    name: str, m: int, STEPS: Sequence[int], GAMMA: float, NUM_DECAYS: int
) -> tuple[list[float], list[Fraction]]:
    """detectron2's stepped schedule: its values, and the wheres each after the first starts."""
    values: list[float] = [1.0]
    wheres: list[Fraction] = []
    if name == "WarmupMultiStepLR":
        steps = [x for x in STEPS if x <= m]  # detectron2 drops (and warns about) the others
        for i, x in enumerate(steps):
            if not (steps[i - 1] if i else 0) < x < m:
                raise ValueError(
                    "STEPS at most MAX_ITER must increase from above 0 and stay below "
                    f"MAX_ITER={m} (fvcore raises); received STEPS={reprlib.repr(list(STEPS))}"
                )
        values = [GAMMA**k for k in range(len(steps) + 1)]
        wheres = [Fraction(x, m) - _EPSILON for x in steps]  # int((where + 1e-6) * MAX_ITER)
    elif name == "WarmupStepWithFixedGammaLR":
        for _ in range(NUM_DECAYS):
            values.append(values[-1] * GAMMA)
        wheres = [Fraction(i, len(values)) - _EPSILON for i in range(1, len(values))]
    return values, wheres


def _detectron2(
    BASE_LR: Rate = 0.001,
    MAX_ITER: Length = 40000,
    STEPS: Annotated[Sequence[Steps], Items(0, 1000, "iterations")] = (30000,),
    GAMMA: Positive = 0.1,
    WARMUP_FACTOR: Rate = 1.0 / 1000,
    WARMUP_ITERS: Steps = 1000,
    WARMUP_METHOD: Literal["linear", "constant"] = "linear",
    LR_SCHEDULER_NAME: Literal[
        "WarmupMultiStepLR", "WarmupCosineLR", "WarmupStepWithFixedGammaLR"
    ] = "WarmupMultiStepLR",
    BASE_LR_END: Rate = 0.0,
    NUM_DECAYS: IntLength = 3,
    RESCALE_INTERVAL: Switch = False,
) -> Composition:
    m, name = MAX_ITER, LR_SCHEDULER_NAME
    if m >= 10**6:
        raise ValueError(
            "MAX_ITER must be < 1000000: fvcore's WHERE_EPSILON (1e-6 of training) moves its "
            "steps by a whole update or more from there, which is not supported yet; "
            f"received MAX_ITER={m}"
        )
    warmup = min(WARMUP_ITERS, m)  # min(WARMUP_ITERS / MAX_ITER, 1.0) of training
    if RESCALE_INTERVAL and warmup == m:
        raise ValueError(
            "WARMUP_ITERS must be < MAX_ITER with RESCALE_INTERVAL=True (fvcore's rescaled "
            f"interval after the warmup has length 0); received WARMUP_ITERS={WARMUP_ITERS}, "
            f"MAX_ITER={m}"
        )
    values, wheres = _steps(name, m, STEPS, GAMMA, NUM_DECAYS)
    cosine = name == "WarmupCosineLR"
    if cosine and (not BASE_LR or not 0 <= BASE_LR_END / BASE_LR <= 1):
        raise ValueError(
            "BASE_LR_END / BASE_LR must be in [0, 1] (detectron2 asserts); received "
            f"BASE_LR={BASE_LR!r}, BASE_LR_END={BASE_LR_END!r}"
        )
    if cosine and warmup and not RESCALE_INTERVAL:
        raise ValueError(
            "WarmupCosineLR with WARMUP_ITERS > 0 and RESCALE_INTERVAL=False is not supported "
            "yet: after the warmup detectron2 runs its cosine from where the warmup ends, and a "
            "cosine cut part-way is not a warmcos segment; received "
            f"WARMUP_ITERS={WARMUP_ITERS}, RESCALE_INTERVAL={RESCALE_INTERVAL}"
        )
    # the update each value starts at: where * MAX_ITER, or after a rescaled warmup
    span = Fraction(m - warmup if RESCALE_INTERVAL else m)
    origin = warmup if RESCALE_INTERVAL else 0
    starts = [math.ceil(origin + w * span) for w in wheres]

    def at(step: int) -> float:
        """The schedule's value at update ``step`` (>= the warmup)."""
        return values[sum(start <= step for start in starts)]

    segments = []
    if warmup:
        first = values[0]  # scheduler(0.0): no step starts at where 0
        end = first if RESCALE_INTERVAL else at(warmup)
        start = WARMUP_FACTOR * first
        linear = WARMUP_METHOD == "linear"
        segments.append(Segment(warmup, BASE_LR * start, BASE_LR * end if linear else None))
    if cosine:
        if warmup < m:
            segments.append(
                Segment(m - warmup, BASE_LR, BASE_LR * (BASE_LR_END / BASE_LR), "cosine")
            )
        return Composition(segments)
    bounds = sorted({warmup, *(s for s in starts if warmup < s < m), m})
    if len(bounds) == 1:  # the warmup fills training: then the schedule's value at where 1
        segments.append(Segment(1, BASE_LR * values[-1]))
    segments += [Segment(high - low, BASE_LR * at(low)) for low, high in itertools.pairwise(bounds)]
    return Composition(segments, after="raise")  # fvcore's steps raise past where = 1


_SCALE_WARMUP = (
    "Composer then scales the warmup's slope but not where it ends, which is not supported yet"
)

_DOC = (
    "Times are Composer's strings, in batches (``ba``), epochs (``ep``, with "
    "``dataloader_len``) or fractions of ``max_duration`` (``dur``); the trainer's "
    "``max_duration``, ``dataloader_len`` and ``scale_schedule_ratio`` (which scales "
    "``max_duration`` and ``t_max``, not ``t_warmup``) are keyword arguments, and ``lr`` the "
    "optimizer's. Update ``k`` uses the multiplier at batch ``max(k - 1, 0)``: the trainer "
    "steps the ``LambdaLR`` after each batch, before it moves its timestamp (updates 0 and 1 "
    "both use the warmup's 0). Past ``t_max`` the multiplier holds its end value."
)


def _preset(cls: str, spec: Callable[..., Composition], what: str) -> Preset:
    return Preset(
        f"composer/optim/scheduler.py:{cls}",
        scaled=True,
        spec=spec,
        unsupported={"scale_warmup": _SCALE_WARMUP},
        doc=f"{what} {_DOC}",
        codebase=COMPOSER,
    )


#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "composer_linear_with_warmup": _preset(
        "LinearWithWarmupScheduler",
        _linear_with_warmup,
        "A linear warmup from 0 to ``alpha_i`` over ``t_warmup``, then a line to ``alpha_f`` "
        "at ``t_max`` (a total, warmup included).",
    ),
    "composer_cosine_with_warmup": _preset(
        "CosineAnnealingWithWarmupScheduler",
        _cosine_with_warmup,
        "A linear warmup from 0 to 1 over ``t_warmup``, then half a cosine to ``alpha_f`` at "
        "``t_max``.",
    ),
    "composer_constant_with_warmup": _preset(
        "ConstantWithWarmupScheduler",
        _constant_with_warmup,
        "A linear warmup from 0 to ``alpha`` over ``t_warmup``, then ``alpha``.",
    ),
    "composer_polynomial_with_warmup": _preset(
        "PolynomialWithWarmupScheduler",
        _polynomial_with_warmup,
        "A linear warmup from 0 to 1 over ``t_warmup``, then ``alpha_f + (1 - alpha_f) * (1 - "
        "tau) ** power`` to ``t_max``.",
    ),
    # detectron2
    "detectron2_lr_scheduler": Preset(
        "detectron2/solver/build.py:build_lr_scheduler",
        scaled=False,
        spec=_detectron2,
        doc="detectron2's ``SOLVER`` keys (its defaults): ``WarmupMultiStepLR`` (``GAMMA ** k`` "
        "after the ``k``-th of ``STEPS``), ``WarmupCosineLR`` (a cosine from ``BASE_LR`` to "
        "``BASE_LR_END`` over training) or ``WarmupStepWithFixedGammaLR`` (``NUM_DECAYS + 1`` "
        "equal parts), behind a ``linear`` warmup from ``WARMUP_FACTOR`` times the schedule's "
        "first value to its value where the warmup ends (``constant``: ``WARMUP_FACTOR`` times "
        "it) over ``WARMUP_ITERS``; ``RESCALE_INTERVAL`` runs the whole schedule after the "
        "warmup. The ``LRScheduler`` hook steps ``LRMultiplier`` after each update: update ``k`` "
        "uses ``where = k / MAX_ITER``, fvcore's ``WHERE_EPSILON`` steps included (exact). "
        "Past ``MAX_ITER``, where training ends, fvcore's steps raise, and so "
        "does the preset (``after='raise'``); the cosine rises again there, and its preset "
        "holds ``BASE_LR_END``.",
        codebase=DETECTRON2,
    ),
}
