"""JAX / optax: a jit-compiled AdamW train step with the warmcos schedule, and float32 accuracy.

Speed: one ``jax.jit``-compiled train step (a 256x256 linear layer with bias, batch 256, MSE,
``optax.adamw``) with the learning rate from

* ``warmcos.jax.optax_schedule(Schedule(...))``,
* optax's own ``warmup_cosine_decay_schedule`` with the same parameters,
* a constant (no schedule at all: the floor),

timed in turn within each repeat (medians over repeats of ``--steps`` steps). SPEC §5 target:
warmcos / optax <= 1.05.

The schedule alone: both evaluated on 1M counts in one jit call, to show the raw cost of the
formula (more operations than optax's: both phases, the after-end policy, NaN for invalid
counts) apart from any training.

Accuracy: the float32 learning rate of both schedules against mpmath (113 bits), in ulps of
the exact value rounded to float32 and as relative error, in the last 1% of a 1M-step decay,
at counts near 1e8 in the middle of a 2e8-step decay, and in the last 10k counts of a 1e8-step
decay (where a float32 count is quantised to 8 steps).

Run: ``.venv/bin/python benchmarks/jax_step.py`` (``--repeats N --steps N`` to change them).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from typing import Any

import jax
import mpmath
import numpy as np
import optax
from jax import numpy as jnp

import warmcos
from warmcos.jax import optax_schedule

SIZE = 256


def train_step_timings(repeats: int, steps: int) -> dict[str, float]:
    """Median seconds per train step for each learning-rate variant."""
    total = 1_000_000
    schedule = warmcos.Schedule(
        peak_lr=1e-3, total_steps=total, warmup_steps=10_000, warmup_start_lr=1e-5, final_lr=1e-5
    )
    variants: dict[str, optax.ScalarOrSchedule] = {
        "warmcos optax_schedule": optax_schedule(schedule),
        "optax warmup_cosine_decay_schedule": optax.warmup_cosine_decay_schedule(
            init_value=1e-5, peak_value=1e-3, warmup_steps=10_000, decay_steps=total, end_value=1e-5
        ),
        "constant lr (floor)": 1e-3,
    }
    rng = np.random.default_rng(0)
    x = jnp.asarray(rng.normal(size=(SIZE, SIZE)).astype(np.float32))
    y = jnp.asarray(rng.normal(size=(SIZE, SIZE)).astype(np.float32))

    runs: dict[str, Any] = {}
    for name, lr in variants.items():
        optimizer = optax.adamw(lr, weight_decay=1e-4)

        def step(params: Any, state: Any, optimizer: Any = optimizer) -> Any:
            def loss_fn(p: Any) -> jax.Array:
                return jnp.mean((x @ p["w"] + p["b"] - y) ** 2)

            loss, grads = jax.value_and_grad(loss_fn)(params)
            updates, state = optimizer.update(grads, state, params)
            return optax.apply_updates(params, updates), state, loss

        params = {"w": jnp.zeros((SIZE, SIZE)), "b": jnp.zeros((SIZE,))}
        runs[name] = [jax.jit(step, donate_argnums=(0, 1)), params, optimizer.init(params)]

    def run(name: str) -> None:
        compiled, params, state = runs[name]
        for _ in range(steps):
            params, state, loss = compiled(params, state)
        loss.block_until_ready()
        runs[name][1:] = params, state

    for name in runs:
        run(name)  # compile and warm up
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name in runs:
            start = time.perf_counter()
            run(name)
            times[name].append((time.perf_counter() - start) / steps)
    return {name: statistics.median(t) for name, t in times.items()}


def schedule_alone_timings(repeats: int) -> dict[str, float]:
    """Median seconds to evaluate each schedule on 1M int32 counts under jit (no training)."""
    total = 1_000_000
    schedule = warmcos.Schedule(
        peak_lr=1e-3, total_steps=total, warmup_steps=10_000, warmup_start_lr=1e-5, final_lr=1e-5
    )
    fns = {
        "warmcos optax_schedule": jax.jit(optax_schedule(schedule)),
        "optax warmup_cosine_decay_schedule": jax.jit(
            optax.warmup_cosine_decay_schedule(
                init_value=1e-5,
                peak_value=1e-3,
                warmup_steps=10_000,
                decay_steps=total,
                end_value=1e-5,
            )
        ),
    }
    counts = jnp.arange(total, dtype=jnp.int32)
    for fn in fns.values():
        fn(counts).block_until_ready()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn(counts).block_until_ready()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def exact(schedule: warmcos.Schedule, steps: np.ndarray) -> np.ndarray:
    """Exact decay values (``sin²`` form: no cancellation), 113 bits, as float64."""
    w, t = schedule.warmup_steps, schedule.total_steps
    peak, final = mpmath.mpf(schedule.peak_lr), mpmath.mpf(schedule.final_lr)
    with mpmath.workprec(113):
        half_pi = mpmath.pi / 2
        values = [
            final + (peak - final) * mpmath.sin(half_pi * mpmath.mpf(t - s) / (t - w)) ** 2
            for s in steps.tolist()
        ]
    return np.array([float(v) for v in values])


def errors(got: Any, want: np.ndarray) -> dict[str, float]:
    """Worst and median float32 ulps (``np.spacing`` of the rounded exact value), worst rel."""
    got = np.asarray(got, np.float64)
    want32 = want.astype(np.float32)
    nonzero = want != 0
    ulps = np.abs(got - want32) / np.spacing(np.abs(want32)).astype(np.float64)
    rel = np.abs(got[nonzero] - want[nonzero]) / np.abs(want[nonzero])
    return {
        "max_ulps": float(ulps.max()),
        "median_ulps": float(np.median(ulps)),
        "max_rel": float(rel.max()),
        "zeros_before_T": int(np.sum((got == 0) & nonzero)),
    }


def accuracy() -> list[tuple[str, str, dict[str, float]]]:
    cases = [
        ("last 1% of a 1M-step decay", 10_000, 10**6, 990_000, 10**6),
        ("counts 1e8 +- 2000, T = 2e8", 10**6, 2 * 10**8, 10**8 - 2000, 10**8 + 2000),
        ("last 10k counts, T = 1e8", 10**6, 10**8, 10**8 - 10_000, 10**8),
    ]
    rows = []
    for label, w, t, lo, hi in cases:
        schedule = warmcos.Schedule(peak_lr=3e-4, total_steps=t, warmup_steps=w)
        steps = np.arange(lo, hi + 1, dtype=np.int32)
        want = exact(schedule, steps)
        ours = jax.jit(optax_schedule(schedule))(jnp.asarray(steps))
        theirs = jax.jit(
            optax.warmup_cosine_decay_schedule(
                init_value=0.0, peak_value=3e-4, warmup_steps=w, decay_steps=t, end_value=0.0
            )
        )(jnp.asarray(steps))
        rows.append((label, "warmcos", errors(ours, want)))
        rows.append((label, "optax", errors(theirs, want)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--steps", type=int, default=100)
    args = parser.parse_args()

    print(
        f"warmcos {warmcos.__version__}, jax {jax.__version__}, optax {optax.__version__}, "
        f"numpy {np.__version__}, Python {platform.python_version()}"
    )
    print(
        f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs, "
        f"JAX device: {jax.devices()[0].device_kind} ({jax.default_backend()})"
    )
    timings = train_step_timings(args.repeats, args.steps)
    base = timings["constant lr (floor)"]
    optax_time = timings["optax warmup_cosine_decay_schedule"]
    print(
        f"\njit AdamW train step, {SIZE}x{SIZE} linear layer, batch {SIZE} "
        f"(median of {args.repeats} x {args.steps} steps)"
    )
    print(f"{'learning rate':<38} {'us/step':>9} {'/ constant':>11} {'/ optax':>9}")
    for name, seconds in timings.items():
        print(
            f"{name:<38} {seconds * 1e6:>9.1f} {seconds / base:>10.3f}x "
            f"{seconds / optax_time:>8.3f}x"
        )
    ratio = timings["warmcos optax_schedule"] / optax_time
    print(f"warmcos / optax = {ratio:.3f} (target <= 1.05)")

    alone = schedule_alone_timings(args.repeats)
    print(f"\nthe schedule alone: 1M int32 counts in one jit call (median of {args.repeats})")
    for name, seconds in alone.items():
        print(f"{name:<38} {seconds * 1e3:>9.2f} ms")
    ratio = alone["warmcos optax_schedule"] / alone["optax warmup_cosine_decay_schedule"]
    print(f"warmcos / optax = {ratio:.3f} (no target: inside a train step this is noise)")

    print("\nfloat32 accuracy against mpmath (peak 3e-4, final 0), ulps of the exact value")
    print(
        f"{'where':<30} {'schedule':<9} {'max ulps':>12} {'median':>8} {'max rel err':>12} "
        f"{'0 before T':>11}"
    )
    for label, who, e in accuracy():
        print(
            f"{label:<30} {who:<9} {e['max_ulps']:>12.4g} {e['median_ulps']:>8.3g} "
            f"{e['max_rel']:>12.3g} {e['zeros_before_T']:>11}"
        )


if __name__ == "__main__":
    main()
