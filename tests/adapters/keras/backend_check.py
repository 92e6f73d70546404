"""Fresh process: WarmcosSchedule on the Keras backend named by ``KERAS_BACKEND``.

Run by ``test_keras_backends.py``: ``python backend_check.py OUT_JSON``. It evaluates the
schedule on the backend's own tensors at every step of a 10k-step run (eagerly and, on JAX,
under ``jax.jit``), next to the core ``Schedule`` on the same tensors; drives the backend's
real SGD optimizer and reads back the learning rate it applied; and fits a small model.
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    out_path = sys.argv[1]
    import keras
    import numpy as np

    from warmcos import Schedule
    from warmcos.keras import WarmcosSchedule

    backend = keras.backend.backend()
    schedule = Schedule(
        peak_lr=1e-2, total_steps=10_000, warmup_steps=500, warmup_start_lr=1e-3, final_lr=1e-4
    )
    lr = WarmcosSchedule(schedule)
    steps = keras.ops.arange(10_100, dtype="int32")
    result: dict[str, object] = {"backend": backend}

    def record(name: str, value: object) -> None:
        array = keras.ops.convert_to_numpy(value)
        result[name] = {"dtype": str(array.dtype), "values": array.astype("float64").tolist()}

    record("eager", lr(steps))
    record("eager_core", schedule(steps))
    result["tensor_type"] = f"{type(lr(steps)).__module__}.{type(lr(steps)).__qualname__}"

    optimizer = keras.optimizers.SGD(learning_rate=lr)
    w = keras.Variable(0.0, dtype="float32")
    optimizer.build([w])
    result["iterations_dtype"] = str(optimizer.iterations.dtype)
    probe = [0, 1, 499, 500, 501, 5_000, 9_900, 9_999, 10_000, 10_001, 10_099]
    result["probe_steps"] = probe

    if backend == "jax":
        import jax
        import jax.numpy as jnp

        record("jit", jax.jit(lr)(steps))
        record("jit_core", jax.jit(schedule)(steps))

        # The stateless optimizer update that Keras jits in model.fit, at every step at once.
        index = next(i for i, v in enumerate(optimizer.variables) if v is optimizer.iterations)
        values = [v.value for v in optimizer.variables]

        def applied(step: jax.Array) -> jax.Array:
            state = [step if i == index else v for i, v in enumerate(values)]
            (new_w,), _ = optimizer.stateless_apply(state, [jnp.float32(1.0)], [jnp.float32(0)])
            return -new_w

        record("optimizer", jax.jit(jax.vmap(applied))(steps))
    else:  # torch: eager, as Keras runs it by default
        lrs = []
        for step in probe:
            optimizer.iterations.assign(step)
            w.assign(0.0)
            optimizer.apply_gradients([(keras.ops.convert_to_tensor(1.0), w)])
            lrs.append(-float(keras.ops.convert_to_numpy(w.value)))
        result["optimizer_probe"] = lrs

    # A small fit: the schedule inside the backend's train step.
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = (x @ rng.normal(size=(8, 1))).astype("float32")
    fit_schedule = Schedule(peak_lr=3e-2, total_steps=40, warmup_steps=8, warmup_start_lr=1e-3)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=WarmcosSchedule(fit_schedule)),
        loss="mse",
        jit_compile=backend == "jax",
    )
    lrs_fit: list[list[float]] = []

    class LogLearningRate(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch: int, logs: object = None) -> None:
            opt = self.model.optimizer
            lrs_fit.append(
                [
                    int(keras.ops.convert_to_numpy(opt.iterations.value)),
                    float(keras.ops.convert_to_numpy(opt.learning_rate)),
                ]
            )

    history = model.fit(x, y, batch_size=32, epochs=5, verbose=0, callbacks=[LogLearningRate()])
    result["fit_lrs"] = lrs_fit
    result["fit_loss"] = [float(v) for v in history.history["loss"]]
    result["fit_jit_compile"] = bool(model.jit_compile)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
