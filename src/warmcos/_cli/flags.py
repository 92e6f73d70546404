"""The flags several commands share: each is defined once here and added by :func:`add_flags`.

A flag means the same thing wherever it is accepted, and it is accepted by every command
where it means something (:data:`GROUPS`):

=========  ===================================================  ============================
group      flags                                                commands
=========  ===================================================  ============================
schedule   one per ``FIELDS`` parameter, ``--config FILE``,     plot, compare, describe
           ``--preset NAME[:key=value,...]``
window     ``--start``, ``--until``, ``--zoom``, ``--log``      plot, compare
chart      ``--height``, ``--no-terminal``                      plot, compare, fit
terminal   ``--width``, ``--color``                             plot, compare, describe,
                                                                preset, fit
image      ``--no-file``                                        plot, compare
=========  ===================================================  ============================

``--width`` is the width of the terminal to fit: the chart's and every table's (the default
is the terminal's own); ``--color`` only colours a chart, so ``describe`` and ``preset``,
which draw none, accept it and print no colour either way. ``-o FILE`` is each command's own
(an image or rows, an image, a config file).

Each command's module makes its parser with :func:`command` and adds these flags with
:func:`add_flags`. The functions below read the parsed flags: :func:`source_of` (the schedule
to start from), :func:`chart_size`, :func:`table_width`, :func:`colored` and
:func:`image_path`.
"""

from __future__ import annotations

import argparse
import shutil
import textwrap
from typing import TYPE_CHECKING

from ..schedule import MAX_STEPS
from . import terminal
from .options import STEP_RULE, Source, UsageError, add_schedule_options, given, source, whole
from .specs import preset_source

if TYPE_CHECKING:
    from collections.abc import Callable

    from .files import Destination
    from .options import Commands

    Group = argparse._ArgumentGroup  # what add_argument_group returns (no public name)

__all__ = [
    "GROUPS",
    "add_flags",
    "chart_size",
    "colored",
    "command",
    "image_path",
    "source_of",
    "step",
    "table_width",
]

#: The shared flag groups of each command (see the module docstring).
GROUPS: dict[str, tuple[str, ...]] = {
    "plot": ("schedule", "window", "chart", "terminal", "image"),
    "compare": ("schedule", "window", "chart", "terminal", "image"),
    "describe": ("schedule", "terminal"),
    "preset": ("terminal",),
    "fit": ("chart", "terminal"),
}

#: Rows a chart leaves to the shell: the command line, the next prompt, and some room.
_PROMPT_ROWS = 4
_FALLBACK = (100, 30)  # a terminal's size when there is none (a pipe, a file)
_MAX_DEFAULT = (120, 26)  # the largest chart drawn without --width/--height


def command(
    commands: Commands,
    name: str,
    summary: str,
    description: str,
    examples: str,
) -> argparse.ArgumentParser:
    """A command's parser: its one-line ``summary``, its ``description`` and its ``examples``."""
    return commands.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, 88),
        epilog="examples:\n" + textwrap.indent(textwrap.dedent(examples).strip(), "  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def step(option: str) -> Callable[[str], int]:
    """An argparse ``type`` for a step option; negative steps are refused later, in context."""
    return whole(option, None, MAX_STEPS, STEP_RULE)


def _size(option: str, low: int, high: int, unit: str) -> Callable[[str], int]:
    return whole(option, low, high, f">= {low} and <= {high} {unit}")


def _schedule(parser: argparse.ArgumentParser, command: str) -> Group:
    add_schedule_options(parser)
    group = parser.add_argument_group("where the schedule starts (options override its keys)")
    one = "" if command == "compare" else "; one of --config and --preset"
    each = "each one a SPEC, in order" if command == "compare" else "start from it"
    group.add_argument(
        "--config",
        metavar="FILE",
        action="append",
        help=f"a schedule file (.toml, .json, .yaml): {each}{one}",
    )
    group.add_argument(
        "--preset",
        metavar="NAME[:k=v,...]",
        action="append",
        help=f"a preset, with its library's parameters (warmcos preset lists them): {each}",
    )
    return group


def _window(parser: argparse.ArgumentParser, command: str) -> Group:
    group = parser.add_argument_group("what to draw")
    group.add_argument(
        "--start", type=step("--start"), metavar="STEP", help="first step drawn (default 0)"
    )
    group.add_argument(
        "--until",
        type=step("--until"),
        metavar="STEP",
        help="last step drawn (default --total-steps)",
    )
    group.add_argument(
        "--zoom", choices=("warmup",), help="draw the warmup and the start of the decay only"
    )
    group.add_argument("--log", action="store_true", help="learning rate on a log scale")
    return group


def _chart(parser: argparse.ArgumentParser, command: str) -> Group:
    group = parser.add_argument_group("the terminal chart")
    low, high = terminal.MIN_SIZE[1], terminal.MAX_SIZE[1]
    group.add_argument(
        "--height",
        type=_size("--height", low, high, "rows"),
        metavar="ROWS",
        help="chart height, labels included (default: what the terminal has room for, <= 26)",
    )
    group.add_argument("--no-terminal", action="store_true", help="draw no terminal chart")
    return group


def _terminal(parser: argparse.ArgumentParser, command: str) -> Group:
    group = parser.add_argument_group("the terminal")
    low, high = terminal.MIN_SIZE[0], terminal.MAX_SIZE[0]
    group.add_argument(
        "--width",
        type=_size("--width", low, high, "columns"),
        metavar="COLS",
        help="the width to fit: no line is longer (default: the terminal's; a chart <= 120)",
    )
    drawn = "chart" in GROUPS[command]
    group.add_argument(
        "--color",
        choices=terminal.COLOR_CHOICES,
        default="auto",
        help="colour the chart's curves and marks: auto (default) = on a terminal, unless "
        "NO_COLOR is set or TERM=dumb"
        if drawn
        else f"accepted as by every command; {command} draws no chart and prints no colour",
    )
    return group


def _image(parser: argparse.ArgumentParser, command: str) -> Group:
    group = parser.add_argument_group("files")
    group.add_argument(
        "--no-file",
        action="store_true",
        help="write no image (the default: only -o FILE writes one)",
    )
    return group


_ADD: dict[str, Callable[[argparse.ArgumentParser, str], Group]] = {
    "schedule": _schedule,
    "window": _window,
    "chart": _chart,
    "terminal": _terminal,
    "image": _image,
}


def add_flags(parser: argparse.ArgumentParser, command: str) -> dict[str, Group]:
    """Add ``command``'s shared flags (:data:`GROUPS`) to its parser.

    Returns:
        The help section of each group, by name, for the command's own flags to join it.
    """
    return {name: _ADD[name](parser, command) for name in GROUPS[command]}


# -- reading them ----------------------------------------------------------------------------


def source_of(args: argparse.Namespace) -> Source:
    """The schedule of ``plot`` or ``describe``, before it is built.

    Its ``--config`` or ``--preset`` (one at most), or the defaults, with the schedule options
    given on top.
    """
    configs, presets = args.config or [], args.preset or []
    if len(configs) + len(presets) > 1:
        given_ = [f"--config {c}" for c in configs] + [f"--preset {p}" for p in presets]
        raise UsageError(
            f"{args.command} takes one schedule: one --config or --preset; received "
            f"{', '.join(given_)} (warmcos compare overlays several)"
        )
    options = given(args)
    if presets:
        return preset_source(presets[0]).override(options)
    return source(options, configs[0] if configs else None)


def _terminal_columns_lines() -> tuple[int, int]:
    return tuple(shutil.get_terminal_size(_FALLBACK))  # type: ignore[return-value]


def table_width(args: argparse.Namespace) -> int:
    """The width a table must fit: ``--width``, else the terminal's."""
    width: int | None = args.width
    return width if width is not None else max(terminal.MIN_SIZE[0], _terminal_columns_lines()[0])


def chart_size(args: argparse.Namespace, reserve: int = 0) -> tuple[int, int]:
    """The chart's columns and rows: ``--width``/``--height``, else the terminal's room.

    Without ``--height``, the chart leaves ``reserve`` rows (a table printed under it) and the
    shell's prompt free, so that the whole output stays on the screen.
    """
    (low_w, low_h), (max_w, max_h) = terminal.MIN_SIZE, _MAX_DEFAULT
    columns, lines = _terminal_columns_lines()
    width = args.width or max(low_w, min(columns, max_w))
    height = args.height or max(low_h, min(lines - _PROMPT_ROWS - reserve, max_h))
    return width, height


def colored(args: argparse.Namespace) -> bool:
    """Whether the chart is in colour (:func:`warmcos._cli.terminal.use_color`)."""
    return terminal.use_color(args.color)


def image_path(args: argparse.Namespace) -> Destination | None:
    """The image ``-o FILE`` names (checked before any work), or None: no image unless asked."""
    from .files import IMAGE_SUFFIXES, check_output

    if args.output is None:
        return None
    if args.no_file:
        raise UsageError("--no-file and --output contradict each other")
    return check_output(args.output, IMAGE_SUFFIXES, "an image")
