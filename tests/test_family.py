"""The schedule family: every shape, stable phase, floor and restart, against its definition.

The definitions are the Schedule docstring's, written as textbook formulas in mpmath
(``exact.exact_family_lr``): no shared code with the phase table but the boundary rounding
rule. Hypothesis draws members of the family (``strategies.family``).
"""

from __future__ import annotations

import itertools
import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exact import exact_family_lr
from strategies import family
from warmcos import Schedule
from warmcos.schedule import EDIT_SHAPES

EPS64 = 2.0**-52


def assert_close_to_exact(
    sch: Schedule, steps: list[int], values: list[float], ulps: float
) -> None:
    for s, v in zip(steps, values, strict=True):
        e = exact_family_lr(sch, s)
        if e == 0:
            assert v == 0, f"step {s}: exact 0, got {v!r} ({sch!r})"
            continue
        err = float(abs(mpmath.mpf(v) - e) / (EPS64 * abs(e)))
        assert err <= ulps, f"step {s}: {v!r} vs {float(e)!r}, {err:.2f} ulps ({sch!r})"


@settings(max_examples=60, deadline=None)
@given(family(max_total=600))
def test_every_step_equals_the_definition(sch: Schedule) -> None:
    steps = (
        list(range(sch.total_steps + 3))
        if sch.after == "hold"
        else list(range(sch.total_steps + 1))
    )
    values = sch.curve(len(steps)).tolist()
    assert_close_to_exact(sch, steps, values, ulps=16)
    # Python ints take the row-bisect fast path through math's functions: the same values
    # (bit for bit where math and NumPy agree: sin and sqrt; pow, expm1, log1p within an ulp).
    scalars = np.array([sch(s) for s in steps])
    np.testing.assert_allclose(scalars, values, rtol=2 * EPS64, atol=0)


@given(family())
def test_each_phase_starts_exactly_at_its_value_and_owns_its_first_step(sch: Schedule) -> None:
    phases = sch.describe()
    assert phases[0].begin == 0 or sch.decay_from_zero is False
    for p in phases:
        assert sch(p.begin) == p.lr_begin  # the boundary step belongs to the later phase
        if p.kind == "warmup":
            assert p.lr_begin == sch.warmup_start_lr
        elif p.kind == "stable" or p.shape == "constant":
            assert p.lr_begin == p.lr_end == sch.peak_lr
        elif not sch.decay_from_zero or p.cycle > 0:
            assert p.lr_begin == sch.peak_lr * sch.cycle_decay**p.cycle
    last = phases[-1]
    assert last.end == sch.total_steps
    assert sch(sch.total_steps) == last.lr_end
    if last.kind == "decay" and last.shape in EDIT_SHAPES:  # the decays that reach final_lr
        assert last.lr_end == sch.final_lr  # exactly, whatever the shape
    if sch.warmup_steps:
        assert sch(sch.warmup_steps) == (phases[1].lr_begin if len(phases) > 1 else sch.peak_lr)


@given(family())
def test_phases_join_where_the_spec_is_continuous(sch: Schedule) -> None:
    phases = sch.describe()
    for before, p in itertools.pairwise(phases):
        restart = p.cycle > before.cycle
        jump = restart or (sch.decay_from_zero and p.kind == "decay" and p.cycle == 0)
        if not jump:
            assert p.continuous, (before, p)
            assert math.isclose(before.lr_end, p.lr_begin, rel_tol=1e-12)


@settings(max_examples=50, deadline=None)
@given(family(max_total=5000))
def test_monotone_within_each_phase_and_within_the_bounds(sch: Schedule) -> None:
    curve = sch.curve()
    lo = min(min(p.lr_begin, p.lr_end) for p in sch.describe())
    hi = max(max(p.lr_begin, p.lr_end) for p in sch.describe())
    assert (curve >= lo).all()
    assert (curve <= hi).all()
    for p in sch.describe():
        seg = np.append(curve[p.begin : p.end], p.lr_end)
        d = np.diff(seg)
        if p.lr_end >= p.lr_begin:
            assert (d >= 0).all(), p
        else:
            assert (d <= 0).all(), p


@given(family(), st.integers(1, 10**12))
def test_hold_stays_at_the_value_at_the_end(sch: Schedule, past: int) -> None:
    if sch.after == "raise":
        with pytest.raises(ValueError, match="because after='raise'"):
            sch(sch.total_steps + past)
        return
    end = sch(sch.total_steps)
    assert sch(sch.total_steps + past) == end
    assert (sch(np.array([sch.total_steps, sch.total_steps + past])) == end).all()


@given(family(max_total=3000), st.lists(st.integers(0, 6000), min_size=1, max_size=50))
def test_branch_free_path_equals_the_concrete_one_over_the_family(
    sch: Schedule, steps: list[int]
) -> None:
    # Traced values (jit) have no bounds: every row is computed and selected with `where`.
    from warmcos import _math
    from warmcos._xp import numpy_namespace

    if sch.after == "raise":
        steps = [min(s, sch.total_steps) for s in steps]
    xp = numpy_namespace()
    got = _math.evaluate(xp, xp.steps(np.array(steps)), None, sch.params())
    assert got.tolist() == sch(np.array(steps)).tolist()


@given(family())
def test_round_trips(sch: Schedule) -> None:
    import pickle

    assert Schedule.from_dict(sch.to_dict()) == sch
    assert Schedule.from_json(sch.to_json()) == sch
    assert pickle.loads(pickle.dumps(sch)) == sch
    assert hash(pickle.loads(pickle.dumps(sch))) == hash(sch)
    assert sch.diff(sch) == {}


# -- restarts: integer boundaries, exactly where they belong ------------------------------------


def test_restart_boundaries_are_exact_integers_with_a_growing_length() -> None:
    # D = 70, m = 2, K = 3: boundaries 0, 10, 30, 70 (family-design.md's worked example)
    s = Schedule(1.0, 70, decay_shape="linear", cycles=3, cycle_mul=2, cycle_decay=0.5)
    decays = [p for p in s.describe() if p.kind == "decay"]
    assert [(p.begin, p.end) for p in decays] == [(0, 10), (10, 30), (30, 70)]
    assert [s(b) for b in (0, 10, 30)] == [1.0, 0.5, 0.25]
    assert s(9) == 0.1
    assert s(29) == 0.025
    assert s(70) == 0.0


def test_timm_t_initial_1_cycle_mul_10_restarts_at_step_111() -> None:
    # timm's float cycle index puts step 111 in cycle 2 (returning lr_min); the third cycle
    # (lengths 1, 10, 100) begins at step 111: it is that cycle's peak.
    s = Schedule(1.0, 1111, cycles=4, cycle_mul=10, cycle_decay=0.5, final_lr=0.01)
    decays = [p for p in s.describe() if p.kind == "decay"]
    assert [p.begin for p in decays] == [0, 1, 11, 111]
    assert s(111) == 0.125
    assert s(110) < 0.26


def test_cycle_warmups_floors_and_the_last_cycle_ending_at_total_steps() -> None:
    s = Schedule(
        1.0, 100, warmup_steps=10, warmup_start_lr=0.0, final_lr=0.1, cycles=3,
        cycle_decay=0.5, cycle_floor="scaled", cycle_warmup_steps=5, decay_shape="linear",
    )  # fmt: skip
    kinds = [(p.kind, p.cycle, p.begin, p.end) for p in s.describe()]
    # 100 - 10 - 2*5 = 80 decay steps: 27, 26, 27 (exact rounding of 80 k / 3)
    assert kinds == [
        ("warmup", 0, 0, 10),
        ("decay", 0, 10, 37),
        ("warmup", 1, 37, 42),
        ("decay", 1, 42, 68),
        ("warmup", 2, 68, 73),
        ("decay", 2, 73, 100),
    ]
    assert s(36) > 0.4
    assert s(37) == 0.0
    assert s(42) == 0.5
    assert s(73) == 0.25
    assert s(100) == 0.1  # the scaled floors: 0.4, 0.2, then final_lr
    assert s.describe()[1].lr_end == 0.4


def test_decay_from_zero_is_timm_warmup_prefix_false() -> None:
    # The cosine's clock starts at 0; the warmup overlays its first 4 steps; it drops at 4.
    s = Schedule(1.0, 10, warmup_steps=4, warmup_start_lr=0.1, decay_from_zero=True)
    got = [round(s(i), 3) for i in range(11)]
    assert got == [0.1, 0.325, 0.55, 0.775, 0.655, 0.5, 0.345, 0.206, 0.095, 0.024, 0.0]
    assert not s.describe()[1].continuous


# -- shapes -----------------------------------------------------------------------------------


def test_wsd_one_minus_sqrt_keeps_full_precision_at_the_last_step_of_a_1m_cooldown() -> None:
    s = Schedule(1.0, 2_000_000, stable_steps=1_000_000, decay_shape="1-sqrt")
    for step in (1_999_999, 1_999_990, 1_500_000):
        e = exact_family_lr(s, step)
        assert abs(mpmath.mpf(s(step)) - e) <= 2 * EPS64 * e
    naive = 1 - math.sqrt((1_999_999 - 1_000_000) / 1_000_000)  # what the textbook form gives
    assert abs(naive - float(exact_family_lr(s, 1_999_999))) > 1e-11 * naive


@pytest.mark.parametrize(
    ("kw", "pattern"),
    [
        (
            {"decay_shape": "spline"},
            r"decay_shape must be one of 'linear', 'cosine', .*received decay_shape='spline'",
        ),
        (
            {"warmup_shape": "inverse_sqrt"},
            r"warmup_shape must be one of .*received warmup_shape='inverse_sqrt'",
        ),
        ({"decay_shape": "exponential"}, r"final_lr must be > 0 for decay_shape='exponential'"),
        (
            {"warmup_shape": "exponential", "warmup_steps": 5},
            r"warmup_start_lr must be > 0 for warmup_shape='exponential'",
        ),
        ({"decay_shape": "inverse_sqrt"}, r"decay_shape='inverse_sqrt' needs a timescale"),
        (
            {"timescale": 10.0},
            r"timescale is only used by decay_shape='inverse_sqrt' or 'inverse_time'; received timescale=10.0 with decay_shape='cosine'",
        ),
        (
            {"power": 2.0, "decay_shape": "linear"},
            r"power is the exponent of a polynomial or cosine decay and has no effect on decay_shape='linear'; received power=2.0",
        ),
        ({"warmup_power": 2.0}, r"warmup_power is the exponent .*warmup_shape='linear'"),
        ({"power": 0.0, "decay_shape": "polynomial"}, r"power must be > 0 .*received power=0.0"),
        (
            {"cycle_mul": 2.0},
            r"cycle_mul has no effect with cycles=1 \(no restarts\); received cycle_mul=2.0",
        ),
        ({"cycles": 0}, r"cycles must be between 1 and 10000; received cycles=0"),
        ({"cycles": 2.0}, r"cycles must be an int >= 1; received cycles=2.0 of type float"),
        (
            {"cycles": 200, "cycle_mul": 2.0},
            r"cycles=200 with cycle_mul=2.0 leaves a cycle with no decay step",
        ),
        (
            {"stable_steps": 95, "warmup_steps": 5},
            r"warmup_steps \+ stable_steps must be < total_steps: the cosine decay needs at least one step; received warmup_steps=5, stable_steps=95, total_steps=100",
        ),
        (
            {"decay_shape": "constant", "final_lr": 0.01},
            r"final_lr has no effect with decay_shape='constant'",
        ),
        (
            {"decay_shape": "linear", "after": "wrap"},
            r"after='wrap' continues a cosine decay periodically.*received decay_shape='linear'",
        ),
        (
            {"cycles": 2, "cycle_decay": 0.01, "final_lr": 0.05},
            r"cycle 1's floor 0.05 is above its peak 0.001 \(peak_lr \* cycle_decay\*\*1\)",
        ),
        ({"decay_from_zero": 1}, r"decay_from_zero must be a bool; received decay_from_zero=1"),
        (
            {"decay_from_zero": True, "warmup_steps": 100, "decay_shape": "linear"},
            r"warmup_steps must be < total_steps",
        ),
        (
            {"cycles": 2, "decay_from_zero": True, "warmup_steps": 60},
            r"with decay_from_zero, the warmup and stable phase must end inside the first decay cycle \(50 steps\)",
        ),
        (
            {"cycle_floor": "relative", "cycles": 2},
            r"cycle_floor must be one of 'fixed', 'scaled'; received cycle_floor='relative'",
        ),
        (
            {"decay_shape": "exponential", "final_lr": 1e-310},
            r"an exponential phase from 0.1 to 1e-310 spans more than 300 decades",
        ),
    ],
)
def test_family_rules(kw: dict[str, object], pattern: str) -> None:
    with pytest.raises(
        ValueError if "of type" not in pattern and "bool" not in pattern else TypeError,
        match=pattern,
    ):
        Schedule(0.1, 100, **kw)  # type: ignore[arg-type]


def test_constant_decay_may_end_with_the_warmup() -> None:
    s = Schedule(1.0, 10, warmup_steps=10, decay_shape="constant")  # HF constant_with_warmup
    assert [s(i) for i in (0, 5, 10, 11)] == [0.0, 0.5, 1.0, 1.0]


def test_inverse_shapes_follow_their_timescale_towards_the_floor() -> None:
    s = Schedule(1.0, 1000, warmup_steps=10, decay_shape="inverse_sqrt", timescale=10.0)
    assert s(10) == 1.0
    assert s(30) == math.sqrt(10 / 30)
    assert s(5000) == s(1000)
    t = Schedule(1.0, 1000, decay_shape="inverse_time", timescale=4.0, final_lr=0.1)
    assert t(4) == 0.1 + 0.9 * 0.5


@settings(max_examples=40, deadline=None)
@given(family(max_total=2000), st.integers(1, 50))
def test_a_delay_holds_the_first_rate_then_runs_the_same_schedule_later(
    sch: Schedule, d: int
) -> None:
    late = sch.replace(total_steps=sch.total_steps + d, delay_steps=d)
    base = sch.curve(sch.total_steps + 1)
    got = late.curve(late.total_steps + 1)
    assert (got[:d] == sch(0)).all()
    np.testing.assert_array_equal(got[d:], base)  # every row shifted, exactly
    assert late.describe()[0].kind == "delay"
    assert Schedule.from_dict(late.to_dict()) == late
    with pytest.raises(ValueError, match=r"delay_steps must be < total_steps"):
        sch.replace(delay_steps=sch.total_steps)
