"""The ``warmcos`` command: see, compare, describe and export any schedule, at any size.

``warmcos plot`` draws a schedule in the terminal (and with ``-o`` into a ``.png``, ``.svg``
or ``.pdf``), or streams ``step,lr`` rows (``--csv``, ``--json``); ``warmcos compare``
overlays several and tabulates their differences; ``warmcos describe`` prints the phase
table; ``warmcos preset`` turns another library's parameters into a warmcos config file;
``warmcos fit`` reads a logged learning rate back into a schedule (and explains it). The
full reference is ``docs/cli.md``.

Every schedule option comes from :data:`warmcos.schedule.FIELDS`; the flags several commands
share are defined once, in :mod:`warmcos._cli.flags`. No file is written unless ``-o`` names
it. Every error is one line on stderr and exit status 2: no traceback, and no half-written
file.

Layout: this module is the dispatcher (the top-level parser, :func:`main`, the error
handling); each command is one module of :mod:`warmcos._cli` that builds its parser
(``add_parser``) and runs it (``run``):

* ``_cli/plot.py``: ``plot``, the chart, the image and the ``--csv``/``--json`` rows;
* ``_cli/compare.py``: ``compare``, its SPECs in order, labels and table of differences;
* ``_cli/describe.py``: ``describe``, the phase table;
* ``_cli/preset.py``: ``preset``, the listing and a preset written as a config file;
* ``_cli/fit.py``: ``fit``, a logged lr (CSV) fitted, explained by its plan, written out.

Beside them: ``flags.py`` (the shared flags and the parser of a command), ``options.py``
(schedule options from ``FIELDS``, config files, error wording), ``specs.py`` (a schedule
from a config file, a preset or inline options), ``files.py`` (``-o FILE``, images),
``rows.py``, ``sample.py``, ``view.py``, ``terminal.py`` and ``table.py`` (what is drawn or
printed, and how).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import textwrap
from typing import TYPE_CHECKING, Protocol

from . import __version__
from ._cli import compare, describe, fit, plot, preset
from ._cli.options import Parser, UsageError, no_extra, translate

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._cli.options import Commands

__all__ = ["main"]


class _Command(Protocol):
    """What each command's module defines."""

    def add_parser(self, commands: Commands) -> None:
        """Add the command's parser to ``commands``."""

    def run(self, args: argparse.Namespace, extra: list[str]) -> int:
        """Run the command; ``extra``: the words argparse left over. Returns the exit status."""


_COMMANDS: dict[str, _Command] = {
    "plot": plot,
    "compare": compare,
    "describe": describe,
    "preset": preset,
    "fit": fit,
}


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The ``warmcos`` parser, and each command's parser by name."""
    parser = Parser(
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
              warmcos fit lr.csv -o found.toml                 # a logged lr as a schedule
            'warmcos COMMAND --help' shows each command's options; docs/cli.md is the reference."""
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"warmcos {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _COMMANDS.values():
        module.add_parser(commands)
    return parser, dict(commands.choices)


def _run(argv: Sequence[str] | None) -> int:
    parser, commands = _parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    specs: list[tuple[str, str]] = []
    if argv[:1] == ["compare"] and not {"-h", "--help"} & set(argv):
        specs, rest = compare.split_specs(commands["compare"], argv[1:])
        argv = ["compare", *rest]
    args, extra = parser.parse_known_args(argv)
    if args.command is None:
        no_extra(extra)
        parser.print_help()
        return 0
    if args.command == "compare":
        args.specs = specs
    return _COMMANDS[args.command].run(args, extra)


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
