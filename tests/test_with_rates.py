"""Schedule.with_rates, the public entry point with array (traced) rates, and the adapters' imports."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import numpy as np
import pytest

from warmcos import Schedule

SRC = Path(__file__).resolve().parents[1] / "src" / "warmcos"
ADAPTERS = ("torch.py", "jax.py", "keras.py", "_accelerate.py")


@pytest.mark.parametrize("name", ADAPTERS)
def test_adapters_import_neither_math_nor_xp(name: str) -> None:
    """The adapters go through the public API: the core's private modules are the core's."""
    tree = ast.parse((SRC / name).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            imported.add(module)
            imported.update(f"{module}.{alias.name}".replace("..", ".") for alias in node.names)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    private = {m for m in imported if m.rpartition(".")[2] in ("_math", "_xp", "_rates")}
    assert not private, f"{name} imports the core's private modules {sorted(private)}"


def test_array_rates_give_the_schedules_they_stand_for() -> None:
    s = Schedule(1e-3, 1000, warmup_steps=100, final_lr=1e-5, decay_shape="exponential")
    peaks = np.array([1e-3, 2e-3, 5e-4])
    got = s.with_rates(peak_lr=peaks[:, None])(np.arange(0, 1001, 50))
    want = [s.replace(peak_lr=p)(np.arange(0, 1001, 50)) for p in peaks]
    np.testing.assert_allclose(got, want, rtol=1e-15)


def test_numbers_are_replace_and_none_keeps_the_schedule() -> None:
    s = Schedule(0.1, 100, warmup_steps=10, final_lr=0.01)
    f = s.with_rates(peak_lr=0.2)
    assert f.schedule == s.replace(peak_lr=0.2)
    assert f.rates == {}
    assert f(10) == 0.2
    assert s.with_rates().schedule is s


def test_concrete_arrays_are_checked_with_the_cores_rules() -> None:
    # cycle_floor="scaled": cycle 0's floor is final_lr * cycle_decay**-2 (1.2 > its peak 1)
    s = Schedule(1.0, 100, cycles=3, cycle_decay=0.5, cycle_floor="scaled", final_lr=0.2)
    s.with_rates(final_lr=np.array([0.2, 0.25]))  # both valid schedules
    with pytest.raises(
        ValueError, match=r"cycle 0's floor 1.2 is above its peak 1.0 .*entry \(1,\)"
    ):
        s.with_rates(final_lr=np.array([0.2, 0.3]))
    with pytest.raises(ValueError, match=r"final_lr must be finite and >= 0"):
        s.with_rates(final_lr=[0.1, -1.0])
    with pytest.raises(TypeError, match=r"peak_lr must be a real number or an array"):
        s.with_rates(peak_lr="1.0")
    with pytest.raises(TypeError, match=r"final_lr must be an array of real numbers"):
        s.with_rates(final_lr=np.array([True]))
    # a constant decay keeps its own rule (final_lr 0 or the peak), not final_lr <= peak_lr
    flat = Schedule(1.0, 100, decay_shape="constant")
    flat.with_rates(peak_lr=np.array([1.0, 2.0]), final_lr=np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match=r"final_lr has no effect with decay_shape='constant'"):
        flat.with_rates(final_lr=np.array([0.5]))


def test_pickles_and_checks_steps_like_the_schedule() -> None:
    s = Schedule(0.1, 100, warmup_steps=10, after="raise")
    f = s.with_rates(final_lr=np.array([0.0, 0.01]))
    g = pickle.loads(pickle.dumps(f))
    np.testing.assert_array_equal(g(np.arange(101)[:, None]), f(np.arange(101)[:, None]))
    with pytest.raises(ValueError, match=r"step must be <= total_steps=100"):
        f(101)
    with pytest.raises(ValueError, match=r"step must be >= 0"):
        f(np.array([-1]))
