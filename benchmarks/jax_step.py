"""JAX / optax: a jit-compiled AdamW train step with the warmcos schedule, and float32 accuracy.

Speed: one ``jax.jit``-compiled train step (a 256x256 linear layer with bias, batch 256, MSE,
``optax.adamw``) with the learning rate from

* ``warmcos.jax.optax_schedule(Schedule(...))``,
* optax's own ``warmup_cosine_decay_schedule`` with the same parameters,
* a constant (no schedule at all: the floor),

timed in turn within each repeat (medians over repeats of ``--steps`` steps). the project's target:
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
import functools
from typing import TYPE_CHECKING, Any

import jax
import numpy as np
import optax
from jax import numpy as jnp

import _common
import warmcos
from warmcos.jax import optax_schedule

if TYPE_CHECKING:
    from collections.abc import Callable

SIZE = 256
WIDTH = 38  # of the name column in the timing tables


def schedules() -> dict[str, Any]:
    """The two schedules, same parameters: warmup 1e-5 -> 1e-3 over 10k, decay to 1e-5 at 1M."""
    total = 1_000_000
    schedule = warmcos.Schedule(
        peak_lr=1e-3, total_steps=total, warmup_steps=10_000, warmup_start_lr=1e-5, final_lr=1e-5
    )
    return {
        "warmcos optax_schedule": optax_schedule(schedule),
        "optax warmup_cosine_decay_schedule": optax.warmup_cosine_decay_schedule(
            init_value=1e-5, peak_value=1e-3, warmup_steps=10_000, decay_steps=total, end_value=1e-5
        ),
    }


def train_step_timings(repeats: int, steps: int) -> dict[str, float]:
    """Median seconds per train step for each learning-rate variant."""
    variants: dict[str, optax.ScalarOrSchedule] = {**schedules(), "constant lr (floor)": 1e-3}
    rng = np.random.default_rng(0)
    x = jnp.asarray(rng.normal(size=(SIZE, SIZE)).astype(np.float32))
    y = jnp.asarray(rng.normal(size=(SIZE, SIZE)).astype(np.float32))

    def train_step(lr: optax.ScalarOrSchedule) -> Callable[[], jax.Array]:
        """A callable: each call is one train step of its own model; returns the loss.

        The loss comes back before the step is done (JAX dispatches asynchronously): the timing
        blocks on the last one of each repeat.
        """
        optimizer = optax.adamw(lr, weight_decay=1e-4)

        def step(params: Any, state: Any) -> Any:
            def loss_fn(p: Any) -> jax.Array:
                return jnp.mean((x @ p["w"] + p["b"] - y) ** 2)

            loss, grads = jax.value_and_grad(loss_fn)(params)
            updates, state = optimizer.update(grads, state, params)
            return optax.apply_updates(params, updates), state, loss

        compiled = jax.jit(step, donate_argnums=(0, 1))
        params = {"w": jnp.zeros((SIZE, SIZE)), "b": jnp.zeros((SIZE,))}
        carry = [params, optimizer.init(params)]

        def call() -> jax.Array:
            carry[0], carry[1], loss = compiled(*carry)
            return loss

        return call

    return _common.interleaved_medians(
        {name: train_step(lr) for name, lr in variants.items()},
        repeats,
        calls=steps,
        block=lambda loss: loss.block_until_ready(),
    )


def schedule_alone_timings(repeats: int) -> dict[str, float]:
    """Median seconds to evaluate each schedule on 1M int32 counts under jit (no training)."""
    counts = jnp.arange(1_000_000, dtype=jnp.int32)
    return _common.interleaved_medians(
        {name: functools.partial(jax.jit(fn), counts) for name, fn in schedules().items()},
        repeats,
        block=lambda out: out.block_until_ready(),
    )


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
        want = _common.exact_decay(schedule, steps)
        ours = jax.jit(optax_schedule(schedule))(jnp.asarray(steps))
        theirs = jax.jit(
            optax.warmup_cosine_decay_schedule(
                init_value=0.0, peak_value=3e-4, warmup_steps=w, decay_steps=t, end_value=0.0
            )
        )(jnp.asarray(steps))
        rows.append((label, "warmcos", _common.float32_errors(ours, want)))
        rows.append((label, "optax", _common.float32_errors(theirs, want)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--steps", type=int, default=100)
    args = parser.parse_args()

    print(_common.versions_line(f"jax {jax.__version__}", f"optax {optax.__version__}"))
    print(
        _common.machine_line(
            f"JAX device: {jax.devices()[0].device_kind} ({jax.default_backend()})"
        )
    )
    timings = train_step_timings(args.repeats, args.steps)
    optax_time = timings["optax warmup_cosine_decay_schedule"]
    print(
        f"\njit AdamW train step, {SIZE}x{SIZE} linear layer, batch {SIZE} "
        f"(median of {args.repeats} x {args.steps} steps)"
    )
    _common.print_step_table(
        timings,
        floor="constant lr (floor)",
        reference="optax warmup_cosine_decay_schedule",
        column="/ optax",
        width=WIDTH,
    )
    ratio = timings["warmcos optax_schedule"] / optax_time
    print(f"warmcos / optax = {ratio:.3f} (target <= 1.05)")

    alone = schedule_alone_timings(args.repeats)
    print(f"\nthe schedule alone: 1M int32 counts in one jit call (median of {args.repeats})")
    for name, seconds in alone.items():
        print(f"{name:<{WIDTH}} {seconds * 1e3:>9.2f} ms")
    ratio = alone["warmcos optax_schedule"] / alone["optax warmup_cosine_decay_schedule"]
    print(f"warmcos / optax = {ratio:.3f} (no target: inside a train step this is noise)")

    print("\nfloat32 accuracy against mpmath (peak 3e-4, final 0), ulps of the exact value")
    _common.print_accuracy_table(accuracy())


if __name__ == "__main__":
    main()
