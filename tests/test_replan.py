"""Re-planning (replan, cooldown) and introspection (describe, first_step_below, area).

Every property is checked against ``schedule(step)`` itself at every step of small cases.
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import assume, given, reject, settings
from hypothesis import strategies as st

from strategies import family
from warmcos import Schedule
from warmcos.schedule import EDIT_SHAPES


@settings(max_examples=60, deadline=None)
@given(family(max_total=3000), st.data())
def test_replan_keeps_the_prefix_is_continuous_and_reaches_final_lr(
    sch: Schedule, data: st.DataObject
) -> None:
    assume(sch.decay_shape in EDIT_SHAPES)  # the decays that reach final_lr
    at = data.draw(st.integers(0, sch.total_steps - 1), label="at")
    new_total = data.draw(st.integers(at + 1, 3 * sch.total_steps), label="total")
    head = sch.warmup_steps + sch.stable_steps
    assume(not (at <= head and new_total <= head))  # a total that ends before the decay begins
    assume(sch(at) >= sch.final_lr)
    try:
        new = sch.replan(at, total_steps=new_total)
    except ValueError as error:  # at step 0, replan is replace(): too short a total for cycles
        if "cycle" not in str(error):
            raise
        reject()
    assert new.total_steps == new_total
    assert new.curve(at).tolist() == sch.curve(at).tolist()  # identical before at
    assert new(at) == sch(at)  # and continuous there (NumPy's pow/expm1 may round an ulp off)
    assert new(new_total) == pytest.approx(sch.final_lr, rel=1e-12, abs=0) or new(new_total) == sch(
        new_total
    )
    last = new.describe()[-1]
    assert last.shape == sch.decay_shape
    assert Schedule.from_dict(new.to_dict()) == new
    assert pickle.loads(pickle.dumps(new)) == new
    if new.after == "hold":
        assert new(new_total + 10) == new(new_total)


@settings(max_examples=60, deadline=None)
@given(family(max_total=3000), st.data())
def test_cooldown_branches_from_the_current_rate(sch: Schedule, data: st.DataObject) -> None:
    at = data.draw(st.integers(1, sch.total_steps), label="at")
    steps = data.draw(st.integers(1, 2000), label="steps")
    shape = data.draw(st.sampled_from(EDIT_SHAPES), label="shape")
    # a geometric cooldown needs a floor > 0, within 300 decades of the rate it starts from
    assume(sch(at) >= sch.final_lr)
    assume(shape != "exponential" or (sch.final_lr > 0 and sch(at) / sch.final_lr < 1e300))
    branch = sch.cooldown(at, steps, shape=shape)
    assert branch.curve(at).tolist() == sch.curve(at).tolist()
    assert branch(at) == sch(at)
    assert branch.total_steps == at + steps
    assert branch(at + steps) == sch.final_lr  # exactly
    tail = branch.curve(at, at + steps + 1)
    assert (np.diff(tail) <= 0).all()  # a decay, monotone
    assert branch.describe()[-1].shape == shape


def test_replan_in_the_stable_phase_moves_only_the_end() -> None:
    wsd = Schedule(1.0, 1000, warmup_steps=100, stable_steps=700, decay_shape="1-sqrt")
    longer = wsd.replan(500, total_steps=2000)
    assert longer == wsd.replace(total_steps=2000)  # the decay still starts at 800
    assert longer.edits == ()


def test_replan_inside_the_decay_is_one_new_decay_from_the_current_rate() -> None:
    s = Schedule(1.0, 1000, warmup_steps=100, final_lr=0.1)
    r = s.replan(600, total_steps=3000)
    assert r.edits == ((600, "cosine", 1000),)
    assert r(600) == s(600)
    assert r(601) > s(601)  # the remaining decay is stretched
    assert r(3000) == 0.1
    # chained: the second edit keeps the first
    rr = r.replan(2000, total_steps=2500)
    assert rr.edits == ((600, "cosine", 1000), (2000, "cosine", 3000))
    assert rr.curve(2001).tolist() == r.curve(2001).tolist()
    assert rr(2500) == 0.1
    # an edited schedule scales like any other
    assert rr.with_peak(2.0)(2500) == pytest.approx(0.2)
    assert rr.with_peak(2.0)(600) == pytest.approx(2 * rr(600), rel=1e-15)


def test_cooldown_of_a_wsd_run_at_its_checkpoint() -> None:
    wsd = Schedule(3e-4, 100_000, warmup_steps=1000, stable_steps=98_000, decay_shape="1-sqrt")
    branch = wsd.cooldown(40_000, 4_000)
    assert branch(39_999) == branch(40_000) == 3e-4
    assert branch(44_000) == 0.0
    assert 0 < branch(43_999) < 1e-5


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (
            lambda s: s.replan(-1, 100),
            r"at_step must be an int in \[0, total_steps=1000\]; received at_step=-1",
        ),
        (
            lambda s: s.cooldown(0, 10),
            r"at_step must be an int in \[1, total_steps=1000\]; received at_step=0",
        ),
        (lambda s: s.cooldown(10, 0), r"steps must be an int >= 1; received steps=0"),
        (
            lambda s: s.cooldown(500, 10, shape="inverse_sqrt"),
            r"an edit's shape must be one of 'linear', 'cosine'",
        ),
        (lambda s: s.replan(500, 400), r"a re-planned decay from step 500 must end after it"),
        (
            lambda s: s.replace(decay_shape="inverse_sqrt", timescale=5.0).replan(500, 2000),
            r"decay_shape='inverse_sqrt' has no end",
        ),
        (
            lambda s: Schedule(0.1, 100, final_lr=0.05, warmup_steps=50).cooldown(10, 10),
            r"the rate at step 10 \(0.0200.*\) is below final_lr=0.05",
        ),
        (
            lambda s: s.replace(edits=[(10, "cosine")]),
            r"each edit must be \(at_step, shape, planned_total\)",
        ),
        (
            lambda s: s.replace(edits=[(500, "cosine", 1000), (400, "linear", 900)]),
            r"after the previous edit's",
        ),
        (lambda s: s.replan(500, 2000).replace(after="wrap"), r"after='wrap' .*no edits"),
    ],
)
def test_replanning_rules(call: object, pattern: str) -> None:
    s = Schedule(0.1, 1000, warmup_steps=100)
    with pytest.raises((ValueError, TypeError), match=pattern):
        call(s)  # type: ignore[operator]


def test_edits_in_a_config_file_are_mappings() -> None:
    r = Schedule(0.1, 1000, warmup_steps=100).replan(600, 2000)
    d = r.to_dict()
    assert d["edits"] == [{"at_step": 600, "shape": "cosine", "planned_total": 1000}]
    assert Schedule.from_json(r.to_json()) == r


# -- introspection -------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(family(max_total=2000), st.floats(0.0, 1.0), st.integers(0, 500))
def test_first_step_below_is_the_brute_force_answer(sch: Schedule, frac: float, start: int) -> None:
    x = frac * sch.peak_lr
    curve = sch.curve()
    hits = [s for s in range(start, sch.total_steps + 1) if curve[s] <= x]
    assert sch.first_step_below(x, start=start) == (hits[0] if hits else None)


@settings(max_examples=60, deadline=None)
@given(family(max_total=5000), st.data())
def test_area_is_the_exact_sum_of_the_rates(sch: Schedule, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, sch.total_steps))
    stop = data.draw(st.integers(start, sch.total_steps + (50 if sch.after == "hold" else 1)))
    # exactly the sum of the curve's values (Python ints may differ by an ulp for pow/expm1)
    assert sch.area(start, stop) == math.fsum(sch.curve(start, stop).tolist())
    assert math.isclose(
        sch.area(start, stop), math.fsum(sch(s) for s in range(start, stop)), rel_tol=1e-14
    )
    assert sch.area() == math.fsum(sch.curve(sch.total_steps).tolist())


def test_area_of_known_shapes() -> None:
    assert Schedule(1.0, 4, decay_shape="linear").area() == 2.5
    assert Schedule(1.0, 10, decay_shape="constant").area() == 10.0
    cosine = Schedule(1.0, 100_000)
    assert cosine.area() == pytest.approx(50_000.5, rel=1e-9)  # half the box, plus step 0's half
    with pytest.raises(ValueError, match=r"area\(\) needs start <= stop; received start=5, stop=2"):
        cosine.area(5, 2)


def test_describe_is_the_phase_table_and_repr_is_readable() -> None:
    s = Schedule(1.0, 100, warmup_steps=10, stable_steps=50, decay_shape="1-sqrt", final_lr=0.1)
    assert [(p.kind, p.shape, p.begin, p.end, p.lr_begin, p.lr_end) for p in s.describe()] == [
        ("warmup", "linear", 0, 10, 0.0, 1.0),
        ("stable", "constant", 10, 60, 1.0, 1.0),
        ("decay", "1-sqrt", 60, 100, 1.0, 0.1),
    ]
    assert repr(s) == (
        "Schedule(peak_lr=1.0, total_steps=100, warmup_steps=10, warmup_start_lr=0.0, "
        "final_lr=0.1, after='hold', stable_steps=50, decay_shape='1-sqrt')"
    )


def test_a_replan_on_a_restart_step_starts_from_the_restart_peak() -> None:
    # the boundary step belongs to the later cycle: its rate is the restart's peak
    s = Schedule(1.0, 16, decay_shape="linear", cycles=4, cycle_decay=0.5)
    r = s.replan(4, total_steps=10)
    assert r(4) == s(4) == 0.5
    assert r(3) == s(3)
    assert r(10) == 0.0


def test_a_constant_decay_is_planned_to_the_first_edits_total() -> None:
    # The constant phase ran to the edited total_steps, not the planned one: a delay as long
    # as the new total left no row at all (an IndexError), and a cut found no phase there.
    delayed = Schedule(1.0, 4, decay_shape="constant", delay_steps=2).cooldown(1, 1, "linear")
    assert delayed.curve(0, 4).tolist() == [1.0, 1.0, 0.0, 0.0]
    plateau = Schedule(1.0, 100, decay_shape="constant", warmup_steps=10, delay_steps=5)
    branch = plateau.cooldown(50, 10, "linear")
    assert branch.curve(50).tolist() == plateau.curve(50).tolist()
    assert branch.curve(50, 61).tolist() == pytest.approx([1.0 - k / 10 for k in range(11)])
    assert branch(60) == 0.0
