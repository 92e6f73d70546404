"""What a picture of one or more schedules shows, independent of where it is drawn.

:func:`view` samples each schedule exactly (:func:`~warmcos._cli.sample.plot_steps`) and finds
the marks worth labelling: the end of each warmup and stable phase, the peak, the final value.
The terminal chart and the image files draw the same :class:`View`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .options import UsageError
from .sample import evaluate, format_lr, format_step, phases, plot_steps

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..types import ScheduleLike

__all__ = ["Curve", "Mark", "View", "peak", "thin", "title", "view", "window"]


class Mark(NamedTuple):
    """A labelled point: ``kind`` is "warmup end", "stable end", "peak" or "final"."""

    kind: str
    step: int
    lr: float

    def label(self) -> str:
        """``peak 0.1 at step 1,000``."""
        if self.kind in {"peak", "final"}:
            return f"{self.kind} {format_lr(self.lr)} at step {self.step:,}"
        return f"{self.kind} at step {self.step:,}"


class Curve(NamedTuple):
    """One schedule's samples and marks, in the window."""

    name: str
    schedule: ScheduleLike
    steps: list[int]
    lrs: list[float]
    marks: list[Mark]


class View(NamedTuple):
    """Curves over the steps ``[start, stop]`` (both included)."""

    start: int
    stop: int
    curves: list[Curve]

    @property
    def top(self) -> float:
        """The highest rate drawn (> 0, so an all-zero schedule still has an axis)."""
        return max((max(c.lrs) for c in self.curves if c.lrs), default=0.0) or 1.0

    def bottom(self) -> float:
        """The lowest positive rate drawn, for a log scale (which cannot show 0)."""
        low = min((y for c in self.curves for y in c.lrs if y > 0), default=None)
        if low is None:
            raise UsageError("--log: every rate in view is 0, which a log scale cannot show")
        return low


def window(
    schedule: ScheduleLike,
    start: int | None,
    until: int | None,
    zoom: str | None,
    *,
    strict: bool = True,
) -> tuple[int, int]:
    """The steps to show: ``--zoom warmup``, else ``--start``..``--until`` (default 0..T).

    ``strict``: refuse steps past the end of a schedule with ``after="raise"`` (``compare``
    draws past the longest one's end, each curve stopping at its own).
    """
    t = schedule.total_steps
    if zoom == "warmup":
        if start is not None or until is not None:
            raise UsageError("--zoom warmup chooses the steps itself: drop --start and --until")
        table = phases(schedule)
        warm = [p for p in table if p.kind == "warmup" and p.cycle == 0]
        if not warm or warm[0].end == 0:
            raise UsageError("--zoom warmup: this schedule has no warmup (--warmup-steps is 0)")
        end = warm[0].end
        return 0, min(t, end + max(end // 2, 1))
    lo = 0 if start is None else start
    hi = t if until is None else until
    if lo < 0 or hi < 0:
        raise UsageError(f"--start and --until must be >= 0; received {lo} and {hi}")
    if hi < lo:
        raise UsageError(f"--until must be >= --start; received --start {lo}, --until {hi}")
    if strict and hi > t and schedule.after == "raise":
        raise UsageError(
            f"--until {hi} is past --total-steps {t}, which --after raise forbids; "
            "use --after hold or wrap to draw past the end"
        )
    return lo, hi


def _marks(schedule: ScheduleLike, start: int, stop: int) -> list[Mark]:
    marks = [
        Mark(f"{p.kind} end", p.end, float(schedule(p.end)))
        for p in phases(schedule)
        if p.cycle == 0 and p.kind in {"warmup", "stable"} and start <= p.end <= stop and p.end
    ]
    at, high = peak(schedule)
    if start <= at <= stop:
        marks.append(Mark("peak", at, high))
    t = schedule.total_steps
    if start <= t <= stop:
        marks.append(Mark("final", t, float(schedule(t))))
    return marks


def peak(schedule: ScheduleLike) -> tuple[int, float]:
    """The first step with the highest rate, and that rate (exact: see ``plot_steps``)."""
    steps = plot_steps(schedule, 0, schedule.total_steps, 1)
    lrs = evaluate(schedule, steps)
    high = max(lrs)
    return steps[lrs.index(high)], high


def view(
    named: Sequence[tuple[str, ScheduleLike]],
    start: int,
    stop: int,
    columns: int,
    dots: int | None = None,
) -> View:
    """Sample every schedule over ``[start, stop]`` for ``columns`` columns.

    Each curve keeps at most four points per dot column (``dots``, default ``columns``: the
    picture's horizontal resolution; :func:`thin`), however many phases the schedule has:
    what is drawn is bounded by the picture, not by the schedule.
    """
    curves = []
    for name, schedule in named:
        steps = plot_steps(schedule, start, stop, columns)
        lrs = evaluate(schedule, steps)
        steps, lrs = thin(steps, lrs, start, stop, columns if dots is None else dots)
        curves.append(Curve(name, schedule, steps, lrs, _marks(schedule, start, stop)))
    return View(start, stop, curves)


def thin(
    steps: list[int], lrs: list[float], start: int, stop: int, columns: int
) -> tuple[list[int], list[float]]:
    """The samples with at most four per column; two, its lowest and highest, where crowded.

    A column of at most four samples keeps them all. A crowded one keeps its lowest and
    highest, in the order nearer to where the line comes from: the polyline still spans,
    in every column, exactly the values of all the samples there, but draws each column in
    one stroke (a renderer's cost grows with the length of the lines it draws; plotext's
    with every dot of them). So a schedule of 10,000 cycles draws like one of ten, with a
    bounded number of points. ``steps`` ascend.
    """
    span = max(stop - start, 1)
    n = max(1, min(columns, span))
    keep: list[int] = []
    i = 0
    while i < len(steps):
        column = (steps[i] - start) * n // span
        j = i + 1
        while j < len(steps) and (steps[j] - start) * n // span == column:
            j += 1
        if j - i <= 4:
            keep.extend(range(i, j))
        else:
            group = range(i, j)
            low = min(group, key=lrs.__getitem__)
            high = max(group, key=lrs.__getitem__)
            came = lrs[keep[-1]] if keep else lrs[i]
            up = abs(came - lrs[low]) <= abs(came - lrs[high])
            keep.extend([low, high] if up else [high, low])
        i = j
    return [steps[k] for k in keep], [lrs[k] for k in keep]


def title(schedule: ScheduleLike) -> str:
    """The schedule in words, from its phase table: ``linear warmup 0→0.1 to 1k, ...``."""
    table = phases(schedule)
    first = [p for p in table if p.cycle == 0]
    parts = []
    for p in first:
        if p.kind == "stable":
            parts.append(f"stable {format_lr(p.lr_begin)} to {format_step(p.end, short=True)}")
        else:
            parts.append(
                f"{p.shape} {p.kind} {format_lr(p.lr_begin)}→{format_lr(p.lr_end)} "
                f"to {format_step(p.end, short=True)}"
            )
    cycles = 1 + max((p.cycle for p in table), default=0)
    if cycles > 1:
        parts.append(f"{cycles} cycles to {format_step(schedule.total_steps, short=True)}")
    parts.append(f"after: {schedule.after}")
    return ", ".join(parts)
