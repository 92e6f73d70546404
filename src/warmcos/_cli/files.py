"""Output files: images (matplotlib; PNG, SVG, PDF) and text, written whole or not at all.

Every file goes to a temporary name beside its destination and is renamed into place once
complete, so an error (or Ctrl-C) never leaves half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .options import UsageError
from .sample import format_step

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import IO

    from .view import View

__all__ = ["IMAGE_SUFFIXES", "atomic", "check_output", "image"]

IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
_MARK_STYLE = {
    "peak": {"marker": "o", "color": "#d62728"},
    "final": {"marker": "s", "color": "#2ca02c"},
}
_SPAN = {"warmup": "#ff7f0e", "stable": "#9467bd"}


def check_output(path: str, suffixes: tuple[str, ...], what: str) -> Path:
    """``path`` as a writable destination with one of ``suffixes``, checked before any work."""
    p = Path(path)
    if suffixes and p.suffix.lower() not in suffixes:
        listed = (
            ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if len(suffixes) > 1 else suffixes[0]
        )
        raise UsageError(f"--output must end in {listed} for {what}; received --output {path!r}")
    parent = p.parent if str(p.parent) else Path()
    if not parent.is_dir():
        raise UsageError(f"--output directory does not exist: {str(parent)!r}")
    if p.is_dir():
        raise UsageError(f"--output is a directory: {path!r}")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"--output directory is not writable: {str(parent)!r}")
    return p


@contextlib.contextmanager
def atomic(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A file object for a temporary beside ``path``; renamed onto ``path`` on success."""
    fd, tmp = tempfile.mkstemp(prefix=".warmcos-", suffix=path.suffix, dir=path.parent or ".")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; an output file is not
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as f:
            yield f
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _figure() -> Any:
    """A matplotlib Figure with one Axes; no pyplot (its import alone costs ~0.2 s)."""
    try:
        from matplotlib.figure import Figure
    except ModuleNotFoundError:
        raise UsageError(
            "writing images needs matplotlib, part of the 'plot' extra: "
            "pip install 'warmcos[plot]' (or pass --no-file)"
        ) from None
    fig = Figure(figsize=(8, 4.5), dpi=120)
    fig.subplots_adjust(left=0.1, right=0.975, bottom=0.12, top=0.9)  # no layout engine: fast
    return fig


def image(v: View, path: Path, *, heading: str, log: bool = False) -> None:
    """Draw ``v`` into ``path`` (PNG, SVG or PDF by its suffix)."""
    fig = _figure()
    from matplotlib.ticker import FuncFormatter

    ax = fig.subplots()
    bottom = v.bottom() if log else 0.0
    several = len(v.curves) > 1
    crowded = False
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
        crowded = _phase_spans(ax, curve.schedule, v.start, v.stop)
    ax.set_xlim(v.start, max(v.stop, v.start + 1))
    if log:
        ax.set_yscale("log")
        ax.set_ylim(bottom / 1.5, v.top * 1.5)
    else:
        ax.set_ylim(0, v.top * 1.06)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_step(x)))
    ax.set_xlabel("step (optimizer updates applied)")
    ax.set_ylabel("learning rate" + (" (log scale)" if log else ""))
    ax.set_title(heading, fontsize=9)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        # "best" tries every shape against the legend: with thousands of phases, a corner
        ax.legend(fontsize=8, loc="upper right" if crowded else "best")
    fmt = path.suffix[1:].lower()
    with atomic(path, "wb") as f:
        fig.savefig(f, format=fmt, metadata=_metadata(fmt))


def _metadata(fmt: str) -> dict[str, Any]:
    """No dates in the files, so regenerated pictures only change when the drawing does."""
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}


#: Phase boundaries and spans closer than 1/this of the view are drawn as one (pixel columns).
_SPAN_COLUMNS = 2400


def _phase_spans(ax: Any, schedule: Any, start: int, stop: int) -> bool:
    """Shade each warmup and stable phase in view, with a legend entry for the first of each.

    The boundaries are one collection of lines and each kind's phases one collection of
    spans, merged where they are closer than a pixel column: a schedule of 10,000 restarts
    adds a few artists of at most a few thousand shapes. Returns whether anything was merged.
    """
    from .sample import phases

    table = phases(schedule)
    quantum = max(1, (stop - start) // _SPAN_COLUMNS)
    edges: list[int] = []
    for x in sorted({p.begin for p in table if start < p.begin < stop}):
        if not edges or (x - start) // quantum != (edges[-1] - start) // quantum:
            edges.append(x)
    merged = len(edges) < len({p.begin for p in table if start < p.begin < stop})
    if edges:
        ax.vlines(
            edges, 0, 1, transform=ax.get_xaxis_transform(), colors="0.45", linewidth=0.8,
            linestyles=":", label="phase boundaries", zorder=1,
        )  # fmt: skip
    spans: dict[str, list[list[int]]] = {}
    firsts: dict[str, Any] = {}
    for p in table:
        if p.kind not in _SPAN or p.end <= start or p.begin >= stop or p.end == p.begin:
            continue
        firsts.setdefault(p.kind, p)
        lo, hi = max(p.begin, start), min(p.end, stop)
        ranges = spans.setdefault(p.kind, [])
        if ranges and lo - ranges[-1][1] < quantum:  # less than a column apart: one span
            ranges[-1][1] = hi
            merged = True
        else:
            ranges.append([lo, hi])
    for kind, ranges in spans.items():
        first = firsts[kind]
        label = f"{kind}: steps {first.begin:,}..{first.end - 1:,}"
        ax.broken_barh(
            [(lo, hi - lo) for lo, hi in ranges], (0, 1), transform=ax.get_xaxis_transform(),
            color=_SPAN[kind], alpha=0.12, label=label,
        )  # fmt: skip
    t = schedule.total_steps
    if stop > t:
        ax.axvspan(t, stop, color="#7f7f7f", alpha=0.12, label=f"after: {schedule.after}")
    return merged
