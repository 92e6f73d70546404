"""Other libraries' schedules, called with their own parameter names, as plain Schedules.

Coming from transformers, optax, Keras, PyTorch, timm, DeepSpeed or torchtune? Call the preset
named after the function you used, with the arguments you passed it::

    >>> from warmcos import presets
    >>> s = presets.optax_warmup_cosine_decay(
    ...     init_value=0.0, peak_value=1e-3, warmup_steps=100, decay_steps=1000
    ... )
    >>> s(0), s(100), s(1000)
    (0.0, 0.001, 0.0)

The result is an ordinary :class:`~warmcos.Schedule`: it serialises, re-plans and runs in every
adapter. Each preset equals its library at every step from 0 to twice its end, the library's
conventions at step 0, at the warmup boundary and after the end included (proven against the
real library by ``tests/conformance/test_presets.py``). Where the library has a parameter
warmcos cannot honour (timm's noise, a staircase, ...), passing it raises ``ValueError``
naming it and why.

Presets are data: :data:`PRESETS` maps each name to a :class:`Preset` (the library function it
stands for, and a mapping from that function's keyword arguments to ``Schedule``'s). The
public functions below are generated from it. This module imports no framework.

Library functions that multiply the optimizer's learning rate (``LambdaLR`` and friends:
transformers, torchtune, PyTorch, timm, DeepSpeed ``WarmupCosineLR``) take ``lr`` where they
take the optimizer: the learning rate of the parameter group (``optimizer.defaults["lr"]``
for the transformers functions that read it).
"""

# The presets mirror other libraries' signatures, positional parameters included.
# ruff: noqa: PLR0917

from __future__ import annotations

import inspect
import math
import textwrap
from collections.abc import Callable, Mapping, Sequence  # noqa: TC003 - get_type_hints(Preset)
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .schedule import Schedule

__all__ = [
    "PRESETS",
    "Preset",
    "deepspeed_warmup_cosine",
    "deepspeed_warmup_decay",
    "keras_cosine_decay",
    "keras_cosine_decay_restarts",
    "keras_exponential_decay",
    "keras_inverse_time_decay",
    "keras_polynomial_decay",
    "optax_cosine_decay",
    "optax_linear",
    "optax_polynomial",
    "optax_sgdr",
    "optax_warmup_cosine_decay",
    "optax_warmup_exponential_decay",
    "timm_cosine",
    "torch_cosine_annealing",
    "torch_cosine_warm_restarts",
    "torch_linear_then_cosine",
    "torch_polynomial",
    "torchtune_cosine_with_warmup",
    "tpu_reference",
    "transformers_constant_with_warmup",
    "transformers_cosine_with_hard_restarts",
    "transformers_cosine_with_min_lr",
    "transformers_cosine_with_warmup",
    "transformers_inverse_sqrt",
    "transformers_linear_with_warmup",
    "transformers_polynomial_decay_with_warmup",
    "transformers_wsd",
]

Spec = dict[str, Any]


@dataclass(frozen=True)
class Preset:
    """One library function, as a mapping onto :class:`~warmcos.Schedule`.

    Attributes:
        anchor: the library function or class, ``"module:qualname"`` (what the conformance
            test runs).
        scaled: ``True`` when the library multiplies the optimizer's learning rate (like
            ``LambdaLR``), so the preset takes ``lr``.
        spec: a function of the library's own keyword arguments (with the library's
            defaults), plus ``lr`` when ``scaled`` and warmcos' ``horizon`` or ``cycles``
            where the library has no end, returning :class:`~warmcos.Schedule` arguments.
            Renames, sums and ratios only: the shapes are the core's.
        unsupported: library argument -> why warmcos cannot honour it. Any value other than
            the library's default raises ``ValueError`` with that reason.
        doc: what the preset is, its conventions, and where it stops matching the library.
        equal_until: how far the preset equals the library, with ``T`` the schedule's
            ``total_steps``: ``"2T"`` (steps ``0 .. 2T``: the library's after-end behaviour
            is a warmcos policy), ``"T"`` (the library has no end and the preset stops at
            ``horizon``) or ``"T-1"`` (the library restarts at ``T``, the preset holds).
    """

    anchor: str
    scaled: bool
    spec: Callable[..., Spec]
    unsupported: Mapping[str, str] = field(default_factory=dict)
    doc: str = ""
    equal_until: str = "2T"


# -- shared pieces of the mappings ---------------------------------------------------------

_RESUME = "resume state, not schedule: warmcos' adapters resume from their own state_dict"
_STAIRCASE = "a staircase is piecewise constant, not one of warmcos' decay shapes"


def _whole(value: Fraction, what: str) -> int:
    """``value`` as an int, or ``ValueError`` saying that ``what`` must be whole steps."""
    if value.denominator != 1:
        raise ValueError(f"{what} must be a whole number of steps; it is {value}")
    return int(value)


def _hf_half_period(num_warmup_steps: int, num_training_steps: int, num_cycles: float) -> int:
    """Steps from the peak to the first trough of transformers' ``cos(2 pi c p)`` factor."""
    if not num_cycles > 0:
        raise ValueError(f"num_cycles must be > 0; received num_cycles={num_cycles!r}")
    half = Fraction(num_training_steps - num_warmup_steps) / (2 * Fraction(num_cycles))
    return _whole(
        half,
        "the cosine's half period (num_training_steps - num_warmup_steps) / (2 * num_cycles)"
        f" = ({num_training_steps} - {num_warmup_steps}) / (2 * {num_cycles!r})",
    )


def _hf_cosine(
    lr: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
) -> Spec:
    # transformers' factor 0.5 * (1 + cos(2 pi num_cycles p)) is a periodic cosine whose
    # first trough is half a period after the warmup: warmcos' cosine to that step, wrapping.
    half = _hf_half_period(num_warmup_steps, num_training_steps, num_cycles)
    return {
        "peak_lr": lr,
        "total_steps": num_warmup_steps + half,
        "warmup_steps": num_warmup_steps,
        "after": "wrap",
    }


def _hf_cosine_min_lr(
    lr: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
) -> Spec:
    if (min_lr is None) == (min_lr_rate is None):
        raise ValueError(
            "exactly one of min_lr and min_lr_rate must be set (transformers raises too); "
            f"received min_lr={min_lr!r}, min_lr_rate={min_lr_rate!r}"
        )
    final = min_lr if min_lr is not None else lr * min_lr_rate  # type: ignore[operator]
    return {
        **_hf_cosine(lr, num_warmup_steps, num_training_steps, num_cycles),
        "final_lr": final,
    }


def _hf_hard_restarts(
    lr: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: int = 1,
    last_epoch: int = -1,
) -> Spec:
    if isinstance(num_cycles, bool) or not isinstance(num_cycles, int) or num_cycles < 1:
        raise ValueError(f"num_cycles must be an int >= 1; received num_cycles={num_cycles!r}")
    _whole(
        Fraction(num_training_steps - num_warmup_steps, num_cycles),
        "each cycle, (num_training_steps - num_warmup_steps) / num_cycles,",
    )
    return {
        "peak_lr": lr,
        "total_steps": num_training_steps,
        "warmup_steps": num_warmup_steps,
        "cycles": num_cycles,
    }


def _hf_linear(
    lr: float, num_warmup_steps: int, num_training_steps: int, last_epoch: int = -1
) -> Spec:
    return {
        "peak_lr": lr,
        "total_steps": num_training_steps,
        "warmup_steps": num_warmup_steps,
        "decay_shape": "linear",
    }


def _hf_polynomial(
    lr: float,
    num_warmup_steps: int,
    num_training_steps: int,
    lr_end: float = 1e-7,
    power: float = 1.0,
    last_epoch: int = -1,
) -> Spec:
    return {
        "peak_lr": lr,
        "total_steps": num_training_steps,
        "warmup_steps": num_warmup_steps,
        "final_lr": lr_end,
        "decay_shape": "polynomial",
        "power": power,
    }


def _hf_constant(
    lr: float, num_warmup_steps: int, last_epoch: int = -1, *, horizon: int | None = None
) -> Spec:
    return {
        "peak_lr": lr,
        "total_steps": num_warmup_steps + 1 if horizon is None else horizon,
        "warmup_steps": num_warmup_steps,
        "decay_shape": "constant",
    }


def _hf_inverse_sqrt(
    lr: float,
    num_warmup_steps: int,
    timescale: int | None = None,
    last_epoch: int = -1,
    *,
    horizon: int,
) -> Spec:
    return {
        "peak_lr": lr,
        "total_steps": horizon,
        "warmup_steps": num_warmup_steps,
        "decay_shape": "inverse_sqrt",
        "timescale": (num_warmup_steps or 10_000) if timescale is None else timescale,
    }


_WSD_WARMUP: dict[str, Spec] = {
    "linear": {"warmup_shape": "linear"},
    "cosine": {"warmup_shape": "cosine"},
    "1-sqrt": {"warmup_shape": "1-sqrt"},
}


def _hf_wsd(
    lr: float,
    num_warmup_steps: int,
    num_decay_steps: int,
    num_training_steps: int | None = None,
    num_stable_steps: int | None = None,
    warmup_type: str = "linear",
    decay_type: str = "cosine",
    min_lr_ratio: float = 0,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
) -> Spec:
    if warmup_type not in _WSD_WARMUP:
        raise ValueError(
            f"warmup_type must be one of {sorted(_WSD_WARMUP)}; received {warmup_type=}"
        )
    if decay_type not in ("linear", "cosine", "1-sqrt"):
        raise ValueError(
            f"decay_type must be 'linear', 'cosine' or '1-sqrt'; received {decay_type=}"
        )
    if decay_type == "cosine" and num_cycles != 0.5:
        raise ValueError(
            "num_cycles other than 0.5 is not supported with decay_type='cosine': transformers "
            "then cuts its cosine off mid-wave at the end of the decay and jumps to "
            f"min_lr_ratio, which is not a warmcos decay; received num_cycles={num_cycles!r}"
        )
    if num_stable_steps is None:
        if num_training_steps is None:
            raise ValueError("either num_training_steps or num_stable_steps must be set")
        num_stable_steps = num_training_steps - num_warmup_steps - num_decay_steps
    elif (
        num_training_steps is not None
        and num_training_steps != num_warmup_steps + num_stable_steps + num_decay_steps
    ):
        raise ValueError(
            "num_training_steps must equal num_warmup_steps + num_stable_steps + "
            "num_decay_steps when both totals are given (transformers warns and uses "
            f"num_stable_steps); received {num_training_steps=}, {num_warmup_steps=}, "
            f"{num_stable_steps=}, {num_decay_steps=}"
        )
    return {
        "peak_lr": lr,
        "total_steps": num_warmup_steps + num_stable_steps + num_decay_steps,
        "warmup_steps": num_warmup_steps,
        "warmup_start_lr": lr * min_lr_ratio,
        "stable_steps": num_stable_steps,
        "final_lr": lr * min_lr_ratio,
        "decay_shape": decay_type,
        **_WSD_WARMUP[warmup_type],
    }


def _tpu(
    init_learning_rate: float,
    warmup_learning_rate: float,
    warmup_steps: int,
    total_steps: int,
) -> Spec:
    return {
        "peak_lr": init_learning_rate,
        "total_steps": total_steps,
        "warmup_steps": warmup_steps,
        "warmup_start_lr": warmup_learning_rate,
        "after": "wrap",
    }


def _optax_warmup_cosine(
    init_value: float,
    peak_value: float,
    warmup_steps: int,
    decay_steps: int,
    end_value: float = 0.0,
    exponent: float = 1.0,
) -> Spec:
    return {
        "peak_lr": peak_value,
        "total_steps": decay_steps,  # optax's decay_steps includes the warmup
        "warmup_steps": warmup_steps,
        "warmup_start_lr": init_value,
        "final_lr": end_value,
        "power": exponent,
    }


def _optax_cosine(
    init_value: float, decay_steps: int, alpha: float = 0.0, exponent: float = 1.0
) -> Spec:
    return {
        "peak_lr": init_value,
        "total_steps": decay_steps,
        "final_lr": init_value * alpha,
        "power": exponent,
    }


def _polynomial(init: float, end: float, power: float, steps: int, begin: int = 0) -> Spec:
    """A polynomial from ``init`` to ``end`` over ``steps`` after ``begin`` steps at ``init``."""
    if steps <= 0:  # optax and Keras hold init_value; a constant schedule
        return {"peak_lr": init, "total_steps": 1, "decay_shape": "constant"}
    if init >= end:  # a decay, with the hold before it as a stable phase
        return {
            "peak_lr": init,
            "total_steps": begin + steps,
            "stable_steps": begin,
            "final_lr": end,
            "decay_shape": "polynomial",
            "power": power,
        }
    if begin:
        raise ValueError(
            "a rising polynomial (init below end) is a warmup in warmcos, and a warmup cannot "
            f"be delayed: transition_begin must be 0 there; received transition_begin={begin!r}"
        )
    # A rise is a warmup: (init - end) * (1 - u) ** p + end = end - (end - init) * (1 - u) ** p,
    # measured up from init that is 1 - (1 - u) ** p: linear for p = 1, "1-sqrt" for p = 1/2.
    # warmcos' polynomial warmup is u ** p (measured from its lower end), another curve.
    rise = {1: "linear", 0.5: "1-sqrt"}.get(power)
    if rise is None:
        raise ValueError(
            "a rising polynomial (init below end) with power other than 1 or 0.5 is not a "
            "warmcos warmup: it rises as 1 - (1 - u)**power, warmcos' polynomial warmup as "
            f"u**power; received power={power!r}"
        )
    return {
        "peak_lr": end,
        "total_steps": steps + 1,
        "warmup_steps": steps,
        "warmup_start_lr": init,
        "warmup_shape": rise,
        "decay_shape": "constant",
    }


def _optax_linear(
    init_value: float, end_value: float, transition_steps: int, transition_begin: int = 0
) -> Spec:
    return _polynomial(init_value, end_value, 1.0, transition_steps, transition_begin)


def _optax_polynomial(
    init_value: float,
    end_value: float,
    power: float,
    transition_steps: int,
    transition_begin: int = 0,
) -> Spec:
    return _polynomial(init_value, end_value, power, transition_steps, transition_begin)


def _exponential_final(peak: float, decay_rate: float, steps: int, transition_steps: int) -> float:
    """``peak * decay_rate ** (steps / transition_steps)``: the library's value ``steps`` in."""
    if not 0 < decay_rate <= 1:
        raise ValueError(
            "decay_rate must be in (0, 1]: warmcos' exponential shape decays to a value "
            f"above 0; received decay_rate={decay_rate!r}"
        )
    return float(peak * decay_rate ** (steps / transition_steps))


def _optax_warmup_exponential(
    init_value: float,
    peak_value: float,
    warmup_steps: int,
    transition_steps: int,
    decay_rate: float,
    transition_begin: int = 0,
    staircase: bool = False,
    end_value: float | None = None,
    *,
    horizon: int,
) -> Spec:
    decay = horizon - warmup_steps - transition_begin
    final = _exponential_final(peak_value, decay_rate, decay, transition_steps)
    if end_value is not None and final < end_value:
        raise ValueError(
            f"end_value={end_value!r} is reached before horizon={horizon!r}, at a step that is "
            "not whole in general; warmcos' exponential decay ends at total_steps: choose a "
            "horizon at or before optax reaches end_value"
        )
    return {
        "peak_lr": peak_value,
        "total_steps": horizon,
        "warmup_steps": warmup_steps,
        "warmup_start_lr": init_value,
        "stable_steps": transition_begin,
        "final_lr": final,
        "decay_shape": "exponential" if decay_rate < 1 else "constant",
    }


_SGDR_KEYS = ("init_value", "peak_value", "warmup_steps", "decay_steps", "end_value", "exponent")


def _optax_sgdr(cosine_kwargs: Sequence[Mapping[str, Any]]) -> Spec:
    cycles = [{"end_value": 0.0, "exponent": 1.0, **kw} for kw in cosine_kwargs]
    if not cycles:
        raise ValueError("cosine_kwargs must hold at least one cycle")
    for k, kw in enumerate(cycles):
        unknown = sorted(set(kw) - set(_SGDR_KEYS))
        if unknown:
            raise TypeError(f"cosine_kwargs[{k}] has unknown keys {unknown}")
    first, rest = cycles[0], cycles[1:]

    def same(key: str, group: list[dict[str, Any]], why: str) -> None:
        values = {kw[key] for kw in group}
        if len(values) > 1:
            raise ValueError(f"cosine_kwargs: every cycle must have the same {key} ({why})")

    same("init_value", cycles, "warmcos warms every cycle up from warmup_start_lr")
    same("exponent", cycles, "one power for every cycle")
    same("warmup_steps", rest, "cycle_warmup_steps is one length for the restarts")
    lengths = [Fraction(kw["decay_steps"] - kw["warmup_steps"]) for kw in cycles]
    peaks = [Fraction(kw["peak_value"]) for kw in cycles]
    mul = lengths[1] / lengths[0] if rest else Fraction(1)
    if rest and not peaks[0]:
        raise ValueError("cosine_kwargs: the first cycle's peak_value must be above 0")
    decay = peaks[1] / peaks[0] if rest else Fraction(1)
    for k in range(len(cycles)):
        if lengths[k] != lengths[0] * mul**k:
            raise ValueError(
                "cosine_kwargs: the cycles' decays (decay_steps - warmup_steps) must grow "
                f"geometrically; cycle {k} has {lengths[k]}, not {lengths[0] * mul**k}"
            )
        if not math.isclose(peaks[k], peaks[0] * decay**k, rel_tol=1e-12):
            raise ValueError(
                "cosine_kwargs: the peaks must decay geometrically (peak_value of cycle k = "
                f"peak_value of cycle 0 * (peak_1 / peak_0) ** k); cycle {k} does not"
            )
    ends = [Fraction(kw["end_value"]) for kw in cycles]
    if len(set(ends)) == 1:
        floor = "fixed"
    elif all(
        math.isclose(ends[k], ends[-1] * decay ** (k - len(cycles) + 1), rel_tol=1e-12)
        for k in range(len(cycles))
    ):
        floor = "scaled"
    else:
        raise ValueError(
            "cosine_kwargs: end_value must be the same in every cycle, or scale with the peaks"
        )
    return {
        "peak_lr": first["peak_value"],
        "total_steps": sum(kw["decay_steps"] for kw in cycles),
        "warmup_steps": first["warmup_steps"],
        "warmup_start_lr": first["init_value"],
        "final_lr": cycles[-1]["end_value"],
        "power": first["exponent"],
        **_restarts(
            len(cycles),
            cycle_mul=float(mul),
            cycle_decay=float(decay),
            cycle_floor=floor,
            cycle_warmup_steps=rest[0]["warmup_steps"] if rest else 0,
        ),
    }


def _keras_cosine(
    initial_learning_rate: float,
    decay_steps: int,
    alpha: float = 0.0,
    name: str = "CosineDecay",
    warmup_target: float | None = None,
    warmup_steps: int = 0,
) -> Spec:
    if warmup_target is None:  # Keras skips the warmup (warmup_steps is ignored)
        return {
            "peak_lr": initial_learning_rate,
            "total_steps": decay_steps,
            "final_lr": initial_learning_rate * alpha,
        }
    return {
        "peak_lr": warmup_target,
        "total_steps": warmup_steps + decay_steps,  # Keras' decay_steps excludes the warmup
        "warmup_steps": warmup_steps,
        "warmup_start_lr": initial_learning_rate,
        "final_lr": warmup_target * alpha,
    }


def _restarts(cycles: int, **fields: Any) -> Spec:
    """The restart fields, only when there are restarts (Schedule rejects them otherwise)."""
    return {"cycles": cycles, **fields} if cycles > 1 else {}


def _geometric_cycles(first: int, mul: float, cycles: int, what: str) -> tuple[int, Fraction]:
    """The total of ``cycles`` lengths ``first * mul**k``, each a whole number of steps."""
    if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 1:
        raise ValueError(f"cycles must be an int >= 1; received cycles={cycles!r}")
    m = Fraction(mul)
    for k in range(cycles):
        _whole(first * m**k, f"cycle {k}'s length, {what} * {mul!r}**{k},")
    return sum(_whole(first * m**k, "") for k in range(cycles)), m


def _keras_cosine_restarts(
    initial_learning_rate: float,
    first_decay_steps: int,
    t_mul: float = 2.0,
    m_mul: float = 1.0,
    alpha: float = 0.0,
    name: str = "SGDRDecay",
    *,
    cycles: int,
) -> Spec:
    if alpha and m_mul != 1:
        raise ValueError(
            "alpha > 0 with m_mul != 1 is not supported: Keras scales only the cosine part by "
            "m_mul ** i (cycle i peaks at alpha + (1 - alpha) * m_mul ** i above a fixed floor),"
            " warmcos scales a cycle's peak (cycle_decay ** i); "
            f"received alpha={alpha!r}, m_mul={m_mul!r}"
        )
    total, mul = _geometric_cycles(first_decay_steps, t_mul, cycles, "first_decay_steps")
    return {
        "peak_lr": initial_learning_rate,
        "total_steps": total,
        "final_lr": initial_learning_rate * alpha,
        **_restarts(cycles, cycle_mul=float(mul), cycle_decay=m_mul),
    }


def _keras_polynomial(
    initial_learning_rate: float,
    decay_steps: int,
    end_learning_rate: float = 0.0001,
    power: float = 1.0,
    cycle: bool = False,
    name: str = "PolynomialDecay",
) -> Spec:
    return _polynomial(initial_learning_rate, end_learning_rate, power, decay_steps)


def _keras_exponential(
    initial_learning_rate: float,
    decay_steps: int,
    decay_rate: float,
    staircase: bool = False,
    name: str = "ExponentialDecay",
    *,
    horizon: int,
) -> Spec:
    final = _exponential_final(initial_learning_rate, decay_rate, horizon, decay_steps)
    return {
        "peak_lr": initial_learning_rate,
        "total_steps": horizon,
        "final_lr": final,
        "decay_shape": "exponential" if decay_rate < 1 else "constant",
    }


def _keras_inverse_time(
    initial_learning_rate: float,
    decay_steps: int,
    decay_rate: float,
    staircase: bool = False,
    name: str = "InverseTimeDecay",
    *,
    horizon: int,
) -> Spec:
    if not decay_rate > 0:
        raise ValueError(f"decay_rate must be > 0; received decay_rate={decay_rate!r}")
    return {
        "peak_lr": initial_learning_rate,
        "total_steps": horizon,
        "decay_shape": "inverse_time",
        "timescale": decay_steps / decay_rate,
    }


def _torch_linear_then_cosine(
    lr: float,
    T_max: int,  # noqa: N803 - torch's name
    milestones: Sequence[int] | None = None,
    start_factor: float = 1.0 / 3,
    end_factor: float = 1.0,
    total_iters: int = 5,
    eta_min: float = 0.0,
) -> Spec:
    milestone = total_iters if milestones is None else _one_milestone(milestones)
    if milestone < total_iters:
        raise ValueError(
            "milestones[0] must be >= total_iters: SequentialLR would cut LinearLR short and "
            f"jump to lr at the milestone; received milestones={milestones!r}, {total_iters=}"
        )
    if not 0 < start_factor <= 1:
        raise ValueError(f"start_factor must be in (0, 1] (torch); received {start_factor=}")
    return {
        "peak_lr": lr,
        "total_steps": milestone + T_max,
        "warmup_steps": total_iters,
        "warmup_start_lr": lr * start_factor,
        "stable_steps": milestone - total_iters,  # LinearLR holds end_factor until then
        "final_lr": eta_min,
        "after": "wrap",
    }


def _one_milestone(milestones: Sequence[int]) -> int:
    if len(milestones) != 1:
        raise ValueError(
            "milestones must hold one step (LinearLR then CosineAnnealingLR); "
            f"received milestones={milestones!r}"
        )
    return milestones[0]


def _torch_cosine(lr: float, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> Spec:  # noqa: N803
    return {"peak_lr": lr, "total_steps": T_max, "final_lr": eta_min, "after": "wrap"}


def _torch_warm_restarts(
    lr: float,
    T_0: int,  # noqa: N803 - torch's name
    T_mult: int = 1,  # noqa: N803
    eta_min: float = 0.0,
    last_epoch: int = -1,
    *,
    cycles: int,
) -> Spec:
    total, _ = _geometric_cycles(T_0, T_mult, cycles, "T_0")
    return {
        "peak_lr": lr,
        "total_steps": total,
        "final_lr": eta_min,
        **_restarts(cycles, cycle_mul=float(T_mult)),
    }


def _torch_polynomial(
    lr: float, total_iters: int = 5, power: float = 1.0, last_epoch: int = -1
) -> Spec:
    return {
        "peak_lr": lr,
        "total_steps": total_iters,
        "decay_shape": "polynomial",
        "power": power,
    }


def _timm_cosine(
    lr: float,
    t_initial: int,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    t_in_epochs: bool = True,
    noise_range_t: Any = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    k_decay: float = 1.0,
    initialize: bool = True,
) -> Spec:
    decays, mul = _geometric_cycles(t_initial, cycle_mul, cycle_limit, "t_initial")
    return {
        "peak_lr": lr,
        "total_steps": (warmup_t if warmup_prefix else 0) + decays,
        "warmup_steps": warmup_t,
        "warmup_start_lr": warmup_lr_init,
        "final_lr": lr_min,
        **_restarts(cycle_limit, cycle_mul=float(mul), cycle_decay=cycle_decay),
        "decay_from_zero": not warmup_prefix,
    }


def _deepspeed_warmup(warmup_num_steps: int, warmup_type: str, total_num_steps: int) -> Spec:
    """DeepSpeed's warmup, one step late: its scheduler sets the lr before the first update.

    DeepSpeed raises ``warmup_num_steps`` to at least 2 (``max(2, w)``); its log warmup
    ``log(t + 1) / log(w)`` reaches the peak at ``t = w - 1`` (warmcos' ``log`` shape over
    ``w - 1`` steps), its linear warmup ``t / w`` at ``t = w``. Update ``s`` uses its formula at
    ``t = s - 1``, and update 0 the rate of ``t = 0``: ``delay_steps=1``.
    """
    if warmup_type not in ("log", "linear"):
        raise ValueError(
            f"warmup_type must be 'log' or 'linear' (DeepSpeed falls back to 'log' with a "
            f"warning for anything else); received warmup_type={warmup_type!r}"
        )
    w = max(2, warmup_num_steps)
    if total_num_steps <= w:
        raise ValueError(
            "total_num_steps must be > max(2, warmup_num_steps) for a decay to follow the "
            f"warmup; received total_num_steps={total_num_steps}, "
            f"warmup_num_steps={warmup_num_steps}"
        )
    log = warmup_type == "log"
    return {
        "warmup_steps": w - 1 if log else w,
        "warmup_shape": "log" if log else "linear",
        "delay_steps": 1,
    }


def _deepspeed_cosine(
    lr: float,
    total_num_steps: int,
    warmup_min_ratio: float = 0.0,
    warmup_num_steps: int = 1000,
    cos_min_ratio: float = 0.0001,
    warmup_type: str = "log",
    last_batch_iteration: int = -1,
) -> Spec:
    if warmup_type == "linear":
        raise ValueError(
            "warmup_type='linear' is not expressible: DeepSpeed's cosine takes over one step "
            "before its linear warmup reaches lr (the progress is (t - w + 1) / (T - w)), so "
            "the two phases overlap; warmup_type='log' is"
        )
    if warmup_min_ratio != 0.0:
        raise ValueError(
            "warmup_min_ratio != 0 is not expressible: DeepSpeed's first update uses lr 0.0, "
            "not warmup_min_ratio * lr, before its warmup starts; received "
            f"warmup_min_ratio={warmup_min_ratio!r}"
        )
    warmup = _deepspeed_warmup(warmup_num_steps, warmup_type, total_num_steps)
    # the cosine's progress (t - w + 1) / (T - w): from the peak at t = w - 1 to the floor at
    # t = T - 1, i.e. at update T once delayed by one
    return {
        "peak_lr": lr,
        "total_steps": total_num_steps,
        "warmup_start_lr": warmup_min_ratio * lr,
        "final_lr": cos_min_ratio * lr,
        **warmup,
    }


def _deepspeed_decay(
    total_num_steps: int,
    warmup_min_lr: float = 0.0,
    warmup_max_lr: float = 0.001,
    warmup_num_steps: int = 1000,
    warmup_type: str = "log",
    last_batch_iteration: int = -1,
) -> Spec:
    warmup = _deepspeed_warmup(warmup_num_steps, warmup_type, total_num_steps)
    # the log warmup peaks at t = w - 1 and the linear decay starts from the peak at t = w:
    # one step held at the peak between them
    stable = 1 if warmup_type == "log" else 0
    return {
        "peak_lr": warmup_max_lr,
        "total_steps": total_num_steps + 1,
        "warmup_start_lr": warmup_min_lr,
        "final_lr": warmup_min_lr,
        "stable_steps": stable,
        "decay_shape": "linear",
        **warmup,
    }


_HF = "transformers.optimization:"
_HF_WRAP = (
    "Past ``num_training_steps`` the cosine rises again, like transformers' (``after='wrap'``)."
)

#: Every preset, by name: the library function it stands for and how it maps onto Schedule.
PRESETS: dict[str, Preset] = {
    "tpu_reference": Preset(
        "models.official.detection.modeling.learning_rates:cosine_learning_rate_with_linear_warmup",
        scaled=False,
        spec=_tpu,
        doc="The TF-TPU reference function (tensorflow/tpu, not installable): linear warmup "
        "from ``warmup_learning_rate``, cosine to 0 at ``total_steps``, rising again after it "
        "(``after='wrap'``).",
    ),
    "transformers_cosine_with_warmup": Preset(
        _HF + "get_cosine_schedule_with_warmup",
        scaled=True,
        spec=_hf_cosine,
        unsupported={"last_epoch": _RESUME},
        doc="Linear warmup from 0, cosine to 0. ``num_cycles`` other than 0.5 maps to a "
        "shorter or longer wave: its half period must be a whole number of steps. " + _HF_WRAP,
    ),
    "transformers_cosine_with_min_lr": Preset(
        _HF + "get_cosine_with_min_lr_schedule_with_warmup",
        scaled=True,
        spec=_hf_cosine_min_lr,
        unsupported={"last_epoch": _RESUME},
        doc="As ``transformers_cosine_with_warmup`` with a floor: ``min_lr`` (absolute) or "
        "``min_lr_rate`` (a fraction of ``lr``). " + _HF_WRAP,
    ),
    "transformers_cosine_with_hard_restarts": Preset(
        _HF + "get_cosine_with_hard_restarts_schedule_with_warmup",
        scaled=True,
        spec=_hf_hard_restarts,
        unsupported={"last_epoch": _RESUME},
        doc="Linear warmup from 0, then ``num_cycles`` equal cosines to 0, each restarting at "
        "``lr``; each must be a whole number of steps. Holds 0 after the end.",
    ),
    "transformers_linear_with_warmup": Preset(
        _HF + "get_linear_schedule_with_warmup",
        scaled=True,
        spec=_hf_linear,
        unsupported={"last_epoch": _RESUME},
        doc="Linear warmup from 0, linear decay to 0 at ``num_training_steps``, then 0.",
    ),
    "transformers_polynomial_decay_with_warmup": Preset(
        _HF + "get_polynomial_decay_schedule_with_warmup",
        scaled=True,
        spec=_hf_polynomial,
        unsupported={"last_epoch": _RESUME},
        doc="Linear warmup from 0, polynomial decay ``(1 - p) ** power`` to ``lr_end`` "
        "(absolute), then ``lr_end``.",
    ),
    "transformers_constant_with_warmup": Preset(
        _HF + "get_constant_schedule_with_warmup",
        scaled=True,
        spec=_hf_constant,
        unsupported={"last_epoch": _RESUME},
        doc="Linear warmup from 0, then ``lr`` forever. ``horizon`` (default "
        "``num_warmup_steps + 1``) is the schedule's ``total_steps``; the value is the same "
        "either side of it.",
    ),
    "transformers_inverse_sqrt": Preset(
        _HF + "get_inverse_sqrt_schedule",
        scaled=True,
        spec=_hf_inverse_sqrt,
        unsupported={"last_epoch": _RESUME},
        doc="Linear warmup from 0, then ``lr / sqrt(1 + (step - num_warmup_steps) / "
        "timescale)``. transformers has no end: the preset equals it up to ``horizon`` and "
        "holds there (transformers keeps decaying).",
        equal_until="T",
    ),
    "transformers_wsd": Preset(
        _HF + "get_wsd_schedule",
        scaled=True,
        spec=_hf_wsd,
        unsupported={"last_epoch": _RESUME},
        doc="Warmup from ``min_lr_ratio * lr`` (linear, cosine or 1-sqrt), stable at ``lr``, "
        "decay (linear, cosine or 1-sqrt) to ``min_lr_ratio * lr``, then that.",
    ),
    "optax_warmup_cosine_decay": Preset(
        "optax:warmup_cosine_decay_schedule",
        scaled=False,
        spec=_optax_warmup_cosine,
        doc="Linear warmup from ``init_value`` to ``peak_value``, cosine (to the power "
        "``exponent``) to ``end_value`` at ``decay_steps`` (which includes the warmup), then "
        "``end_value``.",
    ),
    "optax_cosine_decay": Preset(
        "optax:cosine_decay_schedule",
        scaled=False,
        spec=_optax_cosine,
        doc="Cosine (to the power ``exponent``) from ``init_value`` to ``alpha * init_value`` "
        "at ``decay_steps``, then that.",
    ),
    "optax_linear": Preset(
        "optax:linear_schedule",
        scaled=False,
        spec=_optax_linear,
        doc="``init_value`` for ``transition_begin`` steps, then linear to ``end_value`` over "
        "``transition_steps``, then ``end_value``. A rise (``init_value < end_value``) is a "
        "warmup, and then ``transition_begin`` must be 0.",
    ),
    "optax_polynomial": Preset(
        "optax:polynomial_schedule",
        scaled=False,
        spec=_optax_polynomial,
        doc="As ``optax_linear`` with ``(1 - p) ** power``.",
    ),
    "optax_warmup_exponential_decay": Preset(
        "optax:warmup_exponential_decay_schedule",
        scaled=False,
        spec=_optax_warmup_exponential,
        unsupported={"staircase": _STAIRCASE},
        doc="Linear warmup to ``peak_value``, ``transition_begin`` steps at the peak, then "
        "``peak_value * decay_rate ** (t / transition_steps)``. optax has no end: the preset "
        "equals it up to ``horizon`` and holds there.",
        equal_until="T",
    ),
    "optax_sgdr": Preset(
        "optax:sgdr_schedule",
        scaled=False,
        spec=_optax_sgdr,
        doc="optax's warm restarts: one ``warmup_cosine_decay_schedule`` per dict. warmcos' "
        "restarts are regular, so the dicts must be too: one ``init_value`` and ``exponent``, "
        "one ``warmup_steps`` for the restarts, decays growing and peaks decaying "
        "geometrically, and one ``end_value`` (or one scaled with the peaks).",
    ),
    "keras_cosine_decay": Preset(
        "keras.optimizers.schedules:CosineDecay",
        scaled=False,
        spec=_keras_cosine,
        doc="Cosine from ``initial_learning_rate`` (or, with ``warmup_target``, a linear "
        "warmup from it to ``warmup_target`` over ``warmup_steps`` first) to ``alpha`` times "
        "the peak over ``decay_steps`` (which excludes the warmup), then that.",
    ),
    "keras_cosine_decay_restarts": Preset(
        "keras.optimizers.schedules:CosineDecayRestarts",
        scaled=False,
        spec=_keras_cosine_restarts,
        doc="SGDR: cosines of ``first_decay_steps * t_mul ** i`` steps, peaks scaled by "
        "``m_mul ** i``. Keras restarts forever; the preset has ``cycles`` of them and holds "
        "the floor after, so it equals Keras on the steps before its end (at the end Keras "
        "restarts).",
        equal_until="T-1",
    ),
    "keras_polynomial_decay": Preset(
        "keras.optimizers.schedules:PolynomialDecay",
        scaled=False,
        spec=_keras_polynomial,
        unsupported={
            "cycle": "a polynomial that restarts at ever longer multiples of "
            "decay_steps is not a warmcos shape"
        },
        doc="``(initial - end) * (1 - step / decay_steps) ** power + end``, then ``end``.",
    ),
    "keras_exponential_decay": Preset(
        "keras.optimizers.schedules:ExponentialDecay",
        scaled=False,
        spec=_keras_exponential,
        unsupported={"staircase": _STAIRCASE},
        doc="``initial_learning_rate * decay_rate ** (step / decay_steps)``. Keras has no end: "
        "the preset equals it up to ``horizon`` and holds there.",
        equal_until="T",
    ),
    "keras_inverse_time_decay": Preset(
        "keras.optimizers.schedules:InverseTimeDecay",
        scaled=False,
        spec=_keras_inverse_time,
        unsupported={"staircase": _STAIRCASE},
        doc="``initial_learning_rate / (1 + decay_rate * step / decay_steps)``. Keras has no "
        "end: the preset equals it up to ``horizon`` and holds there.",
        equal_until="T",
    ),
    "torch_linear_then_cosine": Preset(
        "torch.optim.lr_scheduler:SequentialLR",
        scaled=True,
        spec=_torch_linear_then_cosine,
        unsupported={
            "end_factor": "SequentialLR's cosine restarts from lr at the milestone, "
            "so a warmup that ends below it jumps there"
        },
        doc="``SequentialLR([LinearLR(start_factor, end_factor, total_iters), "
        "CosineAnnealingLR(T_max, eta_min)], milestones)`` (default milestones: "
        "``[total_iters]``). The cosine rises again past its end, like torch's.",
    ),
    "torch_cosine_annealing": Preset(
        "torch.optim.lr_scheduler:CosineAnnealingLR",
        scaled=True,
        spec=_torch_cosine,
        unsupported={"last_epoch": _RESUME},
        doc="Cosine from ``lr`` to ``eta_min`` at ``T_max``, rising again after it.",
    ),
    "torch_cosine_warm_restarts": Preset(
        "torch.optim.lr_scheduler:CosineAnnealingWarmRestarts",
        scaled=True,
        spec=_torch_warm_restarts,
        unsupported={"last_epoch": _RESUME},
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
    "timm_cosine": Preset(
        "timm.scheduler.cosine_lr:CosineLRScheduler",
        scaled=True,
        spec=_timm_cosine,
        unsupported={
            "noise_range_t": "noise is not part of a deterministic schedule",
            "k_decay": "cos(pi t**k / T**k) is not a warmcos decay shape",
        },
        doc="Linear warmup from ``warmup_lr_init``; ``cycle_limit`` cosines of "
        "``t_initial * cycle_mul ** i`` steps (whole numbers) to ``lr_min``, peaks scaled by "
        "``cycle_decay ** i``; then ``lr_min``. ``warmup_prefix=False`` (timm's default) runs "
        "the cosine's clock from step 0 under the warmup, so the rate drops at the end of the "
        "warmup, as in timm. ``t_in_epochs`` and ``initialize`` do not change the values. "
        "Restarts fall on their exact steps: timm finds the cycle with a float logarithm "
        "when ``cycle_mul != 1`` and puts a few restart steps in the previous cycle (it returns "
        "``lr_min`` where the restart's peak belongs); the preset does not copy that.",
    ),
    "deepspeed_warmup_cosine": Preset(
        "deepspeed.runtime.lr_schedules:WarmupCosineLR",
        scaled=True,
        spec=_deepspeed_cosine,
        unsupported={"last_batch_iteration": _RESUME},
        doc="DeepSpeed's log warmup from 0 to ``lr``, cosine to ``cos_min_ratio * lr``, "
        "reached at update ``total_num_steps``. DeepSpeed sets the lr before the first update, "
        "so update ``s`` uses its formula at ``s - 1`` (``delay_steps=1``); "
        "``warmup_num_steps`` below 2 is raised to 2, as DeepSpeed does. A linear warmup (the "
        "cosine takes over before it ends) and ``warmup_min_ratio > 0`` (the first update "
        "uses 0.0) raise ``ValueError``.",
    ),
    "deepspeed_warmup_decay": Preset(
        "deepspeed.runtime.lr_schedules:WarmupDecayLR",
        scaled=False,
        spec=_deepspeed_decay,
        unsupported={"last_batch_iteration": _RESUME},
        doc="DeepSpeed's warmup (log by default) from ``warmup_min_lr`` to ``warmup_max_lr``, "
        "linear decay back to ``warmup_min_lr`` and held there. DeepSpeed sets the lr before "
        "the first update, so update ``s`` uses its formula at ``s - 1`` "
        "(``delay_steps=1``); ``warmup_num_steps`` below 2 is raised to 2, as DeepSpeed does.",
    ),
    "torchtune_cosine_with_warmup": Preset(
        "torchtune.training.lr_schedulers:get_cosine_schedule_with_warmup",
        scaled=True,
        spec=_hf_cosine,
        unsupported={"last_epoch": _RESUME},
        doc="torchtune's copy of transformers' cosine: linear warmup from 0, cosine to 0, "
        "rising again past ``num_training_steps``.",
    ),
}


_UNTIL = {
    "2T": "from 0 to twice the schedule's ``total_steps``",
    "T": "from 0 to ``horizon`` (the schedule's ``total_steps``)",
    "T-1": "before the schedule's ``total_steps`` (where the library restarts)",
}


def _public(name: str) -> Callable[..., Schedule]:
    """The public function of preset ``name``: the library's signature, a Schedule back."""
    preset = PRESETS[name]
    signature = inspect.signature(preset.spec)

    def build(*args: Any, **kwargs: Any) -> Schedule:
        bound = signature.bind(*args, **kwargs)  # TypeError for a missing or unknown argument
        bound.apply_defaults()
        for argument, reason in preset.unsupported.items():
            value, default = bound.arguments[argument], signature.parameters[argument].default
            if value != default:
                raise ValueError(
                    f"{name}: {argument}={value!r} is not supported ({reason}); only the "
                    f"default {argument}={default!r} is"
                )
        config = preset.spec(*bound.args, **bound.kwargs)
        try:
            return Schedule(**config)
        except (TypeError, ValueError) as error:
            raise type(error)(f"{name}: {error} (the Schedule arguments were {config})") from None

    anchor = preset.anchor.replace(":", ".")
    build.__name__ = build.__qualname__ = name
    build.__module__ = __name__
    paragraphs = [
        f"``{anchor}`` as a :class:`~warmcos.Schedule`, taking its parameters.",
        preset.doc,
        f"Equal to the library at every step {_UNTIL[preset.equal_until]}.",
        *(
            ["``lr`` is the optimizer's learning rate, which the library multiplies."]
            * preset.scaled
        ),
        *(
            f"``{a}`` other than its default raises ``ValueError``: {r}."
            for a, r in preset.unsupported.items()
        ),
        "Returns:\n    A :class:`~warmcos.Schedule` equal to the library (see above).",
    ]
    build.__doc__ = "\n\n".join(
        p
        if p.startswith("Returns:")
        else textwrap.fill(p, 88, break_long_words=False, break_on_hyphens=False)
        for p in paragraphs
    )
    build.__dict__["__signature__"] = signature.replace(return_annotation="Schedule")
    return build


tpu_reference = _public("tpu_reference")
transformers_cosine_with_warmup = _public("transformers_cosine_with_warmup")
transformers_cosine_with_min_lr = _public("transformers_cosine_with_min_lr")
transformers_cosine_with_hard_restarts = _public("transformers_cosine_with_hard_restarts")
transformers_linear_with_warmup = _public("transformers_linear_with_warmup")
transformers_polynomial_decay_with_warmup = _public("transformers_polynomial_decay_with_warmup")
transformers_constant_with_warmup = _public("transformers_constant_with_warmup")
transformers_inverse_sqrt = _public("transformers_inverse_sqrt")
transformers_wsd = _public("transformers_wsd")
optax_warmup_cosine_decay = _public("optax_warmup_cosine_decay")
optax_cosine_decay = _public("optax_cosine_decay")
optax_linear = _public("optax_linear")
optax_polynomial = _public("optax_polynomial")
optax_warmup_exponential_decay = _public("optax_warmup_exponential_decay")
optax_sgdr = _public("optax_sgdr")
keras_cosine_decay = _public("keras_cosine_decay")
keras_cosine_decay_restarts = _public("keras_cosine_decay_restarts")
keras_polynomial_decay = _public("keras_polynomial_decay")
keras_exponential_decay = _public("keras_exponential_decay")
keras_inverse_time_decay = _public("keras_inverse_time_decay")
torch_linear_then_cosine = _public("torch_linear_then_cosine")
torch_cosine_annealing = _public("torch_cosine_annealing")
torch_cosine_warm_restarts = _public("torch_cosine_warm_restarts")
torch_polynomial = _public("torch_polynomial")
timm_cosine = _public("timm_cosine")
deepspeed_warmup_cosine = _public("deepspeed_warmup_cosine")
deepspeed_warmup_decay = _public("deepspeed_warmup_decay")
torchtune_cosine_with_warmup = _public("torchtune_cosine_with_warmup")
