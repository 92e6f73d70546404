"""WarmcosSchedule inside ``tf.distribute.MirroredStrategy`` over 2 logical CPU devices."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from warmcos import Schedule

pytestmark = pytest.mark.slow

SCHEDULE = Schedule(peak_lr=3e-2, total_steps=40, warmup_steps=8, warmup_start_lr=1e-3)


@pytest.fixture(scope="module")
def result(fresh_processes: dict[str, Any]) -> Any:
    return fresh_processes["mirrored"].result()


def test_schedule_works_unchanged_under_mirrored_strategy(result: Any) -> None:
    assert result["replicas"] == 2
    assert "Mirrored" in result["iterations_type"]  # a distributed variable, read per replica
    steps = [step for step, _ in result["lrs"]]
    assert steps == list(range(SCHEDULE.total_steps))  # 512 samples / 64 per batch x 5 epochs
    expected = np.float32(SCHEDULE(np.array(steps)))
    np.testing.assert_allclose([lr for _, lr in result["lrs"]], expected, rtol=5e-7, atol=0)
    assert result["iterations_at_end"] == SCHEDULE.total_steps
    assert np.isfinite(result["loss"]).all()
    assert result["loss"][-1] < 0.5 * result["loss"][0]


def test_every_replica_computes_the_same_rate_at_the_shared_step(result: Any) -> None:
    assert len(result["replica_values"]) == 2
    assert result["replica_values"][0] == result["replica_values"][1]
    assert result["replica_values"][0] == pytest.approx(SCHEDULE(13), rel=5e-7)
