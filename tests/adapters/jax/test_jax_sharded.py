"""warmcos.jax on two devices: a sharded train step sees the same lr on both devices.

JAX fixes its device count when it starts, so this runs ``sharded_train.py`` in a fresh
process with ``XLA_FLAGS=--xla_force_host_platform_device_count=2``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

HELPER = Path(__file__).with_name("sharded_train.py")


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    env = {**os.environ, "XLA_FLAGS": "--xla_force_host_platform_device_count=2"}
    env["JAX_PLATFORMS"] = "cpu"
    done = subprocess.run(
        [sys.executable, "-W", "error", str(HELPER)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_the_batch_is_sharded_over_two_devices(result: dict[str, Any]) -> None:
    assert result["devices"] == 2
    assert result["batch_shards"] == 2
    assert len(set(result["batch_shard_devices"])) == 2


@pytest.mark.slow
def test_same_lr_on_both_devices_at_every_count(result: dict[str, Any]) -> None:
    per_device = np.array(result["per_device_lrs"])  # (steps, devices)
    expected = np.array(result["expected_lrs"])  # float64 schedule(count)
    assert per_device.shape == (45, 2)
    np.testing.assert_array_equal(per_device[:, 0], per_device[:, 1])
    # each device's lr is the schedule's, to float32 accuracy (8 ulps)
    spacing = np.spacing(expected.astype(np.float32)).astype(np.float64)
    assert (np.abs(per_device[:, 0] - expected.astype(np.float32)) <= 8 * spacing).all()
    # the jit + sharded-batch run read back the same rates from inject_hyperparams
    np.testing.assert_array_equal(np.array(result["jit_lrs"]), per_device[:, 0])


@pytest.mark.slow
def test_sharded_training_matches_one_device(result: dict[str, Any]) -> None:
    # Only the order of the batch reduction differs between the runs.
    assert result["jit_vs_single"] < 1e-5
    assert result["shard_map_vs_single"] < 1e-5
    assert result["final_loss"] < 0.5 * result["initial_loss"]
