"""Text tables that fit a width: no line is ever longer than the terminal (or ``--width``).

Every table the command prints (``compare``'s differences, ``describe``'s phases, the
``preset`` listing) goes through :func:`fit`, which picks the first layout that fits:

1. one line per row, every column at its full width (the table as it always looked);
2. the same columns, the headers wrapped (at most two lines each) and the cells of one
   *flexible* column (the schedule's label, the phase's steps) wrapped at spaces, if that
   column keeps at least :data:`MIN_FLEXIBLE` characters;
3. stacked: one block per row, its first cell on a line of its own, then ``header: value``
   pairs packed into indented lines.

Words longer than a whole line (a 40-character SPEC at 16 columns) are cut into pieces, so
the guarantee holds at any width.
"""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["MIN_FLEXIBLE", "fit", "wrap"]

#: The narrowest a wrapped flexible column may be (with its headers wrapped too) before the
#: table is stacked instead.
MIN_FLEXIBLE = 16
_GAP = "  "
_INDENT = "  "


class _Wrapper(textwrap.TextWrapper):
    """Breaks at spaces, and before a name after a dot or a comma.

    So ``transformers.optimization.get_...`` and ``peak_lr=0.3,warmup_steps=5%`` break between
    their parts, never inside a number (``0.001``, ``1,000``) and never at a hyphen
    (``--final-lr``, ``1-sqrt``); a word still longer than a line is cut where the line ends.
    """

    wordsep_re = re.compile(r"(\s+|(?<=[.,])(?=[A-Za-z_]))")


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken at spaces where possible.

    Args:
        text: The text; runs of spaces count as one.
        width: The longest line allowed.
        indent: Put before every line but the first (left out if the line has no room).

    Returns:
        The lines (one empty line for empty text).

    Example:
        >>> wrap("--decay-shape linear --final-lr 0", 20)
        ['--decay-shape linear', '--final-lr 0']
        >>> wrap("torch.optim.lr_scheduler.OneCycleLR", 25)
        ['torch.optim.lr_scheduler.', 'OneCycleLR']
        >>> wrap("transformers_cosine_with_min_lr", 12)
        ['transformers', '_cosine_with', '_min_lr']
    """
    width = max(1, width)
    wrapper = _Wrapper(width, subsequent_indent=indent if len(indent) < width else "")
    return wrapper.wrap(text) or [""]


def fit(
    head: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    right: Sequence[bool] = (),
    flexible: int = 0,
) -> list[str]:
    r"""The table's lines, none longer than ``width`` (see the module docstring).

    Args:
        head: The column headers, or None for a table without them.
        rows: The cells, one sequence per row, as many as the headers.
        width: The longest line allowed.
        right: Per column, True to align its cells right (numbers); missing: left.
        flexible: The column whose cells may wrap onto several lines.

    Returns:
        The lines, right-stripped.

    Example:
        >>> head = ("phase", "steps", "lr")
        >>> rows = [("warmup", "0 .. 1,000", "0 -> 0.1"), ("decay", "1,000 .. 100,000", "0.1 -> 0")]
        >>> print("\n".join(fit(head, rows, 80, flexible=1)))
        phase   steps             lr
        warmup  0 .. 1,000        0 -> 0.1
        decay   1,000 .. 100,000  0.1 -> 0
        >>> print("\n".join(fit(head, rows, 30, flexible=1)))
        warmup
          steps: 0 .. 1,000,
          lr: 0 -> 0.1
        decay
          steps: 1,000 .. 100,000,
          lr: 0.1 -> 0
    """
    columns = len(head) if head is not None else max(map(len, rows), default=0)
    aligned = [i < len(right) and right[i] for i in range(columns)]
    cells = [list(r) for r in rows]
    heads = list(head) if head is not None else None

    def natural(i: int, head_width: Callable[[str], int] = len) -> int:
        """Column ``i``'s width: its widest cell, or its header's ``head_width`` if wider."""
        texts = [len(r[i]) for r in cells] + ([head_width(heads[i])] if heads is not None else [])
        return max(texts, default=0)

    gaps = len(_GAP) * (columns - 1)
    widths = [natural(i) for i in range(columns)]
    if sum(widths) + gaps <= width:
        return _grid(heads, cells, widths, aligned)
    for head_width in (len, _two_lines):  # headers on one line, else on two
        widths = [natural(i, head_width) for i in range(columns)]
        room = width - (sum(widths) - widths[flexible]) - gaps
        if room >= widths[flexible] or (head_width is _two_lines and room >= MIN_FLEXIBLE):
            widths[flexible] = min(room, widths[flexible])
            return _grid(heads, cells, widths, aligned)
    return _stacked(heads, cells, width)


def _two_lines(text: str) -> int:
    """The narrowest width that wraps ``text`` at spaces into at most two lines."""
    longest = max(map(len, text.split()), default=0)
    for w in range(max(1, longest), len(text) + 1):
        if len(textwrap.wrap(text, w, break_long_words=False)) <= 2:
            return w
    return len(text)


def _grid(
    heads: list[str] | None,
    cells: list[list[str]],
    widths: list[int],
    aligned: list[bool],
) -> list[str]:
    """Rows of columns of ``widths``; a cell or header wider than its column is wrapped."""
    lines: list[str] = []
    for row in ([heads] if heads is not None else []) + cells:
        parts = [
            [c] if len(c) <= w else wrap(c, w, "" if r or row is heads else _INDENT)
            for c, w, r in zip(row, widths, aligned, strict=True)
        ]  # a wrapped cell's next lines are indented: they do not read as a new row
        if row is heads:  # headers sit on their last line, over the values
            depth = max(map(len, parts))
            parts = [[""] * (depth - len(p)) + p for p in parts]
        for k in range(max(map(len, parts))):
            words = [p[k] if k < len(p) else "" for p in parts]
            lines.append(
                _GAP.join(
                    t.rjust(w) if r else t.ljust(w)
                    for t, w, r in zip(words, widths, aligned, strict=True)
                ).rstrip()
            )
    return lines


def _stacked(heads: list[str] | None, cells: list[list[str]], width: int) -> list[str]:
    """One block per row: its first cell, then the others as ``header: value``, packed."""
    indent = _INDENT if width > 2 * len(_INDENT) else ""  # no room for it below 5 columns
    room = width - len(indent)
    lines: list[str] = []
    for row in cells:
        lines += wrap(row[0], width, indent)
        items = [
            f"{heads[i]}: {c}" if heads is not None else c for i, c in enumerate(row) if i and c
        ]
        items = [item + "," for item in items[:-1]] + items[-1:]
        line = ""
        for item in items:
            if line and len(line) + 1 + len(item) <= room:
                line += " " + item
                continue
            if line:
                lines.append(indent + line)
            *whole, line = wrap(item, room, indent)
            lines += [indent + w for w in whole]
        if line:
            lines.append(indent + line)
    return [line.rstrip() for line in lines]
