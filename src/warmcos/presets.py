"""Other libraries' schedules, called with their own parameter names, as plain Schedules.

Coming from transformers, optax, Keras, PyTorch, timm, DeepSpeed, torchtune, ESPnet,
pytorch_warmup, Lightning-Bolts or ignite, or from the schedule of a training script (nanoGPT,
llm.c, torchtitan, the Annotated Transformer, DINO, DINOv2, MAE)? Call the preset named after
the function you used, with the arguments you passed it::

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

A preset takes what its library takes, with the library's meaning, or refuses it with the
reason: a ``TypeError`` or ``ValueError`` naming the library's parameter, the rule and the
value, raised before any work. The annotations in the signatures say what each parameter
accepts:

* ``Steps`` (``>= 0``), ``Length`` (``>= 1``): an int number of steps (a NumPy int too, not a
  bool). A whole float (``1e3``) is that int where the library takes floats; a fraction is
  refused: the library counts steps with it, so ``num_warmup_steps=0.05`` is a twentieth of
  a step there, not 5% of training. ``IntLength``, ``IntMultiplier``: the library refuses
  floats (torch's ``T_0``, DeepSpeed's ``warmup_num_steps``), and so does the preset;
* ``Cycles``, ``CycleLimit``: restart cycles, at most warmcos' 10,000;
* ``Rate`` (a learning rate, ``>= 0``), ``Ratio`` (``[0, 1]``), ``Positive`` (``> 0``),
  ``DecayRate`` (``(0, 1]``), ``Finite``: real numbers, never NaN or infinite;
* ``Literal[...]``: one of the strings; ``Switch``: ``True`` or ``False``.

>>> presets.timm_cosine(lr=0.1, t_initial=1e3) == presets.timm_cosine(lr=0.1, t_initial=1000)
True
>>> presets.transformers_linear_with_warmup(lr=0.1, num_warmup_steps=0.05, num_training_steps=100)
Traceback (most recent call last):
    ...
ValueError: transformers_linear_with_warmup: num_warmup_steps must be a whole number of steps: ...

Presets are data: :data:`PRESETS` maps each name to a :class:`Preset` (the library function it
stands for, or the codebase, commit and file its schedule was read from, and a mapping from
that function's keyword arguments to ``Schedule``'s, whose annotations declare the
parameters' kinds). A codebase preset reproduces the value the codebase's own training loop
uses at every update, its step convention included (``(it + 1) / W`` warmups that peak one
update early, ``np.linspace`` grids that use the peak twice), and is proven against values its
own code produced (``tests/data/codebases/``). The public functions below are generated from it.
This module imports no framework.

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
import numbers
import reprlib
import struct
import textwrap
import types
import typing

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time, and
# get_type_hints(Preset) needs Callable.
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Annotated, Any, Literal, TypedDict

from .schedule import MAX_CYCLES, MAX_STEPS, Schedule

__all__ = [
    "PRESETS",
    "Preset",
    "annotated_transformer_rate",
    "bolts_linear_warmup_cosine_annealing",
    "deepspeed_warmup_cosine",
    "deepspeed_warmup_decay",
    "dino_cosine_scheduler",
    "dinov2_cosine_scheduler",
    "espnet_noam_lr",
    "espnet_warmup_lr",
    "ignite_cosine_annealing",
    "keras_cosine_decay",
    "keras_cosine_decay_restarts",
    "keras_exponential_decay",
    "keras_inverse_time_decay",
    "keras_polynomial_decay",
    "llmc_get_learning_rate",
    "llmc_get_lr",
    "mae_adjust_learning_rate",
    "nanogpt_get_lr",
    "nanogpt_get_lr_2023",
    "optax_cosine_decay",
    "optax_linear",
    "optax_polynomial",
    "optax_sgdr",
    "optax_warmup_cosine_decay",
    "optax_warmup_exponential_decay",
    "pytorch_warmup_linear",
    "pytorch_warmup_untuned_linear",
    "timm_cosine",
    "torch_cosine_annealing",
    "torch_cosine_warm_restarts",
    "torch_linear_then_cosine",
    "torch_polynomial",
    "torchtitan_lr_scheduler",
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


# -- what each parameter accepts -------------------------------------------------------------
#
# Every parameter of every preset is declared once, by its annotation in the preset's spec
# function: one of the kinds below (Steps, Rate, ...), Literal[...] for a choice, "X | None"
# where None is allowed, Items(...) for a list, a TypedDict for a dict. One validator
# (_check) reads those annotations and checks every argument before the spec function runs:
# the spec functions only rename, add and relate values already known to be clean.


def _received(name: str, value: object) -> str:
    return f"received {name}={reprlib.repr(value)}"


def _typed(name: str, value: object) -> str:
    return f"{_received(name, value)} of type {type(value).__name__}"


@dataclass(frozen=True)
class Count:
    """An int in ``[minimum, maximum]``: NumPy ints too, never a ``bool``.

    Attributes:
        what: what it counts, for messages (``"steps"``, ``"cycles"``).
        minimum: the least value, and ``low_why`` why.
        maximum: the largest value, and ``high_why`` why.
        floats: the library takes floats here. A whole float (``1e3``) is then that int,
            as it is to the library; a fraction is refused: the library would count with it
            (``0.05`` is a twentieth of a step there, not a fraction of training), and no
            warmcos phase ends between two steps. ``False``: the library refuses floats, even
            whole ones, and so does the preset.
    """

    what: str = "steps"
    minimum: int = 0
    low_why: str = ""
    maximum: int = MAX_STEPS
    high_why: str = "steps are 64-bit integers"
    floats: bool = True

    def check(self, value: object, name: str) -> int:
        """``value`` as an int, or ``TypeError``/``ValueError`` naming ``name``."""
        noun = f"an int number of {self.what}" if self.what else "an int"
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be {noun}; {_typed(name, value)}")
        if not isinstance(value, numbers.Integral):
            if not self.floats:
                raise TypeError(
                    f"{name} must be {noun} (the library refuses floats, whole ones too); "
                    f"{_typed(name, value)}"
                )
            if not _finite(value):
                raise ValueError(f"{name} must be finite; {_received(name, value)}")
            if not float(value).is_integer():
                why = (
                    ": the library counts steps with it, so a fraction is a fraction of a "
                    "step (not of training), and warmcos' phases are whole steps"
                    if self.what == "steps"
                    else ""
                )
                raise ValueError(
                    f"{name} must be a whole number{' of ' * bool(self.what)}{self.what}{why}; "
                    f"{_received(name, value)}"
                )
        count: int = int(value)  # type: ignore[call-overload]
        if count < self.minimum:
            why = f" ({self.low_why})" if self.low_why else ""
            raise ValueError(f"{name} must be >= {self.minimum}{why}; {_received(name, value)}")
        if count > self.maximum:
            raise ValueError(
                f"{name} must be <= {self.maximum} ({self.high_why}); {_received(name, value)}"
            )
        return count


def _finite(value: numbers.Real) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int or Fraction beyond float range
        return False


@dataclass(frozen=True)
class Real:
    """A finite real number (never a ``bool``) between ``low`` and ``high``, as a float.

    ``low_open``/``high_open`` exclude the bound; ``why`` says why the range.
    """

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    why: str = ""

    @property
    def rule(self) -> str:
        """The range in words: ``"> 0"``, ``"in (0, 1]"``."""
        low, high = f"{self.low:g}", f"{self.high:g}"
        if math.isfinite(self.low) and math.isfinite(self.high):
            left, right = "(" if self.low_open else "[", ")" if self.high_open else "]"
            return f"in {left}{low}, {high}{right}"
        if math.isfinite(self.low):
            return f"{'>' if self.low_open else '>='} {low}"
        return f"{'<' if self.high_open else '<='} {high}"

    def check(self, value: object, name: str) -> float:
        """``value`` as a float, or ``TypeError``/``ValueError`` naming ``name``."""
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a real number; {_typed(name, value)}")
        if not _finite(value):
            raise ValueError(f"{name} must be finite; {_received(name, value)}")
        x = float(value)
        above = x > self.low if self.low_open else x >= self.low
        below = x < self.high if self.high_open else x <= self.high
        if not (above and below):
            why = f" ({self.why})" if self.why else ""
            raise ValueError(f"{name} must be {self.rule}{why}; {_received(name, value)}")
        return x + 0.0  # -0.0 -> 0.0


@dataclass(frozen=True)
class Flag:
    """``True`` or ``False`` (a ``bool``, not a number)."""

    def check(self, value: object, name: str) -> bool:
        """``value``, or ``TypeError`` naming ``name``."""
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False; {_typed(name, value)}")
        return value


@dataclass(frozen=True)
class Text:
    """A string (a name the library keeps)."""

    def check(self, value: object, name: str) -> str:
        """``value``, or ``TypeError`` naming ``name``."""
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string; {_typed(name, value)}")
        return value


@dataclass(frozen=True)
class Items:
    """A list (any sequence but a string) of ``minimum`` to ``maximum`` items; ``what`` they are."""

    minimum: int
    maximum: int
    what: str


_RATE = "a learning rate"
#: A number of steps, ``>= 0``.
Steps = Annotated[int, Count()]
#: A number of steps, ``>= 1``.
Length = Annotated[int, Count(minimum=1, low_why="a length of at least one step")]
#: A number of steps ``>= 1`` that the library wants as an int, not a float.
IntLength = Annotated[int, Count(minimum=1, low_why="the library raises for less", floats=False)]
#: A number of steps ``>= 0`` that the code wants as an int (``np.linspace``'s count).
IntSteps = Annotated[int, Count(floats=False)]
#: A number of restart cycles, between 1 and warmcos' limit.
Cycles = Annotated[
    int,
    Count("cycles", 1, "at least one cycle", MAX_CYCLES, "warmcos' limit on restart cycles"),
]
#: A learning rate: a finite real number ``>= 0``.
Rate = Annotated[float, Real(0.0, why=_RATE)]
#: A fraction of a learning rate, in ``[0, 1]``: what a schedule ends at, below its peak.
Ratio = Annotated[float, Real(0.0, 1.0, why="a floor below the peak: warmcos' decays go down")]
#: A finite real number ``> 0`` (an exponent, a multiplier, a timescale).
Positive = Annotated[float, Real(0.0, low_open=True)]
#: A finite real number.
Finite = Annotated[float, Real()]
#: An exponential decay's rate per period, in ``(0, 1]``.
DecayRate = Annotated[
    float, Real(0.0, 1.0, low_open=True, why="an exponential decay to a value above 0")
]
#: A real number in ``[0, 1]`` (optax's decay_rate: 0 and 1 hold the value).
Proportion = Annotated[float, Real(0.0, 1.0)]
#: A factor of ``lr`` in ``(0, 1]`` (torch raises outside).
Factor = Annotated[float, Real(0.0, 1.0, low_open=True, why="torch raises outside")]
#: An int multiplier ``>= 1`` that the library wants as an int (torch's ``T_mult``).
IntMultiplier = Annotated[int, Count("", 1, "the library raises for less", floats=False)]
#: timm's ``cycle_limit``: its 0 (restart forever) has no end.
CycleLimit = Annotated[
    int,
    Count("cycles", 1, "timm's 0 restarts forever", MAX_CYCLES, "warmcos' limit on cycles"),
]
#: A random seed (unused: it only seeds noise, which warmcos does not add).
Seed = Annotated[int, Count("", -(2**63), "", 2**64 - 1, "a 64-bit seed")]
#: ``True`` or ``False``.
Switch = Annotated[bool, Flag()]
#: A name the library gives its schedule (not used by warmcos).
Name = Annotated[str, Text()]


def _check(hint: Any, value: object, name: str) -> Any:
    """``value`` checked against the annotation ``hint``, normalised (``1e3`` -> ``1000``).

    Raises ``TypeError`` or ``ValueError`` naming ``name``, the rule and the value.
    """
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Annotated:
        kind = args[1]
        if isinstance(kind, Items):
            kind = _Each(typing.get_args(args[0])[0], kind)
        return kind.check(value, name)
    if origin is Literal:
        if not isinstance(value, str) or value not in args:
            valid = ", ".join(repr(a) for a in args)
            raise ValueError(f"{name} must be one of {valid}; {_received(name, value)}")
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = (a for a in args if a is not type(None))
        return _check(inner, value, name)
    if typing.is_typeddict(hint):
        return _check_record(hint, value, name)
    raise TypeError(f"{name}: no kind declared ({hint!r})")  # pragma: no cover - registry bug


@dataclass(frozen=True)
class _Each:
    """``Items`` of the annotation ``hint``: the list's length, then each item."""

    hint: Any
    items: Items

    def check(self, value: object, name: str) -> list[Any]:
        items = self.items
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise TypeError(f"{name} must be a list of {items.what}; {_typed(name, value)}")
        if not items.minimum <= len(value) <= items.maximum:
            count = f"{items.minimum}" + (
                f" to {items.maximum}" if items.maximum != items.minimum else ""
            )
            raise ValueError(
                f"{name} must hold {count} {items.what}; received {len(value)}: "
                f"{reprlib.repr(value)}"
            )
        return [_check(self.hint, item, f"{name}[{i}]") for i, item in enumerate(value)]


def _check_record(hint: Any, value: object, name: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict; {_typed(name, value)}")
    fields = typing.get_type_hints(hint, include_extras=True)
    unknown = sorted(repr(key) for key in value if key not in fields)
    if unknown:
        raise TypeError(f"{name} has unknown keys {', '.join(unknown)}; valid: {list(fields)}")
    missing = [key for key in fields if key in hint.__required_keys__ and key not in value]
    if missing:
        raise TypeError(f"{name} is missing {', '.join(map(repr, missing))}")
    return {key: _check(fields[key], item, f"{name}[{key!r}]") for key, item in value.items()}


@dataclass(frozen=True)
class Below:
    """A rule between parameters: ``sum(low) < high`` (``<=`` unless ``strict``).

    ``high`` is a parameter's name or a number. Checked after each parameter's kind, and
    only when none of them is ``None``; ``why`` says why the rule.
    """

    low: tuple[str, ...]
    high: str | int
    why: str
    strict: bool = True

    def check(self, arguments: Mapping[str, Any]) -> None:
        """``ValueError`` naming the parameters, the rule and their values if it fails."""
        names = (*self.low, *([self.high] if isinstance(self.high, str) else []))
        if any(arguments[n] is None for n in names):
            return
        total = sum(arguments[n] for n in self.low)
        limit = arguments[self.high] if isinstance(self.high, str) else self.high
        if total < limit or (not self.strict and total == limit):
            return
        received = ", ".join(f"{n}={arguments[n]!r}" for n in names)
        raise ValueError(
            f"{' + '.join(self.low)} must be {'<' if self.strict else '<='} {self.high} "
            f"({self.why}); received {received}"
        )


@dataclass(frozen=True)
class Codebase:
    """Where a codebase preset comes from: a training script's schedule, not a library's.

    Attributes:
        repository: the GitHub repository, ``"owner/name"``.
        commit: the commit the preset was read from and proven against (40 hex digits).
        path: the file in the repository that holds the schedule's code.
    """

    repository: str
    commit: str
    path: str

    @property
    def url(self) -> str:
        """The file at that commit on GitHub."""
        return f"https://github.com/{self.repository}/blob/{self.commit}/{self.path}"


@dataclass(frozen=True)
class Preset:
    """One library function, or one training codebase's schedule, as a ``Schedule`` mapping.

    Attributes:
        anchor: the library function or class, ``"module:qualname"`` (what the conformance
            test runs); for a codebase, the function or class in its file
            (``"train.py:get_lr"``).
        scaled: ``True`` when the library multiplies the optimizer's learning rate (like
            ``LambdaLR``), so the preset takes ``lr``.
        spec: a function of the library's own keyword arguments (with the library's
            defaults), plus ``lr`` when ``scaled`` and warmcos' ``horizon`` or ``cycles``
            where the library has no end, returning :class:`~warmcos.Schedule` arguments.
            Renames, sums and ratios only: the shapes are the core's. Its annotations declare
            what each parameter accepts (``Steps``, ``Rate``, ``Literal[...]``, ...): every
            argument is checked against them before ``spec`` runs.
        unsupported: library argument -> why warmcos cannot honour it. Any value other than
            the library's default raises ``ValueError`` with that reason.
        rules: relations between parameters (a warmup shorter than the run, a floor below the
            peak), checked after each parameter and before ``spec`` runs.
        doc: what the preset is, its conventions, and where it stops matching the library.
        equal_until: how far the preset equals the library, with ``T`` the schedule's
            ``total_steps``: ``"2T"`` (steps ``0 .. 2T``: the library's after-end behaviour
            is a warmcos policy), ``"T"`` (the library has no end and the preset stops at
            ``horizon``) or ``"T-1"`` (the library restarts at ``T``, the preset holds).
        codebase: where the schedule comes from when it is a training codebase's (its
            repository, commit and file; proven against the values its own code produced,
            recorded in ``tests/data/codebases/``); ``None`` for a library's (proven against
            the installed library).
    """

    anchor: str
    scaled: bool
    spec: Callable[..., Spec]
    unsupported: Mapping[str, str] = field(default_factory=dict)
    rules: tuple[Below, ...] = ()
    doc: str = ""
    equal_until: str = "2T"
    codebase: Codebase | None = None

    @property
    def origin(self) -> Literal["library", "codebase"]:
        """``"codebase"`` for a training script's schedule, ``"library"`` otherwise."""
        return "library" if self.codebase is None else "codebase"

    @property
    def source(self) -> str:
        """Where the preset comes from, in words.

        The library's ``module.qualname``, or the codebase's repository, file, definition and
        commit.
        """
        if self.codebase is None:
            return self.anchor.replace(":", ".")
        path, _, qualname = self.anchor.rpartition(":")
        return f"{self.codebase.repository} {path} {qualname} @{self.codebase.commit[:7]}"


# -- shared pieces of the mappings ---------------------------------------------------------

_DECAY_STEP = "the decay needs at least one step after the warmup"
_WARMUP_END = "the warmup ends before the horizon"
_DOWN = "warmcos' decays go down from the peak to the floor"
_STEPS_64 = "the schedule ends at a 64-bit step"
_RESUME = "resume state, not schedule: warmcos' adapters resume from their own state_dict"
_STAIRCASE = "a staircase is piecewise constant, not one of warmcos' decay shapes"


def _whole(value: Fraction, what: str) -> int:
    """``value`` as an int, or ``ValueError`` saying that ``what`` must be whole steps."""
    if value.denominator != 1:
        raise ValueError(f"{what} must be a whole number of steps; it is {value}")
    return int(value)


def _hf_half_period(num_warmup_steps: int, num_training_steps: int, num_cycles: float) -> int:
    """Steps from the peak to the first trough of transformers' ``cos(2 pi c p)`` factor."""
    half = Fraction(num_training_steps - num_warmup_steps) / (2 * Fraction(num_cycles))
    what = (
        "the cosine's half period (num_training_steps - num_warmup_steps) / (2 * num_cycles)"
        f" = ({num_training_steps} - {num_warmup_steps}) / (2 * {num_cycles!r})"
    )
    if half > MAX_STEPS - num_warmup_steps:
        raise ValueError(f"{what} must end before step 2**63 (64-bit steps); it is {half}")
    return _whole(half, what)


#: transformers' cosines need steps after the warmup.
_HF_DECAY = Below(
    ("num_warmup_steps",),
    "num_training_steps",
    "the decay needs at least one step after the warmup; transformers' max(1, ...) turns an "
    "empty one into a jump",
)


def _hf_cosine(
    lr: Rate,
    num_warmup_steps: Steps,
    num_training_steps: Steps,
    num_cycles: Positive = 0.5,
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
    lr: Rate,
    num_warmup_steps: Steps,
    num_training_steps: Steps,
    num_cycles: Positive = 0.5,
    last_epoch: int = -1,
    min_lr: Rate | None = None,
    min_lr_rate: Ratio | None = None,
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
    lr: Rate,
    num_warmup_steps: Steps,
    num_training_steps: Steps,
    num_cycles: Cycles = 1,
    last_epoch: int = -1,
) -> Spec:
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
    lr: Rate, num_warmup_steps: Steps, num_training_steps: Steps, last_epoch: int = -1
) -> Spec:
    return {
        "peak_lr": lr,
        "total_steps": num_training_steps,
        "warmup_steps": num_warmup_steps,
        "decay_shape": "linear",
    }


def _hf_polynomial(
    lr: Rate,
    num_warmup_steps: Steps,
    num_training_steps: Steps,
    lr_end: Rate = 1e-7,
    power: Positive = 1.0,
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
    lr: Rate, num_warmup_steps: Steps, last_epoch: int = -1, *, horizon: Length | None = None
) -> Spec:
    return {
        "peak_lr": lr,
        "total_steps": num_warmup_steps + 1 if horizon is None else horizon,
        "warmup_steps": num_warmup_steps,
        "decay_shape": "constant",
    }


def _hf_inverse_sqrt(
    lr: Rate,
    num_warmup_steps: Steps,
    timescale: Positive | None = None,
    last_epoch: int = -1,
    *,
    horizon: Length,
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
    lr: Rate,
    num_warmup_steps: Steps,
    num_decay_steps: Length,
    num_training_steps: Steps | None = None,
    num_stable_steps: Steps | None = None,
    warmup_type: Literal["linear", "cosine", "1-sqrt"] = "linear",
    decay_type: Literal["linear", "cosine", "1-sqrt"] = "cosine",
    min_lr_ratio: Ratio = 0,
    num_cycles: Positive = 0.5,
    last_epoch: int = -1,
) -> Spec:
    if decay_type == "cosine" and num_cycles != 0.5:
        raise ValueError(
            "num_cycles other than 0.5 is not supported with decay_type='cosine': transformers "
            "then cuts its cosine off mid-wave at the end of the decay and jumps to "
            f"min_lr_ratio, which is not a warmcos decay; received num_cycles={num_cycles!r}"
        )
    if num_stable_steps is None:
        if num_training_steps is None:
            raise ValueError(
                "either num_training_steps or num_stable_steps must be set (transformers "
                "raises too); received num_training_steps=None, num_stable_steps=None"
            )
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
    init_learning_rate: Rate,
    warmup_learning_rate: Rate,
    warmup_steps: Steps,
    total_steps: Steps,
) -> Spec:
    return {
        "peak_lr": init_learning_rate,
        "total_steps": total_steps,
        "warmup_steps": warmup_steps,
        "warmup_start_lr": warmup_learning_rate,
        "after": "wrap",
    }


def _optax_warmup_cosine(
    init_value: Rate,
    peak_value: Rate,
    warmup_steps: Steps,
    decay_steps: Steps,
    end_value: Rate = 0.0,
    exponent: Positive = 1.0,
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
    init_value: Rate, decay_steps: Length, alpha: Ratio = 0.0, exponent: Positive = 1.0
) -> Spec:
    return {
        "peak_lr": init_value,
        "total_steps": decay_steps,
        "final_lr": init_value * alpha,
        "power": exponent,
    }


def _polynomial(
    init: float, end: float, power: float, steps: int, begin: int = 0, *, names: tuple[str, str]
) -> Spec:
    """A polynomial from ``init`` to ``end`` over ``steps`` after ``begin`` steps at ``init``.

    ``names``: the library's names for ``init`` and ``end``.
    """
    rising = f"a rising polynomial ({names[0]} < {names[1]})"
    values = f"{names[0]}={init!r}, {names[1]}={end!r}"
    if steps <= 0:  # optax and Keras hold init_value; a constant schedule
        return {"peak_lr": init, "total_steps": 1, "decay_shape": "constant"}
    begin = max(0, begin)  # optax reads a negative transition_begin as 0
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
            f"{rising} is a warmup in warmcos, and a warmup cannot be delayed: "
            f"transition_begin must be 0 there; received {values}, transition_begin={begin!r}"
        )
    # A rise is a warmup: (init - end) * (1 - u) ** p + end = end - (end - init) * (1 - u) ** p,
    # measured up from init that is 1 - (1 - u) ** p: linear for p = 1, "1-sqrt" for p = 1/2.
    # warmcos' polynomial warmup is u ** p (measured from its lower end), another curve.
    rise = {1: "linear", 0.5: "1-sqrt"}.get(power)
    if rise is None:
        raise ValueError(
            f"{rising} with power other than 1 or 0.5 is not a warmcos warmup: it rises as "
            f"1 - (1 - u)**power, warmcos' polynomial warmup as u**power; received {values}, "
            f"power={power!r}"
        )
    return {
        "peak_lr": end,
        "total_steps": steps + 1,
        "warmup_steps": steps,
        "warmup_start_lr": init,
        "warmup_shape": rise,
        "decay_shape": "constant",
    }


_OPTAX_VALUES = ("init_value", "end_value")
#: optax's transition counts: any int, a value <= 0 meaning none (optax documents both).
Transition = Annotated[int, Count(minimum=-MAX_STEPS)]
#: optax's polynomial ends at transition_begin + transition_steps (at most 64-bit steps).
_OPTAX_END = Below(
    ("transition_begin", "transition_steps"), MAX_STEPS, "the schedule ends at a 64-bit step"
)


def _optax_linear(
    init_value: Rate,
    end_value: Rate,
    transition_steps: Transition,
    transition_begin: Transition = 0,
) -> Spec:
    return _polynomial(
        init_value, end_value, 1.0, transition_steps, transition_begin, names=_OPTAX_VALUES
    )


def _optax_polynomial(
    init_value: Rate,
    end_value: Rate,
    power: Positive,
    transition_steps: Transition,
    transition_begin: Transition = 0,
) -> Spec:
    return _polynomial(
        init_value, end_value, power, transition_steps, transition_begin, names=_OPTAX_VALUES
    )


_MAX_DECADES = math.log(1e300)


def _exponential(peak: float, decay_rate: float, steps: int, period: float, formula: str) -> Spec:
    """The decay ``peak * decay_rate ** (t / period)`` over ``steps`` steps (``formula``)."""
    if decay_rate == 1:
        return {"final_lr": peak, "decay_shape": "constant"}
    final = peak * decay_rate ** (steps / period)  # underflows to 0, never overflows
    if not (final > 0 and math.log(peak / final) < _MAX_DECADES):
        raise ValueError(
            f"{formula}, the rate at the horizon, must be above 0 and at most 300 decades "
            f"below the peak (warmcos' exponential decay is a float64 geometric ramp); it is "
            f"{final!r}"
        )
    return {"final_lr": final, "decay_shape": "exponential"}


def _optax_warmup_exponential(
    init_value: Rate,
    peak_value: Rate,
    warmup_steps: Steps,
    transition_steps: Finite,
    decay_rate: Proportion,
    transition_begin: Transition = 0,
    staircase: bool = False,
    end_value: Rate | None = None,
    *,
    horizon: Length,
) -> Spec:
    begin = max(0, transition_begin)  # optax reads a negative transition_begin as 0
    decay: Spec
    if transition_steps <= 0 or decay_rate == 0:  # optax holds peak_value (documented)
        decay = {"final_lr": peak_value, "decay_shape": "constant"}
    else:
        decay = _exponential(
            peak_value,
            decay_rate,
            horizon - warmup_steps - begin,
            transition_steps,
            f"peak_value * decay_rate ** ((horizon - warmup_steps - transition_begin) / "
            f"transition_steps) = {peak_value!r} * {decay_rate!r} ** (({horizon} - "
            f"{warmup_steps} - {begin}) / {transition_steps!r})",
        )
    if end_value is not None and decay["final_lr"] < end_value:
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
        "stable_steps": begin,
        **decay,
    }


class _SgdrRequired(TypedDict):
    init_value: Rate
    peak_value: Rate
    warmup_steps: Steps
    decay_steps: Steps


class SgdrCycle(_SgdrRequired, total=False):
    """One cycle of optax's ``sgdr_schedule``: ``warmup_cosine_decay_schedule``'s arguments."""

    end_value: Rate
    exponent: Positive


#: optax's sgdr_schedule: one dict per cycle.
SgdrCycles = Annotated[Sequence[SgdrCycle], Items(1, MAX_CYCLES, "cycles (dicts)")]


def _scaled(first: float, ratio: float, k: int) -> float:
    """``first * ratio ** k`` in floats, ``inf`` where it overflows."""
    try:
        return first * ratio**k
    except OverflowError:
        return math.inf


def _optax_sgdr(
    cosine_kwargs: SgdrCycles,
) -> Spec:
    cycles: list[dict[str, Any]] = [
        {"end_value": 0.0, "exponent": 1.0, **kw} for kw in cosine_kwargs
    ]
    for k, kw in enumerate(cycles):
        if not kw["warmup_steps"] < kw["decay_steps"]:
            raise ValueError(
                f"cosine_kwargs[{k}]: warmup_steps must be < decay_steps (optax requires "
                f"positive decay_steps - warmup_steps); received "
                f"warmup_steps={kw['warmup_steps']!r}, decay_steps={kw['decay_steps']!r}"
            )
        if not kw["end_value"] <= kw["peak_value"]:
            raise ValueError(
                f"cosine_kwargs[{k}]: end_value must be <= peak_value (warmcos' decays go "
                f"down); received end_value={kw['end_value']!r}, "
                f"peak_value={kw['peak_value']!r}"
            )
    total = sum(kw["decay_steps"] for kw in cycles)
    if total > MAX_STEPS:
        raise ValueError(
            "cosine_kwargs: the sum of the decay_steps must be <= 2**63 - 1 (steps are 64-bit "
            f"integers); it is {total}"
        )
    first, rest = cycles[0], cycles[1:]

    def same(key: str, group: list[dict[str, Any]], why: str) -> None:
        values = {kw[key] for kw in group}
        if len(values) > 1:
            raise ValueError(f"cosine_kwargs: every cycle must have the same {key} ({why})")

    same("init_value", cycles, "warmcos warms every cycle up from warmup_start_lr")
    same("exponent", cycles, "one power for every cycle")
    same("warmup_steps", rest, "cycle_warmup_steps is one length for the restarts")
    lengths = [kw["decay_steps"] - kw["warmup_steps"] for kw in cycles]
    peaks = [kw["peak_value"] for kw in cycles]
    mul = Fraction(lengths[1], lengths[0]) if rest else Fraction(1)
    if rest and not (peaks[0] > 0 and peaks[1] > 0):
        raise ValueError(
            "cosine_kwargs: the first two cycles' peak_value must be above 0 (the peaks decay "
            f"geometrically, by peak_1 / peak_0 > 0); received {peaks[0]!r} and {peaks[1]!r}"
        )
    decay = peaks[1] / peaks[0] if rest else 1.0
    expected = Fraction(lengths[0])
    for k in range(len(cycles)):  # stops at the first mismatch: the lengths stay 64-bit
        if lengths[k] != expected:
            raise ValueError(
                "cosine_kwargs: the cycles' decays (decay_steps - warmup_steps) must grow "
                f"geometrically; cycle {k} has {lengths[k]}, not {expected}"
            )
        expected *= mul
        if not math.isclose(peaks[k], _scaled(peaks[0], decay, k), rel_tol=1e-12):
            raise ValueError(
                "cosine_kwargs: the peaks must decay geometrically (peak_value of cycle k = "
                f"peak_value of cycle 0 * (peak_1 / peak_0) ** k); cycle {k} does not"
            )
    ends = [kw["end_value"] for kw in cycles]
    if len(set(ends)) == 1:
        floor = "fixed"
    elif all(
        math.isclose(ends[k], _scaled(ends[-1], decay, k - len(cycles) + 1), rel_tol=1e-12)
        for k in range(len(cycles))
    ):
        floor = "scaled"
    else:
        raise ValueError(
            "cosine_kwargs: end_value must be the same in every cycle, or scale with the peaks"
        )
    return {
        "peak_lr": first["peak_value"],
        "total_steps": total,
        "warmup_steps": first["warmup_steps"],
        "warmup_start_lr": first["init_value"],
        "final_lr": cycles[-1]["end_value"],
        "power": first["exponent"],
        **_restarts(
            len(cycles),
            cycle_mul=float(mul),
            cycle_decay=decay,
            cycle_floor=floor,
            cycle_warmup_steps=rest[0]["warmup_steps"] if rest else 0,
        ),
    }


def _keras_cosine(
    initial_learning_rate: Rate,
    decay_steps: Length,
    alpha: Ratio = 0.0,
    name: Name | None = "CosineDecay",
    warmup_target: Rate | None = None,
    warmup_steps: Steps = 0,
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


def _geometric_cycles(
    first: int, mul: float, cycles: int, names: tuple[str, str, str]
) -> tuple[int, Fraction]:
    """The total of ``cycles`` lengths ``first * mul**k``, each a whole number of steps.

    ``names``: the library's names for ``first``, ``mul`` and ``cycles``. The work is bounded
    whatever ``cycles`` is: for ``mul == 1`` the total is ``first * cycles``; otherwise the
    lengths are whole and below 2**63 for at most 64 cycles (``mul = p / q`` with ``q > 1``
    needs ``q**k`` to divide ``first``; with ``q == 1`` they at least double), and the loop
    stops at the first one that is not.
    """
    first_name, mul_name, cycles_name = names
    received = f"received {first_name}={first}, {mul_name}={mul!r}, {cycles_name}={cycles}"
    m = Fraction(mul)
    if m == 1:
        total = first * cycles
    else:
        total, length = 0, Fraction(first)
        for k in range(cycles):
            if length.denominator != 1:
                raise ValueError(
                    f"cycle {k}'s length, {first_name} * {mul_name}**{k}, must be a whole "
                    f"number of steps; it is {float(length)!r}; {received}"
                )
            total += int(length)
            if total > MAX_STEPS:
                break
            length *= m
    if total > MAX_STEPS:
        raise ValueError(
            f"the {cycles_name} cycles' lengths, {first_name} * {mul_name}**k, must add up to "
            f"at most 2**63 - 1 steps (64-bit integers); {received}"
        )
    return total, m


def _last_peak(peak: float, decay: float, cycles: int, names: tuple[str, str, str]) -> None:
    """``ValueError`` unless the last cycle's peak, ``peak * decay ** (cycles - 1)``, is finite."""
    if not math.isfinite(_scaled(peak, decay, cycles - 1)):
        peak_name, decay_name, cycles_name = names
        raise ValueError(
            f"the last cycle's peak, {peak_name} * {decay_name} ** ({cycles_name} - 1), must be "
            f"finite; received {peak_name}={peak!r}, {decay_name}={decay!r}, "
            f"{cycles_name}={cycles}"
        )


def _keras_cosine_restarts(
    initial_learning_rate: Rate,
    first_decay_steps: Length,
    t_mul: Positive = 2.0,
    m_mul: Positive = 1.0,
    alpha: Ratio = 0.0,
    name: Name | None = "SGDRDecay",
    *,
    cycles: Cycles,
) -> Spec:
    if alpha and m_mul != 1:
        raise ValueError(
            "alpha > 0 with m_mul != 1 is not supported: Keras scales only the cosine part by "
            "m_mul ** i (cycle i peaks at alpha + (1 - alpha) * m_mul ** i above a fixed floor),"
            " warmcos scales a cycle's peak (cycle_decay ** i); "
            f"received alpha={alpha!r}, m_mul={m_mul!r}"
        )
    names = ("first_decay_steps", "t_mul", "cycles")
    total, mul = _geometric_cycles(first_decay_steps, t_mul, cycles, names)
    _last_peak(initial_learning_rate, m_mul, cycles, ("initial_learning_rate", "m_mul", "cycles"))
    return {
        "peak_lr": initial_learning_rate,
        "total_steps": total,
        "final_lr": initial_learning_rate * alpha,
        **_restarts(cycles, cycle_mul=float(mul), cycle_decay=m_mul),
    }


def _keras_polynomial(
    initial_learning_rate: Rate,
    decay_steps: Length,
    end_learning_rate: Rate = 0.0001,
    power: Positive = 1.0,
    cycle: bool = False,
    name: Name | None = "PolynomialDecay",
) -> Spec:
    return _polynomial(
        initial_learning_rate,
        end_learning_rate,
        power,
        decay_steps,
        names=("initial_learning_rate", "end_learning_rate"),
    )


def _keras_exponential(
    initial_learning_rate: Rate,
    decay_steps: Positive,
    decay_rate: DecayRate,
    staircase: bool = False,
    name: Name | None = "ExponentialDecay",
    *,
    horizon: Length,
) -> Spec:
    # Keras' decay_steps is a real number of steps: initial * decay_rate ** (step /
    # decay_steps) is the geometric decay to its value at the horizon, for any decay_steps.
    formula = (
        "initial_learning_rate * decay_rate ** (horizon / decay_steps) = "
        f"{initial_learning_rate!r} * {decay_rate!r} ** ({horizon} / {decay_steps!r})"
    )
    return {
        "peak_lr": initial_learning_rate,
        "total_steps": horizon,
        **_exponential(initial_learning_rate, decay_rate, horizon, decay_steps, formula),
    }


def _keras_inverse_time(
    initial_learning_rate: Rate,
    decay_steps: Positive,
    decay_rate: Positive,
    staircase: bool = False,
    name: Name | None = "InverseTimeDecay",
    *,
    horizon: Length,
) -> Spec:
    timescale = decay_steps / decay_rate
    if not 0 < timescale < math.inf:
        raise ValueError(
            "decay_steps / decay_rate, the decay's timescale in steps, must be finite and > 0; "
            f"received decay_steps={decay_steps!r}, decay_rate={decay_rate!r}"
        )
    return {
        "peak_lr": initial_learning_rate,
        "total_steps": horizon,
        "decay_shape": "inverse_time",
        "timescale": timescale,
    }


#: SequentialLR's milestones for two schedulers: one step.
Milestone = Annotated[
    Sequence[Steps], Items(1, 1, "step (LinearLR, then CosineAnnealingLR from that step)")
]


def _torch_linear_then_cosine(
    lr: Rate,
    T_max: Length,  # noqa: N803 - torch's name
    milestones: Milestone | None = None,
    start_factor: Factor = 1.0 / 3,
    end_factor: float = 1.0,
    total_iters: Steps = 5,
    eta_min: Rate = 0.0,
) -> Spec:
    milestone = total_iters if milestones is None else milestones[0]
    if milestone < total_iters:
        raise ValueError(
            "milestones[0] must be >= total_iters: SequentialLR would cut LinearLR short and "
            f"jump to lr at the milestone; received milestones={milestones!r}, {total_iters=}"
        )
    if milestone + T_max > MAX_STEPS:
        raise ValueError(
            "milestones[0] + T_max must be <= 2**63 - 1 (steps are 64-bit integers); received "
            f"milestones={milestones!r}, {total_iters=}, {T_max=}"
        )
    return {
        "peak_lr": lr,
        "total_steps": milestone + T_max,
        "warmup_steps": total_iters,
        "warmup_start_lr": lr * start_factor,
        "stable_steps": milestone - total_iters,  # LinearLR holds end_factor until then
        "final_lr": eta_min,
        "after": "wrap",
    }


#: torch's cosines go down from lr to eta_min.
_ETA_MIN = Below(("eta_min",), "lr", "the cosine goes down from lr to eta_min", strict=False)


def _torch_cosine(lr: Rate, T_max: Length, eta_min: Rate = 0.0, last_epoch: int = -1) -> Spec:  # noqa: N803
    return {"peak_lr": lr, "total_steps": T_max, "final_lr": eta_min, "after": "wrap"}


def _torch_warm_restarts(
    lr: Rate,
    T_0: IntLength,  # noqa: N803 - torch's name
    T_mult: IntMultiplier = 1,  # noqa: N803
    eta_min: Rate = 0.0,
    last_epoch: int = -1,
    *,
    cycles: Cycles,
) -> Spec:
    total, _ = _geometric_cycles(T_0, T_mult, cycles, ("T_0", "T_mult", "cycles"))
    return {
        "peak_lr": lr,
        "total_steps": total,
        "final_lr": eta_min,
        **_restarts(cycles, cycle_mul=float(T_mult)),
    }


def _torch_polynomial(
    lr: Rate, total_iters: Steps = 5, power: Positive = 1.0, last_epoch: int = -1
) -> Spec:
    if total_iters == 0:  # torch keeps lr: its factor is 1 at step 0 and past total_iters
        return {"peak_lr": lr, "total_steps": 1, "decay_shape": "constant"}
    return {
        "peak_lr": lr,
        "total_steps": total_iters,
        "decay_shape": "polynomial",
        "power": power,
    }


def _timm_cosine(
    lr: Rate,
    t_initial: Length,
    lr_min: Rate = 0.0,
    cycle_mul: Positive = 1.0,
    cycle_decay: Positive = 1.0,
    cycle_limit: CycleLimit = 1,
    warmup_t: Steps = 0,
    warmup_lr_init: Rate = 0.0,
    warmup_prefix: Switch = False,
    t_in_epochs: Switch = True,
    noise_range_t: Any = None,
    noise_pct: Finite = 0.67,
    noise_std: Finite = 1.0,
    noise_seed: Seed = 42,
    k_decay: float = 1.0,
    initialize: Switch = True,
) -> Spec:
    names = ("t_initial", "cycle_mul", "cycle_limit")
    decays, mul = _geometric_cycles(t_initial, cycle_mul, cycle_limit, names)
    _last_peak(lr, cycle_decay, cycle_limit, ("lr", "cycle_decay", "cycle_limit"))
    lowest = min(lr, _scaled(lr, cycle_decay, cycle_limit - 1))
    if lr_min > lowest:
        raise ValueError(
            "lr_min must be <= every cycle's peak, the lowest of lr * cycle_decay**k = "
            f"{lowest!r} (each cosine goes down to lr_min); received {lr_min=}, {lr=}, "
            f"{cycle_decay=}, {cycle_limit=}"
        )
    total = (warmup_t if warmup_prefix else 0) + decays
    if not warmup_t < total or total > MAX_STEPS:
        cosine = "t_initial * cycle_mul**k over the cycles" + (" + warmup_t" * warmup_prefix)
        raise ValueError(
            f"warmup_t must be < the schedule's length ({cosine}) = {total}, a 64-bit step "
            f"(the cosine needs steps after the warmup); received {warmup_t=}, "
            f"{warmup_prefix=}, {t_initial=}, {cycle_mul=}, {cycle_limit=}"
        )
    return {
        "peak_lr": lr,
        "total_steps": total,
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
    lr: Rate,
    total_num_steps: Steps,
    warmup_min_ratio: Ratio = 0.0,
    warmup_num_steps: IntLength = 1000,
    cos_min_ratio: Ratio = 0.0001,
    warmup_type: Literal["log", "linear"] = "log",
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
    total_num_steps: Steps,
    warmup_min_lr: Rate = 0.0,
    warmup_max_lr: Rate = 0.001,
    warmup_num_steps: IntLength = 1000,
    warmup_type: Literal["log", "linear"] = "log",
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


def _espnet_warmup(lr: float, peak: float, warmup_steps: int, horizon: int) -> Spec:
    """ESPnet's ``min(step ** -0.5, step * warmup_steps ** -1.5)`` with ``step = k + 1``.

    The rise ``(k + 1) / W`` peaks at update ``W - 1``, and the decay from there is
    ``sqrt(W / (k + 1))``: warmcos' inverse square root with timescale ``W``, ``d = k - W + 1``
    updates into it.
    """
    return {
        "peak_lr": peak,
        "total_steps": horizon,
        "warmup_steps": warmup_steps - 1,
        "warmup_start_lr": peak / warmup_steps,
        "decay_shape": "inverse_sqrt",
        "timescale": warmup_steps,
    }


def _espnet_warmup_lr(
    lr: Rate, warmup_steps: Length = 25000, last_epoch: int = -1, *, horizon: Length
) -> Spec:
    return _espnet_warmup(lr, lr, warmup_steps, horizon)


def _espnet_noam_lr(
    lr: Rate,
    model_size: Positive = 320,
    warmup_steps: Length = 25000,
    last_epoch: int = -1,
    *,
    horizon: Length,
) -> Spec:
    peak = lr * model_size**-0.5 * warmup_steps**-0.5
    return _espnet_warmup(lr, peak, warmup_steps, horizon)


def _annotated_transformer(
    lr: Rate, model_size: Positive, factor: Rate, warmup: Length, *, horizon: Length
) -> Spec:
    # LambdaLR's lr * rate(k) at update k, and rate(0) is rate(1): one update at rate(1),
    # then ESPnet's shape one update late (delay_steps=1)
    peak = lr * factor * model_size**-0.5 * warmup**-0.5
    return {**_espnet_warmup(lr, peak, warmup, horizon), "delay_steps": 1}


def _pytorch_warmup_linear(
    lr: Rate, warmup_period: IntLength, last_step: int = -1, *, horizon: Length | None = None
) -> Spec:
    # lr * min(1, (step + 1) / warmup_period), step = k: linspace(lr / W, lr, W), then lr
    return {
        "peak_lr": lr,
        "total_steps": warmup_period if horizon is None else horizon,
        "decay_shape": "constant",
        **_linspace_warmup(lr / warmup_period, lr, warmup_period),
    }


#: Adam's betas: two coefficients in [0, 1).
Betas = Annotated[
    Sequence[Annotated[float, Real(0.0, 1.0, high_open=True)]], Items(2, 2, "coefficients")
]


def _pytorch_warmup_untuned_linear(
    lr: Rate,
    betas: Betas = (0.9, 0.999),
    last_step: int = -1,
    *,
    horizon: Length | None = None,
) -> Spec:
    # UntunedLinearWarmup: LinearWarmup with warmup_period = int(2 / (1 - beta2)), at most
    # 2**54 for a beta2 below 1
    period = int(2.0 / (1.0 - betas[1]))
    if horizon is not None and horizon < period:
        raise ValueError(
            f"horizon must be >= int(2 / (1 - betas[1])) = {period}, the warmup's end "
            f"({_WARMUP_END}); received horizon={horizon}, betas={betas!r}"
        )
    return _pytorch_warmup_linear(lr, period, horizon=horizon)


def _bolts(
    lr: Rate,
    warmup_epochs: Length,
    max_epochs: Length,
    warmup_start_lr: Rate = 0.0,
    eta_min: Rate = 0.0,
    last_epoch: int = -1,
) -> Spec:
    # the warmup adds (lr - warmup_start_lr) / (warmup_epochs - 1) per step: the peak at
    # warmup_epochs - 1, and the cosine starts from it again at warmup_epochs
    return {
        "peak_lr": lr,
        "total_steps": max_epochs,
        "final_lr": eta_min,
        "after": "wrap",
        **_linspace_warmup(warmup_start_lr, lr, warmup_epochs),
    }


#: ignite's cycle_size: it raises below 2.
CycleSize = Annotated[int, Count(minimum=2, low_why="ignite raises for less")]


def _ignite_cosine(
    param_name: Name,
    start_value: Rate,
    end_value: Rate,
    cycle_size: CycleSize,
    cycle_mult: Positive = 1.0,
    start_value_mult: Positive = 1.0,
    end_value_mult: Positive = 1.0,
    warmup_duration: int = 0,
    save_history: Switch = False,
    param_group_index: Steps | None = None,
    *,
    cycles: Cycles,
) -> Spec:
    if end_value_mult not in (1.0, start_value_mult):
        raise ValueError(
            "end_value_mult must be 1 (a fixed floor) or equal start_value_mult (a floor "
            "scaled with the peaks): warmcos' restarts scale a cycle's floor by its peak's "
            f"factor or not at all; received {start_value_mult=}, {end_value_mult=}"
        )
    names = ("cycle_size", "cycle_mult", "cycles")
    total, mul = _geometric_cycles(cycle_size, cycle_mult, cycles, names)
    _last_peak(start_value, start_value_mult, cycles, ("start_value", "start_value_mult", "cycles"))
    scaled = end_value_mult != 1.0
    lowest = min(start_value, _scaled(start_value, start_value_mult, cycles - 1))
    if not scaled and end_value > lowest:
        raise ValueError(
            "end_value must be <= every cycle's start_value, the lowest of start_value * "
            f"start_value_mult**k = {lowest!r} ({_RISING_IGNITE}); received {end_value=}, "
            f"{start_value=}, {start_value_mult=}, {cycles=}"
        )
    return {
        "peak_lr": start_value,
        "total_steps": total,
        # the last cycle's floor: ignite multiplies end_value at every restart
        "final_lr": _scaled(end_value, end_value_mult, cycles - 1),
        **_restarts(
            cycles,
            cycle_mul=float(mul),
            cycle_decay=start_value_mult,
            cycle_floor="scaled" if scaled else "fixed",
        ),
    }


# -- training codebases ---------------------------------------------------------------------
#
# Each maps a training script's own schedule, with the script's own names, onto Schedule, its
# step convention included: the value optimizer update k (0-based) uses in that script's loop.


def _linspace_warmup(start: float, peak: float, count: int) -> Spec:
    """The first ``count`` values ``np.linspace(start, peak, count)``, then a phase from ``peak``.

    ``linspace`` reaches ``peak`` on its last value, update ``count - 1``, and the next phase
    starts from ``peak`` again at update ``count``: a warmup of ``count - 1`` steps and one
    stable step. ``linspace(start, peak, 1)`` is ``[start]``: one warmup step from ``start``.
    An ``(it + 1) / W`` warmup is ``linspace(peak / W, peak, W)``.
    """
    if count == 0:
        return {}
    if count == 1:
        return {"warmup_steps": 1, "warmup_start_lr": start}
    return {"warmup_steps": count - 1, "warmup_start_lr": start, "stable_steps": 1}


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
_RISING_IGNITE = "a rising cosine (end_value > start_value) is not a warmcos decay"


#: ESPnet's warmup peaks at update warmup_steps - 1, before the horizon.
_ESPNET_HORIZON = Below(("warmup_steps",), "horizon", _WARMUP_END, strict=False)


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
        rules=(Below(("warmup_steps",), "total_steps", _DECAY_STEP),),
        doc="The TF-TPU reference function (tensorflow/tpu, not installable): linear warmup "
        "from ``warmup_learning_rate``, cosine to 0 at ``total_steps``, rising again after it "
        "(``after='wrap'``).",
    ),
    "transformers_cosine_with_warmup": Preset(
        _HF + "get_cosine_schedule_with_warmup",
        scaled=True,
        spec=_hf_cosine,
        unsupported={"last_epoch": _RESUME},
        rules=(_HF_DECAY,),
        doc="Linear warmup from 0, cosine to 0. ``num_cycles`` other than 0.5 maps to a "
        "shorter or longer wave: its half period must be a whole number of steps. " + _HF_WRAP,
    ),
    "transformers_cosine_with_min_lr": Preset(
        _HF + "get_cosine_with_min_lr_schedule_with_warmup",
        scaled=True,
        spec=_hf_cosine_min_lr,
        unsupported={"last_epoch": _RESUME},
        rules=(_HF_DECAY, Below(("min_lr",), "lr", _DOWN, strict=False)),
        doc="As ``transformers_cosine_with_warmup`` with a floor: ``min_lr`` (absolute) or "
        "``min_lr_rate`` (a fraction of ``lr``). " + _HF_WRAP,
    ),
    "transformers_cosine_with_hard_restarts": Preset(
        _HF + "get_cosine_with_hard_restarts_schedule_with_warmup",
        scaled=True,
        spec=_hf_hard_restarts,
        unsupported={"last_epoch": _RESUME},
        rules=(_HF_DECAY,),
        doc="Linear warmup from 0, then ``num_cycles`` equal cosines to 0, each restarting at "
        "``lr``; each must be a whole number of steps. Holds 0 after the end.",
    ),
    "transformers_linear_with_warmup": Preset(
        _HF + "get_linear_schedule_with_warmup",
        scaled=True,
        spec=_hf_linear,
        unsupported={"last_epoch": _RESUME},
        rules=(_HF_DECAY,),
        doc="Linear warmup from 0, linear decay to 0 at ``num_training_steps``, then 0.",
    ),
    "transformers_polynomial_decay_with_warmup": Preset(
        _HF + "get_polynomial_decay_schedule_with_warmup",
        scaled=True,
        spec=_hf_polynomial,
        unsupported={"last_epoch": _RESUME},
        rules=(_HF_DECAY, Below(("lr_end",), "lr", "transformers raises unless lr_end < lr")),
        doc="Linear warmup from 0, polynomial decay ``(1 - p) ** power`` to ``lr_end`` "
        "(absolute), then ``lr_end``.",
    ),
    "transformers_constant_with_warmup": Preset(
        _HF + "get_constant_schedule_with_warmup",
        scaled=True,
        spec=_hf_constant,
        unsupported={"last_epoch": _RESUME},
        rules=(Below(("num_warmup_steps",), "horizon", _WARMUP_END),),
        doc="Linear warmup from 0, then ``lr`` forever. ``horizon`` (default "
        "``num_warmup_steps + 1``) is the schedule's ``total_steps``; the value is the same "
        "either side of it.",
    ),
    "transformers_inverse_sqrt": Preset(
        _HF + "get_inverse_sqrt_schedule",
        scaled=True,
        spec=_hf_inverse_sqrt,
        unsupported={"last_epoch": _RESUME},
        rules=(Below(("num_warmup_steps",), "horizon", _DECAY_STEP),),
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
        rules=(
            Below(
                ("num_warmup_steps", "num_decay_steps"),
                "num_training_steps",
                "the stable phase, what is left of num_training_steps, cannot be negative",
                strict=False,
            ),
            Below(
                ("num_warmup_steps", "num_stable_steps", "num_decay_steps"),
                MAX_STEPS,
                _STEPS_64,
                strict=False,
            ),
        ),
        doc="Warmup from ``min_lr_ratio * lr`` (linear, cosine or 1-sqrt), stable at ``lr``, "
        "decay (linear, cosine or 1-sqrt) to ``min_lr_ratio * lr``, then that.",
    ),
    "optax_warmup_cosine_decay": Preset(
        "optax:warmup_cosine_decay_schedule",
        scaled=False,
        spec=_optax_warmup_cosine,
        rules=(
            Below(
                ("warmup_steps",),
                "decay_steps",
                "optax requires positive decay_steps - warmup_steps (decay_steps includes the "
                "warmup)",
            ),
            Below(("end_value",), "peak_value", _DOWN, strict=False),
        ),
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
        rules=(_OPTAX_END,),
        doc="``init_value`` for ``transition_begin`` steps, then linear to ``end_value`` over "
        "``transition_steps``, then ``end_value``. A rise (``init_value < end_value``) is a "
        "warmup, and then ``transition_begin`` must be 0.",
    ),
    "optax_polynomial": Preset(
        "optax:polynomial_schedule",
        scaled=False,
        spec=_optax_polynomial,
        rules=(_OPTAX_END,),
        doc="As ``optax_linear`` with ``(1 - p) ** power``.",
    ),
    "optax_warmup_exponential_decay": Preset(
        "optax:warmup_exponential_decay_schedule",
        scaled=False,
        spec=_optax_warmup_exponential,
        unsupported={"staircase": _STAIRCASE},
        rules=(
            Below(("warmup_steps",), "horizon", _DECAY_STEP),
            Below(("warmup_steps", "transition_begin"), "horizon", _DECAY_STEP),
        ),
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
        rules=(Below(("warmup_steps", "decay_steps"), MAX_STEPS, _STEPS_64, strict=False),),
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
        rules=(Below(("decay_steps",), MAX_STEPS, _STEPS_64),),
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
        rules=(_ETA_MIN,),
        doc="``SequentialLR([LinearLR(start_factor, end_factor, total_iters), "
        "CosineAnnealingLR(T_max, eta_min)], milestones)`` (default milestones: "
        "``[total_iters]``). The cosine rises again past its end, like torch's.",
    ),
    "torch_cosine_annealing": Preset(
        "torch.optim.lr_scheduler:CosineAnnealingLR",
        scaled=True,
        spec=_torch_cosine,
        unsupported={"last_epoch": _RESUME},
        rules=(_ETA_MIN,),
        doc="Cosine from ``lr`` to ``eta_min`` at ``T_max``, rising again after it.",
    ),
    "torch_cosine_warm_restarts": Preset(
        "torch.optim.lr_scheduler:CosineAnnealingWarmRestarts",
        scaled=True,
        spec=_torch_warm_restarts,
        unsupported={"last_epoch": _RESUME},
        rules=(_ETA_MIN,),
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
        rules=(Below(("lr_min",), "lr", _DOWN, strict=False),),
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
        rules=(
            Below(("warmup_min_lr",), "warmup_max_lr", _DOWN, strict=False),
            Below(("total_num_steps",), MAX_STEPS, _STEPS_64),
        ),
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
        rules=(_HF_DECAY,),
        doc="torchtune's copy of transformers' cosine: linear warmup from 0, cosine to 0, "
        "rising again past ``num_training_steps``.",
    ),
    "espnet_warmup_lr": Preset(
        "espnet2.schedulers.warmup_lr:WarmupLR",
        scaled=True,
        spec=_espnet_warmup_lr,
        unsupported={"last_epoch": _RESUME},
        rules=(_ESPNET_HORIZON,),
        doc="ESPnet's Noam-style warmup: ``lr * warmup_steps ** 0.5 * min(step ** -0.5, "
        "step * warmup_steps ** -1.5)`` with ``step = k + 1`` at update ``k`` (torch's "
        "scheduler steps after each update): a linear warmup ``lr * (k + 1) / warmup_steps`` "
        "that peaks at ``lr`` on update ``warmup_steps - 1``, then ``lr * sqrt(warmup_steps "
        "/ (k + 1))``. ESPnet has no end: the preset equals it up to ``horizon`` and holds "
        "there.",
        equal_until="T",
    ),
    "espnet_noam_lr": Preset(
        "espnet2.schedulers.noam_lr:NoamLR",
        scaled=True,
        spec=_espnet_noam_lr,
        unsupported={"last_epoch": _RESUME},
        rules=(_ESPNET_HORIZON,),
        doc='The Transformer\'s "Noam" schedule as ESPnet has it: ``lr * model_size ** -0.5 '
        "* min(step ** -0.5, step * warmup_steps ** -1.5)`` with ``step = k + 1``, i.e. "
        "``espnet_warmup_lr`` with the peak ``lr * (model_size * warmup_steps) ** -0.5``. "
        "Equal up to ``horizon``, then held.",
        equal_until="T",
    ),
    "pytorch_warmup_linear": Preset(
        "pytorch_warmup:LinearWarmup",
        scaled=True,
        spec=_pytorch_warmup_linear,
        unsupported={"last_step": _RESUME},
        rules=(Below(("warmup_period",), "horizon", _WARMUP_END, strict=False),),
        doc="pytorch_warmup's ``LinearWarmup`` with no lr scheduler under it (``with "
        "warmup_scheduler.dampening(): pass`` after each update): it multiplies ``lr`` by "
        "``min(1, (k + 1) / warmup_period)`` at update ``k`` (it dampens once when built), so "
        "the peak is reached at update ``warmup_period - 1``; then ``lr`` forever. "
        "``horizon`` (default ``warmup_period``) is the schedule's ``total_steps``. Over a "
        "decaying scheduler the factor multiplies that scheduler's rate: a product of two "
        "curves, not a warmcos template. ``UntunedLinearWarmup`` is this preset with "
        "``warmup_period=int(2 / (1 - beta2))``.",
    ),
    "pytorch_warmup_untuned_linear": Preset(
        "pytorch_warmup:UntunedLinearWarmup",
        scaled=True,
        spec=_pytorch_warmup_untuned_linear,
        unsupported={"last_step": _RESUME},
        doc="pytorch_warmup's ``UntunedLinearWarmup`` (``betas`` are the Adam optimizer's): "
        "``pytorch_warmup_linear`` with ``warmup_period = int(2 / (1 - betas[1]))``, the "
        "rule of thumb of Ma and Yarats (2021); 1999 updates for ``beta2 = 0.999``.",
    ),
    "bolts_linear_warmup_cosine_annealing": Preset(
        "pl_bolts.optimizers.lr_scheduler:LinearWarmupCosineAnnealingLR",
        scaled=True,
        spec=_bolts,
        unsupported={"last_epoch": _RESUME},
        rules=(
            Below(("warmup_epochs",), "max_epochs", "Bolts divides by their difference"),
            Below(("eta_min",), "lr", _DOWN, strict=False),
        ),
        doc="Lightning-Bolts' ``LinearWarmupCosineAnnealingLR``, stepped after each update as "
        "its docs advise: a linear warmup from ``warmup_start_lr`` that reaches ``lr`` at "
        "update ``warmup_epochs - 1`` (its step is ``(lr - warmup_start_lr) / (warmup_epochs "
        "- 1)``), the cosine from ``lr`` again at ``warmup_epochs`` to ``eta_min`` at "
        "``max_epochs``, rising again after it, like torch's chained cosine "
        "(``after='wrap'``). ``warmup_epochs=0`` is refused: Bolts returns "
        "``warmup_start_lr`` at step 0 whatever it is.",
    ),
    "ignite_cosine_annealing": Preset(
        "ignite.handlers.param_scheduler:CosineAnnealingScheduler",
        scaled=False,
        spec=_ignite_cosine,
        unsupported={
            "warmup_duration": "ignite's warmup follows each cycle's cosine from its end_value "
            "up to the next start_value, a rise at the end of a cycle, not a warmcos restart's "
            "warmup"
        },
        rules=(Below(("end_value",), "start_value", _RISING_IGNITE, strict=False),),
        doc="ignite's ``CosineAnnealingScheduler`` (any ``param_name``: the preset is its "
        "values), attached to ``Events.ITERATION_STARTED`` "
        "as its docs do: update ``k`` uses the value it sets at event ``k``, ``start_value + "
        "(end_value - start_value) / 2 * (1 - cos(pi * k / cycle_size))``, which never reaches "
        "``end_value``: at ``cycle_size`` ignite restarts from ``start_value`` "
        "(times ``start_value_mult``), with cycles ``int(cycle_size * cycle_mult)`` long "
        "(whole lengths here). ignite cycles forever; the preset has ``cycles`` of them and "
        "holds the last floor after, so it equals ignite before its end.",
        equal_until="T-1",
    ),
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


_UNTIL = {
    "2T": "from 0 to twice the schedule's ``total_steps``",
    "T": "from 0 to ``horizon`` (the schedule's ``total_steps``)",
    "T-1": "before the schedule's ``total_steps`` (where the library restarts)",
}


def _declared(hint: Any) -> bool:
    """Whether ``hint`` is a kind :func:`_check` reads (not a bare ``int`` or ``Any``)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return all(_declared(a) for a in typing.get_args(hint) if a is not type(None))
    return origin in (Annotated, Literal) or typing.is_typeddict(hint)


def _kinds(name: str, preset: Preset) -> dict[str, Any]:
    """The annotation of each parameter the validator checks: all but the unsupported ones."""
    hints = typing.get_type_hints(preset.spec, include_extras=True)
    kinds = {}
    for parameter in inspect.signature(preset.spec).parameters:
        if parameter not in preset.unsupported:
            if not _declared(hints.get(parameter)):
                raise TypeError(f"preset {name}: {parameter} declares no kind")
            kinds[parameter] = hints[parameter]
    return kinds


def _is_default(value: object, default: object) -> bool:
    """``value == default``, without a bool passing for a number or an array for a scalar."""
    if value is default:
        return True
    if isinstance(default, (bool, str)) or default is None:
        return type(value) is type(default) and value == default
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value == default


def _public(name: str) -> Callable[..., Schedule]:
    """The public function of preset ``name``: the library's signature, a Schedule back."""
    preset = PRESETS[name]
    signature = inspect.signature(preset.spec)
    kinds = _kinds(name, preset)

    def build(*args: Any, **kwargs: Any) -> Schedule:
        # Every argument is checked before any work: its kind, then the rules between them.
        try:
            bound = signature.bind(*args, **kwargs)  # a missing or unknown argument
            bound.apply_defaults()
            arguments = bound.arguments
            for argument, reason in preset.unsupported.items():
                value, default = arguments[argument], signature.parameters[argument].default
                if not _is_default(value, default):
                    raise ValueError(
                        f"{argument}={reprlib.repr(value)} is not supported ({reason}); only "
                        f"the default {argument}={default!r} is"
                    )
            for argument, hint in kinds.items():
                arguments[argument] = _check(hint, arguments[argument], argument)
            for rule in preset.rules:
                rule.check(arguments)
            config = preset.spec(*bound.args, **bound.kwargs)
        except (TypeError, ValueError) as error:
            raise type(error)(f"{name}: {error}") from None
        try:
            return Schedule(**config)
        except (TypeError, ValueError) as error:
            raise type(error)(f"{name}: {error} (the Schedule arguments were {config})") from None

    build.__name__ = build.__qualname__ = name
    build.__module__ = __name__
    if preset.codebase is None:
        what = f"``{preset.source}`` as a :class:`~warmcos.Schedule`, taking its parameters."
        equal = f"Equal to the library at every step {_UNTIL[preset.equal_until]}."
    else:
        path, _, qualname = preset.anchor.rpartition(":")
        what = (
            f"``{qualname}`` of {preset.codebase.repository}'s ``{path}`` (commit "
            f"``{preset.codebase.commit[:7]}``) as a :class:`~warmcos.Schedule`, taking its "
            "parameters."
        )
        equal = (
            "Equal to the values the codebase's own code produced, at every step recorded in "
            "``tests/data/codebases/``; source: " + preset.codebase.url
        )
    paragraphs = [
        what,
        preset.doc,
        equal,
        *(
            ["``lr`` is the optimizer's learning rate, which the library multiplies."]
            * preset.scaled
        ),
        *(
            f"``{a}`` other than its default raises ``ValueError``: {r}."
            for a, r in preset.unsupported.items()
        ),
        f"Returns:\n    A :class:`~warmcos.Schedule` equal to the {preset.origin} (see above).",
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
espnet_warmup_lr = _public("espnet_warmup_lr")
espnet_noam_lr = _public("espnet_noam_lr")
pytorch_warmup_linear = _public("pytorch_warmup_linear")
pytorch_warmup_untuned_linear = _public("pytorch_warmup_untuned_linear")
bolts_linear_warmup_cosine_annealing = _public("bolts_linear_warmup_cosine_annealing")
ignite_cosine_annealing = _public("ignite_cosine_annealing")
nanogpt_get_lr = _public("nanogpt_get_lr")
nanogpt_get_lr_2023 = _public("nanogpt_get_lr_2023")
llmc_get_lr = _public("llmc_get_lr")
llmc_get_learning_rate = _public("llmc_get_learning_rate")
torchtitan_lr_scheduler = _public("torchtitan_lr_scheduler")
annotated_transformer_rate = _public("annotated_transformer_rate")
dino_cosine_scheduler = _public("dino_cosine_scheduler")
dinov2_cosine_scheduler = _public("dinov2_cosine_scheduler")
mae_adjust_learning_rate = _public("mae_adjust_learning_rate")
