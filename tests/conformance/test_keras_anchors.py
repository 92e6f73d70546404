"""Conformance with the Keras/TensorFlow anchors: Keras' CosineDecay and the TF-TPU reference.

Both anchors run for real: Keras' own ``keras.optimizers.schedules.CosineDecay``, and the
TF-TPU reference function, verbatim in ``tests/tpu_reference.py`` (it is not in any installable
package).

* Away from the tail, warmcos equals both within float32 tolerance: 4 float32 ulps of the
  largest learning rate, absolute (``tests/data/README.md``; the anchors' own float32
  arithmetic is off by up to 3).
* In the last 1% of the decay and at steps beyond ``2**24`` the anchors lose precision
  (``cos(x) + 1`` cancels; float32 steps) and warmcos does not: measured against mpmath.
* The reference function, called with the reference's own arguments on a ``tf.Variable``
  global step, is a drop-in replacement for the original in a TF training loop.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
from collections.abc import Callable
from typing import Any

import keras
import numpy as np
import pytest
import tensorflow as tf

import warmcos
from conftest import DATA
from exact import exact_lrs as exact
from tpu_reference import tpu_reference
from warmcos import Schedule
from warmcos.keras import WarmcosSchedule

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="the Keras anchors are compared on the TensorFlow backend",
)

GOLDEN_CSV = DATA / "seed_tf_float32.csv"


def read_golden() -> dict[str, dict[str, Any]]:
    """The seed CSV (TF 2.21, float32), grouped by case."""
    cases: dict[str, dict[str, Any]] = {}
    with GOLDEN_CSV.open(newline="") as f:
        for row in csv.DictReader(f):
            case = cases.setdefault(
                row["case"],
                {
                    "init_learning_rate": float(row["init_learning_rate"]),
                    "warmup_learning_rate": float(row["warmup_learning_rate"]),
                    "warmup_steps": int(row["warmup_steps"]),
                    "total_steps": int(row["total_steps"]),
                    "steps": [],
                    "values": [],
                },
            )
            case["steps"].append(int(row["global_step"]))
            case["values"].append(float(row["learning_rate_float32"]))
    return cases


GOLDEN = read_golden()
CASES = sorted(GOLDEN)


def args_of(case: str) -> tuple[float, float, int, int]:
    c = GOLDEN[case]
    return (
        c["init_learning_rate"],
        c["warmup_learning_rate"],
        c["warmup_steps"],
        c["total_steps"],
    )


def tolerance(*lrs: float) -> float:
    """Float32 tolerance: 4 ulps of the largest learning rate, absolute."""
    return 4 * float(np.spacing(np.float32(max(lrs))))


def keras_cosine_decay(schedule: Schedule) -> keras.optimizers.schedules.CosineDecay:
    """Keras' own CosineDecay with the parameters that describe ``schedule``."""
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=schedule.warmup_start_lr,
        decay_steps=schedule.total_steps - schedule.warmup_steps,
        alpha=schedule.final_lr / schedule.peak_lr,
        warmup_target=schedule.peak_lr,
        warmup_steps=schedule.warmup_steps,
    )


@tf.function
def _map_scalar(fn: Callable[[tf.Tensor], tf.Tensor], steps: tf.Tensor) -> tf.Tensor:
    return tf.map_fn(fn, steps, fn_output_signature=tf.float32)


def per_step(fn: Callable[[tf.Tensor], tf.Tensor], steps: np.ndarray) -> np.ndarray:
    """``fn`` called on each scalar int64 step (CosineDecay uses ``cond``, so no vectors)."""
    return _map_scalar(fn, tf.constant(steps, tf.int64)).numpy()


def ulps(actual: Any, expected: Any) -> np.ndarray:
    a = np.asarray(actual, dtype=np.float32) + np.float32(0)
    e = np.asarray(expected, dtype=np.float64).astype(np.float32)
    return np.abs(a.view(np.int32).astype(np.int64) - e.view(np.int32).astype(np.int64))


# -- the TF-TPU reference ---------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_verbatim_reference_reproduces_the_golden_file(case: str) -> None:
    # tests/tpu_reference.py holds the function that produced tests/data/seed_tf_float32.csv.
    c = GOLDEN[case]
    got = tpu_reference(tf.constant(c["steps"], tf.int64), *args_of(case)).numpy()
    np.testing.assert_array_equal(got, np.float32(c["values"]))


@pytest.mark.parametrize("case", CASES)
def test_reference_function_matches_the_original_at_every_step(case: str) -> None:
    init_lr, warmup_lr, w, t = args_of(case)
    steps = tf.range(2 * t + 1, dtype=tf.int64)  # through the rise past T, back at the peak
    original = tpu_reference(steps, init_lr, warmup_lr, w, t).numpy()
    ours = warmcos.cosine_learning_rate_with_linear_warmup(steps, init_lr, warmup_lr, w, t)
    assert isinstance(ours, tf.Tensor)
    assert ours.dtype == tf.float32
    # Past T the reference's float32 angle grows beyond pi and its own error with it
    # (measured against float64: up to 2.2 ulps of the peak up to T, 4.7 past it).
    tol = np.where(np.arange(2 * t + 1) <= t, 1.0, 1.5) * tolerance(init_lr, warmup_lr)
    assert (np.abs(ours.numpy() - original) <= tol).all()
    # The Keras schedule with the reference's policy is the same thing.
    schedule = Schedule(
        peak_lr=init_lr, total_steps=t, warmup_steps=w, warmup_start_lr=warmup_lr, after="wrap"
    )
    keras_lr = tf.function(WarmcosSchedule(schedule), jit_compile=True)(steps).numpy()
    assert (np.abs(keras_lr - original) <= tol).all()


def test_reference_is_a_drop_in_replacement_in_a_tf_training_loop() -> None:
    # As the TPU models use it: a partial with the reference's own keyword arguments, called
    # on the tf.Variable global step inside the training step; SGD on a linear model.
    params = {
        "init_learning_rate": 0.08,
        "warmup_learning_rate": 0.008,
        "warmup_steps": 10,
        "total_steps": 100,
    }
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(64, 4)), tf.float32)
    y = x @ tf.constant(rng.normal(size=(4, 1)), tf.float32)

    def train(lr_fn: Callable[..., Any], num_steps: int = 120) -> tuple[np.ndarray, np.ndarray]:
        global_step = tf.Variable(0, dtype=tf.int64, trainable=False)
        weights = tf.Variable(tf.zeros([4, 1]))

        @tf.function
        def train_step() -> tf.Tensor:
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((x @ weights - y) ** 2)
            learning_rate = lr_fn(global_step)
            weights.assign_sub(learning_rate * tape.gradient(loss, weights))
            global_step.assign_add(1)
            return learning_rate

        lrs = np.array([train_step().numpy() for _ in range(num_steps)])
        assert int(global_step.numpy()) == num_steps
        return lrs, weights.numpy()

    original_lrs, original_weights = train(functools.partial(tpu_reference, **params))
    lrs, weights = train(
        functools.partial(warmcos.cosine_learning_rate_with_linear_warmup, **params)
    )
    np.testing.assert_allclose(lrs, original_lrs, rtol=0, atol=tolerance(0.08))
    assert (np.diff(lrs[100:]) > 0).all()  # the rise past total_steps is kept (after="wrap")
    np.testing.assert_allclose(weights, original_weights, rtol=1e-5, atol=1e-6)


def test_the_generator_rewrites_the_golden_file_byte_for_byte() -> None:
    # tests/data/make_seed_golden.py, run here: same steps, same formatting, same TF result.
    spec = importlib.util.spec_from_file_location("make_seed_golden", DATA / "make_seed_golden.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render().encode() == GOLDEN_CSV.read_bytes()


# -- Keras' CosineDecay(warmup_target=...) --------------------------------------------------------

KERAS_CASES = {
    "rising": Schedule(
        peak_lr=1e-3, total_steps=10_000, warmup_steps=500, warmup_start_lr=1e-5, final_lr=1e-5
    ),
    "falling": Schedule(peak_lr=0.05, total_steps=5_000, warmup_steps=200, warmup_start_lr=0.2),
    "no_warmup": Schedule(peak_lr=0.4, total_steps=4_000, final_lr=0.04),
    "one_step_decay": Schedule(peak_lr=0.2, total_steps=10, warmup_steps=9),
}


@pytest.mark.parametrize("name", sorted(KERAS_CASES))
def test_matches_keras_cosine_decay_at_every_step(name: str) -> None:
    schedule = KERAS_CASES[name]
    steps = np.arange(schedule.total_steps + 100)  # Keras holds the final value past the end
    theirs = per_step(keras_cosine_decay(schedule), steps)
    ours = WarmcosSchedule(schedule)(tf.constant(steps)).numpy()
    tol = tolerance(schedule.peak_lr, schedule.warmup_start_lr)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=tol)
    # Inside a jit-compiled function, as in a compiled train step, too.
    compiled = tf.function(WarmcosSchedule(schedule), jit_compile=True)(tf.constant(steps))
    np.testing.assert_allclose(compiled.numpy(), theirs, rtol=0, atol=tol)


# -- where the anchors lose precision and warmcos does not --------------------------------------


def test_last_percent_of_the_decay_anchors_cancel_warmcos_is_exact() -> None:
    # The bert-like case of the golden file: T = 1M, w = 10k.
    schedule = Schedule(peak_lr=1e-4, total_steps=1_000_000, warmup_steps=10_000)
    steps = np.arange(990_100, 1_000_000)  # the last 1% of the decay, before the end
    expected = exact(schedule, steps)
    ours = WarmcosSchedule(schedule)(tf.constant(steps)).numpy()
    assert ulps(ours, expected).max() <= 8
    assert (ours > 0).all()
    for anchor in (
        per_step(keras_cosine_decay(schedule), steps),
        tpu_reference(tf.constant(steps), 1e-4, 0.0, 10_000, 1_000_000).numpy(),
    ):
        relative = np.abs(anchor.astype(np.float64) - expected) / expected
        assert (anchor[-50:] == 0).any()  # the true rate is positive, theirs is 0
        assert relative.max() > 0.5
        assert np.median(relative) > 1e-4  # thousands of ulps, across the whole last 1%


def test_beyond_2_24_anchors_quantise_the_step_warmcos_does_not() -> None:
    # At 2**26 consecutive float32 numbers are 8 apart: the anchors cast the step to float32.
    t = 2**26
    schedule = Schedule(peak_lr=0.1, total_steps=t, warmup_steps=2**20)
    steps = np.arange(t - 16, t)
    expected = exact(schedule, steps)
    ours = WarmcosSchedule(schedule)(tf.constant(steps)).numpy()
    assert ulps(ours, expected).max() <= 8
    assert len(np.unique(ours)) == len(steps)
    theirs = per_step(keras_cosine_decay(schedule), steps)
    assert len(np.unique(theirs)) <= 3  # a staircase: 16 steps, at most 3 distinct values
    reference = tpu_reference(tf.constant(steps), 0.1, 0.0, 2**20, t).numpy()
    assert len(np.unique(reference)) <= 3
