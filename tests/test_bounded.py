"""Bounded work for every accepted input, and every refusal before the work (issue 15, item 2).

The work is asserted by structure, never by a clock: the ticks drawn, the points handed to
the renderer, the steps evaluated (counted where ``_math._row`` computes them), the Python
lines run (``sys.settrace``, so that an unbounded loop fails the test instead of hanging it),
the exact fractions built. The worst cases also run as processes under a generous timeout
and a memory cap, as a guard against hangs only (``benchmarks/worst_cases.py`` times them).
"""

from __future__ import annotations

import contextlib
import fractions
import itertools
import math
import subprocess
import sys
from collections.abc import Iterator
from fractions import Fraction
from types import FrameType
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import warmcos._lower as wlower
import warmcos._math as wmath
import warmcos._xp as wxp
import warmcos.schedule as wschedule
from strategies import family
from warmcos import Schedule
from warmcos._cli import compare, sample, view

BIG = 2**63 - 1


class ExhaustedError(Exception):
    """More work than a test's budget: raised instead of doing it."""


@contextlib.contextmanager
def line_budget(limit: int) -> Iterator[list[int]]:
    """Run the block with at most ``limit`` Python lines executed (all frames), else raise."""
    count = [0]

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            count[0] += 1
            if count[0] > limit:
                raise ExhaustedError(f"more than {limit} lines")
        return local

    def start(frame: FrameType, event: str, arg: Any) -> Any:
        return local

    sys.settrace(start)
    try:
        yield count
    finally:
        sys.settrace(None)


@contextlib.contextmanager
def step_budget(monkeypatch: pytest.MonkeyPatch, limit: float) -> Iterator[list[int]]:
    """Count the steps the evaluator computes (every row's steps); raise past ``limit``."""
    count = [0]
    row = wmath._row

    def counted(xp: Any, s: Any, *args: Any, **kwargs: Any) -> Any:
        count[0] += int(np.size(s))
        if count[0] > limit:
            raise ExhaustedError(f"more than {limit} steps evaluated")
        return row(xp, s, *args, **kwargs)

    monkeypatch.setattr(wmath, "_row", counted)
    yield count


def run_guarded(code: str, timeout: float = 60.0, memory_mb: int = 2000) -> None:
    """Run ``code`` in a fresh interpreter, killed past ``timeout`` or ``memory_mb``.

    The child caps its own address space first: no ``preexec_fn``, which makes subprocess
    run the parent's fork handlers (JAX's, once imported by another test, warn there).
    """
    size = memory_mb * 2**20
    cap = f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({size}, {size}))\n"
    proc = subprocess.run(
        [sys.executable, "-c", cap + code],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode in (0, 2), proc.stderr[-2000:]


# -- ticks ----------------------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(
    lo=finite | st.sampled_from([0.0, 5e-324, 1e-320]),
    hi=finite | st.sampled_from([5e-324, 1e-320, 1e-310, 1.7976931348623157e308]),
    most=st.integers(0, 40),
)
def test_ticks_are_few_and_finite_for_any_finite_range(lo: float, hi: float, most: int) -> None:
    with line_budget(5_000):
        ticks = sample.nice_ticks(lo, hi, most)
    assert len(ticks) <= max(2, most) + 2
    assert all(math.isfinite(t) for t in ticks)
    assert ticks == sorted(set(ticks))
    if hi > lo:
        tolerance = 1e-11 * max(abs(lo), abs(hi))  # a float's error in a bound
        assert all(lo - tolerance <= t <= hi + tolerance for t in ticks)
        assert ticks  # a range always gets a tick (a step of 5 over [1, 4] gave none)
    else:
        assert ticks == [lo]


@settings(max_examples=200, deadline=None)
@given(lo=st.integers(0, BIG), width=st.integers(0, BIG), most=st.integers(2, 40))
def test_step_ticks_are_whole_and_few(lo: int, width: int, most: int) -> None:
    hi = min(lo + width, BIG)
    with line_budget(5_000):
        ticks = sample.nice_ticks(lo, hi, most, integer=True)
    assert len(ticks) <= most + 2
    ulp = math.ulp(float(hi))  # a tick is a float: beyond 2**53 it is rounded
    assert all(float(t).is_integer() and lo - ulp <= t <= hi + ulp for t in ticks)
    assert ticks  # ends are whole: every range has a whole tick, two when it is wider than 1
    assert len(ticks) >= 2 or hi - lo <= max(1, 4 * ulp)  # past 2**53 near ticks round together


@pytest.mark.parametrize("integer", [False, True])
@pytest.mark.parametrize("most", [1, 2, 3])
def test_a_short_range_gets_two_ticks(most: int, integer: bool) -> None:
    # the coarsest round step (5) had no multiple in [1, 4]: an axis with no label
    assert sample.nice_ticks(1, 4, most, integer=integer) == [2.0, 4.0]


def test_a_subnormal_peak_draws() -> None:
    # looped ~1e21 times growing to gigabytes; at a smaller height, a StopIteration traceback
    for height in ("30", "10"):
        run_guarded(
            "from warmcos.cli import main\n"
            f"assert main(['plot', '--no-file', '--peak-lr', '1e-320', '--height', '{height}']) "
            "== 0"
        )


# -- restart boundaries ---------------------------------------------------------------------


def exact_bounds(span: int, cycles: int, mul: str) -> tuple[list[int], int]:
    """The reference: every boundary rounded exactly, and how many are within 1e-30 of a tie."""
    m = Fraction(mul)
    den = m**cycles - 1
    values = [span * (m**k - 1) / den for k in range(cycles + 1)]
    near = sum(abs(v - math.floor(v) - Fraction(1, 2)) < Fraction(1, 10**30) for v in values)
    return [round(v) for v in values], near


@contextlib.contextmanager
def decimal_fractions() -> Iterator[list[int]]:
    """Count the ``Fraction`` objects built from a decimal string (an exact boundary's start)."""
    count = [0]

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        code = frame.f_code
        if event == "call" and code.co_name == "__new__" and code.co_filename == FRACTIONS:
            count[0] += isinstance(frame.f_locals.get("numerator"), str)

    sys.setprofile(profile)
    try:
        yield count
    finally:
        sys.setprofile(None)


FRACTIONS = fractions.__file__


muls = st.sampled_from(["2.0", "3.0", "0.5", "1.5", "10.0", "1.0001", "0.9999", "1e-05", "7.0"])
muls |= st.builds(lambda n, d: repr(n / d), st.integers(1, 9), st.integers(1, 9)).filter(
    lambda m: m != "1.0"
)
muls |= st.floats(0.01, 100.0).map(repr).filter(lambda m: m != "1.0")


@settings(max_examples=300, deadline=None)
@example(span=2, cycles=2, mul="3.0")  # boundary 1 is 2 * 2 / 8 = 0.5 exactly: half to even
@example(span=10**12, cycles=60, mul="1.0001")
@given(
    span=st.integers(1, 200) | st.integers(1, BIG),
    cycles=st.integers(2, 60),
    mul=muls,
)
def test_restart_boundaries_are_exact_without_growing_fractions(
    span: int, cycles: int, mul: str
) -> None:
    from itertools import pairwise

    want, near_ties = exact_bounds(span, cycles, mul)
    with decimal_fractions() as built:
        got = wlower._cycle_lengths(span, cycles, float(mul))
    assert got == [b - a for a, b in pairwise(want)]
    # fractions of k digits for every cycle made 5000 cycles a 33 s build: only a boundary
    # within 1e-30 of a half step is recomputed exactly
    assert built[0] <= near_ties


def test_the_largest_restart_schedules_build() -> None:
    # 33 s for 5000 cycles (and minutes before the ValueError of some cycle_mul values)
    run_guarded(
        "from warmcos import Schedule\n"
        "Schedule(1.0, 10**12, cycles=5000, cycle_mul=1.0001)\n"
        f"Schedule(1.0, {BIG}, cycles=10000, cycle_mul=1.0000000000000002)\n"
        "for mul in (1e300, 1e-300, 2.0):\n"
        "    try:\n"
        f"        Schedule(1.0, {BIG}, cycles=10000, cycle_mul=mul)\n"
        "    except ValueError as error:\n"
        "        assert 'no decay step' in str(error)\n"
        "    else:\n"
        "        raise AssertionError(mul)\n"
    )


# -- many phases ----------------------------------------------------------------------------

MANY = Schedule(1.0, 200_000, cycles=2000, cycle_warmup_steps=3, cycle_decay=0.999)


def test_a_curve_over_many_phases_evaluates_each_step_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a where chain over every row of a block cost rows x steps
    want = MANY.curve()
    with step_budget(monkeypatch, 2 * (MANY.total_steps + 1)) as count:
        got = MANY.curve()
        shuffled = np.random.default_rng(0).permutation(MANY.total_steps + 1)
        mixed = MANY(shuffled)
    assert count[0] <= 2 * (MANY.total_steps + 1)
    assert got.tolist() == want.tolist()
    assert mixed.tolist() == want[shuffled].tolist()


def test_edits_cost_their_number_and_are_capped() -> None:
    edits = [(i, "linear", 10**6) for i in range(1, 2001)]
    with line_budget(400_000):  # each edit rebuilt the row list: 2000**2 / 2 lines
        s = Schedule(1.0, 10**6, edits=edits)
    assert len(s.describe()) == 2001

    def endless() -> Iterator[tuple[int, str, int]]:
        for i in itertools.count(1):
            if i > wschedule.MAX_EDITS + 2:
                raise ExhaustedError("read past the cap")
            yield (i, "linear", 10**12)

    with pytest.raises(ValueError, match=r"edits must hold at most 10000 re-planned decays"):
        Schedule(1.0, 10**12, edits=endless())


# -- plots ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("cycles", "mul"), [(10_000, 1.0), (3_000, 1.001)])
def test_a_plot_of_many_cycles_hands_the_renderer_a_few_points_per_column(
    cycles: int, mul: float
) -> None:
    s = Schedule(0.1, BIG, cycles=cycles, cycle_mul=mul, cycle_warmup_steps=10**9)
    columns, dots = 400, 200
    v = view.view([("s", s)], 0, s.total_steps, columns, dots)
    (curve,) = v.curves
    assert len(curve.steps) <= 4 * dots + 2  # before: two per restart (40,000)
    drawn = [x * dots // s.total_steps for x in curve.steps]
    assert drawn == sorted(drawn)  # column by column (inside one, nearest extreme first)
    # the picture is unchanged: every column spans exactly the values of all its samples
    full = sample.plot_steps(s, 0, s.total_steps, columns)
    values = sample.evaluate(s, full)
    for points, lrs in ((full, values), (curve.steps, curve.lrs)):
        by_column: dict[int, list[float]] = {}
        for x, y in zip(points, lrs, strict=True):
            by_column.setdefault(x * dots // s.total_steps, []).append(y)
        if points is full:
            want = {c: (min(ys), max(ys)) for c, ys in by_column.items()}
        else:
            assert {c: (min(ys), max(ys)) for c, ys in by_column.items()} == want


def test_a_wrapped_plot_past_many_periods_samples_two_extremes_per_column() -> None:
    s = Schedule(1.0, 1000, warmup_steps=10, after="wrap")
    steps = sample.plot_steps(s, 0, 10**15, 400)
    assert len(steps) <= 401 + 400 * 2 * 2 + 10  # the edges, two extremes per column, b-1 and b
    lrs = sample.evaluate(s, steps)
    assert max(lrs[-100:]) == 1.0  # each column spans the whole range
    assert min(lrs[-100:]) == 0.0


def test_the_worst_plots_finish() -> None:
    for args in (
        ["--total-steps", str(BIG), "--cycles", "10000"],
        ["--total-steps", "1000000000", "--cycles", "10000", "--cycle-mul", "1.0001"],
        ["--after", "wrap", "--until", str(BIG)],
    ):
        run_guarded(
            f"from warmcos.cli import main\nassert main(['plot', '--no-file', *{args!r}]) == 0"
        )


# -- compare --------------------------------------------------------------------------------


def _counting_evaluate(monkeypatch: pytest.MonkeyPatch, total: int, each: int) -> list[int]:
    """Record the steps of every evaluation of the table; raise past ``total`` or ``each``."""
    calls: list[int] = []
    real = compare.evaluate

    def counted(schedule: Schedule, steps: Any) -> list[float]:
        calls.append(len(steps))
        if sum(calls) > total or len(steps) > each:
            raise ExhaustedError(f"{len(steps)} steps at once, {sum(calls)} in all")
        return real(schedule, steps)

    monkeypatch.setattr(compare, "evaluate", counted)
    return calls


def test_an_exact_comparison_is_evaluated_a_block_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    named = [(f"w{i}", Schedule(0.1, 100_000, warmup_steps=i)) for i in range(20)]
    # every schedule's whole curve was one list, all of them at once (4 GB for 50 x 2M)
    _counting_evaluate(monkeypatch, 20 * 100_001, 1 << 16)
    rows, exact = compare.differences(named)
    assert exact
    assert rows[5].peak_step == 5
    assert rows[5].at is not None
    assert rows[0].area == pytest.approx(named[0][1].area(), rel=1e-12)


def test_a_sampled_comparison_costs_each_schedule_its_own_phases(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    n, phases = 30, 301
    named = [(f"w{i}", Schedule(0.1, 10**9, warmup_steps=i + 1, cycles=300)) for i in range(n)]
    # each schedule and the first, at 65,536 steps and both sides of the two's boundaries
    # (before: every schedule at both sides of all 30 schedules' boundaries)
    each = compare._SAMPLES + 1 + 2 * 2 * (phases + 2)
    _counting_evaluate(monkeypatch, 2 * n * each, each)
    table, exact = compare.differences(named)
    assert not exact
    for (_, s), row in zip(named, table, strict=True):  # the peak is still exact
        assert (row.peak_step, row.peak_lr) == (s.warmup_steps, 0.1)


def test_comparing_50_schedules_finishes() -> None:
    specs = [f"--warmup-steps {i}" for i in range(1, 51)]
    run_guarded(
        "from warmcos.cli import main\n"
        f"assert main(['compare', *{specs!r}, '--total-steps', '1999999', '--no-terminal']) "
        "== 0"
    )


# -- area -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "schedule",
    [
        Schedule(1.0, 10**12),
        Schedule(1.0, 10**12, warmup_steps=10**6, stable_steps=10**11, decay_shape="1-sqrt"),
        Schedule(
            1.0, BIG, cycles=50, cycle_mul=1.5, final_lr=1e-7, cycle_floor="scaled", cycle_decay=0.8
        ),
        Schedule(1.0, 10**12, decay_shape="exponential", final_lr=1e-290),
        Schedule(1.0, 10**12, decay_shape="inverse_sqrt", timescale=1e-3, final_lr=1e-5),
    ],
)
def test_area_over_a_trillion_steps_evaluates_a_bounded_number(
    monkeypatch: pytest.MonkeyPatch, schedule: Schedule
) -> None:
    with step_budget(monkeypatch, 10**6):  # every step, before: hours
        total = schedule.area(0, schedule.total_steps)
    assert 0 < total <= schedule.total_steps * schedule.peak_lr


def test_area_past_the_end_is_arithmetic_and_raise_refuses_before_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = Schedule(1.0, 1000, final_lr=0.25)
    with step_budget(monkeypatch, 10**5):
        assert s.area(0, 10**30) == pytest.approx(s.area() + (10**30 - 1000) * 0.25, rel=1e-15)
        wrapped = Schedule(1.0, 1000, warmup_steps=10, after="wrap").area(0, 10**30)
    assert wrapped == pytest.approx(10**30 / 2, rel=1e-6)
    with step_budget(monkeypatch, 0), pytest.raises(ValueError, match=r"after='raise'"):
        s.replace(after="raise").area(0, 10**12)


@settings(max_examples=60, deadline=None)
@given(sch=family(max_total=60_000), data=st.data())
def test_area_summed_phase_by_phase_matches_the_exact_sum(
    sch: Schedule, data: st.DataObject
) -> None:
    import warmcos._sums as sums

    start = data.draw(st.integers(0, sch.total_steps))
    stop = data.draw(st.integers(start, sch.total_steps + (5000 if sch.after != "raise" else 1)))
    want = sch.area(start, stop)  # the exact fsum of the curve: these ranges are short
    with pytest.MonkeyPatch.context() as patch:  # the long-range method on every phase it can
        patch.setattr(wschedule, "EXACT_AREA_STEPS", 0)
        patch.setattr(sums, "EXACT_STEPS", 1100)
        got = sch.area(start, stop)
    assert got == pytest.approx(want, rel=1e-13, abs=1e-300)


SHAPES = [
    {"decay_shape": "cosine", "final_lr": 1e-3},
    {"decay_shape": "cosine", "power": 7.5},
    {"decay_shape": "linear", "warmup_shape": "exponential", "warmup_start_lr": 1e-6},
    {"decay_shape": "polynomial", "power": 0.05, "warmup_shape": "polynomial", "warmup_power": 3},
    {"decay_shape": "polynomial", "power": 50.0, "warmup_shape": "log"},
    {"decay_shape": "exponential", "final_lr": 1e-200},  # 460 e-folds: a scale of ~600 steps
    {"decay_shape": "1-sqrt", "stable_steps": 100_000, "warmup_shape": "1-sqrt"},
    {"decay_shape": "inverse_sqrt", "timescale": 1e-3},
    {"decay_shape": "inverse_time", "timescale": 100.0, "final_lr": 1e-3},
    {"cycles": 3, "cycle_mul": 1.5, "cycle_decay": 0.5, "decay_from_zero": True},
]


@pytest.mark.parametrize("kwargs", SHAPES)
def test_long_phases_of_every_shape_sum_to_the_exact_sum(
    monkeypatch: pytest.MonkeyPatch, kwargs: dict[str, Any]
) -> None:
    import warmcos._sums as sums

    s = Schedule(1.0, 300_000, warmup_steps=50_000, **kwargs)
    want = s.area(0, s.total_steps + 1)
    monkeypatch.setattr(wschedule, "EXACT_AREA_STEPS", 0)
    calls = [0]
    long = sums._long

    def counted(*args: Any) -> float:
        calls[0] += 1
        return long(*args)

    monkeypatch.setattr(sums, "_long", counted)
    got = s.area(0, s.total_steps + 1)
    assert calls[0] >= 1
    assert got == pytest.approx(want, rel=2e-15)
    # without NumPy: the quadrature's nodes one by one, in Python floats
    python = sums.area(s._plan, 0, s.total_steps + 1, s._exact_sum, wxp._PYTHON)
    assert python == pytest.approx(want, rel=2e-15)
