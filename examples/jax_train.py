"""JAX / optax: a digits MLP with linear decay to zero, the batch sharded over devices.

    python examples/jax_train.py [--smoke] [--devices 2] [--accumulate 2] [--out build/examples]

``--devices N`` sets ``XLA_FLAGS=--xla_force_host_platform_device_count=N`` before JAX starts,
so one CPU acts as N devices; each batch is split over them (``NamedSharding`` on a 1-D
mesh) and ``jax.jit`` runs the step on all of them. Gradients are accumulated over
``--accumulate`` micro-batches with ``optax.MultiSteps``: the inner optimizer, and so the
schedule, counts *updates*, not micro-batches (unlike Keras' ``gradient_accumulation_steps``).
The lr of each update is read back from ``optax.inject_hyperparams``' state on every device.
A full run reaches a test accuracy >= 0.95.
"""

from __future__ import annotations

import os
import sys

import _common


def main() -> int:
    p = _common.parser(__doc__)
    p.add_argument("--devices", type=int, default=1, help="host devices to shard the batch over")
    p.add_argument("--accumulate", type=int, default=2, help="micro-batches per update")
    args = p.parse_args()
    if args.devices > 1:  # before JAX starts: it fixes its device count then
        os.environ["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={args.devices}"
        os.environ.setdefault("JAX_PLATFORMS", "cpu")

    import jax
    import numpy as np
    import optax
    from jax import numpy as jnp

    from warmcos import Schedule
    from warmcos.jax import optax_schedule

    micro = _common.BATCH // args.accumulate
    devices = jax.devices()
    if micro % len(devices):
        p.error(f"a micro-batch of {micro} images does not split over {len(devices)} devices")
    mesh = jax.make_mesh((len(devices),), ("data",))
    sharded = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("data"))
    replicated = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec())

    schedule = Schedule(
        peak_lr=1e-2,
        total_steps=f"{_common.epochs(args)}ep",
        steps_per_epoch=_common.STEPS_PER_EPOCH,
        warmup_steps="5%",
        decay_shape="linear",  # linear decay to zero after a short warmup
    )
    inner = optax.inject_hyperparams(optax.adamw)(
        learning_rate=optax_schedule(schedule), weight_decay=1e-4
    )
    optimizer = optax.MultiSteps(inner, every_k_schedule=args.accumulate)

    k1, k2 = jax.random.split(jax.random.key(0))
    params = {
        "w1": jax.random.normal(k1, (64, 128)) * (2 / 64) ** 0.5,
        "b1": jnp.zeros(128),
        "w2": jax.random.normal(k2, (128, 10)) * (1 / 128) ** 0.5,
        "b2": jnp.zeros(10),
    }

    def logits(params, x):
        return jax.nn.relu(x @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"]

    def loss_fn(params, x, y):
        return optax.softmax_cross_entropy_with_integer_labels(logits(params, x), y).mean()

    @jax.jit
    def micro_step(params, state, x, y):
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
        updates, state = optimizer.update(grads, state, params)  # applied every k-th call
        return optax.apply_updates(params, updates), state, loss

    params = jax.device_put(params, replicated)
    state = jax.device_put(optimizer.init(params), replicated)
    x_train, y_train, x_test, y_test = _common.digits()
    log = _common.RunLog("jax_train", schedule, args)
    per_device: list[list[float]] = []
    for epoch in range(_common.epochs(args)):
        order = np.random.default_rng(epoch).permutation(len(x_train))
        for start in range(0, len(order), _common.BATCH):
            losses = []
            for m in range(args.accumulate):
                idx = order[start + m * micro : start + (m + 1) * micro]
                x = jax.device_put(x_train[idx], sharded)  # each device holds micro / N rows
                y = jax.device_put(y_train[idx], sharded)
                params, state, loss = micro_step(params, state, x, y)
                losses.append(float(loss))
            hyper = state.inner_opt_state  # the inner optimizer: one count per update
            lr = hyper.hyperparams["learning_rate"]  # the rate this update used, replicated
            per_device.append([float(s.data) for s in lr.addressable_shards])
            log.record(int(hyper.count) - 1, per_device[-1][0], float(np.mean(losses)))
    log.extra |= {
        "devices": len(devices),
        "batch_shards": len(x.addressable_shards),
        "accumulate": args.accumulate,
        "lr_per_device": per_device,
    }
    predicted = jnp.argmax(logits(params, jnp.asarray(x_test)), axis=1)
    return log.finish(_common.accuracy(predicted, y_test), suffix=f".{len(devices)}dev")


if __name__ == "__main__":
    sys.exit(main())
