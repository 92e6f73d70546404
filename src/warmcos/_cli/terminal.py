"""The terminal chart (plotext): round ticks, marked phase ends, peak and final value.

The chart is exactly ``width`` columns and ``height`` rows, the labels of the marks included
(one line each, under the plot). Colours only on a terminal; a pipe or a test gets plain text.
"""

from __future__ import annotations

import math
import sys
import types
from typing import TYPE_CHECKING, Any

from .options import UsageError
from .sample import format_lr, format_step, nice_ticks

if TYPE_CHECKING:
    from .view import View

__all__ = ["MAX_SIZE", "MIN_SIZE", "chart", "plotext"]

#: The smallest chart: below this, plotext has no room for an axis and a curve.
MIN_SIZE = (16, 8)
#: The largest chart (columns, rows): wider than any screen, and a bound on the work.
MAX_SIZE = (1000, 500)

_SYMBOLS = {"warmup end": "┊", "stable end": "┊", "peak": "●", "final": "■"}
_CURVE_MARKERS = ("braille", "•", "x", "+", "o", "*")  # one per compared schedule, colorless


def plotext() -> Any:
    """plotext, or one line saying how to install it."""
    if "plotext" not in sys.modules:
        # plotext builds its interactive documentation when imported (~0.13 s, a seventh of a
        # plot); this process never reads it.
        stub = types.ModuleType("plotext._doc.doc")
        stub.docs = None  # type: ignore[attr-defined]
        sys.modules.setdefault("plotext._doc.doc", stub)
    try:
        import plotext as module
    except ModuleNotFoundError:
        raise UsageError(
            "drawing in the terminal needs plotext, part of the 'plot' extra: "
            "pip install 'warmcos[plot]' (or pass --no-terminal)"
        ) from None
    return module


def chart(v: View, width: int, height: int, *, log: bool = False, color: bool | None = None) -> str:
    """The chart of ``v`` as text, ``width`` x ``height`` characters."""
    plt = plotext()
    colored = sys.stdout.isatty() if color is None else color
    legend = _legend(v, width)
    rows = height - len(legend)
    if rows < MIN_SIZE[1]:  # small terminals: the marks' labels go first, the plot stays
        legend, rows = [], height
    plt.terminal.limit(False, False)  # --width and --height are honoured, whatever the terminal
    f = plt.figure
    f.clear.all()
    f.plot_size(width, rows)
    several = len(v.curves) > 1
    bottom = v.bottom() if log else 0.0
    for i, curve in enumerate(v.curves):
        pts = [(x, y) for x, y in zip(curve.steps, curve.lrs, strict=True) if y > 0 or not log]
        xs, ys = [x for x, _ in pts], [_y(y, log) for _, y in pts]
        if xs:
            f.draw(f.signal(xs, ys, marker=_marker(i)).lines(True))
        if not several:
            for mark in curve.marks:
                if mark.kind.endswith("end"):
                    f.line(mark.step, orientation=1, relative=True, style="dotted")
                elif not (log and mark.lr <= 0):
                    f.draw(f.signal([mark.step], [_y(mark.lr, log)], marker=_SYMBOLS[mark.kind]))
    lo, hi = v.start, max(v.stop, v.start + 1)
    f.ruler(0).lim(lo, hi)
    xt = nice_ticks(lo, hi, max(2, (width - 8) // 9), integer=True)
    f.ruler(0).ticks(xt, [format_step(x) for x in xt])
    top = v.top
    if log:
        # log10 of the rates on a linear axis, ticked at whole decades: round labels
        lo_y, hi_y = math.log10(bottom), math.log10(top)
        f.ruler(1).lim(lo_y, max(hi_y, lo_y + 1e-9))
        exps = list(range(math.ceil(lo_y), math.floor(hi_y) + 1)) or [round(lo_y)]
        exps = exps[:: max(1, -(-len(exps) // max(2, rows // 3)))]
        f.ruler(1).ticks(exps, [format_lr(10.0**k) for k in exps])
    else:
        f.ruler(1).lim(0.0, top)
        yt = nice_ticks(0.0, top, max(2, rows // 4))
        f.ruler(1).ticks(yt, [format_lr(y) for y in yt])
    f.title(_fit(v.curves[0].name if not several else "", width))
    f.label("step", axis=0)
    f.legend(False)  # plotext's legend box would hide the curves: ours is under the plot
    text: str = f.build().string(colorless=not colored)
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join(lines + legend)


def _y(lr: float, log: bool) -> float:
    return math.log10(lr) if log else lr


def _marker(i: int) -> str:
    return _CURVE_MARKERS[i % len(_CURVE_MARKERS)]


def _legend(v: View, width: int) -> list[str]:
    if len(v.curves) != 1:
        return [
            _fit(f"{_marker(i).replace('braille', '⣿')} {c.name}", width)
            for i, c in enumerate(v.curves)
        ]
    return [_fit(f"{_SYMBOLS[m.kind]} {m.label()}", width) for m in v.curves[0].marks]


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
