"""Durations resolve to integer optimizer steps, exactly, before any math."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from warmcos.units import resolve_steps


@pytest.mark.parametrize(
    ("value", "kwargs", "steps"),
    [
        (1000, {}, 1000),
        (np.int64(7), {}, 7),
        ("1000", {}, 1000),
        (" 42 ", {}, 42),
        ("5%", {"total_steps": 100_000}, 5000),
        ("7%", {"total_steps": 100}, 7),  # exact: 0.07 * 100 is not 7.000000000000001 here
        ("0.5%", {"total_steps": 1000}, 5),
        ("0.1%", {"total_steps": 999}, 1),  # 0.999 rounds up: a non-zero fraction is never 0
        ("0%", {"total_steps": 10}, 0),
        (0.0, {"total_steps": 10}, 0),
        (0.07, {"total_steps": 100}, 7),
        (0.05, {"total_steps": 9000}, 450),
        (np.float32(0.25), {"total_steps": 8}, 2),
        ("2ep", {"steps_per_epoch": 391}, 782),
        ("1.5ep", {"steps_per_epoch": 3}, 5),  # 4.5 rounds up
        (".5ep", {"steps_per_epoch": 10}, 5),
    ],
)
def test_resolve(value: object, kwargs: dict[str, int], steps: int) -> None:
    got = resolve_steps(value, "d", **kwargs)
    assert got == steps
    assert type(got) is int


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=10**9))
def test_percent_is_the_exact_ceiling(percent_hundredths: int, total: int) -> None:
    text = f"{percent_hundredths // 100}.{percent_hundredths % 100:02d}%"
    got = resolve_steps(text, "d", total_steps=total)
    # integer arithmetic: ceil(total * p / 10000)
    assert got == -(-total * percent_hundredths // 10_000)
