"""Schedule options built from :data:`warmcos.schedule.FIELDS`, config files, and error wording.

Nothing here lists the schedule's fields: every option, its type, its help and its spelling in
error messages come from ``FIELDS``, so a new field is one edit there.

How a schedule is put together from the command line (:func:`source`, :meth:`Source.build`):

1. the config file's raw mapping, durations unresolved (``warmup_steps = "5%"`` stays "5%");
2. the options given, which override it key by key;
3. with no config file, :data:`DEFAULTS` (the ImageNet recipe) fill in the required values
   and the warmup, as a *fraction* (``"1%"``), so that the default warmup follows a user's
   ``--total-steps``;
4. one ``Schedule`` is built from the merged mapping.

Core error messages name parameters (``warmup_steps=1000``); :func:`translate` rewrites them
with the option spellings (``--warmup-steps 1000``) and says where a value came from when the
user did not type it (``(default)``, ``(from s.toml)``).
"""

from __future__ import annotations

import argparse
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .._load import from_dict, is_composition
from ..schedule import FIELDS, MAX_STEPS, Field, Schedule
from ..schedule import read_config as _read_config

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from ..types import ScheduleLike

    #: The subparsers of ``warmcos``, where each command adds its parser (a :class:`Parser`).
    Commands = argparse._SubParsersAction["Parser"]

__all__ = [
    "DEFAULTS",
    "OPTION",
    "STEP_RULE",
    "Origins",
    "Parser",
    "Source",
    "UsageError",
    "add_schedule_options",
    "given",
    "integer",
    "no_extra",
    "number",
    "option",
    "read_config",
    "translate",
    "whole",
]


class UsageError(Exception):
    """An error to report as one line on stderr, with exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def no_extra(extra: Sequence[str]) -> None:
    """Refuse the words argparse left over (``parse_known_args``), as argparse would."""
    if extra:
        raise UsageError(f"unrecognized arguments: {' '.join(extra)}")


#: What ``warmcos plot`` draws with no config file and no option: the ImageNet recipe, peak
#: 0.1, cosine to 0 at 100,000 steps, warmup 1% of the total (1,000 steps of 100,000).
DEFAULTS: dict[str, Any] = {"peak_lr": 0.1, "total_steps": 100_000, "warmup_steps": "1%"}

_TEXT_KINDS = ("lr", "duration", "choice", "real", "optional_real", "int", "bool")

#: ``steps_per_epoch`` converts durations; it is a constructor argument, not a stored field.
_EXTRA = (
    Field(
        "steps_per_epoch",
        "int",
        None,
        None,
        "optimizer updates per epoch, for durations in epochs ('90ep')",
    ),
)


def _fields() -> tuple[Field, ...]:
    """The parameters an option can set: those of a kind read from one word of text.

    A field of another kind (``edits``, written by ``replan()``) is set by config files only.
    """
    names = {f.name for f in FIELDS}
    every = FIELDS + tuple(f for f in _EXTRA if f.name not in names)
    return tuple(f for f in every if f.kind in _TEXT_KINDS)


#: Parameter name -> option spelling, for every parameter a command line can set.
OPTION: dict[str, str] = {f.name: "--" + f.name.replace("_", "-") for f in _fields()}
_METAVAR = {"lr": "LR", "duration": "N", "real": "X", "optional_real": "X", "int": "N"}


def option(name: str) -> str:
    """The option spelling of a parameter (``warmup_steps`` -> ``--warmup-steps``)."""
    return OPTION.get(name, name)


# -- reading values ------------------------------------------------------------------------


#: A number as people write it: ``1000``, ``+1_000``, ``1e6``, ``0.05`` (ASCII digits, no nan).
_NUMBER = re.compile(r"[+-]?(?:[0-9](?:_?[0-9])*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: Steps are 64-bit integers (:data:`warmcos.schedule.MAX_STEPS`): the rule of every step option.
STEP_RULE = ">= 0 and < 2**63 (a whole number of steps, like 1000 or 1e6)"


def number(text: str) -> Decimal | None:
    """The exact number ``text`` writes (``"1e30"`` is 10**30, not a float near it), or None.

    Its size is not computed: ``"1e999999999"`` costs nothing until it is compared.
    """
    text = text.strip()
    return Decimal(text.replace("_", "")) if _NUMBER.fullmatch(text) else None


def integer(x: Decimal) -> int | None:
    """``x`` if it is a whole number, else None; beyond ``10**30`` (every bound here), ``±10**30``.

    No arithmetic on a huge ``x``: ``Decimal("1e999999999")`` would overflow the context.
    """
    if not x:
        return 0
    if x.adjusted() >= 30:
        return 10**30 if x > 0 else -(10**30)
    return int(x) if x == x.to_integral_value() else None


def whole(option: str, low: int | None, high: int, rule: str) -> Callable[[str], int]:
    """An argparse ``type``: a whole number in ``[low, high]``, else a :class:`UsageError`.

    The error names the option, the rule and the value as typed. ``low=None`` lets negative
    numbers (down to ``-high``) through, for a later check that says more.
    """

    def read(text: str) -> int:
        x = number(text)
        n = None if x is None else integer(x)
        if n is None or n > high or n < (-high if low is None else low):
            shown = repr(text) if x is None else text.strip()
            raise UsageError(f"{option} must be {rule}; received {option} {shown}")
        return n

    read.__name__ = rule  # argparse's words if it ever names the type
    return read


def _duration(option: str) -> Callable[[str], int | float | str]:
    """``"1000"`` -> 1000, ``"0.05"`` -> 0.05, ``"1e6"`` -> 1000000; ``"5%"``, ``"2ep"`` as is."""

    def read(text: str) -> int | float | str:
        x = number(text)
        if x is None:
            return text.strip()  # "5%", "2ep", or a mistake the core names precisely
        n = integer(x)
        if n is not None and abs(n) > MAX_STEPS:
            raise UsageError(f"{option} must be {STEP_RULE}; received {option} {text.strip()}")
        if n is not None and (n >= 1 or re.fullmatch(r"[+-]?[0-9_]+", text.strip())):
            return n  # exact: "1e18" is 10**18, "123456789012345678" is itself
        return float(x)

    read.__name__ = "duration"
    return read


def _optional_real(text: str) -> float | None:
    return None if text.strip().lower() in {"none", ""} else float(text)


_optional_real.__name__ = "float"  # argparse's message: "invalid float value: 'x'"

_TYPES: dict[str, Callable[[str], Callable[[str], Any]]] = {
    "lr": lambda _: float,
    "real": lambda _: float,
    "optional_real": lambda _: _optional_real,
    "int": lambda option: whole(option, None, MAX_STEPS, "a whole number below 2**63, like 4"),
    "duration": _duration,
}


def parse_value(name: str, text: str) -> Any:
    """A value for parameter ``name`` read from text, as its option would read it."""
    kind = {f.name: f.kind for f in _fields()}.get(name)
    if kind == "bool":
        lowered = text.strip().lower()
        if lowered in {"true", "1", "yes", "on"}:
            return True
        if lowered in {"false", "0", "no", "off"}:
            return False
        raise UsageError(f"{option(name)} must be true or false; received {text!r}")
    reader = _TYPES[kind](option(name)) if kind in _TYPES else str
    try:
        return reader(text)
    except ValueError:
        raise UsageError(f"{option(name)}: invalid value {text!r}") from None


def _help(f: Field) -> str:
    text = translate(f.help)
    if f.kind == "duration" and "%" not in text:  # what fractions are of cannot be one
        text += " (steps or '90ep')" if f.required else " (steps, '5%', 0.05 or '2ep')"
    if f.choices:
        text += " (" + ", ".join(f.choices) + ")"
    shown = DEFAULTS.get(f.name, f.default)
    if shown is not None and f.kind != "bool":
        text += f"; default {shown}"
    return text.replace("%", "%%")  # argparse formats help with %


def add_schedule_options(parser: argparse.ArgumentParser) -> None:
    """One option per schedule parameter (from ``FIELDS``)."""
    group = parser.add_argument_group(
        "schedule (from FIELDS; without --config the defaults are the ImageNet recipe)"
    )
    for f in _fields():
        flags = [OPTION[f.name]]
        common: dict[str, Any] = {"dest": f.name, "default": argparse.SUPPRESS, "help": _help(f)}
        if f.kind == "bool":
            group.add_argument(*flags, action=argparse.BooleanOptionalAction, **common)
        elif f.kind == "choice":
            group.add_argument(*flags, choices=f.choices, **common)
        else:
            kind = _TYPES[f.kind](OPTION[f.name])
            group.add_argument(*flags, type=kind, metavar=_METAVAR[f.kind], **common)


def given(args: argparse.Namespace) -> dict[str, Any]:
    """The schedule options present on the command line."""
    return {name: getattr(args, name) for name in OPTION if hasattr(args, name)}


# -- config files --------------------------------------------------------------------------


def read_config(path: str) -> dict[str, Any]:
    """A schedule file's raw mapping (durations as written, ``version`` included).

    The core's reader (``warmcos.schedule.read_config``: safe loaders, YAML 1.2 numbers,
    duplicate keys refused, UTF-8 checked), its errors as the option's.
    """
    try:
        return _read_config(path)
    except ValueError as error:
        raise UsageError(f"--config: {error}") from None


# -- building ------------------------------------------------------------------------------

#: Where each value of a merged mapping came from: "" (typed by the user), "default", or a
#: file name.
Origins = dict[str, str]


class Source:
    """A merged schedule mapping and where each value came from, before it is built."""

    def __init__(self, values: Mapping[str, Any], origins: Origins, config: bool) -> None:
        self.values = dict(values)
        self.origins = origins
        self.config = config

    def override(self, options: Mapping[str, Any]) -> Source:
        """A copy with ``options`` (typed by the user) replacing keys."""
        origins = {**self.origins, **dict.fromkeys(options, "")}
        return Source({**self.values, **options}, origins, self.config)

    def build(self) -> ScheduleLike:
        """The one schedule of this mapping (a ``Schedule`` or, from a file, a ``Composition``).

        A file's mapping is read by the core's one dispatcher (:func:`warmcos._load.from_dict`);
        core errors are reworded for the command line.
        """
        composition = self.config and is_composition(self.values)
        if composition:  # its keys are not schedule options: no option spellings
            where = ", ".join(sorted({w for w in self.origins.values() if w} - {"default"}))
            typed = [option(k) for k, w in sorted(self.origins.items()) if not w]
            if typed:
                raise UsageError(
                    f"{', '.join(typed)}: schedule options do not apply to a composition "
                    f"({where}); edit its segments instead"
                )
        try:
            if self.config:
                return from_dict(self.values)
            return Schedule(**self.values)
        except (ValueError, TypeError) as error:
            if composition:
                raise UsageError(f"{where}: {error}") from None
            raise UsageError(translate(str(error), self.origins)) from None


def source(options: Mapping[str, Any], config: str | None) -> Source:
    """Merge (the config file's raw mapping, or :data:`DEFAULTS`) <- ``options``."""
    if config is not None:
        raw = read_config(config)
        base = Source(raw, dict.fromkeys(raw, Path(config).name), config=True)
    else:
        base = Source(DEFAULTS, dict.fromkeys(DEFAULTS, "default"), config=False)
    return base.override(options)


# -- error messages ------------------------------------------------------------------------

_VALUE = r"(?:'[^']*'|\"[^\"]*\"|<[^>]*>|\[[^\]]*\]|[^\s,;)]+)"


def translate(message: str, origins: Mapping[str, str] | None = None) -> str:
    """A core message with option spellings: ``warmup_steps=1000`` -> ``--warmup-steps 1000``.

    ``origins`` says where values came from ("" typed, "default", or a file name); a value the
    user did not type is marked ``(the default)`` or ``(from FILE)``, never quoted as if they
    had typed it. With ``origins``, a parameter missing from it has its library default.
    """
    known = origins is not None
    origins = origins or {}
    names = sorted(OPTION, key=len, reverse=True)
    alternatives = "|".join(map(re.escape, names))

    def received(match: re.Match[str], *, annotate: bool = True) -> str:
        name, value = match.group(1), match.group(2)
        spelling = option(name)
        if value.startswith("<"):
            metavar = {f.name: _METAVAR.get(f.kind, "VALUE") for f in _fields()}[name]
            return f"{spelling} {metavar}"
        where = origins.get(name, "default" if known else None) if annotate else None
        if where == "default":
            return f"{spelling} {value} (the default)"
        if where:
            return f"{spelling} {value} (from {where})"
        return f"{spelling} {value}"

    # Where values came from is said of the values received, not of the rule's own wording.
    head, mark, tail = message.rpartition("received ")
    if not mark:
        head, tail = message, ""
    pattern = rf"(?<![\w'\"-])({alternatives})=({_VALUE})"
    text = re.sub(pattern, lambda m: received(m, annotate=False), head) + mark
    text += re.sub(pattern, received, tail)
    # Bare names: those with an underscore anywhere, a one-word name only as the subject.
    with_underscore = "|".join(re.escape(n) for n in names if "_" in n)
    text = re.sub(rf"(?<![\w'\"-])({with_underscore})(?![\w'\"])", lambda m: option(m[1]), text)
    subject = re.match(rf"({alternatives})\b(?!['\"])", text)
    if subject:
        text = option(subject[1]) + text[subject.end() :]
    return " ".join(text.split())
