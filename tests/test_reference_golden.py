"""Every row of the TF-TPU reference's golden outputs (tests/data/seed_tf_float32.csv).

Tolerance (tests/data/README.md): 4 float32 ulps of the larger learning rate, because
the reference's own float32 arithmetic is that far off. Near the end of the decay the reference
returns 0 where the true value is positive; warmcos must not copy that, which
tests/test_accuracy.py checks against mpmath.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np
import pytest

from conftest import DATA
from warmcos import Schedule, cosine_learning_rate_with_linear_warmup

GOLDEN = DATA / "seed_tf_float32.csv"


@dataclass(frozen=True)
class Row:
    case: str
    init_lr: float
    warmup_lr: float
    warmup_steps: int
    total_steps: int
    step: int
    value: float

    @property
    def tolerance(self) -> float:
        return 4 * float(np.spacing(np.float32(max(self.init_lr, self.warmup_lr))))


def _rows() -> list[Row]:
    with GOLDEN.open(newline="") as f:
        return [
            Row(
                r["case"],
                float(r["init_learning_rate"]),
                float(r["warmup_learning_rate"]),
                int(r["warmup_steps"]),
                int(r["total_steps"]),
                int(r["global_step"]),
                float(r["learning_rate_float32"]),
            )
            for r in csv.DictReader(f)
        ]


ROWS = _rows()


def test_the_golden_file_is_there() -> None:
    assert len(ROWS) == 298, f"expected the 298 rows of {GOLDEN}"
    assert len({r.case for r in ROWS}) == 7


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.case}@{r.step}")
def test_reference_function_matches_every_row(row: Row) -> None:
    got = cosine_learning_rate_with_linear_warmup(
        row.step, row.init_lr, row.warmup_lr, row.warmup_steps, row.total_steps
    )
    assert isinstance(got, float)
    assert abs(got - row.value) <= row.tolerance


def test_schedule_wrap_and_numpy_arrays_match_every_row() -> None:
    for case in sorted({r.case for r in ROWS}):
        rows = [r for r in ROWS if r.case == case]
        first = rows[0]
        schedule = Schedule(
            peak_lr=first.init_lr,
            total_steps=first.total_steps,
            warmup_steps=first.warmup_steps,
            warmup_start_lr=first.warmup_lr,
            after="wrap",
        )
        steps = np.array([r.step for r in rows])
        expected = np.array([r.value for r in rows])
        got = schedule(steps)
        assert got.dtype == np.float64
        np.testing.assert_allclose(got, expected, rtol=0, atol=first.tolerance, err_msg=case)
        ref = cosine_learning_rate_with_linear_warmup(
            steps, first.init_lr, first.warmup_lr, first.warmup_steps, first.total_steps
        )
        np.testing.assert_array_equal(ref, got)


def test_the_reference_rises_again_past_the_end_and_warmcos_wraps_the_same_way() -> None:
    # imagenet_like in the file: back at the peak at 2T - w.
    t, w = 100_000, 1000
    assert cosine_learning_rate_with_linear_warmup(2 * t - w, 0.1, 0.0, w, t) == 0.1
    assert cosine_learning_rate_with_linear_warmup(t, 0.1, 0.0, w, t) == 0.0
    # ...and the opt-in fix holds the final value instead.
    assert cosine_learning_rate_with_linear_warmup(2 * t - w, 0.1, 0.0, w, t, after="hold") == 0.0


def test_warmup_equal_to_total_raises_instead_of_nan() -> None:
    with pytest.raises(ValueError, match=r"warmup_steps must be < total_steps.*warmup_steps=10"):
        cosine_learning_rate_with_linear_warmup(10, 1.0, 0.9, 10, 10)
