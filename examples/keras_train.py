"""Keras 3: a digits classifier trained by ``model.fit``, cosine warmup and cosine decay.

    python examples/keras_train.py [--smoke] [--out build/examples]

Keras calls the schedule with ``optimizer.iterations``, the updates already applied, so update
``k`` (from 0) uses ``schedule(k)``, as everywhere in warmcos. It runs on any Keras backend
(``KERAS_BACKEND=tensorflow|jax|torch``). A callback reads, before each batch, the step and the
rate the optimizer is about to use; the loss of each batch comes from a one-line metric (Keras'
own ``loss`` log is the running mean of the epoch). A full run reaches a test accuracy >= 0.95.
"""

from __future__ import annotations

import sys

import keras

import _common
from warmcos import Schedule
from warmcos.keras import WarmcosSchedule


class BatchLoss(keras.metrics.Metric):
    """The cross-entropy of the last batch (not a running mean), for the per-update log."""

    def __init__(self, name: str = "batch_loss") -> None:
        super().__init__(name=name)
        self.value = self.add_variable(shape=(), initializer="zeros", name="value")

    def update_state(self, y_true, y_pred, sample_weight=None):
        loss = keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits=True)
        self.value.assign(keras.ops.mean(loss))

    def result(self):
        return keras.ops.cast(self.value, self.dtype)


class LogUpdates(keras.callbacks.Callback):
    """Record each update's step (``optimizer.iterations``), lr and loss into a RunLog."""

    def __init__(self, log: _common.RunLog) -> None:
        super().__init__()
        self.log = log
        self.pending: tuple[int, float] | None = None

    def on_train_batch_begin(self, batch, logs=None):
        optimizer = self.model.optimizer
        step = int(optimizer.iterations.numpy())
        self.pending = (step, float(keras.ops.convert_to_numpy(optimizer.learning_rate)))

    def on_train_batch_end(self, batch, logs=None):
        step, lr = self.pending
        self.log.record(step, lr, float(logs["batch_loss"]))


def main() -> int:
    args = _common.parser(__doc__).parse_args()
    keras.utils.set_random_seed(0)
    x_train, y_train, x_test, y_test = _common.digits()
    schedule = Schedule(
        peak_lr=1e-2,
        total_steps=f"{_common.epochs(args)}ep",
        steps_per_epoch=_common.STEPS_PER_EPOCH,
        warmup_steps="10%",
        warmup_shape="cosine",  # a half-cosine warmup (no kink at the peak) ...
        warmup_start_lr=1e-4,
        final_lr=1e-4,  # ... and the classic cosine decay to a floor
    )
    model = keras.Sequential(
        [keras.Input((64,)), keras.layers.Dense(128, activation="relu"), keras.layers.Dense(10)]
    )
    model.compile(
        optimizer=keras.optimizers.AdamW(
            learning_rate=WarmcosSchedule(schedule), weight_decay=1e-4
        ),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[BatchLoss()],
    )
    log = _common.RunLog("keras_train", schedule, args)
    model.fit(
        x_train,
        y_train,
        batch_size=_common.BATCH,
        epochs=_common.epochs(args),
        shuffle=True,
        verbose=0,
        callbacks=[LogUpdates(log)],
    )
    log.extra["backend"] = keras.backend.backend()
    predicted = model.predict(x_test, batch_size=len(x_test), verbose=0).argmax(axis=1)
    return log.finish(_common.accuracy(predicted, y_test))


if __name__ == "__main__":
    sys.exit(main())
