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
        # the whole rule: 0 is refused too (issue 15: not ">= 0")
        ({"total_steps": -5}, ValueError, r"total_steps must be >= 1; received total_steps=-5"),
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


# -- issue 15: silent wrong values, and messages people can act on ---------------------------


def test_a_float_fraction_is_the_decimal_it_was_written_as() -> None:
    from fractions import Fraction

    cases = [
        (np.float32(0.05), 1000, 50),  # was 51: float32(0.05) widened is 0.0500000007...
        (np.float32(0.3), 10, 3),  # was 4
        (np.float16(0.05), 1000, 50),
        (np.float32(0.0125), 1000, 13),  # 12.5 rounds up, like the float64 0.0125
        (0.05, 1000, 50),  # float64: the decimal it was written as, as before
        (np.longdouble("0.07"), 100, 7),
        (Fraction(1, 3), 10, 4),  # a Fraction is exact
    ]
    for fraction, total, steps in cases:
        assert resolve_steps(fraction, "warmup_steps", total_steps=total) == steps, fraction
        assert build(total_steps=total, warmup_steps=fraction).warmup_steps == steps


def test_float32_epochs_are_the_decimal_they_were_written_as() -> None:
    assert warmcos.steps(np.float32(0.1), steps_per_epoch=10) == 1  # was 2
    assert warmcos.steps(np.float32(2.5), steps_per_epoch=4) == 10


@pytest.mark.parametrize(
    "steps",
    [
        [True, 2],
        [0, False],
        (1.5, True),
        [[1, 2], [True, 3]],
        [np.True_, 2],
        [np.array([1, 2]), np.array([True, False])],
        np.array([1, True], dtype=object),
    ],
)
def test_a_bool_among_steps_is_refused_like_a_bool_step(steps: object) -> None:
    with pytest.raises(
        TypeError,
        match=r"step must be a real number .*received (True|False|np\.(True|False)_) of type bool",
    ):
        build()(steps)
    with pytest.raises(TypeError, match=r"received True of type bool"):
        build()(True)


@pytest.mark.parametrize(
    ("changes", "pattern"),
    [
        # the whole rule: 0 is refused as well as negatives, so the message says > 0
        ({"cycles": 2, "cycle_mul": -1.0}, r"cycle_mul must be > 0 .*received cycle_mul=-1.0"),
        ({"cycles": 2, "cycle_decay": -0.5}, r"cycle_decay must be > 0 .*cycle_decay=-0.5"),
        ({"decay_shape": "polynomial", "power": -2}, r"power must be > 0 .*received power=-2"),
        (
            {"warmup_shape": "polynomial", "warmup_power": -1},
            r"warmup_power must be > 0 .*received warmup_power=-1",
        ),
        (
            {"decay_shape": "inverse_sqrt", "timescale": -3.0},
            r"timescale must be > 0 .*received timescale=-3.0",
        ),
        ({"total_steps": -5.0}, r"total_steps must be >= 1; received total_steps=-5.0"),
        ({"warmup_steps": -3.0}, r"warmup_steps must be >= 0; received warmup_steps=-3.0"),
        # the bound that was broken, with the values it is made of
        (
            {"total_steps": 100, "warmup_steps": 60, "delay_steps": 50},
            (
                r"warmup_steps must be < total_steps - delay_steps: .*received warmup_steps=60, "
                r"total_steps=100, delay_steps=50"
            ),
        ),
        (
            {
                "total_steps": 100,
                "warmup_steps": 60,
                "delay_steps": 50,
                "decay_shape": "constant",
                "stable_steps": 0,
            },
            r"warmup_steps \+ stable_steps must be <= total_steps - delay_steps; .*delay_steps=50",
        ),
        (
            {"total_steps": 2000, "warmup_steps": 1500, "edits": [(1100, "linear", 1200)]},
            (
                r"warmup_steps must be < the planned_total of the first edit .*received "
                r"warmup_steps=1500, edits\[0\] planned_total=1200"
            ),
        ),
        (
            {"total_steps": 100, "delay_steps": 200, "edits": [(150, "linear", 180)]},
            (
                r"delay_steps must be < the planned_total of the first edit .*delay_steps=200, "
                r"edits\[0\] planned_total=180"
            ),
        ),
        # an exponential cooldown to 0, and geometric restarts warming up from 0
        (
            {"edits": [(500, "exponential", 1000)]},
            r"final_lr must be > 0 for an exponential cooldown or re-planned decay .*final_lr=0.0",
        ),
        (
            {
                "warmup_steps": 0,
                "warmup_shape": "exponential",
                "cycles": 2,
                "cycle_warmup_steps": 5,
            },
            r"warmup_start_lr must be > 0 for warmup_shape='exponential'",
        ),
        (
            {"warmup_shape": "exponential", "warmup_start_lr": 1e-320},
            r"spans more than 300 decades.*received warmup_start_lr=1e-320, peak_lr=0.1",
        ),
        # each message names its parameter, never a comparison NumPy or Python made
        ({"edits": [{1: 2, "at_step": 3}]}, r"each edit must be .*received edits\[0\]=\{1: 2"),
        ({"edits": [(5, "sqrt", 10)]}, r"an edit's shape must be one of .*in edits\[0\]="),
    ],
)
def test_each_message_states_the_true_rule_and_names_the_parameter(
    changes: dict[str, object], pattern: str
) -> None:
    with pytest.raises((ValueError, TypeError), match=pattern):
        build(**changes)


def test_an_exponential_cooldown_to_zero_says_what_it_needs() -> None:
    wsd = Schedule(1.0, 10_000, warmup_steps=100, stable_steps=9_000)
    with pytest.raises(ValueError, match=r"final_lr must be > 0 .*exponential cooldown") as info:
        wsd.cooldown(5_000, 1_000, shape="exponential")
    assert "decades" not in str(info.value)
    branch = wsd.replace(final_lr=1e-3).cooldown(5_000, 1_000, shape="exponential")
    assert branch(6_000) == 1e-3


def test_a_cooled_down_branch_replans_and_cools_down_again() -> None:
    wsd = Schedule(1.0, 10_000, warmup_steps=100, stable_steps=9_000)
    branch = wsd.cooldown(5_000, 1_000)
    # before the branch point: the plan the branch was cut from (steps 9100 of warmup and
    # stable phase, planned to 10_000), not the branch's own 6_000 steps
    again = branch.cooldown(4_000, 500)
    assert again.edits == ((4_000, "1-sqrt", 10_000),)
    assert again.curve(4_001).tolist() == wsd.curve(4_001).tolist()
    assert again(4_500) == 0.0
    longer = branch.replan(4_000, 12_000)  # in the stable phase: the plan, to a new end
    assert longer == wsd.replace(total_steps=12_000)
    inside = branch.replan(5_500, 7_000)  # inside the cooldown: kept up to 5_500, no jump
    assert inside(5_500) == branch(5_500)
    assert inside(7_000) == 0.0
    assert inside.curve(5_501).tolist() == branch.curve(5_501).tolist()
    with pytest.raises(
        ValueError, match=r"warmup_steps \+ stable_steps must be < total_steps.*total_steps=7000"
    ):
        branch.replan(4_000, 7_000)  # the limits in the message are the ones broken


def test_with_peak_names_its_argument_not_a_value_never_passed() -> None:
    s = Schedule(0.5, 100, warmup_start_lr=1e308, warmup_steps=5)
    with pytest.raises(
        ValueError, match=r"with_peak\(peak_lr=4.0\) would scale warmup_start_lr=1e\+308"
    ) as info:
        s.with_peak(4.0)
    assert "inf" not in str(info.value)
    # an intermediate quotient beyond float64, a result within it: exact, not refused
    big = Schedule(1e-300, 100, warmup_start_lr=1e300, warmup_steps=5)
    assert big.with_peak(1e-300) == big
    assert big.with_peak(1e-301).warmup_start_lr == 1e299
    tiny = Schedule(1.0, 100, warmup_start_lr=1e-200, warmup_steps=5, warmup_shape="exponential")
    with pytest.raises(
        ValueError, match=r"with_peak\(peak_lr=1e-200\) scales .*: warmup_start_lr must be > 0"
    ):
        tiny.with_peak(1e-200)  # scaled to 0.0: the message says how that value came about


def test_cooldown_past_int64_names_its_steps() -> None:
    with pytest.raises(
        ValueError, match=r"at_step \+ steps .*received at_step=5, steps=9223372036854775807"
    ):
        build().cooldown(5, 2**63 - 1)
    longest = build(total_steps=2**63 - 1)
    with pytest.raises(ValueError, match=r"at_step \+ steps .*steps=np.uint32\(5\)"):
        longest.cooldown(2**63 - 1, np.uint32(5))  # not NumPy's uint32 OverflowError
