"""What Keras (3.15) allows for hyperparameters other than the learning rate, tested.

``learning_rate`` takes a ``LearningRateSchedule``; ``weight_decay`` and ``beta_1`` take a
float or a ``keras.Variable``, and a callable or a schedule there is a ``TypeError`` (Adam's
docstring says a callable works; in 3.15 it does not). The working recipe: a non-trainable
variable assigned ``schedule(optimizer.iterations)`` by a callback before each update.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from warmcos import Composition, Schedule, Segment
from warmcos.keras import WarmcosSchedule

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="in-process Keras tests use the TensorFlow backend (others run in subprocesses)",
)

LR = Schedule(peak_lr=0.05, total_steps=25, warmup_steps=5, warmup_start_lr=0.005)
WD = Composition([Segment(25, 0.04, 0.4, "cosine")])  # rises
B1 = Composition([Segment(10, 0.95, 0.85, "cosine"), Segment(15, 0.85, 0.95, "cosine")])
UPDATES = 30  # 3 epochs of 10 batches: past the end, where every schedule holds


class ScheduledVariables(keras.callbacks.Callback):
    """Before each update, set each variable to its schedule at ``optimizer.iterations``."""

    def __init__(self, schedules: list[tuple[keras.Variable, Schedule | Composition]]) -> None:
        super().__init__()
        self.schedules = schedules
        self.idle: list[tuple[float, float]] = []  # the idle weight before and after
        self.used: list[tuple[int, float, float]] = []

    def on_train_batch_begin(self, batch: int, logs: object = None) -> None:
        step = int(self.model.optimizer.iterations)
        for variable, schedule in self.schedules:
            variable.assign(schedule(step))
        self.used.append((step, *(float(v) for v, _ in self.schedules)))
        self.idle.append((float(self.model.layers[0].kernel[3, 0]), 0.0))

    def on_train_batch_end(self, batch: int, logs: object = None) -> None:
        before, _ = self.idle[-1]
        self.idle[-1] = (before, float(self.model.layers[0].kernel[3, 0]))


def model_and_data() -> tuple[keras.Model, np.ndarray, np.ndarray]:
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(40, 4)).astype("float32")
    x[:, 3] = 0.0  # the kernel's last row gets no gradient: only the weight decay moves it
    y = x[:, :3].sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, use_bias=False)])
    return model, x, y


def test_weight_decay_and_beta_1_follow_schedules_through_variables() -> None:
    model, x, y = model_and_data()
    wd = keras.Variable(WD(0), trainable=False, dtype="float32")
    b1 = keras.Variable(B1(0), trainable=False, dtype="float32")
    optimizer = keras.optimizers.AdamW(
        learning_rate=WarmcosSchedule(LR), weight_decay=wd, beta_1=b1
    )
    model.compile(optimizer=optimizer, loss="mse")
    callback = ScheduledVariables([(wd, WD), (b1, B1)])
    model.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0, callbacks=[callback])
    assert [u[0] for u in callback.used] == list(range(UPDATES))
    for step, wd_used, b1_used in callback.used:
        assert wd_used == np.float32(WD(step))
        assert b1_used == np.float32(B1(step))
        before, after = callback.idle[step]
        # AdamW's decoupled decay with this update's lr and weight decay (Adam's part is 0)
        lr = float(np.float32(LR(step)))
        np.testing.assert_allclose(after, before * (1 - lr * wd_used), rtol=1e-6)
    assert len({u[1] for u in callback.used}) > 20  # the weight decay really moved


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weight_decay": WarmcosSchedule(Schedule(0.1, 10))},
        {"weight_decay": lambda: 0.1},
        {"beta_1": WarmcosSchedule(Schedule(0.9, 10))},
        {"beta_1": lambda: 0.9},
    ],
    ids=["wd_schedule", "wd_callable", "beta_1_schedule", "beta_1_callable"],
)
def test_a_schedule_or_a_callable_for_another_hyperparameter_is_a_type_error(kwargs) -> None:
    model, x, y = model_and_data()
    model.compile(optimizer=keras.optimizers.AdamW(learning_rate=0.01, **kwargs), loss="mse")
    with pytest.raises(TypeError):
        model.fit(x, y, batch_size=4, epochs=1, verbose=0)
