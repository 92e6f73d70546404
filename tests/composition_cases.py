"""Three compositions every adapter is tested with, and the bound each is held to.

A OneCycle with a real-valued boundary (torch ``OneCycleLR``'s ``pct_start * total - 1``,
cosine: within the 4-ulp float64 bound of docs/accuracy.md against a Python-number call),
a MultiStep counted in epochs by a clock, and an envelope (a warmup into an inverse square
root, times a linear cooldown): those two need no transcendental function, so every float64
path gives the same bits ("One value on every path").
"""

from __future__ import annotations

import numpy as np

from warmcos import Composition, Segment

#: torch OneCycleLR(max_lr=0.1, total_steps=999, pct_start=0.25): the first phase ends at
#: step 248.75, between two steps.
ONE_CYCLE = Composition(
    [
        Segment("248.75", 0.004, 0.1, "cosine"),
        Segment("749.25", 0.1, 4e-7, "cosine"),
    ],
    after="raise",
)

#: A MultiStep whose milestones are epochs (3 and 7) of 10 steps: the clock moves once per
#: epoch (``every=10``) and counts epochs (``scale=1/10``).
MULTISTEP_EPOCHS = Composition.piecewise([3, 7], [0.1, 0.01, 0.001], every=10, scale="1/10")

#: big_vision's ViT recipe in small: a warmup into an inverse square root, times a cooldown.
ENVELOPE = Composition(
    [Segment(20, 0.0, 1e-3), Segment(180, 1e-3, 0.0, "inverse_sqrt", timescale=20)]
) * Composition([Segment(150, 1.0), Segment(50, 1.0, 0.0)])

#: ``(name, composition, same_bits)``: whether every float64 path gives the same bits.
CASES = [
    ("one_cycle", ONE_CYCLE, False),
    ("multistep_epochs", MULTISTEP_EPOCHS, True),
    ("envelope", ENVELOPE, True),
]
IDS = [name for name, _, _ in CASES]


def steps_of(c: Composition) -> int:
    """How many steps to compare: twice the end (to the end for ``after="raise"``)."""
    return c.total_steps + 1 if c.after == "raise" else 2 * c.total_steps + 1


def assert_close(got: np.ndarray, want: np.ndarray, ulps: float, dtype: type = np.float64) -> None:
    """``got`` within ``ulps`` of ``want`` at every step, in units of ``dtype``'s spacing."""
    got64, want64 = np.asarray(got, np.float64), np.asarray(want, np.float64)
    spacing = np.spacing(np.abs(want64).astype(dtype)).astype(np.float64)
    err = np.abs(got64 - want64) / np.where(want64 == 0, np.inf, spacing)
    bad = np.flatnonzero((err > ulps) | ((want64 == 0) & (got64 != 0)))
    assert bad.size == 0, f"steps {bad[:5].tolist()}: {got64[bad[:5]]} != {want64[bad[:5]]}"
