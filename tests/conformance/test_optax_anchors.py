"""Conformance against the real optax: ``warmup_cosine_decay_schedule`` and an adamw run.

``optax.warmup_cosine_decay_schedule(init_value, peak_value, warmup_steps, decay_steps,
end_value)`` is ``Schedule(peak_lr=peak_value, total_steps=decay_steps,
warmup_steps=warmup_steps, warmup_start_lr=init_value, final_lr=end_value)``: optax's
``decay_steps`` includes the warmup, like ``total_steps``. Both clamp after the end.

optax computes ``(1 + cos(pi * p)) / 2`` in float32, so its absolute error is a few float32
ulps of the largest rate everywhere, and its *relative* error grows without bound in the last
steps of the decay (the tail), where the value goes to ``end_value``. The comparison is
therefore absolute everywhere and relative away from the tail. How far optax is from the
exact value in the tail is shown by ``benchmarks/jax_step.py``, not asserted here.
"""

from __future__ import annotations

import pickle

import jax
import numpy as np
import optax
import pytest
from jax import numpy as jnp

from warmcos import Schedule
from warmcos.jax import optax_schedule

EPS32 = 2.0**-23

# (init_value, peak_value, warmup_steps, decay_steps, end_value)
CASES = {
    "toy": (0.1, 1.0, 4, 10, 0.0),
    "floor": (1e-5, 3e-4, 500, 10_000, 3e-6),
    "no-warmup": (0.0, 1e-3, 0, 5_000, 0.0),
    "falling-warmup": (0.5, 0.1, 100, 2_000, 0.01),
    "long": (1e-6, 2e-3, 2_000, 200_000, 2e-5),
}


def both(case: str) -> tuple[Schedule, optax.Schedule]:
    init, peak, w, t, end = CASES[case]
    ours = Schedule(peak_lr=peak, total_steps=t, warmup_steps=w, warmup_start_lr=init, final_lr=end)
    theirs = optax.warmup_cosine_decay_schedule(
        init_value=init, peak_value=peak, warmup_steps=w, decay_steps=t, end_value=end
    )
    return ours, theirs


@pytest.mark.parametrize("case", list(CASES))
def test_same_values_as_optax_warmup_cosine_decay_schedule(case: str) -> None:
    sch, reference = both(case)
    t, w = sch.total_steps, sch.warmup_steps
    counts = jnp.arange(t + 100, dtype=jnp.int32)  # and 100 steps past the end (both clamp)
    ours = np.asarray(jax.jit(optax_schedule(sch))(counts), np.float64)
    theirs = np.asarray(jax.jit(reference)(counts), np.float64)
    scale = max(sch.peak_lr, sch.warmup_start_lr)
    # everywhere: within optax's float32 rounding, a few ulps of the largest rate
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=4 * EPS32 * scale)
    # away from the tail (the decay still >= 1% above end_value): relative agreement too
    exact = sch.curve(t + 100)
    away = (exact - sch.final_lr) >= 0.01 * (sch.peak_lr - sch.final_lr)
    away |= np.arange(t + 100) < w
    np.testing.assert_allclose(ours[away], theirs[away], rtol=1e-4)
    # the conventions: start at step 0, peak at step w, end at step T and after
    for c in (0, w, t, t + 99):
        assert abs(ours[c] - theirs[c]) <= 2 * EPS32 * scale, c
    assert ours[0] == np.float32(sch.warmup_start_lr) or w == 0
    assert ours[w] == np.float32(sch.peak_lr)
    assert ours[t] == ours[t + 99] == np.float32(sch.final_lr)


def test_adamw_trains_the_same_with_either_schedule() -> None:
    sch, reference = both("toy")
    rng = np.random.default_rng(1)
    x = jnp.asarray(rng.normal(size=(64, 4)).astype(np.float32))
    y = x @ jnp.asarray(rng.normal(size=(4, 1)).astype(np.float32))

    def run(learning_rate: optax.ScalarOrSchedule) -> jax.Array:
        optimizer = optax.adamw(learning_rate, weight_decay=1e-3)

        def body(carry: tuple[jax.Array, optax.OptState], _: None) -> tuple[object, jax.Array]:
            w, state = carry
            loss, grad = jax.value_and_grad(lambda w: jnp.mean((x @ w - y) ** 2))(w)
            updates, state = optimizer.update(grad, state, w)
            return (optax.apply_updates(w, updates), state), loss

        w0 = jnp.zeros((4, 1))
        (w, _), _ = jax.lax.scan(body, (w0, optimizer.init(w0)), None, length=15)
        return w

    np.testing.assert_allclose(
        jax.jit(run, static_argnums=0)(optax_schedule(sch)),
        jax.jit(run, static_argnums=0)(reference),
        rtol=1e-5,
        atol=1e-7,
    )


# -- what the README says optax cannot do (re-check if optax changes) -----------------------


def test_optax_cannot_trace_its_peak_warmcos_can() -> None:
    peaks = jnp.array([1e-3, 3e-3])
    with pytest.raises(jax.errors.TracerBoolConversionError):
        jax.vmap(lambda p: optax.warmup_cosine_decay_schedule(0.0, p, 10, 100)(5))(peaks)
    sch = Schedule(peak_lr=1.0, total_steps=100, warmup_steps=10)
    got = jax.vmap(lambda p: optax_schedule(sch, peak_lr=p)(5))(peaks)
    np.testing.assert_allclose(got, [5e-4, 1.5e-3], rtol=1e-6)


def test_optax_schedule_does_not_pickle_warmcos_does() -> None:
    sch, reference = both("toy")
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        pickle.dumps(reference)
    restored = pickle.loads(pickle.dumps(optax_schedule(sch)))
    assert restored.schedule == sch
