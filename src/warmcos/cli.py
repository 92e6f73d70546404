"""The ``warmcos`` command: see, compare, describe and export any schedule, at any size.

``warmcos plot`` draws a schedule in the terminal (and with ``-o`` into a ``.png``, ``.svg``
or ``.pdf``), or streams ``step,lr`` rows (``--csv``, ``--json``); ``warmcos compare``
overlays several and tabulates their differences; ``warmcos describe`` prints the phase
table; ``warmcos preset`` turns another library's parameters into a warmcos config file. The
full reference is ``docs/cli.md``.

Every schedule option comes from :data:`warmcos.schedule.FIELDS`; the flags several commands
share are defined once, in :mod:`warmcos._cli.flags`. No file is written unless ``-o`` names
it. Every error is one line on stderr and exit status 2: no traceback, and no half-written
file.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import math
import os
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__, _config
from ._cli import compare as _compare
from ._cli import flags, rows, terminal
from ._cli.files import IMAGE_SUFFIXES, Destination, check_output, image, open_output
from ._cli.options import (
    OPTION,
    Source,
    UsageError,
    add_schedule_options,
    given,
    number,
    translate,
    whole,
)
from ._cli.sample import format_lr, phases
from ._cli.table import fit, wrap
from ._cli.view import title, view, window
from .schedule import MAX_STEPS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .schedule import Schedule

__all__ = ["main"]

_ROW_SUFFIXES = {".csv": "csv", ".json": "json", ".jsonl": "json"}
_FILE_COLUMNS = 2400  # samples per image: more than its pixel columns at 300 dpi


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _command(
    commands: Any, name: str, summary: str, description: str, examples: str
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, 88),
        epilog="examples:\n" + textwrap.indent(textwrap.dedent(examples).strip(), "  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="warmcos",
        description="Learning-rate schedules: draw, stream, compare, describe and export them.",
        epilog=textwrap.dedent(
            """\
            examples:
              warmcos plot                                     # the default recipe
              warmcos plot --total-steps 1e9 --warmup-steps 5% -o lr.svg
              warmcos plot --csv --every 1000 > lr.csv
              warmcos compare mine.toml "--final-lr 1e-3"
              warmcos describe --config mine.toml
              warmcos preset                                   # list the presets
            'warmcos COMMAND --help' shows each command's options; docs/cli.md is the reference."""
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"warmcos {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    plot = _command(
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

    cmp = _command(
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
    # SPECs, --preset and --config are picked out in order by _split_specs, before argparse.
    groups = flags.add_flags(cmp, "compare")
    groups["image"].add_argument(
        "-o", "--output", metavar="FILE", help="also draw into FILE (.png, .svg, .pdf)"
    )
    cmp.add_argument(
        "--tol", type=_tolerance, metavar="X", help="exit 1 if any largest difference is > X"
    )

    describe = _command(
        commands,
        "describe",
        "print a schedule's phase table",
        "Print the phases of a schedule: kind, cycle, shape, steps, learning rates, and whether "
        "each starts where the previous one ended; the table fits the terminal's width (or "
        "--width).",
        """
        warmcos describe --total-steps 90ep --steps-per-epoch 391 --warmup-steps 5%
        warmcos describe --config mine.toml --json
        warmcos describe --preset NAME:num_warmup_steps=500,num_training_steps=10000
        """,
    )
    flags.add_flags(describe, "describe")
    describe.add_argument("--json", action="store_true", help="print the table as JSON")

    preset = _command(
        commands,
        "preset",
        "write another library's schedule as a warmcos config file",
        "Build a preset from its library's own parameters (--param value; names with dashes "
        "or underscores) and print its warmcos config, or write it with -o (TOML, JSON or "
        "YAML by the suffix). Without NAME: list the presets (a table that fits the terminal's "
        "width, or --width).",
        """
        warmcos preset
        warmcos preset transformers_cosine_with_min_lr --num-warmup-steps 500 \\
          --num-training-steps 10000 --min-lr 1e-5 -o mine.toml
        """,
    )
    preset.add_argument("name", nargs="?", metavar="NAME", help="the preset (omit: list them)")
    preset.add_argument("-o", "--output", metavar="FILE", help="write FILE (.toml, .json, .yaml)")
    flags.add_flags(preset, "preset")
    return parser


def _tolerance(text: str) -> float:
    x = number(text)
    if x is None and text.strip().lower() in {"inf", "+inf", "infinity"}:
        return math.inf
    if x is None or x < 0:
        shown = repr(text) if x is None else text.strip()
        raise UsageError(f"--tol must be a number >= 0 (like 1e-9); received --tol {shown}")
    return float(x)


def _split_specs(
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


# -- commands ------------------------------------------------------------------------------


def _schedule(args: argparse.Namespace) -> Schedule:
    """The one schedule of ``plot`` or ``describe`` (``--config``/``--preset``, then options)."""
    return flags.source_of(args, _preset_source).build()


def _preset_source(spec: str) -> Source:
    return _compare.resolve("preset", spec, None, _inline)[1]


def _plot(args: argparse.Namespace) -> int:
    schedule = _schedule(args)
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
        v = view([(heading, schedule)], start, stop, 4 * width)
        print(terminal.chart(v, width, height, log=args.log, color=flags.colored(args)))
    if path is not None:
        image(
            view([(heading, schedule)], start, stop, _FILE_COLUMNS),
            path,
            heading=heading,
            log=args.log,
        )
        _wrote(path)
    return 0


def _rows(schedule: Schedule, args: argparse.Namespace, fmt: str) -> int:
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
    _wrote(path)
    return 0


def _wrote(dest: Destination, what: str = "") -> None:
    """Say what was written, unless it was written to standard output (it would join it)."""
    if dest.how != "stdout":
        print(f"wrote {dest}{what}")


def _compare_cmd(args: argparse.Namespace) -> int:
    specs: list[tuple[str, str]] = args.specs
    if len(specs) < 2:
        raise UsageError("compare needs at least two schedules (SPECs, --preset or --config)")
    shared = given(args)
    sources: list[tuple[str, Source]] = []
    for kind, spec in specs:
        label, src = _compare.resolve(kind, spec, sources[0][1] if sources else None, _inline)
        sources.append((label, src))
    labels = _labels([label for label, _ in sources])
    named = [
        (label, src.override(shared).build())
        for label, (_, src) in zip(labels, sources, strict=True)
    ]
    longest = max(named, key=lambda n: n[1].total_steps)[1]
    start, stop = window(longest.replace(after="hold"), args.start, args.until, args.zoom)
    path = flags.image_path(args)
    table, exact = _compare.differences(named)
    lines = _compare.table(table, exact, flags.table_width(args)).splitlines()
    if not args.no_terminal:  # the chart leaves room for the table under it
        width, height = flags.chart_size(args, reserve=len(lines))
        v = view(named, start, stop, 4 * width)
        print(terminal.chart(v, width, height, log=args.log, color=flags.colored(args)))
    print("\n".join(lines))
    if path is not None:
        heading = f"warmcos compare: {len(named)} schedules, differences against the first"
        image(view(named, start, stop, _FILE_COLUMNS), path, heading=heading, log=args.log)
        _wrote(path)
    if args.tol is not None and any(r.diff is not None and r.diff > args.tol for r in table):
        return 1
    return 0


def _inline(argv: list[str]) -> dict[str, Any]:
    """An inline SPEC's schedule options; every word is one of them or its value, or an error."""
    spec = " ".join(argv)
    parser = _Parser(prog="SPEC", add_help=False)
    add_schedule_options(parser, config=False)
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


def _labels(names: list[str]) -> list[str]:
    """Short, distinct legend labels: the SPEC, cut at 40 characters, numbered if they clash."""
    short = [n if len(n) <= 40 else n[:39] + "…" for n in names]
    if len(set(short)) == len(short):
        return short
    return [f"{i + 1}: {n}" for i, n in enumerate(short)]


def _describe(args: argparse.Namespace) -> int:
    schedule = _schedule(args)
    table = phases(schedule)
    if args.json:
        import json

        print(json.dumps([p._asdict() for p in table], indent=2))
        return 0
    head = ("phase", "cycle", "shape", "steps", "lr", "joins")
    body = [
        (
            p.kind,
            str(p.cycle),
            p.shape,
            f"{p.begin:,} .. {p.end:,}",
            f"{format_lr(p.lr_begin)} -> {format_lr(p.lr_end)}",
            "yes" if p.continuous else "jumps",
        )
        for p in table
    ]
    width = flags.table_width(args)
    for line in fit(head, body, width, flexible=3):  # the steps wrap first
        print(line)
    t = schedule.total_steps
    after = {
        "hold": f"holds {format_lr(schedule(t))}",
        "wrap": "wraps (periodic cosine)",
        "raise": "raises",
    }
    print("\n".join(wrap(f"after step {t:,}: {after.get(schedule.after, schedule.after)}", width)))
    return 0


def _preset(args: argparse.Namespace, extra: list[str]) -> int:
    if args.name is None:
        if extra:
            raise UsageError(f"unrecognized arguments: {' '.join(extra)}")
        print("\n".join(_compare.preset_listing(flags.table_width(args))))
        return 0
    params = _params(extra)
    path = None
    if args.output is not None:
        path = check_output(args.output, tuple(_config.FORMATS), "a config file")
    schedule = _compare.preset(args.name, params)
    fmt = _config.FORMATS[path.suffix] if path is not None else "toml"
    text = _config.dumps(schedule.to_dict(), fmt)
    if path is None:
        sys.stdout.write(text)
        return 0
    with open_output(path) as f:
        f.write(text)
    _wrote(path, f" ({path.suffix[1:]})")
    return 0


def _params(extra: list[str]) -> dict[str, Any]:
    """``--num-warmup-steps 500 --min-lr=1e-5`` -> ``{"num_warmup_steps": 500, "min_lr": 1e-5}``."""
    params: dict[str, Any] = {}
    items = iter(extra)
    for item in items:
        if not item.startswith("--") or item == "--":
            raise UsageError(f"preset parameters are --name value pairs; received {item!r}")
        key, sep, value = item[2:].partition("=")
        if not sep:
            following = next(items, None)
            if following is None:
                raise UsageError(f"--{key} needs a value")
            value = following
        params[key.replace("-", "_")] = _compare.literal(value)
    return params


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._actions:  # argparse keeps subparsers here, with no public accessor
        if isinstance(action, argparse._SubParsersAction):
            sub: argparse.ArgumentParser = action.choices[name]
            return sub
    raise LookupError(name)  # pragma: no cover


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    specs: list[tuple[str, str]] = []
    if argv[:1] == ["compare"] and not {"-h", "--help"} & set(argv):
        specs, rest = _split_specs(_subparser(parser, "compare"), argv[1:])
        argv = ["compare", *rest]
    args, extra = parser.parse_known_args(argv)
    if args.command == "compare":
        args.specs = specs
    if args.command == "preset":
        return _preset(args, extra)
    if extra:
        raise UsageError(f"unrecognized arguments: {' '.join(extra)}")
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "compare":
        return _compare_cmd(args)
    if args.command == "describe":
        return _describe(args)
    return _plot(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``warmcos`` command; returns the exit status."""
    try:
        return _run(argv)
    except UsageError as error:
        _fail(str(error))
    except (ValueError, TypeError) as error:
        _fail(translate(str(error)))
    except BrokenPipeError:  # `warmcos plot --csv | head`: stop quietly
        with contextlib.suppress(OSError):  # Python's recipe: no error when stdout is flushed
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:  # e.g. the disk filled up while a file was written
        _fail(f"{error.strerror or error}" + (f": {error.filename!r}" if error.filename else ""))
    except KeyboardInterrupt:
        return 130
    return 2


def _fail(message: str) -> None:
    """One line on stderr; a value of thousands of characters is shown by its start and size."""
    words = [w if len(w) <= 200 else f"{w[:60]}…({len(w):,} characters)" for w in message.split()]
    print("warmcos: error: " + " ".join(words), file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
