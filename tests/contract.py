"""The equality contract across paths, read from where it is stated: docs/accuracy.md.

The section "One value on every path" has a table of two rows: the shapes whose float64
paths (Python numbers, NumPy arrays, ``curve()``, ``WarmcosLR``, the CLI rows) give the same
bits on every machine, and the shapes whose Python-number path may differ from the NumPy one
in the last bits. The tests hold the code to that table (tests/test_paths.py,
tests/examples), so the page and the tests cannot drift apart.
"""

from __future__ import annotations

import re

from conftest import ROOT
from strategies import DECAY_SHAPE_NAMES, WARMUP_SHAPE_NAMES
from warmcos import Schedule

SECTION = "## One value on every path"


def _rows() -> list[str]:
    text = (ROOT / "docs" / "accuracy.md").read_text()
    section = text[text.index(SECTION) :]
    table = section[section.index("| shapes |") :].split("\n\n", 1)[0]
    return [line for line in table.splitlines()[2:] if line.startswith("|")]


def _shapes(row: str) -> frozenset[str]:
    names = set(WARMUP_SHAPE_NAMES) | set(DECAY_SHAPE_NAMES)
    return frozenset(n for n in re.findall(r"`([^`]+)`", row.split("|")[1]) if n in names)


#: The shapes every float64 path computes to the same bits (``polynomial`` at power 1 only),
#: and those whose Python-number path may differ from NumPy's.
SAME_BITS, MAY_DIFFER = (_shapes(row) for row in _rows())


def same_bits_everywhere(schedule: Schedule) -> bool:
    """Whether the contract promises this schedule the same float64 bits on every path."""
    shapes = {p.shape for p in schedule.describe()}
    return shapes <= SAME_BITS and schedule.power == schedule.warmup_power == 1.0
