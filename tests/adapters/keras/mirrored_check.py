"""Fresh process: WarmcosSchedule under ``tf.distribute.MirroredStrategy`` on 2 logical CPUs.

Run by ``test_keras_distribute.py``: ``python mirrored_check.py OUT_JSON``. The two logical
devices must be configured before TensorFlow initialises, hence the fresh process.
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    out_path = sys.argv[1]
    import tensorflow as tf

    (cpu,) = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
    )
    import keras
    import numpy as np

    from warmcos import Schedule
    from warmcos.keras import WarmcosSchedule

    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    schedule = Schedule(peak_lr=3e-2, total_steps=40, warmup_steps=8, warmup_start_lr=1e-3)
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(512, 8)).astype("float32")
    y = (x @ rng.normal(size=(8, 1))).astype("float32")
    with strategy.scope():
        lr = WarmcosSchedule(schedule)
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
        optimizer = keras.optimizers.Adam(learning_rate=lr)
        model.compile(optimizer=optimizer, loss="mse")

    lrs: list[list[float]] = []

    class LogLearningRate(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch: int, logs: object = None) -> None:
            opt = self.model.optimizer
            lrs.append([int(opt.iterations.numpy()), float(opt.learning_rate.numpy())])

    history = model.fit(x, y, batch_size=64, epochs=5, verbose=0, callbacks=[LogLearningRate()])

    # The schedule evaluated by each replica inside strategy.run, at the optimizer's step.
    iterations_at_end = int(optimizer.iterations.numpy())
    optimizer.iterations.assign(13)
    per_replica = strategy.run(tf.function(lambda: lr(optimizer.iterations)))
    replica_values = [float(v.numpy()) for v in strategy.experimental_local_results(per_replica)]

    result = {
        "replicas": strategy.num_replicas_in_sync,
        "iterations_type": type(optimizer.iterations.value).__name__,
        "lrs": lrs,
        "loss": [float(v) for v in history.history["loss"]],
        "iterations_at_end": iterations_at_end,
        "replica_values": replica_values,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
