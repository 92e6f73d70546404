"""Where a schedule comes from: a config file, a preset, or inline options (a SPEC).

A SPEC is one of

* a config file: ``mine.toml`` (``.toml``, ``.json``, ``.yaml``, ``.yml``);
* a preset with another library's parameters: ``NAME`` or ``NAME:key=value,key=value``
  (``warmcos preset`` lists the names);
* inline options: ``"--decay-shape linear --final-lr 0"`` (quoted: one argument holding a
  space) or ``key=value,key=value`` with schedule parameter names; they change the first
  SPEC's mapping (durations unresolved), or the defaults when they come first.

``warmcos compare`` reads each of its SPECs with :func:`resolve`; ``--preset`` reads a preset
SPEC the same way for every command (:func:`preset_source`), and ``warmcos preset`` builds
one from ``--name value`` pairs (:func:`preset`, :func:`literal`).
"""

from __future__ import annotations

import difflib
import inspect
import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .options import OPTION, Parser, Source, UsageError, add_schedule_options, given, parse_value
from .options import source as _source

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..schedule import Schedule

__all__ = ["inline", "literal", "preset", "preset_parameters", "preset_source", "resolve"]

_CONFIG_SUFFIXES = (".toml", ".json", ".yaml", ".yml")


def literal(text: str) -> Any:
    """A preset parameter from text: int, float, true/false, none, a JSON list or object.

    Else the string itself (a list that is not valid JSON too: the preset then says what it
    takes). ``"[[10, 0.5], [20, 0.1]]"`` is ignite's ``milestones_values``, ``"[30, 80]"``
    torch's ``milestones``.
    """
    if text.lstrip().startswith(("[", "{")):
        return _json(text)
    lowered = text.strip().lower()
    if lowered in {"true", "false"}:
        return lowered == "true"
    if lowered in {"none", "null"}:
        return None
    if re.fullmatch(r"[+-]?\d+", text.strip()):
        return int(text)
    try:
        return float(text)
    except ValueError:
        return text


def _json(text: str) -> Any:
    """``text`` read as JSON, or ``text`` itself where it is not JSON."""
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text


def preset_parameters(name: str) -> list[str]:
    """The preset's parameters as ``--name`` options (``--name=DEFAULT`` where it has one)."""
    from .. import presets

    params = inspect.signature(getattr(presets, name)).parameters.values()
    return [
        "--" + p.name.replace("_", "-") + ("" if p.default is p.empty else f"={p.default!r}")
        for p in params
        if p.kind not in {p.VAR_POSITIONAL, p.VAR_KEYWORD}
    ]


def preset(name: str, params: Mapping[str, Any]) -> Schedule:
    """``warmcos.presets.NAME(**params)``, with errors that say what went wrong."""
    from .. import presets

    if name not in presets.PRESETS:
        close = [n for n in presets.PRESETS if name.lower() in n.lower()]
        hint = f"; did you mean {', '.join(sorted(close)[:3])}?" if close else ""
        raise UsageError(f"unknown preset {name!r} (warmcos preset lists them){hint}")
    try:
        schedule: Schedule = getattr(presets, name)(**params)
    except TypeError as error:
        listed = " ".join(preset_parameters(name))
        raise UsageError(f"preset {_unprefixed(name, error)}; its parameters: {listed}") from None
    except ValueError as error:
        raise UsageError(f"preset {_unprefixed(name, error)}") from None
    return schedule


def _unprefixed(name: str, error: Exception) -> str:
    """``NAME: message``, once: the presets' errors already start with their name."""
    message = str(error)
    return message if message.startswith(f"{name}: ") else f"{name}: {message}"


def _pairs(text: str, what: str) -> dict[str, str]:
    pairs = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(
                f"{what}: expected key=value pairs separated by commas; received {item!r}"
                + (f" in {text!r}" if item != text.strip() else "")
            )
        pairs[key.strip()] = value.strip()
    return pairs


def inline(argv: list[str]) -> dict[str, Any]:
    """An inline SPEC's schedule options; every word is one of them or its value, or an error."""
    spec = " ".join(argv)
    parser = Parser(prog="SPEC", add_help=False)
    add_schedule_options(parser)
    try:
        args, extra = parser.parse_known_args(argv)
    except UsageError as error:
        raise UsageError(f"inline SPEC {spec!r}: {error}") from None
    if extra:
        word = extra[0]
        name = word.partition("=")[0]
        if name.startswith("-"):
            close = difflib.get_close_matches(name, OPTION.values(), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise UsageError(
                f"inline SPEC {spec!r}: {name!r} is not a schedule option (an inline SPEC holds "
                f"schedule options only){hint}"
            )
        raise UsageError(f"inline SPEC {spec!r}: {word!r} is neither an option nor its value")
    return given(args)


def resolve(kind: str, spec: str, first: Source | None) -> tuple[str, Source]:
    """One SPEC (see the module docstring) as ``(label, source)``.

    ``kind`` is ``"config"`` (``--config``), ``"preset"`` (``--preset``) or ``"auto"`` (a
    positional SPEC, read by its form). Inline options change ``first``, the first SPEC's
    mapping (the defaults if there is none).
    """
    inline_options = kind == "auto" and spec.lstrip().startswith("-")
    if kind == "config" or (
        kind == "auto" and not inline_options and Path(spec).suffix.lower() in _CONFIG_SUFFIXES
    ):
        return Path(spec).name, _source({}, spec)
    name, _, params = spec.partition(":")
    options: dict[str, Any] | None = None
    if inline_options:
        try:
            words = shlex.split(spec)
        except ValueError as error:  # "No closing quotation"
            raise UsageError(f"inline SPEC {spec!r}: {error}") from None
        options = inline(words)
    elif kind == "auto" and "=" in name:  # key=value,key=value with schedule names
        pairs = _pairs(spec, "inline schedule")
        unknown = sorted(set(pairs) - set(OPTION))
        if unknown:
            close = difflib.get_close_matches(unknown[0], OPTION, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise UsageError(
                f"unknown schedule parameters {unknown} in {spec!r}; {hint}valid: {sorted(OPTION)}"
            )
        options = {k: parse_value(k, v) for k, v in pairs.items()}
    if options is not None:
        return spec.strip(), (first or _source({}, None)).override(options)
    args = {k: literal(v) for k, v in _pairs(params, f"preset {name}").items()}
    config = preset(name.strip(), args).to_dict()
    return spec, Source(config, dict.fromkeys(config, f"preset {name}"), config=True)


def preset_source(spec: str) -> Source:
    """``--preset NAME[:key=value,...]`` of ``plot`` and ``describe``, before it is built."""
    return resolve("preset", spec, None)[1]
