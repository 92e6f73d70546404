"""The Schedule spec: conventions at the boundaries, policies, kinds of input, serialisation."""

from __future__ import annotations

import json
import math
import pickle
from pathlib import Path

import numpy as np
import pytest

import warmcos
from warmcos import Schedule
from warmcos.schedule import FIELDS

TOY = {"peak_lr": 1.0, "total_steps": 10, "warmup_steps": 4, "warmup_start_lr": 0.1}
# research/anchors.md §1, row "TF-TPU reference" (3 decimals), and its clamped variant.
TOY_WRAP = [
    0.1,
    0.325,
    0.55,
    0.775,
    1.0,
    0.933,
    0.75,
    0.5,
    0.25,
    0.067,
    0.0,
    0.067,
    0.25,
    0.5,
    0.75,
    0.933,
]
TOY_HOLD = TOY_WRAP[:11] + [0.0] * 5


def test_conventions_on_the_toy_case() -> None:
    hold = Schedule(**TOY)
    wrap = Schedule(**TOY, after="wrap")
    assert [round(hold(s), 3) for s in range(16)] == TOY_HOLD
    assert [round(wrap(s), 3) for s in range(16)] == TOY_WRAP
    assert hold(0) == 0.1  # step 0 uses the warmup start
    assert hold(3) < hold(4) == 1.0  # w - 1 is one increment short; the peak is at w
    assert hold(9) > 0.0 == hold(10)  # the final value is reached at T, not at T - 1
    assert wrap(2 * 10 - 4) == 1.0  # the reference is back at the peak at 2T - w


def test_raise_policy() -> None:
    sch = Schedule(**TOY, after="raise")
    assert sch(10) == 0.0
    with pytest.raises(
        ValueError, match=r"step must be <= total_steps=10 because after='raise'; received step=11"
    ):
        sch(11)
    with pytest.raises(ValueError, match="received step=12"):
        sch(np.arange(13))


def test_no_warmup_starts_at_the_peak() -> None:
    sch = Schedule(peak_lr=0.4, total_steps=10_000)
    assert sch(0) == 0.4
    assert sch(np.array([0]))[0] == 0.4


def test_falling_warmup() -> None:
    sch = Schedule(peak_lr=0.05, total_steps=5000, warmup_steps=200, warmup_start_lr=0.2)
    assert sch(0) == 0.2
    assert sch(100) == pytest.approx(0.125, rel=1e-15)
    assert sch(200) == 0.05


def test_one_step_decay() -> None:
    sch = Schedule(peak_lr=0.2, total_steps=10, warmup_steps=9)
    assert sch(9) == 0.2
    assert sch(10) == 0.0


def test_total_steps_one() -> None:
    sch = Schedule(peak_lr=1.0, total_steps=1)
    assert [sch(0), sch(1), sch(2)] == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    "dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint32, np.uint64]
)
def test_numpy_integer_dtypes_give_float64(dtype: type) -> None:
    sch = Schedule(**TOY)
    got = sch(np.arange(12).astype(dtype))
    assert got.dtype == np.float64
    assert got.tolist() == [sch(s) for s in range(12)]


@pytest.mark.parametrize(
    ("dtype", "out"), [(np.float16, np.float32), (np.float32, np.float32), (np.float64, np.float64)]
)
def test_numpy_float_steps_keep_their_precision(dtype: type, out: type) -> None:
    sch = Schedule(**TOY)
    got = sch(np.arange(12).astype(dtype))
    assert got.dtype == out
    np.testing.assert_allclose(got, [sch(s) for s in range(12)], rtol=1e-7)


def test_shapes_scalars_and_empty_arrays() -> None:
    sch = Schedule(**TOY)
    grid = np.arange(12).reshape(3, 4)
    assert sch(grid).shape == (3, 4)
    assert sch(grid)[1, 0] == 1.0
    assert sch(np.array([], dtype=np.int64)).shape == (0,)
    scalar = sch(np.int64(4))
    assert isinstance(scalar, np.float64)
    assert scalar == 1.0
    assert isinstance(sch(4), float)
    assert isinstance(sch(4.0), float)
    assert sch(4.5) == pytest.approx((1 + math.cos(math.pi * 0.5 / 6)) / 2, rel=1e-15)
    assert sch(1.5) == pytest.approx(0.1 + 0.9 * 1.5 / 4, rel=1e-15)
    big = np.arange(100_003)  # more than one evaluation block, and a partial last block
    assert sch(big)[-1] == sch(100_002)


def test_lists_tuples_and_ranges_are_arrays_of_steps() -> None:
    sch = Schedule(**TOY)
    expected = [sch(s) for s in range(12)]
    for steps in (list(range(12)), tuple(range(12)), range(12)):
        got = sch(steps)
        assert isinstance(got, np.ndarray)
        assert got.tolist() == expected
    assert sch([[0, 4], [10, 11]]).tolist() == [[0.1, 1.0], [0.0, 0.0]]
    with pytest.raises(ValueError, match="received step=-1"):
        sch([3, -1])
    with pytest.raises(TypeError, match="received an array of dtype <U1"):
        sch(["a"])


def test_curve() -> None:
    sch = Schedule(**TOY)
    assert sch.curve().tolist() == [sch(s) for s in range(11)]
    assert sch.curve(16).tolist() == [sch(s) for s in range(16)]
    assert sch.curve(0).shape == (0,)
    with pytest.raises(ValueError, match=r"received step=15"):
        Schedule(**TOY, after="raise").curve(16)
    with pytest.raises(ValueError, match=r"curve\(\) stop must be an int >= 0; received stop=-1"):
        sch.curve(-1)


def test_durations_resolve_before_anything_is_stored() -> None:
    a = Schedule(peak_lr=0.1, total_steps="90ep", warmup_steps="5%", steps_per_epoch=100)
    assert (a.total_steps, a.warmup_steps) == (9000, 450)
    assert a == Schedule(peak_lr=0.1, total_steps=9000, warmup_steps=450)
    assert Schedule(peak_lr=0.1, total_steps=9000, warmup_steps=0.05).warmup_steps == 450
    assert (
        Schedule(
            peak_lr=0.1, total_steps=9000, warmup_steps="2ep", steps_per_epoch=100
        ).warmup_steps
        == 200
    )
    assert "steps_per_epoch" not in a.to_dict()


def test_immutable_hashable_picklable() -> None:
    sch = Schedule(**TOY)
    with pytest.raises(AttributeError):
        sch.peak_lr = 2.0  # type: ignore[misc]
    assert {sch: 1}[Schedule(**TOY)] == 1
    assert pickle.loads(pickle.dumps(sch)) == sch
    assert sch != Schedule(**{**TOY, "final_lr": 0.01})
    assert "peak_lr=1.0" in repr(sch)


def test_to_dict_is_the_constructor_arguments_with_a_version() -> None:
    sch = Schedule(**TOY, final_lr=0.01, after="wrap")
    d = sch.to_dict()
    defaults = {f.name: f.default for f in FIELDS if not f.required} | {"edits": []}
    assert d == {"version": 2, **defaults, **TOY, "final_lr": 0.01, "after": "wrap"}
    assert list(d) == ["version", *(f.name for f in FIELDS)]
    assert json.loads(sch.to_json()) == d
    assert Schedule(**{k: v for k, v in d.items() if k != "version"}) == sch


def test_replace_and_params() -> None:
    sch = Schedule(**TOY)
    assert sch.replace(total_steps=20).total_steps == 20
    with pytest.raises(ValueError, match="warmup_steps must be < total_steps"):
        sch.replace(total_steps=4)
    with pytest.raises(TypeError, match=r"unknown parameters \['peak'\]"):
        sch.replace(peak=1.0)
    p = sch.params(peak_lr=2.0)
    assert (p.rates, p.total_steps, p.after) == ((0.1, 2.0, 0.0), 10, "hold")
    assert p.rows == sch.params().rows  # the table is the schedule's: only the rates change
    assert sch.params().rates is None  # no override: the rows' own resolved values
    with pytest.raises(TypeError, match=r"overrides only"):
        sch.params(total_steps=3)


def test_with_peak_keeps_exact_endpoints_and_ratios() -> None:
    sch = Schedule(
        peak_lr=0.1, total_steps=100, warmup_steps=10, warmup_start_lr=0.01, final_lr=0.001
    )
    g = sch.with_peak(3e-4)
    assert g.peak_lr == 3e-4
    assert g(10) == 3e-4
    assert g.final_lr == pytest.approx(3e-6, rel=1e-15)
    assert g(100) == g.final_lr
    with pytest.raises(ValueError, match="peak_lr is 0"):
        Schedule(peak_lr=0.0, total_steps=10).with_peak(1.0)


def test_load_json_toml_yaml(tmp_path: Path) -> None:
    sch = Schedule(**TOY, final_lr=0.01)
    (tmp_path / "s.json").write_text(sch.to_json())
    (tmp_path / "s.toml").write_text(
        'version = 1\npeak_lr = 1.0\ntotal_steps = "90ep"\nwarmup_steps = "5%"\n'
        'steps_per_epoch = 10\nafter = "wrap"\n'
    )
    (tmp_path / "s.yaml").write_text(
        "version: 1\npeak_lr: 1.0\ntotal_steps: 10\nwarmup_steps: 4\n"
        "warmup_start_lr: 0.1\nfinal_lr: 0.01\n"
    )
    assert warmcos.load(tmp_path / "s.json") == sch
    assert warmcos.load(tmp_path / "s.yaml") == sch
    toml = warmcos.load(str(tmp_path / "s.toml"))
    assert (toml.total_steps, toml.warmup_steps, toml.after) == (900, 45, "wrap")


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"must end in \.json, \.toml, \.yaml or \.yml"):
        warmcos.load(tmp_path / "s.ini")
    with pytest.raises(ValueError, match="cannot read schedule file"):
        warmcos.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ValueError, match="cannot parse schedule file"):
        warmcos.load(tmp_path / "bad.json")
    (tmp_path / "bad.yaml").write_text("a: [")
    with pytest.raises(ValueError, match="cannot parse schedule file"):
        warmcos.load(tmp_path / "bad.yaml")
    # The safe loader: no Python objects from YAML tags.
    (tmp_path / "evil.yaml").write_text("!!python/object/apply:os.system ['true']")
    with pytest.raises(ValueError, match="cannot parse schedule file"):
        warmcos.load(tmp_path / "evil.yaml")
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(
        ValueError, match=r"list.json' must hold a mapping of parameters; received list"
    ):
        warmcos.load(tmp_path / "list.json")


def test_a_version_1_config_of_warmcos_0_1_still_loads() -> None:
    path = Path(__file__).parent / "data" / "v1" / "warmcos-0.1.0-schedule.json"
    old = warmcos.load(path)
    assert old == Schedule(3e-4, 1000, warmup_steps=50, warmup_start_lr=3e-5, final_lr=3e-6)
    assert old.to_dict()["version"] == 2
