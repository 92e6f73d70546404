"""Keras (TensorFlow backend): a jit-compiled train step with WarmcosSchedule, and accuracy.

Speed: ``model.train_on_batch`` of a model compiled with ``jit_compile=True`` (XLA): one
256x256 Dense layer with bias, batch 256, MSE, ``keras.optimizers.AdamW``, with the learning
rate from

* ``warmcos.keras.WarmcosSchedule(Schedule(...))``,
* Keras' own ``CosineDecay(warmup_target=...)`` with the same parameters,
* a constant (no schedule at all: the floor),

timed in turn within each repeat (medians over repeats of ``--steps`` steps). Target:
WarmcosSchedule / CosineDecay <= 1.05. The schedule alone: both evaluated under XLA on one
int64 step, 10k times in one compiled loop, to show the raw cost of the formula.

Accuracy: the float32 learning rate of both against mpmath, in ulps of the exact value
rounded to float32 (``np.spacing``) and as relative error, in the last 1% of a 1M-step decay
and in the last 10k steps of a 1e8-step decay (beyond 2**24: a float32 step is quantised to
8 there), through each schedule's ``__call__`` on int64 steps, as the optimizer calls it.

Run: ``.venv/bin/python benchmarks/keras_step.py`` (``--repeats N --steps N`` to change them).
"""

from __future__ import annotations

import argparse
import functools
import os
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import tensorflow as tf

import _common
import warmcos
from warmcos.keras import WarmcosSchedule

SIZE = 256
WIDTH = 28  # of the name column in the timing tables
TOTAL, WARMUP, PEAK, START, FINAL = 1_000_000, 10_000, 1e-3, 1e-5, 0.0


def schedules() -> dict[str, Any]:
    """The two schedules, same parameters: warmup 1e-5 -> 1e-3 over 10k, decay to 0 at 1M."""
    schedule = warmcos.Schedule(
        peak_lr=PEAK, total_steps=TOTAL, warmup_steps=WARMUP, warmup_start_lr=START, final_lr=FINAL
    )
    return {
        "warmcos WarmcosSchedule": WarmcosSchedule(schedule),
        "keras CosineDecay": keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=START,
            decay_steps=TOTAL - WARMUP,
            alpha=FINAL / PEAK,
            warmup_target=PEAK,
            warmup_steps=WARMUP,
        ),
    }


def train_step_timings(repeats: int, steps: int) -> dict[str, float]:
    """Median seconds per jit-compiled train step for each learning-rate variant."""
    variants: dict[str, Any] = {**schedules(), "constant lr (floor)": PEAK}
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(SIZE, SIZE)).astype(np.float32))
    y = tf.constant(rng.normal(size=(SIZE, SIZE)).astype(np.float32))
    models = {}
    for name, lr in variants.items():
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((SIZE,)), keras.layers.Dense(SIZE)])
        model.compile(
            optimizer=keras.optimizers.AdamW(learning_rate=lr, weight_decay=1e-4),
            loss="mse",
            jit_compile=True,
        )
        model.optimizer.build(model.trainable_variables)
        model.optimizer.iterations.assign(20_000)  # in the decay, as most steps are
        models[name] = model

    timings = _common.interleaved_medians(
        {name: functools.partial(model.train_on_batch, x, y) for name, model in models.items()},
        repeats,
        calls=steps,
    )
    assert all(model.jit_compile for model in models.values())  # still XLA after training
    return timings


def schedule_alone_timings(repeats: int, calls: int = 10_000) -> dict[str, float]:
    """Median seconds per call of each schedule on a scalar int64 step, in one XLA loop."""
    fns = {}
    for name, lr in schedules().items():

        @tf.function(jit_compile=True)
        def loop(start: tf.Tensor, lr: Any = lr) -> tf.Tensor:
            total = tf.constant(0.0)
            for i in tf.range(calls, dtype=tf.int64):
                total += lr(start + i)
            return total

        fns[name] = loop
    per_loop = _common.interleaved_medians(  # the warm-up round compiles
        {
            name: (lambda loop=loop: loop(tf.constant(20_000, tf.int64)).numpy())
            for name, loop in fns.items()
        },
        repeats,
    )
    return {name: seconds / calls for name, seconds in per_loop.items()}


@tf.function
def _per_step(fn: Any, steps: tf.Tensor) -> tf.Tensor:
    # CosineDecay uses ops.cond, so it takes one scalar step at a time, as in training.
    return tf.map_fn(fn, steps, fn_output_signature=tf.float32)


def accuracy() -> list[tuple[str, str, dict[str, float]]]:
    cases = [
        ("last 1% of a 1M-step decay", WARMUP, TOTAL, TOTAL - (TOTAL - WARMUP) // 100),
        ("last 10k steps, T = 1e8", 10**6, 10**8, 10**8 - 10_000),
    ]
    rows = []
    for label, w, t, lo in cases:
        schedule = warmcos.Schedule(
            peak_lr=PEAK, total_steps=t, warmup_steps=w, warmup_start_lr=START, final_lr=FINAL
        )
        steps = np.arange(lo, t, dtype=np.int64)  # up to T - 1: the value at T is the floor
        want = _common.exact_decay(schedule, steps)
        keras_cd = keras.optimizers.schedules.CosineDecay(
            START, t - w, alpha=FINAL / PEAK, warmup_target=PEAK, warmup_steps=w
        )
        ours = _per_step(WarmcosSchedule(schedule), tf.constant(steps)).numpy()
        theirs = _per_step(keras_cd, tf.constant(steps)).numpy()
        rows.append((label, "warmcos", _common.float32_errors(ours, want)))
        rows.append((label, "keras", _common.float32_errors(theirs, want)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--steps", type=int, default=100)
    args = parser.parse_args()

    print(
        _common.versions_line(
            f"keras {keras.__version__} ({keras.backend.backend()} backend)",
            f"tensorflow {tf.__version__}",
        )
    )
    devices = ", ".join(d.device_type for d in tf.config.list_physical_devices())
    print(_common.machine_line(f"TF devices: {devices}"))

    timings = train_step_timings(args.repeats, args.steps)
    keras_time = timings["keras CosineDecay"]
    print(
        f"\nXLA AdamW train_on_batch, {SIZE}x{SIZE} Dense, batch {SIZE} "
        f"(median of {args.repeats} x {args.steps} steps)"
    )
    _common.print_step_table(
        timings,
        floor="constant lr (floor)",
        reference="keras CosineDecay",
        column="/ keras",
        width=WIDTH,
    )
    ratio = timings["warmcos WarmcosSchedule"] / keras_time
    print(f"WarmcosSchedule / CosineDecay = {ratio:.3f} (target <= 1.05)")

    alone = schedule_alone_timings(args.repeats)
    print(f"\nthe schedule alone: one int64 step, 10k calls in one XLA loop ({args.repeats} runs)")
    for name, seconds in alone.items():
        print(f"{name:<{WIDTH}} {seconds * 1e9:>9.1f} ns/call")
    ratio = alone["warmcos WarmcosSchedule"] / alone["keras CosineDecay"]
    print(f"WarmcosSchedule / CosineDecay = {ratio:.3f} (no target: noise inside a train step)")

    print(
        f"\nfloat32 accuracy against mpmath (peak {PEAK:g}, start {START:g}, final {FINAL:g}), "
        "ulps of the exact value"
    )
    _common.print_accuracy_table(accuracy())


if __name__ == "__main__":
    main()
