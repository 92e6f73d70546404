"""``warmcos compare``: overlay several schedules and tabulate their differences.

Everything of the command is here: its parser, the SPECs picked out of the command line in
order (:func:`split_specs`; a SPEC is read by :func:`warmcos._cli.specs.resolve`), their
legend labels, the table of differences against the first (:func:`differences`,
:func:`table`) and :func:`run`. The command's own schedule options then apply to every SPEC.
"""

from __future__ import annotations

import math
import operator
from bisect import bisect_right
from typing import TYPE_CHECKING, NamedTuple

from . import flags, terminal
from .files import IMAGE_COLUMNS, image, wrote
from .options import Source, UsageError, given, no_extra, number
from .sample import boundaries, evaluate, format_lr, linspace_steps
from .specs import literal, resolve  # literal: how a preset SPEC's values (NAME:k=v) read
from .table import fit, wrap
from .view import view, window

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from ..types import ScheduleLike
    from .options import Commands

__all__ = ["Row", "add_parser", "differences", "literal", "run", "split_specs", "table"]

#: Up to this many evaluations (steps x schedules, at least 2) the table is exact: every step.
_EXACT_EVALUATIONS = 4_000_000
_EXACT_BLOCK = 1 << 16  # steps evaluated at a time, for every schedule, in the exact table
_SAMPLES = 65_536  # beyond: sampled at every boundary plus this many evenly spread steps


def add_parser(commands: Commands) -> None:
    """``compare``'s parser: SPECs, the shared flags, ``-o FILE`` and ``--tol``."""
    cmp = flags.command(
        commands,
        "compare",
        "overlay several schedules and tabulate their differences",
        "Overlay schedules from config files, presets and inline options, in the terminal and "
        "(with -o) in an image, with a table of differences against the first: peak step, "
        "final value, area (sum of the rate over the run's steps), the largest difference and "
        "where. A SPEC is a config file (mine.toml), a preset (NAME or NAME:key=value,...), "
        'inline options in quotes ("--decay-shape linear"), or key=value,... with schedule '
        "parameter names; inline SPECs change the first SPEC. The schedule options below apply "
        "to every SPEC. Exit status 1 with --tol X when a schedule differs by more than X. The "
        "table fits the terminal's width (or --width).",
        """
        warmcos compare mine.toml "--warmup-steps 2%"
        warmcos compare --config mine.toml --tol 1e-9 \\
          --preset NAME:num_warmup_steps=500,num_training_steps=10000
        warmcos compare "--final-lr 0" "--final-lr 0.01" --total-steps 5000 -o cmp.png
        """,
    )
    cmp.add_argument("specs", nargs="*", metavar="SPEC", help="a schedule to compare (see above)")
    # SPECs, --preset and --config are picked out in order by split_specs, before argparse.
    groups = flags.add_flags(cmp, "compare")
    groups["image"].add_argument(
        "-o", "--output", metavar="FILE", help="also draw into FILE (.png, .svg, .pdf)"
    )
    cmp.add_argument(
        "--tol", type=_tolerance, metavar="X", help="exit 1 if any largest difference is > X"
    )


def _tolerance(text: str) -> float:
    x = number(text)
    if x is None and text.strip().lower() in {"inf", "+inf", "infinity"}:
        return math.inf
    if x is None or x < 0:
        shown = repr(text) if x is None else text.strip()
        raise UsageError(f"--tol must be a number >= 0 (like 1e-9); received --tol {shown}")
    return float(x)


def split_specs(
    compare: argparse.ArgumentParser, argv: list[str]
) -> tuple[list[tuple[str, str]], list[str]]:
    """``compare``'s SPECs, ``--preset X`` and ``--config F`` in command-line order, and the rest.

    argparse cannot keep the order of positionals and two options in one list (a ``*``
    positional is matched once), and the first SPEC is the reference: so they are picked out
    here, and the other options are left to argparse.
    """
    specs: list[tuple[str, str]] = []
    rest: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        name, eq, value = token.partition("=")
        if name in {"--preset", "--config"}:
            if not eq:
                value = next(tokens, "")
                if not value:
                    raise UsageError(f"argument {name}: expected one argument")
            specs.append((name[2:], value))
        elif token.startswith("-") and " " not in token and token != "-":  # an option
            rest.append(token)
            action = compare._option_string_actions.get(name)
            if action is not None and action.nargs != 0 and not eq:
                following = next(tokens, None)
                if following is not None:
                    rest.append(following)
        else:
            specs.append(("auto", token))
    return specs, rest


def run(args: argparse.Namespace, extra: list[str]) -> int:
    """Overlay ``args.specs`` (from :func:`split_specs`) and print the table; 1 if over --tol."""
    no_extra(extra)
    specs: list[tuple[str, str]] = args.specs
    if len(specs) < 2:
        raise UsageError("compare needs at least two schedules (SPECs, --preset or --config)")
    shared = given(args)
    sources: list[tuple[str, Source]] = []
    for kind, spec in specs:
        sources.append(resolve(kind, spec, sources[0][1] if sources else None))
    labels = _labels([label for label, _ in sources])
    named = [
        (label, src.override(shared).build())
        for label, (_, src) in zip(labels, sources, strict=True)
    ]
    longest = max(named, key=lambda n: n[1].total_steps)[1]
    start, stop = window(longest, args.start, args.until, args.zoom, strict=False)
    path = flags.image_path(args)
    rows, exact = differences(named)
    lines = table(rows, exact, flags.table_width(args)).splitlines()
    if not args.no_terminal:  # the chart leaves room for the table under it
        width, height = flags.chart_size(args, reserve=len(lines))
        v = view(named, start, stop, 4 * width, terminal.dots(width))
        print(terminal.chart(v, width, height, log=args.log, color=flags.colored(args)))
    print("\n".join(lines))
    if path is not None:
        heading = f"warmcos compare: {len(named)} schedules, differences against the first"
        image(view(named, start, stop, IMAGE_COLUMNS), path, heading=heading, log=args.log)
        wrote(path)
    if args.tol is not None and any(r.diff is not None and r.diff > args.tol for r in rows):
        return 1
    return 0


def _labels(names: list[str]) -> list[str]:
    """Short, distinct legend labels: the SPEC, cut at 40 characters, numbered if they clash."""
    short = [n if len(n) <= 40 else n[:39] + "…" for n in names]
    if len(set(short)) == len(short):
        return short
    return [f"{i + 1}: {n}" for i, n in enumerate(short)]


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


def _sampled_steps(end: int, spread: set[int], *schedules: ScheduleLike) -> list[int]:
    """The ``spread`` steps plus both sides of every phase boundary of ``schedules``."""
    points = set(spread)
    for s in schedules:
        points.update(b + d for b in boundaries(s, end) for d in (-1, 0) if 0 <= b + d <= end)
    return sorted(points)


def _at(schedule: ScheduleLike, steps: Sequence[int]) -> list[float]:
    if schedule.after == "raise":  # compared past its end as if it held its final value
        steps = [min(s, schedule.total_steps) for s in steps]
    return evaluate(schedule, steps)


def differences(named: Sequence[tuple[str, ScheduleLike]]) -> tuple[list[Row], bool]:
    """The table's rows, and whether they are exact (every step) or sampled.

    Exact while the steps times the schedules stay within :data:`_EXACT_EVALUATIONS`
    (every schedule is evaluated a block at a time, so memory stays flat); beyond, each
    schedule is compared with the first at the steps :func:`_sampled_steps` gives for the
    two: the work is bounded per schedule, whatever ``total_steps`` and the phases are.
    """
    schedules = [s for _, s in named]
    end = max(s.total_steps for s in schedules)
    if (end + 1) * max(2, len(schedules)) <= _EXACT_EVALUATIONS:
        return _exact(named, end), True
    reference = schedules[0]
    spread = set(linspace_steps(0, end, _SAMPLES))
    out: list[Row] = []
    for label, s in named:
        steps = _sampled_steps(end, spread, *{id(x): x for x in (reference, s)}.values())
        lrs = _at(s, steps)
        high = max(lrs)
        diff = at = None
        if out:
            gaps = list(map(abs, map(operator.sub, lrs, _at(reference, steps))))
            diff = max(gaps)
            at = steps[gaps.index(diff)]
        peak_step = steps[lrs.index(high)]
        out.append(
            Row(
                label, peak_step, high, float(s(s.total_steps)), _trapezoid(s, steps, lrs), diff, at
            )
        )
    return out, False


def _exact(named: Sequence[tuple[str, ScheduleLike]], end: int) -> list[Row]:
    """Every schedule at every step ``0 .. end``, a block of steps at a time."""
    n = len(named)
    peak = [(-math.inf, 0)] * n  # (rate, first step with it)
    gap = [(-math.inf, 0)] * n
    partial_areas: list[list[float]] = [[] for _ in range(n)]
    for first in range(0, end + 1, _EXACT_BLOCK):
        block = range(first, min(first + _EXACT_BLOCK, end + 1))
        reference: list[float] = []
        for i, (_, s) in enumerate(named):
            lrs = _at(s, block)
            high = max(lrs)
            if high > peak[i][0]:
                peak[i] = (high, block[lrs.index(high)])
            if i == 0:
                reference = lrs
            else:
                gaps = list(map(abs, map(operator.sub, lrs, reference)))
                worst = max(gaps)
                if worst > gap[i][0]:
                    gap[i] = (worst, block[gaps.index(worst)])
            partial_areas[i].append(math.fsum(lrs[: max(0, s.total_steps - first)]))
    return [
        Row(
            label,
            peak[i][1],
            peak[i][0],
            float(s(s.total_steps)),
            math.fsum(partial_areas[i]),
            gap[i][0] if i else None,
            gap[i][1] if i else None,
        )
        for i, (label, s) in enumerate(named)
    ]


def _trapezoid(schedule: ScheduleLike, steps: Sequence[int], lrs: Sequence[float]) -> float:
    """The sum of the rate over the run's steps ``0 .. T-1``, by the trapezoid rule."""
    k = bisect_right(steps, schedule.total_steps)  # the steps up to T
    widths = map(operator.sub, steps[1:k], steps[: k - 1])
    heights = map(operator.add, lrs[1:k], lrs[: k - 1])
    total: float = sum(map(operator.mul, widths, heights))
    return total / 2


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
