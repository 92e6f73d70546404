"""Pictures of schedules with matplotlib: on an ``Axes`` of yours, in a notebook, in a file.

:func:`plot` draws one or more schedules on a matplotlib ``Axes`` (yours, next to a loss
curve, or pyplot's current one) with the marks ``warmcos plot -o FILE`` draws: the end of the
warmup and of the stable phase, the peak, the final value, the phase boundaries, the warmup
and stable phases shaded, and what the ``after`` policy does past ``total_steps``. The image
files of the ``warmcos`` command are drawn by the same code (``draw_view``).

In Jupyter a :class:`~warmcos.Schedule` shows as its picture (``Schedule._repr_png_``) where
matplotlib is installed (the ``plot`` extra), and as text where it is not.

Each curve is sampled exactly, not every step: the edges of about ``samples`` columns plus
both sides of every phase boundary, where the extremes of a piecewise monotone schedule lie
(see ``warmcos._cli.sample``). The cost is that number of points, however long the schedule.

This module imports matplotlib (and NumPy) only when it draws: ``import warmcos`` stays free
of both.
"""

from __future__ import annotations

# Not `typing.TYPE_CHECKING`: `import warmcos` (which imports this module) stays free of typing.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from matplotlib.axes import Axes

    from ._cli.view import View
    from .schedule import Schedule
    from .types import ScheduleLike

__all__ = ["plot"]

#: Samples per curve by default: more than an Axes is pixels wide at 300 dpi.
SAMPLES = 2400
#: The most phase boundaries drawn as lines (and restart phases shaded): past this many in
#: view they would grey the picture, and cost a matplotlib artist each.
MAX_DECORATIONS = 64

_MARK_STYLE = {
    "peak": {"marker": "o", "color": "#d62728"},
    "final": {"marker": "s", "color": "#2ca02c"},
}
_SPAN = {"warmup": "#ff7f0e", "stable": "#9467bd"}


def plot(
    schedules: Schedule | Mapping[str, Schedule] | Iterable[Schedule],
    ax: Axes | None = None,
    *,
    start: int = 0,
    stop: int | None = None,
    log: bool = False,
    title: str | None = None,
    samples: int = SAMPLES,
) -> Axes:
    """Draw ``schedules`` on ``ax``, with the marks of ``warmcos plot``; returns ``ax``.

    Args:
        schedules: a :class:`~warmcos.Schedule`; or several, as a mapping from the name to
            show in the legend to the schedule, or any iterable of schedules (each named by
            its phases).
        ax: the matplotlib ``Axes`` to draw on; ``None``: pyplot's current one
            (``plt.gca()``).
        start: the first step drawn; an int ``>= 0``.
        stop: the last step drawn (included); default: the longest ``total_steps``. Past a
            schedule's end its ``after`` policy is drawn (shaded), except ``"raise"``, which
            refuses a ``stop`` past ``total_steps``.
        log: a logarithmic rate axis (rates of 0 are left out of the curve).
        title: the Axes' title; ``None``: the schedule in words (one schedule) or how many
            are drawn; ``""``: none.
        samples: about how many points per curve (plus both sides of every phase boundary);
            an int ``>= 1``.

    Returns:
        ``ax``, drawn on.

    Raises:
        TypeError: ``schedules`` holds something other than a ``Schedule``, or an argument
            has the wrong type.
        ValueError: ``stop < start``, a step below 0, ``stop`` past the end of a schedule
            whose ``after`` is ``"raise"``, or ``log=True`` with every rate in view 0.
        ModuleNotFoundError: matplotlib is not installed (``pip install 'warmcos[plot]'``).

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import warmcos
        >>> fig, (loss_ax, lr_ax) = plt.subplots(1, 2)
        >>> schedule = warmcos.Schedule(peak_lr=3e-4, total_steps=10_000, warmup_steps="5%")
        >>> ax = warmcos.plot(schedule, lr_ax)  # or schedule.plot(ax=lr_ax)
        >>> ax is lr_ax, [float(x) for x in ax.get_xlim()]
        (True, [0.0, 10000.0])
        >>> ax.get_legend_handles_labels()[1][:3]
        ['peak 0.0003 at step 500', 'final 0 at step 10,000', 'phase boundaries']
        >>> warmcos.plot({"cosine": schedule, "linear": schedule.replace(decay_shape="linear")})
        <Axes: ...>
        >>> plt.close("all")
    """
    named = _named(schedules)
    first, last = _window(named, start, stop)
    samples = _count(samples, "samples")
    if not isinstance(log, bool):
        raise TypeError(f"log must be True or False; received log={log!r}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None; received {type(title).__name__}")
    from ._cli.view import title as words
    from ._cli.view import view

    v = view(named, first, last, samples)
    if log and not any(y > 0 for c in v.curves for y in c.lrs):
        raise ValueError(
            f"log=True: every rate drawn (steps {first}..{last}) is 0, which a log scale "
            "cannot show; received log=True"
        )
    if title is None:
        title = words(named[0][1]) if len(named) == 1 else f"{len(named)} schedules"
    if ax is None:
        ax = _pyplot().gca()
    draw_view(ax, v, heading=title, log=log)
    return ax


def draw_view(ax: Any, v: View, *, heading: str, log: bool = False) -> None:
    """Draw the sampled curves ``v`` on ``ax``: the one drawing of plots and image files."""
    from matplotlib.ticker import FuncFormatter

    from ._cli.sample import format_step

    bottom = v.bottom() if log else 0.0
    several = len(v.curves) > 1
    for curve in v.curves:
        pts = [(s, y) for s, y in zip(curve.steps, curve.lrs, strict=True) if y > 0 or not log]
        xs, ys = [s for s, _ in pts], [y for _, y in pts]
        ax.plot(xs, ys, linewidth=1.6, label=curve.name if several else None)
        if several:
            continue
        for mark in curve.marks:
            if mark.kind in _MARK_STYLE and not (log and mark.lr <= 0):
                ax.plot(
                    [mark.step],
                    [mark.lr],
                    linestyle="none",
                    markersize=7,
                    clip_on=False,  # a mark on the frame (step 0, the final value) shows whole
                    zorder=3,
                    label=mark.label(),
                    **_MARK_STYLE[mark.kind],
                )
        _phase_spans(ax, curve.schedule, v.start, v.stop)
    ax.set_xlim(v.start, max(v.stop, v.start + 1))
    if log:
        ax.set_yscale("log")
        ax.set_ylim(bottom / 1.5, v.top * 1.5)
    else:
        ax.set_ylim(0, v.top * 1.06)
        # Rates below 1e-3 (3e-4, the usual) as 3.0 with a x1e-4 above the axis: five digits
        # of 0.00030 push the axis label off the picture.
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 4))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_step(x)))
    ax.set_xlabel("step (optimizer updates applied)")
    ax.set_ylabel("learning rate" + (" (log scale)" if log else ""))
    if heading:
        ax.set_title(heading, fontsize=9)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8, loc="best")


def _phase_spans(ax: Any, schedule: ScheduleLike, start: int, stop: int) -> None:
    """Shade each warmup and stable phase in view, with a legend entry for the first of each.

    Past :data:`MAX_DECORATIONS` boundaries in view, only the first cycle's phases are shaded
    and no boundary is drawn (a restart every few pixels shows in the curve itself).
    """
    from ._cli.sample import phases

    seen: set[str] = set()
    table = phases(schedule)
    edges = sorted({p.begin for p in table if start < p.begin < stop})
    crowded = len(edges) > MAX_DECORATIONS
    for i, x in enumerate([] if crowded else edges):
        label = "phase boundaries" if i == 0 else None
        ax.axvline(x, color="0.45", linewidth=0.8, linestyle=":", label=label, zorder=1)
    for p in table:
        if p.kind not in _SPAN or p.end <= start or p.begin >= stop or p.end == p.begin:
            continue
        if crowded and p.cycle > 0:
            break
        label = None
        if p.kind not in seen:
            label = f"{p.kind}: steps {p.begin:,}..{p.end - 1:,}"
            seen.add(p.kind)
        ax.axvspan(
            max(p.begin, start), min(p.end, stop), color=_SPAN[p.kind], alpha=0.12, label=label
        )
    t = schedule.total_steps
    if stop > t:
        ax.axvspan(t, stop, color="#7f7f7f", alpha=0.12, label=f"after: {schedule.after}")


def figure(dpi: int = 120) -> Any:
    """A matplotlib Figure of the CLI's images' size and layout, made without pyplot.

    No pyplot: its import alone costs more than drawing the figure (docs/benchmarks.md, "Why
    the code is shaped this way"), and a figure it does not manage is not shown twice in a
    notebook. No layout engine: fast.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4.5), dpi=dpi)
    fig.subplots_adjust(left=0.1, right=0.975, bottom=0.12, top=0.9)
    return fig


def png(schedule: Schedule, *, dpi: int = 80) -> bytes:
    """``schedule`` drawn by :func:`plot` as PNG bytes (640 x 360 pixels at 80 dpi)."""
    fig = figure(dpi)
    plot(schedule, fig.subplots(), samples=8 * dpi)  # one sample per pixel column
    import io

    data = io.BytesIO()
    fig.savefig(data, format="png", metadata={"Software": None})
    return data.getvalue()


def repr_png(schedule: Schedule) -> bytes | None:
    """What Jupyter shows for a schedule: its picture, or ``None`` without matplotlib.

    ``None`` tells IPython to fall back on the text ``repr``, as it does for every object
    whose ``_repr_png_`` cannot draw.
    """
    try:
        import matplotlib as mpl  # noqa: F401
    except ImportError:
        return None
    return png(schedule)


# -- helpers ---------------------------------------------------------------------------------


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "warmcos.plot needs matplotlib, part of the 'plot' extra: pip install 'warmcos[plot]'",
            name="matplotlib",
        ) from None
    return plt


def _named(schedules: object) -> list[tuple[str, Schedule]]:
    from collections.abc import Iterable, Mapping

    from ._cli.view import title
    from .schedule import Schedule

    if isinstance(schedules, Schedule):
        return [(title(schedules), schedules)]
    if isinstance(schedules, Mapping):
        pairs = [(str(k), v) for k, v in schedules.items()]
    elif isinstance(schedules, Iterable) and not isinstance(schedules, (str, bytes)):
        pairs = [("", v) for v in schedules]
    else:
        raise TypeError(
            "schedules must be a Schedule, a mapping of names to Schedules or an iterable of "
            f"Schedules; received {type(schedules).__name__}"
        )
    for name, s in pairs:
        if not isinstance(s, Schedule):
            where = f" for {name!r}" if name else ""
            raise TypeError(f"schedules must hold Schedules; received {type(s).__name__}{where}")
    if not pairs:
        raise ValueError("schedules is empty: there is nothing to draw")
    return [(name or title(s), s) for name, s in pairs]


def _count(value: object, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int; received {name}={value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; received {name}={value!r}")
    return value


def _window(named: list[tuple[str, Schedule]], start: object, stop: object) -> tuple[int, int]:
    first = _count(start, "start", 0)
    end = max(s.total_steps for _, s in named)
    last = end if stop is None else _count(stop, "stop", 0)
    if last < first:
        raise ValueError(f"stop must be >= start; received start={first}, stop={last}")
    for name, s in named:
        if s.after == "raise" and last > s.total_steps:
            which = f" ({name})" if len(named) > 1 else ""
            raise ValueError(
                f"stop must be <= total_steps ({s.total_steps}) for a schedule with "
                f"after='raise'{which}; received stop={last}"
            )
    return first, last
