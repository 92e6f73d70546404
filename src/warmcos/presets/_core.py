"""The preset record (Preset, Codebase, Below) and the public function built from it."""

from __future__ import annotations

import inspect
import numbers
import reprlib
import textwrap
import types
import typing

# Not under TYPE_CHECKING: the validator reads the spec functions' annotations at run time.
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Annotated, Any, Literal

from ..compose import Composition
from ..schedule import Schedule
from ._kinds import Spec, _check


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
            ``horizon``) or ``"T-1"`` (the library restarts or ends at ``T``, its last
            step is ``T - 1`` and it raises past it, or it has no end and the preset covers
            ``horizon`` updates, ``0 .. horizon - 1``; the preset holds).
        codebase: where the schedule comes from when it is a training codebase's (its
            repository, commit and file; proven against the values its own code produced,
            recorded in ``tests/data/codebases/``); ``None`` for a library's (proven against
            the installed library).
    """

    anchor: str
    scaled: bool
    spec: Callable[..., Spec | Composition]
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


_UNTIL = {
    "2T": "from 0 to twice the schedule's ``total_steps``",
    "T": "from 0 to ``horizon`` (the schedule's ``total_steps``)",
    "T-1": "before the schedule's ``total_steps`` (where the library restarts, ends, raises, "
    "or has no end and the preset stops at ``horizon`` updates)",
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


def _build(name: str, preset: Preset) -> Callable[..., Schedule]:
    """The public function of ``preset``, named ``name``: the library's signature, a Schedule back.

    Its ``spec`` returns ``Schedule``'s arguments.
    """
    return typing.cast("Callable[..., Schedule]", _make(name, preset, composed=False))


def _build_composed(name: str, preset: Preset) -> Callable[..., Composition]:
    """As :func:`_build`, for a preset whose ``spec`` returns a :class:`~warmcos.Composition`.

    The schedules the template cannot write (steps, cycles, jumps between phases, products,
    clocks) are compositions: the spec builds one from the validated arguments.
    """
    return typing.cast("Callable[..., Composition]", _make(name, preset, composed=True))


def _make(name: str, preset: Preset, *, composed: bool) -> Callable[..., Any]:
    signature = inspect.signature(preset.spec)
    kinds = _kinds(name, preset)
    kind = "Composition" if composed else "Schedule"

    def build(*args: Any, **kwargs: Any) -> Schedule | Composition:
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
        except (TypeError, ValueError) as error:
            raise type(error)(f"{name}: {error}") from None
        try:
            config = preset.spec(*bound.args, **bound.kwargs)
        except (TypeError, ValueError) as error:
            # A composition's own refusal (too many ticks for 64-bit steps, a value beyond
            # float64) names its segments: say which arguments gave them.
            message = str(error)
            if not any(parameter in message for parameter in arguments):
                given = ", ".join(f"{k}={reprlib.repr(v)}" for k, v in arguments.items())
                message += f" (from {given})"
            raise type(error)(f"{name}: {message}") from None
        if composed != isinstance(config, Composition):  # pragma: no cover - a registry bug
            raise TypeError(f"preset {name}: its spec returned {type(config).__name__}")
        if isinstance(config, Composition):
            return config
        try:
            return Schedule(**config)
        except (TypeError, ValueError) as error:
            raise type(error)(f"{name}: {error} (the Schedule arguments were {config})") from None

    build.__name__ = build.__qualname__ = name
    build.__module__ = "warmcos.presets"
    if preset.codebase is None:
        what = f"``{preset.source}`` as a :class:`~warmcos.{kind}`, taking its parameters."
        equal = f"Equal to the library at every step {_UNTIL[preset.equal_until]}."
    else:
        path, _, qualname = preset.anchor.rpartition(":")
        what = (
            f"``{qualname}`` of {preset.codebase.repository}'s ``{path}`` (commit "
            f"``{preset.codebase.commit[:7]}``) as a :class:`~warmcos.{kind}`, taking its "
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
        f"Returns:\n    A :class:`~warmcos.{kind}` equal to the {preset.origin} (see above).",
    ]
    build.__doc__ = "\n\n".join(
        p
        if p.startswith("Returns:")
        else textwrap.fill(p, 88, break_long_words=False, break_on_hyphens=False)
        for p in paragraphs
    )
    build.__dict__["__signature__"] = signature.replace(return_annotation=kind)
    return build
