"""The shape registry's contract, as the presets' registry has one (tests/conformance).

Every shape (``warmcos._math.SHAPES``, enumerated through the public ``FIELDS``), as a warmup
and as a decay, in every namespace installed: the rate is exactly the phase's end values at its
ends (``phi(0) == 0`` and ``phi(L) == 1``, bit for bit) and monotone in between. Everything
is checked through the public :class:`~warmcos.Schedule`, not through ``phi`` itself, so the
contract holds whatever module a shape's function lives in.

Then coverage: each shape is exercised by the accuracy tests (tests/test_accuracy.py, against
tests/exact.py), by the adapters' equality tests (``FAMILY_CASES``), by the test strategies,
and is listed in the docs' tables. A shape added to the registry and to none of these fails
here, by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from conftest import ROOT
from strategies import DECAY_SHAPE_NAMES, FAMILY_CASES, WARMUP_SHAPE_NAMES, shape_members
from warmcos import Schedule

#: Every shape, in the registry's order.
SHAPE_NAMES = tuple(dict.fromkeys([*WARMUP_SHAPE_NAMES, *DECAY_SHAPE_NAMES]))

TOTAL = 1000
STEPS = list(range(TOTAL + 1))
MEMBERS = [pytest.param(s, id=name) for name, s in shape_members(TOTAL).items()]


def _numpy(s: Schedule) -> tuple[list[float], type]:
    return s(np.array(STEPS)).tolist(), float


def _numpy32(s: Schedule) -> tuple[list[float], type]:
    return s(np.array(STEPS, dtype=np.float32)).tolist(), np.float32


def _torch(dtype: str) -> Callable[[Schedule], tuple[list[float], type]]:
    def run(s: Schedule) -> tuple[list[float], type]:
        torch = pytest.importorskip("torch")
        steps = torch.tensor(STEPS, dtype=getattr(torch, dtype))
        return s(steps).tolist(), float if dtype == "float64" else np.float32

    return run


def _tensorflow(s: Schedule) -> tuple[list[float], type]:
    tf = pytest.importorskip("tensorflow")
    return s(tf.constant(STEPS, tf.int64)).numpy().tolist(), np.float32


def _jax(s: Schedule) -> tuple[list[float], type]:
    jax = pytest.importorskip("jax")
    steps = jax.numpy.asarray(STEPS, dtype="int32")
    return np.asarray(jax.jit(s.__call__)(steps)).tolist(), np.float32


#: Each namespace: the rate at every step, and the precision it is computed in.
NAMESPACES: dict[str, Callable[[Schedule], tuple[list[float], type]]] = {
    "python": lambda s: ([s(k) for k in STEPS], float),
    "numpy": _numpy,
    "numpy-float32": _numpy32,
    "torch-int64": _torch("int64"),
    "torch-float64": _torch("float64"),
    "tensorflow": _tensorflow,
    "jax-jit": _jax,
}


@pytest.mark.parametrize("namespace", NAMESPACES)
@pytest.mark.parametrize("schedule", MEMBERS)
def test_every_shape_hits_its_ends_exactly_and_is_monotone(
    schedule: Schedule, namespace: str
) -> None:
    values, dtype = NAMESPACES[namespace](schedule)
    phases = schedule.describe()
    rates = {schedule.warmup_start_lr, schedule.peak_lr, schedule.final_lr}
    for phase in phases:
        # phi(0) == 0: the phase starts on its value; phi(L) == 1: it ends on the next one's
        for step, want in ((phase.begin, phase.lr_begin), (phase.end, phase.lr_end)):
            if want in rates:
                assert values[step] == float(dtype(want)), (phase, step, values[step], want)
            else:  # where an open shape has got to at total_steps: a value, not an end
                assert abs(values[step] - want) <= 8 * np.spacing(dtype(want)), (phase, step)
        run = np.array(values[phase.begin : phase.end + 1])
        steps = np.diff(run) if phase.lr_end >= phase.lr_begin else -np.diff(run)
        assert (steps >= 0).all(), (phase, int(np.argmin(steps)) + phase.begin)
    # the ends are the parameters themselves (an open shape approaches final_lr from above)
    assert phases[0].lr_begin == schedule.warmup_start_lr
    decay = phases[-1]
    assert decay.kind == "decay"
    assert decay.lr_begin == schedule.peak_lr
    if schedule.timescale is None and decay.shape != "constant":
        assert decay.lr_end == schedule.final_lr
    else:
        assert schedule.final_lr <= decay.lr_end <= schedule.peak_lr


# -- coverage: a new shape that no test exercises fails here ----------------------------------


def _shapes_of(schedules: Any) -> tuple[set[str], set[str]]:
    warmups = {s.warmup_shape for s in schedules if s.warmup_steps}
    return warmups, {s.decay_shape for s in schedules}


def test_the_adapters_equality_cases_cover_every_shape() -> None:
    # FAMILY_CASES drives the torch, Keras and optax equality tests at every step
    warmups, decays = _shapes_of(FAMILY_CASES.values())
    assert set(WARMUP_SHAPE_NAMES) - warmups == set(), "warmup shapes missing from FAMILY_CASES"
    assert set(DECAY_SHAPE_NAMES) - decays == set(), "decay shapes missing from FAMILY_CASES"


def test_the_accuracy_tests_cover_every_shape() -> None:
    from test_accuracy import FAMILY

    warmups, decays = _shapes_of(FAMILY)
    assert set(WARMUP_SHAPE_NAMES) - warmups == set(), "warmup shapes missing from FAMILY"
    assert set(DECAY_SHAPE_NAMES) - decays == set(), "decay shapes missing from FAMILY"


@pytest.mark.parametrize("schedule", MEMBERS)
def test_the_exact_reference_knows_every_shape(schedule: Schedule) -> None:
    # tests/exact.py writes each shape from its textbook definition and raises on a shape it
    # does not know, so the accuracy tests cannot pass over a new shape silently
    from exact import exact_family_lr

    for step in range(0, TOTAL + 1, 37):
        exact = float(exact_family_lr(schedule, step))
        assert abs(schedule(step) - exact) <= 4 * np.spacing(exact), step


def test_the_strategies_draw_every_shape() -> None:
    from strategies import DECAY_SHAPES, WARMUP_SHAPES

    assert tuple(WARMUP_SHAPES.elements) == WARMUP_SHAPE_NAMES  # type: ignore[attr-defined]
    assert tuple(DECAY_SHAPES.elements) == DECAY_SHAPE_NAMES  # type: ignore[attr-defined]


def _table(text: str, header: str) -> list[list[str]]:
    """The rows of the markdown table under the header line ``header``, split into cells."""
    lines = text.splitlines()
    start = lines.index(header) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_the_docs_shape_table_lists_exactly_the_registry() -> None:
    text = (ROOT / "docs" / "family.md").read_text()
    rows = _table(text, "| shape | `phi(n, L)` | as |")
    assert tuple(row[0].strip("`") for row in rows) == SHAPE_NAMES
    phases = {row[0]: row[2] for row in _table(text, "| phase | steps | parameters |")}
    for phase, names in (("warmup", WARMUP_SHAPE_NAMES), ("decay", DECAY_SHAPE_NAMES)):
        listed = re.findall(r"`([^`]+)`", phases[phase].split(":", 1)[1])
        assert {n for n in listed if n in SHAPE_NAMES} == set(names), phase


_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def test_the_docs_count_the_registry_s_shapes() -> None:
    text = " ".join((ROOT / "docs" / "family.md").read_text().split())
    warmups = re.search(r"a warmup \((\w+) shapes and DeepSpeed's log ramp\)", text)
    decays = re.search(r"a decay \((\w+) shapes", text)
    assert warmups is not None
    assert decays is not None
    assert _WORDS.index(warmups[1]) + 1 == len(WARMUP_SHAPE_NAMES)  # + the log ramp
    assert _WORDS.index(decays[1]) == len(DECAY_SHAPE_NAMES)


def test_the_docs_name_every_kind_of_phase() -> None:
    every_kind = Schedule(0.1, 1000, warmup_steps=100, stable_steps=100, delay_steps=10)
    kinds = {p.kind for p in every_kind.describe()}
    text = " ".join((ROOT / "docs" / "cli.md").read_text().split())
    listed = re.search(r"each phase's kind \(([^)]*)\)", text)
    assert listed is not None
    assert set(re.findall(r"`(\w+)`", listed[1])) == kinds
    family = (ROOT / "docs" / "family.md").read_text()
    phases = {row[0] for row in _table(family, "| phase | steps | parameters |")}
    assert kinds <= phases
