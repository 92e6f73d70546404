"""WarmcosSchedule on the JAX and torch Keras backends, each in a fresh process.

Equality with the core ``Schedule`` on the backend's own tensors at every step of a 10k-step
run (eager, and under ``jax.jit`` on JAX), the learning rate the backend's real optimizer
applies, and a small ``model.fit``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from warmcos import Schedule

pytestmark = pytest.mark.slow

SCHEDULE = Schedule(
    peak_lr=1e-2, total_steps=10_000, warmup_steps=500, warmup_start_lr=1e-3, final_lr=1e-4
)
STEPS = np.arange(10_100)
FIT_SCHEDULE = Schedule(peak_lr=3e-2, total_steps=40, warmup_steps=8, warmup_start_lr=1e-3)


def ulps(actual: Any, expected: Any) -> np.ndarray:
    a = np.asarray(actual, dtype=np.float32) + np.float32(0)  # -0.0 -> 0.0
    e = np.asarray(expected, dtype=np.float64).astype(np.float32)
    return np.abs(a.view(np.int32).astype(np.int64) - e.view(np.int32).astype(np.int64))


@pytest.fixture(scope="module")
def results(fresh_processes: dict[str, Any]) -> dict[str, Any]:
    return {backend: fresh_processes[backend].result() for backend in ("jax", "torch")}


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_equals_core_at_every_step(results: dict[str, Any], backend: str) -> None:
    r = results[backend]
    assert r["backend"] == backend
    assert r["tensor_type"] == {"jax": "jaxlib._jax.ArrayImpl", "torch": "torch.Tensor"}[backend]
    pairs = [("eager", "eager_core")] + ([("jit", "jit_core")] if backend == "jax" else [])
    core64 = SCHEDULE(STEPS)
    for adapter, core in pairs:
        assert r[adapter]["dtype"] == "float32"
        # The adapter adds nothing: bit for bit the core formula on the backend's tensors ...
        assert r[adapter]["values"] == r[core]["values"]
        # ... which is within 8 float32 ulps of the exact value at every step.
        assert ulps(r[adapter]["values"], core64).max() <= 8


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_real_optimizer_applies_the_schedule(results: dict[str, Any], backend: str) -> None:
    r = results[backend]
    assert r["iterations_dtype"] == "int32"  # "int" in Keras: int32 on JAX and torch
    if backend == "jax":  # every step, through the jitted stateless update of model.fit
        applied, steps = r["optimizer"]["values"], STEPS
    else:
        applied, steps = r["optimizer_probe"], np.array(r["probe_steps"])
    assert ulps(applied, SCHEDULE(steps)).max() <= 8


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_model_fit_follows_the_schedule(results: dict[str, Any], backend: str) -> None:
    r = results[backend]
    assert r["fit_jit_compile"] is (backend == "jax")
    steps = [step for step, _ in r["fit_lrs"]]
    assert steps == list(range(FIT_SCHEDULE.total_steps))  # 5 epochs of 8 batches
    lrs = [lr for _, lr in r["fit_lrs"]]
    assert ulps(lrs, FIT_SCHEDULE(np.array(steps))).max() <= 8
    loss = r["fit_loss"]
    assert np.isfinite(loss).all()
    assert loss[-1] < 0.5 * loss[0]
