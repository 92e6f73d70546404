"""Bad input (the project's bad-input rules): one test per rule; each error names the parameter, the rule and the value."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import warmcos
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


# -- defects found trying the core as a new user would (issue 9, item 7) ---------------------


def test_the_reference_function_does_not_cache_across_equal_but_different_arguments() -> None:
    # 4.0 == 4 and True == 1: a cache keyed on equality made a call's outcome depend on
    # earlier calls. Now every call validates its own arguments.
    assert cosine_learning_rate_with_linear_warmup(1, 0.1, 0.0, 4, 10) == 0.025
    with pytest.raises(TypeError, match=r"total_steps .*received total_steps=True of type bool"):
        cosine_learning_rate_with_linear_warmup(1, 0.1, 0.0, 0, True)
    with pytest.raises(TypeError, match=r"warmup_steps .*received warmup_steps=True"):
        cosine_learning_rate_with_linear_warmup(1, 0.1, 0.0, True, 10)
    assert cosine_learning_rate_with_linear_warmup(1, 0.1, 0.0, 1, 10) == 0.1
    # an unhashable argument (a NumPy array) is not a cache key: it is validated
    with pytest.raises(TypeError, match=r"warmup_steps must be .*of type ndarray"):
        cosine_learning_rate_with_linear_warmup(1, 0.1, 0.0, np.array(4), 10)
    got = cosine_learning_rate_with_linear_warmup(np.array([1, 2]), np.float64(0.1), 0.0, 4, 10)
    assert got.tolist() == [0.025, 0.05]


def test_limits_are_checked_when_the_schedule_is_built() -> None:
    with pytest.raises(
        ValueError,
        match=r"total_steps must be < 2\*\*63 .*received total_steps=9223372036854775808",
    ):
        build(total_steps=2**63)
    assert build(total_steps=2**63 - 1)(2**62) > 0  # the largest is fine, and evaluates
    with pytest.raises(ValueError, match=r"peak_lr must be finite; received peak_lr=1000000"):
        build(peak_lr=10**400)
    with pytest.raises(
        TypeError,
        match=r"steps_per_epoch must be an int >= 1; received steps_per_epoch='391' of type str",
    ):
        build(steps_per_epoch="391")


def test_whole_float_durations_are_steps() -> None:
    # TOML and YAML write 1e5 as a float: a whole number of steps, not a fraction.
    assert build(total_steps=1e5, warmup_steps=1000.0).to_dict()["total_steps"] == 100_000
    assert build(total_steps=1e5, warmup_steps=1000.0).warmup_steps == 1000


def test_numpy_steps_keep_their_kind() -> None:
    s = build()
    got = s(np.float32(5))
    assert isinstance(got, np.float32)  # a 0-d float32 step gives float32, like an array
    assert s(np.array(5, dtype=np.float32)).dtype == np.float32
    # whole-number float steps are exact integers, like Python floats, also past 2**53
    wrap = build(after="wrap")
    for big in (2.0**60 + 2**8, 2.0**55):
        assert wrap(np.array([big]))[0] == wrap(big) == wrap(int(big))
    with pytest.raises(TypeError, match=r"rectangular array of numbers; received a ragged list"):
        s([[1, 2], [3]])


@pytest.mark.parametrize(
    ("name", "content", "pattern"),
    [
        (
            "dup.json",
            b'{"version": 2, "peak_lr": 0.1, "peak_lr": 0.2, "total_steps": 10}',
            r"dup.json': duplicate key 'peak_lr'",
        ),
        (
            "dup.yaml",
            b"version: 2\npeak_lr: 0.1\npeak_lr: 0.2\ntotal_steps: 10\n",
            r"dup.yaml': .*duplicate key 'peak_lr'",
        ),
        (
            "dup.toml",
            b"version = 2\npeak_lr = 0.1\npeak_lr = 0.2\ntotal_steps = 10\n",
            r"cannot parse schedule file .*dup.toml'",
        ),
        (
            "latin1.json",
            '{"version": 2, "peak_lr": 0.1, "total_steps": 10, "x": "é"}'.encode("latin-1"),
            r"latin1.json' is not UTF-8 text \(byte 56\)",
        ),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, r"deep.json': nested too deeply"),
        (
            "bad.yaml",
            b"version: 2\npeak_lr: [0.1\n",
            r"cannot parse schedule file .*bad.yaml': .*line \d+",
        ),
        (
            "list.toml",
            b"",
            r"config is missing required keys|must have a 'version' key|list.toml' is empty",
        ),
    ],
)
def test_schedule_files_fail_in_one_line_naming_the_file(
    tmp_path: Path, name: str, content: bytes, pattern: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValueError, match=pattern) as info:
        warmcos.load(path)
    assert "\n" not in str(info.value)


def test_a_device_or_a_folder_is_not_a_schedule_file(tmp_path: Path) -> None:
    with pytest.raises(
        ValueError, match=r"cannot read schedule file '/dev/zero.json': it does not exist"
    ):
        warmcos.load("/dev/zero.json")
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(ValueError, match=r"zero.json': it is not a regular file"):
        warmcos.load(link)
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(ValueError, match=r"dir.yaml': it is not a regular file"):
        warmcos.load(tmp_path / "dir.yaml")


def test_yaml_numbers_are_read_as_everyone_writes_them(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "version: 2\npeak_lr: 3e-4\ntotal_steps: 1e5\nwarmup_steps: 5%\nfinal_lr: 1.0e-6\n"
    )
    s = warmcos.load(path)
    assert (s.peak_lr, s.total_steps, s.warmup_steps, s.final_lr) == (3e-4, 100_000, 5000, 1e-6)
    path.write_text("version: 2\npeak_lr: 0.1\ntotal_steps: 100\nwarmup_steps: '10'\n")
    assert warmcos.load(path).warmup_steps == 10
