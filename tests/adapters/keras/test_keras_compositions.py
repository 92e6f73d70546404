"""WarmcosSchedule with a Composition: every step, its config, a Keras optimizer, a saved model.

The saved model is loaded in a fresh process by ``load_and_continue.py``, as the template's
is in ``test_keras_saving.py``: no ``custom_objects`` once ``warmcos.keras`` is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import numpy as np
import pytest
import tensorflow as tf

from composition_cases import CASES, ENVELOPE, IDS, assert_close, steps_of
from warmcos import Composition
from warmcos.keras import WarmcosSchedule

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        keras.backend.backend() != "tensorflow",
        reason="in-process Keras tests use the TensorFlow backend (others run in subprocesses)",
    ),
]

EPOCHS_BEFORE, EPOCHS_AFTER = 3, 3  # 15 batches of 128 digits an epoch: 90 of ENVELOPE's steps


@pytest.mark.parametrize(("name", "c", "same_bits"), CASES, ids=IDS)
def test_every_step_eager_and_in_tf_function(name, c, same_bits):
    lr = WarmcosSchedule(c)
    steps = np.arange(steps_of(c))
    want = c(steps)
    eager = lr(tf.constant(steps, tf.int64))
    traced = tf.function(lr, jit_compile=True)(tf.constant(steps, tf.int64))
    for got in (eager, traced):
        assert got.dtype == tf.float32
        assert_close(got.numpy(), want, 8, np.float32)
    assert_close(np.array([float(lr(7))]), np.array([c(7)]), 8, np.float32)  # a Python int


@pytest.mark.parametrize(("name", "c", "same_bits"), CASES, ids=IDS)
def test_config_round_trips_through_keras_serialisation(name, c, same_bits):
    lr = WarmcosSchedule(c)
    assert WarmcosSchedule.from_config(lr.get_config()).schedule == c
    config = keras.saving.serialize_keras_object(lr)
    assert config["registered_name"] == "warmcos>WarmcosSchedule"
    again = keras.saving.deserialize_keras_object(config)
    assert isinstance(again.schedule, Composition)
    assert again.schedule == c


@pytest.fixture(scope="module")
def fitted_and_reloaded(fit_save_and_reload: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    optimizer = keras.optimizers.SGD(learning_rate=WarmcosSchedule(ENVELOPE))
    run = fit_save_and_reload(optimizer, EPOCHS_BEFORE, EPOCHS_AFTER)
    iterations = int(run["model"].optimizer.iterations.numpy())
    return {"lrs": run["before"], "loaded": run["loaded"], "iterations": iterations}


def test_the_optimizer_follows_the_composition_at_every_update(fitted_and_reloaded):
    lrs = np.array(fitted_and_reloaded["lrs"])
    assert lrs[:, 0].tolist() == list(range(len(lrs)))
    assert_close(lrs[:, 1], ENVELOPE(lrs[:, 0].astype(np.int64)), 8, np.float32)


def test_saved_and_loaded_in_a_fresh_process_without_custom_objects(fitted_and_reloaded):
    loaded, iterations = fitted_and_reloaded["loaded"], fitted_and_reloaded["iterations"]
    assert loaded["schedule_type"] == "warmcos.keras.WarmcosSchedule"
    assert Composition.from_dict(loaded["schedule_config"]) == ENVELOPE
    assert loaded["load_warnings"] == []
    assert loaded["iterations_at_load"] == iterations
    lrs = np.array(loaded["lrs"])
    assert lrs[:, 0].tolist() == list(range(iterations, loaded["iterations_at_end"]))
    assert_close(lrs[:, 1], ENVELOPE(lrs[:, 0].astype(np.int64)), 8, np.float32)
