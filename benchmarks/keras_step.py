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
import os
import platform
import statistics
import time
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import mpmath
import numpy as np
import tensorflow as tf

import warmcos
from warmcos.keras import WarmcosSchedule

SIZE = 256
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

    def run(model: keras.Model) -> None:
        for _ in range(steps):
            model.train_on_batch(x, y)

    for model in models.values():
        run(model)  # compile and warm up
        assert model.jit_compile
    times: dict[str, list[float]] = {name: [] for name in models}
    for _ in range(repeats):
        for name, model in models.items():
            start = time.perf_counter()
            run(model)
            times[name].append((time.perf_counter() - start) / steps)
    return {name: statistics.median(t) for name, t in times.items()}


def schedule_alone_timings(repeats: int, calls: int = 10_000) -> dict[str, float]:
    """Median seconds per call of each schedule on a scalar int64 step, in one XLA loop."""
    timings = {}
    fns = {}
    for name, lr in schedules().items():

        @tf.function(jit_compile=True)
        def loop(start: tf.Tensor, lr: Any = lr) -> tf.Tensor:
            total = tf.constant(0.0)
            for i in tf.range(calls, dtype=tf.int64):
                total += lr(start + i)
            return total

        loop(tf.constant(20_000, tf.int64))  # compile
        fns[name] = loop
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            begin = time.perf_counter()
            fn(tf.constant(20_000, tf.int64)).numpy()
            times[name].append((time.perf_counter() - begin) / calls)
    for name, t in times.items():
        timings[name] = statistics.median(t)
    return timings


def exact(steps: np.ndarray, total: int, warmup: int) -> np.ndarray:
    """Exact decay values (``sin²`` form: no cancellation), 113 bits, as float64."""
    peak, final = mpmath.mpf(PEAK), mpmath.mpf(FINAL)
    with mpmath.workprec(113):
        half_pi = mpmath.pi / 2
        values = [
            final
            + (peak - final) * mpmath.sin(half_pi * mpmath.mpf(total - s) / (total - warmup)) ** 2
            for s in steps.tolist()
        ]
    return np.array([float(v) for v in values])


def errors(got: Any, want: np.ndarray) -> dict[str, float]:
    """Worst and median float32 ulps (``np.spacing`` of the rounded exact value), worst rel."""
    got = np.asarray(got, np.float64)
    want32 = want.astype(np.float32)
    ulps = np.abs(got - want32) / np.spacing(np.abs(want32)).astype(np.float64)
    rel = np.abs(got - want) / np.abs(want)
    return {
        "max_ulps": float(ulps.max()),
        "median_ulps": float(np.median(ulps)),
        "max_rel": float(rel.max()),
        "zeros_before_T": int(np.sum(got == 0)),
    }


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
        want = exact(steps, t, w)
        keras_cd = keras.optimizers.schedules.CosineDecay(
            START, t - w, alpha=FINAL / PEAK, warmup_target=PEAK, warmup_steps=w
        )
        ours = _per_step(WarmcosSchedule(schedule), tf.constant(steps)).numpy()
        theirs = _per_step(keras_cd, tf.constant(steps)).numpy()
        rows.append((label, "warmcos", errors(ours, want)))
        rows.append((label, "keras", errors(theirs, want)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--steps", type=int, default=100)
    args = parser.parse_args()

    print(
        f"warmcos {warmcos.__version__}, keras {keras.__version__} "
        f"({keras.backend.backend()} backend), tensorflow {tf.__version__}, "
        f"numpy {np.__version__}, Python {platform.python_version()}"
    )
    devices = ", ".join(d.device_type for d in tf.config.list_physical_devices())
    print(f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs, TF devices: {devices}")

    timings = train_step_timings(args.repeats, args.steps)
    base = timings["constant lr (floor)"]
    keras_time = timings["keras CosineDecay"]
    print(
        f"\nXLA AdamW train_on_batch, {SIZE}x{SIZE} Dense, batch {SIZE} "
        f"(median of {args.repeats} x {args.steps} steps)"
    )
    print(f"{'learning rate':<28} {'us/step':>9} {'/ constant':>11} {'/ keras':>9}")
    for name, seconds in timings.items():
        print(
            f"{name:<28} {seconds * 1e6:>9.1f} {seconds / base:>10.3f}x "
            f"{seconds / keras_time:>8.3f}x"
        )
    ratio = timings["warmcos WarmcosSchedule"] / keras_time
    print(f"WarmcosSchedule / CosineDecay = {ratio:.3f} (target <= 1.05)")

    alone = schedule_alone_timings(args.repeats)
    print(f"\nthe schedule alone: one int64 step, 10k calls in one XLA loop ({args.repeats} runs)")
    for name, seconds in alone.items():
        print(f"{name:<28} {seconds * 1e9:>9.1f} ns/call")
    ratio = alone["warmcos WarmcosSchedule"] / alone["keras CosineDecay"]
    print(f"WarmcosSchedule / CosineDecay = {ratio:.3f} (no target: noise inside a train step)")

    print(
        f"\nfloat32 accuracy against mpmath (peak {PEAK:g}, start {START:g}, final {FINAL:g}), "
        "ulps of the exact value"
    )
    print(
        f"{'where':<28} {'schedule':<9} {'max ulps':>10} {'median':>8} {'max rel err':>12} "
        f"{'0 before T':>11}"
    )
    for label, who, e in accuracy():
        print(
            f"{label:<28} {who:<9} {e['max_ulps']:>10.4g} {e['median_ulps']:>8.3g} "
            f"{e['max_rel']:>12.3g} {e['zeros_before_T']:>11}"
        )


if __name__ == "__main__":
    main()
