"""warmcos.jax in real optax training: adamw on a small regression, checkpoint and resume, and a
whole training run vmapped over peak learning rates."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import jax
import numpy as np
import optax
from jax import numpy as jnp

from warmcos import Schedule
from warmcos.jax import optax_schedule

# Past the end on purpose (60 updates, T = 50): the last 10 hold the floor.
SCHEDULE = Schedule(
    peak_lr=0.05, total_steps=50, warmup_steps=10, warmup_start_lr=0.005, final_lr=5e-4
)
STEPS = 60

Params = dict[str, jax.Array]


def problem() -> tuple[jax.Array, jax.Array]:
    """A small, real least-squares problem: y = x @ w + b + noise."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(128, 8)).astype(np.float32)
    w = rng.normal(size=(8, 1)).astype(np.float32)
    y = x @ w + 0.5 + 0.01 * rng.normal(size=(128, 1)).astype(np.float32)
    return jnp.asarray(x), jnp.asarray(y)


def init_params() -> Params:
    return {"w": jnp.zeros((8, 1)), "b": jnp.zeros((1,))}


def loss_fn(params: Params, x: jax.Array, y: jax.Array) -> jax.Array:
    # full float32 matmuls: on GPUs XLA's default is TF32 (~1e-3), and batched and unbatched
    # matmuls (the vmap test) may differ by that much
    prediction = jnp.matmul(x, params["w"], precision=jax.lax.Precision.HIGHEST)
    return jnp.mean((prediction + params["b"] - y) ** 2)


def make_step(optimizer: optax.GradientTransformation) -> Any:
    @jax.jit
    def step(params: Params, state: Any, x: jax.Array, y: jax.Array) -> Any:
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state, loss, updates

    return step


def ulps32(got: float, want: float) -> float:
    return abs(got - float(np.float32(want))) / float(np.spacing(np.float32(want)))


def test_adamw_uses_the_schedules_lr_at_each_count() -> None:
    """Each update is scaled by schedule(count) (count before the increment: update 0 uses
    step 0), read back from inject_hyperparams *and* measured on the update itself."""
    x, y = problem()
    lr = optax_schedule(SCHEDULE)
    scheduled = optax.inject_hyperparams(optax.adamw)(learning_rate=lr, weight_decay=1e-2)
    # the same adamw at lr = 1: its update is the direction the schedule scales
    unit = optax.adamw(learning_rate=1.0, weight_decay=1e-2)
    step, unit_step = make_step(scheduled), make_step(unit)
    params = init_params()
    state, unit_state = scheduled.init(params), unit.init(params)
    losses = []
    for count in range(STEPS):
        assert int(state.count) == count
        _, unit_state, _, direction = unit_step(params, unit_state, x, y)
        params, state, loss, updates = step(params, state, x, y)
        losses.append(float(loss))
        want = SCHEDULE(count)  # float64
        read_back = float(state.hyperparams["learning_rate"])
        assert ulps32(read_back, want) <= 8, (count, read_back, want)
        # the update really is lr(count) * direction (both have adamw's sign): the least-squares
        # ratio over all parameters. XLA fuses the two programs differently (~1e-5 relative);
        # adjacent counts' rates differ by >= 1.5e-3 relative.
        u = np.concatenate([np.ravel(v) for v in jax.tree.leaves(updates)]).astype(np.float64)
        d = np.concatenate([np.ravel(v) for v in jax.tree.leaves(direction)]).astype(np.float64)
        np.testing.assert_allclose(u @ d / (d @ d), want, rtol=1e-4, err_msg=f"count {count}")
    assert float(state.hyperparams["learning_rate"]) == np.float32(5e-4)  # held past T
    assert losses[-1] < 0.1 * losses[0]  # it trains


def test_checkpoint_restore_continue_identically(tmp_path: Path) -> None:
    """Stop half way, save the optimizer state and the schedule, rebuild everything from the
    files, continue: bit-for-bit the uninterrupted run."""
    x, y = problem()

    def build(schedule: Schedule) -> Any:
        return optax.inject_hyperparams(optax.adamw)(
            learning_rate=optax_schedule(schedule), weight_decay=1e-2
        )

    optimizer = build(SCHEDULE)
    step = make_step(optimizer)
    params = init_params()
    state = optimizer.init(params)
    trajectory = []
    for count in range(STEPS):
        if count == STEPS // 2:
            saved = jax.device_get((params, state))
            (tmp_path / "opt.pkl").write_bytes(pickle.dumps(saved))
            (tmp_path / "schedule.json").write_text(SCHEDULE.to_json())
        params, state, _, _ = step(params, state, x, y)
        trajectory.append(jax.device_get(params))

    restored = build(Schedule.from_json((tmp_path / "schedule.json").read_text()))
    params2, state2 = jax.tree.map(jnp.asarray, pickle.loads((tmp_path / "opt.pkl").read_bytes()))
    assert int(state2.count) == STEPS // 2
    step2 = make_step(restored)
    for count in range(STEPS // 2, STEPS):
        params2, state2, _, _ = step2(params2, state2, x, y)
        for name in params2:
            np.testing.assert_array_equal(params2[name], trajectory[count][name])
    assert jax.tree.structure(state2) == jax.tree.structure(state)
    for a, b in zip(jax.tree.leaves(state2), jax.tree.leaves(state), strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_optimizer_with_the_schedule_pickles() -> None:
    """The learning-rate function pickles, so the whole optax chain built from it can be
    rebuilt from a pickle (optax's own schedule is a closure and cannot)."""
    x, y = problem()
    lr = pickle.loads(pickle.dumps(optax_schedule(SCHEDULE)))
    a, b = optax.adamw(optax_schedule(SCHEDULE)), optax.adamw(lr)
    pa = pb = init_params()
    sa, sb = a.init(pa), b.init(pb)
    step_a, step_b = make_step(a), make_step(b)
    for _ in range(15):
        pa, sa, _, _ = step_a(pa, sa, x, y)
        pb, sb, _, _ = step_b(pb, sb, x, y)
    np.testing.assert_array_equal(pa["w"], pb["w"])


def test_a_training_run_vmapped_over_peak_learning_rates() -> None:
    """A learning-rate sweep as one compiled program: the peak is traced."""
    x, y = problem()
    peaks = jnp.array([0.01, 0.03, 0.1])

    def train(peak: jax.Array | float, schedule: Schedule = SCHEDULE) -> jax.Array:
        if isinstance(peak, float):  # the reference: one run with a Python-float schedule
            lr = optax_schedule(schedule.replace(peak_lr=peak, final_lr=peak / 100))
        else:
            lr = optax_schedule(schedule, peak_lr=peak, final_lr=peak / 100)
        optimizer = optax.adamw(lr, weight_decay=1e-2)

        def body(carry: Any, _: None) -> Any:
            params, state = carry
            grads = jax.grad(loss_fn)(params, x, y)
            updates, state = optimizer.update(grads, state, params)
            return (optax.apply_updates(params, updates), state), loss_fn(params, x, y)

        params = init_params()
        _, losses = jax.lax.scan(body, (params, optimizer.init(params)), None, length=STEPS)
        return losses

    swept = jax.jit(jax.vmap(train))(peaks)
    assert swept.shape == (3, STEPS)
    for peak, losses in zip(peaks.tolist(), swept, strict=True):
        one = jax.jit(train, static_argnums=0)(peak)
        np.testing.assert_allclose(losses, one, rtol=2e-4, atol=1e-6)
    # and the peaks matter: the runs differ
    assert not np.allclose(swept[0], swept[2])
