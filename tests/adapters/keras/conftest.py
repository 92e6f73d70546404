"""Keras tests: a runner for the helper scripts that need a fresh Python process.

The in-process tests use the TensorFlow backend (Keras' default); a process whose
``KERAS_BACKEND`` says otherwise skips them. Other backends, a fresh process for loading a
saved model, and two logical CPU devices for ``MirroredStrategy`` each need a new process,
run by :class:`Script`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


class Script:
    """``tests/adapters/keras/<script> OUT_JSON *args`` running in a fresh interpreter."""

    def __init__(self, script: str, out: Path, *args: str, backend: str = "tensorflow") -> None:
        self.name = f"{script} (KERAS_BACKEND={backend})"
        self.out = out
        env = {
            **os.environ,
            "KERAS_BACKEND": backend,
            "TF_CPP_MIN_LOG_LEVEL": "2",  # TensorFlow's C++ start-up chatter, not errors
        }
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / script), str(out), *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def result(self, timeout: float = 300) -> Any:
        """Wait for the script; return the JSON it wrote, or fail with its output."""
        if self.proc.returncode == 0:
            return json.loads(self.out.read_text())
        try:
            stdout, stderr = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            stdout, stderr = self.proc.communicate()
            pytest.fail(f"{self.name} took more than {timeout} s:\n{stderr[-8000:]}")
        if self.proc.returncode != 0:
            pytest.fail(
                f"{self.name} exited with {self.proc.returncode}:\n--- stdout ---\n"
                f"{stdout[-4000:]}\n--- stderr ---\n{stderr[-8000:]}"
            )
        return json.loads(self.out.read_text())

    def stop(self) -> None:
        """Kill the script if it is still running (the session is over)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


@pytest.fixture(scope="session")
def fresh_processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Script]]:
    """The independent fresh-process checks, all started at once to run side by side.

    ``"jax"`` and ``"torch"``: ``backend_check.py`` on that Keras backend; ``"mirrored"``:
    ``mirrored_check.py`` (TensorFlow, 2 logical CPU devices).
    """
    tmp = tmp_path_factory.mktemp("keras-fresh")
    scripts = {
        "jax": Script("backend_check.py", tmp / "jax.json", backend="jax"),
        "torch": Script("backend_check.py", tmp / "torch.json", backend="torch"),
        "mirrored": Script("mirrored_check.py", tmp / "mirrored.json"),
    }
    yield scripts
    for script in scripts.values():
        script.stop()


@pytest.fixture(scope="session")
def start_script() -> Callable[..., Script]:
    """``start_script(script, out_json, *args, backend=...)``: start it; ``.result()`` waits.

    Scripts that do not depend on each other can run side by side (TensorFlow's import alone
    takes seconds of one core).
    """
    return Script


@pytest.fixture(scope="session")
def fit_save_and_reload(
    tmp_path_factory: pytest.TempPathFactory, start_script: Callable[..., Script]
) -> Callable[..., dict[str, Any]]:
    """``fit_save_and_reload(optimizer, epochs_before, epochs_after)``: the saving recipe.

    A small dense model on the digits (1797 in batches of 128: 15 updates an epoch), compiled
    with ``optimizer`` (``jit_compile=True``), fitted ``epochs_before`` epochs while logging
    ``[iterations, learning rate]`` at every batch, saved to ``.keras``, then loaded and fitted
    ``epochs_after`` more epochs by ``load_and_continue.py`` in a fresh process. Returns
    ``model``, ``x``, ``y``, ``before`` (the log) and ``loaded`` (the script's JSON).
    """
    import keras
    import numpy as np
    from sklearn.datasets import load_digits

    def run(optimizer: Any, epochs_before: int, epochs_after: int) -> dict[str, Any]:
        keras.utils.set_random_seed(0)
        x, y = load_digits(return_X_y=True)
        x, y = (x / 16).astype("float32"), y.astype("int32")
        model = keras.Sequential(
            [keras.Input((64,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(10)]
        )
        model.compile(
            optimizer=optimizer,
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            jit_compile=True,
        )
        before: list[list[float]] = []

        def log(batch: int, logs: object) -> None:
            opt = model.optimizer
            before.append([int(opt.iterations.numpy()), float(np.asarray(opt.learning_rate))])

        callback = keras.callbacks.LambdaCallback(on_train_batch_begin=log)
        model.fit(x, y, batch_size=128, epochs=epochs_before, verbose=0, callbacks=[callback])
        path = tmp_path_factory.mktemp("keras") / "digits.keras"
        model.save(path)
        out = path.with_suffix(".json")
        loaded = start_script("load_and_continue.py", out, str(path), str(epochs_after)).result()
        return {"model": model, "x": x, "y": y, "before": before, "loaded": loaded}

    return run
