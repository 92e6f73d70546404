"""The terminal chart (plotext): round ticks, marked phase ends, peak and final value.

The chart is exactly ``width`` columns and ``height`` rows, the labels of the marks included
(one line each, under the plot).

Colour is decided once, by :func:`use_color` (``--color auto|always|never`` and the
``NO_COLOR`` convention). When there is colour, only the curves and the marks have it: the
frame, the ticks and the labels are in the terminal's own foreground, and nothing paints a
background, so the chart reads the same on a dark terminal and on a light one. The colours
are from the 16 a terminal's theme defines (not fixed RGB values), so the theme keeps them
readable on its own background.
"""

from __future__ import annotations

import math
import os
import re
import sys
import types
from typing import TYPE_CHECKING, Any, TextIO

from .options import UsageError
from .sample import format_lr, format_step, nice_ticks

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .view import View

__all__ = ["COLOR_CHOICES", "MAX_SIZE", "MIN_SIZE", "chart", "dots", "plotext", "use_color"]

#: The smallest chart: below this, plotext has no room for an axis and a curve.
MIN_SIZE = (16, 8)
#: The largest chart (columns, rows): wider than any screen, and a bound on the work.
MAX_SIZE = (1000, 500)

_SYMBOLS = {"warmup end": "┊", "stable end": "┊", "peak": "●", "final": "■"}
_CURVE_MARKERS = ("braille", "•", "x", "+", "o", "*")  # one per compared schedule, colorless
#: Colours by their number among the terminal's 16 (its theme says how they look): bright
#: blue, then red, green, magenta, cyan and yellow, for one curve each; none of them is the
#: terminal's foreground or background (black, white, grey).
_CURVE_COLORS = (12, 1, 2, 5, 6, 3)
_MARK_COLORS = {"warmup end": 2, "stable end": 2, "peak": 1, "final": 5}
_BACKGROUND = re.compile(r"\x1b\[48;[0-9;]*m")  # plotext's background colours (48;5;N, 48;2;R;G;B)

#: The choices of ``--color``.
COLOR_CHOICES = ("auto", "always", "never")


def use_color(
    choice: str = "auto", stream: TextIO | None = None, environ: Mapping[str, str] | None = None
) -> bool:
    """Whether to draw in colour: ``--color always`` or ``never`` as said; ``auto`` decides.

    ``auto`` is colour only when ``stream`` (default ``sys.stdout``) is a terminal, the
    ``NO_COLOR`` environment variable is unset or empty (https://no-color.org) and ``TERM`` is
    not ``dumb``. An explicit ``--color always`` wins over ``NO_COLOR``, as the convention
    allows a command-line flag to.

    Args:
        choice: ``"auto"``, ``"always"`` or ``"never"``.
        stream: Where the chart goes.
        environ: The environment (default ``os.environ``).

    Returns:
        True to colour the curves and marks.

    Example:
        >>> import io
        >>> use_color("auto", io.StringIO(), {})  # not a terminal
        False
        >>> use_color("always", io.StringIO(), {"NO_COLOR": "1"})
        True
    """
    if choice not in COLOR_CHOICES:
        raise UsageError(f"--color must be one of auto, always, never; received --color {choice!r}")
    if choice != "auto":
        return choice == "always"
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    out = sys.stdout if stream is None else stream
    isatty = getattr(out, "isatty", None)
    return bool(isatty is not None and isatty())


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


def chart(v: View, width: int, height: int, *, log: bool = False, color: bool = False) -> str:
    """The chart of ``v`` as text, ``width`` x ``height`` characters (colour: see the module)."""
    plt = plotext()
    legend = _legend(v, width, color)
    rows = height - len(legend)
    if rows < MIN_SIZE[1]:  # small terminals: the marks' labels go first, the plot stays
        legend, rows = [], height
    plt.terminal.limit(False, False)  # --width and --height are honoured, whatever the terminal
    f = plt.figure
    f.clear.all()
    f.theme("colorless")  # frame, ticks and labels in the terminal's own colours
    f.plot_size(width, rows)
    several = len(v.curves) > 1
    bottom = v.bottom() if log else 0.0
    for i, curve in enumerate(v.curves):
        pts = [(x, y) for x, y in zip(curve.steps, curve.lrs, strict=True) if y > 0 or not log]
        xs, ys = [x for x, _ in pts], [_y(y, log) for _, y in pts]
        if xs:
            f.draw(f.signal(xs, ys, marker=_pen(plt, _marker(i), _color(i))).lines(True))
        if not several:
            for mark in curve.marks:
                ink = plt.pixel(foreground=_MARK_COLORS[mark.kind])
                if mark.kind.endswith("end"):
                    f.line(mark.step, orientation=1, relative=True, style="dotted", pixel=ink)
                elif not (log and mark.lr <= 0):
                    symbol = _pen(plt, _SYMBOLS[mark.kind], _MARK_COLORS[mark.kind])
                    f.draw(f.signal([mark.step], [_y(mark.lr, log)], marker=symbol))
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
    text: str = f.build().string(colorless=not color)
    if color:  # plotext paints some cells' background (its lines'): no background at all
        text = _BACKGROUND.sub("", text)
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join(lines + legend)


def _pen(plt: Any, symbol: str, color: int) -> Any:
    """A plotext marker: ``symbol`` drawn in ``color`` (a terminal colour number)."""
    return plt.marker(symbol, pixel=plt.pixel(foreground=color))


def _color(i: int) -> int:
    return _CURVE_COLORS[i % len(_CURVE_COLORS)]


def _paint(text: str, color: int) -> str:
    """``text`` in ``color``, then the terminal's own colours again."""
    return f"\x1b[38;5;{color}m{text}\x1b[0m"


def _y(lr: float, log: bool) -> float:
    return math.log10(lr) if log else lr


def _marker(i: int) -> str:
    return _CURVE_MARKERS[i % len(_CURVE_MARKERS)]


def _legend(v: View, width: int, color: bool) -> list[str]:
    """One line per curve (several) or per mark (one), its symbol in its colour."""
    if len(v.curves) != 1:
        keys = [(_marker(i).replace("braille", "⣿"), _color(i)) for i in range(len(v.curves))]
        names = [c.name for c in v.curves]
    else:
        marks = v.curves[0].marks
        keys = [(_SYMBOLS[m.kind], _MARK_COLORS[m.kind]) for m in marks]
        names = [m.label() for m in marks]
    lines = []
    for (symbol, ink), name in zip(keys, names, strict=True):
        text = _fit(f"{symbol} {name}", width)
        lines.append(_paint(text[:1], ink) + text[1:] if color else text)
    return lines


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def dots(width: int) -> int:
    """The terminal chart's horizontal resolution: two braille dots per character."""
    return 2 * width
