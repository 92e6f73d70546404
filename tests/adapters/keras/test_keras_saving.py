"""model.fit with WarmcosSchedule, save to .keras, load in a fresh process, continue fitting.

The fresh process (``load_and_continue.py``) shows what loading needs: Keras imports the module
of a saved object only for its own packages, so ``keras.models.load_model(path)`` works with no
``custom_objects`` once ``warmcos.keras`` has been imported, and not before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import numpy as np
import pytest

from warmcos import Schedule
from warmcos.keras import WarmcosSchedule

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        keras.backend.backend() != "tensorflow",
        reason="in-process Keras tests use the TensorFlow backend (others run in subprocesses)",
    ),
]

BATCHES_PER_EPOCH = 15  # 1797 digits in batches of 128
EPOCHS_BEFORE, EPOCHS_AFTER = 3, 3
SCHEDULE = Schedule(
    peak_lr=1e-2,
    total_steps=(EPOCHS_BEFORE + EPOCHS_AFTER) * BATCHES_PER_EPOCH,
    warmup_steps=BATCHES_PER_EPOCH,
    warmup_start_lr=1e-3,
    final_lr=1e-4,
)


def ulps(actual: Any, expected: Any) -> np.ndarray:
    a = np.asarray(actual, dtype=np.float32)
    e = np.asarray(expected, dtype=np.float64).astype(np.float32)
    return np.abs(a.view(np.int32).astype(np.int64) - e.view(np.int32).astype(np.int64))


@pytest.fixture(scope="module")
def fitted_and_reloaded(fit_save_and_reload: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    optimizer = keras.optimizers.AdamW(learning_rate=WarmcosSchedule(SCHEDULE))
    run = fit_save_and_reload(optimizer, EPOCHS_BEFORE, EPOCHS_AFTER)
    model, x, y = run["model"], run["x"], run["y"]
    logits = model.predict(x, verbose=0)
    return {
        "before": run["before"],
        "iterations_at_save": int(model.optimizer.iterations.numpy()),
        "predictions": logits[:64],
        "accuracy_at_save": float(np.mean(logits.argmax(axis=1) == y)),
        "jit_compile": model.jit_compile,
        "loaded": run["loaded"],
    }


def test_fresh_process_needs_the_import_and_nothing_else(fitted_and_reloaded: dict) -> None:
    loaded = fitted_and_reloaded["loaded"]
    assert loaded["backend"] == "tensorflow"
    # Before `import warmcos.keras`, Keras cannot find the class (it imports only its own
    # packages' modules while loading); after it, plain load_model works.
    kind, message = loaded["plain_load_error"]
    assert kind == "TypeError"
    assert "WarmcosSchedule" in message
    assert loaded["schedule_type"] == "warmcos.keras.WarmcosSchedule"
    assert loaded["schedule_config"] == SCHEDULE.to_dict()
    # No "skipping variable loading" or similar: the optimizer state comes back whole.
    assert loaded["load_warnings"] == []


def test_loaded_model_and_optimizer_state_are_restored(fitted_and_reloaded: dict) -> None:
    loaded = fitted_and_reloaded["loaded"]
    assert fitted_and_reloaded["jit_compile"] is True
    assert loaded["jit_compile"] is True
    assert fitted_and_reloaded["iterations_at_save"] == EPOCHS_BEFORE * BATCHES_PER_EPOCH
    assert loaded["iterations_at_load"] == fitted_and_reloaded["iterations_at_save"]
    np.testing.assert_allclose(
        loaded["predictions"], fitted_and_reloaded["predictions"], rtol=0, atol=1e-5
    )
    assert loaded["accuracy_at_load"] == pytest.approx(fitted_and_reloaded["accuracy_at_save"])


def test_learning_rate_continues_without_a_jump(fitted_and_reloaded: dict) -> None:
    before, after = fitted_and_reloaded["before"], fitted_and_reloaded["loaded"]["lrs"]
    steps = [step for step, _ in before + after]
    # One clock across the save: 0 .. T-1, each step once.
    assert steps == list(range(SCHEDULE.total_steps))
    lrs = np.array([lr for _, lr in before + after])
    assert ulps(lrs, SCHEDULE(np.array(steps))).max() <= 8
    # The first rate after loading is the schedule's next value, not a restart at
    # warmup_start_lr: its change from the last rate before saving is an ordinary step.
    k = len(before)
    assert lrs[k] < lrs[k - 1]
    assert abs(lrs[k] - lrs[k - 1]) <= np.abs(np.diff(lrs[k - 3 : k + 3])).max() * (1 + 1e-6)
    assert fitted_and_reloaded["loaded"]["iterations_at_end"] == SCHEDULE.total_steps


def test_training_on_digits_learns_and_keeps_learning(fitted_and_reloaded: dict) -> None:
    loaded = fitted_and_reloaded["loaded"]
    assert fitted_and_reloaded["accuracy_at_save"] > 0.85
    assert loaded["accuracy_at_end"] > max(0.9, fitted_and_reloaded["accuracy_at_save"])


def test_a_model_saved_by_warmcos_0_1_loads_and_continues_its_schedule() -> None:
    # tests/data/v1: a .keras file written by warmcos 0.1.0 (config schema version 1).
    from pathlib import Path

    path = Path(__file__).parents[2] / "data" / "v1" / "warmcos-0.1.0-model.keras"
    model = keras.models.load_model(path)
    lr = model.optimizer.learning_rate if hasattr(model.optimizer, "learning_rate") else None
    schedule = model.optimizer._learning_rate
    assert isinstance(schedule, WarmcosSchedule)
    assert schedule.schedule == Schedule(
        peak_lr=3e-4, total_steps=1000, warmup_steps=50, warmup_start_lr=3e-5, final_lr=3e-6
    )
    assert int(model.optimizer.iterations) == 4
    assert lr is not None
    assert float(lr) == np.float32(schedule.schedule(4))
    assert schedule.get_config()["version"] == 2  # saved again, it is written as version 2
