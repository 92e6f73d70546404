"""``warmcos plot``: draw one schedule (terminal, image file) or stream its ``step,lr`` rows."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..schedule import MAX_STEPS
from . import flags, rows, terminal
from .files import IMAGE_COLUMNS, IMAGE_SUFFIXES, check_output, image, open_output, wrote
from .options import UsageError, no_extra, whole
from .view import title, view, window

if TYPE_CHECKING:
    import argparse

    from ..types import ScheduleLike
    from .options import Commands

__all__ = ["add_parser", "run"]

_ROW_SUFFIXES = {".csv": "csv", ".json": "json", ".jsonl": "json"}


def add_parser(commands: Commands) -> None:
    """``plot``'s parser: the shared flags, ``-o FILE`` and the row options."""
    plot = flags.command(
        commands,
        "plot",
        "draw a schedule (terminal, and PNG/SVG/PDF with -o), or stream its rows as CSV/JSON",
        "Draw a schedule in the terminal, and into an image file with -o FILE (no file is "
        "written unless asked), or stream step,lr rows with --csv/--json. Any total-steps draws "
        "at once: the plot samples the curve exactly at every phase boundary and per pixel "
        "column.",
        """
        warmcos plot                                       # the terminal chart only
        warmcos plot --peak-lr 3e-4 --total-steps 20000 --warmup-steps 5% -o lr.pdf
        warmcos plot --config mine.toml --total-steps 50000 --zoom warmup
        warmcos plot --preset NAME:num_warmup_steps=500,num_training_steps=10000 --log
        warmcos plot --total-steps 1e12 --log --no-terminal -o big.png
        warmcos plot --csv --every 100 | head
        warmcos plot --json --steps 0,100,1000 --total-steps 1000
        warmcos plot --csv -o lr.csv --stop 5000
        """,
    )
    groups = flags.add_flags(plot, "plot")
    groups["image"].add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write FILE: an image (.png, .svg, .pdf) or, with --csv/--json or a "
        ".csv/.json/.jsonl name, the rows",
    )
    rows_group = plot.add_argument_group("rows (--csv, --json)")
    fmt = rows_group.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="stream step,lr rows (CSV)")
    fmt.add_argument(
        "--json", action="store_true", help='stream {"step":..,"lr":..} lines (JSON Lines)'
    )
    rows_group.add_argument(
        "--every",
        type=whole("--every", 1, MAX_STEPS, ">= 1 and < 2**63"),
        default=1,
        metavar="N",
        help="every N-th step",
    )
    rows_group.add_argument(
        "--steps", type=rows.parse_steps, metavar="LIST", help="these steps only: 0,100,1000"
    )
    rows_group.add_argument(
        "--stop",
        type=flags.step("--stop"),
        metavar="STEP",
        help="rows stop before STEP (like range)",
    )
    rows_group.add_argument(
        "--max-rows",
        type=whole("--max-rows", 1, MAX_STEPS, ">= 1 and < 2**63"),
        default=rows.MAX_ROWS,
        metavar="N",
        help=f"refuse more rows (default {rows.MAX_ROWS:,})",
    )


def run(args: argparse.Namespace, extra: list[str]) -> int:
    """Draw the schedule, or write its rows (``--csv``/``--json`` or a rows file's suffix)."""
    no_extra(extra)
    schedule = flags.source_of(args).build()
    suffix = Path(args.output).suffix.lower() if args.output else ""
    fmt = "csv" if args.csv else "json" if args.json else _ROW_SUFFIXES.get(suffix)
    if fmt is not None:
        return _rows(schedule, args, fmt)
    for name in ("every", "steps", "stop"):
        if getattr(args, name) != {"every": 1}.get(name):
            raise UsageError(f"--{name} selects rows: add --csv or --json")
    path = flags.image_path(args)
    if path is None and args.no_terminal:
        raise UsageError(
            "--no-terminal and no -o FILE leave nothing to draw: drop --no-terminal or add -o FILE"
        )
    start, stop = window(schedule, args.start, args.until, args.zoom)
    heading = title(schedule)
    if not args.no_terminal:
        width, height = flags.chart_size(args)
        v = view([(heading, schedule)], start, stop, 4 * width, terminal.dots(width))
        print(terminal.chart(v, width, height, log=args.log, color=flags.colored(args)))
    if path is not None:
        image(
            view([(heading, schedule)], start, stop, IMAGE_COLUMNS),
            path,
            heading=heading,
            log=args.log,
        )
        wrote(path)
    return 0


def _rows(schedule: ScheduleLike, args: argparse.Namespace, fmt: str) -> int:
    if args.zoom or args.log:
        raise UsageError("--zoom and --log are for pictures, not --csv/--json rows")
    steps = rows.select(
        schedule,
        steps=args.steps,
        start=args.start,
        stop=args.stop,
        until=args.until,
        every=args.every,
        max_rows=args.max_rows,
    )
    if args.output is None:
        rows.write(schedule, steps, fmt, sys.stdout)
        return 0
    if args.no_file:
        raise UsageError("--no-file and --output contradict each other")
    suffix = Path(args.output).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        raise UsageError(
            f"--output {args.output!r} is an image name; rows go to a .csv, .json or .jsonl file"
        )
    path = check_output(args.output, (), "rows")
    with open_output(path) as f:
        rows.write(schedule, steps, fmt, f)
    wrote(path)
    return 0
