"""``warmcos compare``: schedules from files, presets and inline options, and their differences.

A SPEC is one of

* a config file: ``mine.toml`` (``.toml``, ``.json``, ``.yaml``, ``.yml``);
* a preset with another library's parameters: ``NAME`` or ``NAME:key=value,key=value``
  (``warmcos preset`` lists the names);
* inline options: ``"--decay-shape linear --final-lr 0"`` (quoted: one argument holding a
  space) or ``key=value,key=value`` with schedule parameter names; they change the first
  SPEC's mapping (durations unresolved), or the defaults when they come first.

The command's own schedule options then apply to every SPEC.
"""

from __future__ import annotations

import difflib
import inspect
import math
import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .options import OPTION, Source, UsageError, parse_value, source
from .sample import boundaries, evaluate, format_lr, linspace_steps
from .table import fit, wrap

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from ..schedule import Schedule

__all__ = ["Row", "differences", "literal", "preset", "resolve", "table"]

_CONFIG_SUFFIXES = (".toml", ".json", ".yaml", ".yml")
_EXACT_STEPS = 2_000_000  # up to this many steps the table is computed at every step
_SAMPLES = 65_536  # beyond: sampled at every boundary plus this many evenly spread steps


def literal(text: str) -> Any:
    """A preset parameter from text: int, float, true/false, none, or the string itself."""
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


def _presets() -> Any:
    try:
        import warmcos.presets as module  # type: ignore[import-not-found,unused-ignore]
    except ModuleNotFoundError as error:
        if error.name != "warmcos.presets":
            raise
        raise UsageError("this warmcos has no presets (warmcos.presets is missing)") from None
    return module


def preset_listing(width: int) -> list[str]:
    """``name  library.function`` lines for ``warmcos preset``, none longer than ``width``."""
    registry = _presets().PRESETS
    rows = [
        (name, str(getattr(registry[name], "anchor", "")).replace(":", "."))
        for name in sorted(registry)
    ]
    return fit(None, rows, width, flexible=1)


def preset_parameters(name: str) -> list[str]:
    """The preset's parameters as ``--name`` options (``--name=DEFAULT`` where it has one)."""
    module = _presets()
    params = list(inspect.signature(getattr(module, name)).parameters.values())
    if all(p.kind in {p.VAR_POSITIONAL, p.VAR_KEYWORD} for p in params):
        spec = getattr(module.PRESETS[name], "spec", None)  # generated functions: the mapping's
        params = list(inspect.signature(spec).parameters.values()) if spec else []
    return [
        "--" + p.name.replace("_", "-") + ("" if p.default is p.empty else f"={p.default!r}")
        for p in params
        if p.kind not in {p.VAR_POSITIONAL, p.VAR_KEYWORD}
    ]


def preset(name: str, params: Mapping[str, Any]) -> Schedule:
    """``warmcos.presets.NAME(**params)``, with errors that say what went wrong."""
    module = _presets()
    if name not in module.PRESETS:
        close = [n for n in module.PRESETS if name.lower() in n.lower()]
        hint = f"; did you mean {', '.join(sorted(close)[:3])}?" if close else ""
        raise UsageError(f"unknown preset {name!r} (warmcos preset lists them){hint}")
    try:
        schedule: Schedule = getattr(module, name)(**params)
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
            )
        pairs[key.strip()] = value.strip()
    return pairs


def resolve(
    kind: str,
    spec: str,
    first: Source | None,
    reparse: Callable[[list[str]], dict[str, Any]],
) -> tuple[str, Source]:
    """One SPEC (see the module docstring) as ``(label, source)``.

    Inline options change ``first``, the first SPEC's mapping (the defaults if there is none).
    """
    inline_options = kind == "auto" and spec.lstrip().startswith("-")
    if kind == "config" or (
        kind == "auto" and not inline_options and Path(spec).suffix.lower() in _CONFIG_SUFFIXES
    ):
        return Path(spec).name, source({}, spec)
    name, _, params = spec.partition(":")
    inline: dict[str, Any] | None = None
    if inline_options:
        try:
            words = shlex.split(spec)
        except ValueError as error:  # "No closing quotation"
            raise UsageError(f"inline SPEC {spec!r}: {error}") from None
        inline = reparse(words)
    elif kind == "auto" and "=" in name:  # key=value,key=value with schedule names
        pairs = _pairs(spec, "inline schedule")
        unknown = sorted(set(pairs) - set(OPTION))
        if unknown:
            close = difflib.get_close_matches(unknown[0], OPTION, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise UsageError(
                f"unknown schedule parameters {unknown} in {spec!r}; {hint}valid: {sorted(OPTION)}"
            )
        inline = {k: parse_value(k, v) for k, v in pairs.items()}
    if inline is not None:
        return spec.strip(), (first or source({}, None)).override(inline)
    args = {k: literal(v) for k, v in _pairs(params, f"preset {name}").items()}
    config = preset(name.strip(), args).to_dict()
    return spec, Source(config, dict.fromkeys(config, f"preset {name}"), config=True)


# -- the table of differences ----------------------------------------------------------------


class Row(NamedTuple):
    """One schedule's line in the table (``diff``/``at``: against the first; None for it)."""

    label: str
    peak_step: int
    peak_lr: float
    final_lr: float
    area: float
    diff: float | None
    at: int | None


def _steps(schedules: Sequence[Schedule], end: int) -> tuple[Sequence[int], bool]:
    if end + 1 <= _EXACT_STEPS:
        return range(end + 1), True
    points = set(linspace_steps(0, end, _SAMPLES))
    for s in schedules:
        points.update(b + d for b in boundaries(s, end) for d in (-1, 0) if 0 <= b + d <= end)
    return sorted(points), False


def _at(schedule: Schedule, steps: Sequence[int]) -> list[float]:
    if schedule.after == "raise":  # compared past its end as if it held its final value
        steps = [min(s, schedule.total_steps) for s in steps]
    return evaluate(schedule, steps)


def differences(named: Sequence[tuple[str, Schedule]]) -> tuple[list[Row], bool]:
    """The table's rows, and whether they are exact (every step) or sampled."""
    schedules = [s for _, s in named]
    end = max(s.total_steps for s in schedules)
    steps, exact = _steps(schedules, end)
    curves = [_at(s, steps) for s in schedules]
    out: list[Row] = []
    for (label, s), lrs in zip(named, curves, strict=True):
        high = max(lrs)
        diff = at = None
        if out:
            gaps = [abs(a - b) for a, b in zip(lrs, curves[0], strict=True)]
            diff = max(gaps)
            at = steps[gaps.index(diff)]
        out.append(
            Row(
                label,
                steps[lrs.index(high)],
                high,
                float(s(s.total_steps)),
                _area(s, steps, lrs),
                diff,
                at,
            )
        )
    return out, exact


def _area(schedule: Schedule, steps: Sequence[int], lrs: Sequence[float]) -> float:
    """Sum of the rate over the run's steps ``0 .. T-1`` (exact or by the trapezoid rule)."""
    t = schedule.total_steps
    if isinstance(steps, range):
        return math.fsum(lrs[:t])
    total = 0.0
    for i in range(1, len(steps)):
        if steps[i] > t:
            break
        total += (steps[i] - steps[i - 1]) * (lrs[i] + lrs[i - 1]) / 2
    return total


def table(rows: Sequence[Row], exact: bool, width: int) -> str:
    """The rows as an aligned text table, no line longer than ``width`` (:func:`.table.fit`)."""
    approx = "" if exact else "~"
    head = (
        "schedule",
        "peak at step",
        "peak",
        "final",
        f"{approx}area",
        f"{approx}max |diff|",
        "at step",
    )
    body = [
        (
            r.label,
            f"{r.peak_step:,}",
            format_lr(r.peak_lr),
            format_lr(r.final_lr),
            f"{r.area:.6g}",
            "(reference)" if r.diff is None else format_lr(r.diff),
            "" if r.at is None else f"{r.at:,}",
        )
        for r in rows
    ]
    lines = fit(head, body, width, right=(False,) + (True,) * 6, flexible=0)
    if not exact:
        lines += wrap(f"~ sampled at every phase boundary and {_SAMPLES:,} steps", width, "  ")
    return "\n".join(lines)
