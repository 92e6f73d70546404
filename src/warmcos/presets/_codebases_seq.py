"""Sequence-model training codebases' schedules (fairseq, ...), read from a pinned commit.

As in ``_codebases``: each maps a training codebase's own schedule, with its own names (its
config keys), onto a Schedule (or a Composition where the template cannot say it), its step
convention included: the value optimizer update k (0-based) uses in that codebase's loop.
"""

# The presets mirror the codebases' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
import itertools
import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Annotated

from ..compose import Composition, Segment
from ..schedule import MAX_STEPS
from ._core import Below, Codebase, Preset
from ._kinds import (
    Count,
    DecayRate,
    Finite,
    Items,
    Length,
    Name,
    Proportion,
    Rate,
    Ratio,
    Real,
    Spec,
    Steps,
)

#: The commits the presets were read from (and their golden data produced by).
_FAIRSEQ = "3d262bb25690e4eb2e7d3c1309b1e9c406ca4b99"


_T5X = "cc342d419ec3e3e9c4bf1df33c82330cafdc1e16"
_MAXTEXT = "e64f6813e0e22b57395f070741d24948029a59ba"
_LEVANTER = "9263f81e8b453241332c2c0b2d2001bfb2d2241c"

_LR_SCHEDULER = "fairseq/optim/lr_scheduler"

#: How many restarts of fairseq's ``cosine`` the preset follows at most (then it holds).
_MAX_RESTARTS = 10_000

#: How many stairs of fairseq's ``step`` the preset writes out at most.
_MAX_STAIRS = 10_000


def _warmup(warmup_updates: int, start: float) -> Spec:
    """The warmup ``warmup_init_lr + num_updates * lr_step`` of fairseq: the peak at its end."""
    return {"warmup_steps": warmup_updates, "warmup_start_lr": start} if warmup_updates else {}


def _start(lr: float, warmup_init_lr: float, default: float) -> float:
    """``warmup_init_lr`` (``default`` where it is negative, fairseq's "unset"), at most ``lr``."""
    start = default if warmup_init_lr < 0 else warmup_init_lr
    if start > lr:
        raise ValueError(
            "warmup_init_lr must be <= lr (a falling warmup is not a warmcos warmup); "
            f"received {warmup_init_lr=}, {lr=}"
        )
    return start


def _fairseq_cosine(
    lr: Rate,
    warmup_updates: Steps = 0,
    warmup_init_lr: Finite = -1.0,
    min_lr: Rate = 0.0,
    t_mult: Annotated[float, Real(1.0, why="periods that grow")] = 1.0,
    lr_period_updates: Finite = -1.0,
    lr_shrink: DecayRate = 0.1,
    max_update: Steps = 0,
) -> Spec:
    start = _start(lr, warmup_init_lr, min_lr)
    if lr_period_updates <= 0:  # unset: the period is max_update - warmup_updates
        if max_update <= warmup_updates:
            raise ValueError(
                "max_update must be > warmup_updates when lr_period_updates is unset (fairseq's "
                f"period is their difference); received {max_update=}, {warmup_updates=}"
            )
        period = max_update - warmup_updates
    elif lr_period_updates != int(lr_period_updates):
        raise ValueError(
            "lr_period_updates must be a whole number of updates (or <= 0 for max_update - "
            f"warmup_updates); received {lr_period_updates=}"
        )
    else:
        period = int(lr_period_updates)
    if warmup_updates + period > MAX_STEPS:
        raise ValueError(
            "warmup_updates + lr_period_updates (or max_update) must be <= 2**63 - 1 (steps are "
            f"64-bit integers); received {warmup_updates=}, {lr_period_updates=}, {max_update=}"
        )
    if t_mult not in (1, 2):
        raise ValueError(
            "t_mult must be 1 or 2: fairseq finds the period with a float log, "
            "log(1 + updates / period * (t_mult - 1), t_mult), which lands one update late at "
            f"some restarts for other t_mult; received {t_mult=}"
        )
    # the restarts fairseq goes on with past max_update, as many as 64-bit steps hold
    # and while the shrunk peak, lr * lr_shrink ** i, stays within 290 decades of lr
    most = _MAX_RESTARTS if lr_shrink == 1 else 1 + int(290 / -math.log10(lr_shrink))
    cycles, total, length = 0, warmup_updates, period
    while cycles < min(most, _MAX_RESTARTS) and total + length <= MAX_STEPS:
        cycles, total, length = cycles + 1, total + length, int(length * t_mult)
    restarts: Spec = {"cycles": cycles, "cycle_mul": t_mult} if cycles > 1 else {}
    if lr_shrink != 1 and cycles > 1:  # final_lr is the last cycle's floor
        restarts |= {"cycle_decay": lr_shrink, "cycle_floor": "scaled"}
    return {
        "peak_lr": lr,
        "total_steps": total,
        **_warmup(warmup_updates, start),
        **restarts,
        "final_lr": min_lr * lr_shrink ** (cycles - 1) if restarts else min_lr,
    }


def _fairseq_inverse_sqrt(
    lr: Rate, warmup_updates: Length = 4000, warmup_init_lr: Finite = -1.0, *, horizon: Length
) -> Spec:
    # the warmup to lr at warmup_updates, then lr * sqrt(warmup_updates / num_updates)
    return {
        "peak_lr": lr,
        "total_steps": horizon,
        "decay_shape": "inverse_sqrt",
        "timescale": warmup_updates,
        **_warmup(warmup_updates, _start(lr, warmup_init_lr, 0.0)),
    }


def _fairseq_polynomial(
    lr: Rate,
    warmup_updates: Steps = 0,
    force_anneal: int | None = None,
    end_learning_rate: Rate = 0.0,
    power: Annotated[float, Real(0.0, low_open=True)] = 1.0,
    total_num_update: Length = 1,
) -> Composition:
    w, t = warmup_updates, total_num_update
    # lr * num_updates / warmup_updates up to and including warmup_updates (0 at update 0)
    segments = [Segment(w, 0.0, lr)] if w else []
    if w >= t:  # the warmup wins up to warmup_updates; end_learning_rate from the next update
        segments += [Segment(1, lr), Segment(1, end_learning_rate)] if w else []
        return Composition(segments or [Segment(1, end_learning_rate)])
    if end_learning_rate > lr and power != 1:
        raise ValueError(
            "end_learning_rate must be <= lr unless power=1 (a rising (1 - progress) ** power "
            f"is not one of warmcos' shapes); received {lr=}, {end_learning_rate=}, {power=}"
        )
    shape = "linear" if power == 1 else "polynomial"
    decay = Segment(t - w, lr, end_learning_rate, shape, power if power != 1 else 1.0)
    return Composition([*segments, decay])


def _fairseq_tri_stage(
    lr: Rate,
    warmup_steps: Steps = 0,
    hold_steps: Steps = 0,
    decay_steps: Steps = 0,
    phase_ratio: Annotated[Sequence[Proportion], Items(3, 3, "phase ratios")] | None = None,
    init_lr_scale: Ratio = 0.01,
    final_lr_scale: DecayRate = 0.01,
    max_update: Steps = 0,
) -> Composition:
    w, h, d = warmup_steps, hold_steps, decay_steps
    if phase_ratio is not None:  # int(max_update * ratio) each; fairseq asserts the sum is 1
        if not (max_update > 0 and sum(phase_ratio) == 1):
            raise ValueError(
                "phase_ratio needs max_update > 0 and ratios that add up to 1 (fairseq asserts "
                f"both); received {phase_ratio=}, {max_update=}"
            )
        w, h, d = (int(max_update * r) for r in phase_ratio)
    if not d:
        raise ValueError(
            "decay_steps (or int(max_update * phase_ratio[2])) must be >= 1: fairseq divides "
            f"log(final_lr_scale) by it; received {decay_steps=}, {phase_ratio=}, {max_update=}"
        )
    # init_lr_scale * lr rising linearly to lr at warmup_steps, lr while hold_steps last, then
    # lr * exp(-log(1 / final_lr_scale) * n / decay_steps) to final_lr_scale * lr, held
    segments = [Segment(w, init_lr_scale * lr, lr)] if w else []
    segments += [Segment(h, lr)] if h else []
    shape = "exponential" if lr and final_lr_scale != 1 else "constant"
    segments.append(Segment(d, lr, final_lr_scale * lr, shape) if lr else Segment(d, 0.0))
    return Composition(segments)


def _fairseq_step(
    lr: Rate,
    warmup_updates: Steps = 0,
    warmup_init_lr: Finite = -1.0,
    min_lr: Rate = 0.0,
    lr_deacy_period: Length = 25000,
    lr_decay: Proportion = 0.5,
) -> Composition:
    start = _start(lr, warmup_init_lr, min_lr)
    # max(lr * lr_decay ** (n // lr_deacy_period), min_lr), n = num_updates - warmup_updates:
    # stairs off the clock's multiples (from warmup_updates), written out until min_lr (or 0)
    segments = [Segment(warmup_updates, start, lr)] if warmup_updates else []
    i, value = 0, lr
    while value > min_lr and lr_decay != 1 and i < _MAX_STAIRS:
        segments.append(Segment(lr_deacy_period, value))
        i += 1
        value = max(lr * lr_decay**i, min_lr)
    if value > min_lr and lr_decay != 1:
        raise ValueError(
            f"lr * lr_decay ** k reaches min_lr only after more than {_MAX_STAIRS} periods (each "
            f"written out: they start at warmup_updates, off the multiples of the period); "
            f"received {lr=}, {lr_decay=}, {min_lr=}"
        )
    segments.append(Segment(1, value))
    return Composition(segments)


#: T5X's factors that divide by ``warmup_steps`` (NaN or infinite at step 0 without one).
_T5X_BY_WARMUP = ("linear_warmup", "linear_decay", "rsqrt_decay", "rsqrt_normalized_decay")


def _t5x_linear_decay(base: float, w: int, decay_factor: float, horizon: int) -> list[Segment]:
    """T5X's ``base * min(step / W, 1 + decay_factor * (W - step))``, down to 0."""
    # zero at W + 1 / decay_factor (the decimal decay_factor prints as), then negative: 0
    # here, which min_learning_rate's clamp turns into it as T5X's does; a line that crosses
    # zero past the horizon ends there
    up = Segment(w, 0.0, base)
    if not decay_factor or horizon <= w:
        return [up]
    span = 1 / Fraction(repr(decay_factor))
    if w + span > horizon:
        return [up, Segment(horizon - w, base, base * (1 - decay_factor * (horizon - w)))]
    return [up, Segment(span, base, 0.0)]


def _t5x_factor(
    name: str,
    base: float,
    w: int,
    decay_factor: float,
    steps_per_decay: int,
    steps_per_cycle: int,
    horizon: int,
) -> list[Segment]:
    """The segments of T5X's factor ``name`` (of the step, from 0), up to ``horizon``."""
    if name == "constant":
        return [Segment(1, base)]
    if name == "linear_warmup":  # min(1, step / warmup_steps)
        return [Segment(w, 0.0, 1.0)]
    if name == "linear_decay":
        return _t5x_linear_decay(base, w, decay_factor, horizon)
    if name in ("rsqrt_decay", "rsqrt_normalized_decay"):  # 1 / sqrt(max(step, W)) (* sqrt(W))
        top = 1.0 if name == "rsqrt_normalized_decay" else 1 / math.sqrt(w)
        tail = [Segment(horizon - w, top, 0.0, "inverse_sqrt", timescale=w)] if horizon > w else []
        return [Segment(w, top), *tail]
    if name == "decay_every":  # decay_factor ** (step // steps_per_decay), written out
        count = -(-horizon // steps_per_decay)
        if count > _MAX_STAIRS:
            raise ValueError(
                f"decay_every's stairs up to horizon, ceil(horizon / steps_per_decay), must be "
                f"at most {_MAX_STAIRS}; received {horizon=}, {steps_per_decay=}"
            )
        return [Segment(steps_per_decay, decay_factor**k) for k in range(count + 1)]
    # cosine_decay: 1 up to W, then 0.5 * (1 + cos(pi * (progress % 1))), progress = (step - W)
    # / steps_per_cycle: a cosine from 1 to 0 restarting every steps_per_cycle steps
    count = max(0, horizon - w) // steps_per_cycle + 1  # (a cycle starts at 1 on its step)
    if count > _MAX_STAIRS:
        raise ValueError(
            f"cosine_decay's cycles up to horizon, (horizon - warmup_steps) // "
            f"steps_per_cycle + 1, must be at most {_MAX_STAIRS}; received {horizon=}, "
            f"{steps_per_cycle=}, warmup_steps={w}"
        )
    head = [Segment(w, 1.0)] if w else []
    return head + [Segment(steps_per_cycle, 1.0, 0.0, "cosine")] * count


def _t5x(
    factors: Name = "constant * linear_warmup * rsqrt_decay",
    base_learning_rate: Rate = 0.5,
    warmup_steps: Steps = 1000,
    decay_factor: Annotated[float, Real(0.0)] = 0.5,
    steps_per_decay: Length = 20000,
    steps_per_cycle: Length = 100000,
    step_offset: Steps = 0,
    min_learning_rate: Rate = 1e-8,
    *,
    horizon: Length,
) -> Composition:
    names = [n.strip() for n in factors.split("*")]
    known = ("constant", "cosine_decay", "decay_every", *_T5X_BY_WARMUP)
    unknown = [n for n in names if n not in known]
    if unknown or (not warmup_steps and any(n in _T5X_BY_WARMUP for n in names)):
        raise ValueError(
            f"factors must be T5X's, separated by '*' ({', '.join(known)}), and "
            f"{', '.join(_T5X_BY_WARMUP)} need warmup_steps >= 1 (T5X divides by it: NaN or "
            f"infinite at step 0); received {factors=}, {warmup_steps=}"
        )
    if names.count("linear_decay") > 1:
        raise ValueError(
            "factors may hold linear_decay once (past its zero it is negative, and T5X "
            f"multiplies two negatives into a positive rate); received {factors=}"
        )
    # max(product of the factors, min_learning_rate) at max(0, step - step_offset)
    x = Composition([Segment(1, 1.0)])
    for name in names:
        parts = _t5x_factor(
            name,
            base_learning_rate,
            warmup_steps,
            decay_factor,
            steps_per_decay,
            steps_per_cycle,
            horizon,
        )
        x *= Composition(parts, offset=-step_offset)
    return x.clamp(min_learning_rate)


#: MaxText's ``steps`` and ``learning_rate_schedule_steps``: -1 takes the other's value (the
#: spec refuses other negatives; the kind lets them through to name that rule).
_MaxTextSteps = Annotated[int, Count(minimum=-MAX_STEPS)]


def _maxtext(
    steps: _MaxTextSteps = 150_001,
    learning_rate: Rate = 3e-5,
    cosine_learning_rate_final_fraction: Proportion = 0.1,
    warmup_steps_fraction: Proportion = 0.1,
    learning_rate_schedule_steps: _MaxTextSteps = -1,
) -> Composition:
    # pyconfig: -1 inherits from the other; train.py asserts steps > 0
    for name, value in (
        ("steps", steps),
        ("learning_rate_schedule_steps", learning_rate_schedule_steps),
    ):
        if value < -1:
            raise ValueError(
                f"{name} must be -1 (take the other one's value, as pyconfig does) or a count "
                f">= 0; received {name}={value}"
            )
    schedule = steps if learning_rate_schedule_steps == -1 else learning_rate_schedule_steps
    total = schedule if steps == -1 else steps
    if total <= 0:
        raise ValueError(
            "steps must be >= 1, or -1 with learning_rate_schedule_steps >= 1 (MaxText "
            f"asserts steps > 0); received {steps=}, {learning_rate_schedule_steps=}"
        )
    warmup = int(schedule * warmup_steps_fraction)
    final = learning_rate * cosine_learning_rate_final_fraction
    segments = [Segment(warmup, 0.0, learning_rate)] if warmup else []
    if schedule > warmup:
        segments.append(Segment(schedule - warmup, learning_rate, final, "cosine"))
    if total > schedule or not segments:  # the constant 0 to steps (and past it)
        segments.append(Segment(1, 0.0))
    return Composition(segments)


def _frac_or_steps(name: str, value: float, steps: int) -> int:
    """Levanter's ``_convert_frac_or_steps``: at most 1 a fraction of ``steps``, else steps."""
    if value > 1 and value % 1:
        raise ValueError(
            f"{name} must be a fraction in [0, 1] of the cycle's steps or a whole number of "
            f"steps (Levanter raises otherwise); received {name}={value}"
        )
    return int(value * steps) if value <= 1 else int(value)


#: Levanter's ``lr_schedule`` names the preset follows (``inv_sqrt`` and ``inv`` not yet).
_LEVANTER_DECAYS = ("constant", "cosine", "linear")


def _levanter(
    num_train_steps: Length,
    learning_rate: Rate = 6e-4,
    min_lr_ratio: Ratio = 0.1,
    warmup: Annotated[float, Real(0.0)] = 0.01,
    decay: Annotated[float, Real(0.0)] | None = None,
    rewarmup: Annotated[float, Real(0.0)] = 0.0,
    cooldown: float | None = None,
    cycle_length: float | None = None,
    cycles: Annotated[int, Count("cycles", 1)] | None = None,
    lr_schedule: Name = "cosine",
    haps: list[int] | None = None,
) -> Composition:
    if lr_schedule not in _LEVANTER_DECAYS:
        raise ValueError(
            f"lr_schedule must be one of {', '.join(_LEVANTER_DECAYS)} (Levanter's inv_sqrt "
            f"and inv are not supported yet); received {lr_schedule=}"
        )
    n = num_train_steps
    ends = [0, *(int(n / cycles * (i + 1)) for i in range(cycles - 1)), n] if cycles else [0, n]
    min_lr = learning_rate * min_lr_ratio
    segments: list[Segment] = []
    previous = 0.0  # each cycle's warmup starts at the value the last one ended on
    for i, (start, end) in enumerate(itertools.pairwise(ends)):
        length = end - start  # 0 where cycles > num_train_steps: used by no step
        name, value = ("warmup", warmup) if i == 0 else ("rewarmup", rewarmup)
        up = _frac_or_steps(name, value, length)
        down = length - up if decay is None else _frac_or_steps("decay", decay, length)
        if up + down > length:
            raise ValueError(
                "warmup (or rewarmup) and decay must fit in each cycle (Levanter's stable phase "
                f"would be negative); received {warmup=}, {rewarmup=}, {decay=}, cycle {i} of "
                f"{length} steps"
            )
        segments += [Segment(up, previous, learning_rate)] if up else []
        segments += [Segment(length - up - down, learning_rate)] if length - up - down else []
        # optax's schedules: cosine needs decay steps; a linear of none is its start value
        if lr_schedule == "cosine" and not down:
            raise ValueError(
                f"decay must leave steps to decay in each cycle (optax's cosine_decay_schedule "
                f"raises for 0 decay_steps); received {decay=}, cycle {i} of {length} steps"
            )
        previous = learning_rate if lr_schedule == "constant" or not down else min_lr
        if down:
            shape = "linear" if lr_schedule == "linear" else "cosine"
            segments.append(Segment(down, learning_rate, previous, shape))
    segments.append(Segment(1, previous))
    return Composition(segments)


def _fairseq(
    module: str, anchor: str, spec: Callable[..., Spec | Composition], doc: str, **more: object
) -> Preset:
    path = f"{_LR_SCHEDULER}/{module}.py"
    return Preset(
        f"{path}:{anchor}",
        scaled=False,
        spec=spec,
        doc=f"fairseq's ``--lr-scheduler {doc}",
        codebase=Codebase("facebookresearch/fairseq", _FAIRSEQ, path),
        **more,  # type: ignore[arg-type]
    )


_FAIRSEQ_LOOP = (
    "(its config keys; ``lr`` is ``--lr``'s single value). fairseq's ``Trainer`` calls "
    "``lr_scheduler.step_update(0)`` when it builds the optimizer and "
    "``step_update(num_updates)`` after each update (and at each epoch's start), so update "
    "``k`` uses ``step_update(k)``"
)

#: This module's presets, by name (``warmcos.presets.PRESETS`` gathers them).
PRESETS: dict[str, Preset] = {
    "fairseq_cosine": _fairseq(
        "cosine_lr_scheduler",
        "CosineLRSchedule",
        _fairseq_cosine,
        f"cosine`` {_FAIRSEQ_LOOP}: ``warmup_init_lr`` (``min_lr`` when unset) rising "
        "linearly to ``lr`` at update ``warmup_updates``, then cosines from ``lr * lr_shrink "
        "** i`` to ``min_lr * lr_shrink ** i`` over periods of ``lr_period_updates * t_mult ** "
        "i`` updates (``max_update - warmup_updates`` when unset), restarting after each. "
        "Training ends at ``max_update``; past it fairseq's formula restarts, and so does the "
        "preset (up to 10,000 restarts, 2**63 steps or a peak shrunk by 290 decades, then it "
        "holds).",
        rules=(
            Below(
                ("min_lr",),
                "lr",
                "at or above lr fairseq holds lr * lr_shrink ** i over period i, flat steps "
                "the template does not restart",
            ),
        ),
    ),
    "fairseq_inverse_sqrt": _fairseq(
        "inverse_square_root_schedule",
        "InverseSquareRootSchedule",
        _fairseq_inverse_sqrt,
        f"inverse_sqrt`` {_FAIRSEQ_LOOP}: ``warmup_init_lr`` (0 when unset) rising linearly "
        "to ``lr`` at update ``warmup_updates``, then ``lr * sqrt(warmup_updates / k)``. "
        "fairseq decays forever; the preset follows it up to ``horizon`` (its "
        "``total_steps``; training ends at ``max_update``) and holds after it.",
        rules=(Below(("warmup_updates",), "horizon", "the preset's end"),),
    ),
    "fairseq_polynomial_decay": _fairseq(
        "polynomial_decay_schedule",
        "PolynomialDecayLRSchedule",
        _fairseq_polynomial,
        f"polynomial_decay`` {_FAIRSEQ_LOOP}: ``lr * k / warmup_updates`` up to and "
        "including update ``warmup_updates`` (0 at update 0), then ``(lr - "
        "end_learning_rate) * (1 - (k - warmup_updates) / (total_num_update - "
        "warmup_updates)) ** power + end_learning_rate`` (a Composition), and "
        "``end_learning_rate`` from ``total_num_update`` on, which the preset holds past it.",
        unsupported={"force_anneal": "an epoch from which --lr's per-epoch values stop"},
    ),
    "fairseq_tri_stage": _fairseq(
        "tri_stage_lr_scheduler",
        "TriStageLRSchedule",
        _fairseq_tri_stage,
        f"tri_stage`` {_FAIRSEQ_LOOP}: ``init_lr_scale * lr`` rising linearly to ``lr`` at "
        "update ``warmup_steps``, ``lr`` for ``hold_steps`` updates, then ``lr * exp(-log(1 "
        "/ final_lr_scale) * n / decay_steps)`` down to ``final_lr_scale * lr`` at ``n = "
        "decay_steps`` (the steps ``int(max_update * ratio)`` with ``phase_ratio``): a "
        "Composition. After that fairseq holds ``final_lr_scale * lr``, as the preset does.",
    ),
    "fairseq_step": _fairseq(
        "step_lr_scheduler",
        "StepLRSchedule",
        _fairseq_step,
        f"step`` {_FAIRSEQ_LOOP}: ``warmup_init_lr`` (``min_lr`` when unset) rising linearly "
        "to ``lr`` at update ``warmup_updates``, then ``max(lr * lr_decay ** (n // "
        "lr_deacy_period), min_lr)`` with ``n = k - warmup_updates`` (fairseq's spelling), "
        "stairs from ``warmup_updates`` written out (a Composition) until ``min_lr`` (or 0), "
        "which holds past them, as in fairseq.",
        rules=(Below(("min_lr",), "lr", "fairseq asserts max_lr > min_lr"),),
    ),
    "t5x_learning_rate_scheduler": Preset(
        "t5x/utils.py:create_learning_rate_scheduler",
        scaled=False,
        spec=_t5x,
        codebase=Codebase("google-research/t5x", _T5X, "t5x/utils.py"),
        doc="T5X's ``create_learning_rate_scheduler`` (its gin parameters: ``factors``, "
        "``base_learning_rate``, ``warmup_steps``, ``decay_factor``, ``steps_per_decay``, "
        "``steps_per_cycle``, ``step_offset``, ``min_learning_rate``). The trainer passes "
        "``learning_rate_fn(train_state.step)`` to the update, so update ``k`` uses "
        "``step_fn(k)``: with ``s = max(0, k - step_offset)``, the product of the factors "
        "(``constant``: ``base_learning_rate``; ``linear_warmup``: ``min(1, s / "
        "warmup_steps)``; ``linear_decay``: ``base_learning_rate * min(s / warmup_steps, 1 + "
        "decay_factor * (warmup_steps - s))``; ``rsqrt_decay``: ``1 / sqrt(max(s, "
        "warmup_steps))``; ``rsqrt_normalized_decay``: that times ``sqrt(warmup_steps)``; "
        "``decay_every``: ``decay_factor ** (s // steps_per_decay)``; ``cosine_decay``: 1, "
        "then a cosine to 0 every ``steps_per_cycle`` steps from ``warmup_steps``), at least "
        "``min_learning_rate``: a product of Compositions. T5X computes in float32 (its "
        "``cosine_decay`` progress too: where XLA's ``1 / steps_per_cycle`` rounds it just "
        "below a whole number, a restart step gives about 0 there, not the restart's 1, as "
        "the preset does). It has "
        "no end (training stops at ``total_steps``); the preset follows it up to ``horizon`` "
        "(``cosine_decay`` to the end of the cycle that holds ``horizon``) and holds after it.",
    ),
    "maxtext_learning_rate_schedule": Preset(
        "MaxText/max_utils.py:create_learning_rate_schedule",
        scaled=False,
        spec=_maxtext,
        codebase=Codebase("google/maxtext", _MAXTEXT, "MaxText/max_utils.py"),
        doc="MaxText's ``create_learning_rate_schedule`` (its config keys: ``steps``, "
        "``learning_rate``, ``cosine_learning_rate_final_fraction``, "
        "``warmup_steps_fraction``, ``learning_rate_schedule_steps``, -1 for either taking the "
        "other's value as pyconfig does). The optimizer reads the int32 count of updates "
        "before each one, so update ``k`` uses ``schedule(k)``: with ``W = "
        "int(learning_rate_schedule_steps * warmup_steps_fraction)``, a linear warmup from 0 "
        "to ``learning_rate`` at update ``W``, then a cosine down to ``learning_rate * "
        "cosine_learning_rate_final_fraction`` at ``learning_rate_schedule_steps`` (a "
        "Composition; optax's ``join_schedules``, in jax float32), and 0 from there while "
        "``steps`` is larger (to its end and past it, as the preset holds). Where ``steps`` "
        "is at most ``learning_rate_schedule_steps`` training ends there: past the cosine's end "
        "MaxText's formula rises again, which no update uses; the preset holds the final value.",
    ),
    "levanter_lr_scheduler": Preset(
        "src/levanter/optim/config.py:OptimizerConfig.lr_scheduler",
        scaled=False,
        spec=_levanter,
        codebase=Codebase("stanford-crfm/levanter", _LEVANTER, "src/levanter/optim/config.py"),
        doc="Levanter's ``OptimizerConfig.lr_scheduler(num_train_steps)`` (its config keys: "
        "``learning_rate``, ``min_lr_ratio``, ``warmup``, ``decay``, ``rewarmup``, ``cycles``, "
        "``lr_schedule``; a fraction at most 1 of the cycle's steps, 1 the whole cycle as in "
        "Levanter, or whole steps above 1). "
        "``optax.inject_hyperparams`` reads the count before each update, so update ``k`` uses "
        "``schedule(k)``: in each of the ``cycles`` (cut at ``int(num_train_steps / cycles * "
        "i)``), a linear warmup from the previous cycle's end value (0 for the first) to "
        "``learning_rate`` over ``warmup`` (``rewarmup`` after the first) steps, "
        "``learning_rate`` until ``decay`` steps are left (all of them when unset), then the "
        "``lr_schedule`` decay (``constant``, ``cosine`` or ``linear``) to ``learning_rate * "
        "min_lr_ratio`` (a Composition; in jax float32). Training ends at ``num_train_steps``; "
        "past it the last decay holds its end value, as the preset does.",
        unsupported={
            "cooldown": "deprecated in Levanter (a linear cooldown after the cycles)",
            "cycle_length": "cycle lengths instead of cycles (not supported yet)",
            "haps": "deprecated in Levanter (cycles' end points)",
        },
    ),
}
