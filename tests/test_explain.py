"""warmcos.explain: each known failure injected into a log is named, with its number."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import warmcos
from warmcos import Composition, Schedule, Segment

PLANS = {
    "template": Schedule(3e-4, 2000, warmup_steps=200, final_lr=3e-5),
    "composition": Composition([Segment(150, 0.0, 1.0), Segment(1500, 1.0, 0.01, "exponential")]),
}
N = 2400


def logged(plan: Any, clock: Any, dtype: Any = np.float64) -> np.ndarray:
    return np.asarray(plan(np.asarray([clock(s) for s in range(N)])), dtype=dtype)


CASES = [
    ("per_epoch", 60, lambda s: s // 60),
    ("times", 8, lambda s: 8 * s),
    ("late", 123, lambda s: max(0, s - 123)),
    ("early", 77, lambda s: s + 77),
    ("restarted", 900, lambda s: s if s < 900 else s - 900),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("plan", list(PLANS), ids=str)
@pytest.mark.parametrize(("diagnosis", "parameter", "clock"), CASES, ids=[c[0] for c in CASES])
def test_each_failure_is_diagnosed(
    plan: str, diagnosis: str, parameter: int, clock: Any, dtype: Any
) -> None:
    found = warmcos.explain(logged(PLANS[plan], clock, dtype), PLANS[plan])
    assert (found.diagnosis, found.parameter) == (diagnosis, parameter)
    assert str(parameter) in str(found)


@pytest.mark.parametrize("plan", list(PLANS), ids=str)
def test_a_scaled_rate_is_diagnosed_with_its_factor(plan: str) -> None:
    found = warmcos.explain(4 * logged(PLANS[plan], lambda s: s), PLANS[plan])
    assert found.diagnosis == "scaled"
    assert found.parameter == pytest.approx(4.0)


def test_the_plan_itself_matches() -> None:
    plan = PLANS["template"]
    found = warmcos.explain(logged(plan, lambda s: s), plan)
    assert (found.diagnosis, found.first_difference) == ("matches", None)


def test_a_given_epoch_length_is_used() -> None:
    plan = PLANS["template"]
    found = warmcos.explain(logged(plan, lambda s: s // 64), plan, steps_per_epoch=64)
    assert (found.diagnosis, found.parameter) == ("per_epoch", 64)


def test_otherwise_the_first_step_where_they_part() -> None:
    plan = PLANS["template"]
    log = logged(plan, lambda s: s)
    log[1234:] *= 1.5
    log[1500] = 0.0
    found = warmcos.explain(log, plan)
    assert (found.diagnosis, found.parameter, found.first_difference) == ("differs", 1234, 1234)
    assert "part at step 1234" in str(found)


def test_pairs_are_explained_at_their_steps() -> None:
    plan = PLANS["template"]
    pairs = [(s, plan(s // 30)) for s in range(0, N, 7)]
    found = warmcos.explain(pairs, plan, steps_per_epoch=30)
    assert found.diagnosis == "per_epoch"


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        (([0.1], PLANS["template"]), {}, ValueError, "at least two values"),
        (([0.1, -0.1], PLANS["template"]), {}, ValueError, "values[1] must be finite and >= 0"),
        (([0.1, 0.2], "plan.toml"), {}, TypeError, "plan must be a Schedule or a Composition"),
        (([0.1, 0.2], PLANS["template"]), {"steps_per_epoch": 0}, ValueError, ">= 1"),
        (([0.1, 0.2], PLANS["template"]), {"steps_per_epoch": 2.5}, TypeError, "an int"),
    ],
)
def test_bad_input_is_one_clear_error(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as caught:
        warmcos.explain(*args, **kwargs)
    assert words in str(caught.value)
