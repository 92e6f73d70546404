"""``warmcos fit``: a logged learning rate read back into a schedule, or explained by its plan.

The log is a CSV file with a step and an lr column (a header names them: ``step`` and
``lr``, ``learning_rate`` or ``value``, as TensorBoard's CSV export writes; without a header
the first two columns, or one column of rates), or a TensorBoard event file
(``events.out.tfevents.*``, read with the ``tensorboard`` package's own record reader and
protos, never TensorFlow; ``--tag`` picks the scalar). It prints the phase table
(:meth:`warmcos.Fit.report`); ``-o FILE`` writes the fitted schedule's config file;
``--plan CONFIG`` explains the log against the schedule it was meant to follow
(:func:`warmcos.explain`). The terminal chart (and ``--image FILE``) draws the fit (which
equals the log at every logged step) and the plan together, as ``warmcos compare`` does.
"""

from __future__ import annotations

import csv
import os
import sys
from typing import TYPE_CHECKING, Any

from .. import _config
from . import flags, terminal
from .files import IMAGE_COLUMNS, IMAGE_SUFFIXES, check_output, image, open_output, wrote
from .options import UsageError, no_extra, whole
from .view import view, window

if TYPE_CHECKING:
    import argparse

    from ..types import ScheduleLike
    from .options import Commands

__all__ = ["add_parser", "read_log", "run"]

#: The column names read as the step and as the rate (lower case).
_STEP_NAMES = ("step", "steps", "global_step", "iteration", "update")
_LR_NAMES = ("lr", "learning_rate", "learning rate", "value")
#: The largest log read (rows): ten times the largest a chart needs, far beyond any run's.
MAX_ROWS = 10_000_000


def add_parser(commands: Commands) -> None:
    """``fit``'s parser: ``FILE``, ``--plan``, ``--epoch-length``, ``-o`` and the chart."""
    parser = flags.command(
        commands,
        "fit",
        "read a logged learning rate back into a schedule, or explain it by its plan",
        "Fit the simplest warmcos schedule to a logged learning rate (a CSV file with a step "
        "and an lr column) and print its phase table, the largest difference, the steps no "
        "shape explains, and the preset that matches. -o writes the schedule's config file "
        "(TOML, JSON or YAML by the suffix). --plan CONFIG explains the log against the "
        "schedule the run was meant to follow: stepped per epoch, k times per update, late or "
        "early, restarted, scaled, or the first step where they part.",
        """
        warmcos fit lr.csv -o found.toml
        warmcos fit lr.csv --plan mine.toml --no-terminal --image fit.svg
        """,
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        help="the log: a CSV file of step and lr, or a TensorBoard event file",
    )
    parser.add_argument(
        "--tag",
        metavar="TAG",
        help="the scalar of a TensorBoard event file (default: the one tag naming lr)",
    )
    parser.add_argument(
        "--plan", metavar="CONFIG", help="explain the log against this schedule's config"
    )
    parser.add_argument(
        "--epoch-length",
        type=whole("--epoch-length", 1, 2**62, ">= 1"),
        metavar="N",
        help="the updates of an epoch, for --plan (default: read from the log)",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the fitted schedule (.toml, .json, .yaml)"
    )
    parser.add_argument(
        "--image", metavar="FILE", help="draw the fit (and the plan) into FILE (.png, .svg, .pdf)"
    )
    flags.add_flags(parser, "fit")


def read_log(path: str, tag: str | None = None) -> list[tuple[int, float]]:
    """The ``(step, lr)`` rows of a CSV log or a TensorBoard event file (module docstring).

    Raises:
        UsageError: a row that is not numbers, no lr column, an empty file; ``tag`` for a
            CSV file; for an event file, see :func:`read_events`.
    """
    if "tfevents" in os.path.basename(path):
        return read_events(path, tag)
    if tag is not None:
        raise UsageError(f"--tag picks a scalar of a TensorBoard event file; {path} is CSV")
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if r and any(c.strip() for c in r)]
    if not rows:
        raise UsageError(f"{path}: no rows: the log needs a step and an lr column")
    if len(rows) > MAX_ROWS:
        raise UsageError(f"{path}: more than {MAX_ROWS:,} rows")
    head = [c.strip().lower() for c in rows[0]]
    step_col, lr_col = _columns(path, head)
    header = any(_is_name(c) for c in head)
    out = []
    for i, row in enumerate(rows[1:] if header else rows):
        try:
            lr = float(row[lr_col])
            step = i if step_col is None else _integer(row[step_col])
        except (ValueError, IndexError):
            line = i + 1 + header
            raise UsageError(
                f"{path}: line {line}: expected a step and an lr number; received {','.join(row)!r}"
            ) from None
        out.append((step, lr))
    if not out:
        raise UsageError(f"{path}: a header and no rows: the log needs at least two")
    return out


#: A scalar tag is taken for the learning rate by default when it contains one of these.
_LR_TAGS = ("lr", "learning_rate")


def read_events(path: str, tag: str | None = None) -> list[tuple[int, float]]:
    """The ``(step, value)`` rows of one scalar tag of a TensorBoard event file.

    The records are read by the ``tensorboard`` package's own reader (its TensorFlow stub's,
    CRC checked) and parsed with its protos: TensorFlow is never imported. A scalar is a
    ``simple_value`` (``torch.utils.tensorboard``, ``tf.summary`` v1) or a scalar tensor
    (``tf.summary`` v2). ``tag``: the scalar to read; by default the only tag that contains
    ``lr`` or ``learning_rate`` (case ignored).

    Raises:
        UsageError: ``tensorboard`` not installed, a damaged file, no such tag, no tag or
            several naming the rate (the tags are listed).
    """
    try:
        from tensorboard.compat.proto import event_pb2
        from tensorboard.compat.tensorflow_stub import errors, pywrap_tensorflow
        from tensorboard.util import tensor_util
    except ImportError:
        raise UsageError(
            f"{path}: reading a TensorBoard event file needs the tensorboard package "
            "(pip install tensorboard); or export the scalar as CSV"
        ) from None
    scalars: dict[str, list[tuple[int, float]]] = {}
    reader = pywrap_tensorflow.PyRecordReader_New(path)
    while True:
        try:
            reader.GetNext()
        except errors.OutOfRangeError:
            break
        except errors.DataLossError as error:
            raise UsageError(f"{path}: not a readable TensorBoard event file: {error}") from None
        event = event_pb2.Event.FromString(reader.record())
        for value in event.summary.value:
            if value.HasField("simple_value"):
                x = float(value.simple_value)
            elif value.HasField("tensor") and not value.tensor.tensor_shape.dim:
                try:
                    x = float(tensor_util.make_ndarray(value.tensor))
                except (TypeError, ValueError):
                    continue  # a string or another tensor that is no scalar rate
            else:
                continue
            scalars.setdefault(value.tag, []).append((int(event.step), x))
    return scalars[_tag(path, sorted(scalars), tag)]


def _tag(path: str, tags: list[str], tag: str | None) -> str:
    """The tag asked for, or the only one naming the rate; else an error listing the tags."""
    listed = ", ".join(tags) if tags else "none"
    if tag is not None:
        if tag not in tags:
            raise UsageError(f"{path}: no scalar tag {tag!r}; its scalar tags: {listed}")
        return tag
    rates = [t for t in tags if any(word in t.lower() for word in _LR_TAGS)]
    if len(rates) != 1:
        why = "no scalar tag names" if not rates else "several scalar tags name"
        raise UsageError(
            f"{path}: {why} the learning rate (lr, learning_rate): pick one with --tag; "
            f"its scalar tags: {listed}"
        )
    return rates[0]


def _is_name(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return True
    return False


def _columns(path: str, head: list[str]) -> tuple[int | None, int]:
    """The step column (``None``: the row's index) and the lr column."""
    if not any(_is_name(c) for c in head):  # no header: step, lr or lr alone
        return (0, 1) if len(head) >= 2 else (None, 0)
    step = next((i for i, c in enumerate(head) if c in _STEP_NAMES), None)
    lr = next((i for i, c in enumerate(head) if c in _LR_NAMES), None)
    if lr is None:
        raise UsageError(
            f"{path}: no lr column: the header must name one of {', '.join(_LR_NAMES)}; "
            f"received {', '.join(head)}"
        )
    return step, lr


def _integer(cell: str) -> int:
    x = float(cell)
    if not x.is_integer():
        raise ValueError(cell)
    return int(x)


def run(args: argparse.Namespace, extra: list[str]) -> int:
    """Fit (and explain) the log, print the table, draw the chart, write ``-o``."""
    import warmcos

    no_extra(extra)
    dest = None
    if args.output is not None:
        dest = check_output(args.output, tuple(_config.FORMATS), "a config file")
    picture = None
    if args.image is not None:
        picture = check_output(args.image, IMAGE_SUFFIXES, "an image")
    plan = None if args.plan is None else _plan(args.plan)
    if args.epoch_length is not None and plan is None:
        raise UsageError("--epoch-length explains a log against --plan CONFIG: give one")
    pairs = read_log(args.file, args.tag)
    found = warmcos.fit(pairs)
    named: list[tuple[str, ScheduleLike]] = [("log (as fitted)", found.schedule)]
    if plan is not None:
        named.append(("plan", plan))
    longest = max((s for _, s in named), key=lambda s: s.total_steps)
    start, stop = window(longest, None, max(pairs[-1][0], 1), None, strict=False)
    if not args.no_terminal:
        width, height = flags.chart_size(args, reserve=len(found.schedule.describe()) + 8)
        v = view(named, start, stop, 4 * width, terminal.dots(width))
        print(terminal.chart(v, width, height, log=False, color=flags.colored(args)))
    print(found.report())
    if plan is not None:
        told = warmcos.explain(pairs, plan, steps_per_epoch=args.epoch_length)
        print(f"against the plan: {told}")
    if picture is not None:
        heading = f"warmcos fit {args.file}" + (f" against {args.plan}" if plan else "")
        image(view(named, start, stop, IMAGE_COLUMNS), picture, heading=heading)
        wrote(picture)
    if dest is not None:
        fmt = _config.FORMATS[dest.suffix]
        with open_output(dest) as f:
            f.write(_config.dumps(found.schedule.to_dict(), fmt))
        wrote(dest, f" ({dest.suffix[1:]})")
    sys.stdout.flush()
    return 0


def _plan(path: str) -> Any:
    """The schedule of ``--plan CONFIG`` (a template or a composition, by its content)."""
    from .._files import read_config
    from .._load import from_dict

    try:
        return from_dict(read_config(path))
    except (TypeError, ValueError) as error:
        raise UsageError(f"--plan {path}: {error}") from None
