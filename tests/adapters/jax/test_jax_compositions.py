"""optax_schedule with a Composition: pure count -> value, under jit and vmap, every step."""

from __future__ import annotations

import pickle

import jax
import numpy as np
import optax
import pytest
from jax import numpy as jnp

from composition_cases import CASES, IDS, MULTISTEP_EPOCHS, assert_close, steps_of
from warmcos.jax import OptaxSchedule, optax_schedule


@pytest.mark.parametrize(("name", "c", "same_bits"), CASES, ids=IDS)
def test_every_count_eager_jit_and_vmap_equals_the_composition(name, c, same_bits):
    fn = optax_schedule(c)
    assert isinstance(fn, OptaxSchedule)
    assert fn.schedule is c
    assert fn.rates == ()
    counts = jnp.arange(steps_of(c), dtype=jnp.int32)
    eager, jitted, mapped = fn(counts), jax.jit(fn)(counts), jax.jit(jax.vmap(fn))(counts)
    assert eager.dtype == jitted.dtype == mapped.dtype == jnp.float32
    # the adapter adds nothing: the core's composition(jax_array), bit for bit
    np.testing.assert_array_equal(eager, c(counts))
    np.testing.assert_array_equal(jitted, jax.jit(c)(counts))
    # within 8 float32 ulps of the float64 value at every step, on every path
    want = c(np.arange(len(counts)))
    for got in (eager, jitted, mapped):
        assert_close(np.asarray(got), want, 8, np.float32)
    # a scalar count, as optax passes it, traced once
    assert float(jax.jit(fn)(jnp.int32(5))) == float(eager[5])


def test_the_milestone_values_are_hit_exactly():
    fn = jax.jit(optax_schedule(MULTISTEP_EPOCHS))
    got = np.asarray(fn(jnp.array([0, 29, 30, 69, 70, 1000], dtype=jnp.int32)))
    assert got.tolist() == np.float32([0.1, 0.1, 0.01, 0.01, 0.001, 0.001]).tolist()


@pytest.mark.parametrize(("name", "c", "same_bits"), CASES, ids=IDS)
def test_float64_with_x64(name, c, same_bits):
    with jax.enable_x64(True):
        counts = jnp.arange(steps_of(c), dtype=jnp.int64)
        got = np.asarray(jax.jit(optax_schedule(c))(counts))
        assert got.dtype == np.float64
        assert_close(got, c(np.arange(len(counts))), 4)


def test_it_drives_an_optax_optimizer_and_pickles():
    c = MULTISTEP_EPOCHS
    fn = optax_schedule(c)
    assert pickle.loads(pickle.dumps(fn)).schedule == c
    opt = optax.inject_hyperparams(optax.sgd)(learning_rate=fn)
    params = jnp.zeros(2)
    state = opt.init(params)

    @jax.jit
    def step(params, state):
        updates, state = opt.update(jnp.ones(2), state, params)
        return optax.apply_updates(params, updates), state

    lrs = []
    for _ in range(40):  # update k uses the value at count k, stored in its state
        params, state = step(params, state)
        lrs.append(float(state.hyperparams["learning_rate"]))
    assert lrs == np.float32(c(np.arange(40))).tolist()


def test_rate_overrides_are_refused_for_a_composition():
    with pytest.raises(ValueError, match=r"Composition has no peak_lr.*received peak_lr=0.5"):
        optax_schedule(MULTISTEP_EPOCHS, peak_lr=0.5)
    with pytest.raises(ValueError, match=r"received final_lr=Array"):
        optax_schedule(MULTISTEP_EPOCHS, final_lr=jnp.array([0.0, 0.1]))
