"""Bad input (SPEC §4): one test per rule; each error names the parameter, the rule and the value."""

from __future__ import annotations

import math

import numpy as np
import pytest

from warmcos import Schedule, cosine_learning_rate_with_linear_warmup
from warmcos.units import resolve_steps

OK = {"peak_lr": 0.1, "total_steps": 1000, "warmup_steps": 10}


def build(**changes: object) -> Schedule:
    return Schedule(**{**OK, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "error", "pattern"),
    [
        # durations
        ({"warmup_steps": -1}, ValueError, r"warmup_steps must be >= 0; received warmup_steps=-1"),
        (
            {"total_steps": 0, "warmup_steps": 0},
            ValueError,
            r"total_steps must be >= 1; received total_steps=0",
        ),
        ({"total_steps": -5}, ValueError, r"total_steps must be >= 0; received total_steps=-5"),
        (
            {"warmup_steps": 2.5},
            ValueError,
            r"warmup_steps must be a whole number of steps or a float in \[0, 1\) read as a fraction of total_steps; received warmup_steps=2.5",
        ),
        (
            {"total_steps": 1000.5},
            ValueError,
            r"total_steps must be a whole number of steps; received total_steps=1000.5$",
        ),
        ({"total_steps": 0.5}, ValueError, r"total_steps cannot be a fraction of training \(0.5\)"),
        (
            {"warmup_steps": True},
            TypeError,
            r"warmup_steps must be an int.*received warmup_steps=True of type bool",
        ),
        (
            {"total_steps": None},
            TypeError,
            r"total_steps must be an int.*received total_steps=None of type NoneType",
        ),
        (
            {"warmup_steps": 1000},
            ValueError,
            r"warmup_steps must be < total_steps.*received warmup_steps=1000, total_steps=1000",
        ),
        (
            {"warmup_steps": 2000},
            ValueError,
            r"warmup_steps must be < total_steps.*received warmup_steps=2000",
        ),
        (
            {"warmup_steps": "100%"},
            ValueError,
            r"warmup_steps must be < total_steps.*received warmup_steps='100%'",
        ),
        ({"warmup_steps": math.nan}, ValueError, r"received warmup_steps=nan"),
        # unparsable duration strings
        (
            {"warmup_steps": "5 %"},
            ValueError,
            r"warmup_steps must be an int number of steps or a string like .*received warmup_steps='5 %'",
        ),
        ({"warmup_steps": "2epochs"}, ValueError, r"received warmup_steps='2epochs'"),
        (
            {"warmup_steps": "2ep"},
            ValueError,
            r"warmup_steps is given in epochs \('2ep'\), which needs steps_per_epoch",
        ),
        ({"warmup_steps": "-5"}, ValueError, r"received warmup_steps='-5'"),
        ({"warmup_steps": ""}, ValueError, r"received warmup_steps=''"),
        (
            {"total_steps": "10%"},
            ValueError,
            r"total_steps cannot be a fraction of training \('10%'\)",
        ),
        (
            {"steps_per_epoch": 0},
            ValueError,
            r"steps_per_epoch must be an int >= 1; received steps_per_epoch=0",
        ),
        ({"steps_per_epoch": 2.5}, TypeError, r"received steps_per_epoch=2.5 of type float"),
        # learning rates
        ({"peak_lr": math.nan}, ValueError, r"peak_lr must be finite; received peak_lr=nan"),
        ({"peak_lr": math.inf}, ValueError, r"peak_lr must be finite; received peak_lr=inf"),
        ({"final_lr": -math.inf}, ValueError, r"final_lr must be finite; received final_lr=-inf"),
        ({"peak_lr": -0.1}, ValueError, r"peak_lr must be >= 0; received peak_lr=-0.1"),
        (
            {"warmup_start_lr": -1e-9},
            ValueError,
            r"warmup_start_lr must be >= 0; received warmup_start_lr=-1e-09",
        ),
        ({"final_lr": -0.01}, ValueError, r"final_lr must be >= 0; received final_lr=-0.01"),
        (
            {"peak_lr": "0.1"},
            TypeError,
            r"peak_lr must be a real number; received peak_lr='0.1' of type str",
        ),
        (
            {"final_lr": False},
            TypeError,
            r"final_lr must be a real number; received final_lr=False of type bool",
        ),
        # floor above the peak (the cosine decays)
        (
            {"final_lr": 0.2},
            ValueError,
            r"final_lr must be <= peak_lr.*received final_lr=0.2, peak_lr=0.1",
        ),
        # policy names list the valid ones
        (
            {"after": "clamp"},
            ValueError,
            r"after must be one of 'hold', 'wrap', 'raise'; received after='clamp'",
        ),
        ({"after": None}, ValueError, r"after must be one of .*received after=None"),
    ],
)
def test_constructor_rules(
    changes: dict[str, object], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        build(**changes)


def test_warmup_equal_to_total_raises_in_the_reference_function_too() -> None:
    with pytest.raises(ValueError, match=r"warmup_steps=10, total_steps=10"):
        cosine_learning_rate_with_linear_warmup(3, 0.1, 0.0, 10, 10)
    with pytest.raises(ValueError, match=r"warmup_learning_rate|warmup_start_lr must be >= 0"):
        cosine_learning_rate_with_linear_warmup(3, 0.1, -0.1, 1, 10)


@pytest.mark.parametrize(
    ("step", "error", "pattern"),
    [
        (-1, ValueError, r"step must be >= 0; received step=-1"),
        (-0.5, ValueError, r"step must be >= 0; received step=-0.5"),
        (math.nan, ValueError, r"step must be a finite number; received step=nan"),
        (math.inf, ValueError, r"step must be a finite number; received step=inf"),
        ("3", TypeError, r"step must be a real number .*received '3' of type str"),
        (None, TypeError, r"received None of type NoneType"),
        (True, TypeError, r"received True of type bool"),
        (np.array([1, -3]), ValueError, r"step must be >= 0; received step=-3"),
        (np.array([1.0, np.nan]), ValueError, r"step must be a finite number; received step=nan"),
        (np.array([True]), TypeError, r"received an array of dtype bool"),
        (np.array(["a"]), TypeError, r"received an array of dtype <U1"),
        (np.array([2**64 - 1], dtype=np.uint64), ValueError, r"step must be < 2\*\*63"),
    ],
)
def test_bad_steps(step: object, error: type[Exception], pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        build()(step)


def test_nothing_half_built_on_a_bad_step_in_a_long_array() -> None:
    steps = np.arange(200_000)
    steps[-1] = -7  # in the last evaluation block
    with pytest.raises(ValueError, match="received step=-7"):
        build()(steps)


@pytest.mark.parametrize(
    ("config", "error", "pattern"),
    [
        ({"peak_lr": 0.1, "total_steps": 10}, ValueError, r"config must have a 'version' key"),
        (
            {"version": 3, "peak_lr": 0.1, "total_steps": 10},
            ValueError,
            r"config version must be 1 or 2; received version=3",
        ),
        (
            {"version": True, "peak_lr": 0.1, "total_steps": 10},
            ValueError,
            r"received version=True",
        ),
        (
            {"version": 1, "peak_lr": 0.1, "total_steps": 10, "warmup": 5},
            ValueError,
            r"config \(version 1\) has unknown keys \['warmup'\]; valid keys: \[",
        ),
        (
            {"version": 1, "peak_lr": 0.1},
            ValueError,
            r"config is missing required keys \['total_steps'\]",
        ),
        ([("version", 1)], TypeError, r"config must be a mapping \(a dict\); received list"),
    ],
)
def test_bad_config_dicts(config: object, error: type[Exception], pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        Schedule.from_dict(config)  # type: ignore[arg-type]


def test_bad_json() -> None:
    with pytest.raises(ValueError, match="schedule JSON is not valid JSON"):
        Schedule.from_json("{'peak_lr': 1}")


def test_resolve_steps_names_the_parameter_it_was_given() -> None:
    with pytest.raises(ValueError, match=r"my_len must be >= 0; received my_len=-2"):
        resolve_steps(-2, "my_len")
