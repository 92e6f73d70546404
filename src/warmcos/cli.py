"""The ``warmcos`` command: draw a schedule in the terminal and to a PNG/SVG file, or print CSV.

``warmcos plot`` with no arguments draws the classic ImageNet recipe (peak 0.1, linear warmup
from 0 over 1,000 steps, cosine to 0 at 100,000 steps) in the terminal and writes
``warmcos.png``. Every :class:`~warmcos.Schedule` parameter has an option; ``--config FILE``
reads a schedule file (JSON, TOML, YAML) that the options then override.

Every error (an unknown option, an invalid value, an unwritable output, a missing extra) is
one line on stderr and exit status 2: no traceback, and no half-written file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from ._math import AFTER_POLICIES
from .schedule import Schedule, load

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]

#: The schedule ``warmcos plot`` draws when no option changes it.
DEFAULTS: dict[str, Any] = {
    "peak_lr": 0.1,
    "total_steps": 100_000,
    "warmup_steps": 1000,
    "warmup_start_lr": 0.0,
    "final_lr": 0.0,
    "after": "hold",
}
_FILE_SUFFIXES = (".png", ".svg")
_TERMINAL_POINTS = 800  # enough for any terminal width in braille (2 dots per column)


class UsageError(Exception):
    """An error to report as one line on stderr, with exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="warmcos",
        description="Cosine learning-rate schedules with linear warmup: draw, export, compare.",
    )
    parser.add_argument("--version", action="version", version=f"warmcos {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    plot = commands.add_parser(
        "plot",
        help="draw a schedule in the terminal and to a PNG/SVG file, or print it as CSV",
        description=(
            "Draw a schedule in the terminal and write it to a PNG or SVG file (default "
            "warmcos.png), or print step,lr rows with --csv. With no options: the classic "
            "ImageNet recipe, peak 0.1, warmup from 0 over 1,000 steps, cosine to 0 at 100,000."
        ),
    )
    spec = plot.add_argument_group("schedule (defaults: the ImageNet recipe)")
    # None = "not given", so that a --config file's values are only overridden when asked.
    spec.add_argument("--peak-lr", type=float, metavar="LR", help="peak learning rate (0.1)")
    spec.add_argument(
        "--total-steps", metavar="N", help="step where final-lr is reached (100000; or '90ep')"
    )
    spec.add_argument(
        "--warmup-steps", metavar="N", help="linear warmup length (1000; or '5%%', '2ep')"
    )
    spec.add_argument("--warmup-start-lr", type=float, metavar="LR", help="lr at step 0 (0)")
    spec.add_argument("--final-lr", type=float, metavar="LR", help="lr at total-steps (0)")
    spec.add_argument("--after", choices=AFTER_POLICIES, help="policy after total-steps (hold)")
    spec.add_argument(
        "--steps-per-epoch", type=int, metavar="N", help="optimizer updates per epoch, for 'ep'"
    )
    spec.add_argument(
        "--config", metavar="FILE", help="read the schedule from a .json/.toml/.yaml file first"
    )
    out = plot.add_argument_group("output")
    out.add_argument(
        "--until", type=int, metavar="STEP", help="last step drawn (default: total-steps)"
    )
    out.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="image file to write, .png or .svg (default warmcos.png; not with --csv)",
    )
    out.add_argument("--no-file", action="store_true", help="draw in the terminal only")
    out.add_argument(
        "--csv", action="store_true", help="print step,lr rows for steps 0..until instead"
    )
    out.add_argument("--width", type=int, metavar="COLS", help="terminal chart width")
    out.add_argument("--height", type=int, metavar="ROWS", help="terminal chart height")
    return parser


def _schedule(args: argparse.Namespace) -> Schedule:
    config: dict[str, Any] = dict(DEFAULTS)
    if args.config is not None:
        config = load(args.config).to_dict()
        del config["version"]
    given = {
        "peak_lr": args.peak_lr,
        "total_steps": args.total_steps,
        "warmup_steps": args.warmup_steps,
        "warmup_start_lr": args.warmup_start_lr,
        "final_lr": args.final_lr,
        "after": args.after,
    }
    config.update({key: value for key, value in given.items() if value is not None})
    return Schedule(**config, steps_per_epoch=args.steps_per_epoch)


def _output_path(args: argparse.Namespace) -> Path | None:
    """Where the image goes (``None``: nowhere), checked before anything is computed."""
    if args.no_file:
        if args.output is not None:
            raise UsageError("--no-file and --output contradict each other")
        return None
    if args.output is None:
        return None if args.csv else Path("warmcos.png")
    path = Path(args.output)
    if path.suffix.lower() not in _FILE_SUFFIXES:
        raise UsageError(f"--output must end in .png or .svg; received --output={args.output!r}")
    parent = path.parent if str(path.parent) else Path()
    if not parent.is_dir():
        raise UsageError(f"--output directory does not exist: {str(parent)!r}")
    if path.is_dir():
        raise UsageError(f"--output is a directory: {args.output!r}")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"--output directory is not writable: {str(parent)!r}")
    return path


def _require(module: str) -> Any:
    try:
        return __import__(module)
    except ModuleNotFoundError:
        raise UsageError(
            f"warmcos plot needs {module}, part of the 'plot' extra: pip install 'warmcos[plot]'"
        ) from None


def _title(schedule: Schedule) -> str:
    return (
        f"warmcos: {schedule.warmup_start_lr:g} -> {schedule.peak_lr:g} at step "
        f"{schedule.warmup_steps:,}, cosine -> {schedule.final_lr:g} at step "
        f"{schedule.total_steps:,} (after: {schedule.after})"
    )


def _terminal_chart(schedule: Schedule, until: int, width: int, height: int) -> str:
    np = _require("numpy")
    plotext = _require("plotext")
    steps = np.unique(
        np.concatenate(
            [
                np.linspace(0, until, _TERMINAL_POINTS).round().astype(np.int64),
                [min(schedule.warmup_steps, until), min(schedule.total_steps, until)],
            ]
        )
    )
    figure = plotext.figure
    figure.clear()
    figure.plot_size(width, height)
    figure.draw(figure.signal(steps.tolist(), schedule(steps).tolist(), marker="braille"))
    figure.title(_title(schedule))
    figure.label("step", axis="x")
    figure.label("learning rate", axis="y")
    text: str = figure.build().string(colorless=not sys.stdout.isatty())
    return text


def _write_image(schedule: Schedule, until: int, path: Path) -> None:
    """Draw with matplotlib into a temporary file beside ``path``, then rename it into place."""
    _require("matplotlib")
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    lrs = schedule.curve(until + 1)
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120, layout="constrained")
    try:
        ax.plot(range(until + 1), lrs, color="#1f77b4", linewidth=1.6)
        w, t = schedule.warmup_steps, schedule.total_steps
        if w > 0:
            ax.axvspan(0, w, color="#ff7f0e", alpha=0.12, label=f"warmup: steps 0..{w - 1:,}")
        if until > t:
            ax.axvspan(t, until, color="#7f7f7f", alpha=0.12, label=f"after: {schedule.after}")
        ax.plot([w], [schedule.peak_lr], "o", color="#d62728", label=f"peak at step {w:,}")
        if until >= t:
            ax.plot([t], [schedule.final_lr], "s", color="#2ca02c", label=f"final at step {t:,}")
        ax.set_xlabel("step (optimizer updates applied)")
        ax.set_ylabel("learning rate")
        ax.set_title(_title(schedule), fontsize=9)
        ax.set_xlim(0, max(until, 1))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        fd, tmp = tempfile.mkstemp(prefix=".warmcos-", suffix=path.suffix, dir=path.parent)
        os.close(fd)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; an image is not
        try:
            fig.savefig(tmp, format=path.suffix[1:].lower())
            Path(tmp).replace(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    finally:
        plt.close(fig)


def _print_csv(schedule: Schedule, until: int) -> None:
    # The core's scalar path, one step at a time: CSV needs no extra (no NumPy).
    out = sys.stdout
    out.write("step,lr\n")
    out.writelines(f"{step},{schedule(step)!r}\n" for step in range(until + 1))


def _plot(args: argparse.Namespace) -> None:
    schedule = _schedule(args)
    until = schedule.total_steps if args.until is None else args.until
    if until < 0:
        raise UsageError(f"--until must be >= 0; received --until={until}")
    if until > schedule.total_steps and schedule.after == "raise":
        raise UsageError(
            f"--until={until} is past total_steps={schedule.total_steps}, which after='raise' "
            "forbids; use --after hold or wrap to draw past the end"
        )
    for name in ("width", "height"):
        value = getattr(args, name)
        if value is not None and value < 10:
            raise UsageError(f"--{name} must be >= 10; received --{name}={value}")
    path = _output_path(args)
    if args.csv:
        _print_csv(schedule, until)
    else:
        columns, rows = shutil.get_terminal_size((100, 30))
        width = args.width or min(columns, 120)
        height = args.height or min(max(rows - 4, 12), 24)
        print(_terminal_chart(schedule, until, width, height))
    if path is not None:
        _write_image(schedule, until, path)
        if not args.csv:
            print(f"wrote {path}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``warmcos`` command; returns the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        _plot(args)
    except (UsageError, ValueError, TypeError) as error:
        print(f"warmcos: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `warmcos plot --csv | head`
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except OSError as error:  # e.g. the disk filled up while the image was written
        print(f"warmcos: error: {error.strerror or error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
