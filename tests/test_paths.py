"""The one equality contract across paths (docs/accuracy.md, "One value on every path").

Every shape as a warmup and as a decay, at powers 1, 0.5 and 3, over 10,001 steps: the NumPy
paths (arrays, ``curve()``, arrays a chunk of 1024 steps at a time as ``WarmcosLR`` reads
them) give the same bits for every shape; Python numbers give those bits too for the shapes
the page lists as exact, and for the others stay within the accuracy bound of them. The
adapters' equality tests hold ``WarmcosLR`` to ``curve()`` (tests/adapters/torch).
"""

from __future__ import annotations

import numpy as np
import pytest

from contract import MAY_DIFFER, SAME_BITS, same_bits_everywhere
from strategies import DECAY_SHAPE_NAMES, WARMUP_SHAPE_NAMES, shape_members
from warmcos import Schedule

TOTAL = 10_000
MEMBERS = shape_members(TOTAL)
#: The ends of the other parameter sets: a floor of 0 (a start of 0 for the warmups), restarts.
MORE = {
    **{
        f"{name}-to-zero": s.replace(final_lr=0.0)
        for name, s in MEMBERS.items()
        if name.startswith("decay-") and s.final_lr and s.decay_shape != "exponential"
    },
    **{
        f"{name}-from-zero": s.replace(warmup_start_lr=0.0)
        for name, s in MEMBERS.items()
        if name.startswith("warmup-") and s.warmup_shape != "exponential"
    },
    **{
        f"{name}-restarts": s.replace(
            cycles=3, cycle_mul=1.5, cycle_decay=0.7, cycle_warmup_steps=50
        )
        for name, s in MEMBERS.items()
        if name.startswith("decay-") and s.decay_shape != "constant"
    },
}
CASES = {**MEMBERS, **MORE}


def test_the_contract_places_every_shape() -> None:
    # every shape in one row (a power other than 1 moves a schedule to the second)
    shapes = set(WARMUP_SHAPE_NAMES) | set(DECAY_SHAPE_NAMES)
    assert shapes == SAME_BITS | MAY_DIFFER
    assert not SAME_BITS & MAY_DIFFER
    assert any(same_bits_everywhere(s) for s in CASES.values())
    assert not all(same_bits_everywhere(s) for s in CASES.values())


@pytest.mark.parametrize("name", CASES)
def test_every_path_gives_the_bits_the_contract_promises(name: str) -> None:
    schedule: Schedule = CASES[name]
    steps = np.arange(TOTAL + 1)
    numpy = schedule(steps)
    assert numpy.tobytes() == schedule.curve(TOTAL + 1).tobytes()
    chunks = np.concatenate([schedule(steps[k : k + 1024]) for k in range(0, TOTAL + 1, 1024)])
    assert chunks.tobytes() == numpy.tobytes()
    python = np.array([schedule(k) for k in steps.tolist()])
    if same_bits_everywhere(schedule):
        differ = np.nonzero(python != numpy)[0]
        assert differ.size == 0, f"{differ.size} steps differ, the first {differ[:5].tolist()}"
    else:  # each within 4 ulps of the exact value (tests/test_accuracy.py)
        assert (np.abs(python - numpy) <= 8 * np.spacing(numpy)).all()
