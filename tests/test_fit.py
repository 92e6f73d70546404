"""warmcos.fit: recorded curves read back into schedules equal at every recorded step."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import warmcos
from warmcos import Composition, Schedule, Segment, _fit

#: The shapes fit solves a run for (the registry's names): what the strategies draw.
SOLVED = tuple(_fit.MODELS)
rates = st.floats(min_value=1e-6, max_value=10.0, allow_nan=False, allow_infinity=False)


def recorded(schedule: Any, extra: int = 10) -> list[float]:
    return [float(v) for v in schedule.curve(schedule.total_steps + extra)]


def assert_reproduces(found: warmcos.Fit, values: list[float], single: bool = False) -> None:
    steps = range(len(values))
    worst = max(abs(float(found.schedule(s)) - v) for s, v in zip(steps, values, strict=True))
    assert worst == found.max_error
    assert worst <= _fit.tolerance(single) * max(values)


@st.composite
def templates(draw: st.DrawFn) -> Schedule:
    """Template schedules of the solved shapes, each phase long enough to say its shape."""
    peak = draw(rates)
    warmup = draw(st.sampled_from([0, 8, 37, 100]))
    stable = draw(st.sampled_from([0, 10, 55]))
    decay = draw(st.integers(min_value=20, max_value=3000))
    shape = draw(st.sampled_from([s for s in SOLVED if s in warmcos.schedule._math.DECAY_SHAPES]))
    kw: dict[str, Any] = {"decay_shape": shape}
    if shape == "exponential":
        kw["final_lr"] = peak * draw(st.floats(min_value=1e-4, max_value=0.9))
    elif shape in {"cosine", "linear"}:
        kw["final_lr"] = draw(st.sampled_from([0.0, peak / 10]))
    elif shape != "constant":
        kw["timescale"] = draw(st.integers(min_value=5, max_value=500))
    if warmup:
        kw["warmup_shape"] = draw(st.sampled_from(["linear", "cosine", "exponential"]))
        kw["warmup_start_lr"] = peak * draw(st.sampled_from([0.01, 0.1]))
        if kw["warmup_shape"] != "exponential":
            kw["warmup_start_lr"] = draw(st.sampled_from([0.0, kw["warmup_start_lr"]]))
    return Schedule(peak, warmup + stable + decay, warmup_steps=warmup, stable_steps=stable, **kw)


@settings(max_examples=60, deadline=None)
@given(templates())
def test_a_recorded_template_is_fitted_back_equal_at_every_step(schedule: Schedule) -> None:
    values = recorded(schedule)
    found = warmcos.fit(values)
    assert_reproduces(found, values)
    assert found.unexplained == ()


@st.composite
def compositions(draw: st.DrawFn) -> Composition:
    """Compositions of the solved closed shapes, with jumps, repeated or not."""
    n = draw(st.integers(min_value=1, max_value=5))
    segments = []
    value = draw(rates)
    for _ in range(n):
        if draw(st.booleans()):
            value = draw(rates)  # a jump
        shape = draw(st.sampled_from(["linear", "cosine", "exponential", "constant"]))
        end = value if shape == "constant" else draw(rates)
        segments.append(Segment(draw(st.integers(min_value=1, max_value=400)), value, end, shape))
        value = value if shape == "constant" else end
    return Composition(segments, repeat=draw(st.sampled_from([1, 1, 3])))


@settings(max_examples=60, deadline=None)
@given(compositions())
def test_a_recorded_composition_is_fitted_back_equal_at_every_step(c: Composition) -> None:
    values = recorded(c)
    assert_reproduces(warmcos.fit(values), values)


def test_float32_values_are_fitted_within_float32_rounding() -> None:
    schedule = Schedule(0.1, 100_000, warmup_steps=1000)
    values = schedule.curve(100_050).astype(np.float32)
    found = warmcos.fit(values)
    assert found.unexplained == ()
    assert found.max_error <= _fit.tolerance(True) * 0.1
    assert [(p.shape, p.begin, p.end) for p in found.schedule.describe()] == [
        ("linear", 0, 1000),
        ("cosine", 1000, 100_000),
    ]


def test_pairs_fit_the_logged_steps_only() -> None:
    schedule = Schedule(1.0, 1000, warmup_steps=100, decay_shape="linear")
    pairs = [(s, schedule(s)) for s in range(0, 1200, 20)]
    found = warmcos.fit(pairs)
    assert found.schedule == schedule
    assert warmcos.fit([v for _, v in pairs], steps=[s for s, _ in pairs]).schedule == schedule


def test_a_milestone_staircase_is_a_piecewise_composition() -> None:
    multistep = Composition.piecewise([30, 80], [0.1, 0.01, 0.001])
    found = warmcos.fit(recorded(multistep, 20)).schedule
    assert isinstance(found, Composition)
    assert [(x.length, x.start, x.shape) for x in found.segments] == [
        (30, 0.1, "constant"),
        (50, 0.01, "constant"),
        (1, 0.001, "constant"),
    ]


def test_repeated_cycles_are_folded_into_repeat() -> None:
    cycle = Composition([Segment(20, 0.0, 1.0), Segment(30, 1.0, 0.1, "cosine")], repeat=4)
    found = warmcos.fit(recorded(cycle, 0)[:-1])
    assert isinstance(found.schedule, Composition)
    assert found.schedule.repeat == 4


def test_what_no_shape_explains_is_reported_not_guessed() -> None:
    values = [1.0, 2.0, 7.0, 1.0, 0.5, 9.0, 3.0]
    found = warmcos.fit(values)
    assert found.max_error == 0.0  # the partial fit still reproduces every value
    assert found.unexplained == tuple(range(7))
    assert "unexplained steps: 0, 1, 2" in found.report()


def test_the_report_is_the_phase_table() -> None:
    found = warmcos.fit(recorded(Schedule(0.1, 100, warmup_steps=10)))
    text = str(found)
    assert "linear" in text
    assert "cosine 10 .. 100" in " ".join(text.split())
    assert "largest difference: 0" in text


@pytest.mark.parametrize(
    ("values", "kwargs", "error", "words"),
    [
        ([0.1], {}, ValueError, "at least two values"),
        ([], {}, ValueError, "at least two values"),
        ([0.1, math.nan], {}, ValueError, "values[1] must be finite and >= 0"),
        ([0.1, math.inf], {}, ValueError, "values[1] must be finite"),
        ([0.1, -1e-3], {}, ValueError, "values[1] must be finite and >= 0; received -0.001"),
        ([0.1, "x"], {}, TypeError, "values[1] must be a number"),
        ([(0, 0.1), (0, 0.2)], {}, ValueError, "increasing; received steps[1]=0 after 0"),
        ([0.1, 0.2], {"steps": [3, 2]}, ValueError, "steps[1]=2 after 3"),
        ([0.1, 0.2], {"steps": [0]}, ValueError, "as long as values"),
        ([0.1, 0.2], {"steps": [0, 1.5]}, TypeError, "steps[1] must be an integer"),
        ([(0, 0.1, 3)], {}, TypeError, "each pair must be (step, lr)"),
        ("0.1", {}, TypeError, "values must be a sequence"),
    ],
)
def test_bad_input_is_one_clear_error(
    values: Any, kwargs: dict[str, Any], error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as caught:
        warmcos.fit(values, **kwargs)
    assert words in str(caught.value)
