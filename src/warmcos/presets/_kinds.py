"""What each preset parameter accepts: the kinds its annotation declares, and the one validator."""

from __future__ import annotations

import inspect
import math
import numbers
import reprlib
import types
import typing

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from ..schedule import MAX_CYCLES, MAX_STEPS

Spec = dict[str, Any]


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
    if origin is tuple:  # a fixed-length record: ignite's (milestone, value) pairs
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise TypeError(f"{name} must be a pair (a tuple); {_typed(name, value)}")
        if len(value) != len(args):
            raise ValueError(
                f"{name} must hold {len(args)} items; received {len(value)}: {reprlib.repr(value)}"
            )
        return tuple(
            _check(a, v, f"{name}[{i}]") for i, (a, v) in enumerate(zip(args, value, strict=True))
        )
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
class Configs:
    """A list of scheduler configs: dicts of a ``type`` and that scheduler's arguments.

    ``{"type": "CosineParamScheduler", "start_value": 0.1, "end_value": 0.0}``: ``type`` is
    a name of ``table`` (name -> the spec function of that scheduler), the rest its
    arguments, each checked against the spec's annotations, then the spec called with them
    (and ``extra``, keyword arguments the caller fixes). Checked as ``(type, spec's result)``.
    """

    table: tuple[tuple[str, Callable[..., Any]], ...]
    extra: tuple[tuple[str, Any], ...] = ()
    maximum: int = 100

    def check(self, value: object, name: str) -> list[tuple[str, Any]]:
        """Each scheduler's result, or ``TypeError``/``ValueError`` naming it by index."""
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
            raise TypeError(
                f"{name} must be a list of dicts; received {name}={reprlib.repr(value)} of "
                f"type {type(value).__name__}"
            )
        if not 1 <= len(value) <= self.maximum:
            raise ValueError(
                f"{name} must hold 1 to {self.maximum} schedulers; received {len(value)}"
            )
        return [self._one(item, f"{name}[{i}]") for i, item in enumerate(value)]

    def _one(self, item: object, name: str) -> tuple[str, Any]:
        if not isinstance(item, Mapping):
            raise TypeError(
                f"{name} must be a dict with 'type' and the scheduler's arguments; received "
                f"{reprlib.repr(item)} of type {type(item).__name__}"
            )
        table = dict(self.table)
        kwargs = dict(item)
        kind = kwargs.pop("type", None)
        if not isinstance(kind, str) or kind not in table:
            raise ValueError(
                f"{name}['type'] must be one of {', '.join(table)}; received {reprlib.repr(kind)}"
            )
        spec = table[kind]
        try:
            bound = inspect.signature(spec).bind(**kwargs, **dict(self.extra))
        except TypeError as error:
            raise TypeError(f"{name} ({kind}): {error}") from None
        bound.apply_defaults()
        hints = inspect.get_annotations(spec, eval_str=True)
        arguments = {
            key: _check(hints[key], val, f"{name}[{key!r}]") for key, val in bound.arguments.items()
        }
        try:
            return kind, spec(**arguments)
        except ValueError as error:
            raise ValueError(f"{name} ({kind}): {error}") from None
