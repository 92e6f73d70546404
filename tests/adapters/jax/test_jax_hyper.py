"""optax.inject_hyperparams with warmcos schedules for more than the learning rate.

``optax.inject_hyperparams(optax.adamw)(learning_rate=..., b1=..., weight_decay=...)``
takes an ``optax_schedule`` for each: under ``jit``, the values injected into the state for
update ``count`` are each schedule at ``count``, and the weight decay really is applied.
"""

from __future__ import annotations

from typing import Any

import jax
import numpy as np
import optax
from jax import numpy as jnp

from warmcos import Composition, Schedule, Segment
from warmcos.jax import optax_schedule

LR = Schedule(peak_lr=0.05, total_steps=50, warmup_steps=10, warmup_start_lr=0.005)
#: DINO's weight decay: a cosine that rises from 0.04 to 0.4.
WD = Composition([Segment(50, 0.04, 0.4, "cosine")])
#: beta1 falling, then rising again (OneCycle's cycled momentum).
B1 = Composition([Segment(20, 0.95, 0.85, "cosine"), Segment(30, 0.85, 0.95, "cosine")])
STEPS = 60  # past the end: every schedule holds
SCHEDULES = {"learning_rate": LR, "b1": B1, "weight_decay": WD}


def ulps32(got: float, want: float) -> float:
    return abs(got - float(np.float32(want))) / float(np.spacing(np.float32(want)))


def test_each_injected_hyperparameter_is_its_schedule_at_each_update() -> None:
    fns = {name: optax_schedule(s) for name, s in SCHEDULES.items()}
    optimizer = optax.inject_hyperparams(optax.adamw)(**fns)
    # a parameter with no gradient: adamw moves it by -lr * wd * p only (Adam's part is 0)
    params = {"w": jnp.ones(3), "idle": jnp.ones(1)}

    @jax.jit
    def step(params: Any, state: Any) -> Any:
        grads = jax.grad(lambda p: jnp.sum((p["w"] - 2.0) ** 2) + 0.0 * p["idle"].sum())(params)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    alone = {name: jax.jit(fn) for name, fn in fns.items()}
    state = optimizer.init(params)
    for count in range(STEPS):
        idle = float(params["idle"][0])
        params, state = step(params, state)
        assert int(state.count) == count + 1
        for name, schedule in SCHEDULES.items():
            injected = state.hyperparams[name]
            assert injected.dtype == jnp.float32
            # the value used by update `count`: the same bits as the schedule's own jit
            assert float(injected) == float(alone[name](count)), (name, count)
            assert ulps32(float(injected), schedule(count)) <= 8, (name, count)
        decayed = idle * (1 - LR(count) * WD(count))
        np.testing.assert_allclose(float(params["idle"][0]), decayed, rtol=1e-6)
    assert float(state.hyperparams["weight_decay"]) == np.float32(0.4)  # held past the end
    assert float(state.hyperparams["b1"]) == np.float32(0.95)
