"""Helper for test_jax_sharded.py, run in a fresh process with two host devices.

``XLA_FLAGS=--xla_force_host_platform_device_count=2`` must be set before JAX starts, hence
a subprocess. The script trains a small linear regression with
``optax.inject_hyperparams(optax.adamw)(learning_rate=optax_schedule(...))`` three ways, the
batch split over both devices:

* ``jit``: the train step under ``jax.jit``, the batch sharded over a 2-device mesh;
* ``shard_map``: each device computes its half's gradients, ``pmean``s them, and updates its
  replica; each device also reports the learning rate *it* computed;
* ``single``: the same step on one device, the reference.

It prints one JSON object on stdout; the test asserts on it.
"""

from __future__ import annotations

import json
from typing import Any


def main() -> None:
    import jax
    import numpy as np
    import optax
    from jax import numpy as jnp

    from warmcos import Schedule
    from warmcos.jax import optax_schedule

    schedule = Schedule(
        peak_lr=0.05, total_steps=40, warmup_steps=8, warmup_start_lr=0.005, final_lr=5e-4
    )
    steps = 45
    optimizer = optax.inject_hyperparams(optax.adamw)(
        learning_rate=optax_schedule(schedule), weight_decay=1e-2
    )

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype(np.float32)
    y = x @ rng.normal(size=(8, 1)).astype(np.float32) + 0.5

    def loss_fn(params: Any, x: Any, y: Any) -> Any:
        return jnp.mean((x @ params["w"] + params["b"] - y) ** 2)

    def step(params: Any, state: Any, x: Any, y: Any) -> Any:
        grads = jax.grad(loss_fn)(params, x, y)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    NamedSharding, P = jax.sharding.NamedSharding, jax.sharding.PartitionSpec  # noqa: N806
    mesh = jax.make_mesh((2,), ("data",))
    batch = NamedSharding(mesh, P("data"))
    replicated = NamedSharding(mesh, P())
    params0 = {"w": jnp.zeros((8, 1)), "b": jnp.zeros((1,))}

    # 1. jit with the batch sharded over both devices
    xs, ys = jax.device_put(x, batch), jax.device_put(y, batch)
    params = jax.device_put(params0, replicated)
    state = jax.device_put(optimizer.init(params0), replicated)
    jit_step = jax.jit(step)
    jit_lrs = []
    for _ in range(steps):
        params, state = jit_step(params, state, xs, ys)
        jit_lrs.append(float(state.hyperparams["learning_rate"]))
    jit_params = jax.device_get(params)

    # 2. shard_map: each device its half of the batch, and its own lr
    def local_step(params: Any, state: Any, x: Any, y: Any) -> Any:
        grads = jax.lax.pmean(jax.grad(loss_fn)(params, x, y), "data")
        updates, state = optimizer.update(grads, state, params)
        lr = state.hyperparams["learning_rate"]
        return optax.apply_updates(params, updates), state, lr[None]

    sharded = jax.jit(
        jax.shard_map(
            local_step,
            mesh=mesh,
            in_specs=(P(), P(), P("data"), P("data")),
            out_specs=(P(), P(), P("data")),
        )
    )
    params = jax.device_put(params0, replicated)
    state = jax.device_put(optimizer.init(params0), replicated)
    per_device = []
    for _ in range(steps):
        params, state, lrs = sharded(params, state, xs, ys)
        per_device.append([float(v) for v in np.asarray(lrs)])
    shard_map_params = jax.device_get(params)

    # 3. one device
    device = jax.devices()[0]
    params = jax.device_put(params0, device)
    state = jax.device_put(optimizer.init(params0), device)
    single_step = jax.jit(step)
    for _ in range(steps):
        params, state = single_step(params, state, jax.device_put(x, device), y)
    single_params = jax.device_get(params)

    def max_rel(a: Any, b: Any) -> float:
        return max(float(np.max(np.abs(a[k] - b[k]) / np.maximum(np.abs(b[k]), 1e-6))) for k in a)

    print(
        json.dumps(
            {
                "devices": len(jax.devices()),
                "batch_shards": len(xs.addressable_shards),
                "batch_shard_devices": sorted(str(s.device) for s in xs.addressable_shards),
                "jit_lrs": jit_lrs,
                "per_device_lrs": per_device,
                "expected_lrs": [schedule(c) for c in range(steps)],
                "jit_vs_single": max_rel(jit_params, single_params),
                "shard_map_vs_single": max_rel(shard_map_params, single_params),
                "initial_loss": float(loss_fn(params0, x, y)),
                "final_loss": float(loss_fn(single_params, x, y)),
            }
        )
    )


if __name__ == "__main__":
    main()
