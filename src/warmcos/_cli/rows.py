"""``--csv`` and ``--json``: rows of ``step, lr`` streamed to stdout or written to a file.

Rows are produced a block at a time, so ``| head`` stops the work at once and memory stays
flat whatever the count. NumPy is optional here (scalar ``schedule(step)`` without it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..schedule import MAX_STEPS
from .options import UsageError, integer, number
from .sample import blocks

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import IO

    from ..types import ScheduleLike

__all__ = ["MAX_ROWS", "parse_steps", "select", "write"]

#: More rows than this is almost certainly a mistake (10 million rows is ~200 MB of CSV).
MAX_ROWS = 10_000_000


def parse_steps(text: str) -> list[int]:
    """``--steps 0,100,1000`` -> ``[0, 100, 1000]`` (also ``1_000`` and ``1e6``)."""
    steps = []
    for raw in text.split(","):
        x = number(raw)
        n = None if x is None else integer(x)
        if n is None or not 0 <= n <= MAX_STEPS:
            shown = text if len(text) <= 60 else text[:59] + "…"
            raise UsageError(
                "--steps must be a comma-separated list of steps >= 0 and < 2**63 like "
                f"0,100,1000; received --steps {shown!r}, whose {raw.strip()!r} is not one"
            )
        steps.append(n)
    return steps


parse_steps.__name__ = "list of steps"  # argparse's words if it ever names the type


def select(
    schedule: ScheduleLike,
    *,
    steps: list[int] | None,
    start: int | None,
    stop: int | None,
    until: int | None,
    every: int,
    max_rows: int,
) -> range | list[int]:
    """The steps to print, checked: in range for ``after='raise'``, and not absurdly many."""
    t = schedule.total_steps
    if every < 1:
        raise UsageError(f"--every must be >= 1; received --every {every}")
    if steps is not None:
        if start is not None or stop is not None or until is not None:
            raise UsageError("--steps lists the steps itself: drop --start, --stop and --until")
        chosen: range | list[int] = steps[::every]
    else:
        if stop is not None and until is not None:
            raise UsageError("--stop and --until both end the range: give one of them")
        for name, value in (("start", start), ("stop", stop), ("until", until)):
            if value is not None and value < 0:
                raise UsageError(f"--{name} must be >= 0; received --{name} {value}")
        first = 0 if start is None else start
        end = (t + 1 if until is None else until + 1) if stop is None else stop
        chosen = range(first, max(first, end), every)
    last = (chosen[-1] if isinstance(chosen, range) else max(chosen)) if chosen else 0
    if schedule.after == "raise" and last > t:
        raise UsageError(
            f"step {last:,} is past --total-steps {t:,}, which --after raise forbids; "
            f"stop at --until {t} or use --after hold"
        )
    if len(chosen) > max_rows:
        raise UsageError(
            f"that is {len(chosen):,} rows, more than --max-rows {max_rows:,}; ask for fewer "
            f"with --every N (e.g. --every {-(-len(chosen) // max_rows)}), --start/--stop, "
            "or --steps 0,100,1000, or raise --max-rows"
        )
    return chosen


def _chunks(schedule: ScheduleLike, steps: Sequence[int], fmt: str) -> Iterator[str]:
    """The text, a block of rows per string (one list comprehension each: the fast path)."""
    if fmt == "csv":
        yield "step,lr\n"
        for block, lrs in blocks(schedule, steps):
            yield "".join([f"{s},{lr!r}\n" for s, lr in zip(block, lrs, strict=True)])
    else:  # JSON Lines, as json.dumps writes them (a finite float's JSON is its repr)
        for block, lrs in blocks(schedule, steps):
            yield "".join(
                [f'{{"step": {s}, "lr": {lr!r}}}\n' for s, lr in zip(block, lrs, strict=True)]
            )


def write(schedule: ScheduleLike, steps: Sequence[int], fmt: str, out: IO[str]) -> None:
    """Write the rows, one block of 8,192 rows per ``write`` call."""
    for chunk in _chunks(schedule, steps, fmt):
        out.write(chunk)
