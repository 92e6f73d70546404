"""Fresh process: load a saved ``.keras`` model that uses WarmcosSchedule and keep training.

Run by ``test_keras_saving.py``: ``python load_and_continue.py OUT_JSON MODEL EPOCHS``. It first
tries ``keras.models.load_model`` before anything of warmcos is imported (recording what Keras
says), then imports ``warmcos.keras`` and loads with no ``custom_objects``, then continues
fitting on the same data, logging the learning rate the optimizer uses at every batch.
"""

from __future__ import annotations

import json
import sys
import warnings


def main() -> None:
    out_path, model_path, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    import keras
    import numpy as np
    from sklearn.datasets import load_digits

    result: dict[str, object] = {"backend": keras.backend.backend()}
    assert not any(name.startswith("warmcos") for name in sys.modules)
    try:
        keras.models.load_model(model_path)
    except Exception as error:  # what a process that never imported warmcos.keras gets
        result["plain_load_error"] = [type(error).__name__, str(error)]
    else:
        result["plain_load_error"] = None

    import warmcos.keras  # noqa: F401 - registers "warmcos>WarmcosSchedule" with Keras

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = keras.models.load_model(model_path)
    result["load_warnings"] = [str(w.message) for w in caught]

    x, y = load_digits(return_X_y=True)
    x, y = (x / 16).astype("float32"), y.astype("int32")
    optimizer = model.optimizer
    schedule = optimizer._learning_rate
    result["schedule_type"] = f"{type(schedule).__module__}.{type(schedule).__qualname__}"
    result["schedule_config"] = schedule.get_config()
    result["iterations_at_load"] = int(optimizer.iterations.numpy())
    result["jit_compile"] = bool(model.jit_compile)
    logits = model.predict(x, verbose=0)
    result["predictions"] = logits[:64].tolist()
    result["accuracy_at_load"] = float(np.mean(logits.argmax(axis=1) == y))

    lrs: list[list[float]] = []

    class LogLearningRate(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch: int, logs: object = None) -> None:
            opt = self.model.optimizer
            lrs.append([int(opt.iterations.numpy()), float(np.asarray(opt.learning_rate))])

    model.fit(x, y, batch_size=128, epochs=epochs, verbose=0, callbacks=[LogLearningRate()])
    result["lrs"] = lrs
    result["iterations_at_end"] = int(optimizer.iterations.numpy())
    result["accuracy_at_end"] = float(np.mean(model.predict(x, verbose=0).argmax(axis=1) == y))
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
